"""The pathway diagram of lesson 03 shows the nodes, arrows and alt text a learner is meant to see."""

from __future__ import annotations

import html
import re

from matplotlib.patches import FancyArrowPatch

import il2edu
from il2edu import diagrams


def drawn_texts(diagram) -> set[str]:
    """Every string drawn on the figure, joined to one line (what a learner reads)."""
    texts = set()
    for ax in diagram.figure.axes:
        texts |= {" ".join(t.get_text().split()) for t in ax.texts}
        texts.add(ax.get_title())
    for legend in diagram.figure.legends:
        texts |= {t.get_text() for t in legend.get_texts()}
    return texts


def drawn_arrows(diagram) -> list[tuple[str, str, str, str]]:
    """(source, target, kind, arrow head) for each arrow patch on the figure."""
    arrows = []
    for ax in diagram.figure.axes:
        for patch in ax.patches:
            if isinstance(patch, FancyArrowPatch):
                _, source, target, kind = patch.get_gid().split("-")
                head = type(patch.get_arrowstyle()).__name__
                arrows.append((source, target, kind, head))
    return arrows


def test_pathway_is_reachable_from_the_package():
    assert il2edu.diagrams.il2_pathway is diagrams.il2_pathway


def test_pathway_draws_every_node_label():
    diagram = diagrams.il2_pathway()
    texts = drawn_texts(diagram)
    for label in [
        "IL-2", "CD25 (IL-2Rα)", "IL-2Rβ + JAK1", "γc + JAK3", "STAT5 → pSTAT5", "Shc", "PI3K → Akt",
        "MAPK (ERK)", "FOXP3", "CD25 gene", "Blimp-1", "Bcl6 (Tfh cells)", "Th17 programme (RORγt, IL-17)",
    ]:
        assert label in texts, label
    assert "IL-2 signalling: from the receptor to target genes" in texts
    assert {"switches on", "holds back", "positive feedback"} <= texts
    assert set(diagram.labels()) <= texts


def test_pathway_draws_the_arrows_with_the_right_heads():
    arrows = drawn_arrows(diagrams.il2_pathway())
    assert len(arrows) == 13
    # JAKs on both chains lead to STAT5; IL-2Rβ also starts the Shc branch to PI3K-Akt and MAPK.
    for source, target in [("beta", "stat5"), ("gamma", "stat5"), ("beta", "shc"), ("shc", "pi3k"), ("shc", "mapk")]:
        assert (source, target, "activates", "CurveFilledB") in arrows
    for target in ("foxp3", "cd25gene", "blimp1"):
        assert ("stat5", target, "activates", "CurveFilledB") in arrows
    # Blimp-1 holds back Bcl6 and STAT5 holds back Th17: bar heads, not arrow heads.
    assert ("blimp1", "bcl6", "inhibits", "BracketB") in arrows
    assert ("stat5", "th17", "inhibits", "BracketB") in arrows
    assert ("cd25gene", "cd25", "feedback", "CurveFilledB") in arrows


def test_feedback_arrow_is_dashed_and_inhibition_is_coloured():
    diagram = diagrams.il2_pathway()
    patches = {p.get_gid(): p for ax in diagram.figure.axes for p in ax.patches if p.get_gid()}
    assert patches["arrow-cd25gene-cd25-feedback"].get_linestyle() == "--"
    assert patches["arrow-stat5-foxp3-activates"].get_linestyle() == "-"
    inhibit = patches["arrow-blimp1-bcl6-inhibits"].get_edgecolor()
    activate = patches["arrow-stat5-foxp3-activates"].get_edgecolor()
    assert inhibit != activate


def test_alt_text_describes_the_drawing():
    diagram = diagrams.il2_pathway()
    alt = diagram.alt_text
    for words in ["IL-2 binds CD25", "JAK1", "JAK3", "STAT5, the main route", "PI3K → Akt", "MAPK (ERK)",
                  "FOXP3", "Blimp-1 holds back Bcl6", "Th17", "positive feedback"]:
        assert words in alt, words
    # Every node a learner sees is named in the alt text (first word of each label).
    for label in diagram.labels():
        assert label.split()[0].strip("()") in alt, label


def test_html_shows_the_image_with_alt_text_and_a_caption():
    diagram = diagrams.il2_pathway()
    page = diagram._repr_html_()
    assert page.count("<img ") == 1
    alt = re.search(r'alt="([^"]*)"', page).group(1)
    assert html.unescape(alt) == diagram.alt_text
    assert "<figcaption" in page and html.escape(diagram.alt_text) in page
    assert diagram.png().startswith(b"\x89PNG")
    assert repr(diagram).startswith(diagram.title)


def test_dark_fills_get_white_text_and_light_fills_black():
    assert diagrams._text_colour("#000000") == "white"
    assert diagrams._text_colour("#FFFFFF") == "black"
    assert diagrams._text_colour("#0072B2") == "white"
    assert diagrams._text_colour("#F0E442") == "black"


def test_boxes_use_the_course_palette():
    from matplotlib.colors import to_hex
    from matplotlib.patches import FancyBboxPatch

    from il2edu.figures import OKABE_ITO

    diagram = diagrams.il2_pathway()
    fills = {to_hex(p.get_facecolor()[:3]).upper() for ax in diagram.figure.axes for p in ax.patches
             if isinstance(p, FancyBboxPatch)}
    assert len(fills) == len(diagrams.KIND_COLOURS)
    assert fills <= {c.upper() for c in OKABE_ITO.values()}
