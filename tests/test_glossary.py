"""The glossary search box: what a learner sees after typing, and the plain search behind it."""

from __future__ import annotations

import il2edu
from il2edu import content
from il2edu.glossary import search, short_citation, status_text

TERMS = {
    "treg": {"term": "Regulatory T cell (Treg)", "definition": "Suppresses other cells.", "references": ["a2001"]},
    "foxp3": {"term": "FOXP3", "definition": "Defines Tregs.", "references": ["a2001"]},
    "jak": {"term": "JAK1 and JAK3", "definition": "Kinases on the receptor.", "references": ["a2001"]},
}


def test_search_matches_term_and_definition_ignoring_case():
    assert search("TREG", TERMS) == ["treg", "foxp3"]  # a name match ranks above a definition match
    assert search("kinases", TERMS) == ["jak"]


def test_every_word_of_the_query_must_match():
    assert search("suppresses cells", TERMS) == ["treg"]
    assert search("suppresses kinases", TERMS) == []


def test_empty_query_lists_everything():
    assert sorted(search("", TERMS)) == sorted(TERMS)
    assert sorted(search("   ", TERMS)) == sorted(TERMS)


def test_typing_treg_shows_the_treg_entry_and_hides_unrelated_ones():
    box = il2edu.glossary()
    assert len(box.shown) == len(content.glossary())
    box.search_box.value = "treg"
    assert box.shown[0] == "treg"
    assert "jak" not in box.shown and "capillary_leak" not in box.shown
    html = box.results.value
    assert "Regulatory T cell (Treg)" in html
    assert "JAK1 and JAK3" not in html
    # each definition comes with its sources
    assert "Setoguchi et al. 2005" in html
    assert box.status.value.startswith(f"{len(box.shown)} of {len(content.glossary())} terms match")


def test_an_empty_result_says_so_in_words():
    box = il2edu.glossary("no-such-word-xyz")
    assert box.shown == []
    assert box.results.value == ""
    assert box.status.value.startswith("No term matches")


def test_clearing_the_box_shows_every_term_again():
    box = il2edu.glossary("stat5")
    assert 0 < len(box.shown) < len(content.glossary())
    box.search_box.value = ""
    assert len(box.shown) == len(content.glossary())
    assert box.status.value.startswith("All ")


def test_widget_carries_the_glossary_class_not_the_explorer_class():
    box = il2edu.glossary()
    assert "il2edu-glossary" in box.widget._dom_classes
    assert "il2edu-explorer" not in box.widget._dom_classes


def test_glossary_is_callable_after_a_direct_module_import():
    import il2edu.glossary as module

    assert il2edu.glossary is module
    assert il2edu.glossary("stat5").shown == search("stat5")


def test_markup_in_a_definition_is_shown_as_text():
    terms = {"x": {"term": "<b>X</b>", "definition": "a <script>alert(1)</script> b", "references": []}}
    from il2edu.glossary import entry_html

    out = entry_html("x", terms, {})
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_short_citations():
    refs = content.references()
    assert short_citation("boyman2012", refs) == "Boyman and Sprent 2012"
    assert short_citation("setoguchi2005", refs) == "Setoguchi et al. 2005"
    assert short_citation("vanheel2007", refs) == "van Heel et al. 2007"
    assert short_citation("lenardo1991", refs) == "Lenardo 1991"


def test_status_texts():
    assert status_text("treg", 1, 40) == "1 of 40 terms matches “treg”."
    assert status_text("", 40, 40).startswith("All 40 terms")


def test_bibliography_lists_every_reference_once():
    keys = il2edu.bibliography().keys
    assert sorted(keys) == sorted(content.references())
    assert len(keys) == len(set(keys))


def _markdown_cells(path):
    import nbformat

    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def test_terms_the_review_found_missing_have_entries_with_sources():
    terms, refs = content.glossary(), content.references()
    for key in ("stat3", "bim", "shc", "creb", "haplotype", "easi", "checkpoint_inhibitor", "constitutional_symptoms"):
        assert key in terms, key
        assert terms[key]["references"] and set(terms[key]["references"]) <= set(refs), key


def test_each_lesson_links_every_glossary_term_at_its_first_use():
    """Fix a failure with `python -m il2edu.glossary_links notebooks/*.ipynb`."""
    from pathlib import Path

    import nbformat

    from il2edu import glossary_links

    terms = content.glossary()
    notebooks = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
    total = 0
    for path in notebooks:
        if path.name == glossary_links.GLOSSARY_NOTEBOOK:
            continue
        nb = nbformat.read(path, as_version=4)
        assert glossary_links.first_use_problems(nb, terms) == [], path.name
        total += sum(len(glossary_links.links(c.source)) for c in nb.cells if c.cell_type == "markdown")
    assert total > 100


def test_relinking_puts_links_at_first_use_and_is_idempotent():
    import nbformat

    from il2edu import glossary_links

    terms = {"treg": {"term": "Regulatory T cell (Treg)"}, "stat5": {"term": "STAT5"}}
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title about Tregs"),
                nbformat.v4.new_markdown_cell("## Tregs and STAT5\n\nRegulatory T cells use `STAT5` [x2001]; STAT5 again."),
                nbformat.v4.new_markdown_cell("Tregs once more.")]
    assert glossary_links.first_use_problems(nb, terms)
    glossary_links.relink_notebook(nb, terms)
    body = nb.cells[1].source
    assert body.startswith("## Tregs and STAT5")  # headings and the title cell stay plain
    assert '[Regulatory T cells](10_glossary.ipynb "glossary: treg")' in body
    assert '`STAT5` [x2001]; [STAT5](10_glossary.ipynb "glossary: stat5") again' in body  # code stays plain
    assert nb.cells[2].source == "Tregs once more."
    before = [c.source for c in nb.cells]
    glossary_links.relink_notebook(nb, terms)
    assert [c.source for c in nb.cells] == before
    assert glossary_links.first_use_problems(nb, terms) == []


def test_links_are_read_from_markdown():
    from il2edu.glossary_links import links

    md = 'The adaptor [Shc](10_glossary.ipynb "glossary: shc") and [a paper](https://doi.org/x).'
    assert links(md) == [("Shc", "shc")]


def test_every_abbreviation_a_lesson_uses_can_be_looked_up():
    """Typing any abbreviation from a lesson (CD4, HIV, TCR, IL-6Rα, ...) into the glossary finds an entry."""
    import re
    from pathlib import Path

    not_terms = {"README", "DOI"}
    missing = set()
    for path in sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb")):
        for cell in _markdown_cells(path):
            text = re.sub(r"\[[a-z0-9_]+\]", " ", cell)  # citation keys
            for tok in re.findall(r"(?<![\w-])([A-Z][A-Za-z0-9αβγ-]*[A-Z0-9αβγ][a-z]*)(?![\w])", text):
                if sum(ch.isupper() for ch in tok) >= 2 and tok not in not_terms and not search(tok.rstrip("s")):
                    missing.add(f"{path.name}: {tok}")
    assert not missing, sorted(missing)
