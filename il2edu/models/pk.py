"""Pharmacokinetics of aldesleukin (recombinant IL-2): unit conversions and plasma concentrations.

Units: time in hours (h), amounts in pmol, concentrations in pM (pmol/L), doses in IU.

Conversions (proleukin_label): one vial is 18 MIU = 1.1 mg, so 1 MIU ≈ 61 µg; with a molecular weight
of about 15,300 Da, 1 MIU ≈ 4.0 nmol and 1 IU/mL ≈ 4 pM.

Intravenous: a two-compartment model with first-order elimination from the central (plasma) compartment.
       dA1/dt = input(t) − (k10 + k12)·A1 + k21·A2,   dA2/dt = k12·A1 − k21·A2,   C = A1 / V1
   V1 = central volume per m² × body surface (konrad1990: the peak equals dose ÷ plasma volume);
   k10 = CL / V1 (clearance about 120 mL/min, konrad1990, for an adult of the default body surface, and
   scaled in proportion to body surface like V1: a teaching assumption that keeps the measured half-lives
   for every body size); k12 and k21 are set so that the two phases have
   the measured half-lives, 13 and 85 min (proleukin_label, konrad1990): with α, β = ln2 / half-lives,
   k21 = αβ / k10 and k12 = α + β − k10 − k21. A unit bolus gives C(t) = a·e^(−αt) + b·e^(−βt) with
   a = (α − k21) / (V1(α − β)), b = (k21 − β) / (V1(α − β)); an infusion of duration T is that response
   spread evenly over T. The area under the curve of one dose is dose / CL.
Subcutaneous: a fraction F of the dose reaches the central compartment through two first-order steps
   in series (injection site, then lymph; each at rate ka), an input rate F·D·ka²·t·e^(−ka·t):
       C(t) = F·D·ka²·Σ c_i [e^(−λ_i t) − e^(−ka·t)(1 + (ka − λ_i)t)] / (ka − λ_i)²
   (c_i, λ_i: the unit-bolus terms above). One first-order step would peak within about an hour, because
   most of the IV curve's area lies in its fast phase; the documented s.c. peak comes at 2-6 h. No source
   gives F or an s.c. half-life. ka is chosen to reproduce the 2-6 h peak (proleukin_swiss_label). F was
   0.5 until issue 11, which put low-dose peaks 9 times above what Meropol et al. measured; it is now fitted
   to meropol1996 (daily doses up to 1.75 MIU/m² peaked below 10 pM): F = 0.05. Kirchner 1998's 24-h AUC
   after 20 MIU/m² (not used for fitting) then agrees within the spread between studies.
Evidence (`il2edu check-models`, seeds/data/): fitted to konrad1990, proleukin_label (IV) and
   proleukin_swiss_label, meropol1996 (s.c.); validated against kirchner1998. Known gaps, shown in the
   report with both numbers: the label's 30% of a 5-min infusion left in plasma (model 88%; Konrad's bolus
   data imply nearly all), Konrad's s.c. levels of about 2% of the IV-bolus peak (model about 0.15%: those
   were probably higher doses, and this linear model cannot match low and high doses at once), and the
   higher AUC of twice-daily dosing (kirchner1998; linear kinetics give the same AUC).
Repeated doses add up (linear kinetics; the Swiss label reports dose-proportional serum levels).

Parameters: seeds/parameters.yaml, section pk. Presets: seeds/regimens.yaml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .. import parameters as _p
from . import _checks

REFERENCES = ("proleukin_label", "konrad1990", "proleukin_swiss_label")
MAX_DOSE_IU = 1e9  # 1000 MIU, far above any regimen, catches unit slips
ROUTES = ("iv", "sc")
DOSE_UNITS = ("IU", "IU/kg", "IU/m2")


# --- unit conversions -------------------------------------------------------------------------------

def iu_per_ug() -> float:
    """Specific activity: 18 MIU per 1.1 mg, about 16,360 IU per µg."""
    return _p.value("pk", "vial_activity") * 1e6 / (_p.value("pk", "vial_mass") * 1e3)


def iu_to_ug(iu):
    return _checks.number("iu", iu, 0, None, "IU", allow_array=True) / iu_per_ug()


def ug_to_iu(ug):
    return _checks.number("ug", ug, 0, None, "µg", allow_array=True) * iu_per_ug()


def ug_to_pmol(ug):
    """µg to pmol: µg × 1e6 / molecular weight (Da)."""
    return _checks.number("ug", ug, 0, None, "µg", allow_array=True) * 1e6 / _p.value("pk", "molecular_weight")


def pmol_to_ug(pmol):
    return _checks.number("pmol", pmol, 0, None, "pmol", allow_array=True) * _p.value("pk", "molecular_weight") / 1e6


def iu_to_pmol(iu):
    return ug_to_pmol(iu_to_ug(iu))


def pmol_to_iu(pmol):
    return ug_to_iu(pmol_to_ug(pmol))


def iu_per_ml_to_pM(iu_per_ml):
    """A concentration in IU/mL as pM (1 IU/mL ≈ 4 pM)."""
    x = _checks.number("iu_per_ml", iu_per_ml, 0, None, "IU/mL", allow_array=True)
    return iu_to_pmol(x) * 1000.0  # per mL -> per L


def pM_to_iu_per_ml(c_pM):
    c = _checks.number("concentration_pM", c_pM, 0, None, "pM", allow_array=True)
    return pmol_to_iu(c / 1000.0)


# --- parameters -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PKParams:
    t_half_distribution_min: float
    t_half_elimination_min: float
    clearance_ml_min: float
    central_volume_ml_per_m2: float
    sc_bioavailability: float
    sc_absorption_per_h: float
    body_weight_kg: float
    body_surface_m2: float

    @classmethod
    def load(cls) -> "PKParams":
        v = lambda name: _p.value("pk", name)  # noqa: E731
        return cls(
            t_half_distribution_min=v("t_half_distribution"),
            t_half_elimination_min=v("t_half_elimination"),
            clearance_ml_min=v("clearance"),
            central_volume_ml_per_m2=v("central_volume"),
            sc_bioavailability=v("sc_bioavailability"),
            sc_absorption_per_h=v("sc_absorption_rate"),
            body_weight_kg=v("body_weight"),
            body_surface_m2=v("body_surface"),
        )

    def central_volume_l(self, body_surface_m2=None) -> float:
        bsa = self.body_surface_m2 if body_surface_m2 is None else body_surface_m2
        return self.central_volume_ml_per_m2 * bsa / 1000.0

    def clearance_l_per_h(self, body_surface_m2=None) -> float:
        """Clearance (L/h), scaled in proportion to body surface from the default adult's value."""
        bsa = self.body_surface_m2 if body_surface_m2 is None else body_surface_m2
        return self.clearance_ml_min * 60 / 1000.0 * bsa / self.body_surface_m2

    def rates(self, body_surface_m2=None) -> dict:
        """Micro-constants (1/h) and the two disposition rates alpha > beta (1/h)."""
        alpha = math.log(2) / (self.t_half_distribution_min / 60)
        beta = math.log(2) / (self.t_half_elimination_min / 60)
        v1 = self.central_volume_l(body_surface_m2)
        k10 = self.clearance_l_per_h(body_surface_m2) / v1
        k21 = alpha * beta / k10
        k12 = alpha + beta - k10 - k21
        if k12 < 0 or not beta < k21 < alpha:
            raise ValueError(
                "pk parameters are inconsistent: clearance / central volume must lie between the two "
                f"disposition rates (got k10 = {k10:.3g}/h, alpha = {alpha:.3g}/h, beta = {beta:.3g}/h)"
            )
        return {"alpha": alpha, "beta": beta, "k10": k10, "k12": k12, "k21": k21, "v1": v1}

    def bolus_terms(self, body_surface_m2=None):
        """(coefficients per pmol in pM, rates in 1/h) of the unit-bolus response."""
        r = self.rates(body_surface_m2)
        a, b, k21, v1 = r["alpha"], r["beta"], r["k21"], r["v1"]
        coef = np.array([(a - k21) / (v1 * (a - b)), (k21 - b) / (v1 * (a - b))])
        return coef, np.array([a, b])


