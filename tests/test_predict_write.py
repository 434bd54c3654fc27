"""il2edu.predict and il2edu.write: what a learner sees for any input, what is saved, what is revealed, and
seeds/activities/ checked by il2edu validate. The model answers' numbers are recomputed from the model."""

from __future__ import annotations

import json
import shutil

import pytest

import il2edu
from il2edu import content, progress
from il2edu.activities import prompts
from il2edu.models import response


def saved(kind):
    return [(r["item_id"], r["answer"]) for r in progress.store().rows() if r["kind"] == kind]


def test_a_prediction_is_saved_then_shown_beside_the_models_answer(il2edu_home, tmp_path):
    shown = il2edu.predict("07-predict-selectivity")
    assert "il2edu-predict" in shown._dom_classes and "Predict before you look" in shown.children[0].value
    shown.button.click()  # nothing picked yet
    assert shown.feedback_text == "Pick one of the choices first, then save your prediction." and saved("prediction") == []
    shown.input.value = "It rises"
    shown.button.click()
    assert shown.feedback_text == "Saved: you predict It rises. Now try it below, then compare."
    assert 'color:#007A5A' in shown.feedback.value  # words and colour
    after = il2edu.predict("07-predict-selectivity", reveal=True)
    assert after.compare.value == ""  # nothing before the learner asks
    after.button.click()
    assert repr(after).startswith("You predicted: It rises. The model: it falls, from about 18.8")
    assert "il2edu-compare" in after.compare._dom_classes and "dimeric receptor" in after.compare.value
    again = il2edu.predict("07-predict-selectivity")  # a learner who comes back sees what they saved
    assert again.feedback_text.startswith("Saved earlier: you predicted It rises.")
    progress.export(tmp_path / "mine.csv", progress.store().rows())
    assert ",07-low-dose,07-predict-selectivity,prediction,It rises,0,0,0" in (tmp_path / "mine.csv").read_text()


def test_a_reveal_without_a_prediction_says_so(il2edu_home):
    assert repr(il2edu.predict("07-predict-selectivity", reveal=True)).startswith("You did not save a prediction.")


@pytest.mark.parametrize("raw, status, message", [
    ("abc", "invalid", None), ("", "invalid", None), ("1e999", "invalid", None),
    ("5", "saved", "Saved: you predict 5 pM."), ("5 pM", "saved", "Saved: you predict 5 pM."),
])
def test_a_number_prediction_reads_any_input_in_one_line(raw, status, message):
    entry = {"id": "99-x", "type": "number", "unit": "pM"}
    got_status, got_message, _ = prompts.judge_prediction(entry, raw)
    assert got_status == status and "\n" not in got_message
    if message:
        assert got_message.startswith(message)


def test_a_written_answer_reveals_the_model_answer_once_it_is_more_than_a_few_words(il2edu_home):
    shown = il2edu.write("07-write-window")
    shown.button.click()
    assert shown.feedback_text.startswith("Write your answer in the box first") and shown.model.value == ""
    shown.input.value = "The low dose"
    shown.button.click()
    assert shown.feedback_text.startswith("Write a little more (at least 8 words, you have 3)")
    assert shown.model.value == "" and saved("written") == []
    shown.input.value = "Low doses keep IL-2 above the Treg line\nbut below the NK line."
    shown.button.click()
    assert shown.feedback_text.startswith("Saved. Compare your answer with the model answer below")
    assert "A model answer." in shown.model.value and "selectivity index drops" in shown.model.value
    assert saved("written") == [("07-write-window", "Low doses keep IL-2 above the Treg line but below the NK line.")]
    back = il2edu.write("07-write-window")
    assert back.input.value.startswith("Low doses keep IL-2") and "A model answer." in back.model.value


def test_an_unknown_id_is_one_line_not_a_traceback(il2edu_home):
    assert repr(il2edu.predict("07-no-such")).startswith("This prediction cannot be shown:")
    assert repr(il2edu.write("07-predict-selectivity")).startswith("This written answer cannot be shown:")


def test_lesson_07_model_answers_agree_with_the_model():
    items = {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith("07-")}
    low, high3, tiny, high = (response.regimen_response(p) for p in ("low-dose-1miu", "t1d-3miu", "t1d-0.33miu", "high-dose"))
    assert high3.selectivity_index < low.selectivity_index  # the prediction's answer: it falls
    text = items["07-predict-selectivity"]["model_answer"]
    assert f"{low.selectivity_index:.1f}" in text and f"{high3.selectivity_index:.1f}" in text
    assert f"{low.mean_response['treg']:.2f}" in text and f"{high3.mean_response['treg']:.2f}" in text
    steps = items["07-write-dose-steps"]["model_answer"]
    assert tiny.time_above_ec50_h["treg"] == 0 and f"{tiny.selectivity_index:.0f}" in steps
    assert f"{high3.selectivity_index:.1f}" in steps and f"{tiny.mean_response['treg']:.2f}" in steps
    window = items["07-write-window"]["model_answer"]
    assert f"{high.selectivity_index:.1f}" in window
    assert f"{high.time_above_ec50_h['nk']:.0f}" in window and f"{high.time_above_ec50_h['cd8']:.0f}" in window
    readout = items["07-write-readout"]["model_answer"]
    # fitted to measured low-dose levels, 1 MIU a day crosses no EC50 line, not even the Treg one
    assert low.time_above_ec50_h["treg"] == 0 == low.time_above_ec50_h["nk"] == low.time_above_ec50_h["cd8"]
    assert f"{low.concentration_pM.max():.1f} pM" in readout and f"{low.selectivity_index:.1f}" in readout
    assert f"{low.mean_response['treg']:.2f}" in readout


