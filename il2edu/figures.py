"""The course's figure style: one colour-blind-safe palette (Okabe-Ito) and small plot helpers.

Every plot in the course uses these colours, so a cell type has the same colour in every lesson:
Tregs blue, conventional CD4 T cells bluish green, NK cells vermillion, CD8 T cells orange.
"""

from __future__ import annotations

# Okabe & Ito's palette for colour-vision deficiency (colour universal design).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

CELL_COLORS = {
    "treg": OKABE_ITO["blue"],
    "cd4": OKABE_ITO["bluish_green"],
    "nk": OKABE_ITO["vermillion"],
    "cd8": OKABE_ITO["orange"],
}

# Other recurring quantities.
COLORS = {
    "il2": OKABE_ITO["black"],
    "tregs": CELL_COLORS["treg"],
    "effectors": OKABE_ITO["reddish_purple"],
    "alpha": OKABE_ITO["sky_blue"],
    "dimer": OKABE_ITO["vermillion"],
    "trimer": OKABE_ITO["blue"],
    "marker": OKABE_ITO["black"],
    "treatment": "#BBBBBB",
}

# Line styles as a second cue besides colour.
CELL_STYLES = {"treg": "-", "cd4": "--", "nk": "-.", "cd8": ":"}

CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black")]


def cell_color(cell: str) -> str:
    """The fixed colour of a cell type ('treg', 'cd4', 'nk', 'cd8')."""
    try:
        return CELL_COLORS[cell]
    except KeyError:
        raise ValueError(f"cell must be one of {', '.join(CELL_COLORS)}; got {cell!r}") from None


def rc_params() -> dict:
    """matplotlib settings for the course's figures (use with matplotlib.rc_context)."""
    from cycler import cycler

    return {
        "axes.prop_cycle": cycler(color=CYCLE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "font.size": 10,
        "legend.frameon": False,
        "figure.dpi": 80,
        "savefig.dpi": 80,
    }


def new_figure(width=7.0, height=3.8):
    """A standalone Figure and Axes in the course style, not registered with pyplot (no stray output)."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(rc_params()):
        fig = Figure(figsize=(width, height), dpi=80)
        ax = fig.add_subplot()
    # Fixed margins, not constrained layout: a layout pass costs a second draw on every update.
    # The top margin leaves room for a legend row above the axes (explorers put it there).
    fig.subplots_adjust(left=0.13, right=0.98, bottom=0.13, top=0.86)
    return fig, ax


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(value, _pos=None) -> str:
    """Tick label for a log axis: plain numbers from 0.01 to 1000, then 10⁴, 10⁵... (no mathtext to render)."""
    import math

    if value <= 0:
        return ""
    exponent = math.log10(value)
    if abs(exponent - round(exponent)) > 1e-9:
        return ""
    exponent = int(round(exponent))
    if -2 <= exponent <= 3:
        return f"{value:g}"
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def plain_log_ticks(axis):
    """Decade ticks with plain labels on a log-scaled matplotlib axis (ax.xaxis or ax.yaxis)."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    axis.set_major_locator(LogLocator(base=10, numticks=12))
    axis.set_major_formatter(FuncFormatter(decade_label))
    axis.set_minor_locator(NullLocator())


def concentration_axis(ax, axis="x", low=0.1, high=1e5):
    """A log-scaled concentration axis in pM."""
    from matplotlib.ticker import FuncFormatter

    if axis == "x":
        ax.set_xscale("log")
        ax.set_xlim(low, high)
        ax.set_xlabel("IL-2 concentration (pM)")
        ax.xaxis.set_major_formatter(FuncFormatter(decade_label))
    else:
        ax.set_yscale("log")
        ax.set_ylim(low, high)
        ax.set_ylabel("Plasma IL-2 (pM)")
        ax.yaxis.set_major_formatter(FuncFormatter(decade_label))
    return ax


def png_bytes(fig) -> bytes:
    """Render a figure to PNG with the Agg renderer, whatever backend is active."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def rgba_to_png(rgba, colours=None) -> bytes:
    """Encode an RGBA buffer (a canvas's buffer_rgba()) as PNG, fast (light compression); with colours=N, as
    an N-colour palette PNG (no dithering: a line plot keeps its look at a third of the bytes)."""
    import io

    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    if colours:
        image = Image.fromarray(np.asarray(rgba), "RGBA").convert("RGB")  # opaque: no transparency in the palette
        image.quantize(colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
            buf, format="PNG", compress_level=3)
        return buf.getvalue()
    arr = np.asarray(rgba)[:, :, :3]  # the figure is opaque: RGB encodes faster and smaller
    Image.fromarray(np.ascontiguousarray(arr), "RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


class StaticFigure:
    """A figure that a notebook shows as a PNG under any matplotlib backend; .figure is the Figure."""

    def __init__(self, figure):
        self.figure = figure

    def _repr_png_(self):
        return png_bytes(self.figure)

    def __repr__(self):
        return "<il2edu figure>"


def plot(kind: str, **kwargs) -> StaticFigure:
    """Static course figures for lessons, drawn from the models.

    kind: 'response' (relative response of each cell type against concentration),
          'regimen' (plasma concentration of a preset, kwargs preset=...),
          'population' (a population scenario, kwargs scenario=...).
    """
    import numpy as np

    from .models import binding, population, pk

    if kind == "response":
        fig, ax = new_figure()
        c = np.logspace(-1, 5, 300)
        for name in binding.cell_type_names():
            ax.plot(c, binding.relative_response(c, name), CELL_STYLES[name], color=CELL_COLORS[name],
                    label=binding.cell(name).label)
        concentration_axis(ax)
        ax.set_ylabel("pSTAT5-like response\n(fraction of the cell's maximum)")
        ax.legend()
        return StaticFigure(fig)
    if kind == "regimen":
        regimen = pk.Regimen.preset(kwargs.get("preset", "low-dose-1miu"))
        t = pk.time_grid(regimen)
        fig, ax = new_figure()
        ax.plot(t, np.maximum(pk.concentration(t, regimen), 1e-3), color=COLORS["il2"], label="plasma IL-2")
        ax.set_yscale("log")
        ax.set_xlabel("Time from first dose (h)")
        ax.set_ylabel("Plasma IL-2 (pM)")
        ax.set_title(regimen.title)
        ax.legend()
        return StaticFigure(fig)
    if kind == "population":
        run = population.scenario(kwargs.get("scenario", "deficient"))
        fig, ax = new_figure()
        ax.plot(run.t_days, run.tregs, color=COLORS["tregs"], label="Tregs")
        ax.plot(run.t_days, run.effectors, color=COLORS["effectors"], label="effector T cells")
        ax.plot(run.t_days, run.il2, color=COLORS["il2"], ls="--", label="IL-2")
        ax.set_yscale("log")
        ax.set_xlabel("Time (days)")
        ax.set_ylabel("Level relative to healthy")
        ax.legend()
        return StaticFigure(fig)
    raise ValueError(f"kind must be one of response, regimen, population; got {kind!r}")
