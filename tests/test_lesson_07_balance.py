"""Lesson 07's population-model section: every number in its prediction, written answer, question and
'where this model fails' text is recomputed from il2edu.models.population (scenarios in seeds/parameters.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from il2edu import content
from il2edu.activities import prompts
from il2edu.models import population

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_low_dose.ipynb"


def _end(name):
    run = population.scenario(name)
    return run.at(run.t_days[-1])


def _peak_effectors(name):
    run = population.scenario(name)
    i = int(np.argmax(run.effectors))
    return run.effectors[i], run.t_days[i]


@pytest.fixture(scope="module")
def items():
    return {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith("07-")}


def _question(qid):
    bank = content.read_yaml(content.seeds_dir() / "quizzes" / "07-low-dose.yaml")
    q = next(q for q in bank["questions"] if q["id"] == qid)
    return {**q, "prompt": " ".join(q["prompt"].split()), "explanation": " ".join(q["explanation"].split())}


def _cell(cell_id):
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    return next("".join(c["source"]) for c in nb["cells"] if c["id"] == cell_id)


def test_the_scenarios_the_lesson_names_exist_with_the_stated_doses():
    sc = population.scenarios()
    assert sc["low-dose"]["production"] == sc["high-dose"]["production"] == 0.5
    assert sc["high-dose"]["dose"] == 100 * sc["low-dose"]["dose"]  # "100 times more"
    assert sc["low-dose"]["dose"] == 1.0  # "as much IL-2 as a healthy body makes"
    assert population.TREATMENT_START == 60
    assert 'scenario="low-dose"' in _cell("07-s7-3")


def test_the_prediction_is_what_the_model_does(items):
    start = population.scenario("deficient").at(population.TREATMENT_START)
    low, high = _end("low-dose"), _end("high-dose")
    low_peak, low_day = _peak_effectors("low-dose")
    high_peak, high_day = _peak_effectors("high-dose")
    entry = items["07-predict-balance"]
    # the chosen answer holds: low dose ends near healthy, high dose above where treatment began
    assert abs(low["effectors"] - 1) < 0.15 and high["effectors"] > start["effectors"]
    assert entry["answer"] == entry["choices"][1]
    assert f"about {start['tregs']:.2f}" in entry["prompt"] and f"about {start['effectors']:.2f}" in entry["prompt"]
    text = entry["model_answer"]
    for number in (low["effectors"], low_peak, high_peak, high["effectors"], low["tregs"], high["tregs"]):
        assert f"{number:.2f}" in text
    assert f"around day {low_day:.0f}" in text and f"around day {round(high_day):.0f}" in text


def test_the_written_answer_numbers_and_its_claims(items):
    untreated, low, high = _end("deficient"), _end("low-dose"), _end("high-dose")
    text = items["07-write-balance"]["model_answer"]
    for run in (untreated, low, high):
        assert f"{run['tregs']:.2f}" in text and f"{run['effectors']:.2f}" in text
        assert f"{run['tregs'] / run['effectors']:.2f}" in text
    assert f"{high['il2']:.2f}" in text
    ratio0 = untreated["tregs"] / untreated["effectors"]
    for run in (low, high):  # "both ratios are about three times the untreated one"
        assert 2.5 < run["tregs"] / run["effectors"] / ratio0 < 3.5
    assert high["effectors"] / untreated["effectors"] > 2  # "more than twice as many as untreated"
    assert low["effectors"] < 1 < untreated["effectors"]  # only the low dose restores the balance


def test_the_question_and_the_limits_text_give_the_models_treg_rise():
    start = population.scenario("low-dose").at(population.TREATMENT_START)
    low = _end("low-dose")
    fold = low["tregs"] / start["tregs"]
    q = _question("07-balance-limits")
    assert f"from {start['tregs']:.2f}" in q["prompt"] and f"{low['tregs']:.2f} on day 120" in q["prompt"]
    assert f"about a {fold:.1f}-fold rise" in q["prompt"] and f"about {fold:.1f}-fold" in q["explanation"]
    assert 1.7 < fold < 2.3 and "roughly double" in _cell("07-s7-6")  # the limits paragraph's wording
    assert sum(1 for c in q["choices"] if c.get("correct")) == 1
    assert all(c.get("feedback") for c in q["choices"] if not c.get("correct"))
    assert any(c.get("feedback", "").startswith("Misconception:") for c in q["choices"])


def test_the_post_2020_trials_say_what_their_checked_abstracts_say():
    """The LUPIL-2 / rheumatoid arthritis numbers in the text and question are the ones the reference notes
    record from the abstracts; the primary endpoint is reported as missed."""
    refs = content.references()
    text = " ".join(_cell("07-s7-8").split())
    lupil = " ".join(refs["humrich2022_lupil2"]["note"].split())
    for fact in ("100 patients", "68%", "58%", "(n=53)", "83.3%", "51.7%", "1.5 MIU a day"):
        assert fact in lupil
    assert "100 patients" in text and "68% against 58%" in text and "(53 patients) gave 83% against 52%" in text
    assert "was missed" in text and "post hoc" in text
    ra = " ".join(refs["zhang2022_ra"]["note"].split())
    assert "17 on IL-2 against 23 on placebo" in ra and "17 against 23 patients" in text
    tcz = " ".join(refs["zhang2024_tcz"]["note"].split())
    assert "(15)" in tcz and "(26)" in tcz and "(9)" in tcz and "9 patients" in text and "one week" in text
    q = _question("07-lupil2")
    right = next(c for c in q["choices"] if c.get("correct"))
    assert "missed" in right["text"] and "68% against 58%" in right["text"]
    assert any(c.get("feedback", "").startswith("Misconception:") for c in q["choices"])