def _pk(params):
    return params if params is not None else PKParams.load()


# --- regimens ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Regimen:
    """A dosing schedule. dose is in dose_unit ('IU', 'IU/kg' or 'IU/m2'); times in hours."""

    dose: float
    route: str = "sc"
    dose_unit: str = "IU"
    interval_h: float = 24.0
    n_doses: int = 1
    infusion_min: float = 0.0
    title: str = ""
    references: tuple = field(default_factory=tuple)
    note: str = ""

    def __post_init__(self):
        _checks.choice("route", self.route, ROUTES)
        _checks.choice("dose_unit", self.dose_unit, DOSE_UNITS)
        _checks.number("dose", self.dose, 0, None, self.dose_unit)
        _checks.number("interval_h", self.interval_h, 0, 24 * 90, "h", low_inclusive=False)
        _checks.whole("n_doses", self.n_doses, 1, 200)
        _checks.number("infusion_min", self.infusion_min, 0, 24 * 60, "min")
        if self.route == "sc" and self.infusion_min:
            raise ValueError("infusion_min must be 0 for route 'sc' (an infusion is intravenous)")
        if self.route == "iv" and self.infusion_min / 60 > self.interval_h:
            raise ValueError(
                f"infusion_min must be at most the dosing interval ({self.interval_h * 60:g} min); got {self.infusion_min:g}"
            )

    @classmethod
    def preset(cls, name: str) -> "Regimen":
        """A regimen from seeds/regimens.yaml, e.g. Regimen.preset('low-dose-1miu')."""
        presets = _p.regimens()
        _checks.choice("preset", name, list(presets))
        r = presets[name]
        return cls(
            dose=float(r["dose"]), route=r["route"], dose_unit=r["dose_unit"], interval_h=float(r["interval_h"]),
            n_doses=int(r["n_doses"]), infusion_min=float(r.get("infusion_min", 0)), title=r.get("title", name),
            references=tuple(r.get("references", ())), note=r.get("note", ""),
        )

    def with_(self, **changes) -> "Regimen":
        return replace(self, **changes)

    def dose_iu(self, body_weight_kg=None, body_surface_m2=None, params=None) -> float:
        """IU per dose for a patient of the given size (defaults from seeds/parameters.yaml)."""
        prm = _pk(params)
        w = prm.body_weight_kg if body_weight_kg is None else _checks.number("body_weight_kg", body_weight_kg, 1, 400, "kg")
        s = prm.body_surface_m2 if body_surface_m2 is None else _checks.number("body_surface_m2", body_surface_m2, 0.1, 4, "m²")
        per = {"IU": 1.0, "IU/kg": w, "IU/m2": s}[self.dose_unit]
        iu = self.dose * per
        if iu > MAX_DOSE_IU:
            raise ValueError(f"dose must give at most {MAX_DOSE_IU:g} IU per dose; got {iu:g} IU")
        return iu

    def dose_times_h(self) -> np.ndarray:
        return np.arange(self.n_doses) * self.interval_h

    def end_h(self) -> float:
        return float(self.dose_times_h()[-1])


