"""il2edu.check("02-window-concentration", explorer): a concentration on the binding explorer that reaches
Tregs (at least half their maximal response) but not NK cells (below a tenth), judged through the model."""

from __future__ import annotations

import pytest

import il2edu
from il2edu import progress
from il2edu.models import binding


@pytest.fixture
def explorer(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return il2edu.explorers.binding(view="occupancy")


def responses(c, cd25=3600):
    return (float(binding.relative_response(c, binding.cell("treg", cd25=cd25))),
            float(binding.relative_response(c, binding.cell("nk"))))


def test_a_concentration_in_the_window_is_correct_and_each_miss_says_which_way(explorer):
    stops = sorted(float(v) for _, v in explorer.controls["concentration_pM"].options)
    inside = [c for c in stops if responses(c)[0] >= 0.5 and responses(c)[1] < 0.1]
    assert 10 < min(inside) and max(inside) < 30  # a few-fold window, not the 100-fold Kd gap
    explorer.set(concentration_pM=inside[0], view="response")
    result = il2edu.check("02-window-concentration", explorer)
    assert result.correct and result.message.startswith(f"Correct: at {inside[0]:.3g} pM the Tregs give")
    assert f"only {min(inside):.3g} to {max(inside):.3g} pM" in result.message
    explorer.set(concentration_pM=10.0)  # the trimer's Kd: half the receptors, not yet half the response
    assert il2edu.check("02-window-concentration", explorer).message.startswith("Not quite: move the IL-2 up.")
    explorer.set(concentration_pM=100.0)
    message = il2edu.check("02-window-concentration", explorer).message
    assert message.startswith("Not quite: move the IL-2 down. At 100 pM the NK cells already give 28%")
    explorer.set(concentration_pM=inside[0], treg_cd25=350)
    assert "set CD25 per Treg back to 3,600" in il2edu.check("02-window-concentration", explorer).message
    rows = [(r["kind"], r["answer"], r["correct"]) for r in progress.store().rows()
            if r["item_id"] == "02-window-concentration"]
    assert [c for _, _, c in rows] == [1, 0, 0, 0] and rows[0][1] == f"{inside[0]:.3g} pM"


def test_the_occupancy_view_is_judged_the_same_way(explorer):
    explorer.set(concentration_pM=20.0)  # the task is about responses; the view only changes the plot
    assert il2edu.check("02-window-concentration", explorer).correct


def test_a_number_instead_of_the_explorer_is_one_line(il2edu_home):
    message = il2edu.check("02-window-concentration", 20).message
    assert message.startswith("This conclusion is checked from an explorer") and "\n" not in message
