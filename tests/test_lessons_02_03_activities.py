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


def test_lesson_03_plateau_answer_and_feedback_agree_with_the_measured_data():
    from il2edu import content
    from il2edu.models import evidence

    cells = evidence.dataset("farhat2021_pstat5")["points"]["cells"]
    top = {c: sorted(max(r[k]) for k in r) for c, r in cells.items()}
    assert max(top, key=lambda c: min(top[c])) == "treg"  # the prediction's answer, in both replicates
    text = items("03-")["03-predict-plateau"]["model_answer"]
    assert f"about {round(top['treg'][0], -3):,.0f}-{round(top['treg'][1], -3):,.0f}" in text
    assert f"about {round(top['cd4'][0], -3):,.0f}-{round(top['cd4'][1], -3):,.0f}" in text
    low, high = min(top["nk"] + top["cd8"]), max(top["nk"] + top["cd8"])
    assert f"about {round(low, -2):,.0f}-{round(high, -3):,.0f} for NK and CD8" in text
    bank = content.read_yaml(content.seeds_dir() / "quizzes" / "03-signalling.yaml")
    raw = next(q for q in bank["questions"] if q["id"] == "03-pstat5-raw")
    rises = [max(cells["nk"][k]) / min(cells["nk"][k]) for k in ("replicate_1", "replicate_2")]
    nk_feedback = raw["choices"][3]["feedback"]
    assert f"{rises[0]:.1f}-fold in replicate 1 and {rises[1]:.1f}-fold in replicate 2" in nk_feedback
    assert round(max(cells["nk"]["replicate_1"]), -3) == 12000 and round(max(cells["nk"]["replicate_2"]), -2) == 4800


def test_lesson_03_renewal_answer_uses_the_lessons_half_life():
    text = items("03-")["03-write-renewal"]["model_answer"]
    assert f"about {100 * 0.5 ** (60 / 15):.0f}%" in text and "half-life of 15 minutes" in text


def test_the_lesson_03_judgement_exercises_give_their_feedback(il2edu_home):
    assert shown("03-stat5b-foxp3", "foxp3").startswith("Correct")
    assert shown("03-stat5b-foxp3", "perforin").startswith("Not quite. Hint: Which of the two genes")
    assert shown("03-ptpn2-loss", "More").startswith("Correct")
    assert shown("03-ptpn2-loss", "less").startswith("Not quite. Hint: PTPN2 is a phosphatase")


def test_the_measured_signal_figure_plots_the_data_file_unscaled():
    from il2edu import figures
    from il2edu.models import evidence

    points = evidence.dataset("farhat2021_pstat5")["points"]
    ax = figures.measured_signal("pstat5").figure.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    treg = lines["Treg, replicate 1"]
    assert max(treg.get_ydata()) == max(points["cells"]["treg"]["replicate_1"])  # fluorescence units, not scaled
    assert list(treg.get_xdata()) == sorted(treg.get_xdata()) and len(lines) == 8
    assert "a.u." in ax.get_ylabel() and ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="choose 'pstat5'"):
        figures.measured_signal("sc_pk")
