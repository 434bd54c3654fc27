"""Per-learner numbers: an exercise with `params:` gives each learner their own numbers, and its `model:`
(a function of il2edu.models) computes the expected value from them, so a classmate's number is wrong for you.

Whose numbers: $IL2EDU_STUDENT (set by `il2edu grade` inside its sandbox to the student's folder name), else
the id given to il2edu.student("...") in this kernel (a copy for assessment asks for it), else the learner's
own random id in the progress folder (self-study). The same id always gives the same numbers.
A function exercise's `params:` are its arguments; the grader draws `hidden_cases` extra inputs from them.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import inspect
import math
import re
from types import SimpleNamespace

STUDENT_ENV = "IL2EDU_STUDENT"
PARAM_FIELDS = {"min", "max", "step", "example", "label", "unit"}
MAX_STEPS = 100_000
MAX_HIDDEN = 20
_declared: str | None = None


# -- whose numbers ----------------------------------------------------------------------------------------------

def who() -> tuple[str, str]:
    """(id, where it came from): 'grader', 'declared' or 'learner'."""
    import os

    from .. import progress

    if os.environ.get(STUDENT_ENV, "").strip():
        return os.environ[STUDENT_ENV].strip(), "grader"
    if _declared:
        return _declared, "declared"
    return progress.learner_id(), "learner"


def student(name=None):
    """il2edu.student("alice"): the name or id you hand your work in under; your numbers follow from it."""
    global _declared
    from .exercises import CheckResult

    text = str(name).strip() if isinstance(name, str) else ""
    if not text or text == "...":
        return CheckResult("student", "not_attempted", "Type the name or id you hand your work in under between "
                                                       "the quotes, then run this cell and the rest of the notebook.")
    _declared = text[:200]
    return CheckResult("student", "not_attempted", f"Your numbers are now those of '{_declared}': hand your work "
                                                   "in under exactly this name, or they will not be yours.")


# -- drawing numbers ---------------------------------------------------------------------------------------------

def _decimals(step: float) -> int:
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def draw(params: dict, key: str) -> dict:
    """name -> value for one id: a step of each range, picked by a hash (stable, spread evenly)."""
    values = {}
    for name, spec in params.items():
        lo, hi, step = float(spec["min"]), float(spec["max"]), float(spec["step"])
        n = int(round((hi - lo) / step)) + 1
        digest = hashlib.sha256(f"{key}\x00{name}".encode("utf-8", "surrogatepass")).digest()
        value = round(lo + (int.from_bytes(digest[:8], "big") % n) * step, _decimals(step))
        values[name] = int(value) if value == int(value) and float(spec["step"]).is_integer() else value
    return values


def for_student(ex: dict, student_id: str) -> dict:
    return draw(ex["params"], f"{ex['id']}\x00{student_id}")


def hidden_cases(ex: dict, secret: str) -> list[list]:
    """The grader's extra inputs for a function exercise: drawn with a secret of the grading run."""
    names = list(ex["params"])
    return [[draw(ex["params"], f"{ex['id']}\x00hidden\x00{secret}\x00{n}")[name] for name in names]
            for n in range(int(ex.get("hidden_cases") or 0))]


