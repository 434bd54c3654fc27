"""Build side of the site: turn notebooks/ into executed learner pages, and seeds/ into the glossary and
references pages, inside the Sphinx source folder (git-ignored: notebooks/, glossary.md, references.md).

A lesson page is the learner's copy (il2edu's own release step: solutions become stubs), with each worked
solution in a closed disclosure after its stub, citations linked to the references page, run links on top,
and outputs from a real kernel in which static.py shows quizzes, explorers and the glossary as HTML.
Executed copies are cached by a hash of everything they depend on, so a second build takes seconds.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import nbformat
from nbclient import NotebookClient

from il2edu import citations, content, glossary
from il2edu.instructor import common, key, release

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
NOTEBOOKS = REPO / "notebooks"
HIDDEN_TAG = "il2edu-site-setup"
CITE = re.compile(r"\[([A-Za-z][\w-]*(?:\s*[,;]\s*[A-Za-z][\w-]*)*)\](?![(\[:])")
LESSON_LINK = re.compile(r"\((\d\d_\w+)\.ipynb\)")
SOLUTION_SUMMARY = "Worked solution (try the exercise first)"


def run_links(notebook: str, settings: dict) -> str:
    """Markdown for the 'run this lesson' line: Binder, and a JupyterHub through nbgitpuller."""
    repo, branch = settings["repository"], settings["branch"]
    path = f"notebooks/{notebook}"
    binder = f"{settings['binder_url'].rstrip('/')}/v2/gh/{repo}/{branch}?urlpath={quote('lab/tree/' + path)}"
    links = [f"[Binder]({binder})"]
    hub = settings.get("hub_url")
    if hub:
        name = repo.split("/")[-1]
        pull = (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote('https://github.com/' + repo, safe='')}"
                f"&branch={quote(branch)}&urlpath={quote(f'lab/tree/{name}/{path}', safe='')}")
        links.append(f"[your JupyterHub]({pull})")
    return ("```{container} il2edu-site-run\n**Run this lesson** to move the explorers, answer the questions and "
            f"check your exercises: {' or '.join(links)}.\n```")


def link_citations(text: str, refs: dict) -> str:
    """[key] and [key1; key2] become links to the references page; other brackets stay as they are."""
    def swap(match):
        keys = [k.strip() for k in re.split(r"[,;]", match.group(1))]
        if not all(k in refs for k in keys):
            return match.group(0)
        return "[" + "; ".join(f"{{ref}}`{k} <ref-{k}>`" for k in keys) + "]"

    out, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        out.append(line if fenced else CITE.sub(swap, line))
    return "\n".join(out)


def solution_cell(solution_source: str, language: str = "python") -> dict:
    # the markers are for graders; a reader wants the code alone
    solution_source = "\n".join(line for line in solution_source.split("\n")
                                 if not re.match(r"\s*#+\s*(BEGIN|END) SOLUTION\s*$", line, re.I))
    body = f"```{language}\n{solution_source.strip()}\n```" if language else solution_source.strip()
    return nbformat.v4.new_markdown_cell(
        f'<details class="il2edu-site-solution">\n<summary>{SOLUTION_SUMMARY}</summary>\n\n{body}\n\n</details>')


def learner_page(nb: dict, lesson: str | None, name: str, settings: dict) -> dict:
    """The page's notebook before execution: learner copy, solutions in disclosures, links, setup cell."""
    refs = content.references()
    bank = common.exercises(lesson) if lesson else {}
    # lessons are committed as stubs; the key puts each stored solution back, so it can go in a disclosure
    nb = key.key_version(copy.deepcopy(nb), bank, name)
    student = release.student_version(copy.deepcopy(nb), bank, name)
    originals = {c.get("id"): c for c in nb["cells"]}
    cells = []
    for cell in student["cells"]:
        cells.append(cell)
        before = originals.get(cell.get("id"))
        if before is not None and common.has_solution(before):
            cells.append(solution_cell(common.source(before), "python" if before["cell_type"] == "code" else ""))
    for cell in nb["cells"]:  # cells the learner copy drops: a whole-cell solution goes behind a disclosure
        if "solution" in common.tags(cell):
            at = next((i for i, c in enumerate(cells) if c.get("id") == _previous_id(nb, cell)), len(cells) - 1)
            cells.insert(at + 1, solution_cell(common.source(cell), "python" if cell["cell_type"] == "code" else ""))
    for cell in cells:
        if cell["cell_type"] == "markdown":
            common.set_source(cell, link_citations(common.source(cell), refs))
        cell.setdefault("metadata", {}).pop("nbgrader", None)
    title_at = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"), 0)
    cells.insert(title_at + 1, nbformat.v4.new_markdown_cell(run_links(name, settings)))
    setup = nbformat.v4.new_code_cell(
        f"import sys; sys.path.insert(0, {str(HERE.parent)!r})\nimport il2edu_site.static\nil2edu_site.static.install()",
        metadata={"tags": [HIDDEN_TAG, "remove-cell"]})
    student["cells"] = [setup] + cells
    page = nbformat.reads(json.dumps(student), as_version=4)  # sources as strings, as nbclient wants
    for i, cell in enumerate(page.cells):  # fresh, unique ids for the cells added here
        cell["id"] = cell.get("id") or f"site-{i}"
    return page


