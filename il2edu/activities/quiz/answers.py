"""Reading and grading answers: pure functions, no widgets, no files.

Every grader returns a Grade whose message is one line a learner can read: it starts with "Correct" or
"Not quite" for a real attempt; an answer that cannot be read (status "invalid") gets a message saying
what to type instead and does not count as a try.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

MAX_ANSWER_LENGTH = 200

CORRECT, INCORRECT, INVALID = "correct", "incorrect", "invalid"


class AnswerError(ValueError):
    """An answer we cannot read; str() is a one-line message for the learner."""


@dataclass
class Grade:
    status: str  # correct | incorrect | invalid
    message: str
    notes: list = field(default_factory=list)  # per-choice feedback lines, shown under the message

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    @property
    def counts(self) -> bool:
        """Whether this was a real try (an unreadable answer is not)."""
        return self.status != INVALID


# --- numbers -------------------------------------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u2007]+")
_MICRO = re.compile(r"[\u00b5\u03bc]")  # micro sign and Greek mu look alike; treat them as one

# A mantissa, then an optional power of ten: 1e-3, 1.5x10^3, 1.5 × 10⁻³; or a bare power of ten: 10^4.
# Thousands may be grouped with commas or spaces (1,000 or 1 000), digits only in groups of three.
_NUMBER = re.compile(
    r"""^(?P<sign>[+-]?)\s*
    (?:
      (?P<mant>(?:[0-9]{1,3}(?:(?P<sep>[, ])[0-9]{3})(?:(?P=sep)[0-9]{3})*|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)
      (?:\s*[eE]\s*(?P<e>[+-]?[0-9]+)|\s*[x*]\s*10\s*\^\s*(?P<p>[+-]?[0-9]+))?
    |
      10\s*\^\s*(?P<bare>[+-]?[0-9]+)
    )$""",
    re.VERBOSE,
)


def _normalise(text: str) -> str:
    s = _SPACES.sub(" ", text).strip()
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\u00d7", "x").replace("\u00b7", "x")
    s = _MICRO.sub("\u00b5", s)
    # 10⁻³ -> 10^-3; a superscript run only makes sense as an exponent
    s = re.sub(r"10\s*([⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), s)
    s = re.sub(r"(?<=[0-9])\s*X\s*(?=10)", "x", s)
    return s


# Other ways to write a unit that learners use: a fold change is also "100x", "100-fold" or "100 times".
_UNIT_SYNONYMS = {"fold": {"-fold", "x", "times"}}


def _unit_forms(unit: str) -> set:
    u = _normalise(unit)
    forms = {u, u.replace(" ", "")} | _UNIT_SYNONYMS.get(u, set())
    if "\u00b5" in u:  # people type u for micro: ug, uM
        forms |= {f.replace("\u00b5", "u") for f in set(forms)}
    return {f for f in forms if f}


def _strip_unit(s: str, unit: str | None) -> str:
    """Remove the expected unit from the end of an answer, if it is there."""
    if unit:
        for form in sorted(_unit_forms(unit), key=len, reverse=True):
            if s.endswith(form) and s[: -len(form)].strip():
                return s[: -len(form)].strip()
    return s


def _diagnose(s: str, unit: str | None) -> str:
    """Why s is not a number, in one line."""
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]{1,2}|[+-]?[0-9]+,[0-9]{4,}", s):
        return "Use a point for decimals (1.5, not 1,5)."
    if re.fullmatch(r"[+-]?(nan|inf|infinity)", s, flags=re.I):
        return "That is not a finite number; type a number such as 0.001 or 1e-3."
    if unit:
        for form in _unit_forms(unit):
            if s.startswith(form) and _NUMBER.match(s[len(form) :].strip()):
                return f"Put the unit after the number (e.g. 61 {unit}), or leave it out."
    # a readable number followed by something else: most likely a unit
    for i in range(len(s) - 1, 0, -1):
        head, rest = s[:i].strip(), s[i:].strip()
        if rest and re.match(r"[^\W\d_]|[µ%°]", rest) and _NUMBER.match(head):
            shown = rest if len(rest) <= 12 else rest[:12] + "..."
            if unit:
                return f"Give the answer in {unit}: '{shown}' is not the unit asked for."
            return "Type just a number, without a unit (e.g. 0.001, 1e-3 or 1.5x10^3)."
    return "That is not a number we can read; type e.g. 0.001, 1e-3, 1,000 or 1.5x10^3."


def parse_number(text, unit: str | None = None) -> float:
    """Read a learner's number: 0.001, 1e-3, 1,000, 1 000, 10^4, 1.5x10^3, with or without the unit.

    Returns a finite float or raises AnswerError with a one-line message. Never raises anything else.
    """
    if isinstance(text, bool):
        raise AnswerError("Type a number, not true or false.")
    if isinstance(text, (int, float)):
        value = float(text)
        if not math.isfinite(value):
            raise AnswerError("That is not a finite number; type a number such as 0.001 or 1e-3.")
        return value
    if text is None:
        raise AnswerError("Type an answer first.")
    if not isinstance(text, str):
        raise AnswerError("Type a number, such as 0.001 or 1e-3.")
    if len(text) > MAX_ANSWER_LENGTH:
        raise AnswerError("That answer is too long; type just a number.")
    s = _normalise(text)
    if not s:
        raise AnswerError("Type an answer first.")
    s = _strip_unit(s, unit)
    m = _NUMBER.match(s)
    if not m:
        raise AnswerError(_diagnose(s, unit))
    sign = -1.0 if m.group("sign") == "-" else 1.0
    if m.group("bare") is not None:
        mantissa, exponent = "1", m.group("bare")
    else:
        mantissa = m.group("mant").replace(",", "").replace(" ", "")
        exponent = m.group("e") or m.group("p") or "0"
    if len(exponent.lstrip("+-")) > 6:
        raise AnswerError("That power of ten is far too large to check; type an ordinary number.")
    value = float(f"{mantissa}e{exponent}") * sign
    if not math.isfinite(value):
        raise AnswerError("That number is too large to check; type an ordinary number.")
    return value


def format_number(value: float) -> str:
    """A compact, readable form of a number (for feedback)."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e6:
        text = f"{value:,.6g}" if magnitude >= 1e4 else f"{value:.6g}"
        return text
    mantissa, exponent = f"{value:.3e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}×10^{int(exponent)}"


def within(value: float, expected: float, tolerance: dict) -> bool:
    if "absolute" in tolerance:
        allowed = float(tolerance["absolute"])
    else:
        allowed = float(tolerance.get("relative", 0)) * abs(expected)
    return abs(value - expected) <= allowed * (1 + 1e-9) + 1e-15 * abs(expected)


def magnitude_slip(value: float, expected: float, tolerance: dict) -> int:
    """k when value is expected × 10^k (k ≠ 0, within tolerance), else 0: a unit or power-of-ten slip."""
    if value == 0 or expected == 0 or (value > 0) != (expected > 0):
        return 0
    k = round(math.log10(abs(value / expected)))
    if k == 0 or abs(k) > 12:
        return 0
    return k if within(value / 10.0**k, expected, tolerance) else 0


def slip_message(k: int) -> str:
    factor = f"{10 ** abs(k):,}"
    way = "large" if k > 0 else "small"
    return f"your answer is {factor} times too {way}; check the units and the powers of ten."


def grade_numeric(question: dict, answer) -> Grade:
    unit = question.get("unit") or None
    try:
        value = parse_number(answer, unit)
    except AnswerError as err:
        return Grade(INVALID, str(err))
    expected = float(question["answer"])
    tolerance = question.get("tolerance") or {"relative": 1e-9}
    if within(value, expected, tolerance):
        return Grade(CORRECT, f"Correct: {format_answer(question)}.")
    k = magnitude_slip(value, expected, tolerance)
    if k:
        return Grade(INCORRECT, "Not quite: " + slip_message(k))
    return Grade(INCORRECT, f"Not quite: {format_number(value)}{' ' + unit if unit else ''} is not within the accepted range.")


def format_answer(question: dict) -> str:
    """The right answer in words, for "Show answer" and for correct feedback."""
    kind = question.get("type")
    if kind == "numeric":
        unit = question.get("unit")
        text = format_number(float(question["answer"])) + (f" {unit}" if unit else "")
        return text
    if kind == "truefalse":
        return "true" if question["answer"] else "false"
    if kind in ("single", "multiple"):
        right = [c["text"] for c in question["choices"] if c.get("correct")]
        return "; ".join(str(t) for t in right)
    if kind == "ordering":
        return " → ".join(str(i) for i in question["items"])
    return ""


# --- choices ---------------------------------------------------------------------------------------------

def _choice_index(question: dict, answer):
    """A choice given as its index (in the bank's order) or its text."""
    choices = question["choices"]
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int) and 0 <= answer < len(choices):
        return answer
    if isinstance(answer, str):
        for i, c in enumerate(choices):
            if str(c["text"]) == answer:
                return i
    return None


