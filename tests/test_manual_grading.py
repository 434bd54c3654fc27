"""Hand-graded answers (exercise type `manual`): the capstone's written defence.

The answer is a Markdown cell holding `<!-- manual: <exercise-id> -->`; stamp gives it nbgrader's
"manually graded answer" metadata, and `il2edu grade` lists it for the instructor instead of scoring it.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import il2edu
from il2edu.instructor import stamp
from instructor_helpers import nbgrader_problems

REPO = Path(__file__).resolve().parent.parent
CAPSTONE = REPO / "notebooks" / "09_capstone.ipynb"


def test_capstone_defence_cell_is_an_nbgrader_manual_answer():
    nb = nbformat.read(CAPSTONE, as_version=4)
    cells = [c for c in nb.cells if "<!-- manual: 09-defence -->" in c.source]
    assert len(cells) == 1 and cells[0].cell_type == "markdown"
    assert cells[0].metadata["nbgrader"] == {"grade": True, "solution": True, "locked": False, "points": 10,
                                             "grade_id": "09-defence", "schema_version": 3}
    assert nbgrader_problems(nb) == []


def test_stamp_reports_a_manual_exercise_without_answer_cell_and_a_stray_marker():
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "<!-- manual: 09-other -->\nMy answer"}]}
    bank = {"09-defence": {"id": "09-defence", "type": "manual", "points": 10}}
    _, problems = stamp.expected_metadata(nb, bank)
    assert ("cell 0 marks a hand-graded answer for '09-other', which is not an exercise of type manual in the "
            "lesson's exercise bank") in problems
    assert "exercise '09-defence' is graded by hand but no Markdown cell holds <!-- manual: 09-defence -->" in problems


def test_check_on_a_manual_exercise_says_it_is_graded_by_hand(il2edu_home):
    result = il2edu.check("09-defence", "my essay")
    assert result.message.startswith("Not attempted yet: this exercise is graded by your instructor")
    assert not result.correct


@pytest.mark.slow
def test_grade_lists_the_defence_for_the_instructor(tmp_path):
    sub = tmp_path / "submissions" / "answer-key"
    sub.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "IL2EDU_STRICT_CHECKS"}
    subprocess.run([sys.executable, "-m", "il2edu.cli", "key", str(CAPSTONE), "--out", str(sub)],  # the solved key
                   cwd=tmp_path, env=env, check=True, capture_output=True, text=True, timeout=120)
    subprocess.run([sys.executable, "-m", "il2edu.cli", "grade", str(sub), "--out", str(tmp_path / "grades.csv")],
                   cwd=tmp_path, env=env, check=True, capture_output=True, text=True, timeout=600)
    with (tmp_path / "grades.csv").open(newline="") as fh:
        rows = {r["item"]: r for r in csv.DictReader(fh) if r["kind"] == "exercise"}
    defence = rows["09-defence"]
    assert (defence["points"], defence["max_points"], defence["status"]) == ("0", "10", "to grade by hand")
    assert rows["09-dose-miu-per-day"]["status"] == "correct" and rows["09-mean-treg-response"]["status"] == "correct"
    feedback = (tmp_path / "feedback" / "answer-key.md").read_text()
    assert "to grade by hand" in feedback
