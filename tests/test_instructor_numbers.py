"""Per-student numbers (il2edu.activities.numbers): each learner's own numbers, judged by the model.

Fast tests: the numbers a learner sees, the self-study check, validation, the release for assessment.
The slow one grades a real batch in the real bubblewrap sandbox: two students each earn the points with
their own numbers, a classmate's number and the package's example earn none, and a function that only
knows the visible inputs fails the hidden ones.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap

import nbformat
import pytest
import yaml

import il2edu
from il2edu.activities import exercises, numbers
from il2edu.activities.quiz.answers import within
from il2edu.instructor import grade, release, sandbox
from il2edu.models import estimates
from instructor_helpers import REPO, SEEDS
from test_instructor_grade import snapshot, student_notebook

REAL = exercises.all_exercises(REPO / "seeds")


def real(exercise_id):
    return REAL[exercise_id][1]


# -- the numbers a learner sees ---------------------------------------------------------------------------------

def test_numbers_are_stable_on_the_declared_steps_and_differ_between_students():
    ex = real("07-high-vs-low")
    drawn = [numbers.for_student(ex, f"student-{n}") for n in range(200)]
    assert numbers.for_student(ex, "student-3") == drawn[3]  # the same id always gives the same numbers
    weights = {d["weight_kg"] for d in drawn}
    assert weights <= set(range(50, 101)) and len(weights) > 40  # whole kg, spread over the range
    assert all(1.5 <= d["bsa_m2"] <= 2.2 and d["bsa_m2"] == round(d["bsa_m2"], 2) for d in drawn)
    assert len({tuple(d.values()) for d in drawn}) > 190
    # how often a copied number still passes: pairs of students, and students against the lesson's example
    # (docs/INSTRUCTORS.md quotes these; the ids are fixed, so the shares are the same on every run)
    values = [estimates.high_vs_low_fold(**d) for d in drawn]
    pairs = [(a, b) for i, a in enumerate(values) for b in values[i + 1:]]
    close_pairs = sum(within(a, b, ex["tolerance"]) for a, b in pairs) / len(pairs)
    close_to_example = sum(within(v, ex["answer"], ex["tolerance"]) for v in values) / len(values)
    assert 0.03 < close_pairs < 0.06 and 0.05 < close_to_example < 0.1, (close_pairs, close_to_example)


def test_self_study_numbers_come_from_the_learners_own_id(il2edu_home, monkeypatch):
    monkeypatch.delenv(numbers.STUDENT_ENV, raising=False)
    monkeypatch.setattr(numbers, "_declared", None)
    mine = il2edu.numbers("07-high-vs-low")
    learner = (il2edu_home / "learner-id").read_text().strip()
    assert numbers.for_student(real("07-high-vs-low"), learner) == {
        k: v for k, v in vars(mine).items() if not k.startswith("_")}
    assert repr(mine) == (f"Your numbers for this exercise: mine.weight_kg = {mine.weight_kg:g} kg (body weight), "
                          f"mine.bsa_m2 = {mine.bsa_m2:g} m² (body surface area).")
    own = 600_000 * mine.weight_kg * 3 / 1e6 / mine.bsa_m2
    assert repr(il2edu.check("07-high-vs-low", own)).startswith("Correct")


def test_a_classmates_or_the_packages_number_is_wrong_for_you(il2edu_home, monkeypatch):
    ex = real("07-high-vs-low")
    monkeypatch.setenv(numbers.STUDENT_ENV, "alice")
    alice = estimates.high_vs_low_fold(**numbers.for_student(ex, "alice"))
    bob = estimates.high_vs_low_fold(**numbers.for_student(ex, "bob"))
    assert not within(bob, alice, ex["tolerance"]) and not within(70, alice, ex["tolerance"])
    assert repr(il2edu.check("07-high-vs-low", alice)).startswith("Correct")
    assert repr(il2edu.check("07-high-vs-low", bob)).startswith("Not quite")
    assert repr(il2edu.check("07-high-vs-low", 70)).startswith("Not quite")  # the lesson text's example adult


def test_a_declared_student_id_sets_the_numbers_and_the_graders_id_wins(il2edu_home, monkeypatch):
    monkeypatch.delenv(numbers.STUDENT_ENV, raising=False)
    monkeypatch.setattr(numbers, "_declared", None)
    ex = real("01-secretion-hour")
    assert "Type the name or id" in repr(il2edu.student(""))
    assert "now those of 'bob'" in repr(il2edu.student("bob"))
    assert il2edu.numbers("01-secretion-hour").fold == numbers.for_student(ex, "bob")["fold"]
    monkeypatch.setenv(numbers.STUDENT_ENV, "carol")  # what `il2edu grade` sets inside its sandbox
    assert il2edu.numbers("01-secretion-hour").fold == numbers.for_student(ex, "carol")["fold"]


def test_an_unknown_exercise_gives_one_line_and_no_numbers(il2edu_home, capsys):
    mine = il2edu.numbers("07-saadoun-total")  # an exercise without params
    assert vars(mine) == {} and "Traceback" not in capsys.readouterr().err


# -- validation -------------------------------------------------------------------------------------------------

def problems_of(**changes):
    return exercises.exercise_problems({**real("07-high-vs-low"), **changes}, None, {"proleukin_label": {}, "koreth2016": {}})


def test_validate_names_each_problem_of_params_and_model():
    assert problems_of() == []
    assert problems_of(answer=60) == ["'answer' 60 is not what the model gives for the params' examples (70)"]
    assert problems_of(model="os.system") == ["'model' 'os.system' is not a function of il2edu.models"]
    assert problems_of(model="estimates.molecules_released") == [
        "'model' 'estimates.molecules_released' does not take the params weight_kg, bsa_m2"]
    bad_step = {"weight_kg": {"min": 50, "max": 100, "step": 3, "example": 70}, "bsa_m2": real("07-high-vs-low")["params"]["bsa_m2"]}
    assert problems_of(params=bad_step) == ["param 'weight_kg': max - min should be a whole number of steps > 0"]
    assert problems_of(hidden_cases=3) == ["'hidden_cases' should be a whole number from 1 to 20, for a function exercise"]
    fn = {"id": "01-release-any-time", "title": "Molecules released", "objective": "estimate", "points": 2, "type": "function",
          "cases": [{"args": [7.5, 1], "expected": 27000}], "tolerance": {"relative": 0.01},
          "params": {"rate_per_second": {"min": 0, "max": 225, "step": 0.5, "example": 7.5},
                     "hours": {"min": 0.25, "max": 48, "step": 0.25, "example": 1}},
          "model": "estimates.molecules_released", "hidden_cases": 3, "hints": {"default": "rate times seconds"},
          "solution": "return rate_per_second * hours * 3600\n", "reasoning": "Per second, times seconds.",
          "references": ["tkach2014"]}
    assert exercises.exercise_problems(fn, None, {"tkach2014": {}}) == []
    assert exercises.exercise_problems({**fn, "cases": [{"args": [7.5, 1], "expected": 3}]}, None, {"tkach2014": {}}) == [
        "case [7.5, 1]: the model gives 27000, not 3"]


# -- the release for assessment ---------------------------------------------------------------------------------

def test_a_copy_for_assessment_asks_for_the_student_id(tmp_path):
    lesson = REPO / "notebooks" / "07_low_dose.ipynb"
    manifest = release.release([lesson], tmp_path / "exam", root=REPO / "seeds", assess=True)
    nb = json.loads((tmp_path / "exam" / "07_low_dose.ipynb").read_text())
    ids = [c.get("id") for c in nb["cells"]]
    assert ids.index("il2edu-assess") + 1 == ids.index("il2edu-student") and manifest["assess"]
    cell = nb["cells"][ids.index("il2edu-student")]
    assert "".join(cell["source"]).startswith('il2edu.student("")') and cell["metadata"].get("editable") is not False
    plain = release.release([lesson], tmp_path / "self", root=REPO / "seeds")
    assert "il2edu-student" not in (tmp_path / "self" / "07_low_dose.ipynb").read_text() and not plain["assess"]


# -- a real graded batch ----------------------------------------------------------------------------------------

EXERCISES = """\
lesson: 92-numbers
exercises:
  - id: 92-high-vs-low
    title: High-dose day against low-dose day, for your own patient
    objective: occupancy
    points: 2
    type: numeric
    answer: 70
    params:
      weight_kg: {label: body weight, unit: kg, min: 50, max: 100, step: 1, example: 70}
      bsa_m2: {label: body surface area, unit: m², min: 1.5, max: 2.2, step: 0.01, example: 1.8}
    model: estimates.high_vs_low_fold
    tolerance: {relative: 0.02}
    hints: {default: Divide three 600000 IU/kg infusions by 1 MIU/m² times the body surface.}
    solution: "fold_difference = 600_000 * mine.weight_kg * 3 / 1e6 / mine.bsa_m2"
    reasoning: "One day of each, divided."
    references: [kosmaczewska2014]
  - id: 92-molecules
    title: Molecules released over some hours
    objective: occupancy
    points: 3
    type: function
    cases:
      - {args: [7.5, 1], expected: 27000}
      - {args: [225, 2], expected: 1620000}
    params:
      rate_per_second: {min: 0, max: 225, step: 0.5, example: 7.5}
      hours: {min: 0.25, max: 48, step: 0.25, example: 1}
    model: estimates.molecules_released
    hidden_cases: 3
    tolerance: {relative: 0.01}
    hints: {default: Rate times hours times 3600.}
    solution: "return rate_per_second * hours * 3600"
    reasoning: "Seconds in the hours, times the rate."
    references: [kosmaczewska2014]
