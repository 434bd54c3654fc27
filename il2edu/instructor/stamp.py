"""`il2edu stamp`: write nbgrader-compatible grading metadata into lesson notebooks, derived from seeds.

A lesson's exercise cell holds a stub (`name = ...  # your answer here`, or `# your code here` in a function;
the solution is in seeds/exercises/, see key.py) or, in an instructor's version, the solution between
`### BEGIN SOLUTION` / `### END SOLUTION`; the next code cell checks it with `il2edu.check("<exercise-id>", ...)`. Stamping turns that into the cell metadata nbgrader
documents (schema version 3), so a course on nbgrader or otter-grader can use the lessons as they are:

- each solution cell: {solution: true, grade: false, locked: false, grade_id: "<exercise-id>-answer"}
- its check cell:     {grade: true, solution: false, locked: true, grade_id: "<exercise-id>",
                       points: <points from seeds/exercises/<lesson>.yaml>}
- a hand-graded answer (a Markdown cell holding `<!-- manual: <exercise-id> -->`, an exercise of type
  manual): nbgrader's "manually graded answer", {solution: true, grade: true, locked: false, points}

Every other cell loses any stale `nbgrader` entry. `il2edu validate` reports a lesson that is not stamped.
"""

from __future__ import annotations

import copy
from pathlib import Path

from . import common

SCHEMA_VERSION = 3


def _meta(grade_id, *, grade, solution, locked, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution}
    if grade:
        meta["points"] = points
    return meta


def expected_metadata(nb: dict, bank: dict) -> tuple[list, list[str]]:
    """(the nbgrader metadata each cell should carry, or None; problems) for one notebook and its exercise bank."""
    cells = nb.get("cells", [])
    wanted: list = [None] * len(cells)
    problems: list[str] = []
    pending: list[int] = []  # solution cells waiting for the check cell that follows them
    checked: dict[str, int] = {}
    for i, cell in enumerate(cells):
        manual = common.manual_answer(cell)
        if manual:
            entry = bank.get(manual)
            if entry is None or entry.get("type") != "manual":
                problems.append(f"cell {i} marks a hand-graded answer for '{manual}', which is not an exercise of "
                                "type manual in the lesson's exercise bank")
            elif manual in checked:
                problems.append(f"exercise '{manual}' has two answer cells (cells {checked[manual]} and {i})")
            else:
                checked[manual] = i
                wanted[i] = _meta(manual, grade=True, solution=True, locked=False, points=entry.get("points", 1))
            continue
        if cell.get("cell_type") != "code":
            continue
        exercise = common.checked_exercise(cell)
        if common.has_solution(cell) or common.has_stub(cell):
            if exercise:
                problems.append(f"cell {i} holds both a solution and its check; put il2edu.check in the next cell")
            pending.append(i)
            continue
        if not exercise or (exercise not in bank and exercise in _conclusions()):
            continue  # a conclusion checked from an explorer is self-study feedback, not a graded exercise
        if exercise in checked:
            problems.append(f"exercise '{exercise}' is checked twice (cells {checked[exercise]} and {i})")
            continue
        checked[exercise] = i
        entry = bank.get(exercise)
        if entry is None:
            problems.append(f"exercise '{exercise}' (cell {i}) is not in the lesson's exercise bank")
            points = 0
        else:
            points = entry.get("points", 1)
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                problems.append(f"exercise '{exercise}' has points {points!r}; use a number >= 0")
                points = 0
        if not pending:
            problems.append(f"exercise '{exercise}' (cell {i}) has no solution cell before its check")
        for n, j in enumerate(pending):
            suffix = "" if n == 0 else f"-{n + 1}"
            wanted[j] = _meta(f"{exercise}-answer{suffix}", grade=False, solution=True, locked=False)
        pending = []
        wanted[i] = _meta(exercise, grade=True, solution=False, locked=True, points=points)
    for j in pending:
        problems.append(f"solution cell {j} is not followed by an il2edu.check(...) cell")
    for exercise, entry in bank.items():
        if exercise not in checked:
            if entry.get("type") == "manual":
                problems.append(f"exercise '{exercise}' is graded by hand but no Markdown cell holds "
                                f"<!-- manual: {exercise} -->")
            else:
                problems.append(f"exercise '{exercise}' of the bank is never checked in the notebook")
    return wanted, problems


