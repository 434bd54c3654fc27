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

# Line styles (and markers) as a second cue besides colour: no two lines of one plot differ by colour alone.
CELL_STYLES = {"treg": "-", "cd4": "--", "nk": "-.", "cd8": ":"}
CELL_MARKERS = {"treg": "o", "cd4": "s", "nk": "^", "cd8": "D"}  # for lines that can lie on top of each other
STYLES = {"tregs": "-", "effectors": "--", "il2": ":", "alpha": ":", "dimer": "--", "trimer": "-"}

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

    def __init__(self, figure, alt=None):
        self.figure = figure
        self.alt = alt  # a written text alternative, for figures that are not line plots

    def _repr_png_(self):
        return png_bytes(self.figure)

    def _repr_html_(self):
        # JupyterLab and the website prefer HTML to PNG: the same picture, with a text alternative made
        # from what is plotted, so a screen reader (and axe-core) gets more than an unlabelled image.
        import base64
        import html

        alt = self.alt or " ".join(describe_axes(ax) for ax in self.figure.axes if ax.has_data())
        data = base64.b64encode(self._repr_png_()).decode("ascii")
        return f'<img class="il2edu-figure" src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'

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
        ax.plot(run.t_days, run.tregs, STYLES["tregs"], color=COLORS["tregs"], label="Tregs")
        ax.plot(run.t_days, run.effectors, STYLES["effectors"], color=COLORS["effectors"], label="effector T cells")
        ax.plot(run.t_days, run.il2, STYLES["il2"], color=COLORS["il2"], label="IL-2")
        ax.set_yscale("log")
        ax.set_xlabel("Time (days)")
        ax.set_ylabel("Level relative to healthy")
        ax.legend()
        return StaticFigure(fig)
    raise ValueError(f"kind must be one of response, regimen, population; got {kind!r}")


# --- model meets data (issue 11): measured points over the model's curve ------------------------------

DATA_FIGURES = ("pstat5", "iv_pk", "sc_pk", "treg_tconv")


def _normalised(values):
    import numpy as np

    v = np.asarray(values, float)
    return (v - v.min()) / (v.max() - v.min())


