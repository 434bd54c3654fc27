"""The trials explorer: published IL-2 trial arms on one dose scale, filtered by disease and dose.

Shown by ``il2edu.explorers.trials()``. Like the other explorers (il2edu/explorers/, docs/EXPLORERS.md)
it is one widget (class il2edu-explorer) with exactly one plot, controls, a readout, and an "About" panel;
below the readout it adds the table view (class il2edu-trials-table) of the selected rows.

The plot: dose in MIU per treatment day (log axis) against the reported Treg fold change; colour and marker
shape give the clinical outcome; shaded bands mark the low-dose and high-dose regimes. Arms whose Treg
change has no checked fold value sit on a grey strip at the bottom. The data are seeds/trials.csv
(il2edu.trials); this module only draws them, and moves existing artists on every change.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import figures
from .. import trials as table
from .base import Explorer, _cite

# Dose-range slider stops, MIU per treatment day (log-spaced so both regimes are reachable).
DOSE_STOPS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500)
X_LIMITS = (0.1, 500.0)
Y_LIMITS = (0.3, 30.0)  # fold over baseline, log axis; the "not reported" strip sits below 1
STRIP_Y0, STRIP_STEP = 0.05, 0.045  # axes fraction: first row of the strip, and the spacing of its rows
TABLE_DELAY_S = 0.15  # the table view follows the plot by this much (see TrialsExplorer._show_table)
PX_PER_DECADE, PX_PER_CHAR = 140.0, 4.3  # rough size of the strip's labels, to keep them from overlapping

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
    """The selected rows as an HTML table; an empty cell shows a dash (not in the sources we checked)."""
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
    return (f'{style}<table class="il2edu-trials-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')  # fmt: skip


def filter_problem(disease, dose_range, rows) -> str | None:
    """Why a filter cannot be used, in one sentence; None if it is fine."""
    names = ["All"] + table.diseases(rows)
    if disease not in names:
        return f"unknown disease {disease!r}; choose one of: " + "; ".join(names)
    try:
        lo, hi = (float(v) for v in dose_range)
    except (TypeError, ValueError):
        return "dose_range should be two numbers in MIU/day, e.g. dose_range=(0.3, 3)"
    if not (0 < lo <= hi):
        return "dose_range should be (low, high) with 0 < low <= high, in MIU/day"
    return None


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


def _stop_index(value) -> int:
    return int(np.argmin([abs(np.log(v) - np.log(value)) for v in DOSE_STOPS]))


class TrialsExplorer(Explorer):
    title = "Trials explorer: published IL-2 trial arms on one dose scale"
    about = (
        "<p><b>What is plotted.</b> One point per published trial arm in seeds/trials.csv. Horizontal: the IL-2 "
        "given on one treatment day, in MIU, for a reference adult of 70 kg and 1.8 m² (dose × doses per day; "
        "per-kg doses × 70, per-m² doses × 1.8). Breaks between courses are not averaged in. Vertical: the "
        "reported rise in Tregs as a fold over baseline; where a source says 'more than N-fold', N. Arms whose "
        "fold change is not in the sources we checked sit on the grey strip; they may well have changed.</p>"
        "<p><b>Bands.</b> Low dose: 0.33-3 MIU/day, the arms of the T1D dose-finding trial. High dose: one to "
        "three 600,000 IU/kg infusions a day at 70 kg, 42-126 MIU/day.</p>"
        "<p><b>Caveats.</b> Trials differ in disease, design, Treg measure and follow-up, so the points are not "
        "a dose-response curve. Empty cells in the table are never estimated: they were not in our sources.</p>"
    )

    def __init__(self, disease="All", dose_range=(DOSE_STOPS[0], DOSE_STOPS[-1]), mode=None):
        rows = table.load()
        problem = filter_problem(disease, dose_range, rows)
        if problem:
            raise ValueError(problem)
        super().__init__(mode)
        self.rows = rows
        self.references = tuple(dict.fromkeys(k for r in rows for k in r["references"]))
        self.fig.set_size_inches(7.0, 4.4)
        # Fixed margins like the other explorers, with room below for the outcome legend.
        self.fig.subplots_adjust(left=0.1, right=0.98, bottom=0.32, top=0.97)
        lo, hi = (float(v) for v in dose_range)
        self.controls = {
            "disease": widgets.Dropdown(options=["All"] + table.diseases(rows), value=disease,
                                        description="Disease", layout=widgets.Layout(width="460px")),
            "dose_range": widgets.SelectionRangeSlider(
                options=[(f"{v:g}", v) for v in DOSE_STOPS], index=(_stop_index(lo), _stop_index(hi)),
                description="MIU/day", continuous_update=True, layout=widgets.Layout(width="460px")),
        }  # fmt: skip
        # A dose range given as an argument is kept exactly; the slider shows the nearest stops.
        self._dose_range = (lo, hi)
        self._draw_static()
        self._table = widgets.HTML()
        self._table_timer = self._table_pending = None
        self._table.add_class("il2edu-trials-table-view")
        self._finish([self.controls["disease"], self.controls["dose_range"]])
        head, plot, *controls, about = self.widget.children
        self.widget.children = (head, plot, *controls, self._table, about)

    # --- drawing -------------------------------------------------------------------------------

    def _draw_static(self):
        from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

        ax = self.ax
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*X_LIMITS)
        ax.set_ylim(*Y_LIMITS)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_major_locator(FixedLocator([1, 2, 5, 10, 20]))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}×"))
        ax.set_xlabel("IL-2 dose (MIU per treatment day, reference adult 70 kg / 1.8 m²)")
        ax.set_ylabel("Treg change (fold over baseline)")
        top = ax.get_xaxis_transform()  # x in data units, y in axes fraction
        for band, colour, gid, text in (
            (table.LOW_DOSE_BAND, figures.OKABE_ITO["sky_blue"], "low-dose-band", "low dose\n(Treg-directed)"),
            (table.HIGH_DOSE_BAND, figures.OKABE_ITO["vermillion"], "high-dose-band", "high dose\n(IV, cancer)"),
        ):
            ax.axvspan(*band, color=colour, alpha=0.18, lw=0, zorder=0).set_gid(gid)
            ax.text(np.sqrt(band[0] * band[1]), 0.97, text, transform=top, ha="center", va="top", fontsize=8)
        ax.axhline(1.0, color="grey", lw=0.8, ls="--", zorder=1)
        ax.text(X_LIMITS[1], 1.0, "no change ", ha="right", va="bottom", fontsize=7, color="grey")
        strip_top = STRIP_Y0 + 3.5 * STRIP_STEP
        ax.fill_between(X_LIMITS, 0, strip_top, transform=top, color="0.93", zorder=0, lw=0)
        ax.text(X_LIMITS[0] * 1.1, strip_top, "Treg fold not reported", transform=top, fontsize=7, va="bottom",
                color="0.35")
        # Every arm has a fixed place: its dose and fold, or a row of the strip. All arms are drawn once in
        # grey with their labels (the background); only the coloured markers of the selected arms change on
        # an update, drawn over the cached background by the base class (self._dyn). Text is slow to draw,
        # so no text changes on an update.
        self.positions = self._positions()
        ghost_known = [(x, y) for x, y, strip in self.positions.values() if not strip]
        ghost_strip = [(x, y) for x, y, strip in self.positions.values() if strip]
        ghost = dict(s=30, c="0.8", marker="o", linewidths=0, zorder=2)
        ax.scatter(*np.array(ghost_known, float).reshape(-1, 2).T, **ghost).set_gid("all-arms")
        ax.scatter(*np.array(ghost_strip, float).reshape(-1, 2).T, transform=top, **ghost).set_gid("all-arms")
        for r in self.rows:
            if r["id"] in self.positions:
                x, y, strip = self.positions[r["id"]]
                ax.annotate(r["label"], (x, y), xycoords=top if strip else "data", xytext=(5, -3),
                            textcoords="offset points", fontsize=7, color="0.25", zorder=4)
        self._known, self._unknown = {}, {}
        for cls, label in table.OUTCOME_CLASSES.items():
            colour, marker = OUTCOME_STYLE[cls]
            style = dict(s=46, c=colour, marker=marker, edgecolors="black", linewidths=0.5, zorder=3)
            self._known[cls] = self._dyn(ax.scatter(np.empty(0), np.empty(0), label=label, **style))
            self._unknown[cls] = self._dyn(ax.scatter(np.empty(0), np.empty(0), transform=top, **style))
            self._known[cls].set_gid(f"selected-{cls}")
            self._unknown[cls].set_gid(f"selected-{cls}")
        # Below the axes, so it never hides a point or a band label.
        legend = ax.legend(handles=list(self._known.values()), loc="upper center", bbox_to_anchor=(0.5, -0.22),
                           ncol=3, fontsize=7, title="Clinical outcome of the selected arms (colour and marker); "
                           "grey: not selected", title_fontsize=7)  # fmt: skip
        for handle in legend.legend_handles:  # copied from animated markers; the legend itself is background
            handle.set_animated(False)

    def _positions(self) -> dict:
        """row id -> (dose, y, on_strip): y is the fold (data units) or the strip row (axes fraction)."""
        out, strip_rows = {}, []
        for r in sorted(self.rows, key=lambda r: r["dose_miu_per_day"] or 0):
            x = r["dose_miu_per_day"]
            if x is None:
                continue  # no dose on record: listed in the table only
            if r["treg_fold"] is not None:
                out[r["id"]] = (x, r["treg_fold"], False)
            else:
                out[r["id"]] = (x, STRIP_Y0 + _strip_row(strip_rows, x, r["label"]) * STRIP_STEP, True)
        return out

    def _about_html(self) -> str:
        return (
            f"<div style='font-size: 0.92em; line-height: 1.35'>{self.about}"
            f"<p><b>Sources:</b> {_cite(self.references)}. Every row, with its source, is in seeds/trials.csv "
            "(format in seeds/README.md).</p>"
            "<p><i>Published results for teaching; not a clinical tool and not medical advice.</i></p></div>"
        )

    def _on_change(self, change):
        if self._muted:
            return
        if change["owner"] is self.controls["dose_range"]:
            self._dose_range = tuple(float(v) for v in change["new"])
        self._changed(change)  # at once, or coalesced if it came from the browser

    def set(self, **values):
        """Change the filter (disease=..., dose_range=(low, high)) with a single update."""
        problem = filter_problem(values.get("disease", self.controls["disease"].value),
                                 values.get("dose_range", self._dose_range), self.rows)
        if problem:
            raise ValueError(problem)
        if "dose_range" in values:
            lo, hi = (float(v) for v in values.pop("dose_range"))
            values["dose_range"] = (DOSE_STOPS[_stop_index(lo)], DOSE_STOPS[_stop_index(hi)])
            super().set(**values)  # one update with the slider's stops...
            self._dose_range = (lo, hi)  # ...then the exact range asked for
            self.update()
        else:
            super().set(**values)

    def compute_and_set(self):
        disease = self.controls["disease"].value
        chosen = table.select(self.rows, disease=disease, dose_range=self._dose_range)
        self.selected = chosen
        points = []
        known = {cls: [] for cls in self._known}
        unknown = {cls: [] for cls in self._unknown}
        for r in chosen:
            if r["id"] not in self.positions:
                continue  # no dose on record: in the table only
            x, y, strip = self.positions[r["id"]]
            (unknown if strip else known)[r["outcome_class"]].append((x, y))
            points.append((r["id"], x, None if strip else y))
        for cls, coll in self._known.items():
            coll.set_offsets(np.array(known[cls], dtype=float).reshape(-1, 2))
        for cls, coll in self._unknown.items():
            coll.set_offsets(np.array(unknown[cls], dtype=float).reshape(-1, 2))
        self._points = points
        lo, hi = self._dose_range
        where = "all diseases" if disease == "All" else disease
        with_fold = sum(1 for p in points if p[2] is not None)
        self._readout.value = (
            f"Showing <b>{len(chosen)} of {len(self.rows)} trial arms</b> ({html.escape(where)}, {lo:g}-{hi:g} "
            f"MIU/day), {with_fold} with a reported Treg fold change. A dash in the table means the value was "
            "not in the sources we checked."
        )
        self._show_table(table_html(chosen))

    def _show_table(self, text: str):
        """Rewrite the table view, but in a live kernel only once the new plot is on screen: re-laying out the
        table took the browser about 40 ms, and done first it made every key press ~40 ms slower (measured:
        median ~118 ms key-to-plot with it first, ~78 ms without). Quick presses update it once, at the end."""
        import asyncio

        if self._table_timer is not None:
            self._table_timer.cancel()
            self._table_timer = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python, tests): nothing to wait for
            loop = None
        self._table_pending = text
        if loop is None or not self._table.value:  # the first table goes out with the widget
            self._flush_table()
        else:
            self._table_timer = loop.call_later(TABLE_DELAY_S, self._flush_table)

    def _flush_table(self):
        if self._table_timer is not None:
            self._table_timer.cancel()
        self._table_timer = None
        if self._table_pending is not None:
            self._table.value, self._table_pending = self._table_pending, None

    # --- what tests and lessons read -------------------------------------------------------------

    def plotted(self) -> list:
        """(row id, MIU/day, Treg fold or None when on the 'not reported' strip) for each point drawn."""
        return list(self._points)

    def table_ids(self) -> list[str]:
        """Ids of the rows in the table view, in table order."""
        return [r["id"] for r in self.selected]

    @property
    def table_html(self) -> str:
        self._flush_table()  # whoever reads the table gets the current one
        return self._table.value

