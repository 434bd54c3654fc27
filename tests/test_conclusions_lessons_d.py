"""il2edu.check("06-nk-threshold", explorer): the highest high-dose-schedule dose that never takes plasma IL-2
above the NK EC50, judged from the regimen explorer through the model; each miss says which way to move."""

from __future__ import annotations

import dataclasses

import pytest

import il2edu
from il2edu import progress
from il2edu.models import pk, response


@pytest.fixture
def high(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return il2edu.explorers.regimen(preset="high-dose")


def nk_hours(dose):
    regimen = dataclasses.replace(pk.Regimen.preset("high-dose"), dose=dose)
    return response.regimen_response(regimen).time_above_ec50_h["nk"]


def test_the_highest_dose_below_the_nk_line_is_correct_and_each_miss_says_which_way(high):
    doses = sorted(float(v) for _, v in high.controls["dose"].options if float(v) <= 1e6)
    below = [d for d in doses if nk_hours(d) == 0]
    threshold = below[-1]
    assert 600000 / threshold > 100  # the label dose is far above the window: the lesson's point
    above = min(d for d in doses if d > threshold)
    assert nk_hours(above) > 0
    high.set(dose=threshold)
    result = il2edu.check("06-nk-threshold", high)
    assert result.correct
    assert result.message.startswith(f"Correct: at {threshold:g} IU/kg the infusions never reach the NK EC50")
    assert f"about {600000 / threshold:.0f} times more" in result.message
    high.set(dose=600000)
    message = il2edu.check("06-nk-threshold", high).message
    assert message.startswith("Not quite: move the dose down.") and f"{nk_hours(600000):.1f} hours" in message
    high.set(dose=below[-3])
    assert "Move the dose up." in il2edu.check("06-nk-threshold", high).message
    high.set(dose=threshold, route="sc")
    assert "keep the task's schedule" in il2edu.check("06-nk-threshold", high).message
    rows = [(r["kind"], r["correct"]) for r in progress.store().rows() if r["item_id"] == "06-nk-threshold"]
    assert rows == [("conclusion", 1), ("conclusion", 0), ("conclusion", 0), ("conclusion", 0)]


def test_the_judge_uses_the_explorers_patient(high):
    # per-kg dosing: a 150 kg patient gets more than twice the IU of a 70 kg one, so the NK line is reached
    high.set(dose=3000.0, body_weight_kg=150)
    regimen = dataclasses.replace(pk.Regimen.preset("high-dose"), dose=3000.0)
    hours = response.regimen_response(regimen, body_weight_kg=150).time_above_ec50_h["nk"]
    assert hours > 0 and nk_hours(3000.0) == 0
    message = il2edu.check("06-nk-threshold", high).message
    assert message.startswith("Not quite: move the dose down.") and f"{hours:.1f} hours" in message


def test_anything_but_an_explorer_is_one_line(il2edu_home):
    message = il2edu.check("06-nk-threshold", "3000").message
    assert message.startswith("This conclusion is checked from an explorer") and "\n" not in message
