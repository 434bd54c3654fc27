"""il2edu.review: which earlier questions a learner with a given saved history sees (a real SQLite progress
file under a throwaway IL2EDU_HOME), the feedback they read, what is saved, and that grading, the progress
table and the instructor's report never count a review answer as a quiz point."""

from __future__ import annotations

import sqlite3

import pytest

import il2edu
from il2edu import progress
from il2edu.activities import schedule
from il2edu.instructor import grade


def history(*rows):
    """Save rows (item, kind, correct) as the widgets would, oldest first, in the real progress file."""
    for item, kind, correct in rows:
        lesson = {"00": "00-start-here", "01": "01-meet-il2", "02": "02-receptor"}[item[:2]]
        answer = "" if kind == "reveal" else "an answer"
        progress.record(lesson, item, kind, answer, correct, float(correct and kind == "quiz"),
                        1.0 if kind in ("quiz", "reveal") else 0.0)


def reasons(shown):
    return [c.value.replace("<i>", "").replace("</i>", "") for c in shown.children
            if "il2edu-review-reason" in c._dom_classes]


def test_with_no_history_a_review_asks_the_previous_lessons_first_questions(il2edu_home):
    shown = il2edu.review("03")
    assert shown.ids == ["02-gammac-alone", "02-signalling-chains", "02-trimer-affinity"]
    assert reasons(shown) == ["From lesson 02: not answered yet."] * 3
    assert "il2edu-review" in shown._dom_classes
    assert shown.children[0].value.startswith("<b>Warm-up: 3 questions from earlier lessons.</b>")
    assert il2edu.review("02").ids == ["01-discovery-name", "01-mature-length", "01-fold"]


def test_missed_and_revealed_questions_come_first_then_the_longest_ago(il2edu_home):
    history(("01-fold", "quiz", True),          # box 2
            ("02-fold-gain", "quiz", False),    # box 1
            ("02-rates", "quiz", True),         # box 2, more recent than 01-fold
            ("02-nk-numbers", "reveal", False),  # box 1 (its answer was shown)
            ("01-fold", "review", True))        # box 3
    shown = il2edu.review("04")
    assert shown.ids == ["02-fold-gain", "02-nk-numbers", "02-rates"]
    assert reasons(shown) == [
        "From lesson 02: last time this one was missed or its answer shown, so it comes back first (box 1 of 5).",
        "From lesson 02: last time this one was missed or its answer shown, so it comes back first (box 1 of 5).",
        "From lesson 02: right once in a row so far (box 2 of 5)."]
    assert il2edu.review("04").ids == shown.ids  # the same history, the same questions
    # a lesson-02 review draws only on lessons 00 and 01: the one seen question, then the newest unseen ones
    assert il2edu.review("02").ids == ["01-fold", "01-discovery-name", "01-mature-length"]
    assert reasons(il2edu.review("02"))[0] == "From lesson 01: right 2 times in a row so far (box 3 of 5)."


def test_a_review_answer_is_judged_like_the_quiz_saved_as_review_and_moves_the_question(il2edu_home, tmp_path):
    history(("02-fold-gain", "quiz", False), ("02-rates", "quiz", True))
    shown = il2edu.review("03")
    assert shown.ids[:2] == ["02-fold-gain", "02-rates"]
    fold = shown.question("02-fold-gain")
    fold.set_answer("10")
    fold.check_button.click()
    assert fold.feedback_text.startswith("Not quite")
    assert "il2edu-incorrect" in fold.feedback._dom_classes
    fold.set_answer("100")
    fold.check_button.click()
    assert fold.feedback_text.startswith("Correct")
    assert "CD25 makes the receptor about 100-fold more sensitive" in fold.explanation.value
    rows = [(r["lesson"], r["item_id"], r["kind"], r["answer"], r["correct"], r["points"], r["max_points"])
            for r in progress.store().rows() if r["kind"] == "review"]
    assert rows == [("02-receptor", "02-fold-gain", "review", "10", 0, 0.0, 0.0),
                    ("02-receptor", "02-fold-gain", "review", "100", 1, 0.0, 0.0)]
    # wrong then right in the review: box 1, then box 2, answered after 02-rates, so 02-rates comes first now
    assert il2edu.review("03").ids[:2] == ["02-rates", "02-fold-gain"]
    progress.export(tmp_path / "mine.csv", progress.store().rows())
    assert ",02-receptor,02-fold-gain,review,100,1,0,0" in (tmp_path / "mine.csv").read_text()


def test_show_answer_in_a_review_is_saved_as_review_and_sends_the_question_to_box_1(il2edu_home):
    history(("02-rates", "quiz", True))
    rates = il2edu.review("03").question("02-rates")
    for wrong in ("β and γc supply the fast capture; CD25 supplies the slow release", "γc supplies both"):
        rates.set_answer(wrong)
        rates.check_button.click()
    assert rates.feedback_text.startswith("Not quite") and "γc cannot bind IL-2 on its own" in rates.feedback_text
    assert rates.answer_button.layout.display is None  # offered after two wrong tries, as in the quiz
    rates.answer_button.click()
    assert rates.feedback_text.startswith("The answer: CD25 supplies the fast capture")
    assert [(r["kind"], r["answer"]) for r in progress.store().rows()][-1] == ("review", "")
    assert schedule.boxes(progress.store().rows())["02-rates"]["box"] == 1


