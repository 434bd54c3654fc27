"""The trials explorer: published IL-2 trial arms on one dose scale, filtered by disease and dose.

il2edu.explorers.trials() shows a plot (dose in MIU per treatment day, log axis, against the reported
Treg fold change; colour and marker shape give the clinical outcome; shaded bands mark the low-dose and
high-dose regimes) and an HTML table of the selected rows. The data are seeds/trials.csv (il2edu.trials);
this module only draws them. The figure is made once and its artists are updated on every change.
"""

from __future__ import annotations

import html
import sys
import types

import numpy as np

from .. import figures
from .. import trials as table

# Dose-range slider stops, MIU per treatment day (log-spaced so both regimes are reachable).
DOSE_STOPS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)
X_LIMITS = (0.1, 500.0)
Y_LIMITS = (0.3, 30.0)  # fold over baseline, log axis; the strip for "not reported" sits below 1
STRIP_Y0, STRIP_STEP = 0.05, 0.045  # axes fraction: first row of the strip, and spacing of stacked points

# outcome_class -> (colour, marker): colour and shape both carry the outcome (colour-blind safe).
OUTCOME_STYLE = {
    "improved": (figures.OKABE_ITO["blue"], "o"),
    "mixed": (figures.OKABE_ITO["orange"], "D"),
    "no_benefit": (figures.OKABE_ITO["vermillion"], "s"),
    "worsened": (figures.OKABE_ITO["reddish_purple"], "v"),
    "exploratory": (figures.OKABE_ITO["bluish_green"], "^"),
}

TABLE_COLUMNS = [
    ("Trial", "trial"),
    ("Arm", "arm"),
    ("Disease", "disease"),
    ("n", "n"),
    ("Regimen", None),
    ("MIU/day", "dose_miu_per_day"),
    ("Treg change", "treg_change"),
    ("Clinical outcome", "clinical_outcome"),
    ("Safety", "safety_note"),
    ("Source", "reference"),
]


def _fmt(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def regimen_text(row) -> str:
    """Dose, unit, route and schedule in one cell, e.g. '7.5 MIU s.c.; Twice daily for 5 days...'."""
    if row["dose"] is None:
        return row["schedule"] or "—"
    head = f"{row['dose']:g} {row['unit']}"
    if row["route"]:
        head += f" {row['route']}"
    return f"{head}; {row['schedule']}" if row["schedule"] else head


def table_html(rows) -> str:
    """The selected rows as an HTML table (empty cells shown as a dash: not in our checked sources)."""
    if not rows:
        return '<p class="il2edu-trials-empty">No trial arm matches this filter. Widen the dose range or choose All.</p>'
    head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in TABLE_COLUMNS)
    body = []
    for row in rows:
        cells = []
        for _, key in TABLE_COLUMNS:
            if key is None:
                text = regimen_text(row)
            elif key == "reference":
                text = ", ".join(row["references"])
            else:
                text = _fmt(row[key])
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append(f'<tr data-id="{html.escape(row["id"])}">' + "".join(cells) + "</tr>")
    style = (
        "<style>.il2edu-trials-table{border-collapse:collapse;font-size:12px}"
        ".il2edu-trials-table th,.il2edu-trials-table td{border:1px solid #ccc;padding:2px 4px;"
        "vertical-align:top;text-align:left}</style>"
    )
    return f'{style}<table class="il2edu-trials-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


PX_PER_DECADE, PX_PER_CHAR = 140.0, 4.3  # rough size of the strip's labels, to keep them from overlapping


def _strip_row(rows_end: list, x: float, label: str) -> int:
    """The lowest strip row whose last label ends left of x; rows_end holds each row's end (log10 units)."""
    start = np.log10(x)
    end = start + (len(label) * PX_PER_CHAR + 14) / PX_PER_DECADE
    for k, taken_until in enumerate(rows_end):
        if taken_until < start:
            rows_end[k] = end
            return k
    rows_end.append(end)
    return len(rows_end) - 1


