"""Diagrams drawn by code for the lessons (no pasted images), each with alt text.

`il2_pathway()` draws the IL-2 signalling pathway of lesson 03: the receptor chains at the membrane, the
three routes (STAT5, PI3K-Akt, MAPK) and STAT5's targets. It returns a Diagram that Jupyter shows as an
image with real alt text and the same text as a caption beside it, so a screen-reader user and a sighted
user get the same content. The figure is built with matplotlib's object API (not pyplot), so it is never
shown twice by the inline backend.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

from .figures import COLORS, OKABE_ITO

# The course palette, plus the neutral grey figures uses for background shading.
PALETTE = {**OKABE_ITO, "grey": COLORS["treatment"]}

# What each kind of node is, and the palette colour that marks it.
KIND_COLOURS = {
    "ligand": "orange",
    "chain": "sky_blue",
    "route": "yellow",
    "main": "bluish_green",
    "up": "blue",
    "down": "vermillion",
}
KIND_NAMES = {
    "ligand": "cytokine",
    "chain": "receptor chain and its kinase",
    "route": "signalling route",
    "main": "main route (STAT5)",
    "up": "gene switched on",
    "down": "programme held back",
}
ARROW_STYLES = {"activates": "-|>", "inhibits": "-[", "feedback": "-|>"}


@dataclass
class Node:
    key: str
    label: str
    x: float
    y: float
    kind: str
    width: float = 1.7


@dataclass
class Arrow:
    source: str
    target: str
    kind: str = "activates"  # activates | inhibits | feedback


@dataclass
class Diagram:
    """A drawn figure plus the words that describe it."""

    figure: Figure
    title: str
    alt_text: str
    nodes: list = field(default_factory=list)
    arrows: list = field(default_factory=list)

    def labels(self) -> list[str]:
        """The text a learner reads in the drawing (node labels, one line each)."""
        return [" ".join(n.label.split("\n")) for n in self.nodes]

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
        return buffer.getvalue()

    def _repr_html_(self):
        data = base64.b64encode(self.png()).decode("ascii")
        alt = html.escape(self.alt_text, quote=True)
        return (
            '<figure class="il2edu-diagram" style="display:flex;gap:1.5em;align-items:flex-start;margin:0">'
            f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:65%;height:auto"/>'
            f'<figcaption style="max-width:32%"><strong>{html.escape(self.title)}.</strong> '
            f"{html.escape(self.alt_text)}</figcaption></figure>"
        )

    def __repr__(self):
        return f"{self.title}. {self.alt_text}"


PATHWAY_NODES = [
    Node("il2", "IL-2", 4.0, 9.2, "ligand", 1.2),
    Node("cd25", "CD25\n(IL-2Rα)", 2.2, 7.4, "chain", 1.5),
    Node("beta", "IL-2Rβ\n+ JAK1", 4.0, 7.4, "chain", 1.5),
    Node("gamma", "γc\n+ JAK3", 5.8, 7.4, "chain", 1.5),
    Node("stat5", "STAT5 → pSTAT5", 2.6, 5.3, "main", 2.3),
    Node("shc", "Shc", 6.6, 5.3, "route", 1.2),
    Node("pi3k", "PI3K → Akt", 5.9, 3.7, "route", 1.6),
    Node("mapk", "MAPK (ERK)", 7.8, 3.7, "route", 1.6),
    Node("foxp3", "FOXP3", 0.5, 1.9, "up", 1.3),
    Node("cd25gene", "CD25 gene", 2.1, 1.9, "up", 1.5),
    Node("blimp1", "Blimp-1", 3.7, 1.9, "up", 1.3),
    Node("bcl6", "Bcl6\n(Tfh cells)", 3.7, 0.3, "down", 1.6),
    Node("th17", "Th17 programme\n(RORγt, IL-17)", 6.4, 1.9, "down", 2.2),
]

PATHWAY_ARROWS = [
    Arrow("il2", "cd25"),
    Arrow("cd25", "beta"),
    Arrow("beta", "stat5"),
    Arrow("gamma", "stat5"),
    Arrow("beta", "shc"),
    Arrow("shc", "pi3k"),
    Arrow("shc", "mapk"),
    Arrow("stat5", "foxp3"),
    Arrow("stat5", "cd25gene"),
    Arrow("stat5", "blimp1"),
    Arrow("blimp1", "bcl6", "inhibits"),
    Arrow("stat5", "th17", "inhibits"),
    Arrow("cd25gene", "cd25", "feedback"),
]

PATHWAY_ALT_TEXT = (
    "Diagram of IL-2 signalling, read from top to bottom. IL-2 binds CD25, which hands it to IL-2Rβ (carrying "
    "JAK1) and γc (carrying JAK3) in the cell membrane. The two JAKs lead to STAT5, the main route, which "
    "becomes pSTAT5. IL-2Rβ also recruits Shc, which leads to two side routes, PI3K → Akt and MAPK (ERK). "
    "In the nucleus pSTAT5 switches on FOXP3, the CD25 gene and Blimp-1. Blimp-1 holds back Bcl6 and so Tfh "
    "cells, and STAT5 holds back the Th17 programme (RORγt, IL-17). A dashed arrow from the CD25 gene back "
    "to CD25 marks the positive feedback loop."
)


def _text_colour(fill: str) -> str:
    """Black or white text, whichever contrasts more with the fill (WCAG relative luminance)."""

    def linear(channel):
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(fill.lstrip("#")[i : i + 2], 16) / 255) for i in (0, 2, 4))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "black"


def _box(ax, node: Node):
    colour = PALETTE[KIND_COLOURS[node.kind]]
    height = 0.9 if "\n" in node.label else 0.6
    ax.add_patch(
        FancyBboxPatch(
            (node.x - node.width / 2, node.y - height / 2),
            node.width,
            height,
            boxstyle="round,pad=0.08",
            facecolor=colour,
            edgecolor="black",
            linewidth=1.6 if node.kind == "main" else 0.8,
            alpha=0.9,
        )
    )
    ax.text(node.x, node.y, node.label, ha="center", va="center", fontsize=9, color=_text_colour(colour),
            fontweight="bold" if node.kind == "main" else "normal", gid=f"node-{node.key}")
    return height


def _draw_arrow(ax, arrow: Arrow, nodes: dict, heights: dict):
    a, b = nodes[arrow.source], nodes[arrow.target]
    feedback = arrow.kind == "feedback"
    # Arrows leave the bottom of a box and enter the top of the next, except the feedback loop,
    # which curves back up the left side to the chain it makes.
    if feedback:
        start, end = (a.x - a.width / 2, a.y), (b.x - b.width / 2, b.y)
        connection = "arc3,rad=-0.45"
    elif abs(a.y - b.y) < 0.1:
        sign = 1 if b.x > a.x else -1
        start, end = (a.x + sign * a.width / 2, a.y), (b.x - sign * b.width / 2, b.y)
        connection = "arc3,rad=0"
    else:
        start, end = (a.x, a.y - heights[a.key] / 2 - 0.08), (b.x, b.y + heights[b.key] / 2 + 0.08)
        connection = "arc3,rad=0"
    patch = FancyArrowPatch(
        start,
        end,
        arrowstyle=ARROW_STYLES[arrow.kind],
        connectionstyle=connection,
        mutation_scale=12 if arrow.kind != "inhibits" else 6,
        linewidth=1.3,
        linestyle="--" if feedback else "-",
        color=PALETTE["vermillion"] if arrow.kind == "inhibits" else "black",
        gid=f"arrow-{arrow.source}-{arrow.target}-{arrow.kind}",
    )
    ax.add_patch(patch)


def il2_pathway() -> Diagram:
    """The IL-2 signalling pathway (lesson 03), drawn with patches and arrows, with alt text."""
    fig = Figure(figsize=(8.5, 7.2))
    ax = fig.add_axes([0, 0.08, 1, 0.9])
    ax.set_xlim(-0.6, 8.8)
    ax.set_ylim(-0.4, 10.0)
    ax.axis("off")

    # The membrane and the nucleus, as light bands so the reader sees where each step happens.
    ax.add_patch(Rectangle((-0.6, 6.8), 9.4, 1.2, facecolor=PALETTE["grey"], alpha=0.25, linewidth=0))
    ax.text(8.7, 7.4, "cell\nmembrane", ha="right", va="center", fontsize=8, style="italic")
    ax.add_patch(Rectangle((-0.6, -0.4), 9.4, 3.0, facecolor=PALETTE["grey"], alpha=0.12, linewidth=0))
    ax.text(8.7, 0.3, "nucleus:\ntarget genes", ha="right", va="center", fontsize=8, style="italic")

    nodes = {n.key: n for n in PATHWAY_NODES}
    heights = {n.key: _box(ax, n) for n in PATHWAY_NODES}
    for arrow in PATHWAY_ARROWS:
        _draw_arrow(ax, arrow, nodes, heights)

    handles = [
        Line2D([], [], color="black", marker=">", markersize=6, label="switches on"),
        Line2D([], [], color=PALETTE["vermillion"], marker="|", markersize=9, label="holds back"),
        Line2D([], [], color="black", linestyle="--", label="positive feedback"),
    ]
    handles += [
        Line2D([], [], linestyle="none", marker="s", markersize=10, markerfacecolor=PALETTE[colour],
               markeredgecolor="black", label=KIND_NAMES[kind])
        for kind, colour in KIND_COLOURS.items()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=8, frameon=False)
    title = "IL-2 signalling: from the receptor to target genes"
    ax.set_title(title, fontsize=11)
    return Diagram(fig, title, PATHWAY_ALT_TEXT, list(PATHWAY_NODES), list(PATHWAY_ARROWS))
