"""The exercises of lessons 01-03 give the feedback a learner should see: right answers pass, typical
mistakes get the matching hint, and stubs are "not attempted yet". The expected values live in
seeds/exercises/; these tests use the notebooks' own solutions and the slips learners actually make."""

from __future__ import annotations

import il2edu
import pytest


def shown(exercise_id, value) -> str:
    return repr(il2edu.check(exercise_id, value))


# -- 01 Meet IL-2 ------------------------------------------------------------------------------------------


def test_01_secretion_hour(il2edu_home, monkeypatch):
    monkeypatch.setenv("IL2EDU_STUDENT", "learner-7")  # each learner has their own fold of the basal rate
    fold = il2edu.numbers("01-secretion-hour").fold
    assert shown("01-secretion-hour", 7.5 * fold * 3600).startswith("Correct")
    too_low = shown("01-secretion-hour", 7.5 * fold * 60)  # minutes instead of seconds
    assert too_low.startswith("Not quite") and "One hour is 3600 seconds, not 60" in too_low
    too_high = shown("01-secretion-hour", 7.5 * fold * 3600 * 3600)  # seconds twice
    assert too_high.startswith("Not quite") and "Did you multiply by 3600 more than once" in too_high
    assert shown("01-secretion-hour", ...).startswith("Not attempted yet")


def test_01_peak_gap_reads_the_measured_time_course(il2edu_home):
    assert shown("01-peak-gap", 7 - 1.5).startswith("Correct")
    assert shown("01-peak-gap", 6 - 2).startswith("Correct")  # the edges of the measured ranges also pass
    ending = shown("01-peak-gap", 22 - 0.5)  # the end of secretion against the memory cells' start
    assert ending.startswith("Not quite") and "not the end of secretion" in ending
    starts = shown("01-peak-gap", 1.5 - 0.5)  # the starts of secretion
    assert starts.startswith("Not quite") and "not the starts of secretion" in starts
    assert shown("01-peak-gap", ...).startswith("Not attempted yet")


def test_01_an_answer_of_the_wrong_kind_gets_one_line(il2edu_home):
    message = shown("01-peak-gap", "about five hours")
    assert message.startswith("Not quite") and "Traceback" not in message and "\n" not in message


# -- 02 The IL-2 receptor ----------------------------------------------------------------------------------


def test_02_occupancy_function(il2edu_home):
    def occupancy(c_pM, kd_pM):
        return c_pM / (c_pM + kd_pM)

    def divided_by_kd(c_pM, kd_pM):
        return c_pM / kd_pM

    assert shown("02-occupancy-function", occupancy).startswith("Correct")
    wrong = shown("02-occupancy-function", divided_by_kd)
    assert wrong.startswith("Not quite") and "Did you divide by Kd instead of by (C + Kd)?" in wrong

    def stub(c_pM, kd_pM):
        raise NotImplementedError

    assert shown("02-occupancy-function", stub).startswith("Not attempted yet")


def test_02_occupancy_treg(il2edu_home):
    assert shown("02-occupancy-treg", 30 / (30 + 10)).startswith("Correct")
    wrong = shown("02-occupancy-treg", 30 / (30 + 1000))  # the NK cell's Kd
    assert wrong.startswith("Not quite") and "A Treg has the trimer, Kd ≈ 10 pM" in wrong


def test_02_occupancy_nk(il2edu_home):
    assert shown("02-occupancy-nk", 30 / (30 + 1000)).startswith("Correct")
    wrong = shown("02-occupancy-nk", 30 / (30 + 10))  # the Treg's Kd
    assert wrong.startswith("Not quite") and "Did you use the trimer's Kd (10 pM)?" in wrong
    text = shown("02-occupancy-nk", "0.03")
    assert text.startswith("Not quite") and "expected a number" in text


def test_02_kd_from_rates(il2edu_home):
    assert shown("02-kd-from-rates", 1e-4 / 1e7 * 1e12).startswith("Correct")
    in_molar = shown("02-kd-from-rates", 1e-4 / 1e7)  # forgot to convert M to pM
    assert in_molar.startswith("Not quite") and "times too small" in in_molar
    wrong = shown("02-kd-from-rates", 25)
    assert wrong.startswith("Not quite") and "Check the conversion to pM" in wrong


# -- 03 Signalling -----------------------------------------------------------------------------------------


def test_03_surface_after_hour(il2edu_home):
    assert shown("03-surface-after-hour", 0.5 ** (60 / 15)).startswith("Correct")
    inverted = shown("03-surface-after-hour", 0.5 ** (15 / 60))
    assert inverted.startswith("Not quite") and "Count the half-lives in 60 minutes" in inverted
    too_low = shown("03-surface-after-hour", 0.5**60)  # halved every minute
    assert too_low.startswith("Not quite") and "Halve once per 15 minutes" in too_low


def test_03_surface_function(il2edu_home):
    def fraction_on_surface(minutes, half_life_min):
        return 0.5 ** (minutes / half_life_min)

    def inverted(minutes, half_life_min):
        return 0.5 ** (half_life_min / minutes)

    assert shown("03-surface-function", fraction_on_surface).startswith("Correct")
    wrong = shown("03-surface-function", inverted)
    assert wrong.startswith("Not quite") and "the exponent is minutes divided by the half-life" in wrong


@pytest.mark.parametrize(
    "exercise_id",
    ["01-secretion-hour", "02-occupancy-treg", "02-occupancy-nk", "02-kd-from-rates", "03-surface-after-hour"],
)
def test_stub_is_not_attempted(il2edu_home, exercise_id):
    assert shown(exercise_id, None).startswith("Not attempted yet")
