"""Lessons 06 and 07: every exercise check gives the learner-visible verdict and hint, right or wrong."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import il2edu

REPO = Path(__file__).resolve().parent.parent


def shown(exercise_id, value) -> str:
    return repr(il2edu.check(exercise_id, value))


# (exercise id, a correct answer, a wrong answer, text the wrong answer's feedback must contain)
NUMERIC = [
    ("06-infusion-70kg", 600_000 * 70 / 1e6, 126, "Hint: This asks for one infusion, not a whole day"),
    ("06-response-rate", 37 / 255 * 100, 255 / 37 * 100, "Hint: Divide responders (37) by all patients (255)"),
    ("07-saadoun-total", 52.5, 60, "Hint: The first course is 1.5 MIU/day"),
    ("07-saadoun-total", 52.5, 37.5, "Hint: There are three later courses"),
]


@pytest.mark.parametrize("exercise_id, right, wrong, hint", NUMERIC, ids=[f"{n[0]}-{n[2]:g}" for n in NUMERIC])
def test_numeric_exercises(il2edu_home, exercise_id, right, wrong, hint):
    assert shown(exercise_id, right).startswith("Correct")
    text = shown(exercise_id, wrong)
    assert text.startswith("Not quite")
    assert hint in text


def test_high_vs_low_with_the_learners_own_patient(il2edu_home, monkeypatch):
    monkeypatch.setenv("IL2EDU_STUDENT", "learner-7")  # each learner has their own weight and body surface
    mine = il2edu.numbers("07-high-vs-low")
    high_day, low_day = 600_000 * mine.weight_kg * 3 / 1e6, 1 * mine.bsa_m2
    assert shown("07-high-vs-low", high_day / low_day).startswith("Correct")
    assert "Hint: Did you divide by 1 MIU?" in shown("07-high-vs-low", high_day)
    assert "Hint: Did you use one infusion instead" in shown("07-high-vs-low", high_day / 3 / low_day)


def test_response_rate_as_a_fraction_is_caught(il2edu_home):
    text = shown("06-response-rate", 37 / 255)  # forgot the x100
    assert text.startswith("Not quite")


def test_high_dose_day_function(il2edu_home):
    def right(weight_kg):
        return 600_000 * weight_kg * 3 / 1_000_000

    def one_infusion(weight_kg):
        return 600_000 * weight_kg / 1_000_000

    def stub(weight_kg):
        raise NotImplementedError

    assert shown("06-daily-miu-function", right).startswith("Correct")
    text = shown("06-daily-miu-function", one_infusion)
    assert text.startswith("Not quite") and "for one_infusion(70)" in text
    assert "Hint: One infusion is 600,000 IU per kg; there are three infusions a day" in text
    assert shown("06-daily-miu-function", stub).startswith("Not attempted yet")


def test_per_m2_function(il2edu_home):
    def right(dose_miu_per_m2, bsa_m2):
        return dose_miu_per_m2 * bsa_m2

    def divides(dose_miu_per_m2, bsa_m2):
        return dose_miu_per_m2 / bsa_m2

    assert shown("07-per-m2-function", right).startswith("Correct")
    text = shown("07-per-m2-function", divides)
    assert text.startswith("Not quite")
    assert "Hint: A dose per square metre times the body surface area" in text


# (exercise id, the right answer, a plausible wrong one, text the wrong answer's hint must contain): judgements
JUDGEMENT = [
    ("06-il2ra-defect", "Treg", "nk", "Which resting cell relies most on CD25"),
    ("06-esprit-decision", " No ", "yes", "Decide on the clinical endpoint and the harms"),
    ("06-vitiligo-cause", "no", "yes", "Could a third thing explain both?"),
    ("07-which-nk", "Bright NK", "dim nk", "among NK cells only one subset carries them"),
    ("07-strongest-design", "lupus", "t1d", "a primary endpoint that is about how patients fared"),
    ("07-treg-gate", "CD127", "cd122", "Which receptor chain do Tregs carry little of"),
]


@pytest.mark.parametrize("exercise_id, right, wrong, hint", JUDGEMENT, ids=[n[0] for n in JUDGEMENT])
def test_judgement_exercises(il2edu_home, exercise_id, right, wrong, hint):
    assert shown(exercise_id, right).startswith("Correct")  # case and spaces do not matter
    text = shown(exercise_id, wrong)
    assert text.startswith("Not quite") and hint in text
    assert shown(exercise_id, ...).startswith("Not attempted yet")


def test_every_exercise_of_the_lessons_is_tested():
    import yaml

    ids = set()
    for lesson in ("06-high-dose", "07-low-dose"):
        data = yaml.safe_load((REPO / "seeds" / "exercises" / f"{lesson}.yaml").read_text())
        ids |= {ex["id"] for ex in data["exercises"]}
    tested = {n[0] for n in NUMERIC + JUDGEMENT} | {"06-daily-miu-function", "07-per-m2-function", "07-high-vs-low"}
    assert ids == tested


@pytest.mark.parametrize("notebook", ["06_high_dose.ipynb", "07_low_dose.ipynb"])
def test_notebook_solutions_pass_their_checks(il2edu_home, notebook):
    """Run each solution cell of the generated key, then the check cell after it: each must say Correct."""
    from il2edu.instructor import common, key

    path = REPO / "notebooks" / notebook
    keyed = key.key_version(common.read_notebook(path), common.exercises(common.lesson_for_notebook(path)))
    cells = [common.source(c) for c in keyed["cells"] if c["cell_type"] == "code"]
    namespace = {"il2edu": il2edu}
    checked = 0
    for i, source in enumerate(cells):
        if "### BEGIN SOLUTION" not in source:
            continue
        exec(compile(source, f"{notebook}[{i}]", "exec"), namespace)
        check_call = cells[i + 1]
        assert check_call.startswith("il2edu.check("), check_call
        result = eval(check_call, namespace)
        assert repr(result).startswith("Correct"), (check_call, repr(result))
        checked += 1
    assert checked >= 2
