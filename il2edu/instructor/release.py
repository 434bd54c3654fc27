"""`il2edu release`: student copies of lesson notebooks, and a manifest of what they assess.

In a student copy:
- code between `### BEGIN SOLUTION` and `### END SOLUTION` becomes a stub the learner completes. Inside a
  function the stub is `raise NotImplementedError`; elsewhere each name the solution assigns becomes
  `name = ...  # your answer here`. il2edu.check reports both as "Not attempted yet", so Run All on an
  untouched copy goes through to the end (a bare `raise` at top level would stop it);
- Markdown between the markers becomes "*Your answer here.*";
- cells tagged `solution` or `instructor` (any case; also `instructor-only`, `instructor_only`) are removed;
  outputs, execution counts, attachments and saved widget state are cleared; a line that looks like a
  marker but is not one ("# begin solution here") stops the release with one line;
- the nbgrader metadata from `il2edu stamp` is kept (stamped in memory if the source was not);
- with --assess (a copy for assessment), a locked first code cell calls il2edu.activities.assessment(), so
  checks no longer offer worked solutions; --assess BANK also adds an instructor-private bank's questions;
  a lesson with per-student numbers also gets an il2edu.student("") cell where the student names themselves.
"""

from __future__ import annotations

import ast
import datetime as _dt
import json
import textwrap
from pathlib import Path

from . import common, stamp

STUB_VALUE = "...  # your answer here"
STUB_TEXT = "*Your answer here.*"


