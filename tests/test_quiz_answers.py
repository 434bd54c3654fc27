"""Answer checking, per question type, and the numeric parser (including property tests)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from il2edu.activities.quiz import answers
from il2edu.activities.quiz.answers import AnswerError, grade, parse_number

SINGLE = {
    "id": "01-s", "type": "single",
    "choices": [{"text": "T cells", "correct": True}, {"text": "B cells", "feedback": "Not B cells."},
                {"text": "Red cells"}],
}
MULTIPLE = {
    "id": "01-m", "type": "multiple",
    "choices": [{"text": "CD25", "correct": True}, {"text": "CD122", "correct": True},
                {"text": "CD132", "correct": True}, {"text": "CD19", "feedback": "CD19 marks B cells."}],
}
NUMERIC = {"id": "01-n", "type": "numeric", "answer": 42, "unit": "MIU", "tolerance": {"relative": 0.02}}
TRUEFALSE = {"id": "01-t", "type": "truefalse", "answer": False}
ORDERING = {"id": "01-o", "type": "ordering", "items": ["first", "second", "third", "fourth"]}


# -- numbers -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("0.001", 0.001), ("1e-3", 0.001), ("1E-3", 0.001), ("1,000", 1000), ("1 000", 1000),
    ("1,000,000", 1e6), ("10^4", 1e4), ("10^-3", 1e-3), ("1.5x10^3", 1500), ("1.5 x 10^3", 1500),
    ("1.5×10^3", 1500), ("1.5*10^3", 1500), ("1.5×10⁻³", 0.0015), ("10⁴", 1e4), ("−2.5", -2.5),
    (".5", 0.5), ("42", 42), ("+42", 42), (" 42 ", 42), ("4.2e1", 42),
])
def test_parser_reads_the_forms_learners_type(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["61 µg", "61µg", "61 μg", "61 ug", "61ug", "6.1x10^1 µg"])
def test_parser_accepts_the_unit_after_the_number(text):
    assert parse_number(text, unit="µg") == pytest.approx(61)


@pytest.mark.parametrize("text", ["100", "100 fold", "100-fold", "100fold", "100x", "100 x", "100×", "100 times",
                                  "1x10^2", "1e2-fold"])
def test_a_fold_change_reads_as_learners_write_it(text):
    assert parse_number(text, unit="fold") == pytest.approx(100)


def test_fold_synonyms_do_not_leak_into_other_units():
    with pytest.raises(AnswerError, match="Give the answer in µg: 'x' is not the unit asked for"):
        parse_number("100x", unit="µg")


@pytest.mark.parametrize("text, message", [
    ("", "Type an answer first."),
    ("   ", "Type an answer first."),
    ("abc", "That is not a number we can read"),
    ("1e999", "That number is too large to check"),
    ("10^99999999", "far too large"),
    ("nan", "That is not a finite number"),
    ("inf", "That is not a finite number"),
    ("1,5", "Use a point for decimals"),
    ("µg 61", "Put the unit after the number"),
    ("61 mg", "Give the answer in µg: 'mg' is not the unit asked for."),
    ("1.2.3", "That is not a number we can read"),
    ("1,00", "Use a point for decimals"),
])
def test_parser_explains_unreadable_answers_in_one_line(text, message):
    with pytest.raises(AnswerError) as err:
        parse_number(text, unit="µg")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_unit_given_where_none_is_asked():
    with pytest.raises(AnswerError, match="without a unit"):
        parse_number("42 kg")


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60), st.sampled_from([None, "µg", "MIU", "%", "pM"]))
def test_parser_never_raises_anything_but_answer_error(text, unit):
    try:
        value = parse_number(text, unit)
    except AnswerError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert math.isfinite(value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 ,.eEx^*+-−×⁻¹²³µgMIU", max_size=25))
def test_parser_on_number_like_text_never_raises_anything_else(text):
    try:
        assert math.isfinite(parse_number(text, "MIU"))
    except AnswerError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_parser_reads_back_any_printed_float(x):
    assert parse_number(repr(x)) == x
    assert parse_number(f"{x:e}") == pytest.approx(x, rel=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_parser_reads_thousands_separators(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n


# -- numeric grading ---------------------------------------------------------------------------------------

def test_numeric_within_relative_tolerance():
    assert grade(NUMERIC, "42").status == "correct"
    assert grade(NUMERIC, "42.8 MIU").status == "correct"  # 1.9% off
    assert grade(NUMERIC, "43").status == "incorrect"  # 2.4% off
    assert grade(NUMERIC, "42").message == "Correct: 42 MIU."


def test_numeric_absolute_tolerance():
    q = {**NUMERIC, "tolerance": {"absolute": 0.5}}
    assert grade(q, "42.5").correct
    assert not grade(q, "42.6").correct


def test_numeric_says_when_off_by_an_order_of_magnitude():
    slip = grade(NUMERIC, "42000000")
    assert slip.status == "incorrect"
    assert slip.message == ("Not quite: your answer is 1,000,000 times too large; check the units and the powers "
                            "of ten.")
    assert "1,000 times too small" in grade(NUMERIC, "0.042").message
    assert "times too" not in grade(NUMERIC, "50").message


def test_numeric_bad_input_is_invalid_not_a_try():
    for text in ["", "abc", "1e999", "nan", "MIU 42"]:
        result = grade(NUMERIC, text)
        assert result.status == "invalid" and not result.counts, text


# -- other types -------------------------------------------------------------------------------------------

def test_single_choice_with_per_choice_feedback():
    assert grade(SINGLE, "T cells").message == "Correct."
    wrong = grade(SINGLE, 1)
    assert wrong.status == "incorrect" and wrong.message.startswith("Not quite")
    assert wrong.notes == ["Not B cells."]
    assert grade(SINGLE, None).status == "invalid"
    assert grade(SINGLE, "Plasma cells").status == "invalid"


def test_multiple_is_correct_only_when_exactly_right():
    assert grade(MULTIPLE, [0, 1, 2]).correct
    assert grade(MULTIPLE, ["CD25", "CD122"]).message == "Not quite: 2 of 3 right answers ticked."
    over = grade(MULTIPLE, [0, 1, 2, 3])
    assert over.message == "Not quite: 3 of 3 right answers ticked, plus 1 that is not right."
    assert over.notes == ["CD19 marks B cells."]
    assert grade(MULTIPLE, []).status == "invalid"


def test_truefalse():
    assert grade(TRUEFALSE, False).message == "Correct: the statement is false."
    assert grade(TRUEFALSE, True).message == "Not quite: the statement is not true."
    assert grade(TRUEFALSE, "false").correct
    assert grade(TRUEFALSE, None).status == "invalid"


def test_ordering_counts_items_in_place():
    assert grade(ORDERING, [0, 1, 2, 3]).message == "Correct: that is the right order."
    assert grade(ORDERING, ["second", "first", "third", "fourth"]).message == "Not quite: 2 of 4 in the right place."
    assert grade(ORDERING, [0, 0, 1, 2]).status == "invalid"
    assert grade(ORDERING, None).status == "invalid"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                 st.lists(st.one_of(st.integers(-3, 6), st.text(max_size=5)), max_size=6), st.floats()))
def test_no_answer_of_any_shape_makes_any_grader_raise(answer):
    for q in (SINGLE, MULTIPLE, NUMERIC, TRUEFALSE, ORDERING):
        result = grade(q, answer)
        assert result.status in ("correct", "incorrect", "invalid")
        assert result.message.split(":")[0].split(".")[0] and "\n" not in result.message


def test_answer_text_is_readable():
    assert answers.answer_text(SINGLE, 1) == "B cells"
    assert answers.answer_text(MULTIPLE, [2, 0]) == "CD25 | CD132"
    assert answers.answer_text(ORDERING, [1, 0, 2, 3]) == "second → first → third → fourth"
    assert answers.format_answer(NUMERIC) == "42 MIU"
