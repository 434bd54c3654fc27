"""Quizzes: banks (bank.py), answer checking (answers.py) and the widget layer (widgets.py).

This package's __init__ stays light: the validator imports quiz.bank where ipywidgets may be absent.
"""


def quiz(lesson_id: str):
    """Show a lesson's quiz, e.g. ``il2edu.quiz("02-receptor")``."""
    from .widgets import quiz as _quiz

    return _quiz(lesson_id)


def question(question_id: str):
    """Show one question inside a lesson's text, e.g. ``il2edu.question("02-trimer-affinity")``."""
    from .widgets import question as _question

    return _question(question_id)


# `il2edu.quiz` is this package once any submodule is imported (Python sets the attribute), so the
# package itself must be callable: il2edu.quiz("02-receptor") then works whatever was imported first.
import sys as _sys
import types as _types


class _CallableModule(_types.ModuleType):
    def __call__(self, lesson_id: str):
        return quiz(lesson_id)


_sys.modules[__name__].__class__ = _CallableModule
