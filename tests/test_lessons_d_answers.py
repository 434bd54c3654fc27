"""Lessons 06 and 07 (lessons-d): the numbers in new model answers, predictions, questions and summaries come from
the course's models and tables; these tests recompute them, so a model change that breaks a sentence fails here."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from il2edu import trials
from il2edu.activities import prompts
import yaml
from il2edu.models import binding, pk, response

REPO = Path(__file__).resolve().parent.parent
EC50 = {n: binding.ec50(binding.cell(n), binding.BindingParams.load()) for n in binding.cell_type_names()}


def items(prefix):
    return {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith(prefix)}


def question(qid):
    lesson = qid[:2]
    path = next((REPO / "seeds" / "quizzes").glob(f"{lesson}-*.yaml"))
    return next(q for q in yaml.safe_load(path.read_text())["questions"] if q["id"] == qid)


def cell_text(notebook, cell_id):
    nb = json.loads((REPO / "notebooks" / notebook).read_text())
    return "".join(next(c for c in nb["cells"] if c.get("id") == cell_id)["source"])


def test_06_high_dose_peak_against_the_ec50_lines():
    high = response.regimen_response("high-dose")
    peak = high.concentration_pM.max()
    answer = items("06-")["06-predict-high-dose-cells"]["model_answer"]
    assert all(peak > EC50[c] for c in EC50)
    assert f"about {round(peak, -3):,.0f} pM" in answer
    assert f"about {round(peak / EC50['cd8'], -1):.0f} times the CD8" in answer
    assert f"about {round(peak / EC50['treg'], -2):,.0f} times the Treg" in answer
    text = cell_text("06_high_dose.ipynb", "06-ld-5")
    assert f"about {EC50['treg']:.0f} pM for Tregs, {round(EC50['nk'], -1):.0f} pM for NK cells and " \
           f"{round(EC50['cd8'], -1):.0f} pM for CD8" in text


def test_06_hours_above_the_nk_line_per_infusion_and_with_weight():
    high = response.regimen_response("high-dose")
    per_infusion = high.time_above_ec50_h["nk"] / 14
    fall = items("06-")["06-write-nk-fall"]["model_answer"]
    assert f"about {per_infusion:.1f} hours" in fall and f"about {high.time_above_ec50_h['nk']:.0f} hours" in fall
    one = dataclasses.replace(pk.Regimen.preset("high-dose"), n_doses=1)
    runs = {w: response.regimen_response(one, body_weight_kg=w) for w in (50, 70, 100)}
    weight = items("06-")["06-write-weight"]["model_answer"]
    peaks = [round(runs[w].concentration_pM.max(), -3) for w in (50, 70, 100)]
    assert f"about {peaks[0]:,.0f} pM at 50 kg, {peaks[1]:,.0f} at 70 kg, {peaks[2]:,.0f} at 100 kg" in weight
    hours = [runs[w].time_above_ec50_h["nk"] for w in (50, 70, 100)]
    assert f"about {hours[0]:.1f}, {hours[1]:.1f} and {hours[2]:.1f} hours" in weight


def test_06_summary_fold_below_the_label_dose():
    doses = [d for d in (1000, 1500, 2000, 3000, 5000, 7500, 10000)
             if response.regimen_response(dataclasses.replace(pk.Regimen.preset("high-dose"), dose=d))
             .time_above_ec50_h["nk"] == 0]
    assert f"cut about {600000 / max(doses):.0f}-fold" in cell_text("06_high_dose.ipynb", "06-28")


def test_06_leak_concentration_in_picomolar():
    # 100 IU/mL in pM, with the course's unit conversion; between the NK line and a high-dose peak
    pM = pk.iu_per_ml_to_pM(100)
    assert f"about {round(pM, -1):.0f} pM" in cell_text("06_high_dose.ipynb", "06-ld-8")
    assert EC50["nk"] < pM < response.regimen_response("high-dose").concentration_pM.max() / 50


def test_07_hiv_arms_sit_between_the_bands():
    rows = {r["id"]: r for r in trials.load()}
    answer = items("07-")["07-predict-hiv-dose"]["model_answer"]
    for arm in ("silcaat", "esprit"):
        assert 3 < rows[arm]["dose_miu_per_day"] < 42
        assert f"at {rows[arm]['dose_miu_per_day']:g}" in answer
    with_fold = [r for r in rows.values() if r["treg_fold"] is not None]
    treg = items("07-")["07-write-trials-treg"]["model_answer"]
    assert len(with_fold) == 2 and f"of the {len(rows)}" in treg.replace("fourteen", str(len(rows)))
    outside = [r for r in rows.values() if r["disease"] == "Type 1 diabetes" and r["dose_miu_per_day"] > 3]
    assert [r["id"] for r in outside] == ["long2012"]


def test_07_route_matters_numbers_come_from_the_model():
    sc = response.regimen_response("low-dose-1miu")
    iv = response.regimen_response(dataclasses.replace(pk.Regimen.preset("low-dose-1miu"), route="iv"))
    q = question("07-route-matters")
    right = next(c["text"] for c in q["choices"] if c.get("correct"))
    assert iv.concentration_pM.max() > EC50["cd8"] > EC50["nk"]
    assert f"roughly {round(iv.concentration_pM.max(), -2):,.0f} pM" in right
    assert f"about {round(iv.concentration_pM.max() / sc.concentration_pM.max(), -2):.0f}-fold" in right
    assert f"from about {sc.selectivity_index:.0f} to about {iv.selectivity_index:.0f}" in right
    assert f"about {sc.selectivity_index:.1f} to about {iv.selectivity_index:.1f}" in q["explanation"]


@pytest.mark.parametrize("qid", ["06-leak-mechanism", "06-iv-figure", "06-blocking-il2", "06-vaccine-adjuvant",
                                 "06-read-hr", "07-appraise-t1d", "07-appraise-sle", "07-treg-counting",
                                 "07-trials-not-curve", "07-sc-figure", "07-first-responder", "07-route-matters",
                                 "07-window-leaks"])
def test_new_misconception_checks_name_the_misconception(qid):
    wrong = [c for c in question(qid)["choices"] if not c.get("correct")]
    assert all(c.get("feedback") for c in wrong)
    if qid != "06-blocking-il2":  # a judgement question: which cell carries the most CD25
        assert any("Misconception:" in c["feedback"] for c in wrong)
