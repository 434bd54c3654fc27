"""Lessons 08 and 09: every exercise check as a learner meets it, with answers recomputed by the models."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

import il2edu
from il2edu import content
from il2edu.models import binding, response

REPO = Path(__file__).resolve().parent.parent


def exercise(exercise_id):
    for path in sorted((content.seeds_dir() / "exercises").glob("*.yaml")):
        for ex in content.read_yaml(path)["exercises"]:
            if ex["id"] == exercise_id:
                return ex
    raise KeyError(exercise_id)


def shown(result) -> str:
    """The text a learner reads under the check cell."""
    return result.message


# -- 08: the CD25-biased variant's window (expected value from the binding model) --------------------------

def variant_params():
    natural = binding.BindingParams.load()
    return natural, replace(natural, kd_dimer=10 * natural.kd_dimer, kd_trimer=2 * natural.kd_trimer)


def test_mutein_window_model_value_is_correct(il2edu_home):
    _, variant = variant_params()
    result = il2edu.check("08-mutein-window", binding.selectivity_window("nk", variant))
    assert shown(result).startswith("Correct")


def test_mutein_window_with_natural_params_gets_the_too_low_hint(il2edu_home):
    natural, _ = variant_params()
    result = il2edu.check("08-mutein-window", binding.selectivity_window("nk", natural))
    assert shown(result).startswith("Not quite")
    assert exercise("08-mutein-window")["hints"]["too_low"] in shown(result)


def test_mutein_window_with_cd8_gets_the_too_high_hint(il2edu_home):
    _, variant = variant_params()
    result = il2edu.check("08-mutein-window", binding.selectivity_window("cd8", variant))
    assert shown(result).startswith("Not quite")
    assert exercise("08-mutein-window")["hints"]["too_high"] in shown(result)


def test_the_variant_widens_the_window_in_the_model():
    """What the lesson says: a weaker IL-2Rβ contact widens the window (about ten-fold when the trimer keeps
    its Kd), and leaves it unchanged when the trimer loses the same ten-fold."""
    natural, variant = variant_params()
    window = binding.selectivity_window("nk", natural)
    assert binding.selectivity_window("nk", variant) > 3 * window
    best = replace(natural, kd_dimer=10 * natural.kd_dimer)
    assert binding.selectivity_window("nk", best) == pytest.approx(10 * window, rel=0.05)
    none = replace(natural, kd_dimer=10 * natural.kd_dimer, kd_trimer=10 * natural.kd_trimer)
    assert binding.selectivity_window("nk", none) == pytest.approx(window, rel=0.02)


# -- 08: how long until a fraction is left (function exercise; id kept from the earlier fraction-left form) --

def test_days_until_correct_function(il2edu_home):
    import math

    def days_until(fraction, half_life_days):
        return half_life_days * math.log2(1 / fraction)

    assert shown(il2edu.check("08-peg-fraction-left", days_until)).startswith("Correct")


def test_days_until_with_the_reciprocal_instead_of_its_log_gets_the_too_high_hint(il2edu_home):
    def days_until(fraction, half_life_days):
        return half_life_days / fraction

    text = shown(il2edu.check("08-peg-fraction-left", days_until))
    assert text.startswith("Not quite")
    assert exercise("08-peg-fraction-left")["hints"]["too_high"] in text


def test_days_until_forgetting_the_half_life_gets_the_too_low_hint(il2edu_home):
    import math

    def days_until(fraction, half_life_days):
        return math.log2(1 / fraction)

    text = shown(il2edu.check("08-peg-fraction-left", days_until))
    assert text.startswith("Not quite")
    assert exercise("08-peg-fraction-left")["hints"]["too_low"] in text


def test_days_until_stub_is_not_attempted(il2edu_home):
    def days_until(fraction, half_life_days):
        raise NotImplementedError

    assert shown(il2edu.check("08-peg-fraction-left", days_until)).startswith("Not attempted yet")


def test_the_lesson_text_after_the_exercise_matches_the_function():
    """c08-25 says a rezpegaldesleukin dose takes 15-26 days to fall to a quarter and aldesleukin under 3 h."""
    import math

    nb = nbformat.read(REPO / "notebooks" / "08_beyond_aldesleukin.ipynb", as_version=4)
    text = next(c.source for c in nb.cells if c.get("id") == "c08-25")
    assert "15 to 26 days" in text and "within 3 hours" in text
    assert round(7.4 * math.log2(4)) == 15 and round(12.9 * math.log2(4)) == 26
    assert 85 * math.log2(4) / 60 < 3
    assert 0.25 < 0.5 ** (14 / 7.4) and 0.5 ** (14 / 12.9) < 0.5  # "a quarter to a half" left at two weeks


# -- 09: dose conversion (function exercise) ---------------------------------------------------------------

def test_miu_per_day_correct_function(il2edu_home):
    def miu_per_day(iu_per_m2, body_surface_m2):
        return iu_per_m2 * body_surface_m2 / 1_000_000

    assert shown(il2edu.check("09-dose-miu-per-day", miu_per_day)).startswith("Correct")


def test_miu_per_day_dividing_by_surface_is_not_quite_with_hint(il2edu_home):
    def miu_per_day(iu_per_m2, body_surface_m2):
        return iu_per_m2 / body_surface_m2 / 1_000_000

    text = shown(il2edu.check("09-dose-miu-per-day", miu_per_day))
    assert text.startswith("Not quite")
    assert exercise("09-dose-miu-per-day")["hints"]["default"] in text


def test_miu_per_day_forgetting_the_million_is_not_quite(il2edu_home):
    def miu_per_day(iu_per_m2, body_surface_m2):
        return iu_per_m2 * body_surface_m2

    assert shown(il2edu.check("09-dose-miu-per-day", miu_per_day)).startswith("Not quite")


# -- 09: the mean Treg response (expected value from the regimen model) -----------------------------------

def test_mean_treg_response_model_value_is_correct(il2edu_home):
    course = response.regimen_response("low-dose-1miu")
    assert course.time_above_ec50_h["treg"] == 0  # why the exercise asks for the mean response instead
    result = il2edu.check("09-mean-treg-response", course.mean_response["treg"])
    assert shown(result).startswith("Correct")


def test_mean_treg_response_taking_nk_gets_the_too_low_hint(il2edu_home):
    course = response.regimen_response("low-dose-1miu")
    result = il2edu.check("09-mean-treg-response", course.mean_response["nk"])
    assert shown(result).startswith("Not quite")
    assert exercise("09-mean-treg-response")["hints"]["too_low"] in shown(result)


def test_mean_treg_response_taking_the_peak_gets_the_too_high_hint(il2edu_home):
    course = response.regimen_response("low-dose-1miu")
    result = il2edu.check("09-mean-treg-response", course.peak_response["treg"])
    assert exercise("09-mean-treg-response")["hints"]["too_high"] in shown(result)


def test_mean_treg_response_stub_is_not_attempted(il2edu_home):
    assert shown(il2edu.check("09-mean-treg-response", ...)).startswith("Not attempted yet")


# -- the stored solutions pass their checks: tests/test_learner_first.py grades the generated keys ------------


# -- the notebooks show every inline question, and the capstone keeps its rubric for instructors ------------

@pytest.mark.parametrize("lesson, name", [("08-beyond-aldesleukin", "08_beyond_aldesleukin.ipynb"),
                                          ("09-capstone", "09_capstone.ipynb")])
def test_inline_questions_are_shown_in_the_text_and_the_rest_in_the_quiz(lesson, name):
    import re

    nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    shown_inline = set(re.findall(r'il2edu\.question\("([^"]+)"\)', source))
    bank = content.read_yaml(content.seeds_dir() / "quizzes" / f"{lesson}.yaml")
    inline = {q["id"] for q in bank["questions"] if q.get("inline")}
    assert shown_inline == inline
    assert f'il2edu.quiz("{lesson}")' in source
    assert len(bank["questions"]) >= 8
    assert {q["type"] for q in bank["questions"]} == {"single", "multiple", "numeric", "truefalse", "ordering"}


def test_capstone_rubric_is_shown_to_learners_and_the_grading_notes_stay_with_instructors():
    nb = nbformat.read(REPO / "notebooks" / "09_capstone.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "instructor" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert tagged[0].cell_type == "markdown" and "rubric" in tagged[0].source.lower()
    learner = [c for c in nb.cells if c is not tagged[0]]
    rubric = [c for c in learner if c.source.startswith("### How your defence is graded (10 points)")]
    assert len(rubric) == 1  # what a learner reads before writing the defence
    for part in ("**Schedule** (3)", "**Expected selectivity** (2)", "**Risk accepted** (2)", "**Evidence and the test** (3)"):
        assert part in rubric[0].source
    defence = next(i for i, c in enumerate(learner) if "<!-- manual: 09-defence -->" in c.source)
    assert learner.index(rubric[0]) < defence and "**5. The test.**" in learner[defence].source
    # the grading notes (common errors) stay out of what learners see
    assert "Common errors to look for" in tagged[0].source
    assert "Common errors to look for" not in "\n".join(c.source for c in learner)


# -- 09: which dose-finding arm to take forward (a judgement between signal and selectivity) -----------------

def test_pick_arm_answer_is_the_trade_off_the_model_gives(il2edu_home):
    arms = {a: response.regimen_response(a) for a in ("t1d-0.33miu", "t1d-1miu", "t1d-3miu")}
    strong = [a for a, r in arms.items() if r.mean_response["treg"] >= 0.05]
    best = max(strong, key=lambda a: arms[a].selectivity_index)
    assert "t1d-0.33miu" not in strong  # the most selective arm gives too weak a signal
    assert arms["t1d-0.33miu"].selectivity_index > arms[best].selectivity_index > arms["t1d-3miu"].selectivity_index
    assert best == exercise("09-pick-arm")["answer"]
    assert shown(il2edu.check("09-pick-arm", f"  {best.upper()} ")).startswith("Correct")


@pytest.mark.parametrize("wrong", ["t1d-0.33miu", "t1d-3miu"])
def test_pick_arm_wrong_arm_gets_the_hint(il2edu_home, wrong):
    message = shown(il2edu.check("09-pick-arm", wrong))
    assert message.startswith("Not quite") and exercise("09-pick-arm")["hints"]["default"] in message


def test_pick_arm_stub_is_not_attempted(il2edu_home):
    assert shown(il2edu.check("09-pick-arm", ...)).startswith("Not attempted yet")


# -- 08: how much CD25 must make up for (a design judgement read from the binding model) ---------------------

def window_at(factor):
    natural = binding.BindingParams.load()
    return binding.selectivity_window("nk", replace(natural, kd_dimer=10 * natural.kd_dimer,
                                                    kd_trimer=factor * natural.kd_trimer))


def test_cd25_compensation_answer_is_where_the_window_falls_to_100_fold(il2edu_home):
    ex = exercise("08-cd25-compensation")
    assert window_at(ex["answer"] - 0.05) > 100 > window_at(ex["answer"] + 0.05)
    for one_decimal in (2.3, 2.4):  # either rounding of the boundary passes
        assert shown(il2edu.check("08-cd25-compensation", one_decimal)).startswith("Correct")


@pytest.mark.parametrize("value, hint", [(1.0, "too_low"), (10.0, "too_high"), (2.6, "too_high")])
def test_cd25_compensation_misses_say_which_way(il2edu_home, value, hint):
    message = shown(il2edu.check("08-cd25-compensation", value))
    assert message.startswith("Not quite") and exercise("08-cd25-compensation")["hints"][hint] in message
