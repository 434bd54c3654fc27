"""il2edu.check("07-window-dose", explorer): judged from the explorer's controls through the model, saying
which way to move and why, saved as kind 'conclusion'."""

from __future__ import annotations

import pytest

import il2edu
from il2edu import progress
from il2edu.models import pk, response


@pytest.fixture
def regimen(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return il2edu.explorers.regimen(preset="low-dose-1miu")


def selectivity(dose):
    return response.regimen_response(pk.Regimen(dose=dose, route="sc", interval_h=24, n_doses=5)).selectivity_index


def test_the_highest_dose_in_the_window_is_correct_and_each_miss_says_which_way(regimen):
    doses = sorted(float(v) for _, v in regimen.controls["dose"].options)
    window = [d for d in doses if selectivity(d) >= 15]
    highest = window[-1]
    assert 1e6 <= highest <= 3e6  # in the range the dose-finding trials used
    regimen.set(dose=highest)
    result = il2edu.check("07-window-dose", regimen)
    assert result.correct and result.message.startswith(f"Correct: at {highest / 1e6:g} MIU a day")
    regimen.set(dose=window[-3])
    assert il2edu.check("07-window-dose", regimen).message.startswith("Not quite: inside the window, but not the highest")
    above = min(d for d in doses if d > highest)
    regimen.set(dose=above)
    assert il2edu.check("07-window-dose", regimen).message.startswith("Not quite: move the dose down.")
    regimen.set(dose=highest, interval_h=12)
    assert "keep the task's schedule" in il2edu.check("07-window-dose", regimen).message
    rows = [(r["kind"], r["correct"]) for r in progress.store().rows() if r["item_id"] == "07-window-dose"]
    assert rows == [("conclusion", 1), ("conclusion", 0), ("conclusion", 0), ("conclusion", 0)]
    assert regimen.state()["dose"] == highest and set(regimen.state()) == set(regimen.controls)


def test_anything_but_an_explorer_is_one_line(il2edu_home):
    message = il2edu.check("07-window-dose", 0.5).message
    assert message.startswith("This conclusion is checked from an explorer") and "\n" not in message
    assert progress.store().rows() == []
