"""Outside the sandbox: judge what a submission's kernel reported (capture.py) against the real key.

Reports are untrusted data: anything of the wrong shape is judged as a wrong answer, never trusted.
"""

from __future__ import annotations

import math

from ..activities import exercises, numbers

CORRECT, INCORRECT, NOT_ATTEMPTED = exercises.CORRECT, exercises.INCORRECT, exercises.NOT_ATTEMPTED


def _value(report: dict):
    value = report.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _number(ex: dict, expected, report, where="") -> tuple[str, str]:
    if not isinstance(report, dict):
        return INCORRECT, f"not a number{where}"
    if report.get("stub"):
        return NOT_ATTEMPTED, f"still the stub{where}"
    value = _value(report)
    if value is None:
        return INCORRECT, f"expected a number{where}, got {str(report.get('shown', 'something else'))[:60]}"
    if not math.isfinite(value):
        return INCORRECT, f"{value}{where} is not a finite number"
    status, _ = exercises._grade_number({**ex, "answer": expected}, value, where)
    return status, f"{value:.6g}{where}"


def with_hidden_cases(ex: dict, secret: str) -> dict:
    """A function exercise with its grader-drawn inputs added (numbers.py), expected values from its model."""
    if ex.get("type") != "function" or not ex.get("hidden_cases") or "params" not in ex:
        return ex
    try:
        model = numbers.model(ex)
        extra = [{"args": args, "expected": float(model(*args)), "hidden": True}
                 for args in numbers.hidden_cases(ex, secret)]
    except (ValueError, TypeError, ArithmeticError):  # `il2edu validate` names the problem; judge on the rest
        return ex
    return {**ex, "cases": list(ex.get("cases") or []) + extra}


def judge(ex: dict, report: dict, student: str = "") -> tuple[str, str]:
    """(status, what the student answered, in a few words) for one exercise of the key. An exercise with
    per-student numbers is judged against the model's value for this student's numbers."""
    kind = ex.get("type")
    try:
        if kind == "numeric" and "params" in ex:
            values = numbers.for_student(ex, student)
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items())
            return _number(ex, numbers.expected(ex, values), report, f" (for {shown})")
        if kind == "numeric":
            return _number(ex, ex["answer"], report)
        if kind == "text":
            text = report.get("text")
            if report.get("stub"):
                return NOT_ATTEMPTED, "still the stub"
            if not isinstance(text, str):
                return INCORRECT, "not text"
            status, _ = exercises._grade_text(ex, text)
            return status, text[:120]
        if kind == "function":
            outputs = report.get("outputs")
            cases = ex.get("cases") or []
            if not isinstance(outputs, list):
                return INCORRECT, str(report.get("shown", "not a function"))[:60]
            if outputs and isinstance(outputs[0], dict) and (outputs[0].get("not_attempted") or outputs[0].get("stub")):
                return NOT_ATTEMPTED, "the function is still the stub"
            if len(outputs) != len(cases):
                return INCORRECT, f"{len(outputs)} result(s) for {len(cases)} case(s)"
            for case, out in zip(cases, outputs):
                where = f" for {'hidden ' if case.get('hidden') else ''}args {case.get('args')}"
                if isinstance(out, dict) and out.get("raised"):
                    return INCORRECT, f"raised {str(out['raised'])[:40]}{where}"
                status, shown = _number(ex, case["expected"], out, where)
                if status != CORRECT:
                    return INCORRECT, shown
            hidden = sum(1 for case in cases if case.get("hidden"))
            return CORRECT, f"right in all {len(cases)} cases" + (f" ({hidden} of them hidden)" if hidden else "")
    except (KeyError, TypeError, ValueError, OverflowError) as err:
        return INCORRECT, f"cannot be judged ({type(err).__name__})"
    return INCORRECT, f"exercise type {kind!r} is not graded automatically"