class TrialsExplorer:
    """Model-free view of the trials table. `select(disease=..., dose_range=...)` changes the filter;
    `plotted()` and `table_ids()` report what a learner sees."""

    def __init__(self, disease="All", dose_range=(DOSE_STOPS[0], DOSE_STOPS[-1]), rows=None):
        self.rows = list(rows) if rows is not None else table.load()
        self.disease = disease
        self.dose_range = tuple(dose_range)
        self.fig, self.ax = figures.new_figure(width=7.5, height=5.0)
        self._draw_static()
        self._known = {}
        self._unknown = {}
        for cls, label in table.OUTCOME_CLASSES.items():
            colour, marker = OUTCOME_STYLE[cls]
            style = dict(s=46, c=colour, marker=marker, edgecolors="black", linewidths=0.5, zorder=3)
            self._known[cls] = self.ax.scatter([], [], label=label, **style)
            # Same class, fold not reported: x in data units, y in axes fraction (the strip).
            self._unknown[cls] = self.ax.scatter([], [], transform=self.ax.get_xaxis_transform(), **style)
        self._labels = {
            r["id"]: self.ax.annotate(r["label"], (1, 1), xytext=(5, -3), textcoords="offset points",
                                      fontsize=7, visible=False, zorder=4)
            for r in self.rows
        }  # fmt: skip
        # Below the axes, so it never hides a point or a band label.
        self.ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=7,
                       title="Clinical outcome (colour and marker)", title_fontsize=7)
        self._points: list[tuple[str, float, float | None]] = []
        self._widget = None
        self._syncing = False
        self.update()

    # --- drawing -------------------------------------------------------------------------------

    def _draw_static(self):
        ax = self.ax
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*X_LIMITS)
        ax.set_ylim(*Y_LIMITS)
        from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_major_locator(FixedLocator([1, 2, 5, 10, 20]))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
        ax.set_xlabel("IL-2 dose (MIU per treatment day, reference adult 70 kg / 1.8 m²)")
        ax.set_ylabel("Treg change (fold over baseline)")
        lo = ax.axvspan(*table.LOW_DOSE_BAND, color=figures.OKABE_ITO["sky_blue"], alpha=0.18, lw=0, zorder=0)
        hi = ax.axvspan(*table.HIGH_DOSE_BAND, color=figures.OKABE_ITO["vermillion"], alpha=0.12, lw=0, zorder=0)
        lo.set_gid("low-dose-band")
        hi.set_gid("high-dose-band")
        top = ax.get_xaxis_transform()
        ax.text(np.sqrt(np.prod(table.LOW_DOSE_BAND)), 0.97, "low dose\n(Treg-directed)", transform=top,
                ha="center", va="top", fontsize=8)
        ax.text(np.sqrt(np.prod(table.HIGH_DOSE_BAND)), 0.97, "high dose\n(IV, cancer)", transform=top,
                ha="center", va="top", fontsize=8)
        ax.axhline(1.0, color="grey", lw=0.8, ls="--", zorder=1)
        ax.text(X_LIMITS[1], 1.0, "no change ", ha="right", va="bottom", fontsize=7, color="grey")
        strip_top = STRIP_Y0 + 3.5 * STRIP_STEP
        ax.fill_between(X_LIMITS, 0, strip_top, transform=top, color="0.93", zorder=0, lw=0)
        ax.text(X_LIMITS[0] * 1.1, strip_top, "Treg fold not reported", transform=top, fontsize=7,
                va="bottom", color="0.35")

    def update(self):
        """Redraw the points, labels and table for the current filter."""
        chosen = table.select(self.rows, disease=self.disease, dose_range=self.dose_range)
        self.selected = chosen
        shown = {r["id"] for r in chosen}
        points, stack = [], []
        by_class_known = {cls: [] for cls in self._known}
        by_class_unknown = {cls: [] for cls in self._unknown}
        for r in sorted(chosen, key=lambda r: r["dose_miu_per_day"] or 0):
            x = r["dose_miu_per_day"]
            if x is None:
                continue  # no dose on record: listed in the table only
            if r["treg_fold"] is not None:
                y = r["treg_fold"]
                by_class_known[r["outcome_class"]].append((x, y))
                self._labels[r["id"]].xy = (x, y)
                self._labels[r["id"]].xycoords = "data"
            else:
                k = _strip_row(stack, x, r["label"])
                y = STRIP_Y0 + k * STRIP_STEP
                by_class_unknown[r["outcome_class"]].append((x, y))
                self._labels[r["id"]].xy = (x, y)
                self._labels[r["id"]].xycoords = self.ax.get_xaxis_transform()
                y = None
            points.append((r["id"], x, y))
        for cls, coll in self._known.items():
            coll.set_offsets(np.array(by_class_known[cls], dtype=float).reshape(-1, 2))
        for cls, coll in self._unknown.items():
            coll.set_offsets(np.array(by_class_unknown[cls], dtype=float).reshape(-1, 2))
        for rid, text in self._labels.items():
            text.set_visible(rid in shown and any(p[0] == rid for p in points))
        self._points = points
        title = "All diseases" if self.disease in (None, "", "All") else self.disease
        lo, hi = self.dose_range
        self.ax.set_title(f"{title}, {lo:g}-{hi:g} MIU/day: {len(chosen)} of {len(self.rows)} trial arms", fontsize=9)
        if self._widget is not None:
            self._refresh_widgets()

    def select(self, disease=None, dose_range=None):
        """Change the filter (as the menu and slider do) and redraw; the controls follow."""
        if disease is not None:
            self.disease = disease
        if dose_range is not None:
            self.dose_range = tuple(dose_range)
        if self._widget is not None and not self._syncing:
            self._syncing = True  # moving the controls fires their observers; redraw once, below
            try:
                self._disease_menu.value = self.disease
                self._dose_slider.index = (self._stop_index(self.dose_range[0]), self._stop_index(self.dose_range[1]))
            finally:
                self._syncing = False
        self.update()

    # --- what a learner sees --------------------------------------------------------------------

    def plotted(self) -> list[tuple[str, float, float | None]]:
        """(row id, dose in MIU/day, Treg fold or None if on the 'not reported' strip) for each point drawn."""
        return list(self._points)

    def table_ids(self) -> list[str]:
        return [r["id"] for r in self.selected]

    def table_html(self) -> str:
        return table_html(self.selected)

    def status_text(self) -> str:
        with_fold = sum(1 for _, _, y in self._points if y is not None)
        return (
            f"Showing {len(self.selected)} of {len(self.rows)} trial arms; {with_fold} with a reported Treg fold "
            "change. Empty cells (—) were not in the sources we checked. Education, not medical advice."
        )

    # --- widgets --------------------------------------------------------------------------------

    @property
    def widget(self):
        if self._widget is None:
            self._widget = self._build_widgets()
        return self._widget

    def _build_widgets(self):
        import ipywidgets as w

        options = ["All"] + table.diseases(self.rows)
        self._disease_menu = w.Dropdown(options=options, value=self.disease if self.disease in options else "All",
                                        description="Disease", layout=w.Layout(width="420px"))  # fmt: skip
        self._dose_slider = w.SelectionRangeSlider(
            options=[(f"{v:g}", v) for v in DOSE_STOPS],
            index=(self._stop_index(self.dose_range[0]), self._stop_index(self.dose_range[1])),
            description="MIU/day",
            continuous_update=False,
            layout=w.Layout(width="420px"),
        )
        self._image = w.Image(format="png")
        self._image.add_class("il2edu-plot")
        self._status = w.HTML()
        self._table = w.HTML()
        self._table.add_class("il2edu-trials-table-view")
        self._disease_menu.observe(self._on_disease, names="value")
        self._dose_slider.observe(self._on_dose, names="value")
        box = w.VBox([w.HBox([self._disease_menu, self._dose_slider]), self._image, self._status, self._table])
        box.add_class("il2edu-explorer")
        box.add_class("il2edu-trials")
        self._widget = box
        self._refresh_widgets()
        return box

    @staticmethod
    def _stop_index(value) -> int:
        return int(np.argmin([abs(np.log(v) - np.log(value)) for v in DOSE_STOPS]))

    def _on_disease(self, change):
        if not self._syncing:
            self.select(disease=change["new"])

    def _on_dose(self, change):
        if not self._syncing:
            self.select(dose_range=change["new"])

    def _refresh_widgets(self):
        self._image.value = figures.png_bytes(self.fig)
        self._status.value = f"<span>{html.escape(self.status_text())}</span>"
        self._table.value = self.table_html()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def __repr__(self):
        return f"<il2edu trials explorer: {len(self.selected)} of {len(self.rows)} trial arms>"