def grade_single(question: dict, answer) -> Grade:
    if answer is None or answer == "":
        return Grade(INVALID, "Choose an answer first.")
    i = _choice_index(question, answer)
    if i is None:
        return Grade(INVALID, "Choose one of the answers shown.")
    choice = question["choices"][i]
    notes = [str(choice["feedback"]).strip()] if choice.get("feedback") else []
    if choice.get("correct"):
        return Grade(CORRECT, "Correct.", notes)
    return Grade(INCORRECT, "Not quite: that is not the best answer.", notes)


def grade_multiple(question: dict, answer) -> Grade:
    if answer is None or isinstance(answer, (str, int)):
        answer = [] if answer in (None, "") else [answer]
    picked = set()
    for a in answer:
        i = _choice_index(question, a)
        if i is None:
            return Grade(INVALID, "Choose among the answers shown.")
        picked.add(i)
    if not picked:
        return Grade(INVALID, "Tick at least one answer first.")
    choices = question["choices"]
    right = {i for i, c in enumerate(choices) if c.get("correct")}
    notes = [str(choices[i]["feedback"]).strip() for i in sorted(picked) if choices[i].get("feedback")]
    if picked == right:
        return Grade(CORRECT, f"Correct: all {len(right)} right answers, and nothing else.", notes)
    hits, extra = len(picked & right), len(picked - right)
    message = f"Not quite: {hits} of {len(right)} right answers ticked"
    if extra:
        message += f", plus {extra} that {'is' if extra == 1 else 'are'} not right"
    return Grade(INCORRECT, message + ".", notes)


