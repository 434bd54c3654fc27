"""il2edu.check: a message for every kind of answer, never an exception, and a progress row for real tries."""

from __future__ import annotations

import numpy as np
import pytest
from quiz_support import make_seeds

import il2edu
from il2edu import progress


@pytest.fixture(autouse=True)
def seeds(tmp_path, monkeypatch, il2edu_home):
    root = make_seeds(tmp_path)
    monkeypatch.setenv("IL2EDU_SEEDS", str(root))
    return root


def rows():
    return [(r["item_id"], r["kind"], r["answer"], r["correct"], r["points"], r["max_points"])
            for r in progress.store().rows()]


def test_correct_value():
    result = il2edu.check("01-zz-dose", 0.6 * 70)
    assert result.message == "Correct: 42 MIU is within tolerance. (2 of 2 points)"
    assert 'class="il2edu-check il2edu-correct"' in result._repr_html_()
    assert rows() == [("01-zz-dose", "exercise", "42.0", 1, 2.0, 2.0)]


def test_wrong_values_get_the_matching_hint():
    assert il2edu.check("01-zz-dose", 50.4).message == (
        "Not quite: 50.4 MIU is not within tolerance. Hint: Did you use 720,000 IU/kg? (0 of 2 points)")
    assert "Hint: Check the weight, 70 kg." in il2edu.check("01-zz-dose", 30).message
    slip = il2edu.check("01-zz-dose", 42e6).message
    assert "1,000,000 times too large" in slip
    assert "Otherwise: Did you use 720,000 IU/kg?" in slip  # the author's hint for that direction too
    html = il2edu.check("01-zz-dose", 30)._repr_html_()
    assert 'class="il2edu-check il2edu-incorrect"' in html
    assert [r[3] for r in rows()] == [0, 0, 0, 0]


@pytest.mark.parametrize("stub", [..., None])
def test_stub_value_is_not_attempted_and_not_recorded(stub):
    result = il2edu.check("01-zz-dose", stub)
    assert result.message.startswith("Not attempted yet")
    assert "il2edu-not_attempted" in result._repr_html_()
    assert rows() == []


def test_function_stub_that_raises_not_implemented():
    def dose_miu(weight_kg):
        raise NotImplementedError

    result = il2edu.check("01-zz-function", dose_miu)
    assert result.message == "Not attempted yet: dose_miu still raises NotImplementedError."
    assert rows() == []


def test_function_that_returns_none_is_a_stub():
    def dose_miu(weight_kg):
        ...

    assert il2edu.check("01-zz-function", dose_miu).message.startswith("Not attempted yet")


def test_correct_function_and_a_wrong_one():
    assert il2edu.check("01-zz-function", lambda kg: 0.6 * kg).message == (
        "Correct: <lambda> gives the expected result in all 2 cases. (3 of 3 points)")

    def dose_miu(weight_kg):
        return 0.6 * 70

    assert il2edu.check("01-zz-function", dose_miu).message.startswith("Not quite: 42 for dose_miu(50) is not within")


def test_function_that_raises_gets_one_line():
    def dose_miu(weight_kg):
        return weight_kg / 0

    result = il2edu.check("01-zz-function", dose_miu)
    assert result.message == "Not quite: dose_miu(70) raised ZeroDivisionError: division by zero. (0 of 3 points)"


@pytest.mark.parametrize("value, expected", [
    ("42", "Not quite: expected a number, but got text ('42')."),
    ([42], "Not quite: expected a number, but got a list."),
    (True, "Not quite: expected a number, but got a bool."),
    (float("nan"), "Not quite: the result is nan, not a finite number."),
])
def test_value_of_the_wrong_type(value, expected):
    result = il2edu.check("01-zz-dose", value)
    assert result.message.startswith(expected)
    assert rows()[-1][3] == 0


def test_numpy_values_are_numbers():
    assert il2edu.check("01-zz-dose", np.float64(42.1)).correct
    assert il2edu.check("01-zz-dose", np.array(42.0)).correct


def test_a_number_where_a_function_is_expected():
    assert il2edu.check("01-zz-function", 42).message.startswith("Not quite: expected a function")


def test_text_answers_ignore_case_and_spaces_and_may_be_fingerprinted():
    assert il2edu.check("01-zz-word", "  t-cell   Growth factor ").correct
    assert il2edu.check("01-zz-word", "interleukin").message == (
        "Not quite. Hint: Three words; the cells it made grow. (0 of 1 point)")
    assert il2edu.check("01-zz-hashed", "T-cell growth factor").correct
    assert not il2edu.check("01-zz-hashed", "B-cell growth factor").correct
    assert il2edu.check("01-zz-word", 7).message.startswith("Not quite: expected text")


def test_unknown_exercise_is_one_line():
    result = il2edu.check("01-nope", 1)
    assert result.message == "This exercise cannot be checked: seeds/exercises: entry '01-nope': no exercise with this id"
    assert rows() == []


def test_strict_mode_raises_on_wrong_answers_for_nbgrader(monkeypatch):
    """With IL2EDU_STRICT_CHECKS=1 a wrong or missing answer fails its cell, so nbgrader withholds the points."""
    monkeypatch.setenv("IL2EDU_STRICT_CHECKS", "1")
    assert il2edu.check("01-zz-dose", 42).correct
    with pytest.raises(AssertionError, match="Not quite: 30 MIU is not within tolerance"):
        il2edu.check("01-zz-dose", 30)
    with pytest.raises(AssertionError, match="Not attempted yet"):
        il2edu.check("01-zz-dose", ...)
    monkeypatch.setenv("IL2EDU_STRICT_CHECKS", "0")
    assert not il2edu.check("01-zz-dose", 30).correct  # off again: never raises