def _check_times(t_h):
    t = _checks.number("t_h", t_h, 0, None, "h", allow_array=True)
    return np.atleast_1d(t)


def _single_dose(t, dose_pmol, route, infusion_h, prm, bsa):
    """Concentration (pM) at times t (h, may be negative: zero before the dose) after one dose."""
    coef, lam = prm.bolus_terms(bsa)
    tt = np.maximum(t, 0.0)[:, None]
    if route == "iv":
        if infusion_h <= 0:
            c = dose_pmol * (coef * np.exp(-lam * tt)).sum(axis=1)
        else:
            rate = dose_pmol / infusion_h
            during = (coef / lam) * (1 - np.exp(-lam * np.minimum(tt, infusion_h)))
            after = np.exp(-lam * np.maximum(tt - infusion_h, 0.0))
            c = rate * (during * after).sum(axis=1)
    else:
        ka = prm.sc_absorption_per_h
        f = prm.sc_bioavailability
        d = ka - lam
        d = np.where(np.abs(d) < 1e-9, 1e-9, d)  # ka equal to a disposition rate: the limit is smooth
        c = f * dose_pmol * ka * ka * (coef * (np.exp(-lam * tt) - np.exp(-ka * tt) * (1 + d * tt)) / (d * d)).sum(axis=1)
    return np.where(t >= 0, c, 0.0)


def concentration(t_h, regimen: Regimen, body_weight_kg=None, body_surface_m2=None, params=None):
    """Plasma IL-2 concentration in pM at times t_h (hours from the first dose)."""
    prm = _pk(params)
    t = _check_times(t_h)
    bsa = prm.body_surface_m2 if body_surface_m2 is None else _checks.number("body_surface_m2", body_surface_m2, 0.1, 4, "m²")
    dose_pmol = iu_to_pmol(regimen.dose_iu(body_weight_kg, bsa, prm))
    inf_h = regimen.infusion_min / 60.0
    # All doses at once: times since each dose, one column per dose (zero before a dose is given).
    since = (t[:, None] - regimen.dose_times_h()[None, :]).ravel()
    return _single_dose(since, dose_pmol, regimen.route, inf_h, prm, bsa).reshape(len(t), -1).sum(axis=1)


