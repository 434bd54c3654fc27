"""il2edu.review("03"): a warm-up of earlier quiz questions at the top of a lesson; the schedule is schedule.py.

Each question is a quiz Question that saves its answers as kind 'review' (0 of 0 points: the quiz keeps the
point) under the question's own lesson. CSS classes for the browser tests: il2edu-review (the whole warm-up),
il2edu-review-reason (why a question was chosen), then each question's own il2edu-question classes.
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import content, progress
from . import schedule
from .quiz import bank
from .quiz.widgets import Note, Question, Shared


class ReviewQuestion(Question):
    answer_kind = reveal_kind = "review"
    scored = False


def course_questions(before: str, root=None) -> list[tuple[str, dict]]:
    """(lesson id, question) of every lesson numbered before `before`, in course order; a bank that does
    not validate is left out (il2edu validate names it)."""
    root = content._root(root)
    out = []
    for lesson in bank.lesson_ids(root) or []:
        if lesson[:2] >= before:
            continue
        try:
            data = bank.load_bank(lesson, root)
        except content.ContentError:
            continue
        out += [(lesson, q) for q in data["questions"]]
    return out


class Review(w.VBox):
    def __init__(self, lesson: str, picks: list[dict], learner: str):
        self.lesson, self.picks = lesson, picks
        shared = Shared()
        count = f"{len(picks)} questions" if len(picks) != 1 else "1 question"
        intro = w.HTML(value=f"<b>Warm-up: {count} from earlier lessons.</b> Answer from memory "
                             "first. Questions you miss come back sooner; these answers do not change your quiz score.")
        self.questions, children = [], [intro]
        for n, pick in enumerate(picks):
            why = w.HTML(value=f"<i>{html.escape(pick['reason'])}</i>")
            why.add_class("il2edu-review-reason")
            question = ReviewQuestion(pick["lesson"], pick["question"], learner, number=n + 1, shared=shared)
            self.questions.append(question)
            children += [why, question]
        super().__init__(children)
        self.add_class("il2edu-review")

    @property
    def ids(self) -> list[str]:
        return [q.qid for q in self.questions]

    def question(self, question_id: str) -> ReviewQuestion:
        return next(q for q in self.questions if q.qid == question_id)

    def __repr__(self):
        return (f"Review for lesson {self.lesson}: {', '.join(self.ids)}. "
                "Run this cell in Jupyter to answer them.")


def show(lesson) -> Review | Note:
    number = schedule.lesson_number(lesson)
    if number is None:
        return Note(f"This review cannot be shown: {str(lesson)[:40]!r} is not a lesson number such as \"03\".")
    picks = schedule.choose(number, course_questions(number), progress.store().rows())
    if not picks:
        return Note(f"Nothing to review before lesson {number} yet: the warm-ups start from lesson 02.")
    return Review(number, picks, progress.learner_id())