"""

LESSON = """\
- id: 92-numbers
  notebook: 92_numbers.ipynb
  title: Fixture lesson with per-student numbers
  topics: Dosing
  minutes: 5
  interactive: Two exercises
  status: available
"""


def lesson_notebook() -> nbformat.NotebookNode:
    """The instructor version of the fixture lesson: solutions between markers, as `il2edu key` writes them."""
    def solved(grade_id, source):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False, "schema_version": 3,
                                     "solution": True}
        return cell

    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Fixture lesson with per-student numbers"),
        nbformat.v4.new_code_cell("import il2edu"),
        solved("92-high-vs-low-answer", 'mine = il2edu.numbers("92-high-vs-low")  # your own patient\n'
                                        "### BEGIN SOLUTION\nfold_difference = 600_000 * mine.weight_kg * 3 / 1e6 "
                                        "/ mine.bsa_m2\n### END SOLUTION"),
        nbformat.v4.new_code_cell('il2edu.check("92-high-vs-low", fold_difference)'),
        solved("92-molecules-answer", "def molecules(rate_per_second, hours):\n    ### BEGIN SOLUTION\n"
                                      "    return rate_per_second * hours * 3600\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell('il2edu.check("92-molecules", molecules)'),
    ])


BANK = """\
lesson: 92-numbers
questions:
  - id: 92-assessed-fold
    type: numeric
    prompt: How many times more IL-2 does a high-dose day give your patient than a 1 MIU/m² day?
    answer: 70
    params:
      weight_kg: {unit: kg, min: 50, max: 100, step: 1, example: 70}
      bsa_m2: {unit: m², min: 1.5, max: 2.2, step: 0.01, example: 1.8}
    model: estimates.high_vs_low_fold
    tolerance: {relative: 0.02}
