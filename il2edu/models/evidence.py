"""Model meets data: each measured data set in seeds/data/ compared with what the models compute.

A data set names, for each comparison, a model quantity (one of QUANTITIES, with its arguments), the
measured value with its spread, and a tolerance written from the measurements' own spread or from the
differences between studies (a factor, or a range), or else a `known_gap`: a measurement the teaching
models do not reproduce, kept in the report with both numbers so that nobody mistakes silence for
agreement. Pure functions: `compare` and `report` take the loaded data and return plain rows.
"""

from __future__ import annotations

import math

import numpy as np

from .. import parameters as _p
from . import binding, pk


# --- model quantities (each returns one number) --------------------------------------------------

def iv_half_life_min(phase):
    """The model's IV half-life (min) of the 'distribution' or 'elimination' phase."""
    if phase not in ("distribution", "elimination"):
        raise ValueError(f"phase must be distribution or elimination; got {phase!r}")
    return pk.half_lives_min()[0 if phase == "distribution" else 1]


def iv_bolus_peak_iu_per_ml(dose_iu_per_m2):
    """Level just after an IV bolus (IU/mL)."""
    reg = pk.Regimen(float(dose_iu_per_m2), route="iv", dose_unit="IU/m2", infusion_min=0)
    return float(pk.pM_to_iu_per_ml(pk.concentration([0.0], reg)[0]))


def iv_infusion_level_iu_per_ml(dose_iu_per_m2, hours):
    """Level at the end of a constant IV infusion of the dose over `hours` (IU/mL)."""
    reg = pk.Regimen(float(dose_iu_per_m2), route="iv", dose_unit="IU/m2", interval_h=float(hours),
                     infusion_min=float(hours) * 60)
    return float(pk.pM_to_iu_per_ml(pk.concentration([float(hours)], reg)[0]))


def iv_plasma_share_pct(infusion_min, dose_iu=1e6):
    """Share of the dose (%) in plasma at the end of a short IV infusion."""
    reg = pk.Regimen(float(dose_iu), route="iv", infusion_min=float(infusion_min), interval_h=24)
    prm = pk.PKParams.load()
    c = pk.concentration([infusion_min / 60.0], reg)[0]
    return float(100 * c * prm.central_volume_l() / pk.iu_to_pmol(dose_iu))


def sc_tmax_h(dose_iu):
    reg = pk.Regimen(float(dose_iu), route="sc")
    t = np.linspace(0, 24, 2401)
    return float(t[np.argmax(pk.concentration(t, reg))])


def sc_peak_pM(dose_iu_per_m2, interval_h=24, n_doses=1):
    reg = pk.Regimen(float(dose_iu_per_m2), route="sc", dose_unit="IU/m2", interval_h=float(interval_h),
                     n_doses=int(n_doses))
    return float(pk.concentration(pk.time_grid(reg, n=2000), reg).max())


def sc_auc_iu_per_ml_h(dose_iu_per_m2, interval_h, n_doses, hours):
    reg = pk.Regimen(float(dose_iu_per_m2), route="sc", dose_unit="IU/m2", interval_h=float(interval_h),
                     n_doses=int(n_doses))
    t = np.linspace(0, float(hours), 4801)
    c = pk.pM_to_iu_per_ml(pk.concentration(t, reg))
    return float(np.sum((c[1:] + c[:-1]) * np.diff(t)) / 2)


def sc_level_share_of_bolus_pct(dose_iu):
    """Mean s.c. level over the first 8 h as a share (%) of the IV-bolus level of the same dose."""
    t = np.linspace(0, 8, 801)
    sc = pk.concentration(t, pk.Regimen(float(dose_iu), route="sc")).mean()
    iv = pk.concentration([0.0], pk.Regimen(float(dose_iu), route="iv", infusion_min=0))[0]
    return float(100 * sc / iv)


def ec50_ratio(cell):
    return float(binding.selectivity_window(cell))


def ec50_pM(cell):
    return float(binding.ec50(cell))


