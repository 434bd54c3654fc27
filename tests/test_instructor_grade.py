"""`il2edu grade`: synthetic submissions (right, partly right, hostile, broken) give the expected gradebook rows,
and grading never touches the submissions or the instructor's folder."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from il2edu.instructor import grade, release
from instructor_helpers import LESSON, SEEDS

RIGHT = {
    "91-occupancy-at-kd-answer": "occ_at_kd = 5 / (5 + 5)",
    "91-occupancy-function-answer": "def occupancy(c_pM, kd_pM):\n    return c_pM / (c_pM + kd_pM)",
}
QUIZ_HEADER = "time,lesson,item_id,kind,answer,correct,points,max_points\n"


def snapshot(folder: Path) -> dict:
    """Every file under a folder with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def student_notebook(released: Path, folder: Path, answers: dict, extra: dict | None = None) -> Path:
    """A copy of the released lesson with answer cells filled in; extra: grade_id -> cells inserted before it."""
    nb = nbformat.read(str(released), as_version=4)
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        for source in (extra or {}).get(grade_id, []):
            cells.append(nbformat.v4.new_code_cell(source))
        if grade_id in answers:
            cell.source = answers[grade_id]
        cells.append(cell)
    nb.cells = cells
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / released.name
    nbformat.write(nb, str(path))
    (folder / "notes.txt").write_text(f"{folder.name}'s notes\n")
    return path


@pytest.fixture
def course(tmp_path, monkeypatch):
    """An instructor's folder (the course: seeds/, notebooks/, a release/) and a submissions folder beside it."""
    instructor = tmp_path / "instructor"
    shutil.copytree(SEEDS, instructor / "seeds")
    (instructor / "notebooks").mkdir()
    shutil.copy(LESSON, instructor / "notebooks" / LESSON.name)
    monkeypatch.setenv("IL2EDU_SEEDS", str(instructor / "seeds"))
    release.release([instructor / "notebooks" / LESSON.name], instructor / "release", root=instructor / "seeds")
    return instructor, instructor / "release" / LESSON.name, tmp_path / "submissions"


def rows_of(table, student):
    return [(r["item"], r["kind"], r["points"], r["max_points"], r["status"]) for r in table if r["student"] == student]


