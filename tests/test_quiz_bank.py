"""`il2edu validate` on quiz banks and exercise files: one named error for each kind of breakage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quiz_support import make_seeds

from il2edu import validate


@pytest.fixture
def seeds(tmp_path):
    return make_seeds(tmp_path)


def edit_bank(seeds, change, name="quizzes/01-meet-il2.yaml"):
    path = seeds / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def problems(seeds):
    return [str(p) for p in validate.validate(seeds)]


def question(data, qid):
    return next(q for q in data["questions"] if q["id"] == qid)


def test_the_test_bank_and_exercises_are_valid(seeds):
    assert problems(seeds) == []


BANK = "seeds/quizzes/01-meet-il2.yaml"


@pytest.mark.parametrize("change, expected", [
    (lambda d: question(d, "01-zz-single")["choices"][1].update(correct=True),
     f"{BANK}: entry '01-zz-single': a single-choice question needs exactly one choice marked correct (found 2)"),
    (lambda d: question(d, "01-zz-single")["choices"][0].pop("correct"),
     f"{BANK}: entry '01-zz-single': a single-choice question needs exactly one choice marked correct (found 0)"),
    (lambda d: [c.pop("correct", None) for c in question(d, "01-zz-multiple")["choices"]],
     f"{BANK}: entry '01-zz-multiple': no choice is marked correct"),
    (lambda d: question(d, "01-zz-numeric").update(tolerance={"relative": 0}),
     f"{BANK}: entry '01-zz-numeric': 'tolerance' relative should be a number > 0, not 0"),
    (lambda d: question(d, "01-zz-numeric").update(tolerance={"absolute": -1}),
     f"{BANK}: entry '01-zz-numeric': 'tolerance' absolute should be a number > 0, not -1"),
    (lambda d: question(d, "01-zz-numeric").update(tolerance={"percent": 5}),
     f"{BANK}: entry '01-zz-numeric': 'tolerance' should be {{relative: 0.05}} or {{absolute: 0.5}}"),
    (lambda d: question(d, "01-zz-numeric").update(answer="forty-two"),
     f"{BANK}: entry '01-zz-numeric': 'answer' should be a number"),
    (lambda d: question(d, "01-zz-truefalse").update(answer="yes"),
     f"{BANK}: entry '01-zz-truefalse': 'answer' should be true or false"),
    (lambda d: question(d, "01-zz-ordering").update(items=["only one"]),
     f"{BANK}: entry '01-zz-ordering': 'items' should list at least two items, in the correct order"),
    (lambda d: question(d, "01-zz-single").update(type="essay"),
     f"{BANK}: entry '01-zz-single': 'type' should be one of single, multiple, numeric, truefalse, ordering, not 'essay'"),
    (lambda d: question(d, "01-zz-single").update(references=["nobody2099"]),
     f"{BANK}: entry '01-zz-single': unknown reference key 'nobody2099' (not in seeds/references.yaml)"),
    (lambda d: question(d, "01-zz-single").pop("references"),
     f"{BANK}: entry '01-zz-single': 'references' should be a non-empty list of keys from seeds/references.yaml"),
    (lambda d: question(d, "01-zz-single").update(objective="flying"),
     f"{BANK}: entry '01-zz-single': 'objective' 'flying' is not one of the bank's objectives"),
    (lambda d: question(d, "01-zz-single").pop("explanation"),
     f"{BANK}: entry '01-zz-single': 'explanation' is missing"),
    (lambda d: question(d, "01-zz-single").update(awnser=1),
     f"{BANK}: entry '01-zz-single': unknown field(s): awnser"),
    (lambda d: question(d, "01-zz-single")["choices"][0].update(text="$10^{-11}$ M"),
     f"{BANK}: entry '01-zz-single': keep LaTeX ($...$) out of choices; widget labels do not typeset it (use Unicode)"),
    (lambda d: question(d, "01-zz-multiple").update(id="01-zz-single"),
     f"{BANK}: entry '01-zz-single': question id is also used in {BANK}"),
    (lambda d: question(d, "01-zz-single").update(id="Bad Id"),
     f"{BANK}: entry 'Bad Id': 'id' should look like '02-trimer-affinity' (lesson number, then lowercase words)"),
    (lambda d: d.update(lesson="02-receptor"),
     f"{BANK}: 'lesson' should be '01-meet-il2' (the file's name), not '02-receptor'"),
    (lambda d: d.update(questions=[]),
     f"{BANK}: 'questions' should be a non-empty list"),
])
def test_each_kind_of_broken_bank_is_named(seeds, change, expected):
    edit_bank(seeds, change)
    assert expected in problems(seeds)


def test_question_ids_are_unique_across_banks(seeds):
    text = (seeds / "quizzes" / "01-meet-il2.yaml").read_text()
    (seeds / "quizzes" / "02-receptor.yaml").write_text(text.replace("lesson: 01-meet-il2", "lesson: 02-receptor"))
    assert "seeds/quizzes/02-receptor.yaml: entry '01-zz-single': question id is also used in " \
           "seeds/quizzes/01-meet-il2.yaml" in problems(seeds)


def test_bank_without_a_lesson_is_named(seeds):
    text = (seeds / "quizzes" / "01-meet-il2.yaml").read_text().replace("01-", "42-")
    (seeds / "quizzes" / "42-nowhere.yaml").write_text(text)
    assert "seeds/quizzes/42-nowhere.yaml: no lesson '42-nowhere' in seeds/lessons.yaml" in problems(seeds)


def test_malformed_bank_is_named_with_its_line(seeds):
    (seeds / "quizzes" / "01-meet-il2.yaml").write_text("lesson: 01-meet-il2\nquestions: [unclosed\n")
    found = problems(seeds)
    assert any(p.startswith("seeds/quizzes/01-meet-il2.yaml: malformed YAML at line") for p in found), found


def write_notebook(folder, name, code):
    folder.mkdir(exist_ok=True)
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": code, "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / name).write_text(json.dumps(nb))


def test_notebook_quiz_question_and_check_need_a_bank_or_exercise(seeds):
    for real in ("quizzes", "exercises"):  # the real lesson 05 has a bank and exercises; this test needs neither
        (seeds / real / "05-autoimmunity.yaml").unlink(missing_ok=True)
    write_notebook(seeds.parent / "notebooks", "05_x.ipynb",
                   'il2edu.quiz("05-autoimmunity")\nil2edu.question("05-missing")\nil2edu.check("05-gone", 1)\n'
                   'il2edu.quiz("01-meet-il2")\nil2edu.question("01-zz-inline")\nil2edu.check("01-zz-dose", 42)')
    found = problems(seeds)
    assert "notebooks/05_x.ipynb: entry '05-autoimmunity': shows a quiz, but there is no bank " \
           "seeds/quizzes/05-autoimmunity.yaml" in found
    assert "notebooks/05_x.ipynb: entry '05-missing': shows a question that is in no quiz bank" in found
    assert "notebooks/05_x.ipynb: entry '05-gone': checks an exercise that is in no seeds/exercises file" in found
    # (the copied real banks' inline questions are not shown by this folder's notebook: those are other problems)
    assert len([p for p in found if p.startswith("notebooks/05_x.ipynb")]) == 3


EX = "seeds/exercises/01-meet-il2.yaml"


def exercise(data, eid):
    return next(e for e in data["exercises"] if e["id"] == eid)


@pytest.mark.parametrize("change, expected", [
    (lambda d: exercise(d, "01-zz-dose").update(tolerance={"relative": -0.1}),
     f"{EX}: entry '01-zz-dose': 'tolerance' relative should be a number > 0, not -0.1"),
    (lambda d: exercise(d, "01-zz-dose").update(objective="nothing"),
     f"{EX}: entry '01-zz-dose': 'objective' 'nothing' is not an objective of the lesson's quiz bank"),
    (lambda d: exercise(d, "01-zz-dose").update(references=["nobody2099"]),
     f"{EX}: entry '01-zz-dose': unknown reference key 'nobody2099' (not in seeds/references.yaml)"),
    (lambda d: exercise(d, "01-zz-dose").pop("hints"),
     f"{EX}: entry '01-zz-dose': 'hints' needs at least a 'default' hint"),
    (lambda d: exercise(d, "01-zz-dose").update(points=0),
     f"{EX}: entry '01-zz-dose': 'points' should be a number > 0"),
    (lambda d: exercise(d, "01-zz-word").update(answer_sha256="abc"),
     f"{EX}: entry '01-zz-word': a text exercise needs exactly one of 'answer' or 'answer_sha256'"),
    (lambda d: exercise(d, "01-zz-function").update(cases=[{"args": 70}]),
     f"{EX}: entry '01-zz-function': each case needs 'args' (a list) and a numeric 'expected'"),
    (lambda d: exercise(d, "01-zz-function").update(type="essay"),
     f"{EX}: entry '01-zz-function': 'type' should be one of numeric, text, function, manual, not 'essay'"),
    (lambda d: exercise(d, "01-zz-word").update(id="01-zz-single"),
     f"{EX}: entry '01-zz-single': id is already used by another exercise or question"),
])
def test_each_kind_of_broken_exercise_is_named(seeds, change, expected):
    edit_bank(seeds, change, name="exercises/01-meet-il2.yaml")
    assert expected in problems(seeds)


def test_cli_reports_a_broken_bank_without_a_traceback(seeds):
    edit_bank(seeds, lambda d: question(d, "01-zz-numeric").update(tolerance={"relative": 0}))
    result = subprocess.run([sys.executable, "-m", "il2edu.cli", "validate", "--seeds", str(seeds)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "'tolerance' relative should be a number > 0" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["id", "type", "objective", "prompt", "choices", "answer", "tolerance", "items", "references", "unit",
          "inline", "explanation", "cases", "hints", "points", "answer_sha256"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), yaml_values, max_size=8),
       st.sampled_from(["single", "multiple", "numeric", "truefalse", "ordering", "text", "function"]))
def test_validators_report_any_malformed_entry_without_crashing(entry, kind):
    from il2edu.activities import exercises
    from il2edu.activities.quiz import bank

    entry = {"type": kind, **entry}
    for found in (bank.question_problems(entry, {"x": "X"}, {"morgan1976": {}}),
                  exercises.exercise_problems(entry, {"x": "X"}, {"morgan1976": {}})):
        assert all(isinstance(p, str) and "\n" not in p for p in found)
    whole = {"lesson": "01-x", "objectives": entry.get("objective"), "questions": [entry, entry.get("choices")]}
    for entry_id, message in bank.bank_problems(Path("01-x.yaml"), whole, {}, Path(".")):
        assert isinstance(message, str)


def test_inline_flag_must_match_where_a_question_is_shown(seeds):
    """A question shown in the text but not marked inline would appear twice; one marked inline but never
    shown would never appear."""
    for real in ("quizzes", "exercises"):
        (seeds / real / "05-autoimmunity.yaml").unlink(missing_ok=True)
    from il2edu.activities.quiz.bank import all_questions

    single = next(q for q in all_questions(seeds).values() if q[0] == "01-meet-il2" and not q[1].get("inline"))
    write_notebook(seeds.parent / "notebooks", "01_x.ipynb", f'il2edu.question("{single[1]["id"]}")')
    found = problems(seeds)
    assert (f"notebooks/01_x.ipynb: entry '{single[1]['id']}': shows this question inline, but its bank does not "
            "mark it `inline: true`, so the lesson quiz shows it again") in found
    assert ("seeds/quizzes/01-meet-il2.yaml: entry '01-zz-inline': is marked `inline: true` but no notebook shows "
            "it with il2edu.question(...), so learners never see it") in found
