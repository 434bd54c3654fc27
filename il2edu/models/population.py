"""A teaching model of IL-2, regulatory T cells (Tregs) and effector T cells over weeks.

Not a fitted or predictive model: it shows, in outline, how the mechanisms the sources describe fit
together. All quantities are relative to a healthy steady state (IL-2 = Tregs = effectors = 1); time in days.

IL-2 (I) changes within hours, much faster than cell numbers, so it is taken at its quasi-steady state:
    I = (σ·p·E + u) / (c + k_T·T + k_E·E)
  made by activated effectors (σ = production relative to healthy, p fixed so I = 1 when healthy), given
  as a drug (u, relative to healthy total production), and removed mostly by Tregs (k_T), less by effectors
  (k_E) and by other routes (c) [busse2010, feinerman2010, tkach2014, pandiyan2007].
Tregs (T) need IL-2 to proliferate and persist [setoguchi2005, yu2015]:
    dT/dt = s_T + r_T·T·I/(I + K_T)·(1 − T/T_max) − d_T·T
Effectors (E) proliferate with antigen and, more steeply, with IL-2 (their receptors are lower-affinity:
K_E = 10 K_T), are suppressed by Tregs, and die faster at high IL-2 (activation-induced cell death)
[lenardo1991, refaeli1998, pandiyan2007]:
    dE/dt = s_E + r_E·E·(a + Iⁿ/(Iⁿ + K_Eⁿ))/(1 + T/K_sup)·(1 − E/E_max) − d_E·E − m·E·I²/(I² + K_A²)
r_T and r_E are fixed by the healthy steady state (I = T = E = 1). Parameters: seeds/parameters.yaml,
section population (every one a teaching assumption); scenarios: the same file, section scenarios.

What it reproduces qualitatively: a healthy balance; halving IL-2 production (as with the Idd3 variant in
NOD mice, yamanouchi2007) loses Tregs and expands effectors; a low steady IL-2 dose restores Tregs without
expanding effectors; a high dose expands Tregs and effectors. What it leaves out: separate tissues, CD25
feedback, other cytokines, dosing pulses (doses are smoothed into a steady input), and much more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import parameters as _p
from . import _checks

REFERENCES = ("busse2010", "feinerman2010", "tkach2014", "pandiyan2007", "setoguchi2005", "yu2015",
              "lenardo1991", "refaeli1998", "yamanouchi2007")
DAYS = 120.0
TREATMENT_START = 60.0
MAX_DOSE = 1000.0


@dataclass(frozen=True)
class PopulationParams:
    c: float
    k_t: float
    k_e: float
    K_t: float
    d_t: float
    s_t: float
    t_max: float
    K_e: float
    n_e: float
    a: float
    K_sup: float
    d_e: float
    s_e: float
    e_max: float
    m: float
    K_a: float

    @classmethod
    def load(cls) -> "PopulationParams":
        v = lambda name: _p.value("population", name)  # noqa: E731
        return cls(
            c=v("il2_clearance"), k_t=v("treg_consumption"), k_e=v("effector_consumption"), K_t=v("treg_il2_half"),
            d_t=v("treg_death"), s_t=v("treg_source"), t_max=v("treg_capacity"), K_e=v("effector_il2_half"),
            n_e=v("effector_il2_hill"), a=v("effector_antigen_drive"), K_sup=v("suppression_half"),
            d_e=v("effector_death"), s_e=v("effector_source"), e_max=v("effector_capacity"), m=v("aicd_max"),
            K_a=v("aicd_il2_half"),
        )

    # Derived so that I = T = E = 1 is a steady state when production is healthy and no drug is given.
    @property
    def p(self) -> float:
        return self.c + self.k_t + self.k_e

    @property
    def r_t(self) -> float:
        return (self.d_t - self.s_t) / ((1 / (1 + self.K_t)) * (1 - 1 / self.t_max))

    @property
    def r_e(self) -> float:
        growth = (self.a + 1 / (1 + self.K_e ** self.n_e)) / (1 + 1 / self.K_sup) * (1 - 1 / self.e_max)
        aicd = self.m / (1 + self.K_a ** 2)
        return (self.d_e + aicd - self.s_e) / growth


def _params(params):
    return params if params is not None else PopulationParams.load()


def il2_level(tregs, effectors, production=1.0, dose=0.0, params=None):
    """Quasi-steady IL-2 (relative to healthy) for given Treg and effector levels."""
    prm = _params(params)
    t = np.asarray(tregs, float)
    e = np.asarray(effectors, float)
    return (production * prm.p * e + dose) / (prm.c + prm.k_t * t + prm.k_e * e)


def rates(tregs, effectors, production=1.0, dose=0.0, params=None):
    """(dT/dt, dE/dt) in relative cells per day."""
    prm = _params(params)
    t, e = float(tregs), float(effectors)
    i = (production * prm.p * e + dose) / (prm.c + prm.k_t * t + prm.k_e * e)
    return _rhs(t, e, i, prm, prm.r_t, prm.r_e)


def _rhs(t, e, i, prm, r_t, r_e):
    d_t = prm.s_t + r_t * t * i / (i + prm.K_t) * (1 - t / prm.t_max) - prm.d_t * t
    ie = i ** prm.n_e
    growth = (prm.a + ie / (ie + prm.K_e ** prm.n_e)) / (1 + t / prm.K_sup) * (1 - e / prm.e_max)
    d_e = prm.s_e + r_e * e * growth - prm.d_e * e - prm.m * e * i * i / (i * i + prm.K_a ** 2)
    return d_t, d_e


@dataclass
class PopulationRun:
    t_days: np.ndarray
    tregs: np.ndarray
    effectors: np.ndarray
    il2: np.ndarray
    production: float
    dose: float
    treatment_start: float

    def at(self, day: float) -> dict:
        i = int(np.searchsorted(self.t_days, day).clip(0, len(self.t_days) - 1))
        return {"day": float(self.t_days[i]), "tregs": float(self.tregs[i]), "effectors": float(self.effectors[i]),
                "il2": float(self.il2[i])}


def scenarios() -> dict:
    """The population presets from seeds/parameters.yaml: {id: {title, production, dose, ...}}."""
    return dict(_p.parameters()["scenarios"])


def simulate(production=1.0, dose=0.0, treatment_start=TREATMENT_START, days=DAYS, n_points=481,
             initial=(1.0, 1.0), params=None) -> PopulationRun:
    """Integrate the model from `initial` (Tregs, effectors) over `days`.

    production: IL-2 made per effector, relative to healthy (0-2); applies from day 0.
    dose: drug IL-2 as a steady input relative to healthy total production (0-1000), from treatment_start.
    """
    from scipy.integrate import odeint

    production = _checks.number("production", production, 0, 2, "(relative to healthy)")
    dose = _checks.number("dose", dose, 0, MAX_DOSE, "(relative to healthy production)")
    days = _checks.number("days", days, 1, 3650, "days")
    treatment_start = _checks.number("treatment_start", treatment_start, 0, days, "days")
    n_points = _checks.whole("n_points", n_points, 2, 100000)
    t0, e0 = (_checks.number(n, x, 0, 100, "(relative cells)") for n, x in zip(("initial tregs", "initial effectors"), initial))
    prm = _params(params)
    r_t, r_e = prm.r_t, prm.r_e
    p = prm.p

    def rhs(y, tt):
        t, e = y
        u = dose if tt >= treatment_start else 0.0
        i = (production * p * e + u) / (prm.c + prm.k_t * t + prm.k_e * e)
        return _rhs(t, e, i, prm, r_t, r_e)

    grid = np.linspace(0.0, days, n_points)
    y = odeint(rhs, [t0, e0], grid, tcrit=[treatment_start], rtol=1e-7, atol=1e-9)
    tregs, effectors = y[:, 0], y[:, 1]
    u = np.where(grid >= treatment_start, dose, 0.0)
    il2 = (production * p * effectors + u) / (prm.c + prm.k_t * tregs + prm.k_e * effectors)
    return PopulationRun(grid, tregs, effectors, il2, production, dose, treatment_start)


def scenario(name: str, **kwargs) -> PopulationRun:
    """Run one preset, e.g. scenario('low-dose')."""
    sc = scenarios()
    _checks.choice("scenario", name, list(sc))
    return simulate(production=float(sc[name]["production"]), dose=float(sc[name]["dose"]), **kwargs)
