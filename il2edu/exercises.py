"""Exercise checks: il2edu.check("<exercise-id>", value_or_function), against seeds/exercises/<lesson>.yaml.

The result shows as one line (class il2edu-check) starting with "Correct", "Not quite" or "Not attempted
yet", is recorded in the progress database with points earned / max, and never raises into the notebook.
check_exercises(root) is the validator's checker; this module imports only stdlib and yaml at load time.
"""

from __future__ import annotations

import hashlib
import html
import math
import numbers
import os
import re
from pathlib import Path

from . import content

TYPES = ("numeric", "text", "function", "manual")  # manual: graded by the instructor, not by check()
KNOWN_FIELDS = {"id", "title", "objective", "points", "type", "answer", "answer_sha256", "unit", "tolerance",
                "hints", "references", "cases"}
CHECK_CALL = re.compile(r"\bcheck\(\s*[\"']([^\"']+)[\"']")
CORRECT, INCORRECT, NOT_ATTEMPTED, ERROR = "correct", "incorrect", "not_attempted", "error"


# -- loading ----------------------------------------------------------------------------------------------

def _files(root: Path, pattern="*.yaml"):
    folder = root / "exercises"
    return sorted(folder.glob(pattern)) if folder.is_dir() else []


def all_exercises(root=None, pattern="*.yaml") -> dict:
    """exercise id -> (lesson id, exercise dict), across every file (or the files matching pattern)."""
    root = content._root(root)
    found = {}
    for path in _files(root, pattern):
        data = content.cached_mapping(path)
        for ex in (data.get("exercises") or []) if isinstance(data, dict) else []:
            if isinstance(ex, dict) and isinstance(ex.get("id"), str):
                found.setdefault(ex["id"], (path.stem, ex))
    return found


def find_exercise(exercise_id: str, root=None) -> tuple[str, dict]:
    root = content._root(root)
    # Its lesson's file first ("01-..." is in 01-meet-il2.yaml), every file only if it is not there.
    hit = all_exercises(root, exercise_id.split("-", 1)[0] + "-*.yaml").get(exercise_id) or all_exercises(root).get(exercise_id)
    if hit is None:
        raise content.ContentError("seeds/exercises", "no exercise with this id", entry=exercise_id)
    lesson, ex = hit
    problems = exercise_problems(ex, None, content.references(root))
    if problems:
        raise content.ContentError(f"seeds/exercises/{lesson}.yaml", problems[0], entry=exercise_id)
    return lesson, ex


# -- checking -------------------------------------------------------------------------------------------------

class CheckResult:
    """What il2edu.check shows: one line, with a CSS class for the browser tests."""

    def __init__(self, exercise_id: str, status: str, message: str, points: float = 0.0, max_points: float = 0.0):
        self.exercise_id, self.status, self.message = exercise_id, status, message
        self.points, self.max_points = points, max_points

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def _repr_html_(self):
        colour = {"correct": "#009E73", "incorrect": "#D55E00"}.get(self.status, "#555555")
        css = {"correct": "il2edu-correct", "incorrect": "il2edu-incorrect"}.get(self.status, "il2edu-" + self.status)
        return (f'<div class="il2edu-check {css}" role="status" style="color:{colour};font-weight:600">'
                f"{html.escape(self.message)}</div>")

    def __repr__(self):
        return self.message


def _is_stub(value) -> bool:
    return value is None or value is Ellipsis


