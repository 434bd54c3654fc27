"""Stated lesson times are honest: within 20% of reading (130 words/min) plus activity time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from il2edu import course

REPO = Path(__file__).resolve().parent.parent
ROWS = course.time_table()


def notebook(tmp_path, *cells):
    nb = {"cells": [{"cell_type": t, "metadata": {}, "source": s} for t, s in cells], "metadata": {}, "nbformat": 4,
          "nbformat_minor": 5}
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_every_lesson_is_measured():
    assert {r["notebook"] for r in ROWS} == {p.name for p in (REPO / "notebooks").glob("*.ipynb")}


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_stated_time_is_within_20_percent_of_the_estimate(row):
    assert row["stated"] == row["listed"], "notebook and seeds/lessons.yaml state different times"
    assert abs(row["stated"] - row["minutes"]) <= 0.2 * row["minutes"], (
        f"{row['notebook']} states {row['stated']} min; reading plus activities come to {row['minutes']:.0f} min "
        f"({row['activities']}); update the notebook, seeds/lessons.yaml and README (python -m il2edu.course)")


def test_estimate_counts_reading_and_each_activity_by_its_call(tmp_path):
    words = " ".join(["word"] * 260)  # two minutes of reading
    path = notebook(
        tmp_path,
        ("markdown", "# Title\n\n**Estimated time:** 9 minutes"),
        ("markdown", words),
        ("code", 'il2edu.predict("x-1")'),
        ("code", 'il2edu.check("x-2", answer)'),
        ("code", "il2edu.explorers.binding()"),
        ("code", 'il2edu.write("x-3")'),
        ("markdown", "**Think.** Why?"),
        ("code", "1 + 1"),
    )
    est = course.time_estimate(path)
    assert est["activities"] == {"prediction": 1, "exercise": 1, "explorer": 1, "written": 1, "think": 1, "cell": 1}
    assert est["minutes"] == pytest.approx(2 + 1 + 3 + 3 + 3 + 1 + 0.5, abs=0.1)
    assert course.stated_minutes(path) == 9


def test_a_lesson_quiz_counts_the_questions_it_shows():
    bank = course.content.read_yaml(course.content._root(None) / "quizzes" / "02-receptor.yaml")
    shown = [q for q in bank["questions"] if not q.get("inline")]
    assert course._quiz_size("02-receptor") == len(shown) > 0


def test_longest_prose_stretch_ends_at_an_activity(tmp_path):
    path = notebook(
        tmp_path,
        ("markdown", " ".join(["a"] * 100)),
        ("code", 'il2edu.question("q")'),
        ("markdown", " ".join(["b"] * 150)),
        ("markdown", " ".join(["c"] * 60) + "\n\n**Think.** " + " ".join(["d"] * 10)),
    )
    assert course.time_estimate(path)["longest_prose"] == 210


# Every lesson keeps its prose stretches to about 250 words before an activity (issues 15-16).
@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_no_prose_stretch_runs_over_250_words(row):
    assert row["longest_prose"] <= 250, f"{row['id']}: {row['longest_prose']} words of prose without an activity"