"""
ASSESSED_OWN = "assessed_answer_1 = 600_000 * mine.weight_kg * 3 / 1e6 / mine.bsa_m2"


def answer_assessed(path, source):
    """Fill the assessed question's answer cell (below its il2edu.numbers line) in a student's notebook."""
    nb = nbformat.read(str(path), as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith('mine = il2edu.numbers("92-assessed-fold"'))
    cell.source = cell.source.split("\n")[0] + "\n" + source
    nbformat.write(nb, str(path))


OWN_NUMBERS = {"92-high-vs-low-answer": 'mine = il2edu.numbers("92-high-vs-low")\n'
                                        "fold_difference = 600_000 * mine.weight_kg * 3 / 1e6 / mine.bsa_m2",
               "92-molecules-answer": "def molecules(rate_per_second, hours):\n    return rate_per_second * hours * 3600"}
# a function that knows only the inputs the learner is shown
LOOKUP = "def molecules(rate_per_second, hours):\n    return {(7.5, 1): 27000, (225, 2): 1620000}.get((rate_per_second, hours), 0)"


@pytest.mark.slow
def test_a_graded_batch_gives_each_student_their_own_numbers(tmp_path, monkeypatch):
    try:
        sandbox.probe()
    except sandbox.NoSandbox as err:
        pytest.fail(f"bubblewrap must work here (CI installs it): {err}")
    instructor, subs = tmp_path / "instructor", tmp_path / "submissions"
    shutil.copytree(SEEDS, instructor / "seeds")
    with (instructor / "seeds" / "lessons.yaml").open("a", encoding="utf-8") as fh:
        fh.write(LESSON)
    (instructor / "seeds" / "exercises" / "92-numbers.yaml").write_text(EXERCISES, encoding="utf-8")
    (instructor / "notebooks").mkdir()
    nbformat.write(lesson_notebook(), str(instructor / "notebooks" / "92_numbers.ipynb"))
    monkeypatch.setenv("IL2EDU_SEEDS", str(instructor / "seeds"))
    bank = tmp_path / "private" / "exam-92.yaml"  # the instructor's private bank, outside the course
    bank.parent.mkdir()
    bank.write_text(BANK, encoding="utf-8")
    release.release([instructor / "notebooks" / "92_numbers.ipynb"], instructor / "release", root=instructor / "seeds",
                    assess=bank)
    released = instructor / "release" / "92_numbers.ipynb"
    shipped = released.read_text(encoding="utf-8")  # the ranges reach the students; the answer and model do not
    assert "'weight_kg': {'unit': 'kg', 'min': 50" in shipped and "answer: 70" not in shipped and "high_vs_low" not in shipped

    ex = yaml.safe_load(EXERCISES)["exercises"][0]
    value = {s: estimates.high_vs_low_fold(**numbers.for_student(ex, s)) for s in ("alice", "bob", "carol", "dave")}
    # the ids are fixed, so this holds on every run: nobody's number is within tolerance of alice's or of 70
    assert all(not within(value[s], value["alice"], ex["tolerance"]) for s in ("bob", "carol", "dave"))
    assert not within(value["dave"], 70, ex["tolerance"]) and not within(value["carol"], value["bob"], ex["tolerance"])

    student_notebook(released, subs / "alice", OWN_NUMBERS)
    student_notebook(released, subs / "bob", OWN_NUMBERS)
    # carol says she is alice and types alice's number; her function is right
    student_notebook(released, subs / "carol", {"92-high-vs-low-answer": f"fold_difference = {value['alice']!r}",
                                                "92-molecules-answer": OWN_NUMBERS["92-molecules-answer"]},
                     {"92-high-vs-low": ['il2edu.student("alice")']})
    # dave types the package's example (70 kg, 1.8 m²) and hands in a lookup table of the visible cases
    student_notebook(released, subs / "dave", {"92-high-vs-low-answer": "fold_difference = 70",
                                               "92-molecules-answer": LOOKUP})
    for s, source in (("alice", ASSESSED_OWN), ("bob", ASSESSED_OWN), ("carol", f"assessed_answer_1 = {value['alice']!r}"),
                      ("dave", "assessed_answer_1 = 70")):
        answer_assessed(subs / s / "92_numbers.ipynb", source)
    before = snapshot(subs)
    table = grade.grade(sorted(subs.iterdir()), instructor / "grades.csv", root=instructor / "seeds", cell_timeout=30,
                        notebook_timeout=120, log=lambda line: None, executed_dir=instructor / "executed", jobs=2,
                        assess_bank=bank)

    got = {(r["student"], r["item"]): (r["points"], r["status"], r["detail"]) for r in table if r["kind"] == "exercise"}
    assert got["alice", "92-high-vs-low"][:2] == ("2", "correct")
    assert got["bob", "92-high-vs-low"][:2] == ("2", "correct")
    assert got["carol", "92-high-vs-low"][:2] == ("0", "incorrect")  # a classmate's number is wrong for her
    assert got["dave", "92-high-vs-low"][:2] == ("0", "incorrect")  # so is the package's example
    carol = numbers.for_student(ex, "carol")
    assert f"(for weight_kg={carol['weight_kg']:g}, bsa_m2={carol['bsa_m2']:g})" in got["carol", "92-high-vs-low"][2]
    # functions: judged on the shown inputs and three hidden ones drawn for this grading
    for s in ("alice", "bob", "carol"):
        assert got[s, "92-molecules"][:2] == ("3", "correct"), got[s, "92-molecules"]
    assert got["dave", "92-molecules"][:2] == ("0", "incorrect") and "for hidden args" in got["dave", "92-molecules"][2]
    # the assessed question of the private bank: the same, judged with the bank outside the sandbox
    assessed = {r["student"]: (r["points"], r["status"]) for r in table if r["kind"] == "assessed"}
    assert assessed == {"alice": ("1", "correct"), "bob": ("1", "correct"), "carol": ("0", "incorrect"),
                        "dave": ("0", "incorrect")}
    totals = {r["student"]: r["points"] for r in table if r["kind"] == "total"}
    assert totals == {"alice": "6", "bob": "6", "carol": "3", "dave": "0"}
    # each executed notebook shows that student's own numbers, and nothing handed in changed
    for s in ("alice", "bob"):
        mine = numbers.for_student(ex, s)
        text = (instructor / "executed" / s / "92_numbers.ipynb").read_text(encoding="utf-8")
        assert f"mine.weight_kg = {mine['weight_kg']:g} kg (body weight)" in text
    assert snapshot(subs) == before


def test_the_estimate_models_give_the_lessons_numbers_and_refuse_bad_input():
    assert estimates.molecules_in_an_hour(1) == 27000 and estimates.molecules_released(225, 2) == 1_620_000
    assert estimates.high_vs_low_fold(70, 1.8) == pytest.approx(126 / 1.8)
    with pytest.raises(ValueError, match="bsa_m2 must be"):
        estimates.high_vs_low_fold(70, 0)
    with pytest.raises(ValueError, match="hours must be"):
        estimates.molecules_released(7.5, -1)