def _number(value):
    """A real number from the learner's value (int, float, numpy scalar or 0-d array), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    shape = getattr(value, "shape", None)
    if shape == () and hasattr(value, "item"):
        return _number(value.item())
    return None


def _describe(value) -> str:
    kind = type(value).__name__
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "..."
        return f"text ('{shown}')"
    return f"a {kind}"


def _grade_number(ex: dict, value, where: str = "") -> tuple[str, str]:
    """(status, message) for one numeric value against ex['answer'] (or a case's expected value)."""
    from .quiz import answers

    expected = float(ex["answer"])
    tolerance = ex.get("tolerance") or {"relative": 1e-9}
    got = _number(value)
    if got is None:
        return INCORRECT, f"Not quite: expected a number{where}, but got {_describe(value)}."
    if not math.isfinite(got):
        return INCORRECT, f"Not quite: the result{where} is {got}, not a finite number."
    unit = f" {ex['unit']}" if ex.get("unit") else ""
    if answers.within(got, expected, tolerance):
        return CORRECT, f"Correct: {answers.format_number(got)}{unit}{where} is within tolerance."
    hints = ex.get("hints") or {}
    k = answers.magnitude_slip(got, expected, tolerance)
    directional = hints.get("too_high") if got > expected else hints.get("too_low")
    if k:
        # A power-of-ten miss is usually units, but a conceptual slip can be exactly 10x off too:
        # give the author's hint for this direction as well.
        hint = answers.slip_message(k) + (f" Otherwise: {directional}" if directional else "")
    else:
        hint = directional or hints.get("default") or "check your calculation."
    return INCORRECT, f"Not quite: {answers.format_number(got)}{unit}{where} is not within tolerance. Hint: {hint}".strip()


def normalise_text(text: str) -> str:
    return " ".join(str(text).lower().split())


def _grade_text(ex: dict, value) -> tuple[str, str]:
    if not isinstance(value, str):
        return INCORRECT, f"Not quite: expected text (in quotes), but got {_describe(value)}."
    if not value.strip():
        return NOT_ATTEMPTED, "Not attempted yet: the answer is still empty."
    norm = normalise_text(value)
    if "answer_sha256" in ex:
        ok = hashlib.sha256(norm.encode("utf-8")).hexdigest() == str(ex["answer_sha256"]).lower()
    else:
        ok = norm == normalise_text(ex["answer"])
    if ok:
        return CORRECT, "Correct."
    hint = (ex.get("hints") or {}).get("default") or "compare your answer with the question."
    return INCORRECT, f"Not quite. Hint: {hint}"


def _grade_function(ex: dict, func) -> tuple[str, str]:
    if not callable(func):
        return INCORRECT, f"Not quite: expected a function (its name, without brackets), but got {_describe(func)}."
    name = getattr(func, "__name__", "your function")
    for case in ex["cases"]:
        args = case.get("args") or []
        call = f"{name}({', '.join(map(repr, args))})"
        try:
            result = func(*args)
        except NotImplementedError:
            return NOT_ATTEMPTED, f"Not attempted yet: {name} still raises NotImplementedError."
        except Exception as err:  # the learner's code: report it in one line, never a traceback
            why = str(err).splitlines()[0] if str(err) else ""
            return INCORRECT, f"Not quite: {call} raised {type(err).__name__}{': ' + why if why else ''}."
        if _is_stub(result) and case is ex["cases"][0]:
            return NOT_ATTEMPTED, f"Not attempted yet: {name} returns {result!r}; fill in its body."
        status, message = _grade_number({**ex, "answer": case["expected"]}, result, where=f" for {call}")
        if status != CORRECT:
            return status, message
    return CORRECT, f"Correct: {name} gives the expected result in all {len(ex['cases'])} cases."


STRICT_ENV = "IL2EDU_STRICT_CHECKS"


def check(exercise_id: str, value=None) -> CheckResult:
    """Check an exercise, e.g. ``il2edu.check("02-occupancy-treg", occupancy_treg)``.

    Never raises for learners. A grader that awards points to any cell that runs without error (nbgrader)
    sets IL2EDU_STRICT_CHECKS=1: then an answer that is not correct raises AssertionError with the message.
    """
    result = _check(exercise_id, value)
    if os.environ.get(STRICT_ENV, "").strip() not in ("", "0") and not result.correct:
        raise AssertionError(result.message)
    return result


def _check(exercise_id: str, value=None) -> CheckResult:
    try:
        lesson, ex = find_exercise(str(exercise_id))
    except content.ContentError as err:
        return CheckResult(str(exercise_id), ERROR, f"This exercise cannot be checked: {err}")
    points = float(ex.get("points", 1))
    if ex.get("type") == "manual":
        return CheckResult(exercise_id, NOT_ATTEMPTED, "Not attempted yet: this exercise is graded by your "
                                                       "instructor, not by il2edu.check.", 0.0, points)
    if _is_stub(value):
        return CheckResult(exercise_id, NOT_ATTEMPTED, "Not attempted yet: replace the ... with your answer and "
                                                       "run the cell again.", 0.0, points)
    kind = ex["type"]
    try:
        if kind == "numeric":
            status, message = _grade_number(ex, value)
        elif kind == "text":
            status, message = _grade_text(ex, value)
        else:
            status, message = _grade_function(ex, value)
    except Exception as err:  # a value so odd that comparing it fails (e.g. a custom __float__ raising)
        status, message = INCORRECT, f"Not quite: this answer cannot be checked ({type(err).__name__})."
    earned = points if status == CORRECT else 0.0
    if status in (CORRECT, INCORRECT):
        from . import progress

        progress.record(lesson, exercise_id, "exercise", _answer_text(value), status == CORRECT, earned, points)
        message += f" ({earned:g} of {points:g} point{'s' if points != 1 else ''})"
    return CheckResult(exercise_id, status, message, earned, points)


def _answer_text(value) -> str:
    if callable(value):
        return f"function {getattr(value, '__name__', '?')}"
    text = value if isinstance(value, str) else repr(value)
    return text[:200]


# -- validation ------------------------------------------------------------------------------------------------

def exercise_problems(ex: dict, objectives: dict | None, refs: dict) -> list[str]:
    """Problems with one exercise; objectives None skips the objective check."""
    from .quiz.bank import ID_PATTERN, member, tolerance_problems

    out = []
    if not isinstance(ex.get("id"), str) or not ID_PATTERN.match(ex["id"]):
        out.append("'id' should look like '02-occupancy-treg' (lesson number, then lowercase words)")
    unknown = sorted(set(ex) - KNOWN_FIELDS, key=str)
    if unknown:
        out.append(f"unknown field(s): {', '.join(map(str, unknown))}")
    kind = ex.get("type")
    if kind not in TYPES:
        out.append(f"'type' should be one of {', '.join(TYPES)}, not {kind!r}")
    pts = ex.get("points", 1)
    if isinstance(pts, bool) or not isinstance(pts, (int, float)) or pts <= 0:
        out.append("'points' should be a number > 0")
    if objectives is not None and not member(ex.get("objective"), objectives):
        out.append(f"'objective' {ex.get('objective')!r} is not an objective of the lesson's quiz bank")
    keys = ex.get("references")
    if not isinstance(keys, list) or not keys:
        out.append("'references' should be a non-empty list of keys from seeds/references.yaml")
    else:
        out += [f"unknown reference key '{k}' (not in seeds/references.yaml)" for k in keys if not member(k, refs)]
    hints = ex.get("hints")
    if kind != "manual" and (not isinstance(hints, dict) or not str(hints.get("default") or "").strip()):
        out.append("'hints' needs at least a 'default' hint")
    if kind == "numeric":
        a = ex.get("answer")
        if isinstance(a, bool) or not isinstance(a, (int, float)):
            out.append("'answer' should be a number")
        out += tolerance_problems(ex.get("tolerance"), a) if "tolerance" in ex else []
    elif kind == "text":
        if ("answer" in ex) == ("answer_sha256" in ex):
            out.append("a text exercise needs exactly one of 'answer' or 'answer_sha256'")
        elif "answer_sha256" in ex and not re.fullmatch(r"[0-9a-fA-F]{64}", str(ex["answer_sha256"])):
            out.append("'answer_sha256' should be 64 hex digits")
        elif "answer" in ex and not str(ex["answer"]).strip():
            out.append("'answer' is empty")
    elif kind == "function":
        cases = ex.get("cases")
        if not isinstance(cases, list) or not cases:
            out.append("'cases' should list at least one {args: [...], expected: ...}")
        else:
            for c in cases:
                if not isinstance(c, dict) or not isinstance(c.get("args", []), list) or isinstance(
                        c.get("expected"), bool) or not isinstance(c.get("expected"), (int, float)):
                    out.append("each case needs 'args' (a list) and a numeric 'expected'")
                    break
        out += tolerance_problems(ex.get("tolerance"), None) if "tolerance" in ex else []
    return out


def check_exercises(root: Path):
    """Validator: every exercise file's schema, ids unique across the course, and notebooks' check() ids."""
    from .quiz.bank import lesson_ids, all_questions
    from .validate import Problem, load_mapping

    root = Path(root)
    problems = []
    refs = load_mapping(root, "references.yaml", []) or {}  # its own problems are check_references's to report
    lessons = lesson_ids(root)
    question_ids = set(all_questions(root))
    seen: dict[str, str] = {}
    for path in _files(root):
        shown = f"seeds/exercises/{path.name}"
        try:
            data = content.cached_mapping(path)
        except content.ContentError as err:
            problems.append(Problem(shown, err.entry, err.message))
            continue
        if not isinstance(data, dict) or data.get("lesson") != path.stem:
            problems.append(Problem(shown, None, f"'lesson' should be '{path.stem}' (the file's name)"))
            data = data if isinstance(data, dict) else {}
        if lessons is not None and path.stem not in lessons:
            problems.append(Problem(shown, None, f"no lesson '{path.stem}' in seeds/lessons.yaml"))
        bank_file = root / "quizzes" / f"{path.stem}.yaml"
        objectives = {}
        if bank_file.is_file():
            try:
                bank_data = content.cached_mapping(bank_file)
                objectives = (bank_data or {}).get("objectives") or {} if isinstance(bank_data, dict) else {}
            except content.ContentError:
                pass  # check_banks reports it
        exercises = data.get("exercises")
        if not isinstance(exercises, list) or not exercises:
            problems.append(Problem(shown, None, "'exercises' should be a non-empty list"))
            continue
        for n, ex in enumerate(exercises):
            if not isinstance(ex, dict):
                problems.append(Problem(shown, f"#{n + 1}", "each exercise should be a mapping"))
                continue
            entry = ex.get("id") or f"#{n + 1}"
            problems += [Problem(shown, entry, m) for m in exercise_problems(ex, objectives, refs)]
            if isinstance(ex.get("id"), str):
                if ex["id"] in seen or ex["id"] in question_ids:
                    problems.append(Problem(shown, ex["id"], "id is already used by another exercise or question"))
                seen.setdefault(ex["id"], shown)
    notebooks = root.parent / "notebooks"
    if notebooks.is_dir():
        import json

        for nb in sorted(notebooks.glob("*.ipynb")):
            try:
                cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
            except (OSError, ValueError):
                continue
            called = {i for c in cells if c.get("cell_type") == "code"
                      for i in CHECK_CALL.findall("".join(c.get("source", [])))}
            for eid in sorted(called - set(seen)):
                problems.append(Problem(f"notebooks/{nb.name}", eid, "checks an exercise that is in no seeds/exercises file"))
    return problems