def _finish(ax, xlabel, ylabel, title, log_axes, legend_loc):
    for axis in log_axes:
        getattr(ax, f"set_{axis}scale")("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7, loc=legend_loc)
    return StaticFigure(ax.figure)


def model_meets_data(name: str) -> StaticFigure:
    """A measured data set (points, with bars for its spread) drawn over the model's curve (lines).

    name: 'pstat5' (pSTAT5 by cell type, seeds/data/farhat2021_pstat5.yaml, over binding.relative_response),
          'iv_pk' (Konrad 1990 IV levels over the IV model), 'sc_pk' (s.c. levels per dose: Meropol 1996
          and Kirchner 1998 over the s.c. model), 'treg_tconv' (Treg and conventional CD4 pSTAT5 from the
          same data set, with the population model's assumed 10-fold gap in IL-2 need; lesson 04).
    """
    import numpy as np

    from .models import binding, evidence, pk

    if name == "pstat5":
        data = evidence.dataset("farhat2021_pstat5")["points"]
        c_pM = np.asarray(data["concentration_nM"], float) * 1000
        fig, ax = new_figure(7.0, 4.2)
        grid = np.logspace(-1, 5, 300)
        for cell, reps in data["cells"].items():
            # each replicate scaled to its own lowest and highest signal, as the model is to its maximum
            r1, r2 = _normalised(reps["replicate_1"]), _normalised(reps["replicate_2"])
            mid, half = (r1 + r2) / 2, np.abs(r1 - r2) / 2
            label = binding.cell(cell).label
            ax.errorbar(c_pM, mid, yerr=half, fmt=CELL_MARKERS[cell], color=CELL_COLORS[cell], ms=5, capsize=2,
                        label=f"{label}: measured (bars: 2 replicates)")
            ax.plot(grid, binding.relative_response(grid, cell), CELL_STYLES[cell], color=CELL_COLORS[cell],
                    label=f"{label}: model")
        concentration_axis(ax, low=0.1, high=1e5)
        ax.set_ylabel("pSTAT5 (fraction of the cell's own range)")
        ax.set_title("Model (lines) and measured pSTAT5 after 30 min (points) [farhat2021]")
        ax.legend(fontsize=7, ncol=2, loc="upper left")
        return StaticFigure(fig)
    if name == "iv_pk":
        rows = {r["comparison"]: r for r in evidence.report({"konrad1990_pk": evidence.dataset("konrad1990_pk")})}
        fig, ax = new_figure()
        t = np.linspace(0, 8, 801)
        bolus = pk.Regimen(1e6, route="iv", dose_unit="IU/m2", infusion_min=0)
        infusion = pk.Regimen(1e6, route="iv", dose_unit="IU/m2", interval_h=6, infusion_min=360)
        ax.plot(t, pk.pM_to_iu_per_ml(pk.concentration(t, bolus)), "-", color=COLORS["il2"], label="model: IV bolus")
        ax.plot(t, pk.pM_to_iu_per_ml(pk.concentration(t, infusion)), "--", color=OKABE_ITO["vermillion"],
                label="model: 6-h IV infusion")
        for key, x, marker, color in (("bolus_peak", 0.0, "o", COLORS["il2"]),
                                      ("infusion_level_6h", 6.0, "s", OKABE_ITO["vermillion"])):
            r = rows[key]
            f = float(r["tolerance"].split()[-1])
            ax.errorbar([x], [r["measured"]], yerr=[[r["measured"] - r["measured"] / f], [r["measured"] * (f - 1)]],
                        fmt=marker, color=color, ms=7, capsize=3, label=f"measured: {r['quantity'][:38]}… (bars: tolerance)")
        return _finish(ax, "Time (h)", "Serum IL-2 (IU/mL) after 10⁶ IU/m²",
                       "IV model and Konrad 1990's measurements [konrad1990]", ("y",), "upper right")
    if name == "sc_pk":
        doses = np.logspace(np.log10(0.2e6), np.log10(30e6), 40)  # IU/m2 per day
        mean24 = [evidence.sc_auc_iu_per_ml_h(d, 24, 1, 24) / 24 for d in doses]
        peak = [evidence.sc_peak_pM(d, 24, 7) for d in doses]
        fig, ax = new_figure()
        ax.plot(doses / 1e6, pk.iu_per_ml_to_pM(np.array(mean24)), "-", color=COLORS["il2"], label="model: mean level, first 24 h")
        ax.plot(doses / 1e6, peak, "--", color=OKABE_ITO["blue"], label="model: peak, daily for a week")
        mero = evidence.dataset("meropol1996_sc")["comparisons"][0]
        ax.errorbar([0.4, 1.75], [mero["measured"]] * 2, yerr=[[4, 4], [0, 0]], uplims=True, fmt="v",
                    color=OKABE_ITO["blue"], ms=7, label="measured peak, upper bound (<10 pM) [meropol1996]")
        for r, marker in zip(evidence.dataset("kirchner1998_sc")["comparisons"], ("s", "D")):
            m = pk.iu_per_ml_to_pM(r["measured"] / 24)
            ax.plot([20], [m], marker, color=OKABE_ITO["vermillion"], ms=7, mfc="none" if marker == "D" else None,
                    label=f"measured mean level, {'once' if marker == 's' else 'twice'} daily [kirchner1998]")
        return _finish(ax, "s.c. dose per day (MIU/m²)", "Serum IL-2 (pM)",
                       "s.c. model and measured low- and intermediate-dose levels", ("x", "y"), "lower right")
    if name == "treg_tconv":
        from .models import population

        data = evidence.dataset("farhat2021_pstat5")
        c_pM = np.asarray(data["points"]["concentration_nM"], float) * 1000
        fig, ax = new_figure(7.0, 4.0)
        ec50 = {}
        for cell in ("treg", "cd4"):
            reps = data["points"]["cells"][cell]
            r1, r2 = _normalised(reps["replicate_1"]), _normalised(reps["replicate_2"])
            label = binding.cell(cell).label
            ax.errorbar(c_pM, (r1 + r2) / 2, yerr=np.abs(r1 - r2) / 2, fmt=CELL_MARKERS[cell] + "-",
                        color=CELL_COLORS[cell], ms=5, capsize=2, lw=1, label=f"{label}: measured (bars: 2 replicates)")
            ec50[cell] = float(np.exp(np.mean(np.log(data["fitted_ec50_pM"][cell]))))
            ax.axvline(ec50[cell], color=CELL_COLORS[cell], ls=":", lw=1.2, label=f"{label}: fitted EC50 ≈ {ec50[cell]:.0f} pM")
        prm = population.PopulationParams.load()
        assumed = ec50["treg"] * prm.K_e / prm.K_t
        ax.axvline(assumed, color="#555555", ls="--", lw=1.2,
                   label=f"population model's assumption: {prm.K_e / prm.K_t:g} × the Treg EC50")
        concentration_axis(ax, low=0.1, high=1e5)
        ax.set_ylabel("pSTAT5 (fraction of the cell's own range)")
        ax.set_title("Measured pSTAT5 after 30 min: Tregs and CD4 T cells [farhat2021]")
        ax.legend(fontsize=7, loc="upper left")
        return StaticFigure(fig)
    raise ValueError(f"name must be one of {', '.join(DATA_FIGURES)}; got {name!r}")


# --- text alternatives: what a plot shows, from the drawn Axes ----------------------------------------------

def _fmt_num(v) -> str:
    v = float(v)
    if v == 0 or 0.01 <= abs(v) < 1e4:
        return f"{v:.3g}"
    if abs(v) >= 1e4 and abs(v) < 1e9:
        return f"{v:,.0f}"
    return f"{v:.2g}"


def _shown_lines(ax):
    """Visible labelled curves (Line2D with data, label not starting with '_'), in drawing order."""
    out = []
    for line in ax.get_lines():
        label = line.get_label()
        if not line.get_visible() or not label or label.startswith("_"):
            continue
        x, y = (_array(v) for v in line.get_data())
        if x.size >= 2:
            out.append((label, x, y))
    return out


def _array(v):
    import numpy as np

    return np.asarray(v, dtype=float)


def _trend(x, y) -> str:
    import numpy as np

    ok = np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 2:
        return "has no values"
    lo, hi = float(np.min(y)), float(np.max(y))
    first, last = float(y[0]), float(y[-1])
    k = int(np.argmax(y))
    span = hi - lo
    if span <= 1e-9 * max(1.0, abs(hi)):
        return f"stays at {_fmt_num(first)}"
    if 0 < k < x.size - 1 and hi - max(first, last) > 0.1 * span:
        return (f"rises from {_fmt_num(first)} to a peak of {_fmt_num(hi)} at {_fmt_num(x[k])}, "
                f"then falls to {_fmt_num(last)}")
    verb = "rises" if last > first else "falls"
    return f"{verb} from {_fmt_num(first)} to {_fmt_num(last)}"


def describe_axes(ax) -> str:
    """A text alternative of a line plot, generated from what is drawn: the axes, what each labelled curve
    does across the x range, and the marked points (unlabelled marker-only lines)."""
    import numpy as np

    xlabel, ylabel = ax.get_xlabel().replace("\n", " "), ax.get_ylabel().replace("\n", " ")
    x0, x1 = ax.get_xlim()
    scale = lambda a: " (log scale)" if a.get_scale() == "log" else ""  # noqa: E731
    parts = [f"Line plot of {ylabel}{scale(ax.yaxis)} against {xlabel}{scale(ax.xaxis)}, "
             f"from {_fmt_num(x0)} to {_fmt_num(x1)}."]
    for label, x, y in _shown_lines(ax):
        inside = (x >= min(x0, x1)) & (x <= max(x0, x1))
        if np.count_nonzero(inside) >= 2:
            x, y = x[inside], y[inside]
        parts.append(f"{label}: {_trend(x, y)}.")
    marks = []
    for line in ax.get_lines():
        if not line.get_visible() or not line.get_label().startswith("_") or line.get_linestyle() not in ("None", ""):
            continue
        x, y = (_array(v) for v in line.get_data())
        marks += [f"({_fmt_num(a)}, {_fmt_num(b)})" for a, b in zip(x, y) if np.isfinite(a) and np.isfinite(b)]
    if marks:
        parts.append("Marked points (x, y): " + ", ".join(marks) + ".")
    return " ".join(parts)


def data_table_html(ax, rows: int = 9) -> str:
    """The plotted curves as an HTML table at a few x values (log-spaced on a log axis): the data behind the
    picture, for a screen reader or anyone who prefers numbers. Inside a <details> disclosure."""
    import html

    import numpy as np

    lines = _shown_lines(ax)
    if not lines:
        return ""
    x0, x1 = sorted(ax.get_xlim())
    if ax.xaxis.get_scale() == "log":
        xs = np.logspace(np.log10(max(x0, 1e-300)), np.log10(x1), rows)
    else:
        xs = np.linspace(x0, x1, rows)
    head = "".join(f"<th scope='col'>{html.escape(label)}</th>" for label, *_ in lines)
    body = []
    for xv in xs:
        cells = []
        for _, x, y in lines:
            order = np.argsort(x)
            inside = x[order][0] <= xv <= x[order][-1]
            cells.append(f"<td>{_fmt_num(np.interp(xv, x[order], y[order])) if inside else '—'}</td>")
        body.append(f"<tr><th scope='row'>{_fmt_num(xv)}</th>{''.join(cells)}</tr>")
    xlabel = html.escape(ax.get_xlabel().replace("\n", " "))
    ylabel = html.escape(ax.get_ylabel().replace("\n", " "))
    return ("<details class='il2edu-data-table'><summary>Show the data as a table</summary>"
            f"<table style='border-collapse:collapse;font-size:12px'><caption>{ylabel}</caption>"
            f"<thead><tr><th scope='col'>{xlabel}</th>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
            "</table></details>")


# --- measured time course without a model (lesson 01) ---------------------------------------------------

def secretion_kinetics() -> StaticFigure:
    """When naive and memory CD4 T cells secrete IL-2 after a stimulus in mice (seeds/data/sojka2004_secretion.yaml):
    for each, a thin bar from first detection to the end of secretion and a thick bar over the peak range."""
    from . import parameters

    rows = {o["quantity"]: o["measured"] for o in parameters.datasets()["sojka2004_secretion"]["observations"]}
    def span(v):
        return f"{min(v):g}-{max(v):g} h" if min(v) != max(v) else f"{min(v):g} h"

    fig, ax = new_figure(7.0, 3.2)
    alt = ["Timeline of IL-2 secretion after stimulation in mice, in hours [sojka2004]."]
    for y, cell, colour in ((1, "naive", OKABE_ITO["blue"]), (0, "memory", OKABE_ITO["vermillion"])):
        first = rows[f"{cell} CD4 T cells, secretion first detected"]
        start = min(first)
        peak = rows[f"{cell} CD4 T cells, maximal secretion"]
        end = rows[f"{cell} CD4 T cells, secretion undetectable"]
        ax.plot([start, max(end)], [y, y], "-", color=colour, lw=3, alpha=0.45,
                label=f"{cell}: secreting (first detected to undetectable)")
        ax.plot([min(peak), max(peak)], [y, y], "-", color=colour, lw=11, solid_capstyle="butt",
                label=f"{cell}: peak ({span(peak)})")
        ax.plot([min(end), max(end)], [y, y], "|", color=colour, ms=14)
        alt.append(f"{cell.capitalize()} CD4 T cells: first detected at {span(first)}, peak at {span(peak)}, "
                   f"undetectable by {span(end)}.")
    ax.set_yticks([0, 1], ["memory\nCD4 T cells", "naive\nCD4 T cells"])
    ax.set_ylim(-0.5, 2.7)
    ax.set_xlim(0, 26)
    ax.set_xlabel("Time after stimulation (h)")
    ax.set_title("Measured IL-2 secretion in mice [sojka2004]")
    ax.legend(fontsize=7, loc="upper right", ncol=2)
    fig.tight_layout()
    return StaticFigure(fig, alt=" ".join(alt))



def measured_signal(name: str) -> StaticFigure:
    """A measured data set as the instrument read it, without a model: 'pstat5' is the median pSTAT5
    fluorescence (arbitrary units) of each blood cell type and replicate (seeds/data/farhat2021_pstat5.yaml),
    unscaled, so a learner sees the plateaus and the replicate-to-replicate spread that scaling hides."""
    import numpy as np

    from .models import binding, evidence

    if name != "pstat5":
        raise ValueError(f"no measured signal called {name!r}; choose 'pstat5'")
    data = evidence.dataset("farhat2021_pstat5")["points"]
    c_pM = np.asarray(data["concentration_nM"], float) * 1000
    order = np.argsort(c_pM)  # the file lists the highest concentration first; plot (and describe) left to right
    fig, ax = new_figure(7.0, 4.2)
    for cell, reps in data["cells"].items():
        label = binding.cell(cell).label
        for rep, fill in (("replicate_1", CELL_COLORS[cell]), ("replicate_2", "white")):
            ax.plot(c_pM[order], np.asarray(reps[rep], float)[order], CELL_MARKERS[cell] + "-", color=CELL_COLORS[cell], mfc=fill, ms=5, lw=1,
                    label=f"{label}, {rep.replace('_', ' ')}")
    concentration_axis(ax, low=0.1, high=1e5)
    ax.set_ylabel(f"pSTAT5, {data['signal_unit']}")
    ax.set_title("Measured pSTAT5 after 30 min, as read by the cytometer [farhat2021]")
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    return StaticFigure(fig)


# --- receptor assembly (lesson 02): catch, hand off, then γc joins -----------------------------------------

ASSEMBLY_CHAINS = {  # chain: (label drawn on it, fill colour, hatch as a second cue besides colour)
    "cd25": ("CD25\n(IL-2Rα)", OKABE_ITO["sky_blue"], ""),
    "beta": ("IL-2Rβ\n(CD122)", OKABE_ITO["bluish_green"], "//"),
    "gc": ("γc\n(CD132)", OKABE_ITO["yellow"], ".."),
}


def _kd_text(entry) -> str:
    """'≈ 10 nM' or '≈ 10 pM' for a binding parameter (given in pM), with its sources."""
    v = float(entry["value"])
    amount = f"{v / 1000:g} nM" if v >= 1000 else f"{v:g} pM"
    return f"Kd ≈ {amount} [{', '.join(entry['references'])}]"


def receptor_assembly() -> StaticFigure:
    """How IL-2 builds its receptor, in four panels: CD25 catches IL-2; IL-2Rβ takes it from CD25; γc joins
    and the high-affinity trimer signals through JAK1 and JAK3; and, on a cell without CD25 (NK cells, memory
    CD8 T cells), IL-2Rβ and γc bind IL-2 directly as the intermediate-affinity dimer. The Kds are read from
    seeds/parameters.yaml with their references; the order of the steps is from wang2005 and rickert2004."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from . import parameters

    kd = {name: _kd_text(parameters.entry("binding", name)) for name in ("kd_alpha", "kd_trimer", "kd_dimer")}
    panels = [  # title, chains left to right, whether IL-2 is bound, the caption under the membrane
        ("1. CD25 catches IL-2", ["cd25", "beta", "gc"], "cd25", f"CD25 alone holds IL-2 loosely:\n{kd['kd_alpha']}"),
        ("2. IL-2Rβ takes it over", ["cd25", "beta", "gc"], "cd25+beta", "CD25 holds IL-2 at the membrane\nwhile IL-2Rβ binds it"),
        ("3. γc joins: the trimer", ["cd25", "beta", "gc"], "all", f"high affinity, αβγc:\n{kd['kd_trimer']}"),
        ("No CD25: the dimer\n(NK cells, memory CD8 T cells)", ["beta", "gc"], "beta+gc",
         f"intermediate affinity, βγc:\n{kd['kd_dimer']}"),
    ]
    fig, axes = new_figure(9.6, 4.0)
    fig.delaxes(axes)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.83, wspace=0.08)
    axes = fig.subplots(1, 4)
    fig.suptitle("How IL-2 assembles its receptor [wang2005, rickert2004, liao2011_copi]", fontsize=11)
    xs = {"cd25": 0.22, "beta": 0.5, "gc": 0.78}
    for ax, (title, chains, bound, caption) in zip(axes, panels):
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.axis("off")
        ax.set_title(title, fontsize=9)
        ax.add_patch(FancyBboxPatch((0.02, 0.30), 0.96, 0.06, boxstyle="round,pad=0.005",
                                    fc=COLORS["treatment"], ec="none"))
        if ax is axes[0]:
            ax.text(0.03, 0.255, "cell\nmembrane", fontsize=6.5, color="#444444", va="top")
        x_chain = dict(xs)
        if bound == "cd25+beta":  # IL-2Rβ has moved next to CD25 to take IL-2 from it
            x_chain["beta"] = 0.42
        if bound in ("all", "beta+gc"):
            x_chain.update(beta=0.40, gc=0.62) if "cd25" not in chains else x_chain.update(beta=0.42, gc=0.62)
        for chain in chains:
            label, colour, hatch = ASSEMBLY_CHAINS[chain]
            x = x_chain[chain]
            ax.add_patch(FancyBboxPatch((x - 0.075, 0.33), 0.15, 0.33, boxstyle="round,pad=0.01",
                                        fc=colour, ec="black", lw=0.8, hatch=hatch))
            ax.text(x, 0.50, label, ha="center", va="center", fontsize=6.5,
                    bbox=dict(fc="white", ec="none", alpha=0.8, pad=0.5))
            if chain != "cd25":  # the kinases sit on the inside of the membrane
                kinase = "JAK1" if chain == "beta" else "JAK3"
                ax.text(x, 0.27, kinase, ha="center", va="top", fontsize=6.5, style="italic")
        il2_x = {"cd25": x_chain["cd25"] + 0.02, "cd25+beta": 0.32, "all": 0.40, "beta+gc": 0.51}[bound]
        ax.plot([il2_x], [0.72], "o", ms=24, mfc=OKABE_ITO["orange"], mec="black", mew=0.8, label="IL-2")
        ax.text(il2_x, 0.72, "IL-2", ha="center", va="center", fontsize=7, weight="bold")
        ax.text(0.5, 0.15, caption, ha="center", va="top", fontsize=7)
    for left, right in zip(axes[:2], axes[1:3]):  # the hand-off arrows between the three steps
        fig.add_artist(FancyArrowPatch(
            (left.get_position().x1 - 0.005, 0.62), (right.get_position().x0 + 0.005, 0.62),
            transform=fig.transFigure, arrowstyle="-|>", mutation_scale=14, color="black"))
    x_sep = (axes[2].get_position().x1 + axes[3].get_position().x0) / 2
    fig.add_artist(FancyArrowPatch((x_sep, 0.05), (x_sep, 0.85), transform=fig.transFigure, arrowstyle="-",
                                   linestyle="--", color="#777777"))
    alt = ("Diagram in four panels of how IL-2 builds its receptor at the cell membrane "
           "[wang2005, rickert2004, liao2011_copi]. "
           f"Step 1: CD25 (IL-2Rα) catches IL-2; on its own it holds IL-2 loosely, {kd['kd_alpha']}. "
           "Step 2: while CD25 holds IL-2 at the membrane, IL-2Rβ (CD122, with JAK1 inside the cell) binds it. "
           "Step 3: the common γ chain (γc, CD132, with JAK3) joins the IL-2–IL-2Rβ pair, making the "
           f"high-affinity αβγc trimer, {kd['kd_trimer']}; JAK1 and JAK3 now sit together and start the signal. "
           "Separate panel: a cell without CD25, such as an NK cell or a memory CD8 T cell, binds IL-2 directly "
           f"with IL-2Rβ and γc, the intermediate-affinity βγc dimer, {kd['kd_dimer']}.")
    return StaticFigure(fig, alt=alt)


# --- measured patient data (lesson 05): FOXP3+ T cells without CD25 in lupus -------------------------------

LUPUS_FOXP3_SETS = ("elmaraghy2018_foxp3", "zhang2008_foxp3")


def lupus_cd25_negative_foxp3() -> StaticFigure:
    """CD4+CD25-FOXP3+ T cells in lupus patients and healthy controls, from two studies as their abstracts
    report them (seeds/data/elmaraghy2018_foxp3.yaml: mean ± as given; zhang2008_foxp3.yaml: a range). Each
    study is drawn as reported, so a learner sees that the direction agrees and the sizes and spreads differ."""
    from . import parameters

    sets = parameters.datasets()
    fig, ax = new_figure(7.0, 3.8)
    alt = ["Measured CD4+CD25-FOXP3+ T cells, in percent, in people with lupus and healthy controls, "
           "from two studies."]
    groups = (("healthy controls", OKABE_ITO["bluish_green"], "s"), ("lupus patients", OKABE_ITO["vermillion"], "o"))
    for i, key in enumerate(LUPUS_FOXP3_SETS):
        data = sets[key]
        ref = data["reference"]
        rows = {o["quantity"].split(",")[0]: o for o in data["observations"]}
        parts = []
        for j, (group, colour, marker) in enumerate(groups):
            o = rows[group]
            x = i * 3 + j
            m = o["measured"]
            if isinstance(m, list):  # a range: a bar from its low to its high end, no central value
                ax.plot([x, x], m, "-", color=colour, lw=6, solid_capstyle="butt",
                        label=f"{group} (range)" if i == 1 else None)
                said = f"{m[0]:g}-{m[1]:g}% (range, n = {o['n']})"
            else:  # a mean with its ± as reported
                ax.errorbar([x], [m], yerr=[o["plus_minus"]], fmt=marker, color=colour, ms=8, capsize=5,
                            label=f"{group} (mean ± as reported)" if i == 0 else None)
                said = f"{m:g} ± {o['plus_minus']:g}% (n = {o['n']})"
            top = max(m) if isinstance(m, list) else m + o["plus_minus"]
            ax.text(x, top + 0.6, group.split()[0], ha="center", fontsize=7, color=colour)  # not colour alone
            parts.append(f"{group} {said}")
        alt.append(f"{'Study' if i == 0 else 'Second study'} [{ref}]: " + "; ".join(parts) + ".")
    ax.set_xticks([0.5, 3.5], ["El-Maraghy 2018\n[elmaraghy2018]", "Zhang 2008, new-onset lupus\n[zhang2008_foxp3]"])
    ax.set_xlim(-1, 5)
    ax.set_ylim(0, 22)
    ax.set_ylabel("CD4+CD25−FOXP3+ T cells (%)")
    ax.set_title("FOXP3+ T cells without CD25: lupus patients against healthy controls")
    ax.legend(fontsize=7, loc="upper right")
    return StaticFigure(fig, alt=" ".join(alt))
