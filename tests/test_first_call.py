"""The first question in a kernel: plain text skips mistune, and gives exactly the HTML mistune would."""

from __future__ import annotations

import mistune
import pytest

from il2edu import content
from il2edu.activities.quiz import widgets

MISTUNE = mistune.create_markdown(escape=False, plugins=["math", "table", "strikethrough"])


def _strings(node):
    if isinstance(node, str):
        yield node.strip()
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def course_strings() -> list[str]:
    root = content.seeds_dir()
    out = []
    for folder in ("quizzes", "activities", "exercises"):
        for path in sorted((root / folder).glob("*.yaml")):
            out.extend(s for s in _strings(content.read_yaml(path)) if s)
    return out


def test_plain_text_gives_what_mistune_gives_for_every_course_string():
    strings = course_strings()
    plain = [s for s in strings if widgets._plain(s)]
    assert len(plain) > 100  # the fast path is what most prompts take
    wrong = [s for s in plain if widgets.markdown(s) != MISTUNE(s)]
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("text", [
    "Who named IL-2?", "5 & 6", "a < b", 'He said "hi"', "*italic*", "- a list", "1. first", "2) second",
    "# heading", "> quote", "a | b", "$x^2$", "~~gone~~", "[link](x)", "`code`", "two\n\nparagraphs",
    "snake_case", "back\\slash", "it's 50% (CD4+)", "ends with a colon:", "+ plus list", "=== ", "!image",
    "one line\nand the next", "a line\n- then a list", "a line\n    indented", "hard  \nbreak", "a\n1. list",
    "title\n===", "x\n> quote", "x\n# heading",
])
def test_each_kind_of_markup_goes_to_mistune_or_matches_it(text):
    assert widgets.markdown(text) == (MISTUNE(text.strip()))