def test_validate_reports_a_bad_activity_and_a_call_that_resolves_to_nothing(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), seeds)
    path = seeds / "activities" / "07-low-dose.yaml"
    path.write_text(path.read_text().replace("references: [trotta2018, proleukin_label]", "references: [nobody2099]")
                    + "  - id: 07-write-readout\n    prompt: again\n    model_answer: again\n    references: [trotta2018]\n")
    (tmp_path / "notebooks").mkdir()
    cell = {"cell_type": "code", "source": ['il2edu.predict("07-nope")\n', 'il2edu.write("07-write-window")']}
    (tmp_path / "notebooks" / "x.ipynb").write_text(json.dumps({"cells": [cell]}))
    found = {(p.entry, p.message) for p in prompts.check_activities(seeds)}
    assert ("07-write-window", "unknown reference key 'nobody2099' (not in seeds/references.yaml)") in found
    assert ("07-write-readout", "id is already used by another activity") in found
    assert ("07-nope", "il2edu.predict names no prediction in seeds/activities/") in found
    assert not any(e == "07-write-window" and "names no" in m for e, m in found)


def test_lesson_02_model_answers_agree_with_the_binding_parameters():
    from il2edu.models import binding

    params = binding.BindingParams.load()
    trimer, dimer = params.kd_trimer, params.kd_dimer
    items = {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith("02-")}
    assert round(trimer) == 10 and round(dimer) == 1000  # the Kds the model answers name
    assert binding.occupancy(trimer, trimer) == pytest.approx(0.5)
    assert "about half" in items["02-predict-half"]["model_answer"]
    assert round(dimer / trimer) == 100 and "a hundred times" in items["02-write-half-line"]["model_answer"]
    # the Think prompt's numbers: 30 pM fills about three quarters of trimers and about 3% of dimers
    assert binding.occupancy(30, trimer) == pytest.approx(0.75, abs=0.01)
    assert binding.occupancy(30, dimer) == pytest.approx(0.03, abs=0.005)
    assert "3%" in items["02-write-competition"]["model_answer"]
    # the data prediction: the model's Treg EC50 against the fitted EC50s of the two measured replicates
    from il2edu.models import evidence

    measured = evidence.dataset("farhat2021_pstat5")["fitted_ec50_pM"]["treg"]
    assert round(binding.ec50(binding.cell("treg"))) == 11 and [round(x) for x in sorted(measured)] == [41, 65]
    assert "about 11 pM against 41-65 pM" in items["02-predict-data-side"]["model_answer"]


def test_lesson_06_model_answers_agree_with_the_model():
    high, esprit = response.regimen_response("high-dose"), response.regimen_response("esprit")
    items = {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith("06-")}
    ratio = high.concentration_pM.max() / esprit.concentration_pM.max()
    assert ratio > 100 and f"some {round(ratio, -1):.0f}" in items["06-predict-esprit-peak"]["model_answer"]
    text = items["06-write-esprit"]["model_answer"]
    assert f"about {round(esprit.concentration_pM.max(), -1):.0f} pM" in text
    assert f"about {high.concentration_pM.max() / 1000:.0f},000 pM" in text
    assert f"about {esprit.time_above_ec50_h['treg']:.0f} hours" in text
    assert esprit.time_above_ec50_h["nk"] == esprit.time_above_ec50_h["cd8"] == esprit.time_above_ec50_h["cd4"] == 0
    infusions = items["06-write-infusions"]["model_answer"]
    assert all(high.time_above_ec50_h[c] > 0 for c in ("treg", "cd4", "nk", "cd8"))
    assert f"about {high.time_above_ec50_h['nk']:.0f} hours" in infusions
    assert f"about {high.time_above_ec50_h['cd8']:.0f} hours" in infusions


def test_a_saved_prediction_records_whether_it_is_the_models_answer(il2edu_home, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    wrong = il2edu.predict("07-predict-selectivity")
    wrong.input.value = "It rises"
    wrong.submit()
    right = il2edu.predict("07-predict-selectivity")
    right.input.value = "It falls"
    right.submit()
    rows = [(r["answer"], r["correct"]) for r in progress.store().rows() if r["kind"] == "prediction"]
    assert rows == [("It rises", 0), ("It falls", 1)]


def test_validate_wants_a_choice_predictions_answer_among_its_choices(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), seeds)
    path = seeds / "activities" / "07-low-dose.yaml"
    path.write_text(path.read_text().replace("answer: It falls", "answer: It doubles"))
    found = {(p.entry, p.message) for p in prompts.check_activities(seeds)}
    assert ("07-predict-selectivity", "'answer' should be the choice the model gives, one of the 'choices'") in found