def time_grid(regimen: Regimen, n=600, after_h=24.0, end_h=None) -> np.ndarray:
    """Times (h) from the first dose to after_h past the last (or to end_h), including each infusion's end."""
    end = regimen.end_h() + after_h if end_h is None else float(end_h)
    grid = np.linspace(0.0, end, n)
    extra = regimen.dose_times_h()
    if regimen.route == "iv":
        extra = np.concatenate([extra, extra + regimen.infusion_min / 60.0])
    return np.unique(np.concatenate([grid, extra]))


def auc_single_dose_pM_h(regimen: Regimen, body_weight_kg=None, body_surface_m2=None, params=None) -> float:
    """Analytic area under the curve of one dose (pM·h): F·dose / CL (F = 1 for IV)."""
    prm = _pk(params)
    dose_pmol = iu_to_pmol(regimen.dose_iu(body_weight_kg, body_surface_m2, prm))
    f = 1.0 if regimen.route == "iv" else prm.sc_bioavailability
    return f * dose_pmol / prm.clearance_l_per_h(body_surface_m2)


def half_lives_min(params=None, body_surface_m2=None) -> tuple:
    """The two IV phases' half-lives (min), recomputed from the model's micro-constants."""
    prm = _pk(params)
    r = prm.rates(body_surface_m2)
    k10, k12, k21 = r["k10"], r["k12"], r["k21"]
    s = k10 + k12 + k21
    root = math.sqrt(s * s - 4 * k10 * k21)
    alpha, beta = (s + root) / 2, (s - root) / 2
    return (math.log(2) / alpha * 60, math.log(2) / beta * 60)


def simulate_compartments(t_h, regimen: Regimen, body_weight_kg=None, body_surface_m2=None, params=None) -> dict:
    """The same model solved as ODEs (scipy), returning amounts in pmol per compartment.

    Keys: depot (s.c. site), lymph, central, peripheral, eliminated, not_absorbed (the 1 − F of s.c. doses),
    and concentration (pM). Used to cross-check the closed-form solution and mass balance.
    """
    from scipy.integrate import solve_ivp

    prm = _pk(params)
    t = _check_times(t_h)
    bsa = prm.body_surface_m2 if body_surface_m2 is None else body_surface_m2
    r = prm.rates(bsa)
    dose_pmol = iu_to_pmol(regimen.dose_iu(body_weight_kg, bsa, prm))
    inf_h = regimen.infusion_min / 60.0
    starts = regimen.dose_times_h()
    ka, f = prm.sc_absorption_per_h, prm.sc_bioavailability

    def infusion_rate(tt):
        if regimen.route != "iv" or inf_h <= 0:
            return 0.0
        on = np.sum((tt >= starts) & (tt < starts + inf_h))
        return on * dose_pmol / inf_h

    def rhs(tt, y):
        depot, lymph, a1, a2, elim, lost = y
        inp = infusion_rate(tt)
        return [-ka * depot, ka * depot - ka * lymph, inp + ka * lymph - (r["k10"] + r["k12"]) * a1 + r["k21"] * a2,
                r["k12"] * a1 - r["k21"] * a2, r["k10"] * a1, 0.0]

    # integrate piecewise between doses so each bolus or s.c. dose lands exactly
    breaks = sorted(set(starts.tolist() + ((starts + inf_h).tolist() if regimen.route == "iv" else [])))
    edges = breaks + [max(float(t.max()), breaks[-1]) + 1.0]
    y = np.zeros(6)
    out = np.zeros((len(t), 6))
    for i, t0 in enumerate(edges[:-1]):
        if t0 in starts:
            if regimen.route == "sc":
                y[0] += f * dose_pmol
                y[5] += (1 - f) * dose_pmol
            elif inf_h <= 0:
                y[2] += dose_pmol
        t1 = edges[i + 1]
        sol = solve_ivp(rhs, (t0, t1), y, method="LSODA", rtol=1e-9, atol=1e-9, dense_output=True)
        mask = (t >= t0) & (t < t1)
        if mask.any():
            out[mask] = sol.sol(t[mask]).T
        y = sol.y[:, -1].copy()
    return {
        "t_h": t, "depot": out[:, 0], "lymph": out[:, 1], "central": out[:, 2], "peripheral": out[:, 3],
        "eliminated": out[:, 4], "not_absorbed": out[:, 5], "concentration": out[:, 2] / r["v1"],
        "dose_total_pmol": dose_pmol * regimen.n_doses,
    }
