"""From a dose to each blood cell type's response over time.

Chains the two models: the plasma concentration C(t) of a regimen (il2edu.models.pk) drives each cell
type's pSTAT5-like response R(C(t)) (il2edu.models.binding), normalised to the cell type's own maximum.
Teaching simplifications: binding is taken as at equilibrium at every moment (in reality it lags: at
10 pM, with k_on ≈ 10⁷ M⁻¹s⁻¹ and k_off ≈ 10⁻⁴ s⁻¹, the high-affinity receptor approaches equilibrium with a
half-time near an hour, wang_smith1987), plasma stands for the
tissue fluid around the cells, and receptor numbers stay fixed (IL-2 raises CD25 over days, busse2010).

Since issue 11 (s.c. bioavailability fitted to meropol1996) low-dose regimens peak at a few pM, below
every EC50 including the Treg one, yet Tregs rose in every low-dose trial: a threshold is the wrong
reading. Tregs respond to partial occupancy sustained over days; the mean response says more than the
hours above an EC50. The model does not turn responses into cell numbers, and it does not show the
NK expansion seen in the trials (koreth2016, meropol1996).

Summary figures for the regimen:
- time above EC50 (h): how long C(t) exceeds each cell type's EC50;
- peak response: the highest relative response of each cell type;
- mean response: the time-average of the relative response over the simulated window;
- selectivity index: mean Treg response ÷ the larger of the NK and CD8 mean responses
  (above 1: the regimen favours Tregs; near 1: it stimulates NK or CD8 cells about as much).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import binding, pk

REFERENCES = pk.REFERENCES + binding.REFERENCES + ("busse2010",)
OFF_TARGET = ("nk", "cd8")


@dataclass
class RegimenResponse:
    t_h: np.ndarray
    concentration_pM: np.ndarray
    responses: dict  # cell type -> relative response array (0..1)
    ec50_pM: dict
    time_above_ec50_h: dict
    peak_response: dict
    mean_response: dict
    selectivity_index: float


def _trapz(y, t):
    return float(np.sum((y[1:] + y[:-1]) * np.diff(t)) / 2.0)


def time_above(t_h, values, threshold) -> float:
    """Hours during which values exceed threshold (linear interpolation between grid points)."""
    t = np.asarray(t_h, float)
    d = np.asarray(values, float) - threshold
    a, b = d[:-1], d[1:]
    dt = np.diff(t)
    both = (a > 0) & (b > 0)
    cross = (a > 0) ^ (b > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(cross, np.maximum(a, b) / (np.abs(a) + np.abs(b)), 0.0)
    return float(np.sum(dt * both) + np.sum(dt * frac))


def summarise(t_h, conc_pM, responses, ec50_pM) -> dict:
    span = float(t_h[-1] - t_h[0]) or 1.0
    above = {c: time_above(t_h, conc_pM, ec50_pM[c]) for c in responses}
    peak = {c: float(np.max(r)) for c, r in responses.items()}
    mean = {c: _trapz(r, t_h) / span for c, r in responses.items()}
    off = max(mean[c] for c in OFF_TARGET if c in mean)
    index = mean["treg"] / off if off > 0 else float("inf")
    return {"time_above_ec50_h": above, "peak_response": peak, "mean_response": mean, "selectivity_index": index}


def regimen_response(regimen, t_h=None, body_weight_kg=None, body_surface_m2=None, pk_params=None,
                     binding_params=None) -> RegimenResponse:
    """Concentration and every cell type's relative response over time for a regimen (a Regimen or preset id)."""
    if isinstance(regimen, str):
        regimen = pk.Regimen.preset(regimen)
    t = pk.time_grid(regimen) if t_h is None else np.atleast_1d(np.asarray(t_h, float))
    c = pk.concentration(t, regimen, body_weight_kg, body_surface_m2, pk_params)
    bprm = binding_params if binding_params is not None else binding.BindingParams.load()
    cells = {n: binding.cell(n) for n in binding.cell_type_names()}  # read the seeds once per call
    responses = {n: binding.relative_response(c, cell, bprm) for n, cell in cells.items()}
    ec50 = {n: binding.ec50(cell, bprm) for n, cell in cells.items()}
    s = summarise(t, c, responses, ec50)
    return RegimenResponse(t, c, responses, ec50, **s)
