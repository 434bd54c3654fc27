"""The prior-knowledge question of lesson 00 and the capstone's return to it: what a learner saved at the
start is shown above the new box in lesson 09, escaped, and both answers are kept (a real SQLite file)."""

from __future__ import annotations

import json
import shutil

import il2edu
from il2edu import content, parameters, progress
from il2edu.activities import prompts

START = "I think a low dose boosts the immune system a little, <like> a small vaccine would."


def test_the_capstone_shows_the_answer_saved_in_lesson_00_above_a_new_box(il2edu_home):
    first = il2edu.write("00-write-prior")
    assert "What do you think now?" in first.children[0].value and first.model.value == ""
    first.input.value = START
    first.button.click()
    assert first.feedback_text.startswith("Saved. Compare your answer with the model answer below")
    assert "regulatory T cells (Tregs)" in first.model.value

    again = il2edu.write("09-write-prior-again", recall="00-write-prior")
    assert again.children[1] is again.recall and "il2edu-recall" in again.recall._dom_classes  # above the box
    assert again.recall.value == ("<b>Your answer in lesson 00:</b><blockquote style=\"white-space:pre-wrap\">"
                                  "I think a low dose boosts the immune system a little, &lt;like&gt; a small "
                                  "vaccine would.</blockquote>")
    assert again.input.value == "" and again.model.value == ""
    again.input.value = "Now: it aims to expand Tregs selectively, through the high-affinity CD25 receptor."
    again.button.click()
    assert "expand and activate regulatory T cells selectively" in again.model.value
    saved = [(r["lesson"], r["item_id"], r["answer"]) for r in progress.store().rows() if r["kind"] == "written"]
    assert saved == [("00-start-here", "00-write-prior", START),
                     ("09-capstone", "09-write-prior-again", again.input.value)]
    # coming back to the capstone later: both answers still shown
    back = il2edu.write("09-write-prior-again", recall="00-write-prior")
    assert "a small vaccine would" in back.recall.value and back.input.value.startswith("Now: it aims")


def test_without_an_answer_in_lesson_00_the_capstone_says_so(il2edu_home):
    shown = il2edu.write("09-write-prior-again", recall="00-write-prior")
    assert shown.recall.value == ("<i>You did not save an answer to this question in lesson 00; write what you "
                                  "think now.</i>")
    assert repr(il2edu.write("09-write-prior-again", recall="00-nope")) == (
        "This written answer cannot be shown: seeds/activities: entry '00-nope': no written with this id")


def test_the_model_answers_numbers_are_the_courses_binding_constants():
    _, entry = prompts.find("09-write-prior-again", "written")
    trimer, dimer = parameters.value("binding", "kd_trimer"), parameters.value("binding", "kd_dimer")
    assert f"about {trimer:g} pM" in entry["model_answer"] and f"(about {dimer / 1000:g} nM)" in entry["model_answer"]
    assert "about a hundred times" in entry["model_answer"] and dimer / trimer == 100


def test_validate_reports_a_recall_that_names_no_written_answer(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), seeds)
    (tmp_path / "notebooks").mkdir()
    cell = {"cell_type": "code", "source": ['il2edu.write("09-write-prior-again", recall="00-nothing")']}
    (tmp_path / "notebooks" / "09_x.ipynb").write_text(json.dumps({"cells": [cell]}))
    found = [(p.entry, p.message) for p in prompts.check_activities(seeds)]
    assert found == [("00-nothing", "recall= names no written answer in seeds/activities/")]