def model(ex: dict):
    """The function of il2edu.models that the exercise names ('estimates.high_vs_low_fold')."""
    name = str(ex.get("model", ""))
    if not re.fullmatch(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*", name):
        raise ValueError(f"'model' should name a function of il2edu.models as 'module.function', not {name!r}")
    module_name, func_name = name.split(".")
    try:
        func = getattr(importlib.import_module(f"il2edu.models.{module_name}"), func_name)
    except (ImportError, AttributeError):
        raise ValueError(f"'model' {name!r} is not a function of il2edu.models") from None
    if not callable(func) or func_name.startswith("_"):
        raise ValueError(f"'model' {name!r} is not a function of il2edu.models")
    return func


def expected(ex: dict, values: dict) -> float:
    """The expected answer for these numbers, from the exercise's model."""
    return float(model(ex)(**values))


def expected_for(ex: dict, student_id: str) -> float:
    return expected(ex, for_student(ex, student_id))


# -- showing them ------------------------------------------------------------------------------------------------

class Numbers(SimpleNamespace):
    """A learner's numbers for one exercise: `mine.weight_kg`; shows as one line."""

    def _line(self) -> str:
        specs, note = self.__dict__.get("_specs", {}), self.__dict__.get("_note", "")
        parts = []
        for name, spec in specs.items():  # "mine.weight_kg = 70 kg (body weight)": the name to use, and what it is
            unit = f" {spec['unit']}" if spec.get("unit") else ""
            label = f" ({spec['label']})" if spec.get("label") else ""
            parts.append(f"mine.{name} = {getattr(self, name):g}{unit}{label}")
        return "Your numbers for this exercise: " + ", ".join(parts) + "." + (f" {note}" if note else "")

    def __repr__(self):
        return self._line()

    def _repr_html_(self):
        return f'<div class="il2edu-numbers" role="status" style="font-weight:600">{html.escape(self._line())}</div>'


def numbers(exercise_id: str, params: dict | None = None) -> Numbers:
    """il2edu.numbers("07-high-vs-low"): this learner's numbers for an exercise, shown and returned.
    params: the ranges themselves, for an assessed question whose private bank the learner does not have."""
    from . import solutions_offered
    from .exercises import ERROR, CheckResult, all_exercises

    exercise_id = str(exercise_id)
    if params is not None:
        ex = {"id": exercise_id, "params": params}
        why = param_problems(params)
    else:
        # all_exercises, not find_exercise: in the grader's sandbox entries have no answers, no problem here
        hit = all_exercises(None, exercise_id.split("-", 1)[0] + "-*.yaml").get(exercise_id) or all_exercises().get(exercise_id)
        ex = hit[1] if hit else {}
        why = (problems(ex) or []) if "params" in ex else [f"exercise '{exercise_id}' has no per-learner numbers"]
    if why:
        _show(CheckResult(exercise_id, ERROR, f"No numbers can be given: {why[0]}."))
        return Numbers()
    student_id, source = who()
    note = ""
    if source == "learner" and not solutions_offered():
        note = ("These are practice numbers: run il2edu.student(\"<your id>\") at the top of the notebook "
                "first, then this cell again.")
    mine = Numbers(**for_student(ex, student_id))
    mine.__dict__["_specs"], mine.__dict__["_note"] = ex["params"], note
    _show(mine)
    return mine


def _show(thing) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(thing)
    except ImportError:
        pass


# -- validation --------------------------------------------------------------------------------------------------

def problems(ex: dict) -> list[str]:
    """Problems with an exercise's `params:`, `model:` and `hidden_cases:` (none when it has no params)."""
    from .quiz.answers import within
    from .quiz.bank import finite_number

    if not any(k in ex for k in ("params", "model", "hidden_cases")):
        return []
    params, kind = ex.get("params"), ex.get("type")
    if kind not in ("numeric", "function"):
        return ["only numeric and function exercises can have 'params'"]
    out = param_problems(params)
    if out:
        return out
    try:
        func = model(ex)
        inspect.signature(func).bind(**{name: 0 for name in params})
    except ValueError as err:
        return [str(err)]
    except TypeError:
        return [f"'model' {ex.get('model')!r} does not take the params {', '.join(params)}"]
    tolerance = ex.get("tolerance") or {"relative": 1e-9}
    examples = {name: spec["example"] for name, spec in params.items()}
    try:
        if kind == "numeric" and finite_number(ex.get("answer")):
            got = expected(ex, examples)
            if not within(got, float(ex["answer"]), tolerance):
                out.append(f"'answer' {ex['answer']} is not what the model gives for the params' examples ({got:g})")
        for case in ex.get("cases") or [] if kind == "function" else []:
            args = case.get("args") if isinstance(case, dict) else None
            if not isinstance(args, list) or len(args) != len(params):
                out.append("each case's args should be the params, in order")
                break
            got = float(func(*args))
            if finite_number(case.get("expected")) and not within(got, float(case["expected"]), tolerance):
                out.append(f"case {args}: the model gives {got:g}, not {case['expected']}")
        for corner in ("min", "max"):  # the ends of every range
            if not math.isfinite(expected(ex, {name: spec[corner] for name, spec in params.items()})):
                out.append(f"the model gives a number that is not finite at the params' {corner}")
    except (ValueError, TypeError, ZeroDivisionError, OverflowError) as err:
        out.append(f"the model fails on the params ({type(err).__name__}: {err})")
    hidden = ex.get("hidden_cases")
    if hidden is not None and (kind != "function" or isinstance(hidden, bool) or not isinstance(hidden, int)
                               or not 1 <= hidden <= MAX_HIDDEN):
        out.append(f"'hidden_cases' should be a whole number from 1 to {MAX_HIDDEN}, for a function exercise")
    return out


def param_problems(params) -> list[str]:
    """Problems with the ranges of `params:` alone."""
    from .quiz.bank import finite_number

    if not isinstance(params, dict) or not params:
        return ["'params' should map each name to {min, max, step, example}"]
    out = []
    for name, spec in params.items():
        if not isinstance(name, str) or not name.isidentifier():
            out.append(f"param {name!r} should be a Python name")
            continue
        if not isinstance(spec, dict) or set(spec) - PARAM_FIELDS or not all(
                finite_number(spec.get(k)) for k in ("min", "max", "step", "example")):
            out.append(f"param '{name}' should be {{min, max, step, example}} numbers (and optional label, unit)")
            continue
        lo, hi, step = float(spec["min"]), float(spec["max"]), float(spec["step"])
        if step <= 0 or hi < lo or (hi - lo) / step > MAX_STEPS or abs((hi - lo) / step - round((hi - lo) / step)) > 1e-6:
            out.append(f"param '{name}': max - min should be a whole number of steps > 0")
        elif not lo <= float(spec["example"]) <= hi:
            out.append(f"param '{name}': 'example' should be between min and max")
    return out