def _previous_id(nb: dict, cell: dict):
    i = nb["cells"].index(cell)
    return nb["cells"][i - 1].get("id") if i else None


def _fingerprint(nb_path: Path, settings: dict) -> str:
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for path in sorted([nb_path, *HERE.glob("*.py"), *(REPO / "il2edu").rglob("*.py"),
                        *content.seeds_dir().rglob("*.*")]):
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def execute(page, cwd: Path, timeout: int = 300):
    with tempfile.TemporaryDirectory(prefix="il2edu-site-home-") as home:
        env = {"IL2EDU_HOME": home, "IL2EDU_PLOT": "static", "MPLBACKEND": "agg"}
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            NotebookClient(page, timeout=timeout, startup_timeout=120, kernel_name="python3", allow_errors=False,
                           resources={"metadata": {"path": str(cwd)}}).execute()
        finally:
            for k, v in old.items():
                os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    page.metadata.pop("widgets", None)
    for cell in page.cells:  # no live widget may reach the page: it would show as its text repr
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs
                            if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})]
            for output in cell.outputs:  # the lesson map links notebooks; on the site they are pages
                data = output.get("data", {})
                if "text/markdown" in data:
                    data["text/markdown"] = LESSON_LINK.sub(r"(\1.html)", data["text/markdown"])
    return page


def build_lessons(srcdir: Path, cache: Path, settings: dict, log=print) -> list[Path]:
    out_dir = srcdir / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    written = []
    for nb_path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        target = out_dir / nb_path.name
        cached = cache / f"{nb_path.stem}-{_fingerprint(nb_path, settings)}.ipynb"
        if not cached.exists():
            log(f"il2edu site: executing {nb_path.name}")
            nb = common.read_notebook(nb_path)
            lesson = common.lesson_for_notebook(nb_path)
            page = execute(learner_page(nb, lesson, nb_path.name, settings), NOTEBOOKS)
            for old in cache.glob(f"{nb_path.stem}-*.ipynb"):
                old.unlink()
            nbformat.write(page, cached)
        if not target.exists() or target.read_bytes() != cached.read_bytes():
            target.write_bytes(cached.read_bytes())
        written.append(target)
    return written


def glossary_page() -> str:
    terms, refs = content.glossary(), content.references()
    lines = ["# Glossary", "",
             "Every term of the course, in alphabetical order. In a lesson, `il2edu.glossary(\"word\")` searches "
             "this list; here, use the search box. Sources link to the [references](references.md).", ""]
    for key in sorted(terms, key=lambda k: str(terms[k].get("term", k)).casefold()):
        entry = terms[key]
        lines += [f"(term-{key})=", f"## {entry.get('term', key)}", "", str(entry.get("definition", "")).strip(), ""]
        sources = [f"{{ref}}`{glossary.short_citation(r, refs)} <ref-{r}>`" for r in entry.get("references") or []
                   if r in refs]
        if sources:
            lines += ["Sources: " + "; ".join(sources) + ".", ""]
        related = [f"{{ref}}`{terms[o].get('term', o)} <term-{o}>`" for o in entry.get("see_also") or [] if o in terms]
        if related:
            lines += ["See also: " + ", ".join(related) + ".", ""]
    return "\n".join(lines)


def references_page() -> str:
    refs = content.references()
    lines = ["# References", "",
             "Every source of the course (`seeds/references.yaml`), by key. A `[key]` in a lesson links here.", ""]
    for key in sorted(refs):
        lines += [f"(ref-{key})=", citations.format_reference(key, refs[key]), ""]
    return "\n".join(lines)


def write_if_changed(path: Path, text: str):
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def build_sources(srcdir: Path, cache: Path, settings: dict, log=print):
    write_if_changed(srcdir / "glossary.md", glossary_page())
    write_if_changed(srcdir / "references.md", references_page())
    return build_lessons(srcdir, cache, settings, log)

