"""Binding explorer: each cell type's response (or receptor occupancy) against IL-2 concentration."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import figures
from ..models import binding as _binding
from .base import Explorer, StopSlider, _check_choice, _check_slider, _fmt_pM

# Slider stops: the browser holds a picture for each (docs/EXPLORERS.md, "How the plot is drawn").
CONCENTRATION_STOPS = tuple(float(f"{10 ** (e / 10):.3g}") for e in range(-10, 51))  # 0.1 pM to 100 nM, 10 a decade
CD25_STOPS = (100, 200, 300, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 7500, 10000, 12500, 15000,
              20000, 25000, 30000)

class BindingExplorer(Explorer):
    title = "Binding explorer: who responds to how much IL-2?"
    references = _binding.REFERENCES
    about = (
        "<p><b>Model.</b> Each cell carries CD25 (α) chains and IL-2Rβ–γc pairs (the scarcer of CD122 and γc). "
        "Free α and βγc pair into high-affinity αβγc receptors: (A − P)(B − P) = K·P. Each form binds IL-2 at "
        "equilibrium, occupancy = C / (C + Kd), with Kd ≈ 10 nM (α alone), 1 nM (βγc), 10 pM (αβγc). "
        "Signalling complexes S = P·θ<sub>αβγ</sub> + (B − P)·θ<sub>βγ</sub>; lone α does not signal. "
        "The pSTAT5-like response is S / (S + K<sub>S</sub>), plotted as a fraction of each cell type's own "
        "maximum; the EC50 is where it reaches one half. Window = EC50 of NK cells ÷ EC50 of Tregs.</p>"
        "<p><b>Units.</b> IL-2 in pM (1 nM = 1000 pM; 1 IU/mL ≈ 4 pM); receptors per cell.</p>"
        "<p><b>Assumptions.</b> Receptor numbers are means for resting human blood cells; the pairing constant "
        "K and the response constant K<sub>S</sub> are teaching choices; IL-2 is not depleted by the cells; "
        "receptor numbers stay fixed (in reality IL-2 raises CD25).</p>"
    )

    def __init__(self, concentration_pM=10.0, treg_cd25=None, view="response", mode=None):
        super().__init__(mode)
        self.params = _binding.BindingParams.load()
        self.cells = {n: _binding.cell(n) for n in _binding.cell_type_names()}
        treg = self.cells["treg"]
        self.conc = np.logspace(-1, 5, 200)
        self.controls = {
            "concentration_pM": StopSlider(
                "IL-2 (pM)", [(f"{v:.3g}", v) for v in CONCENTRATION_STOPS], log=True,
                value=_check_slider("concentration_pM", concentration_pM, 0.1, 1e5)),
            # the measured default (3,600) is a stop, so it is shown exactly
            "treg_cd25": StopSlider(
                "CD25 per Treg", [(f"{v:,}", v) for v in sorted(set(CD25_STOPS) | {int(round(treg.cd25))})], log=True,
                fmt="{:,.0f}",
                value=int(round(_check_slider("treg_cd25", treg.cd25 if treg_cd25 is None else treg_cd25, 100, 30000)))),
            "view": widgets.ToggleButtons(options=[("Response", "response"), ("Receptor occupancy", "occupancy")],
                                          value=_check_choice("view", view, ["response", "occupancy"]),
                                          style={"button_width": "13em"}),  # room for "Receptor occupancy"
        }
        ax = self.ax
        for n, c in self.cells.items():
            (self.lines[n],) = ax.plot([], [], figures.CELL_STYLES[n], color=figures.CELL_COLORS[n], lw=2, label=c.label)
            self._dyn(self.lines[n])
        for form, kd, label in (("alpha", self.params.kd_alpha, "CD25 alone (Kd 10 nM)"),
                                ("dimer", self.params.kd_dimer, "βγc (Kd 1 nM)"),
                                ("trimer", self.params.kd_trimer, "αβγc (Kd 10 pM)")):
            (self.lines[form],) = ax.plot(self.conc, self.conc / (self.conc + kd), figures.STYLES[form],
                                          color=figures.COLORS[form], lw=2, label=label)
        (self.lines["marker"],) = ax.plot([], [], "o", color=figures.COLORS["marker"], ms=6, zorder=5)
        self.vline = ax.axvline(10, color=figures.COLORS["marker"], lw=1, alpha=0.6)
        self._dyn(self.vline)
        self._dyn(self.lines["marker"])
        ax.axhline(0.5, color="#888888", lw=0.8, ls=":")
        figures.concentration_axis(ax)
        ax.set_ylim(-0.02, 1.02)
        self._view = None
        self._finish([self._row("concentration_pM", "treg_cd25"), self.controls["view"]])

    def _set_view(self, view):
        if view == self._view:
            return
        self._view = view
        cells = view == "response"
        for n in self.cells:
            self.lines[n].set_visible(cells)
        for form in ("alpha", "dimer", "trimer"):
            self.lines[form].set_visible(not cells)
        self.ax.set_ylabel("pSTAT5-like response\n(fraction of the cell's maximum)" if cells
                           else "Fraction of receptors bound")
        shown = [self.lines[n] for n in (self.cells if cells else ("alpha", "dimer", "trimer"))]
        self._legend(handles=shown)

    def compute_and_set(self):
        c_now = float(self.controls["concentration_pM"].value)
        self.cells["treg"] = _binding.cell("treg", cd25=float(self.controls["treg_cd25"].value))
        view = self.controls["view"].value
        self._set_view(view)
        ec50 = {}
        now = {}
        for n, cell in self.cells.items():
            curve = _binding.relative_response(self.conc, cell, self.params)
            self.lines[n].set_data(self.conc, curve)
            ec50[n] = _binding.ec50(cell, self.params)
            now[n] = float(_binding.relative_response(c_now, cell, self.params))
        self.ec50 = ec50
        self.vline.set_xdata([c_now, c_now])
        if view == "response":
            self.lines["marker"].set_data([c_now] * len(now), list(now.values()))
        else:
            forms = [(self.params.kd_alpha), (self.params.kd_dimer), (self.params.kd_trimer)]
            self.lines["marker"].set_data([c_now] * 3, [c_now / (c_now + kd) for kd in forms])
        window = ec50["nk"] / ec50["treg"]
        if view == "response":
            at = ", ".join(f"{self.cells[n].label} {100 * v:.0f}%" for n, v in now.items())
            what = f"{at} of maximal response"
        else:  # the occupancy view plots the receptor forms, so the readout reports them
            forms = (("αβγc", self.params.kd_trimer), ("βγc", self.params.kd_dimer), ("CD25 alone", self.params.kd_alpha))
            what = ", ".join(f"{name} {_pct(c_now / (c_now + kd))}" for name, kd in forms) + " of receptors bound"
        self._readout.value = (
            f"At {_fmt_pM(c_now)}: {what}. "
            f"<b>Treg EC50 {_fmt_pM(ec50['treg'])}, NK EC50 {_fmt_pM(ec50['nk'])}: window {window:.0f}x</b>"
        )


def _pct(fraction) -> str:
    p = 100 * float(fraction)
    return f"{p:.0f}%" if p >= 1 or p == 0 else f"{p:.1g}%"
