"""What learners are told holds: nothing leaves their machine except what they hand in (docs/DEPLOY.md).

The course package has no code that can open a network connection: no module of il2edu imports a
networking library, and the progress store writes only to the learner's own folder.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NETWORK = {"socket", "ssl", "urllib.request", "urllib3", "http.client", "http.server", "requests", "httpx",
           "aiohttp", "smtplib", "ftplib", "websocket", "websockets", "xmlrpc.client", "telnetlib", "webbrowser"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_no_module_of_the_course_imports_a_networking_library():
    offenders = {}
    for path in sorted((REPO / "il2edu").rglob("*.py")):
        hits = {name for name in _imports(path) if name in NETWORK or name.split(".")[0] in NETWORK - {"http", "urllib"}}
        if hits:
            offenders[str(path.relative_to(REPO))] = sorted(hits)
    assert offenders == {}


def test_the_privacy_promise_is_written_where_learners_and_instructors_read():
    assert "Nothing is sent anywhere." in (REPO / "docs" / "PROGRESS.md").read_text(encoding="utf-8")
    deploy = (REPO / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert "Nothing leaves a learner's session except what they hand in." in deploy
