"""`il2edu links`: one nbgitpuller link per lesson, for a JupyterHub and the git repository of the course.

A click on a link makes the hub start the learner's server (logging in first if needed), clone or update
the repository in the learner's home with nbgitpuller's merge rules, and open the lesson. docs/DEPLOY.md.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote, urlencode

from ..course import lessons


def default_folder(repo: str) -> str:
    """The folder nbgitpuller clones into when none is given: the repository's name without .git."""
    name = repo.rstrip("/").rsplit("/", 1)[-1]
    return name[:-4] if name.endswith(".git") else name


def lesson_link(hub: str, repo: str, notebook: str, branch: str = "main", folder: str | None = None,
                interface: str = "lab") -> str:
    """The nbgitpuller link that opens `notebook` (a path inside the repository) on `hub`."""
    folder = folder or default_folder(repo)
    path = str(PurePosixPath(folder) / notebook)
    urlpath = f"lab/tree/{path}" if interface == "lab" else f"tree/{path}"
    query = urlencode({"repo": repo, "branch": branch, "urlpath": urlpath, "targetpath": folder},
                      quote_via=quote, safe="/")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def course_links(hub: str, repo: str, branch: str = "main", path: str = "release", folder: str | None = None,
                 interface: str = "lab", root=None) -> list[tuple[str, str]]:
    """(lesson id, link) for every available lesson of seeds/lessons.yaml."""
    out = []
    for lesson in lessons(root):
        if lesson.get("status", "available") != "available" or not lesson.get("notebook"):
            continue
        notebook = str(PurePosixPath(path) / lesson["notebook"]) if path else lesson["notebook"]
        out.append((lesson["id"], lesson_link(hub, repo, notebook, branch, folder, interface)))
    return out


def add_arguments(parser):
    parser.add_argument("--hub", required=True, metavar="URL", help="the hub's address, e.g. https://hub.example.org")
    parser.add_argument("--repo", required=True, metavar="URL", help="the git repository the hub clones the course from")
    parser.add_argument("--branch", default="main", help="branch of the repository (default: main)")
    parser.add_argument("--path", default="release",
                        help="folder of the lessons inside the repository (default: release, where `il2edu release` "
                             "writes; '' for the repository's top level)")
    parser.add_argument("--folder", help="folder in the learner's home (default: the repository's name)")
    parser.add_argument("--interface", choices=("lab", "notebook"), default="lab", help="JupyterLab (default) or classic")


def run(args) -> int:
    if not args.hub.startswith(("http://", "https://")):
        print(f"il2edu links: --hub should start with https:// (or http://), not {args.hub!r}")
        return 1
    for lesson, link in course_links(args.hub, args.repo, args.branch, args.path, args.folder, args.interface):
        print(f"{lesson}: {link}")
    return 0
