"""The quiz widgets, driven as a learner would: set an answer, click Check, read the feedback and score."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quiz_support import make_seeds

import il2edu
from il2edu import progress
from il2edu.activities.quiz import widgets


@pytest.fixture
def seeds(tmp_path, monkeypatch, il2edu_home):
    root = make_seeds(tmp_path)
    monkeypatch.setenv("IL2EDU_SEEDS", str(root))
    return root


@pytest.fixture
def quiz(seeds):
    return il2edu.quiz("01-meet-il2")


def click_check(question, answer):
    question.set_answer(answer)
    question.check_button.click()
    return question.feedback_text


def classes(widget):
    return set(widget._dom_classes)


def test_quiz_has_the_classes_and_leaves_out_inline_questions(quiz):
    assert "il2edu-quiz" in classes(quiz)
    ids = [q.qid for q in quiz.questions]
    assert ids == ["01-zz-single", "01-zz-multiple", "01-zz-numeric", "01-zz-truefalse", "01-zz-ordering"]
    assert all("il2edu-question" in classes(q) for q in quiz.questions)
    assert quiz.score_label.value == "<b>Score: 0 of 5 correct (0 on the first try).</b>"


def test_correct_answers_raise_the_score_and_show_the_explanation_with_citations(quiz):
    q = quiz.question("01-zz-single")
    assert click_check(q, "T cells") == "Correct."
    assert {"il2edu-feedback", "il2edu-correct"} <= classes(q.feedback)
    assert "T cells grew in conditioned medium." in q.explanation.value
    assert "Morgan DA, Ruscetti FW, Gallo R (1976)" in q.explanation.value
    assert quiz.score_text == "Score: 1 of 5 correct (1 on the first try)."
    assert click_check(quiz.question("01-zz-multiple"), ["CD25", "CD122", "CD132"]).startswith("Correct")
    assert click_check(quiz.question("01-zz-numeric"), "4.2x10^1 MIU") == "Correct: 42 MIU."
    assert click_check(quiz.question("01-zz-truefalse"), True) == "Correct: the statement is true."
    order = ["Described as T-cell growth factor", "cDNA cloned", "First US approval"]
    assert click_check(quiz.question("01-zz-ordering"), order) == "Correct: that is the right order."
    assert quiz.score_text == "Score: 5 of 5 correct (5 on the first try)."
    assert "Score: 5 of 5 correct" in quiz.score_label.value


def test_wrong_answer_feedback_in_words_and_per_choice(quiz):
    q = quiz.question("01-zz-single")
    text = click_check(q, "B cells")
    assert text == "Not quite: that is not the best answer. Not B cells."
    assert {"il2edu-feedback", "il2edu-incorrect"} <= classes(q.feedback)
    assert "il2edu-correct" not in classes(q.feedback)
    assert q.explanation.value == ""  # the explanation waits for a right answer or "Show answer"
    assert click_check(quiz.question("01-zz-multiple"), ["CD25", "CD19"]) == (
        "Not quite: 1 of 3 right answers ticked, plus 1 that is not right. CD19 marks B cells.")


def test_show_answer_appears_after_two_wrong_tries_and_retries_are_unlimited(quiz):
    q = quiz.question("01-zz-numeric")
    assert q.answer_button.layout.display == "none"
    click_check(q, "40")
    assert q.answer_button.layout.display == "none"
    assert click_check(q, "42000") == "Not quite: your answer is 1,000 times too large; check the units and the powers of ten."
    assert q.answer_button.layout.display is None
    for _ in range(5):
        assert click_check(q, "1").startswith("Not quite")
    q.answer_button.click()
    assert q.feedback_text == "The answer: 42 MIU."
    assert "0.6 MIU/kg times 70 kg." in q.explanation.value
    assert q.answer_button.layout.display == "none"
    assert click_check(q, "42") == "Correct: 42 MIU."  # still allowed after a reveal
    assert quiz.score_text == "Score: 1 of 5 correct (0 on the first try)."


def test_bad_input_gets_one_line_and_is_not_counted(quiz):
    q = quiz.question("01-zz-numeric")
    for text, expected in [("", "Type an answer first."), ("abc", "That is not a number we can read"),
                           ("1e999", "too large to check"), ("nan", "not a finite number"),
                           ("MIU 42", "Put the unit after the number")]:
        shown = click_check(q, text)
        assert expected in shown and "Traceback" not in shown, text
        assert "il2edu-invalid" in classes(q.feedback)
    assert q.tries == 0 and q.answer_button.layout.display == "none"
    assert progress.store().rows() == []
    unanswered = quiz.question("01-zz-single")
    unanswered.check_button.click()
    assert unanswered.feedback_text == "Choose an answer first."


def test_every_attempt_and_reveal_is_recorded(quiz):
    q = quiz.question("01-zz-single")
    click_check(q, "B cells")
    click_check(q, "Red blood cells")
    q.answer_button.click()
    click_check(q, "T cells")
    rows = progress.store().rows()
    assert [(r["lesson"], r["item_id"], r["kind"], r["answer"], r["correct"]) for r in rows] == [
        ("01-meet-il2", "01-zz-single", "quiz", "B cells", 0),
        ("01-meet-il2", "01-zz-single", "quiz", "Red blood cells", 0),
        ("01-meet-il2", "01-zz-single", "reveal", "", 0),
        ("01-meet-il2", "01-zz-single", "quiz", "T cells", 1),
    ]


def test_ordering_with_the_move_buttons(quiz):
    q = quiz.question("01-zz-ordering")
    q.set_answer(["cDNA cloned", "Described as T-cell growth factor", "First US approval"])
    q.listbox.value = 0  # select "Described as T-cell growth factor" (item 0), now in second place
    q.up.click()
    assert [label for label, _ in q.listbox.options] == [
        "1. Described as T-cell growth factor", "2. cDNA cloned", "3. First US approval"]
    q.check_button.click()
    assert q.feedback_text == "Correct: that is the right order."


def test_choice_order_is_shuffled_stably_per_learner(seeds):
    first = il2edu.quiz("01-meet-il2").question("01-zz-multiple")
    again = il2edu.quiz("01-meet-il2").question("01-zz-multiple")
    assert [b.description for b in first.boxes] == [b.description for b in again.boxes]
    orders = {tuple(widgets.shuffled(list(range(6)), "01-zz-multiple", f"learner{i}")) for i in range(20)}
    assert len(orders) > 5  # different learners see different orders


def test_single_question_inside_a_lesson(seeds):
    q = il2edu.question("01-zz-inline")
    assert "il2edu-question" in classes(q)
    assert click_check(q, False) == "Correct: the statement is false."
    assert progress.store().rows()[0]["item_id"] == "01-zz-inline"


def test_unknown_lesson_or_question_gives_one_line(seeds):
    note = il2edu.quiz("77-nothing")
    assert repr(note) == "This quiz cannot be shown: seeds/quizzes/77-nothing.yaml: no quiz bank for lesson '77-nothing'"
    assert 'class="il2edu-error"' in note._repr_html_()
    assert "no question with this id" in repr(il2edu.question("01-nope"))


def test_quiz_is_callable_after_its_submodules_are_imported(seeds):
    import il2edu.activities.quiz.bank  # noqa: F401  (sets the il2edu.quiz attribute to the package)
    import il2edu.progress  # noqa: F401

    assert "il2edu-quiz" in classes(il2edu.quiz("01-meet-il2"))
    assert "No quiz answers" in repr(il2edu.progress())


def test_start_here_bank_has_three_types_and_a_working_quiz(il2edu_home):
    quiz = il2edu.quiz("00-start-here")
    assert len({q.kind for q in quiz.questions}) == 3 == len(quiz.questions)
    q = quiz.question("00-high-dose")
    assert click_check(q, "42 MIU") == "Correct: 42 MIU."
    assert "Sources:" in q.explanation.value


def test_a_bug_in_checking_shows_one_line_not_a_traceback(quiz, monkeypatch):
    q = quiz.question("01-zz-truefalse")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(progress, "record", broken)
    q.set_answer(True)
    q.check_button.click()
    assert q.feedback_text == "Sorry, this answer could not be checked (RuntimeError); please tell your instructor."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_any_typed_text_gets_one_line_of_feedback(quiz, text):
    q = quiz.question("01-zz-numeric")
    shown = click_check(q, text)
    assert shown and "\n" not in shown and "Traceback" not in shown
    assert shown.startswith(("Correct", "Not quite")) or "il2edu-invalid" in classes(q.feedback)


def test_a_fold_change_typed_as_100x_is_marked_correct(il2edu_home):
    # The real lesson 02 question: learners write fold changes as 100x or 100-fold as often as 100.
    q = il2edu.question("02-fold-gain")
    assert click_check(q, "100x").startswith("Correct")
    assert click_check(q, "10-fold").startswith("Not quite")


def test_a_learner_who_comes_back_sees_what_they_had_answered(quiz):
    assert click_check(quiz.question("01-zz-numeric"), "42").startswith("Correct")
    assert click_check(quiz.question("01-zz-truefalse"), False).startswith("Not quite")
    later = il2edu.quiz("01-meet-il2")  # the lesson opened again, e.g. the next day
    assert later.score_text == (
        "Score: 0 of 5 correct (0 on the first try). Saved from earlier attempts: 1 of 5 correct."
    )
    assert click_check(later.question("01-zz-numeric"), "42").startswith("Correct")
    assert later.score_text.startswith("Score: 1 of 5 correct (1 on the first try). Saved from earlier")
