"""Every lesson has instructor notes in docs/instructor-notes/ with the agreed sections, citing real sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from il2edu import content, course

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "docs" / "instructor-notes"
SECTIONS = ("Timings", "Where learners stumble", "Misconceptions", "Discussion questions", "Model answers",
            "A 50-minute class")
LESSONS = course.lessons()


def notes_for(lesson) -> Path:
    return NOTES / lesson["notebook"].replace(".ipynb", ".md")


def problems(text: str, refs: dict) -> list[str]:
    heads = re.findall(r"^##\s+(.*?)\s*$", text, flags=re.M)
    out = [f"no '## {s}' section" for s in SECTIONS if s not in heads]
    out += [f"unknown reference key [{k}]" for k in re.findall(r"\[([a-z][a-z0-9_]*)\]", text) if k not in refs]
    if not re.findall(r"\[([a-z][a-z0-9_]*)\]", text):
        out.append("cites no source")
    return out


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson["id"] for lesson in LESSONS])
def test_each_lesson_has_complete_notes(lesson):
    path = notes_for(lesson)
    assert path.exists(), f"no instructor notes for {lesson['notebook']} at {path.relative_to(REPO)}"
    assert problems(path.read_text(), content.references()) == []


def test_the_index_links_every_lesson_and_the_guide_says_they_stay_out_of_releases():
    index = (NOTES / "README.md").read_text()
    for lesson in LESSONS:
        assert f"({notes_for(lesson).name})" in index
    assert "instructor-notes" in (REPO / "docs" / "INSTRUCTORS.md").read_text()


def test_the_check_catches_missing_sections_and_unknown_keys():
    found = problems("## Timings\nIL-2 [nobody2099].", {"morgan1976": {}})
    assert "no '## Misconceptions' section" in found and "unknown reference key [nobody2099]" in found
