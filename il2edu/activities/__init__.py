"""Learner activities: quiz questions (quiz/), exercise checks (exercises.py), worked solutions
(solutions.py), predictions and written answers (prompts.py, prompt_widgets.py), retrieval warm-ups
(schedule.py, review_widgets.py): one family that shows,
judges, saves and reveals.

Each kind follows the same four steps, and the shared pieces live here:
- show: defined by data in seeds/ (the data layer knows no checker), drawn by its own small module;
- judge: a pure function gives a status (correct | incorrect | not_attempted | invalid | error) and one line;
- save: `save(...)` writes one row of progress (kind = the activity's kind; the store knows no widget);
- reveal: `feedback_html(...)` shows the verdict in words and colour, a reveal is saved as its own kind.
A new kind is a judge function, a seeds/ schema, a kind in progress.KINDS and a few lines of display.
This __init__ stays light (no ipywidgets): the validator imports the submodules where widgets may be absent.
"""

from __future__ import annotations

import html
import os

# Okabe-Ito green and vermillion, darkened to 4.5:1 on white (WCAG AA text), always with words too.
COLOURS = {"correct": "#007A5A", "incorrect": "#B34700", "invalid": "#555555", "not_attempted": "#555555",
           "error": "#555555", "revealed": "#555555"}
ASSESS_ENV = "IL2EDU_ASSESS"
_assessment = False


def feedback_html(status: str, message: str, css: str = "", extra: str = "") -> str:
    """One feedback line as learners see it: words, colour, role=status for screen readers."""
    return (f'<div class="{html.escape(css)}" role="status" style="color:{COLOURS.get(status, "#555555")};'
            f'font-weight:600">{html.escape(message)}</div>{extra}')


def save(lesson: str, item_id: str, kind: str, answer="", correct=False, points=0.0, max_points=0.0) -> None:
    from .. import progress

    progress.record(lesson, item_id, kind, answer, correct, points, max_points)


def assessment(on: bool = True):
    """Mark this kernel's copy as an assessment: checks stop offering worked solutions.

    `il2edu release --assess` puts a call to it at the top of each student copy; IL2EDU_ASSESS=1 does the same
    for a whole hub. Returns a one-line note for the learner."""
    global _assessment
    _assessment = bool(on)
    from .exercises import CheckResult

    text = ("This copy is an assessment: checks say whether an answer is right, without worked solutions."
            if on else "Worked solutions are offered again after a first attempt.")
    return CheckResult("assessment", "not_attempted", text)


def solutions_offered() -> bool:
    return not _assessment and os.environ.get(ASSESS_ENV, "").strip() in ("", "0")


def quiz(lesson_id: str):
    """Show a lesson's quiz, e.g. ``il2edu.quiz("02-receptor")``."""
    from .quiz import quiz as _quiz

    return _quiz(lesson_id)


def question(question_id: str):
    from .quiz import question as _question

    return _question(question_id)


def check(exercise_id: str, value=None):
    from .exercises import check as _check

    return _check(exercise_id, value)


def predict(item_id: str, reveal: bool = False):
    """A saved prediction, e.g. ``il2edu.predict("07-predict-selectivity")``; reveal=True compares it afterwards."""
    from .prompt_widgets import predict as _predict

    return _predict(item_id, reveal)


def review(lesson):
    """A warm-up of 2-3 earlier quiz questions chosen from saved progress, e.g. ``il2edu.review("03")``."""
    from .review_widgets import show

    return show(lesson)


def write(item_id: str, recall: str | None = None):
    """A written answer with a model answer, e.g. ``il2edu.write("07-write-window")``; recall="<id>" shows the
    learner's saved answer to an earlier written question above the box."""
    from .prompt_widgets import write as _write

    return _write(item_id, recall)