def test_review_answers_never_count_as_quiz_points(il2edu_home, tmp_path):
    history(("02-rates", "quiz", False))
    shown = il2edu.review("03")
    rates = shown.question("02-rates")
    rates.set_answer("CD25 supplies the fast capture; β and γc supply the slow release")
    rates.check_button.click()
    assert rates.feedback_text.startswith("Correct")
    rows = progress.store().rows()
    # the progress table: one answered item in 02, first try wrong, 0 points (the quiz answer was wrong)
    summary = {r["lesson"]: r for r in progress.summarise(rows)}
    assert (summary["02-receptor"]["answered"], summary["02-receptor"]["first_try"],
            summary["02-receptor"]["score"]) == (1, 0, 0.0)
    # the grader reads the hand-in export: only the quiz row counts, so the question is still wrong
    folder = tmp_path / "alice"
    folder.mkdir()
    progress.export(folder / "progress.csv", rows)
    attempts, files = grade.quiz_attempts(folder)
    assert files == ["progress.csv"] and [r["kind"] for r in attempts] == ["quiz"]
    from il2edu.activities.quiz import bank

    _, question = bank.find_question("02-rates")
    assert grade.quiz_status([r for r in attempts if r["item_id"] == "02-rates"], question) == "incorrect"


def test_bad_lesson_names_give_one_line(il2edu_home):
    assert repr(il2edu.review("three")) == 'This review cannot be shown: \'three\' is not a lesson number such as "03".'
    assert repr(il2edu.review("00")).startswith("Nothing to review before lesson 00 yet")
    assert il2edu.review(3).ids == il2edu.review("03-signalling").ids == il2edu.review("03").ids


@pytest.mark.parametrize("rows, expected", [
    ([], {}),
    ([("q", "quiz", 1)], {"q": 2}),
    ([("q", "quiz", 1)] * 6, {"q": 5}),                      # the top box is 5
    ([("q", "quiz", 1), ("q", "quiz", 1), ("q", "quiz", 0)], {"q": 1}),
    ([("q", "quiz", 1), ("q", "reveal", 0)], {"q": 1}),
    ([("q", "exercise", 1), ("q", "prediction", 1)], {}),   # only quiz and review answers move a question
])
def test_leitner_boxes(rows, expected):
    got = schedule.boxes([{"item_id": i, "kind": k, "correct": c, "answer": "x"} for i, k, c in rows])
    assert {k: v["box"] for k, v in got.items()} == expected


def test_a_version_2_file_is_migrated_so_review_rows_can_be_saved(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    kinds = "'quiz', 'exercise', 'reveal', 'solution', 'prediction', 'written', 'conclusion'"
    with sqlite3.connect(folder / progress.FILENAME) as conn:
        conn.executescript(f"""CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,
            lesson TEXT NOT NULL, item_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            answer TEXT NOT NULL DEFAULT '', correct INTEGER NOT NULL DEFAULT 0, points REAL NOT NULL DEFAULT 0,
            max_points REAL NOT NULL DEFAULT 0);
            INSERT INTO attempts (time, lesson, item_id, kind, answer, correct, points, max_points)
            VALUES ('2026-01-01T00:00:00.000Z', '02-receptor', '02-rates', 'quiz', 'x', 0, 0, 1);
            PRAGMA user_version = 2;""")
    store = progress.Store(folder)
    store.record("02-receptor", "02-rates", "review", "y", True)
    assert store.warning is None and not store.in_memory
    assert [r["kind"] for r in store.rows()] == ["quiz", "review"]
    store.close()


def test_validate_reports_a_review_that_names_another_lesson(tmp_path):
    import json
    import shutil

    from il2edu import content
    from il2edu.activities import prompts

    seeds = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), seeds)
    (tmp_path / "notebooks").mkdir()
    for name, call in (("04_x.ipynb", 'il2edu.review("03")'), ("05_y.ipynb", 'il2edu.review("05")')):
        cell = {"cell_type": "code", "source": [call]}
        (tmp_path / "notebooks" / name).write_text(json.dumps({"cells": [cell]}))
    found = [(p.path, p.entry, p.message) for p in prompts.check_activities(seeds) if "review" in p.message]
    assert found == [("notebooks/04_x.ipynb", "03", 'il2edu.review should name this lesson, "04"')]


def test_the_instructors_report_counts_quiz_answers_not_review_answers(tmp_path):
    from il2edu.instructor import report

    def export(name, rows):
        folder = tmp_path / name
        folder.mkdir()
        progress.export(folder / "progress.csv", [
            {"time": f"2026-12-01T10:00:0{n}.000Z", "lesson": "02-receptor", "item_id": item, "kind": kind,
             "answer": answer, "correct": correct, "points": 0.0, "max_points": 0.0}
            for n, (item, kind, answer, correct) in enumerate(rows)])
        return folder

    right = "CD25 supplies the fast capture; β and γc supply the slow release"
    wrong = "γc supplies both"
    a = export("alice", [("02-rates", "quiz", wrong, 0), ("02-rates", "review", right, 1)])
    b = export("bob", [("02-rates", "review", right, 1), ("02-rates", "review", "", 0)])
    result = report.analyse([a, b])
    row = next(r for r in result["questions"] if r["question"] == "02-rates")
    assert (row["learners"], row["first_try_correct_rate"]) == (1, 0.0)  # alice's quiz try; bob did no quiz
    assert not any("02-rates" in m for m in result["messages"])
