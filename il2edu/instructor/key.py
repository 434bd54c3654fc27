"""`il2edu key`: the solved key of a lesson, generated from the one stored solution of each exercise.

Lesson notebooks are committed as learners open them: each exercise cell holds a stub (what `il2edu release`
would make of a solution). The solution itself is the exercise's `solution:` in seeds/exercises/<lesson>.yaml.
The key puts it back in place of the stub, between `### BEGIN SOLUTION` / `### END SOLUTION`, with the
nbgrader metadata of `il2edu stamp`: it is the instructor's solved notebook and nbgrader's source version.
Releasing a key gives back exactly the committed notebook's exercise cells (the key is built so).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from . import common, release, stamp


class SolutionError(ValueError):
    """A stub cell the key cannot fill; one line naming the notebook, cell and exercise."""


def _stub_start(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if common.STUB_LINE.match(line)), None)


def key_code(text: str, solution: str, where: str = "cell") -> str:
    """A stub cell's source with its stub replaced by the marked solution.

    The stub block's length is found by trial: the one replacement whose release is the stub cell again."""
    lines = text.split("\n")
    start = _stub_start(lines)
    if start is None:
        raise SolutionError(f"{where}: no stub ('... # your answer here' or '# your code here') to fill")
    indent = release._indent(lines[start])
    body = [indent + line if line.strip() else "" for line in textwrap.dedent(solution).strip("\n").split("\n")]
    marked = [f"{indent}### BEGIN SOLUTION", *body, f"{indent}### END SOLUTION"]
    for n in range(1, len(lines) - start + 1):
        candidate = "\n".join(lines[:start] + marked + lines[start + n:])
        try:
            if release.stub_code(candidate, where) == text:
                return candidate
        except release.ReleaseError:
            continue
    raise SolutionError(f"{where}: the stored solution does not fit the stub (its release would differ from the cell)")


def key_version(nb: dict, bank: dict, name: str = "notebook") -> dict:
    """The solved, stamped key of one committed (stub) lesson notebook, outputs cleared."""
    keyed, _ = stamp.stamp(nb, bank)
    for i, cell in enumerate(keyed["cells"]):
        meta = cell.get("metadata", {}).get("nbgrader") or {}
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        if cell.get("cell_type") != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        if common.has_solution(cell):  # already an instructor version
            continue
        exercise = common.answer_exercise(meta.get("grade_id", ""))
        solution = (bank.get(exercise) or {}).get("solution")
        if not isinstance(solution, str) or not solution.strip():
            raise SolutionError(f"{name}: cell {i}: exercise '{exercise}' has no 'solution' in seeds/exercises/")
        common.set_source(cell, key_code(common.source(cell), solution, f"{name}: cell {i} ({exercise})"))
    return keyed


def key(paths, out_dir, root=None) -> list[Path]:
    """Write the key of each lesson notebook into out_dir; returns the paths written."""
    out_dir = Path(out_dir)
    written = []
    for path, nb, lesson, bank in common.lessons_into(paths, out_dir, root):
        keyed = key_version(nb, bank, name=str(path))
        common.write_notebook(keyed, out_dir / path.name)
        written.append(out_dir / path.name)
    return written


def add_arguments(parser):
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help="lesson notebooks (as committed, with stubs)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the solved keys")


def run(args) -> int:
    try:
        written = key(args.notebooks, args.out)
    except (SolutionError, release.ReleaseError, common.NotebookError) as err:
        print(f"il2edu key: {err}")
        return 1
    for path in written:
        print(f"wrote the key {path}")
    print("each key is also nbgrader's source version (solutions between BEGIN/END SOLUTION, grading metadata)")
    return 0


def check_keys(root: Path):
    """validate checker: lesson notebooks hold no solution, and each stored solution fits its stub."""
    from ..validate import Problem

    problems = []
    notebooks = Path(root).parent / "notebooks"
    try:
        known = {lesson.get("notebook"): lesson.get("id") for lesson in common.lessons(root)}
    except Exception:  # lessons.yaml problems are reported by their own checker
        return problems
    for path in sorted(notebooks.glob("*.ipynb")) if notebooks.is_dir() else []:
        if path.name not in known:
            continue
        name = f"notebooks/{path.name}"
        try:
            nb = common.read_notebook(path)
            bank = common.exercises(known[path.name], root)
        except (common.NotebookError, ValueError):
            continue  # check_stamps reports it
        for i, cell in enumerate(nb["cells"]):
            if common.has_solution(cell):
                problems.append(Problem(name, f"cell {i}", "holds a solution; learners open this notebook, so keep "
                                        "the stub here and the solution in seeds/exercises/ (see README, 'For contributors')"))
        try:
            key_version(nb, bank, name)
        except (SolutionError, release.ReleaseError) as err:
            problems.append(Problem(name, None, str(err).split(": ", 1)[-1]))
    return problems
