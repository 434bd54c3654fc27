"""il2edu.check("00-first-window", binding): the start-here task, judged from the binding explorer through the
binding model, says which way to move and why, and is saved as kind 'conclusion'."""

from __future__ import annotations

import pytest

import il2edu
from il2edu import progress
from il2edu.models import binding as model


@pytest.fixture
def binding(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return il2edu.explorers.binding()


def responses(c_pM):
    params = model.BindingParams.load()
    return (float(model.relative_response(c_pM, model.cell("treg"), params)),
            float(model.relative_response(c_pM, model.cell("nk"), params)))


def test_a_level_inside_the_window_is_correct_and_each_miss_says_which_way(binding):
    stops = [float(v) for _, v in binding.controls["concentration_pM"].options]
    inside = [c for c in stops if responses(c)[0] >= 0.5 and responses(c)[1] < 0.1]
    assert inside and 10 < min(inside) and max(inside) < 30  # a narrow band just above the Treg EC50
    binding.set(concentration_pM=inside[0])
    result = il2edu.check("00-first-window", binding)
    treg, nk = responses(inside[0])
    assert result.correct and result.message.startswith(f"Correct: at {inside[0]:.3g} pM the Tregs give {100 * treg:.0f}%")
    assert f"the NK cells {100 * nk:.0f}%" in result.message and f"only {min(inside):.3g} to {max(inside):.3g} pM" in result.message
    binding.set(concentration_pM=10.0)  # the explorer's start: Tregs just under half
    low = il2edu.check("00-first-window", binding).message
    assert low.startswith("Not quite: move the IL-2 up.") and f"give {100 * responses(10)[0]:.0f}% of" in low
    binding.set(concentration_pM=100.0)
    assert il2edu.check("00-first-window", binding).message.startswith("Not quite: move the IL-2 down.")
    binding.set(concentration_pM=inside[0], treg_cd25=350)  # an engineered Treg does not count
    assert "set CD25 per Treg back to 3,600" in il2edu.check("00-first-window", binding).message
    rows = [(r["kind"], r["correct"], r["answer"]) for r in progress.store().rows() if r["item_id"] == "00-first-window"]
    assert rows[0] == ("conclusion", 1, f"{inside[0]:.3g} pM") and [r[1] for r in rows] == [1, 0, 0, 0]


def test_the_regimen_explorer_is_not_the_binding_explorer_and_gets_one_line(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    message = il2edu.check("00-first-window", il2edu.explorers.regimen()).message
    assert message.startswith("This conclusion cannot be checked with this explorer") and "\n" not in message
