"""Population explorer: IL-2, Tregs and effector T cells over weeks (a teaching model)."""

from __future__ import annotations

import ipywidgets as widgets

from .. import figures
from ..models import population as _population
from .base import Explorer, StopSlider, _check_choice, _check_slider

def _dose_stops(extra) -> list:
    """0.01 to 1000 times healthy production, 10 stops a decade, plus every scenario's dose."""
    values = sorted({float(f"{10 ** (e / 10):.3g}") for e in range(-20, 31)} | {float(x) for x in extra if float(x) > 0})
    return [(f"{v:.3g}", v) for v in values]


class PopulationExplorer(Explorer):
    MENUS = ("scenario",)
    title = "Population explorer: IL-2, Tregs and effector T cells over weeks (a teaching model)"
    references = _population.REFERENCES
    about = (
        "<p><b>Model.</b> IL-2 is made by activated effector T cells and removed mostly by Tregs; it is taken at "
        "its quasi-steady level I = (σ·p·E + u) / (c + k<sub>T</sub>·T + k<sub>E</sub>·E). Tregs need IL-2: "
        "dT/dt = s<sub>T</sub> + r<sub>T</sub>·T·I/(I + K<sub>T</sub>)·(1 − T/T<sub>max</sub>) − d<sub>T</sub>·T. "
        "Effectors grow with antigen and, more steeply, with IL-2 (K<sub>E</sub> = 10 K<sub>T</sub>), are "
        "suppressed by Tregs, and die faster at high IL-2 (activation-induced cell death): "
        "dE/dt = s<sub>E</sub> + r<sub>E</sub>·E·(a + Iⁿ/(Iⁿ + K<sub>E</sub>ⁿ))/(1 + T/K<sub>sup</sub>)·(1 − E/E<sub>max</sub>) "
        "− d<sub>E</sub>·E − m·E·I²/(I² + K<sub>A</sub>²).</p>"
        "<p><b>Units.</b> Everything relative to a healthy steady state (1 = healthy); time in days. "
        "Production σ: IL-2 made per effector relative to healthy, from day 0. Dose u: IL-2 given as a steady "
        "input, relative to healthy total production, from the treatment start.</p>"
        "<p><b>Assumptions.</b> Every rate is a teaching choice, not a measurement; doses are smoothed into a "
        "steady input; one compartment; no CD25 feedback or other cytokines. It shows the logic of the "
        "balance, not real cell counts or timing.</p>"
    )

    def __init__(self, scenario="deficient", production=None, dose=None, treatment_start=None, mode=None):
        super().__init__(mode)
        self.params = _population.PopulationParams.load()
        self.scenarios = _population.scenarios()
        sc = self.scenarios[_check_choice("scenario", scenario, list(self.scenarios))]
        options = [(v["title"], k) for k, v in self.scenarios.items()] + [("Custom", "custom")]
        start = int(_check_slider("treatment_start", _population.TREATMENT_START if treatment_start is None
                                  else treatment_start, 0, 120))
        self.controls = {
            "scenario": widgets.Dropdown(options=options, value=scenario, description="Scenario",
                                         layout=widgets.Layout(width="460px")),
            "production": StopSlider("IL-2 production", [(f"{k * 0.05:.2f}", round(k * 0.05, 2)) for k in range(31)],
                                     value=float(sc["production"]), fmt="{:.2f}"),
            "dose": StopSlider("IL-2 dose", _dose_stops([v["dose"] for v in self.scenarios.values()]), log=True,
                               value=max(float(sc["dose"]), 0.01)),
            "treat": widgets.Checkbox(value=float(sc["dose"]) > 0, description="Give IL-2", indent=False),
            "treatment_start": StopSlider("from day", [(str(d), d) for d in sorted(set(range(0, 121, 5)) | {int(start)})],
                                          value=start, fmt="{:g}"),
        }
        ax = self.ax
        for name, label, width in (("tregs", "Tregs", 2), ("effectors", "effector T cells", 2), ("il2", "IL-2", 1.5)):
            (self.lines[name],) = ax.plot([], [], figures.STYLES[name], color=figures.COLORS[name], lw=width, label=label)
        self.start_line = ax.axvline(start, color=figures.COLORS["treatment"], lw=1.5)
        for artist in (self.start_line, self.lines["tregs"], self.lines["effectors"], self.lines["il2"]):
            self._dyn(artist)
        ax.axhline(1.0, color="#888888", lw=0.8, ls=":")
        ax.set_yscale("log")
        ax.set_ylim(0.1, 50)
        ax.set_xlim(0, _population.DAYS)
        ax.set_xlabel("Time (days)")
        ax.set_ylabel("Level relative to healthy")
        self._legend()
        self.controls["scenario"].observe(self._on_scenario, names="value")
        rows = [self.controls["scenario"], self._row("production"), self._row("treat", "dose", "treatment_start")]
        self._finish(rows)
        overrides = {k: v for k, v in dict(production=production, dose=dose).items() if v is not None}
        if dose is not None:
            overrides["treat"] = dose > 0
            overrides["dose"] = max(dose, 0.01)
        if overrides:
            self.set(**overrides)

    def _on_change(self, change):
        if self._muted:
            return
        if change["owner"] is not self.controls["scenario"] and self.controls["scenario"].value != "custom":
            self._muted = True
            self.controls["scenario"].value = "custom"
            self._muted = False
        self._changed(change)  # at once, or coalesced if it came from the browser

    def _on_scenario(self, change):
        if self._muted or change["new"] == "custom":
            return
        sc = self.scenarios[change["new"]]
        self._muted = True
        try:
            self.controls["production"].value = float(sc["production"])
            self.controls["treat"].value = float(sc["dose"]) > 0
            if float(sc["dose"]) > 0:
                self.controls["dose"].value = float(sc["dose"])
        finally:
            self._muted = False
        self.update()

    def compute_and_set(self):
        c = self.controls
        dose = float(c["dose"].value) if c["treat"].value else 0.0
        start = float(c["treatment_start"].value)
        run = _population.simulate(production=float(c["production"].value), dose=dose, treatment_start=start,
                                   n_points=241, params=self.params)
        self.run = run
        self.lines["tregs"].set_data(run.t_days, run.tregs)
        self.lines["effectors"].set_data(run.t_days, run.effectors)
        self.lines["il2"].set_data(run.t_days, run.il2)
        self.start_line.set_xdata([start, start])
        self.start_line.set_visible(dose > 0)
        end = run.at(run.t_days[-1])
        treat = f"IL-2 dose {dose:.3g}x from day {start:.0f}" if dose > 0 else "no IL-2 given"
        self._readout.value = (
            f"Production {run.production:.2f}x healthy, {treat}. <b>Day {end['day']:.0f}: Tregs "
            f"{end['tregs']:.2f}x, effectors {end['effectors']:.2f}x, IL-2 {end['il2']:.2f}x healthy</b>"
        )