def _conclusions() -> set:
    from ..activities.prompts import all_prompts

    try:
        return {i for i, (_, kind, _) in all_prompts().items() if kind == "conclusion"}
    except ValueError:  # an unreadable activities file is check_activities's to report
        return set()


def stamp(nb: dict, bank: dict) -> tuple[dict, list[str]]:
    """A stamped copy of the notebook, and the problems found (the copy is stamped as far as possible)."""
    out = copy.deepcopy(nb)
    wanted, problems = expected_metadata(out, bank)
    for cell, meta in zip(out["cells"], wanted):
        metadata = cell.setdefault("metadata", {})
        if meta is None:
            metadata.pop("nbgrader", None)
        else:
            metadata["nbgrader"] = meta
    return out, problems


def is_stamped(nb: dict, bank: dict) -> bool:
    wanted, _ = expected_metadata(nb, bank)
    return all(cell.get("metadata", {}).get("nbgrader") == meta for cell, meta in zip(nb["cells"], wanted))


def stamp_file(path, root=None, write=True) -> tuple[bool, list[str], dict]:
    """(changed, problems, stamped notebook) for one lesson notebook; writes it unless write=False."""
    path = Path(path)
    nb = common.read_notebook(path)
    lesson = common.lesson_for_notebook(path, root)
    if lesson is None:
        return False, [f"no lesson in seeds/lessons.yaml uses the notebook name '{path.name}'"], nb
    stamped, problems = stamp(nb, common.exercises(lesson, root))
    changed = stamped != nb
    if changed and write:
        common.write_notebook(stamped, path)
    return changed, problems, stamped


def check_stamps(root: Path):
    """validate checker: every lesson notebook beside seeds/ carries the metadata `il2edu stamp` would write."""
    from ..validate import Problem

    problems = []
    notebooks = Path(root).parent / "notebooks"
    if not notebooks.is_dir():
        return problems
    try:
        known = {lesson.get("notebook") for lesson in common.lessons(root)}
    except Exception:  # lessons.yaml problems are reported by their own checker
        return problems
    for path in sorted(notebooks.glob("*.ipynb")):
        if path.name not in known:
            continue
        name = f"notebooks/{path.name}"
        try:
            changed, found, _ = stamp_file(path, root, write=False)
        except common.NotebookError as err:
            problems.append(Problem(name, None, str(err).split(": ", 1)[-1]))
            continue
        except ValueError as err:  # ContentError from an exercise bank
            problems.append(Problem(name, None, str(err)))
            continue
        problems.extend(Problem(name, None, message) for message in found)
        if changed:
            problems.append(Problem(name, None, f"grading metadata is out of date; run: il2edu stamp {name}"))
    return problems


def add_arguments(parser):
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="lesson notebooks to stamp in place")
    parser.add_argument("--check", action="store_true", help="only report notebooks that need stamping")


def run(args) -> int:
    status = 0
    for name in args.notebooks:
        try:
            changed, problems, nb = stamp_file(name, write=not args.check)
        except common.NotebookError as err:
            print(f"il2edu stamp: {err}")
            status = 1
            continue
        for problem in problems:
            print(f"{name}: {problem}")
        graded = [c["metadata"]["nbgrader"] for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        points = sum(m["points"] for m in graded)
        if args.check:
            print(f"{name}: {'needs stamping' if changed else 'stamped'} ({len(graded)} exercises, {points:g} points)")
            status = status or int(changed)
        else:
            print(f"{name}: {'stamped' if changed else 'already stamped'} ({len(graded)} exercises, {points:g} points)")
        if problems:
            status = 1
    return status
