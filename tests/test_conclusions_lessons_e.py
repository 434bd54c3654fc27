"""Lessons 08-10: the checked conclusions on the binding and trials explorers (judged from the explorer's state,
recomputed with the models), and the numbers in these lessons' model answers, recomputed from the models."""

from __future__ import annotations

import shutil

import pytest

import il2edu
from il2edu import content, glossary, progress, trials
from il2edu.activities import prompts
from il2edu.models import binding, pk, response


@pytest.fixture
def explorers(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return il2edu.explorers


def items(prefix):
    return {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith(prefix)}


def nk_response(c):
    return float(binding.relative_response(c, binding.cell("nk"), binding.BindingParams.load()))


def conclusion_rows(item_id):
    return [(r["kind"], r["correct"], r["answer"]) for r in progress.store().rows() if r["item_id"] == item_id]


# -- 08: the NK ceiling on the binding explorer --------------------------------------------------------------

def test_the_highest_concentration_keeping_nk_cells_under_a_tenth_is_correct_and_misses_say_which_way(explorers):
    ex = explorers.binding()
    stops = sorted(float(v) for _, v in ex.controls["concentration_pM"].options)
    under = [c for c in stops if nk_response(c) < 0.1]
    ceiling = under[-1]
    assert 20 <= ceiling <= 32  # about twice the Treg EC50, a tenth of the NK EC50
    ex.set(concentration_pM=ceiling)
    result = il2edu.check("08-nk-ceiling", ex)
    treg = float(binding.relative_response(ceiling, binding.cell("treg"), binding.BindingParams.load()))
    assert result.correct and result.message.startswith(f"Correct: at {ceiling:g} pM NK cells respond")
    assert f"Tregs respond {100 * treg:.0f}%" in result.message
    ex.set(concentration_pM=under[-3])
    assert il2edu.check("08-nk-ceiling", ex).message.startswith("Not quite: NK cells are still below 10% one stop higher")
    above = min(c for c in stops if c > ceiling)
    ex.set(concentration_pM=above)
    message = il2edu.check("08-nk-ceiling", ex).message
    assert message.startswith("Not quite: move the IL-2 down.") and f"{100 * nk_response(above):.0f}%" in message
    ex.set(concentration_pM=ceiling, treg_cd25=1000)
    assert "set CD25 per Treg back to the measured 3,600" in il2edu.check("08-nk-ceiling", ex).message
    rows = conclusion_rows("08-nk-ceiling")
    assert [r[:2] for r in rows] == [("conclusion", 1), ("conclusion", 0), ("conclusion", 0), ("conclusion", 0)]
    assert rows[0][2] == f"{ceiling:g} pM"


def test_a_conclusion_given_something_else_than_an_explorer_is_one_line(il2edu_home):
    message = il2edu.check("08-nk-ceiling", 25).message
    assert message.startswith("This conclusion is checked from an explorer") and "\n" not in message


# -- 09: the low-dose band on the trials explorer ------------------------------------------------------------

def test_the_low_dose_band_is_judged_from_the_trials_table(explorers):
    ex = explorers.trials()
    rows = [r for r in trials.load() if r["dose_miu_per_day"] is not None]
    low = [r for r in rows if r["dose_miu_per_day"] < 5]
    assert {r["id"] for r in low} >= {"he2020", "koreth2016", "hartemann2013_033", "saadoun2011"}
    ex.set(dose_range=(0.2, 5))
    result = il2edu.check("09-low-dose-band", ex)
    assert result.correct and result.message.startswith(f"Correct: {len(low)} arms were given under 5 MIU a day.")
    judged = [r for r in low if r["primary_endpoint_met"] in ("yes", "no")]
    assert f"only {len(judged)} of them" in result.message and "SLE 2020: missed" in result.message
    ex.set(dose_range=(0.2, 10))
    assert il2edu.check("09-low-dose-band", ex).message == (
        "Not quite: move the upper end down; the table still shows SILCAAT (9 MIU/day).")
    ex.set(dose_range=(0.5, 5))
    assert il2edu.check("09-low-dose-band", ex).message.startswith("Not quite: move the lower end down; the table "
                                                                    "leaves out T1D 0.33 (0.33 MIU/day)")
    ex.set(dose_range=(0.2, 2))
    assert "move the upper end up" in il2edu.check("09-low-dose-band", ex).message
    ex.set(disease="Type 1 diabetes", dose_range=(0.2, 5))
    assert il2edu.check("09-low-dose-band", ex).message == "Not quite: set the disease menu to All for this task."
    assert [r[1] for r in conclusion_rows("09-low-dose-band")] == [1, 0, 0, 0, 0]


def test_a_judges_own_settings_are_validated_and_unknown_fields_are_still_reported(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), seeds)
    path = seeds / "activities" / "09-capstone.yaml"
    path.write_text(path.read_text().replace("    below_miu: 5\n", "    below_miu: 5\n    colour: red\n"))
    found = {(p.entry, p.message) for p in prompts.check_activities(seeds)}
    assert ("09-low-dose-band", "unknown field(s): colour") in found
    assert not any(e == "08-nk-ceiling" for e, _ in found)  # cell, max_response, treg_cd25 belong to its judge


