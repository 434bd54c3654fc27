"""Lessons 00 and 01: the numbers in the model answers are recomputed from the course's models and measured
rates, and the misconception check names the misconception on every wrong choice."""

from __future__ import annotations

from il2edu.activities import exercises, prompts
from il2edu.activities.quiz import bank
from il2edu.models import binding


def items(prefix):
    return {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith(prefix)}


def test_00_first_responder_model_answer_agrees_with_the_binding_model():
    entry = items("00-")["00-predict-first-responder"]
    params = binding.BindingParams.load()
    now = {n: float(binding.relative_response(10.0, binding.cell(n), params)) for n in binding.cell_type_names()}
    assert max(now, key=now.get) == "treg" and entry["answer"] == "Tregs"
    text = entry["model_answer"]
    assert f"about {100 * now['treg']:.0f}%" in text and f"about {100 * now['cd4']:.0f}%" in text
    assert f"about {100 * now['nk']:.0f}%" in text and now["cd8"] < 0.03 and "under 3%" in text
    assert round(params.kd_dimer / params.kd_trimer) == 100 and "a hundred times" in entry["explanation"]


def test_01_burst_model_answer_agrees_with_the_measured_rates():
    basal = exercises.find_exercise("01-secretion-hour")[1]["answer"] / 3600  # molecules per second
    boosted = 30 * basal  # "up to 30-fold" (tkach2014)
    text = items("01-")["01-write-burst"]["model_answer"]
    assert f"{boosted * 2 * 3600:,.0f} molecules in 2 boosted hours" in text
    assert f"{basal * 24 * 3600:,.0f} in a whole day" in text
    assert f"about {boosted * 2 / (basal * 24):.1f} times a basal day" in text


def test_01_calcineurin_question_names_the_misconception_on_every_wrong_choice():
    _, question = bank.find_question("01-calcineurin-tregs")
    wrong = [c for c in question["choices"] if not c.get("correct")]
    assert len(wrong) == 3 and all(c.get("feedback", "").strip() for c in wrong)
    assert "misconception" in wrong[0]["feedback"]


def test_01_every_distractor_in_both_banks_has_feedback():
    choices = [(q["id"], c) for lesson in ("00-start-here", "01-meet-il2")
               for q in bank.load_bank(lesson)["questions"] for c in q.get("choices") or []]
    assert len(choices) > 20
    for qid, c in choices:
        assert c.get("correct") or c.get("feedback"), (qid, c["text"])


def test_01_secretion_figure_draws_the_measured_times_and_says_them_in_words(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    from il2edu import figures, parameters

    measured = {o["quantity"]: o["measured"] for o in parameters.datasets()["sojka2004_secretion"]["observations"]}
    fig = figures.secretion_kinetics()
    drawn = {line.get_label(): list(line.get_xdata()) for line in fig.figure.axes[0].get_lines()}
    assert drawn["naive: peak (6-8 h)"] == measured["naive CD4 T cells, maximal secretion"] == [6, 8]
    assert drawn["memory: peak (1-2 h)"] == measured["memory CD4 T cells, maximal secretion"] == [1, 2]
    assert drawn["naive: secreting (first detected to undetectable)"] == [1, 24]
    assert "Memory CD4 T cells: first detected at 0.5 h, peak at 1-2 h, undetectable by 20-24 h." in fig.alt
    assert 'alt="Timeline of IL-2 secretion' in fig._repr_html_()
    # the exercise's answer is the gap between the middles of the measured peak ranges
    gap = sum(measured["naive CD4 T cells, maximal secretion"]) / 2 - sum(measured["memory CD4 T cells, maximal secretion"]) / 2
    from il2edu.activities import exercises

    assert exercises.find_exercise("01-peak-gap")[1]["answer"] == gap
