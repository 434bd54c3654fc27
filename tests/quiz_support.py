"""Shared by the quiz, exercise and progress tests: a throwaway seeds folder with a test bank of every type."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quiz"


def make_seeds(tmp_path: Path) -> Path:
    """A copy of seeds/ plus the test bank and exercises as lesson 01-meet-il2."""
    dest = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", dest)
    (dest / "quizzes").mkdir(exist_ok=True)
    (dest / "exercises").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "01-meet-il2.yaml", dest / "quizzes" / "01-meet-il2.yaml")
    shutil.copy(FIXTURES / "01-meet-il2.exercises.yaml", dest / "exercises" / "01-meet-il2.yaml")
    return dest