# -- model answers recomputed --------------------------------------------------------------------------------

def test_lesson_08_model_answers_agree_with_the_binding_model():
    params = binding.BindingParams.load()
    ec50 = binding.ec50s(params)
    window = binding.selectivity_window("nk", params)
    at_treg_ec50 = nk_response(ec50["treg"])
    got = items("08-")
    predicted = got["08-predict-nk-at-treg-ec50"]
    assert at_treg_ec50 < 0.1 and predicted["answer"].startswith("Hardly at all")
    for text in (predicted["model_answer"], got["08-write-window"]["model_answer"]):
        assert f"about {ec50['treg']:.0f} pM" in text and f"about {window:.0f}-fold" in text
        assert f"about {100 * at_treg_ec50:.0f}%" in text
    assert f"about {ec50['nk']:.0f} pM" in predicted["model_answer"]
    assert nk_response(25.1) < 0.1 <= nk_response(31.6)
    assert "up to about 25 pM" in got["08-write-window"]["model_answer"]
    trimer = got["08-write-trimer-factor"]["model_answer"]
    for factor in (1, 2, 10):
        variant = params.with_kd(kd_dimer=10 * params.kd_dimer, kd_trimer=factor * params.kd_trimer)
        assert f"about {binding.selectivity_window('nk', variant):.0f}-fold" in trimer


def test_lesson_08_bempeg_answer_keeps_the_trial_numbers_of_the_lesson():
    answer = items("08-")["08-write-bempeg-why"]["model_answer"]
    nb = (content.seeds_dir().parent / "notebooks" / "08_beyond_aldesleukin.ipynb").read_text()
    assert "36.0% of 392 patients" in answer and "36.0% with nivolumab alone" in nb and "(392)" in nb


def regimen(dose, interval_h, n_doses):
    return response.regimen_response(pk.Regimen(dose=dose, route="sc", dose_unit="IU", interval_h=interval_h,
                                                n_doses=n_doses))


