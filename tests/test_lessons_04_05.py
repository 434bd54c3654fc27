"""Exercises of lessons 04 (tolerance) and 05 (autoimmunity): what a learner sees from il2edu.check.

Each exercise gets a right and a wrong answer (and, for function exercises, a right and a wrong function);
the tests assert the text shown under the check cell, including the hint a wrong answer earns.
"""

from __future__ import annotations

import html
import re

import pytest

import il2edu
from il2edu import content


def shown(result) -> str:
    """The one line a learner reads under the check cell (the HTML Jupyter displays, tags removed)."""
    markup = result._repr_html_()
    assert 'class="il2edu-check' in markup
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def hint(exercise_id: str, which: str = "default") -> str:
    lesson = exercise_id.split("-")[0]
    bank = {"04": "04-tolerance", "05": "05-autoimmunity"}[lesson]
    data = content.read_yaml(content.seeds_dir() / "exercises" / f"{bank}.yaml")
    (exercise,) = [e for e in data["exercises"] if e["id"] == exercise_id]
    return " ".join(exercise["hints"][which].split())


# -- 04-tolerance ------------------------------------------------------------------------------------------


def test_which_knockout_right_in_any_case(il2edu_home):
    assert shown(il2edu.check("04-which-knockout", "il2rb")).startswith("Correct")
    assert shown(il2edu.check("04-which-knockout", " Il2rb ")).startswith("Correct")


@pytest.mark.parametrize("gene", ["Il2", "Il2ra"])
def test_which_knockout_a_chain_that_leaves_il15_open_gets_the_shared_chain_hint(il2edu_home, gene):
    text = shown(il2edu.check("04-which-knockout", gene))
    assert text.startswith("Not quite") and hint("04-which-knockout") in text and "Which chain do IL-2 and IL-15 share?" in text


def test_which_knockout_a_name_without_quotes_is_one_line(il2edu_home):
    text = shown(il2edu.check("04-which-knockout", 122))
    assert text.startswith("Not quite: expected text (in quotes)") and "\n" not in text


def test_treg_share_right_function(il2edu_home):
    def treg_share(n_treg, n_tconv, cd25_treg, cd25_tconv):
        on_tregs = n_treg * cd25_treg
        return on_tregs / (on_tregs + n_tconv * cd25_tconv)

    text = shown(il2edu.check("04-treg-share", treg_share))
    assert text.startswith("Correct")


def test_treg_share_wrong_function_counts_cells_not_cd25(il2edu_home):
    def treg_share(n_treg, n_tconv, cd25_treg, cd25_tconv):
        return n_treg / (n_treg + n_tconv)  # the fraction of cells, ignoring CD25

    text = shown(il2edu.check("04-treg-share", treg_share))
    assert text.startswith("Not quite")
    assert "treg_share(1, 9, 3600, 350)" in text
    assert hint("04-treg-share") in text


def test_treg_share_stub_is_not_attempted(il2edu_home):
    def treg_share(n_treg, n_tconv, cd25_treg, cd25_tconv):
        raise NotImplementedError

    assert shown(il2edu.check("04-treg-share", treg_share)).startswith("Not attempted yet")


# -- 05-autoimmunity ---------------------------------------------------------------------------------------


def test_occupancy_halved_right(il2edu_home):
    kd = 10
    text = shown(il2edu.check("05-occupancy-halved", (2.5 / (2.5 + kd)) / (5 / (5 + kd))))
    assert text.startswith("Correct")


def test_occupancy_halved_inverted_gets_the_too_high_hint(il2edu_home):
    kd = 10
    text = shown(il2edu.check("05-occupancy-halved", (5 / (5 + kd)) / (2.5 / (2.5 + kd))))
    assert text.startswith("Not quite")
    assert hint("05-occupancy-halved", "too_high") in text


def test_occupancy_halved_subtracted_gets_the_too_low_hint(il2edu_home):
    kd = 10
    text = shown(il2edu.check("05-occupancy-halved", (5 / (5 + kd)) - (2.5 / (2.5 + kd))))
    assert text.startswith("Not quite")
    assert hint("05-occupancy-halved", "too_low") in text


