"""Inside il2edu grade's sandbox, il2edu.check reports instead of judging (the sandbox holds no answers).

check() calls report() when $IL2EDU_CAPTURE is set: the value becomes plain data (a float, a text, or the
outputs of a function on the inputs the grader chose), appended as one JSON line to that file. The grader
judges the data outside the sandbox (judge.py), so an object whose __eq__ or __float__ lies, or a patched
il2edu, can at most report the student's own answer wrongly.
"""

from __future__ import annotations

import json
import os

CAPTURE_ENV = "IL2EDU_CAPTURE"
MAX_TEXT = 5000


def _plain_number(value) -> dict:
    from ..activities.exercises import _describe, _is_stub, _number

    if _is_stub(value):
        return {"stub": True}
    try:
        number = _number(value)
    except Exception as err:  # a __float__ that raises
        return {"shown": f"a value that cannot be read as a number ({type(err).__name__})"}
    if number is None:
        try:
            shown = _describe(value)
        except Exception:
            shown = "an unreadable value"
        return {"shown": shown}
    return {"value": float(number)}


def _plain(kind: str, entry: dict, value) -> dict:
    if kind == "text":
        if isinstance(value, str):
            return {"text": str.__str__(value)[:MAX_TEXT]}
        return _plain_number(value) if value is None or value is Ellipsis else {"shown": "not text"}
    if kind == "function":
        if not callable(value):
            return {"shown": "not a function"}
        outputs = []
        for case in entry.get("cases") or []:
            try:
                result = value(*(case.get("args") or []))
            except NotImplementedError:
                outputs.append({"not_attempted": True})
                break
            except Exception as err:  # the learner's code: its error is part of the answer
                outputs.append({"raised": type(err).__name__})
                continue
            outputs.append(_plain_number(result))
        return {"outputs": outputs}
    return _plain_number(value)


def report(exercise_id, value):
    """Record what the student gave for an exercise; never raises, never says whether it is right."""
    from ..activities.exercises import ERROR, NOT_ATTEMPTED, CheckResult, all_exercises

    exercise_id = str(exercise_id) if isinstance(exercise_id, str) else "?"
    try:
        hit = all_exercises().get(exercise_id)
        entry = hit[1] if hit else {}
        kind = str(entry.get("type", "numeric"))
        row = {"item_id": exercise_id, "type": kind, **_plain(kind, entry, value)}
        with open(os.environ[CAPTURE_ENV], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")
    except Exception as err:  # never a traceback in the student's notebook
        return CheckResult(exercise_id, ERROR, f"This answer could not be recorded for grading ({type(err).__name__}).")
    return CheckResult(exercise_id, NOT_ATTEMPTED, "Recorded for grading: your instructor's grader judges this answer.")


def assessed(question_id, value):
    """il2edu.assessed("<question-id>", answer): an assessed question's answer, judged only by the grader.
    For a learner it says so; inside the grader's sandbox it records the answer as plain data."""
    from ..activities.exercises import ERROR, NOT_ATTEMPTED, CheckResult
    from .assess import plain

    question_id = question_id if isinstance(question_id, str) else "?"
    if not os.environ.get(CAPTURE_ENV):
        return CheckResult(question_id, NOT_ATTEMPTED, "Saved in this notebook: your instructor grades this "
                                                       "question when you hand the notebook in.")
    try:
        row = {"item_id": question_id, "type": "assessed", "answer": plain(value)}
        with open(os.environ[CAPTURE_ENV], "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")
    except Exception as err:
        return CheckResult(question_id, ERROR, f"This answer could not be recorded for grading ({type(err).__name__}).")
    return CheckResult(question_id, NOT_ATTEMPTED, "Recorded for grading: your instructor's grader judges this answer.")