@pytest.mark.slow
def test_three_submissions_right_partly_right_and_hostile(course):
    instructor, released, subs = course
    student_notebook(released, subs / "alice", RIGHT)
    (subs / "alice" / "my-progress.csv").write_text(
        QUIZ_HEADER
        + "2026-01-01T10:00:00Z,91-fixture,91-half-occupied,quiz,True,1,1,1\n"
        + "2026-01-01T10:01:00Z,91-fixture,91-tenfold,quiz,0.91,1,1,1\n")
    student_notebook(released, subs / "bob", {"91-occupancy-at-kd-answer": "occ_at_kd = 5 / 5",
                                              "91-occupancy-function-answer": RIGHT["91-occupancy-function-answer"]})
    (subs / "bob" / "progress.json").write_text(json.dumps({"format": "il2edu-progress", "attempts": [
        {"time": "2026-01-01T10:00:00Z", "lesson": "91-fixture", "item_id": "91-half-occupied", "kind": "reveal",
         "answer": "", "correct": False, "points": 0, "max_points": 0},
        {"time": "2026-01-01T10:01:00Z", "lesson": "91-fixture", "item_id": "91-half-occupied", "kind": "quiz",
         "answer": "True", "correct": True, "points": 1, "max_points": 1},
        {"time": "2026-01-01T10:02:00Z", "lesson": "91-fixture", "item_id": "91-tenfold", "kind": "quiz",
         "answer": "0.5", "correct": False, "points": 0, "max_points": 1},
        {"time": "2026-01-01T10:03:00Z", "lesson": "91-fixture", "item_id": "91-tenfold", "kind": "quiz",
         "answer": "0.91", "correct": True, "points": 1, "max_points": 1}]}))
    hostile = {"91-occupancy-at-kd": [
        # tries every answer from a cell of its own: checks outside the exercise's check cell do not count
        "for guess in range(101):\n    il2edu.check('91-occupancy-at-kd', guess / 100)",
    ], "91-occupancy-function-answer": [
        "while True:\n    pass",                      # runs forever: interrupted at the cell limit
        "import sys\nsys.exit(3)",                    # stops only its own cell
        "import os\nos.remove('notes.txt')",          # removes a file next to the notebook (in the copy)
    ], "91-occupancy-function": [
        "import os, shutil\nshutil.rmtree(os.getcwd())",  # removes the whole folder it runs in (the copy)
    ]}
    mallory = student_notebook(released, subs / "mallory", {**RIGHT, "91-occupancy-at-kd-answer": "occ_at_kd = 0.3"},
                               hostile)
    # ... and edits the check cell to pass the right value instead of its own: the grader runs the original.
    nb = nbformat.read(str(mallory), as_version=4)
    check = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "91-occupancy-at-kd")
    check.source = 'il2edu.check("91-occupancy-at-kd", 0.5)'
    nbformat.write(nb, str(mallory))
    before_subs, before_instructor = snapshot(subs), snapshot(instructor)
    lines = []

    executed = instructor.parent / "executed"
    table = grade.grade([subs / "alice", subs / "bob", subs / "mallory"], instructor / "grades.csv",
                        cell_timeout=3, notebook_timeout=90, log=lines.append, executed_dir=executed)

    assert rows_of(table, "alice") == [
        ("91_fixture.ipynb", "run", "0", "0", "completed"),
        ("91-occupancy-at-kd", "exercise", "2", "2", "correct"),
        ("91-occupancy-function", "exercise", "3", "3", "correct"),
        ("91-half-occupied", "quiz", "1", "1", "correct"),
        ("91-tenfold", "quiz", "1", "1", "correct"),
        ("total", "total", "7", "7", ""),
    ]
    assert rows_of(table, "bob") == [
        ("91_fixture.ipynb", "run", "0", "0", "completed"),
        ("91-occupancy-at-kd", "exercise", "0", "2", "incorrect"),
        ("91-occupancy-function", "exercise", "3", "3", "correct"),
        ("91-half-occupied", "quiz", "0", "1", "revealed"),
        ("91-tenfold", "quiz", "1", "1", "correct"),
        ("total", "total", "4", "7", ""),
    ]
    assert rows_of(table, "mallory") == [
        ("91_fixture.ipynb", "run", "0", "0", "cell timeout"),
        ("91-occupancy-at-kd", "exercise", "0", "2", "incorrect"),
        ("91-occupancy-function", "exercise", "3", "3", "correct"),
        ("91-half-occupied", "quiz", "0", "1", "not attempted"),
        ("91-tenfold", "quiz", "0", "1", "not attempted"),
        ("total", "total", "3", "7", ""),
    ]
    first = next(r for r in table if r["student"] == "mallory" and r["item"] == "91-occupancy-at-kd")
    assert first["detail"] == ("answer: 0.3; the check cell had been edited; the original was run; "
                               "101 check(s) made outside the exercise's check cell were ignored")
    run = next(r for r in table if r["student"] == "mallory" and r["kind"] == "run")
    assert "ran past the time limit" in run["detail"] and "SystemExit" in run["detail"]
    assert "Error" not in run["detail"]  # the removals succeeded: in the temporary copy, not in subs/mallory
    # The gradebook on disk is the same table.
    with (instructor / "grades.csv").open(newline="") as fh:
        assert list(csv.DictReader(fh)) == table
    # Nothing the submissions did reached the originals or the instructor's folder.
    assert snapshot(subs) == before_subs
    after = snapshot(instructor)
    assert {k: v for k, v in after.items() if k in before_instructor} == before_instructor
    assert set(after) - set(before_instructor) == {"grades.csv", "feedback/alice.md", "feedback/bob.md",
                                                   "feedback/mallory.md"}
    # Progress for a batch, one line per notebook.
    assert lines == ["[1/3] alice/91_fixture.ipynb: completed, 7 of 7 points",
                     "[2/3] bob/91_fixture.ipynb: completed, 4 of 7 points",
                     "[3/3] mallory/91_fixture.ipynb: cell timeout, 3 of 7 points"]
    bob = (instructor / "feedback" / "bob.md").read_text()
    assert "**Total: 4 of 7 points.**" in bob
    assert "| Occupancy when the concentration equals the Kd (`91-occupancy-at-kd`) | 0 of 2 | incorrect. Hint:" in bob
    # The notebooks as they ran, for reading the work: the student's cells only, with their outputs.
    ran = nbformat.read(str(executed / "mallory" / LESSON.name), as_version=4)
    handed_in = nbformat.read(str(subs / "mallory" / LESSON.name), as_version=4)
    differ = [(a.source, b.source) for a, b in zip(handed_in.cells, ran.cells) if a.source != b.source]
    assert len(ran.cells) == len(handed_in.cells)
    assert differ == [('il2edu.check("91-occupancy-at-kd", 0.5)', 'il2edu.check("91-occupancy-at-kd", occ_at_kd)')]
    assert any(o.get("ename") == "SystemExit" for c in ran.cells if c.cell_type == "code" for o in c.outputs)
    mallory = (instructor / "feedback" / "mallory.md").read_text()
    assert "ran past the time limit" in mallory and "no progress file was handed in" in mallory
    assert "| Quiz question `91-half-occupied` | 0 of 1 | revealed |" in bob


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 3])
def test_broken_submissions_get_a_status_and_do_not_stop_the_batch(course, jobs):
    instructor, released, subs = course
    student_notebook(released, subs / "zed", RIGHT, {"91-occupancy-function-answer": [
        # ignores the interrupt the cell limit sends, so only the notebook limit stops it
        "import time\nwhile True:\n    try:\n        time.sleep(0.2)\n    except KeyboardInterrupt:\n        pass"]})
    student_notebook(released, subs / "kim", RIGHT, {"91-occupancy-function-answer": [
        "import os\nos.remove('course/release/91_fixture.ipynb')",  # through a link to the instructor's folder
        "import os\nos._exit(1)"]})
    (subs / "kim" / "course").symlink_to(instructor, target_is_directory=True)
    before_instructor = snapshot(instructor)
    (subs / "ivan").mkdir(parents=True)
    (subs / "ivan" / LESSON.name).write_text('{"cells": [ this is not JSON')
    (subs / "nobody").mkdir()
    # keeps calling the check with a right answer until interrupted, just before a check cell left as the stub
    student_notebook(released, subs / "eve", {}, {"91-occupancy-function": [
        "while True:\n    il2edu.check('91-occupancy-function', lambda c, k: c / (c + k))"]})
    student_notebook(released, subs / "alice", RIGHT)
    before = snapshot(subs)

    lines = []
    table = grade.grade(sorted(subs.iterdir()), instructor / "grades.csv", cell_timeout=2, notebook_timeout=12,
                        log=lines.append, jobs=jobs)

    # One line per notebook as it finishes (in any order when several run at once); the gradebook keeps
    # the students' order whatever the order of finishing.
    assert sorted(int(line[1:].split("/")[0]) for line in lines) == list(range(1, 7))
    assert sorted(line.split("] ")[1].split("/")[0] for line in lines) == sorted(p.name for p in subs.iterdir())
    assert [r["student"] for r in table if r["kind"] == "run"] == ["alice", "eve", "ivan", "kim", "nobody", "zed"]

    runs = {r["student"]: (r["status"], r["detail"]) for r in table if r["kind"] == "run"}
    assert runs["alice"] == ("completed", "")
    assert runs["ivan"][0] == "invalid notebook"
    assert runs["kim"][0] == "kernel died" and "FileNotFoundError" in runs["kim"][1]  # the link was not copied
    assert runs["nobody"][0] == "missing"
    assert runs["zed"][0] == "notebook timeout" and "ran past 12 s" in runs["zed"][1]
    # Graded as far as they went: both answered the first exercise before the trouble.
    for student in ("kim", "zed"):
        assert ("91-occupancy-at-kd", "exercise", "2", "2", "correct") in rows_of(table, student)
        assert ("91-occupancy-function", "exercise", "0", "3", "not run") in rows_of(table, student)
    assert ("91-occupancy-at-kd", "exercise", "0", "2", "missing") in rows_of(table, "ivan")
    after = snapshot(instructor)
    assert {k: v for k, v in after.items() if k in before_instructor} == before_instructor
    assert runs["eve"][0] == "cell timeout"
    assert ("91-occupancy-function", "exercise", "0", "3", "not attempted") in rows_of(table, "eve")
    assert snapshot(subs) == before