@pytest.mark.parametrize("exercise_id", ["05-occupancy-halved"])
def test_text_instead_of_a_number_is_one_line_not_a_traceback(il2edu_home, exercise_id):
    text = shown(il2edu.check(exercise_id, "ten"))
    assert text.startswith("Not quite")
    assert "\n" not in text


# -- exercises on the population model: expected values come from the model itself --------------------------


def test_moves_first_is_the_tregs_in_the_model(il2edu_home):
    # If the model's parameters change, this fails until seeds/exercises/04-tolerance.yaml is updated.
    day5 = il2edu.models.population.scenario("deficient").at(5)
    assert 1 - day5["tregs"] > 0.1 and abs(day5["effectors"] - 1) < 0.01  # Tregs down, effectors not yet moved
    assert shown(il2edu.check("04-moves-first", "Tregs")).startswith("Correct")


def test_moves_first_effectors_gets_the_compare_at_day_5_hint(il2edu_home):
    text = shown(il2edu.check("04-moves-first", "effectors"))
    assert text.startswith("Not quite") and "at day 5 and day 20" in text


def least_changed_in_the_model() -> str:
    levels = il2edu.models.population.scenario("deficient").at(120)
    return min(("il2", "tregs", "effectors"), key=lambda k: abs(levels[k] - 1))


def test_least_changed_is_the_il2_level_in_the_model(il2edu_home):
    # If the model's parameters change, this fails until seeds/exercises/05-autoimmunity.yaml is updated.
    assert least_changed_in_the_model() == "il2"
    assert shown(il2edu.check("05-least-changed", least_changed_in_the_model())).startswith("Correct")


def test_least_changed_picking_the_tregs_gets_the_compare_with_1_hint(il2edu_home):
    text = shown(il2edu.check("05-least-changed", "tregs"))
    assert text.startswith("Not quite") and "Which is closest to 1?" in text


def test_the_deficient_model_shows_what_the_lessons_say():
    """Lessons 04 and 05 tell learners that halving IL-2 lowers Tregs and raises effectors."""
    healthy = il2edu.models.population.scenario("healthy").at(60)
    deficient = il2edu.models.population.scenario("deficient").at(60)
    assert deficient["tregs"] < healthy["tregs"]
    assert deficient["effectors"] > healthy["effectors"]


def test_the_explorer_shows_what_the_try_this_tasks_describe():
    """04 says production 0 loses almost all Tregs; 05 says halved production leaves IL-2 above half of healthy."""
    explorer = il2edu.explorers.population(scenario="deficient")
    end = explorer.run.at(120)
    assert 0.5 < end["il2"] < 1.0
    assert f"Tregs {end['tregs']:.2f}x" in explorer.readout  # the level the learner is asked to note
    explorer.controls["production"].value = 0
    assert explorer.run.at(120)["tregs"] < 0.25
    assert explorer.run.at(120)["effectors"] > 1.0


