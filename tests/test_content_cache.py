"""Course files are parsed once per kernel and parsed again when they change on disk (il2edu.content)."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from il2edu import content
from il2edu.activities import exercises
from il2edu.activities.quiz import bank


def test_a_file_is_parsed_once_until_it_changes(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text("treg: {term: Treg}\n", encoding="utf-8")
    first = content.cached_mapping(path)
    assert content.cached_mapping(path) is first  # the same parsed object: no second parse
    path.write_text("treg: {term: Treg}\nnk: {term: NK cell}\n", encoding="utf-8")  # size changes
    assert set(content.cached_mapping(path)) == {"treg", "nk"}
    # same size, new mtime: an instructor fixing one letter
    path.write_text("treg: {term: Treg}\nnk: {term: NK celL}\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert content.cached_mapping(path)["nk"]["term"] == "NK celL"


def test_a_broken_or_missing_file_still_says_which_and_where(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(content.ContentError, match="duplicate key at line 2"):
        content.cached_mapping(path)
    with pytest.raises(content.ContentError, match="is missing"):
        content.cached_mapping(tmp_path / "gone.yaml")


@pytest.fixture
def seeds_copy(tmp_path, monkeypatch):
    root = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), root)
    monkeypatch.setenv("IL2EDU_SEEDS", str(root))
    return root


def test_an_edited_bank_is_seen_by_the_next_question_and_check(seeds_copy):
    lesson, _ = bank.find_question("01-discovery-name")
    assert lesson == "01-meet-il2"
    path = seeds_copy / "quizzes" / "01-meet-il2.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: 01-discovery-name", "id: 01-discovery-renamed"), encoding="utf-8")
    assert bank.find_question("01-discovery-renamed")[0] == "01-meet-il2"
    with pytest.raises(content.ContentError, match="no question with this id"):
        bank.find_question("01-discovery-name")

    ex_path = seeds_copy / "exercises" / "01-meet-il2.yaml"
    ex_path.write_text(ex_path.read_text(encoding="utf-8").replace("id: 01-secretion-hour", "id: 01-secretion-renamed"),
                       encoding="utf-8")
    assert exercises.find_exercise("01-secretion-renamed")[0] == "01-meet-il2"


def test_an_id_outside_its_lessons_file_is_still_found(seeds_copy):
    """Ids are looked up in their lesson's file first; one kept in another file is found all the same."""
    src = seeds_copy / "quizzes" / "01-meet-il2.yaml"
    dst = seeds_copy / "quizzes" / "02-receptor.yaml"
    text = src.read_text(encoding="utf-8")
    start = text.index("  - id: 01-discovery-name")
    nxt = text.find("\n  - id:", start + 1)
    block = text[start:nxt if nxt > 0 else len(text)]
    src.write_text(text.replace(block, ""), encoding="utf-8")
    objective = content.cached_mapping(dst)["questions"][0]["objective"]  # the bank checks its objectives
    block = re.sub(r"objective: .*", f"objective: {objective}", block)
    other = dst.read_text(encoding="utf-8").rstrip("\n") + "\n" + block.rstrip("\n") + "\n"
    dst.write_text(other, encoding="utf-8")
    assert bank.all_questions()["01-discovery-name"][0] == "02-receptor"
    assert bank.find_question("01-discovery-name")[0] == "02-receptor"