def test_a_flat_folder_of_notebooks_is_refused_before_anything_runs(course, capsys):
    instructor, released, subs = course
    subs.mkdir()
    for name in ("alice_91_fixture.ipynb", "bob_91_fixture.ipynb"):
        (subs / name).write_bytes(released.read_bytes())
    from il2edu import cli

    code = cli.main(["grade", str(subs / "alice_91_fixture.ipynb"), str(subs / "bob_91_fixture.ipynb"),
                     "--out", str(instructor / "grades.csv")])
    assert code == 1
    assert "are the same lesson in one folder; put each student's files in a folder" in capsys.readouterr().out
    assert not (instructor / "grades.csv").exists()


def test_progress_export_reader_takes_csv_and_json_and_ignores_other_files(tmp_path):
    (tmp_path / "a.csv").write_text(QUIZ_HEADER + "t1,91-fixture,91-tenfold,quiz,0.9,1,1,1\n")
    (tmp_path / "b.json").write_text(json.dumps({"attempts": [
        {"time": "t0", "lesson": "91-fixture", "item_id": "91-tenfold", "kind": "reveal", "correct": False}]}))
    (tmp_path / "data.csv").write_text("dose,response\n1,2\n")
    rows, files = grade.quiz_attempts(tmp_path)
    assert files == ["a.csv", "b.json"]
    assert [(r["time"], r["kind"], r["correct"]) for r in rows] == [("t0", "reveal", False), ("t1", "quiz", True)]
    assert grade.quiz_status(rows) == "revealed"
    assert grade.quiz_status([]) == "not attempted"


@pytest.mark.parametrize("jobs, message", [("0", "--jobs must be at least 1"), ("two", "'two' is not a whole number")])
def test_jobs_must_be_a_whole_number_of_at_least_one(tmp_path, capsys, jobs, message):
    from il2edu import cli

    with pytest.raises(SystemExit) as stop:  # argparse: one line of usage, one line of error, exit status 2
        cli.main(["grade", str(tmp_path), "--out", str(tmp_path / "g.csv"), "--jobs", jobs])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err