@pytest.mark.parametrize("lesson", ["04-tolerance", "05-autoimmunity"])
def test_inline_questions_are_exactly_those_shown_in_the_text(lesson):
    """A question shown with il2edu.question() must be `inline: true`, or the learner meets it twice."""
    import json

    notebook = {"04-tolerance": "04_tolerance.ipynb", "05-autoimmunity": "05_autoimmunity.ipynb"}[lesson]
    cells = json.loads((content.seeds_dir().parent / "notebooks" / notebook).read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    shown_inline = set(re.findall(r'il2edu\.question\("([^"]+)"\)', code))
    bank = content.read_yaml(content.seeds_dir() / "quizzes" / f"{lesson}.yaml")
    marked_inline = {q["id"] for q in bank["questions"] if q.get("inline")}
    assert shown_inline == marked_inline
    assert len(bank["questions"]) - len(marked_inline) >= 5  # the end-of-lesson quiz keeps substance


# -- predictions and written answers (seeds/activities/04-tolerance.yaml, 05-autoimmunity.yaml) --------------


def _prompts(prefix):
    from il2edu.activities import prompts

    return {i: e for i, (_, _, e) in prompts.all_prompts().items() if i.startswith(prefix)}


def _end(production):
    from il2edu.models import population

    run = population.simulate(production=production)
    return run.at(run.t_days[-1])


def test_lesson_04_model_answers_agree_with_the_population_model():
    items = _prompts("04-")
    half, zero, deep = _end(0.5), _end(0.0), _end(0.35)
    assert half["effectors"] - 1 > 1 / half["tregs"] - 1  # the prediction's answer: effectors move further
    text = items["04-predict-deficient"]["model_answer"]
    assert f"{half['effectors']:.2f}" in text and f"{half['tregs']:.2f}" in text and f"{1 / half['tregs']:.1f}-fold" in text
    balance = items["04-write-balance"]["model_answer"]
    assert all(f"{half[k]:.2f}" in balance for k in ("tregs", "effectors", "il2"))
    assert f"{half['tregs'] / half['effectors']:.2f}" in balance
    knockout = items["04-write-knockout"]["model_answer"]
    assert f"{zero['tregs']:.2f}" in knockout and f"{zero['effectors']:.2f}" in knockout
    limits = items["04-write-model-limits"]["model_answer"]
    assert f"{deep['tregs']:.2f}" in limits and f"{deep['effectors']:.2f}" in limits and f"{half['tregs']:.2f}" in limits


def test_lesson_05_model_answers_agree_with_the_population_model():
    items = _prompts("05-")
    healthy, half = _end(1.0), _end(0.5)
    assert healthy["tregs"] == pytest.approx(1) and healthy["effectors"] == pytest.approx(1)
    assert 0.85 < half["il2"] < 0.95  # the prediction's answer: only about a tenth below healthy
    assert f"{half['il2']:.2f}" in items["05-predict-il2-level"]["model_answer"]
    ratio = half["tregs"] / half["effectors"]
    text = items["05-write-ratio"]["model_answer"]
    assert f"{ratio:.2f}" in text and f"about {1 / ratio:.1f} times lower" in text
    level = items["05-write-il2-level"]["model_answer"]
    assert all(f"{half[k]:.2f}" in level for k in ("il2", "tregs", "effectors"))
    assert f"about {0.5 * half['effectors']:.2f} of healthy" in level  # total production: half per cell, more cells


def test_the_lesson_04_data_figure_plots_the_measured_points_and_the_models_assumption(monkeypatch):
    import numpy as np

    from il2edu.models import evidence, population

    monkeypatch.setenv("MPLBACKEND", "Agg")
    ax = il2edu.figures.model_meets_data("treg_tconv").figure.axes[0]
    data = evidence.dataset("farhat2021_pstat5")
    xs = {tuple(np.round(line.get_xdata(), 3)) for line in ax.lines if len(line.get_xdata()) > 2}
    assert tuple(np.round(np.asarray(data["points"]["concentration_nM"]) * 1000, 3)) in xs
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    prm = population.PopulationParams.load()
    assert any("population model's assumption: 10 × the Treg EC50" in t for t in labels) and prm.K_e / prm.K_t == 10
    treg = float(np.exp(np.mean(np.log(data["fitted_ec50_pM"]["treg"]))))
    cd4 = float(np.exp(np.mean(np.log(data["fitted_ec50_pM"]["cd4"]))))
    assert cd4 / treg > 2 * prm.K_e / prm.K_t  # the question's answer: the measured gap is wider than the model's
    assert any(f"fitted EC50 ≈ {treg:.0f} pM" in t for t in labels)


def test_the_lesson_05_data_question_reads_the_measured_treg_curve():
    import numpy as np

    from il2edu.models import evidence

    data = evidence.dataset("farhat2021_pstat5")["points"]
    c_pM = np.asarray(data["concentration_nM"], float) * 1000
    reps = [np.asarray(v, float) for v in data["cells"]["treg"].values()]
    mean = sum((r - r.min()) / (r.max() - r.min()) for r in reps) / len(reps)  # as the figure draws it
    at = {round(c): m for c, m in zip(c_pM, mean)}
    bank = content.read_yaml(content.seeds_dir() / "quizzes" / "05-autoimmunity.yaml")
    (question,) = [q for q in bank["questions"] if q["id"] == "05-data-steep"]
    assert f"about {at[13]:.2f} of its range at 13 pM" in question["prompt"]
    assert f"about {at[115]:.2f} at 115 pM" in question["prompt"]
    top = [m for c, m in zip(c_pM, mean) if c > 1000]
    assert max(top) - min(top) < 0.15  # "barely changes above 1,000 pM"