_TRUE = {"true", "t", "yes", "y", "1", "vrai", "wahr"}
_FALSE = {"false", "f", "no", "n", "0", "faux", "falsch"}


def grade_truefalse(question: dict, answer) -> Grade:
    if isinstance(answer, str):
        word = answer.strip().lower()
        answer = True if word in _TRUE else False if word in _FALSE else None
    if not isinstance(answer, bool):
        return Grade(INVALID, "Choose True or False first.")
    if answer == bool(question["answer"]):
        return Grade(CORRECT, f"Correct: the statement is {'true' if answer else 'false'}.")
    return Grade(INCORRECT, f"Not quite: the statement is not {'true' if answer else 'false'}.")


def grade_ordering(question: dict, answer) -> Grade:
    items = [str(i) for i in question["items"]]
    try:
        order = [items[a] if isinstance(a, int) and not isinstance(a, bool) else str(a) for a in answer]
    except (TypeError, IndexError):
        return Grade(INVALID, "Put the items in order first.")
    if sorted(order) != sorted(items):
        return Grade(INVALID, "Use each item exactly once.")
    placed = sum(a == b for a, b in zip(order, items))
    if placed == len(items):
        return Grade(CORRECT, "Correct: that is the right order.")
    return Grade(INCORRECT, f"Not quite: {placed} of {len(items)} in the right place.")


GRADERS = {
    "single": grade_single,
    "multiple": grade_multiple,
    "numeric": grade_numeric,
    "truefalse": grade_truefalse,
    "ordering": grade_ordering,
}


def grade(question: dict, answer) -> Grade:
    """Grade one answer to one question (a dict from a quiz bank). Never raises for any answer."""
    try:
        return GRADERS[question["type"]](question, answer)
    except (KeyError, TypeError, ValueError, OverflowError) as err:  # a broken question, not the learner
        return Grade(INVALID, f"This question cannot be checked ({type(err).__name__}); please tell your instructor.")


def answer_text(question: dict, answer) -> str:
    """How an answer is stored in the progress database and its export: readable text."""
    kind = question.get("type")
    try:
        if kind == "single":
            i = _choice_index(question, answer)
            return str(question["choices"][i]["text"]) if i is not None else str(answer)
        if kind == "multiple":
            picked = sorted({_choice_index(question, a) for a in (answer or [])} - {None})
            return " | ".join(str(question["choices"][i]["text"]) for i in picked)
        if kind == "ordering":
            items = question["items"]
            return " → ".join(str(items[a]) if isinstance(a, int) else str(a) for a in answer)
    except (TypeError, IndexError, KeyError):
        pass
    return "" if answer is None else str(answer)
