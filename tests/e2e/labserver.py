"""A throwaway JupyterLab server for the browser tests: own port, token, settings, home and copy of the notebooks."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Per-plugin settings a learner would otherwise meet as noise (news toast) or that would make the tests
# touch the files they open (autosave). Windowing off keeps every cell in the DOM, so the checks see them all.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    url: str
    token: str
    root: Path
    workdir: Path
    process: subprocess.Popen

    def api(self, method: str, path: str, timeout: float = 10):
        """Call the REST API with the token header (token-authenticated calls need no XSRF cookie)."""
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def lab_url(self, relpath: str = "") -> str:
        # ?reset ignores a workspace saved by an earlier page, so only what is asked for opens.
        where = f"/lab/tree/{relpath}" if relpath else "/lab"
        return f"{self.url}{where}?reset&token={self.token}"

    def shutdown_kernels(self, relpath: str | None = None) -> None:
        """Delete the sessions (and so the kernels) of one notebook, or of all notebooks."""
        for session in self.api("GET", "/api/sessions") or []:
            if relpath is None or session.get("path") == relpath:
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = (self.workdir / "server.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def prepare_root(workdir: Path, folders: dict[str, Path]) -> Path:
    """Copy each folder (e.g. notebooks/) under one server root, so Run All never touches the checkout."""
    root = workdir / "root"
    for name, source in folders.items():
        shutil.copytree(source, root / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return root


def start(workdir: Path, folders: dict[str, Path], timeout: float = 90) -> LabServer:
    workdir.mkdir(parents=True, exist_ok=True)
    root = prepare_root(workdir, folders)
    settings = workdir / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))

    env = dict(os.environ)
    # Tests set MPLBACKEND=Agg for themselves; a kernel inheriting it would show figures as text, not images.
    env.pop("MPLBACKEND", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["IL2EDU_HOME"] = str(workdir / "il2edu-home")
    env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(workdir / "lab-workspaces")
    env["JUPYTER_CONFIG_DIR"] = str(workdir / "jupyter-config")
    env["JUPYTER_RUNTIME_DIR"] = str(workdir / "jupyter-runtime")
    env["JUPYTER_DATA_DIR"] = str(workdir / "jupyter-data")  # extensions still come from the environment's prefix
    env["IPYTHONDIR"] = str(workdir / "ipython")  # no startup scripts or history from the user's profile

    port, token = free_port(), secrets.token_hex(24)
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        # window.jupyterapp lets the checks read cell outputs from the notebook model, not only from pixels.
        "--LabApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # JupyterLab exits at once as root otherwise (CI containers run as root)
    log = open(workdir / "server.log", "wb")
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    log.close()
    server = LabServer(f"http://127.0.0.1:{port}", token, root, workdir, process)

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with code {process.returncode}:\n{server.log_tail()}")
        try:
            server.api("GET", "/api/status", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{server.log_tail()}")
            time.sleep(0.25)