QUANTITIES = {f.__name__: f for f in (
    iv_half_life_min, iv_bolus_peak_iu_per_ml, iv_infusion_level_iu_per_ml, iv_plasma_share_pct, sc_tmax_h,
    sc_peak_pM, sc_auc_iu_per_ml_h, sc_level_share_of_bolus_pct, ec50_ratio, ec50_pM)}


# --- comparisons ----------------------------------------------------------------------------------

def model_value(spec: dict) -> float:
    """The number a data set's `model:` entry asks for, e.g. {quantity: ec50_ratio, cell: nk}."""
    args = dict(spec)
    name = args.pop("quantity", None)
    if name not in QUANTITIES:
        raise ValueError(f"unknown model quantity {name!r}; known: {', '.join(QUANTITIES)}")
    return QUANTITIES[name](**args)


def tolerance_text(tol: dict) -> str:
    if "factor" in tol:
        return f"×/÷ {tol['factor']:g}"
    lo, hi = tol["range"]
    return f"{lo:g} to {hi:g}"


def within(value: float, measured: float, tol: dict) -> bool:
    if "factor" in tol:
        ratio = value / measured
        return 1 / tol["factor"] <= ratio <= tol["factor"]
    lo, hi = tol["range"]
    return lo <= value <= hi


def compare(dataset_id: str, data: dict, row: dict) -> dict:
    """One comparison as a report row; passed is None for a known gap (shown, not judged)."""
    value = model_value(row["model"])
    measured = float(row["measured"])
    gap = row.get("known_gap")
    tol = row.get("tolerance")
    return {
        "dataset": dataset_id,
        "comparison": row["id"],
        "source": data["reference"],
        "quantity": row["quantity"],
        "unit": row["unit"],
        "measured": measured,
        "spread": row["spread"],
        "model": value,
        "ratio": value / measured if measured else math.inf,
        "tolerance": tolerance_text(tol) if tol else None,
        "tolerance_why": " ".join(str(row.get("tolerance_why") or gap or "").split()),
        "used_for_fitting": bool(row["used_for_fitting"]),
        "known_gap": " ".join(str(gap).split()) if gap else None,
        "passed": None if gap else within(value, measured, tol),
    }


def report(datasets: dict | None = None) -> list:
    """Every comparison in every data set (default: seeds/data/), in file order."""
    datasets = _p.datasets() if datasets is None else datasets
    rows = []
    for dataset_id, data in datasets.items():
        for row in data.get("comparisons") or []:
            rows.append(compare(dataset_id, data, row))
    return rows


def summary(rows: list) -> dict:
    judged = [r for r in rows if r["passed"] is not None]
    return {
        "judged": len(judged),
        "passed": sum(r["passed"] for r in judged),
        "failed": sum(not r["passed"] for r in judged),
        "validation_passed": sum(r["passed"] and not r["used_for_fitting"] for r in judged),
        "sources_passed": len({r["source"] for r in judged if r["passed"]}),
        "known_gaps": len(rows) - len(judged),
    }


def dataset(name: str) -> dict:
    """One measured data set from seeds/data/ by file stem, e.g. dataset('farhat2021_pstat5')."""
    sets = _p.datasets()
    if name not in sets:
        raise ValueError(f"no data set {name!r} in seeds/data; known: {', '.join(sets)}")
    return sets[name]


def subset_mean_response(preset, subset="nk_cd56bright") -> float:
    """Mean relative response of a receptor subset (binding.subset) over a regimen preset."""
    from . import response

    reg = pk.Regimen.preset(preset)
    t = pk.time_grid(reg)
    r = binding.relative_response(pk.concentration(t, reg), binding.subset(subset))
    return response._trapz(r, t) / float(t[-1] - t[0])


def regimen_means(presets, cells=("treg", "nk", "cd8"), subsets=("nk_cd56bright",)) -> dict:
    """{preset title: {cell or subset: mean response}} for regimen presets, rounded for reading in a lesson."""
    from . import response

    out = {}
    for name in presets:
        r = response.regimen_response(name)
        row = {c: r.mean_response[c] for c in cells} | {s: subset_mean_response(name, s) for s in subsets}
        out[pk.Regimen.preset(name).title] = {k: float(f"{v:.2g}") for k, v in row.items()}
    return out
