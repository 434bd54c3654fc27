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

from .. import content

TYPES = ("numeric", "text", "function", "manual")  # manual: graded by the instructor, not by check()
KNOWN_FIELDS = {"id", "title", "objective", "points", "type", "answer", "answer_sha256", "unit", "tolerance",
                "hints", "references", "cases", "solution", "reasoning", "params", "model", "hidden_cases"}
CHECK_CALL = re.compile(r"\bcheck\(\s*[\"']([^\"']+)[\"']")
NUMBERS_CALL = re.compile(r"\bnumbers\(\s*[\"']([^\"']+)[\"']")
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
        self.offer = None  # (lesson, exercise) when a worked solution may be shown below the message

    def _repr_mimebundle_(self, include=None, exclude=None):
        """In Jupyter: the message, plus "Show a worked solution" after a real attempt (solutions.py)."""
        if self.offer is None:
            return {"text/plain": self.message, "text/html": self._repr_html_()}
        try:
            from .solutions import WorkedSolution

            self.widget = WorkedSolution(self, *self.offer)
            bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
            return {**bundle, "text/plain": self.message}  # ipywidgets would cut it at 110 characters
        except Exception:  # no widgets here (a plain console): the message alone
            return {"text/plain": self.message, "text/html": self._repr_html_()}

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def _repr_html_(self):
        from . import feedback_html

        return feedback_html(self.status, self.message, f"il2edu-check il2edu-{self.status}")

    plain_points = False  # strict mode: the plain-text form is the points, for nbgrader's partial credit

    def __repr__(self):
        return f"{self.points:g}" if self.plain_points else self.message


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
    try:
        name = str(getattr(func, "__name__", "your function"))[:60]
    except Exception:  # a callable whose name raises
        name = "your function"
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
    if os.environ.get("IL2EDU_CAPTURE"):  # inside `il2edu grade`'s sandbox: report the answer, judge nothing
        from ..instructor import capture

        return capture.report(exercise_id, value)
    try:
        result = _check(exercise_id, value)
    except Exception as err:  # a value odd enough to break even the messages (a repr that raises, say)
        result = CheckResult(exercise_id if isinstance(exercise_id, str) else "?", ERROR, f"This answer cannot be checked ({type(err).__name__}); "
                                                      "try a plain number, text or function.")
    if strict():
        if not result.correct:
            raise AssertionError(result.message)
        result.plain_points = True  # nbgrader reads a number in text/plain as partial credit
    return result


def strict() -> bool:
    """Whether an autograder (nbgrader) asked for strict checks; see docs/INSTRUCTORS.md."""
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0")


def _check(exercise_id: str, value=None) -> CheckResult:
    try:
        lesson, ex = find_exercise(str(exercise_id))
    except content.ContentError as err:
        from . import conclusions, prompts

        try:  # a conclusion checked from an explorer's state shares il2edu.check
            lesson, entry = prompts.find(str(exercise_id), "conclusion")
        except content.ContentError:
            return CheckResult(str(exercise_id), ERROR, f"This exercise cannot be checked: {err}")
        return conclusions.check(lesson, entry, value)
    points = float(ex.get("points", 1))
    if ex.get("type") == "manual":
        return CheckResult(exercise_id, NOT_ATTEMPTED, "Not attempted yet: this exercise is graded by your "
                                                       "instructor, not by il2edu.check.", 0.0, points)
    if _is_stub(value):
        return CheckResult(exercise_id, NOT_ATTEMPTED, "Not attempted yet: replace the ... with your answer and "
                                                       "run the cell again.", 0.0, points)
    kind = ex["type"]
    try:
        if kind == "numeric" and "params" in ex:  # this learner's own numbers (numbers.py)
            from . import numbers

            status, message = _grade_number({**ex, "answer": numbers.expected_for(ex, numbers.who()[0])}, value)
        elif kind == "numeric":
            status, message = _grade_number(ex, value)
        elif kind == "text":
            status, message = _grade_text(ex, value)
        else:
            status, message = _grade_function(ex, value)
    except Exception as err:  # a value so odd that comparing it fails (e.g. a custom __float__ raising)
        status, message = INCORRECT, f"Not quite: this answer cannot be checked ({type(err).__name__})."
    earned = points if status == CORRECT else 0.0
    if status in (CORRECT, INCORRECT):
        from . import save

        save(lesson, exercise_id, "exercise", _answer_text(value), status == CORRECT, earned, points)
        message += f" ({earned:g} of {points:g} point{'s' if points != 1 else ''})"
    result = CheckResult(exercise_id, status, message, earned, points)
    from . import solutions_offered

    if status in (CORRECT, INCORRECT) and ex.get("solution") and solutions_offered():
        result.offer = (lesson, ex)
    return result


