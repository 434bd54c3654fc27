"""Lessons 02 and 03: the numbers in the model answers and the exercises' answers are recomputed from the
course's models, and the new judgement exercises give the feedback a learner should see."""

from __future__ import annotations

import pytest

import il2edu
from il2edu.activities import prompts
from il2edu.models import binding

EC50 = binding.ec50


def items(prefix):
    return {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith(prefix)}


def test_lesson_02_cd25_answers_agree_with_the_binding_model():
    texts = items("02-")
    treg, nk, low = EC50(binding.cell("treg")), EC50(binding.cell("nk")), EC50(binding.cell("treg", cd25=350))
    assert round(treg) == 11 and round(nk, -1) == 260 and round(low, -1) == 360
    assert round(nk / treg) == 24 and nk / low < 1 and f"{nk / low:.0f}x" == "1x"  # what the readout shows
    for key in ("02-predict-cd25", "02-write-cd25"):
        text = texts[key]["model_answer"]
        assert "about 11 pM" in text and "360 pM" in text and "24x" in text
    assert "260 pM" in texts["02-predict-cd25"]["model_answer"] and "260 pM" in texts["02-write-cd25"]["model_answer"]
    pairs = {n: binding.cell(n).beta_gamma for n in ("treg", "nk")}
    assert round(pairs["treg"], -1) == 660 and round(pairs["nk"], -2) == 8300
    assert "660" in texts["02-write-cd25"]["model_answer"] and "8,300" in texts["02-write-cd25"]["model_answer"]


def test_lesson_02_modest_fall_answer_agrees_with_occupancy():
    text = items("02-")["02-write-modest-fall"]["model_answer"]
    kd = binding.BindingParams.load().kd_trimer
    low = (binding.occupancy(5, kd), binding.occupancy(2.5, kd))
    high = (binding.occupancy(100, kd), binding.occupancy(50, kd))
    assert f"about {low[0]:.2f} to {low[1]:.2f}" in text and round(100 * (1 - low[1] / low[0]), -1) == 40
    assert f"about {high[0]:.2f} to {high[1]:.2f}" in text and 1 - high[1] / high[0] < 0.1


def shown(exercise_id, value):
    return il2edu.check(exercise_id, value).message


def test_the_il2ra_null_exercise_answer_is_the_models(il2edu_home):
    fold = EC50(binding.cell("treg", cd25=0)) / EC50(binding.cell("treg"))
    assert shown("02-il2ra-null", fold).startswith("Correct")
    assert EC50(binding.cell("treg", cd25=0)) == pytest.approx(EC50(binding.cell("cd8")), rel=0.05)  # "as a CD8 T cell"
    assert "Did you divide the normal Treg's EC50" in shown("02-il2ra-null", 1 / fold)


def test_the_described_cell_is_judged_from_its_chain_counts(il2edu_home):
    cell = binding.cell("treg", cd25=2500, cd122=30, gc=12000)
    forms = binding.receptor_forms(cell, binding.BindingParams.load())
    assert shown("02-receptor-from-chains", "CD25 alone").startswith("Correct")
    assert shown("02-receptor-from-chains", "  cd25  ALONE ").startswith("Correct")
    assert shown("02-receptor-from-chains", "trimer").startswith("Not quite. Hint: Count the signalling pairs")
    assert shown("02-receptor-from-chains", ...).startswith("Not attempted yet")
    # the model agrees: almost all CD25 is left alone, and what pairs is at most the 30 IL-2Rβ chains
    assert forms["alpha"] > 0.95 * 2500 and forms["trimer"] + forms["dimer"] == pytest.approx(30)
