"""Assessed questions: an instructor-private bank, kept outside the package, whose questions go into a
release without their answers (`il2edu release --assess BANK.yaml`); learners answer in the notebook and
`il2edu grade --assess BANK.yaml` judges their answers with the private bank, outside the sandbox.

The bank has the quiz-bank question format (seeds/README.md) plus `lesson:` naming the lesson it belongs
to; `points` per question (default 1); a numeric question may have `params:` and `model:` as an exercise
does (seeds/README.md), so each student answers for their own numbers. Answer forms in the notebook: single -> the choice's number;
multiple -> a list of numbers; numeric -> a number; truefalse -> True or False; ordering -> a list of the
items' numbers (or texts) in order.
"""

from __future__ import annotations

import numbers
from pathlib import Path

from .. import content
from ..activities import numbers as per_student

ASSESSED = "il2edu_assessed"  # cell metadata: the question whose answer this cell reports
FORMS = {"single": "the number of your choice, e.g. 2", "multiple": "a list of numbers, e.g. [1, 3]",
         "numeric": "a number", "truefalse": "True or False", "ordering": "the numbers in order, e.g. [3, 1, 2]"}


def load(path) -> tuple[str, list[dict]]:
    """(lesson id, questions) of an assessed bank; ValueError (one line naming the file) if it is unusable."""
    from ..activities.quiz import bank

    path = Path(path)
    data = content.read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("lesson"), str) or not isinstance(
            data.get("questions"), list) or not data["questions"]:
        raise content.ContentError(path, "should hold 'lesson: <lesson id>' and a non-empty 'questions' list")
    seen = set()
    for q in data["questions"]:
        if not isinstance(q, dict) or not isinstance(q.get("id"), str):
            raise content.ContentError(path, "each question needs an 'id'")
        plain_q = {k: v for k, v in q.items() if k not in ("points", "params", "model")}
        problems = [p for p in bank.question_problems({**plain_q, "explanation": q.get("explanation") or "-",
                                                       "references": q.get("references") or ["-"]}, None, None)
                    if "objective" not in p and "reference" not in p]
        if "params" in q or "model" in q:  # per-student numbers: numeric questions only, as for exercises
            problems += (["only numeric questions can have 'params'"] if q.get("type") != "numeric"
                         else per_student.problems(q))
        if q["id"] in seen:
            problems.insert(0, "the id is used twice")
        if problems:
            raise content.ContentError(path, problems[0], entry=q["id"])
        seen.add(q["id"])
    return data["lesson"], data["questions"]


def _variable(n: int) -> str:
    return f"assessed_answer_{n}"


def report_source(q: dict, n: int) -> str:
    return f'il2edu.assessed("{q["id"]}", {_variable(n)})'


def cells(questions: list[dict]) -> list[dict]:
    """The cells a release appends: each question's prompt (no answer, no explanation), an answer cell and
    a locked cell that reports the answer."""
    import nbformat

    out = [nbformat.v4.new_markdown_cell("## Assessed questions\n\nThese are graded by your instructor; "
                                         "running the cells saves nothing and shows no result.")]
    for n, q in enumerate(questions, 1):
        text = [f"**Question {n}** ({q.get('points', 1):g} point{'s' if q.get('points', 1) != 1 else ''})",
                "", str(q["prompt"]).strip(), ""]
        if q["type"] in ("single", "multiple"):
            text += [f"{i}. {c['text']}" for i, c in enumerate(q["choices"], 1)]
        elif q["type"] == "ordering":
            text += [f"{i}. {item}" for i, item in enumerate(sorted(map(str, q["items"])), 1)]
        text += ["", f"Answer with {FORMS[q['type']]}."]
        answer = f"{_variable(n)} = ...  # your answer: {FORMS[q['type']]}"
        if "params" in q:  # the ranges only: the student's numbers follow from their id, the answer stays private
            text[-1] += " Use your own numbers, shown when you run the answer cell."
            answer = f'mine = il2edu.numbers("{q["id"]}", {q["params"]!r})  # your own numbers\n' + answer
        out.append(nbformat.v4.new_markdown_cell("\n".join(text)))
        out.append(nbformat.v4.new_code_cell(answer))
        report = nbformat.v4.new_code_cell(report_source(q, n))
        report.metadata.update({ASSESSED: q["id"], "editable": False, "deletable": False})
        out.append(report)
    return out


def plain(value):
    """A learner's answer as plain data (inside the sandbox): bool, float, text or a list of those."""
    from ..activities.exercises import _number

    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)[:500]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in list(value)[:50]]
    if isinstance(value, numbers.Real) or getattr(value, "shape", None) == ():
        number = _number(value)
        return float(number) if number is not None else None
    return None


def _answer(q: dict, value):
    """A reported answer in the form quiz.answers graders take (choice and item numbers are 1-based)."""
    kind = q["type"]

    def index(v):
        if isinstance(v, float) and v.is_integer():
            return int(v) - 1
        return v

    if kind == "single":
        return index(value)
    if kind == "multiple":
        return [index(v) for v in value] if isinstance(value, list) else [index(value)]
    if kind == "ordering":
        shown = sorted(map(str, q["items"]))
        if not isinstance(value, list):
            return None
        picked = []
        for v in value:
            i = index(v)
            picked.append(shown[i] if isinstance(i, int) and 0 <= i < len(shown) else v)
        return picked
    if kind == "numeric":
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    return value


def judge(q: dict, report: dict, student: str = "") -> tuple[str, str]:
    """(status, the answer in a few words) for one reported answer, judged with the private bank; a question
    with per-student numbers against its model's value for this student's numbers."""
    from ..activities.quiz import answers

    value = report.get("answer") if isinstance(report, dict) else None
    if value is None:
        return "not attempted", ""
    try:
        if "params" in q:
            q = {**q, "answer": per_student.expected_for(q, student)}
        grade = answers.grade(q, _answer(q, value))
    except Exception:  # an answer of a shape no grader takes
        return "incorrect", str(value)[:80]
    if grade.correct:
        return "correct", ""
    return ("incorrect" if grade.counts else "not attempted"), str(value)[:80]