class ReleaseError(ValueError):
    """A notebook that cannot be released as it is; one line naming the notebook and cell."""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _inside_function(text: str, lineno: int) -> bool | None:
    """Whether line `lineno` (1-based) of a code cell sits inside a def; None if the cell is not plain Python."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        # the marker is a comment, so it may sit before the body's first statement: count from the def line
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.lineno < lineno <= (node.end_lineno or node.lineno):
                return True
    return False


def _assigned_names(region: list[str]) -> list[str] | None:
    """Names the region's own statements assign, in order; None if the region is not plain Python."""
    try:
        tree = ast.parse(textwrap.dedent("\n".join(region)))
    except SyntaxError:
        return None
    names: list[str] = []

    def add(target):
        if isinstance(target, ast.Name) and target.id not in names:
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                add(element)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                add(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add(node.target)
    return names


def _function_stubs(region: list[str], indent: str) -> list[str]:
    """Whole functions defined inside a top-level region keep their signature and lose their body."""
    try:
        tree = ast.parse(textwrap.dedent("\n".join(region)))
    except SyntaxError:
        return []
    stubs = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            head = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
            stubs += [f"{indent}{head} {node.name}({ast.unparse(node.args)}):",
                      f"{indent}    # your code here", f"{indent}    raise NotImplementedError"]
    return stubs


def stub_code(text: str, where: str = "cell") -> str:
    """A code cell's source with every solution region replaced by a stub."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        begin = common.BEGIN.match(lines[i])
        if not begin:
            if common.END.match(lines[i]):
                raise ReleaseError(f"{where}: END SOLUTION without a BEGIN SOLUTION above it")
            out.append(lines[i])
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if common.END.match(lines[j])), None)
        if end is None:
            raise ReleaseError(f"{where}: BEGIN SOLUTION (line {i + 1}) is never closed by END SOLUTION")
        region = lines[i + 1 : end]
        indent = _indent(lines[i])
        in_function = _inside_function(text, i + 1)
        if in_function is None:  # not parseable as a whole (magics): fall back on indentation
            in_function = bool(indent)
        if in_function:
            out += [f"{indent}# your code here", f"{indent}raise NotImplementedError"]
        else:
            names = _assigned_names(region) or []
            stubs = [f"{indent}{name} = {STUB_VALUE}" for name in names] + _function_stubs(region, indent)
            out += stubs or [f"{indent}# your code here", f"{indent}..."]
        i = end + 1
    return "\n".join(out)


def stub_markdown(text: str, where: str = "cell") -> str:
    lines = text.split("\n")
    out, inside = [], False
    for line in lines:
        if common.BEGIN.match(line):
            if inside:
                raise ReleaseError(f"{where}: BEGIN SOLUTION inside another solution region")
            inside = True
            out.append(STUB_TEXT)
        elif common.END.match(line):
            if not inside:
                raise ReleaseError(f"{where}: END SOLUTION without a BEGIN SOLUTION above it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ReleaseError(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION")
    return "\n".join(out)


ASSESS_SOURCE = "import il2edu\nil2edu.activities.assessment()  # a copy for assessment: no worked solutions"


def assess_cell() -> dict:
    return {"cell_type": "code", "execution_count": None, "id": "il2edu-assess", "outputs": [],
            "metadata": {"editable": False, "deletable": False, "tags": ["il2edu-assess"]},
            "source": ASSESS_SOURCE.splitlines(keepends=True)}


STUDENT_SOURCE = ('il2edu.student("")  # between the quotes: the name or id you hand your work in under; '
                  'your numbers follow from it')


def student_cell() -> dict:
    """In a copy for assessment with per-student numbers: where the student names themselves (numbers.py)."""
    return {"cell_type": "code", "execution_count": None, "id": "il2edu-student", "outputs": [],
            "metadata": {"tags": ["il2edu-student"]}, "source": [STUDENT_SOURCE]}


def student_version(nb: dict, bank: dict, name: str = "notebook", keep_solutions: bool = False,
                    assess: bool = False) -> dict:
    """The student copy of one (stamped or not) lesson notebook; keep_solutions: nbgrader's source copy
    (instructor-only cells and saved state removed, solutions kept for nbgrader to strip); assess: a copy
    for assessment, in which checks offer no worked solutions."""
    stamped, _ = stamp.stamp(nb, bank)
    cells = []
    # saved widget state can hold a solved explorer; the student copy starts without it
    stamped.get("metadata", {}).pop("widgets", None)
    for i, cell in enumerate(stamped["cells"]):
        if common.removed(cell):
            continue
        where = f"{name}: cell {i}"
        line = common.loose_marker(cell)
        if line is not None:
            raise ReleaseError(f"{where}: line {line} looks like a solution marker but is not one; write "
                               f"'### BEGIN SOLUTION' or '### END SOLUTION' alone on the line")
        cell.pop("attachments", None)  # pasted images (a worked answer, say) travel with the cell
        if keep_solutions:
            if cell.get("cell_type") == "code":
                cell["outputs"], cell["execution_count"] = [], None
            cells.append(cell)
            continue
        if cell.get("cell_type") == "code":
            if common.has_solution(cell) or common.has_end_marker(cell):
                common.set_source(cell, stub_code(common.source(cell), where))
            cell["outputs"] = []
            cell["execution_count"] = None
            cell.get("metadata", {}).pop("execution", None)
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                # JupyterLab honours these: the check cell cannot be edited or deleted by accident.
                cell["metadata"].update(editable=False, deletable=False)
        elif cell.get("cell_type") in ("markdown", "raw") and (common.has_solution(cell) or
                                                               common.has_end_marker(cell)):
            common.set_source(cell, stub_markdown(common.source(cell), where))
        cells.append(cell)
    if assess:
        at = 1 if cells and cells[0].get("cell_type") == "markdown" else 0
        cells[at:at] = [assess_cell()] + ([student_cell()] if any("params" in ex for ex in bank.values()) else [])
    stamped["cells"] = cells
    return stamped


def manifest_entry(path: Path, nb: dict, lesson: str | None, root=None) -> dict:
    bank = common.exercises(lesson, root) if lesson else {}
    graded = [c["metadata"]["nbgrader"] for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    exercises = [{"id": m["grade_id"], "title": bank.get(m["grade_id"], {}).get("title", ""), "points": m["points"]}
                 for m in graded]
    quiz = [q["id"] for q in common.quiz_questions(lesson, root)] if lesson else []
    return {"notebook": path.name, "lesson": lesson, "exercises": exercises,
            "exercise_points": sum(e["points"] for e in exercises), "quiz_questions": quiz}


def release(paths, out_dir, root=None, assess=None, nbgrader_source=False) -> dict:
    """Write student copies of the notebooks and manifest.json into out_dir; returns the manifest.
    assess: True for a copy for assessment (no worked solutions offered), or the path of an
    instructor-private bank (assess.py) whose questions, without answers, go into its lesson (which
    makes it a copy for assessment too)."""
    out_dir = Path(out_dir)
    assessed_lesson, assessed = (None, [])
    if assess not in (None, False, True):
        from . import assess as assess_bank

        assessed_lesson, assessed = assess_bank.load(assess)
    from .. import __version__

    manifest = {"course": "il2edu", "il2edu_version": __version__,
                "released": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "assess": bool(assess), "notebooks": []}
    for path, nb, lesson, bank in common.lessons_into(paths, out_dir, root):
        student = student_version(nb, bank, name=str(path), keep_solutions=nbgrader_source, assess=bool(assess))
        if assessed and lesson == assessed_lesson:
            student["cells"] += assess_bank.cells(assessed)
        common.write_notebook(student, out_dir / path.name)
        manifest["notebooks"].append(manifest_entry(path, student, lesson, root))
        if assessed and lesson == assessed_lesson:
            manifest["notebooks"][-1]["assessed_questions"] = [q["id"] for q in assessed]
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def add_arguments(parser):
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="lesson notebooks (instructor versions)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the student copies and manifest.json")
    parser.add_argument("--nbgrader-source", action="store_true",
                        help="write copies for nbgrader's source/ folder: instructor-only cells removed (nbgrader "
                             "ignores the tag), solutions kept for nbgrader generate_assignment to strip")
    parser.add_argument("--assess", nargs="?", const=True, default=None, metavar="BANK",
                        help="a copy for assessment: checks offer no worked solutions; with BANK, an "
                             "instructor-private question bank (YAML, kept outside the course) whose questions "
                             "go into its lesson without the answers")


def run(args) -> int:
    try:
        manifest = release(args.notebooks, args.out, assess=args.assess, nbgrader_source=args.nbgrader_source)
    except ValueError as err:  # ReleaseError, NotebookError, a seeds ContentError: one line each
        print(f"il2edu release: {' '.join(str(err).split())}")
        return 1
    for entry in manifest["notebooks"]:
        print(f"released {entry['notebook']} ({entry['lesson'] or 'no lesson'}): "
              f"{len(entry['exercises'])} exercises, {entry['exercise_points']:g} points, "
              f"{len(entry['quiz_questions'])} quiz questions")
    print(f"student copies and manifest.json are in {args.out}")
    return 0