def _answer_text(value) -> str:
    try:
        if callable(value):
            return f"function {str(getattr(value, '__name__', '?'))[:100]}"
        text = str.__str__(value) if isinstance(value, str) else repr(value)
    except Exception:  # a repr or __name__ that raises, or an int too long to print (10**5000)
        return f"a {type(value).__name__}"
    return text[:200]


# -- validation ------------------------------------------------------------------------------------------------

def exercise_problems(ex: dict, objectives: dict | None, refs: dict) -> list[str]:
    """Problems with one exercise; objectives None skips the objective check."""
    from .quiz.bank import ID_PATTERN, finite_number, member, reference_problems, tolerance_problems

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
    out += reference_problems(keys, refs)
    hints = ex.get("hints")
    if kind != "manual" and (not isinstance(hints, dict) or not str(hints.get("default") or "").strip()):
        out.append("'hints' needs at least a 'default' hint")
    if kind == "numeric":
        a = ex.get("answer")
        if isinstance(a, bool) or not isinstance(a, (int, float)):
            out.append("'answer' should be a number")
        elif not finite_number(a):
            out.append("'answer' should be a finite number (not .inf or .nan)")
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
                if not isinstance(c, dict) or not isinstance(c.get("args", []), list) or not finite_number(
                        c.get("expected")):
                    out.append("each case needs 'args' (a list) and a numeric 'expected'")
                    break
        out += tolerance_problems(ex.get("tolerance"), None) if "tolerance" in ex else []
    if not out:
        from .numbers import problems

        out += problems(ex)
    return out


def solution_problems(ex: dict) -> list[str]:
    """An automatically checked exercise stores its one solution: the key and worked solutions are made from it."""
    if ex.get("type") not in ("numeric", "text", "function") or "answer_sha256" in ex:
        return []  # a fingerprinted answer is kept secret, so it has no stored solution either
    return [f"'{field}' should be {what} (text)"
            for field, what in (("solution", "the code that solves it, as it replaces the notebook's stub"),
                                ("reasoning", "one sentence on why the solution works"))
            if not isinstance(ex.get(field), str) or not ex[field].strip()]


def check_exercises(root: Path):
    """Validator: every exercise file's schema, ids unique across the course, and notebooks' check() ids."""
    from . import seedfiles
    from .quiz.bank import lesson_ids, all_questions
    from ..validate import Problem, load_mapping

    root = Path(root)
    problems = []
    refs = load_mapping(root, "references.yaml", []) or {}  # its own problems are check_references's to report
    lessons = lesson_ids(root)
    question_ids = set(all_questions(root))
    seen: dict[str, str] = {}
    for path, shown, data in seedfiles.lesson_files(root, "exercises", problems, Problem):
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
            problems += [Problem(shown, entry, m) for m in exercise_problems(ex, objectives, refs) + solution_problems(ex)]
            if isinstance(ex.get("id"), str):
                if ex["id"] in seen or ex["id"] in question_ids:
                    problems.append(Problem(shown, ex["id"], "id is already used by another exercise or question"))
                seen.setdefault(ex["id"], shown)
    from .prompts import all_prompts

    conclusions = {i for i, (_, kind, _) in all_prompts(root).items() if kind == "conclusion"}
    called: dict[str, set] = {}
    with_params = {ex["id"] for _, ex in all_exercises(root).values() if "params" in ex}
    for name, source in seedfiles.code_cells(root):
        called.setdefault(name, set()).update(CHECK_CALL.findall(source))
        for eid in sorted(set(NUMBERS_CALL.findall(source)) - with_params):
            problems.append(Problem(f"notebooks/{name}", eid, "il2edu.numbers() names an exercise without 'params'"))
    for name, ids in called.items():
        for eid in sorted(ids - set(seen) - conclusions):
            problems.append(Problem(f"notebooks/{name}", eid, "checks an exercise that is in no seeds/exercises file"))
    return problems
