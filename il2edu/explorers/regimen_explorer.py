"""Regimen explorer: plasma IL-2 of a dosing schedule against each cell type's EC50."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import figures
from .. import parameters as _parameters
from ..models import binding as _binding
from ..models import pk as _pk
from ..models import response as _response
from .base import Explorer, StopSlider, _check_choice, _check_slider, _fmt_pM

class RegimenExplorer(Explorer):
    title = "Regimen explorer: plasma IL-2 after a dosing schedule"
    references = _pk.REFERENCES + ("farhat2021", "trotta2018")
    about = (
        "<p><b>Model.</b> Intravenous doses: two compartments with half-lives of 13 and 85 min and clearance "
        "about 120 mL/min; the central volume scales with body surface (about 2.8 L at 1.8 m²). "
        "Subcutaneous doses: a fraction F reaches the blood through two first-order steps (injection site, "
        "lymph), which gives a low, flat profile peaking after about 4 h. Doses add up (linear kinetics). "
        "Thin lines with markers: each cell type's EC50 from the binding model. The Cell responses view shows each cell "
        "type's pSTAT5-like response to that plasma level over time (binding model, fraction of the cell's "
        "maximum). Time above EC50 = hours the plasma level "
        "exceeds it; selectivity index = mean Treg response ÷ the larger of the mean NK and CD8 responses.</p>"
        "<p><b>Units.</b> Doses in IU (1 MIU ≈ 61 µg ≈ 4.0 nmol), per kg or per m² where the regimen says so; "
        "time in hours; concentration in pM.</p>"
        "<p><b>Agreement with data</b> (<code>il2edu check-models</code>). IV: matches Konrad 1990's bolus "
        "level, half-lives and 6-h infusion level; the label's 30% of a short infusion left in plasma is not "
        "reproduced (the model keeps about 88%; the two sources disagree). s.c.: F = 5% is fitted to Meropol "
        "1996 (daily doses up to 1.75 MIU/m² peaked below 10 pM); Kirchner 1998's 24-h AUC at 20 MIU/m² is "
        "matched within the spread between studies, but not the higher AUC of twice-daily dosing. EC50 ratios "
        "(Treg vs CD4, NK, CD8) agree with measured pSTAT5 within a factor of 2; absolute EC50s are 4-6 times "
        "lower than a 30-min assay gives. Low doses stay below every EC50 line here, yet Tregs rose in the "
        "trials: read the mean responses and the selectivity index, not only the hours above a line. NK cells "
        "rose more than 4-fold in trials; the NK line here (blood NK cells as one population, no cell growth "
        "over days) does not show that; the small CD56-bright subset, not drawn, responds about half as much "
        "as Tregs (lesson 07).</p>"
        "<p><b>Assumptions.</b> Plasma stands for the fluid around the cells; binding is taken as "
        "instantaneous; receptor numbers stay fixed.</p>"
    )

    def __init__(self, preset="low-dose-1miu", dose=None, dose_unit=None, route=None, interval_h=None,
                 n_doses=None, body_weight_kg=None, body_surface_m2=None, view="concentration", mode=None):
        super().__init__(mode)
        self.pk_params = _pk.PKParams.load()
        self.bparams = _binding.BindingParams.load()
        self.cells = {n: _binding.cell(n) for n in _binding.cell_type_names()}
        self.ec50 = {n: _binding.ec50(c, self.bparams) for n, c in self.cells.items()}
        presets = _parameters.regimens()
        options = [(r.get("title", k), k) for k, r in presets.items()] + [("Custom", "custom")]
        base = _pk.Regimen.preset(_check_choice("preset", preset, list(presets)))
        self.controls = {
            "preset": widgets.Dropdown(options=options, value=preset, description="Preset",
                                       layout=widgets.Layout(width="460px")),
            "route": widgets.ToggleButtons(options=[("s.c.", "sc"), ("IV", "iv")], value=base.route,
                                           description="Route"),
            # a slider over round doses and every preset's dose, so preset values are shown exactly
            "dose": StopSlider("Dose", _dose_options([float(r["dose"]) for r in presets.values()]), value=base.dose,
                               log=True, fmt=_dose_label, width="280px"),
            "dose_unit": widgets.Dropdown(options=list(_pk.DOSE_UNITS), value=base.dose_unit, description="per",
                                          layout=widgets.Layout(width="160px")),
            "interval_h": StopSlider("Every (h)", _stops(INTERVALS_H, [r["interval_h"] for r in presets.values()], "{:g}"),
                                     value=int(base.interval_h), log=True, fmt="{:g}"),
            "n_doses": StopSlider("Doses", [(str(n), n) for n in range(1, 29)], value=base.n_doses, fmt="{:g}"),
            "body_weight_kg": StopSlider("Weight (kg)", _stops(range(40, 151, 5), [self.pk_params.body_weight_kg], "{:g}"),
                                         value=self.pk_params.body_weight_kg, fmt="{:g}"),
            "body_surface_m2": StopSlider("Surface (m²)",
                                          _stops([round(1.3 + 0.1 * k, 2) for k in range(13)],
                                                 [self.pk_params.body_surface_m2], "{:.2f}"),
                                          value=self.pk_params.body_surface_m2, fmt="{:.2f}"),
            "view": widgets.ToggleButtons(options=[("Plasma IL-2", "concentration"), ("Cell responses", "response")],
                                          value=_check_choice("view", view, ["concentration", "response"]),
                                          style={"button_width": "9em"}),
        }
        self._infusion_min = base.infusion_min or 15.0
        ax = self.ax
        (self.lines["concentration"],) = ax.plot([], [], color=figures.COLORS["il2"], lw=2, label="plasma IL-2")
        self._dyn(self.lines["concentration"])
        self.ec50_lines = {}
        # Each EC50 line has its cell type's dash pattern and marker, the markers staggered, so two lines at
        # nearly the same level (NK and CD4 Tconv) stay apart without colour.
        for k, (n, c) in enumerate(self.cells.items()):
            (self.ec50_lines[n],) = ax.plot([], [], figures.CELL_STYLES[n], marker=figures.CELL_MARKERS[n], ms=4,
                                            markevery=(k, len(self.cells)), color=figures.CELL_COLORS[n], lw=1.2,
                                            label=f"{c.label} EC50")
        for n, c in self.cells.items():
            (self.lines[n],) = ax.plot([], [], figures.CELL_STYLES[n], color=figures.CELL_COLORS[n], lw=2,
                                       label=c.label)
            self._dyn(self.lines[n])
        ax.set_xlabel("Time from first dose (h)")
        self._view = None
        self.controls["preset"].observe(self._on_preset, names="value")
        self.controls["route"].style.description_width = "initial"  # labels in full, on one line
        self.controls["route"].style.button_width = "60px"
        rows = [
            self.controls["view"],
            self.controls["preset"],
            self._row("route", "dose", "dose_unit"),
            self._row("interval_h", "n_doses"),
            self._row("body_weight_kg", "body_surface_m2"),
        ]
        self._finish(rows)
        # Keyword arguments override the preset's values.
        overrides = {k: v for k, v in dict(dose=dose, dose_unit=dose_unit, route=route, interval_h=interval_h,
                                            n_doses=n_doses, body_weight_kg=body_weight_kg,
                                            body_surface_m2=body_surface_m2).items() if v is not None}
        if overrides:
            self.set(**overrides)

    def set(self, **values):
        if "dose" in values:  # any dose, not only the slider's round values
            values["dose"] = float(_check_slider("dose", values["dose"], 1, 1e9))
        # a regimen changed in code is no longer its preset, as when a learner moves a control
        if "preset" not in values and any(k in self.controls and k not in self.NOT_REGIMEN
                                          and self.controls[k].value != v for k, v in values.items()):
            values = {"preset": "custom", **values}
        super().set(**values)

    def add_dose_option(self, dose: float):
        """Make `dose` (in the current dose unit) selectable on the dose slider."""
        self.add_stop("dose", float(dose))

    MENUS = ("preset",)

    def _extra_state(self) -> tuple:
        return (self._infusion_min,)  # a preset's infusion time: not a control, but it shapes the IV curve

    # Patient size and the view are not part of a regimen: changing them keeps the preset's name.
    NOT_REGIMEN = ("preset", "view", "body_weight_kg", "body_surface_m2")

    def _idle_sliders(self) -> set:
        # the model's volumes scale with body surface, not weight: weight only sizes a per-kg dose
        return set() if self.controls["dose_unit"].value == "IU/kg" else {"body_weight_kg"}

    def _on_change(self, change):
        if self._muted:
            return
        changed = next(k for k, w in self.controls.items() if w is change["owner"])
        if changed not in self.NOT_REGIMEN and self.controls["preset"].value != "custom":
            self._muted = True
            self.controls["preset"].value = "custom"
            self._muted = False
        self._changed(change)  # at once, or coalesced if it came from the browser

    def _set_view(self, view):
        if view == self._view:
            return
        self._view = view
        ax = self.ax
        conc = view == "concentration"
        self.lines["concentration"].set_visible(conc)
        for n in self.cells:
            self.ec50_lines[n].set_visible(conc)
            self.lines[n].set_visible(not conc)
        if conc:
            ax.set_yscale("log")
            ax.set_ylim(0.1, 1e5)
            ax.set_ylabel("Plasma IL-2 (pM)")
            self._legend(handles=[self.lines["concentration"], *self.ec50_lines.values()], ncol=3)
        else:
            ax.set_yscale("linear")
            ax.set_ylim(-0.02, 1.02)
            ax.set_ylabel("pSTAT5-like response\n(fraction of the cell's maximum)")
            self._legend(handles=[self.lines[n] for n in self.cells])
        self._lean_log_axes()

    def _on_preset(self, change):
        if self._muted or change["new"] == "custom":
            return
        r = _pk.Regimen.preset(change["new"])
        self._infusion_min = r.infusion_min or 15.0
        self._muted = True
        try:
            self.controls["route"].value = r.route
            self.controls["dose"].value = r.dose
            self.controls["dose_unit"].value = r.dose_unit
            self.controls["interval_h"].value = int(r.interval_h)
            self.controls["n_doses"].value = r.n_doses
        finally:
            self._muted = False
        self.update()

    def regimen(self) -> _pk.Regimen:
        c = self.controls
        route = c["route"].value
        return _pk.Regimen(dose=float(c["dose"].value), route=route, dose_unit=c["dose_unit"].value,
                           interval_h=float(c["interval_h"].value), n_doses=int(c["n_doses"].value),
                           infusion_min=self._infusion_min if route == "iv" else 0.0)

    def compute_and_set(self):
        reg = self.regimen()
        w = float(self.controls["body_weight_kg"].value)
        s = float(self.controls["body_surface_m2"].value)
        span = _nice_span(reg.end_h() + 24.0)
        res = _response.regimen_response(reg, t_h=_pk.time_grid(reg, end_h=span), body_weight_kg=w,
                                         body_surface_m2=s, pk_params=self.pk_params, binding_params=self.bparams)
        self.result = res
        t, conc = res.t_h, res.concentration_pM
        self._set_view(self.controls["view"].value)
        self.lines["concentration"].set_data(t, np.maximum(conc, 1e-3))
        for n in self.cells:
            self.lines[n].set_data(t, res.responses[n])
        self.ax.set_xlim(0, span)
        for n, line in self.ec50_lines.items():  # across the time axis (background: it changes with the span)
            line.set_data(np.linspace(0, span, 4 * 6 + 1), np.full(4 * 6 + 1, self.ec50[n]))
        dose_iu = reg.dose_iu(w, s, self.pk_params)
        above = res.time_above_ec50_h
        self._readout.value = (
            f"{dose_iu / 1e6:.3g} MIU per dose ({_fmt_mass(_pk.iu_to_ug(dose_iu))}); peak {_fmt_pM(conc.max())}. "
            f"Time above EC50: Treg {above['treg']:.0f} h, NK {above['nk']:.0f} h, CD8 {above['cd8']:.0f} h. "
            f"<b>Selectivity index {res.selectivity_index:.1f}</b>"
        )


INTERVALS_H = (4, 6, 8, 12, 24, 36, 48, 72, 96, 120, 168)  # dosing interval stops, plus every preset's


def _dose_label(v) -> str:
    return f"{v / 1e6:g} M" if v >= 1e6 else f"{v / 1e3:g} k"


def _dose_options(extra):
    """(label, IU) pairs for the dose slider: a 1-1.5-2-3-5-7.5 series from 1,000 to 100 million, plus extra."""
    series = [m * 10.0 ** e for e in range(3, 8) for m in (1, 1.5, 2, 3, 5, 7.5)] + [1e8]
    return _stops(series, extra, _dose_label)


def _stops(series, extra, fmt) -> list:
    fmt = fmt.format if isinstance(fmt, str) else fmt
    values = sorted({float(x) for x in series} | {float(x) for x in extra})
    return [(fmt(v), v) for v in values]


def _nice_span(hours: float) -> float:
    """The time axis snaps to a few round spans, so most control changes keep the axes (and the fast redraw)."""
    for span in (48, 168, 336, 672, 1344, 2688, 5376):  # 2 days, 1, 2, 4, 8, 16, 32 weeks
        if hours <= span:
            return float(span)
    return float(np.ceil(hours / 672) * 672)


def _fmt_mass(ug) -> str:
    return f"{ug / 1000:.3g} mg" if ug >= 1000 else f"{ug:.3g} µg"
