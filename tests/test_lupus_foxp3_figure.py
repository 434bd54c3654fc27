"""Lesson 05's measured lupus-patient figure: what it draws, what its text alternative says, and the question
about it (s5-25). The numbers come from the data files, never from this test."""

import pytest

from il2edu import figures, parameters
from il2edu.activities.quiz import bank


@pytest.fixture(scope="module")
def figure():
    return figures.lupus_cd25_negative_foxp3()


def _rows(key):
    return {o["quantity"].split(",")[0]: o for o in parameters.datasets()[key]["observations"]}


def test_the_means_are_drawn_with_their_reported_spread(figure):
    rows = _rows("elmaraghy2018_foxp3")
    ax = figure.figure.axes[0]
    bars = {c.get_label(): c for c in ax.containers}
    for group in ("healthy controls", "lupus patients"):
        drawn = bars[f"{group} (mean ± as reported)"]
        y = drawn.lines[0].get_ydata()[0]
        low, high = drawn.lines[2][0].get_segments()[0][:, 1]
        assert y == rows[group]["measured"]
        assert high - y == pytest.approx(rows[group]["plus_minus"]) and y - low == pytest.approx(rows[group]["plus_minus"])
    assert rows["lupus patients"]["measured"] > 5 * rows["healthy controls"]["measured"]


def test_the_ranges_are_drawn_as_ranges_without_a_central_value(figure):
    rows = _rows("zhang2008_foxp3")
    lines = {line.get_label(): list(line.get_ydata()) for line in figure.figure.axes[0].get_lines()}
    assert lines["healthy controls (range)"] == rows["healthy controls"]["measured"] == [1.01, 3.62]
    assert lines["lupus patients (range)"] == rows["lupus patients"]["measured"]


def test_the_text_alternative_says_every_number_with_its_group_size_and_source(figure):
    alt = figure.alt
    assert "lupus patients 15.57 ± 4.32% (n = 56)" in alt and "healthy controls 2.46 ± 0.65% (n = 30)" in alt
    assert "lupus patients 2.97-10.94% (range, n = 21)" in alt and "[zhang2008_foxp3]" in alt
    assert 'alt="Measured CD4+CD25-FOXP3+ T cells' in figure._repr_html_()


def test_each_data_file_says_how_its_spread_was_reported():
    import yaml

    from il2edu import content

    refs = yaml.safe_load((content.seeds_dir() / "references.yaml").read_text(encoding="utf-8"))
    for key in figures.LUPUS_FOXP3_SETS:
        data = parameters.datasets()[key]
        assert data["reference"] in refs and "abstract checked" in refs[data["reference"]]["note"].lower()
        assert all(o["spread"] and o["n"] for o in data["observations"])
        assert "abstract" in data["where"] and "abstract" in data["how_read"]


def test_the_question_names_the_misconception_and_quotes_the_data():
    q = next(q for q in bank.load_bank("05-autoimmunity")["questions"] if q["id"] == "05-data-cd25neg")
    assert all(c.get("feedback") for c in q["choices"])
    assert [c for c in q["choices"] if c.get("correct")][0]["text"].startswith("More FOXP3+ cells lack CD25")
    assert any("misconception" in c["feedback"] and not c.get("correct") for c in q["choices"])
    el = _rows("elmaraghy2018_foxp3")
    zh = _rows("zhang2008_foxp3")
    assert f"about {round(el['lupus patients']['measured'])}% against {el['healthy controls']['measured']:.1f}%" in q["prompt"]
    assert f"{zh['lupus patients']['measured'][0]:.0f}-{zh['lupus patients']['measured'][1]:.0f}%" in q["prompt"]
