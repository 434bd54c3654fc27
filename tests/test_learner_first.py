"""Learner-first copies: the committed lessons hold stubs, never solutions; the solved key is generated from the
one stored solution of each exercise (seeds/exercises/), and the key earns every point under `il2edu grade`."""

from __future__ import annotations

import csv
import shutil
import textwrap

import pytest

from il2edu import content
from il2edu.instructor import common, grade, key, release
from instructor_helpers import REPO, nbgrader_problems

LESSONS = [lesson for lesson in common.lessons(content.seeds_dir()) if common.exercises(lesson["id"])]
PATHS = [REPO / "notebooks" / lesson["notebook"] for lesson in LESSONS]
EXERCISE_IDS = {i for lesson in LESSONS for i in common.exercises(lesson["id"])}  # not conclusions


def solution_lines(exercise: dict) -> list[str]:
    return [line.strip() for line in textwrap.dedent(exercise["solution"]).splitlines() if line.strip()]


def stored_solutions(lesson_id: str) -> dict:
    return {i: ex for i, ex in common.exercises(lesson_id).items() if ex.get("type") != "manual"}


def test_every_lesson_with_exercises_is_covered():
    assert len(PATHS) >= 9 and all(p.is_file() for p in PATHS)


@pytest.mark.parametrize("lesson", LESSONS, ids=[l["id"] for l in LESSONS])
def test_no_committed_notebook_holds_a_solution(lesson):
    nb = common.read_notebook(REPO / "notebooks" / lesson["notebook"])
    text = "\n".join(common.source(c) for c in nb["cells"])
    assert not any(common.has_solution(c) or common.has_end_marker(c) for c in nb["cells"])
    for exercise_id, exercise in stored_solutions(lesson["id"]).items():
        for line in solution_lines(exercise):
            assert line not in text, f"{lesson['notebook']} shows the solution of {exercise_id}: {line}"
    stubs = [c for c in nb["cells"] if c["cell_type"] == "code" and common.has_stub(c)]
    assert len(stubs) == len(stored_solutions(lesson["id"]))


@pytest.mark.parametrize("lesson", LESSONS, ids=[l["id"] for l in LESSONS])
def test_the_key_holds_each_stored_solution_and_releases_to_the_committed_notebook(lesson):
    path = REPO / "notebooks" / lesson["notebook"]
    committed = common.read_notebook(path)
    keyed = key.key_version(committed, common.exercises(lesson["id"]), str(path))
    assert nbgrader_problems(keyed) == []
    text = "\n".join(common.source(c) for c in keyed["cells"])
    for exercise in stored_solutions(lesson["id"]).values():
        assert all(line in text for line in solution_lines(exercise))
    released = release.student_version(keyed, common.exercises(lesson["id"]), str(path))
    kept = [c for c in committed["cells"] if not common.tags(c) & common.REMOVED_TAGS]  # e.g. the capstone rubric
    assert [common.source(c) for c in released["cells"]] == [common.source(c) for c in kept]


def test_a_solution_that_does_not_fit_its_stub_is_one_line():
    with pytest.raises(key.SolutionError, match=r"^nb: cell 3: no stub"):
        key.key_code("x = 1\nx", "x = 2", "nb: cell 3")
    filled = key.key_code("def f(a):\n    '''Doc.'''\n    # your code here\n    raise NotImplementedError", "b = a * 2\nreturn b")
    assert filled == ("def f(a):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    b = a * 2\n    return b\n"
                      "    ### END SOLUTION")


def test_key_command_writes_keys_and_refuses_the_lessons_own_folder(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "il2edu.cli", "key", str(PATHS[0]), "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    cells = common.read_notebook(tmp_path / PATHS[0].name)["cells"]
    assert any(common.has_solution(c) for c in cells) and not any(common.has_stub(c) for c in cells)
    result = subprocess.run([sys.executable, "-m", "il2edu.cli", "key", str(PATHS[0]), "--out", str(PATHS[0].parent)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1 and "--out is the notebook's own folder" in result.stdout


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory):
    """One `il2edu grade` run: student 'key' hands in every generated key, 'untouched' every lesson as committed."""
    folder = tmp_path_factory.mktemp("grade")
    key.key(PATHS, folder / "subs" / "key")
    (folder / "subs" / "untouched").mkdir()
    for path in PATHS:
        shutil.copy(path, folder / "subs" / "untouched" / path.name)
    grade.grade([folder / "subs" / "key", folder / "subs" / "untouched"], folder / "grades.csv", quiz_points=0,
                executed_dir=folder / "executed", jobs=2, log=lambda line: None)
    with (folder / "grades.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh)), folder / "executed"


@pytest.mark.slow
def test_the_generated_key_earns_every_point(gradebook):
    rows, _ = gradebook
    mine = [r for r in rows if r["student"] == "key" and r["kind"] == "exercise"]
    automatic = [r for r in mine if r["status"] != "to grade by hand"]
    assert len(automatic) == sum(len(stored_solutions(l["id"])) for l in LESSONS)
    wrong = [(r["item"], r["status"], r["detail"]) for r in automatic if r["points"] != r["max_points"]]
    assert wrong == [] and all(r["status"] == "correct" for r in automatic)
    runs = [r for r in rows if r["student"] == "key" and r["kind"] == "run"]
    assert len(runs) == len(PATHS) and all(r["status"] == "completed" for r in runs), runs


@pytest.fixture(scope="module")
def learner_runs(tmp_path_factory):
    """Every generated key and every committed lesson run as a learner runs them: a real kernel, no grader
    (inside `il2edu grade` a check only reports the answer, so its cell says so instead of judging)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("learner")
    key.key(PATHS, folder / "key")
    env = {"IL2EDU_HOME": str(folder / "home"), "IL2EDU_PLOT": "static"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)

    def run(path):
        nb = nbformat.read(str(path), as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                       allow_errors=False).execute()
        return nb

    try:
        with ThreadPoolExecutor(2) as pool:
            keys = dict(zip([p.name for p in PATHS], pool.map(run, [folder / "key" / p.name for p in PATHS])))
            committed = dict(zip([p.name for p in PATHS], pool.map(run, PATHS)))
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    return keys, committed


def _check_outputs(nb):
    for cell in nb.cells:
        exercise = common.checked_exercise(cell)
        if exercise in EXERCISE_IDS:
            yield exercise, "".join(o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", []))


@pytest.mark.slow
def test_every_stored_solution_passes_its_check(learner_runs):
    """The check cell of every exercise, in each key run as a learner would, shows what a learner reads: Correct."""
    keys, _ = learner_runs
    seen = set()
    for name, nb in keys.items():
        for exercise, shown in _check_outputs(nb):
            assert shown.startswith("Correct"), (exercise, shown)
            seen.add(exercise)
    assert seen == {i for l in LESSONS for i in stored_solutions(l["id"])}


@pytest.mark.slow
def test_run_all_on_the_committed_lessons_says_not_attempted_for_every_exercise(gradebook, learner_runs):
    rows, _ = gradebook
    mine = [r for r in rows if r["student"] == "untouched" and r["kind"] == "exercise"]
    assert mine and all(r["status"] in ("not attempted", "to grade by hand") and float(r["points"]) == 0 for r in mine)
    runs = [r for r in rows if r["student"] == "untouched" and r["kind"] == "run"]
    assert len(runs) == len(PATHS) and all(r["status"] == "completed" for r in runs), runs  # Run All goes through
    _, committed = learner_runs
    for name, nb in committed.items():
        for exercise, shown in _check_outputs(nb):
            assert shown.startswith("Not attempted yet"), (name, exercise, shown)