class Message:
    """One line shown instead of a traceback when a learner passes a value the explorer cannot use."""

    def __init__(self, text):
        self.text = text

    def _repr_html_(self):
        return f'<div class="il2edu-message">{html.escape(self.text)}</div>'

    def __repr__(self):
        return self.text


def filter_problem(disease, dose_range, rows) -> str | None:
    """Why a filter cannot be used, in one sentence; None if it is fine."""
    names = ["All"] + table.diseases(rows)
    if disease not in names:
        return f"il2edu.explorers.trials: unknown disease {disease!r}; choose one of: " + "; ".join(names)
    try:
        lo, hi = (float(v) for v in dose_range)
    except (TypeError, ValueError):
        return "il2edu.explorers.trials: dose_range should be two numbers in MIU/day, e.g. dose_range=(0.3, 3)"
    if not (0 < lo <= hi):
        return "il2edu.explorers.trials: dose_range should be (low, high) with 0 < low <= high, in MIU/day"
    return None


def explorer(disease="All", dose_range=(DOSE_STOPS[0], DOSE_STOPS[-1])):
    """Show the trials explorer, e.g. ``il2edu.explorers.trials()`` or ``trials(disease="Type 1 diabetes")``."""
    rows = table.load()
    problem = filter_problem(disease, dose_range, rows)
    if problem:
        return Message(problem)
    return TrialsExplorer(disease=disease, dose_range=tuple(float(v) for v in dose_range), rows=rows)


# il2edu.explorers.trials is this module once it is imported (Python sets the package attribute), so the
# module itself is callable: il2edu.explorers.trials() works however the package exposes it.
class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return explorer(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
