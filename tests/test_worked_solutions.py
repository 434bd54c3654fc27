"""Worked solutions on request: offered after a real attempt, shown from seeds/exercises/, saved as kind
'solution', listed by il2edu.progress() and the export, and never offered in a copy made for assessment."""

from __future__ import annotations

import pytest

import il2edu
from il2edu import activities, progress
from il2edu.activities import exercises
from il2edu.instructor import common, grade, release
from instructor_helpers import REPO


@pytest.fixture(autouse=True)
def self_study(il2edu_home, monkeypatch):
    monkeypatch.delenv(activities.ASSESS_ENV, raising=False)
    activities.assessment(False)
    yield
    activities.assessment(False)


def offered(result):
    """The widget a learner sees under the check's message, or None."""
    bundle = result._repr_mimebundle_()
    assert bundle["text/plain"] == result.message  # what nbval and graders read is unchanged
    return getattr(result, "widget", None) if "application/vnd.jupyter.widget-view+json" in bundle else None


def test_a_wrong_attempt_offers_the_worked_solution_and_the_reveal_is_saved(tmp_path):
    result = il2edu.check("02-kd-from-rates", 100.0)  # 10 times too large
    assert result.message.startswith("Not quite")
    shown = offered(result)
    assert shown is not None and shown.button.description == "Show a worked solution"
    assert shown.text == ""  # nothing shown before the learner asks
    shown.button.click()
    entry = exercises.all_exercises()["02-kd-from-rates"][1]
    assert shown.text.startswith("Worked solution. " + entry["reasoning"])
    assert "kd_pM = k_off / k_on * 1e12" in shown.text and shown.button.layout.display == "none"
    shown.button.click()  # a second press saves nothing more
    assert [(r["item_id"], r["kind"]) for r in progress.store().rows()] == [
        ("02-kd-from-rates", "exercise"), ("02-kd-from-rates", "solution")]
    [row] = il2edu.progress().table_rows()
    assert (row[0], row[2], row[3].split()[0], row[-1]) == ("02-receptor", "0", "0", "1")
    assert "Worked solutions seen" in repr(il2edu.progress())
    progress.export(tmp_path / "mine.csv", progress.store().rows())
    assert ",02-receptor,02-kd-from-rates,solution,,0,0,0" in (tmp_path / "mine.csv").read_text()


def test_no_offer_before_a_first_attempt_or_for_an_unknown_exercise():
    assert offered(il2edu.check("02-kd-from-rates", ...)) is None
    assert offered(il2edu.check("02-no-such-exercise", 1)) is None
    assert progress.store().rows() == []


def test_a_right_answer_may_compare_with_the_worked_solution():
    result = il2edu.check("02-kd-from-rates", 10.0)
    assert result.correct and offered(result) is not None


def test_assessment_mode_turns_the_offer_off(monkeypatch):
    note = activities.assessment()
    assert repr(note).startswith("This copy is an assessment")
    result = il2edu.check("02-kd-from-rates", 100.0)
    assert result.message.startswith("Not quite") and offered(result) is None
    activities.assessment(False)
    monkeypatch.setenv(activities.ASSESS_ENV, "1")
    assert offered(il2edu.check("02-kd-from-rates", 100.0)) is None


def test_release_for_assessment_puts_a_locked_assessment_cell_first(tmp_path):
    path = REPO / "notebooks" / "02_receptor.ipynb"
    manifest = release.release([path], tmp_path / "exam", assess=True)
    assert manifest["assess"] is True
    cells = common.read_notebook(tmp_path / "exam" / path.name)["cells"]
    [cell] = [c for c in cells if common.source(c) == release.ASSESS_SOURCE]
    assert cells.index(cell) == 1 and cell["metadata"]["editable"] is False
    exec(release.ASSESS_SOURCE, {})  # what the learner's kernel runs first
    assert offered(il2edu.check("02-kd-from-rates", 100.0)) is None
    plain = release.release([path], tmp_path / "study")
    assert plain["assess"] is False
    assert not any(common.source(c) == release.ASSESS_SOURCE
                   for c in common.read_notebook(tmp_path / "study" / path.name)["cells"])


def test_grading_reads_an_export_with_the_new_kinds(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "progress.csv").write_text(
        "time,lesson,item_id,kind,answer,correct,points,max_points\n"
        "2026-01-01T10:00:00Z,02-receptor,02-kd-from-rates,solution,,0,0,0\n"
        "2026-01-01T10:01:00Z,02-receptor,07-x,prediction,higher,0,0,0\n"
        "2026-01-01T10:02:00Z,02-receptor,02-trimer-affinity,quiz,About 10 pM,1,1,1\n")
    rows, files = grade.quiz_attempts(folder)
    assert files == ["progress.csv"] and [r["kind"] for r in rows] == ["quiz"]
    from il2edu.activities.quiz.bank import all_questions

    # the grader judges the recorded answer again with the bank (it never trusts the `correct` column)
    assert grade.quiz_status(rows, all_questions()["02-trimer-affinity"][1]) == "correct"
