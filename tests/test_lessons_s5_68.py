"""Lessons 06 and 08 (session 5, s5-68): the judgement exercises as a learner meets them, and the model behind
the CD25-blind variant's answer."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

import il2edu
from il2edu import content
from il2edu.models import binding

REPO = Path(__file__).resolve().parent.parent
NB08 = REPO / "notebooks" / "08_beyond_aldesleukin.ipynb"


def exercises(lesson):
    return content.read_yaml(content.seeds_dir() / "exercises" / f"{lesson}.yaml")["exercises"]


def exercise(exercise_id):
    return next(ex for ex in exercises("08-beyond-aldesleukin") if ex["id"] == exercise_id)


# -- 08-cd25-blind-variant: which cells a variant that cannot use CD25 favours -------------------------------

def test_without_cd25_help_the_model_gives_nk_cells_the_lowest_ec50():
    """The seed's answer is what the binding model says when the trimer binds no tighter than the dimer."""
    natural = binding.BindingParams.load()
    blind = natural.with_kd(kd_trimer=natural.kd_dimer)
    e = binding.ec50s(blind)
    assert min(e, key=e.get) == exercise("08-cd25-blind-variant")["answer"] == "nk"
    # and Tregs lose their lead: with natural IL-2 they respond first by far
    assert min(binding.ec50s(natural), key=binding.ec50s(natural).get) == "treg"
    assert e["treg"] > 3 * e["nk"]


def test_nk_cells_carry_the_most_il2rb_gc_pairs():
    """The reasoning the exercise asks for: the cell with the most IL-2Rβ–γc pairs wins once CD25 is out of play."""
    pairs = {name: binding.cell(name).beta_gamma for name in binding.cell_type_names()}
    assert max(pairs, key=pairs.get) == "nk"
    assert pairs["nk"] > 10 * pairs["treg"]


def test_cd25_blind_right_answer_is_correct(il2edu_home):
    assert il2edu.check("08-cd25-blind-variant", "NK").message.startswith("Correct")


MISCONCEPTIONS = {"08-cd25-blind-variant": 'Misconception: "Tregs always answer IL-2 first."',
                  "08-mouse-claim": 'Misconception: "a Treg rise in people plus a cure in mice means the drug will work'}


@pytest.mark.parametrize("exercise_id, wrong", [
    ("08-cd25-blind-variant", "treg"), ("08-cd25-blind-variant", "cd8"), ("08-cd25-blind-variant", "cd4"),
    ("08-mouse-claim", "more mice"), ("08-mouse-claim", "bigger rise"), ("08-mouse-claim", "longer half-life")])
def test_a_wrong_judgement_is_told_which_misconception_it_shows(il2edu_home, exercise_id, wrong):
    message = il2edu.check(exercise_id, wrong).message
    assert message.startswith("Not quite")
    assert MISCONCEPTIONS[exercise_id] in " ".join(message.split())


def test_cd25_blind_stub_is_not_attempted(il2edu_home):
    assert il2edu.check("08-cd25-blind-variant", ...).message.startswith("Not attempted yet")


# -- 08-mouse-claim: critiquing a claim from a Treg rise and a mouse result -----------------------------------

def test_mouse_claim_right_answer_is_correct(il2edu_home):
    assert il2edu.check("08-mouse-claim", " Trial ").message.startswith("Correct")


def test_mouse_claim_choices_in_the_lesson_are_the_ones_the_hint_names():
    nb = nbformat.read(NB08, as_version=4)
    text = next(c.source for c in nb.cells if c.get("id") == "08-s8-4")
    hint = exercise("08-mouse-claim")["hints"]["default"]
    for choice in ("more mice", "bigger rise", "longer half-life", "trial"):
        assert f'`"{choice}"`' in text and choice in hint


# -- the rule for lesson 08: at least half of its checked exercises ask for a judgement ----------------------

JUDGEMENT_08 = {"08-cd25-compensation", "08-cd25-blind-variant", "08-mouse-claim"}


def test_at_least_half_of_lesson_08s_checked_exercises_ask_for_judgement():
    checked = [ex["id"] for ex in exercises("08-beyond-aldesleukin") if ex["type"] != "manual"]
    assert JUDGEMENT_08 <= set(checked)
    assert 2 * len(JUDGEMENT_08) >= len(checked)


def test_every_08_exercise_is_checked_in_the_notebook_after_a_stub():
    nb = nbformat.read(NB08, as_version=4)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    for ex in exercises("08-beyond-aldesleukin"):
        at = next(i for i, s in enumerate(sources) if f'il2edu.check("{ex["id"]}"' in s)
        assert "..." in sources[at - 1] or "NotImplementedError" in sources[at - 1], ex["id"]


# -- 06: IL-2 in chronic viral hepatitis (question 06-hepatitis-placebo) --------------------------------------

def test_the_hepatitis_question_follows_its_cited_text_and_explains_every_distractor():
    nb = nbformat.read(REPO / "notebooks" / "06_high_dose.ipynb", as_version=4)
    ids = [c.get("id") for c in nb.cells]
    text = nb.cells[ids.index("06-s8-1")].source
    assert "[artillo1998]" in text and "[pardo1997]" in text
    assert nb.cells[ids.index("06-s8-1") + 1].source == 'il2edu.question("06-hepatitis-placebo")'
    bank = content.read_yaml(content.seeds_dir() / "quizzes" / "06-high-dose.yaml")["questions"]
    question = next(q for q in bank if q["id"] == "06-hepatitis-placebo")
    wrong = [c for c in question["choices"] if not c.get("correct")]
    assert len(wrong) == 3 and all(c.get("feedback", "").strip() for c in wrong)
    assert any(c["feedback"].startswith("Misconception:") for c in wrong)
    # the numbers the prompt repeats are the ones the lesson text gives
    assert "25% of patients on placebo" in " ".join(text.split()) and "25%" in question["prompt"]
