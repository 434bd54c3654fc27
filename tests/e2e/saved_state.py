"""A lesson exported to HTML with its widget state, opened in chromium with no kernel anywhere.

The page loads the widget manager for static pages (@jupyter-widgets/html-manager) and require.js from a CDN;
this machine and CI reach no CDN, so both come from the npm registry (`npm pack`, once, into a cache folder)
and the page's requests for them are answered from there (Playwright routing). Nothing is vendored.
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
from pathlib import Path

PACKAGES = {"html-manager": "@jupyter-widgets/html-manager@1", "requirejs": "requirejs@2"}
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "il2edu" / "npm"


def widget_scripts(cache: Path = CACHE) -> dict:
    """{'html-manager': its dist/ folder, 'requirejs': require.js}, fetched with npm on first use."""
    found = {}
    for name, spec in PACKAGES.items():
        folder = cache / name
        if not (folder / "package" / "package.json").is_file():
            folder.mkdir(parents=True, exist_ok=True)
            out = subprocess.run(["npm", "pack", spec, "--silent"], cwd=folder, capture_output=True, text=True,
                                 timeout=300, check=True)
            tgz = folder / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                tar.extractall(folder, filter="data")
            tgz.unlink()
        found[name] = folder / "package"
    return {"html-manager": found["html-manager"] / "dist", "requirejs": found["requirejs"] / "require.js"}


def export(notebook: Path, out: Path, env: dict) -> Path:
    """Run the notebook in a fresh kernel keeping its widget state (nbclient) and write it as HTML (nbconvert)."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits it
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": str(notebook.parent)}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    out.write_text(body, encoding="utf-8")
    return out


def route_offline(page, scripts: dict) -> list:
    """Answer the page's CDN requests for the widget scripts from the npm cache; refuse every other request
    that leaves the machine. Returns the list of refused URLs (for the test's message)."""
    refused = []
    manager = re.compile(r"/@jupyter-widgets/html-manager@[^/]*/dist/(.+)$")

    def handle(route):
        url = route.request.url
        if url.startswith("file://") or url.startswith("data:"):
            return route.continue_()
        hit = manager.search(url)
        if hit and (scripts["html-manager"] / hit.group(1)).is_file():
            return route.fulfill(path=str(scripts["html-manager"] / hit.group(1)))
        if url.endswith("/require.min.js") or url.endswith("/require.js"):
            return route.fulfill(path=str(scripts["requirejs"]))
        refused.append(url)
        return route.abort()

    page.route("**/*", handle)
    return refused
