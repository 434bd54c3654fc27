"""il2edu.check("02-window-lowest-cd25", explorer): the lowest CD25 per Treg (a slider stop) at which some IL-2
concentration still reaches Tregs (at least half their maximal response) but not NK cells (below a tenth),
and a concentration in that window; judged through the model."""

from __future__ import annotations

import pytest

import il2edu
from il2edu import progress
from il2edu.models import binding

ID = "02-window-lowest-cd25"


@pytest.fixture
def explorer(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return il2edu.explorers.binding(view="response")


def window(explorer, cd25):
    """Concentration stops where Tregs give >= 50% and NK cells < 10%, computed here from the model."""
    stops = sorted(float(v) for _, v in explorer.controls["concentration_pM"].options)
    treg, nk = binding.cell("treg", cd25=cd25), binding.cell("nk")
    return [c for c in stops if binding.relative_response(c, treg) >= 0.5 and binding.relative_response(c, nk) < 0.1]


def test_the_lowest_cd25_with_a_window_is_correct_and_each_miss_says_which_way(explorer):
    cd25_stops = sorted(float(v) for _, v in explorer.controls["treg_cd25"].options)
    lowest = min(v for v in cd25_stops if window(explorer, v))
    below = max(v for v in cd25_stops if v < lowest)
    assert 1000 <= lowest <= 2000 and not window(explorer, below)  # the window closes well above 350
    inside = window(explorer, lowest)
    explorer.set(treg_cd25=3600, concentration_pM=20.0)  # lesson 00's answer: open, but not the lowest CD25
    assert il2edu.check(ID, explorer).message.startswith("Not quite: at 3,600 CD25 per Treg the window is still open")
    explorer.set(treg_cd25=below)
    message = il2edu.check(ID, explorer).message
    assert message.startswith(f"Not quite: at {below:,.0f} CD25 per Treg no IL-2 level") and message.endswith("Move CD25 up.")
    explorer.set(treg_cd25=lowest, concentration_pM=100.0)
    assert il2edu.check(ID, explorer).message.endswith("Move the IL-2 down.")
    explorer.set(concentration_pM=inside[0])
    result = il2edu.check(ID, explorer)
    assert result.correct
    assert result.message.startswith(f"Correct: {lowest:,.0f} CD25 per Treg, {100 * lowest / 3600:.0f}% of the measured 3,600")
    assert f"only {min(inside):.3g} to {max(inside):.3g} pM wide" in result.message
    assert f"At {below:,.0f} no concentration works" in result.message
    rows = [(r["answer"], r["correct"]) for r in progress.store().rows() if r["item_id"] == ID]
    assert [c for _, c in rows] == [0, 0, 0, 1]
    assert rows[-1][0] == f"{lowest:,.0f} CD25 per Treg at {inside[0]:.3g} pM"


def test_lesson_00s_window_task_is_unchanged_by_the_shared_window_helper(explorer):
    explorer.set(concentration_pM=20.0)
    result = il2edu.check("00-first-window", explorer)
    inside = window(explorer, 3600)
    assert result.correct and f"only {min(inside):.3g} to {max(inside):.3g} pM" in result.message


def test_a_number_instead_of_the_explorer_is_one_line(il2edu_home):
    message = il2edu.check(ID, 20).message
    assert message.startswith("This conclusion is checked from an explorer") and "\n" not in message