def test_lesson_09_model_answers_agree_with_the_model_and_the_trials_table():
    got = items("09-")
    daily, weekly = regimen(1e6, 24, 14), regimen(7.5e6, 168, 2)
    assert weekly.selectivity_index < daily.selectivity_index  # the prediction's answer: it falls
    text = got["09-predict-fewer-bigger"]["model_answer"]
    assert f"about {daily.selectivity_index:.1f} to about {weekly.selectivity_index:.1f}" in text
    assert f"about {daily.concentration_pM.max():.1f} to about {weekly.concentration_pM.max():.0f} pM" in text
    assert f"about {daily.mean_response['treg']:.2f} and {weekly.mean_response['treg']:.2f}" in text
    bank = {q["id"]: q for q in content.read_yaml(content.seeds_dir() / "quizzes" / "09-capstone.yaml")["questions"]}
    assert f"{weekly.selectivity_index:.1f}" in bank["09-fewer-bigger"]["explanation"]
    assert f"about {weekly.concentration_pM.max():.0f} pM" in bank["09-fewer-bigger"]["explanation"]
    low, high3 = response.regimen_response("low-dose-1miu"), response.regimen_response("t1d-3miu")
    readout = got["09-write-regimen"]["model_answer"]
    for r in (low, high3):
        assert all(h == 0 for h in r.time_above_ec50_h.values())  # "no cell type crosses its EC50 line"
        assert f"about {r.concentration_pM.max():.1f} pM" in readout and f"about {r.selectivity_index:.1f}" in readout
        assert f"about {r.mean_response['treg']:.2f}" in readout
    per_m2 = response.regimen_response("low-dose-1miu-m2")
    assert round(100 * per_m2.mean_response["nk"]) == 1
    assert "about 1% of their maximum" in " ".join(bank["09-data-nk"]["prompt"].split())
    rows = {r["id"]: r for r in trials.load()}
    high_day = rows["hd_melanoma"]["dose_miu_per_day"]
    low_days = [rows[i]["dose_miu_per_day"] for i in ("hartemann2013_033", "hartemann2013_3")]
    gap = got["09-predict-dose-gap"]
    assert high_day / max(low_days) > 40 and gap["answer"] == "More than 40 times"
    assert f"about {high_day:.0f} MIU" in gap["model_answer"]
    assert f"about {high_day / max(low_days):.0f} to {round(high_day / min(low_days), -1):.0f} times" in gap["model_answer"]


def test_lesson_10_model_answers_name_what_the_search_finds():
    got = items("10-")
    cd25 = set(glossary.search("CD25"))
    assert {"cd25_deficiency", "haplotype", "anti_il2_antibodies", "fusion_protein", "cd56_bright_nk"} <= cd25
    assert glossary.search("a word the course never uses qqq") == []
    assert "nothing matches" in got["10-write-cd25"]["model_answer"]
    assert glossary.status_text("qqq", 0, 100).startswith("No term matches")
    lupus = set(glossary.search("lupus"))
    assert {"sle", "lupus_nephritis", "sri4", "creb", "crem", "camkiv", "autoantibody", "rct"} <= lupus
    params = binding.BindingParams.load()
    trotta = got["10-write-trotta"]["model_answer"]
    assert (round(params.kd_alpha / 1000), round(params.kd_dimer / 1000), round(params.kd_trimer)) == (10, 1, 10)
    assert "about 10 nM for CD25" in trotta and "about 1 nM" in trotta


def test_the_example_defences_in_the_instructor_notes_quote_the_model():
    notes = " ".join((content.seeds_dir().parent / "docs" / "instructor-notes" / "09_capstone.md").read_text().split())
    strong = regimen(1e6, 48, 7)
    assert f"peak about {strong.concentration_pM.max():.1f} pM" in notes
    assert (f"Treg about {strong.mean_response['treg']:.3f}, NK about {strong.mean_response['nk']:.3f}, CD8 about "
            f"{strong.mean_response['cd8']:.3f}") in notes and f"selectivity index about {strong.selectivity_index:.1f}" in notes
    weak = response.regimen_response(pk.Regimen(dose=3e6, route="sc", dose_unit="IU/m2", interval_h=24, n_doses=5))
    assert weak.time_above_ec50_h["nk"] == 0 and f"about {weak.time_above_ec50_h['treg']:.0f} hours" in notes
    assert (f"peak about {weak.concentration_pM.max():.1f} pM, Treg mean response about "
            f"{weak.mean_response['treg']:.2f}, NK about {weak.mean_response['nk']:.3f}") in notes
    assert f"selectivity index about {weak.selectivity_index:.1f}" in notes
