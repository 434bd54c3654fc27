"""Lesson 02's receptor-assembly diagram: what it draws and what its text alternative says (s5-25)."""

import re

import pytest

from il2edu import figures, parameters
from il2edu.activities.quiz import bank


@pytest.fixture(scope="module")
def diagram():
    return figures.receptor_assembly()


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_the_panels_show_catch_hand_off_trimer_and_the_dimer_without_cd25(diagram):
    axes = diagram.figure.axes
    assert [ax.get_title() for ax in axes] == [
        "1. CD25 catches IL-2", "2. IL-2Rβ takes it over", "3. γc joins: the trimer",
        "No CD25: the dimer\n(NK cells, memory CD8 T cells)"]
    chains = [[t for t in _texts(ax) if t in ("CD25\n(IL-2Rα)", "IL-2Rβ\n(CD122)", "γc\n(CD132)")] for ax in axes]
    assert chains[:3] == [["CD25\n(IL-2Rα)", "IL-2Rβ\n(CD122)", "γc\n(CD132)"]] * 3
    assert chains[3] == ["IL-2Rβ\n(CD122)", "γc\n(CD132)"]  # the dimer panel has no CD25
    assert all("IL-2" in _texts(ax) for ax in axes)
    # the kinases are on IL-2Rβ (JAK1) and γc (JAK3), never on CD25
    assert all([t for t in _texts(ax) if t.startswith("JAK")] == ["JAK1", "JAK3"] for ax in axes)


def test_the_affinities_drawn_and_said_are_the_parameters_with_their_references(diagram):
    captions = [t for ax in diagram.figure.axes for t in _texts(ax) if "Kd" in t]
    for name, amount, panel in (("kd_alpha", "10 nM", 0), ("kd_trimer", "10 pM", 2), ("kd_dimer", "1 nM", 3)):
        entry = parameters.entry("binding", name)
        said = f"Kd ≈ {amount} [{', '.join(entry['references'])}]"
        assert said in captions[[0, 2, 3].index(panel)]
        assert said in diagram.alt
    # no number in the text alternative beyond the three Kds of seeds/parameters.yaml
    assert re.findall(r"\d+ [np]M", diagram.alt) == ["10 nM", "10 pM", "1 nM"]


def test_the_text_alternative_tells_the_steps_in_order_and_the_page_carries_it(diagram):
    alt = diagram.alt
    steps = [alt.index(s) for s in ("Step 1: CD25", "Step 2:", "Step 3: the common γ chain", "without CD25")]
    assert steps == sorted(steps)
    assert "NK cell" in alt and "memory CD8 T cell" in alt and "intermediate-affinity βγc dimer" in alt
    page = diagram._repr_html_()
    assert re.search(r'<img class="il2edu-figure" src="data:image/png;base64,[^"]+" alt="Diagram in four panels', page)


def test_the_question_after_the_diagram_names_the_misconception_on_the_signalling_distractor():
    q = next(q for q in bank.load_bank("02-receptor")["questions"] if q["id"] == "02-diagram-block-catch")
    correct = [c for c in q["choices"] if c.get("correct")]
    assert len(correct) == 1 and "βγc dimer" in correct[0]["text"]
    assert all(c.get("feedback") for c in q["choices"])
    signalling = next(c for c in q["choices"] if "CD25 is the chain that signals" in c["text"])
    assert "misconception" in signalling["feedback"]
