"""What stamp, release and grade share: notebooks as plain JSON, solution markers, lessons and exercise banks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .. import content

# The markers nbgrader and otter-grader share; any number of comment characters before them, any case.
BEGIN = re.compile(r"^(\s*)(#+|//+)?\s*BEGIN\s+SOLUTION\s*$", re.IGNORECASE)
END = re.compile(r"^\s*(#+|//+)?\s*END\s+SOLUTION\s*$", re.IGNORECASE)
# A line that mentions a marker but is not one ("# begin solution here"): release refuses rather than leak.
LOOSE_MARKER = re.compile(r"\b(BEGIN|END)\s+SOLUTION\b", re.IGNORECASE)
# The graded cell of an exercise: the call that checks it, e.g. il2edu.check("02-occupancy-treg", x).
CHECK_CALL = re.compile(r"""\bil2edu\.check\(\s*["']([A-Za-z0-9_\-]+)["']""")
MANUAL_MARKER = re.compile(r"<!--\s*manual:\s*([A-Za-z0-9_\-]+)\s*-->")
# Cells with one of these tags are not in a student copy; any case, "-" or "_" (docs/INSTRUCTORS.md).
REMOVED_TAGS = {"solution", "solutions", "instructor", "instructors", "instructor-only", "instructor-notes",
                "solution-only"}
# A stub as release writes it: `name = ...  # your answer here`, or `# your code here` before the placeholder.
STUB_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]* = \.\.\.\s+# your answer here|# your code here)\s*$")


class NotebookError(ValueError):
    """A notebook that cannot be read as one; the message is one line."""


def source(cell) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def set_source(cell, text: str) -> None:
    # nbformat's on-disk form: a list of lines, each keeping its newline.
    cell["source"] = text.splitlines(keepends=True)


def read_notebook(path) -> dict:
    """A notebook as the plain dict nbformat writes (version 4); NotebookError if it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NotebookError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotebookError(f"{path}: not valid notebook JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or data.get("nbformat") != 4:
        raise NotebookError(f"{path}: not a version-4 Jupyter notebook")
    return data


def lessons_into(paths, out_dir, root=None):
    """(path, notebook, lesson id or None, exercise bank) for each source, after making sure out_dir is not
    any source's own folder (NotebookError), so writing there never overwrites a lesson."""
    out_dir = Path(out_dir)
    sources = [Path(p) for p in paths]
    for path in sources:
        if path.resolve().parent == out_dir.resolve():
            raise NotebookError(f"{path}: --out is the notebook's own folder; choose another, or the source would be overwritten")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sources:
        nb = read_notebook(path)
        lesson = lesson_for_notebook(path, root)
        yield path, nb, lesson, (exercises(lesson, root) if lesson else {})


def write_notebook(nb: dict, path) -> None:
    # Same layout as nbformat.write, so stamping a lesson changes only the metadata lines in a diff.
    Path(path).write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def has_solution(cell) -> bool:
    return any(BEGIN.match(line) for line in source(cell).splitlines())


def has_stub(cell) -> bool:
    return any(STUB_LINE.match(line) for line in source(cell).splitlines())


def answer_exercise(grade_id: str) -> str:
    """The exercise of a solution cell's grade_id: '02-kd-answer' and '02-kd-answer-2' -> '02-kd'."""
    return re.sub(r"-answer(-\d+)?$", "", grade_id)


def has_end_marker(cell) -> bool:
    return any(END.match(line) for line in source(cell).splitlines())


def checked_exercise(cell) -> str | None:
    """The exercise id a code cell checks, or None."""
    if cell.get("cell_type") != "code":
        return None
    match = CHECK_CALL.search(source(cell))
    return match.group(1) if match else None


def manual_answer(cell) -> str | None:
    """The exercise id of a hand-graded answer: a Markdown cell holding `<!-- manual: <exercise-id> -->`."""
    if cell.get("cell_type") != "markdown":
        return None
    match = MANUAL_MARKER.search(source(cell))
    return match.group(1) if match else None


def tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def removed(cell) -> bool:
    """Whether a cell is instructor-only: tagged solution or instructor, in any documented spelling."""
    spelled = {"-".join(str(t).strip().lower().replace("_", "-").split()) for t in tags(cell)}
    return bool(spelled & REMOVED_TAGS)


def loose_marker(cell) -> int | None:
    """The 1-based line of a marker-like line that is not a marker, or None."""
    for n, line in enumerate(source(cell).splitlines(), 1):
        if LOOSE_MARKER.search(line) and not (BEGIN.match(line) or END.match(line)):
            return n
    return None


def lessons(root=None) -> list[dict]:
    from ..course import lessons as course_lessons

    return course_lessons(root)


def lesson_for_notebook(path, root=None) -> str | None:
    """The lesson id whose notebook has this file name (an LMS may prefix it: 'alice_02_receptor.ipynb')."""
    name = Path(path).name
    found = None
    for lesson in lessons(root):
        notebook = lesson.get("notebook", "")
        if name == notebook:
            return lesson["id"]
        if notebook and name.endswith(notebook) and found is None:
            found = lesson["id"]
    return found


def exercises(lesson_id: str, root=None) -> dict:
    """A lesson's exercises from seeds/exercises/<lesson>.yaml, by id; {} if the lesson has none."""
    path = content._root(root) / "exercises" / f"{lesson_id}.yaml"
    if not path.is_file():
        return {}
    data = content.read_yaml(path) or {}
    if not isinstance(data, dict):
        raise content.ContentError(path, "should be a mapping with 'lesson' and 'exercises'")
    found = {}
    for entry in data.get("exercises") or []:
        if isinstance(entry, dict) and entry.get("id"):
            found[str(entry["id"])] = entry
    return found


def quiz_questions(lesson_id: str, root=None) -> list[dict]:
    """Every question of a lesson's bank (inline ones included), in bank order; [] if there is no bank."""
    path = content._root(root) / "quizzes" / f"{lesson_id}.yaml"
    if not path.is_file():
        return []
    data = content.read_yaml(path) or {}
    questions = data.get("questions") if isinstance(data, dict) else None
    return [q for q in questions or [] if isinstance(q, dict) and q.get("id")]
