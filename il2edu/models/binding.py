"""IL-2 binding to its receptors on human blood cells, and a pSTAT5-like response.

A teaching model at equilibrium. Units: concentrations in pM, receptors and complexes per cell.

1. Receptor forms. A cell carries A CD25 (IL-2Rα) chains and B = min(CD122, γc) IL-2Rβ–γc pairs
   (the scarcer of the two chains limits the signalling receptor). Free CD25 and βγc pair into
   high-affinity αβγc receptors with a pairing constant K (receptors per cell, a teaching assumption):
       (A − P)(B − P) = K·P,   P = 2AB / (A + B + K + √((A + B + K)² − 4AB))
   giving P trimeric receptors, B − P dimeric (βγc) receptors and A − P lone CD25 chains.
2. Occupancy. Each receptor form binds IL-2 independently with its measured dissociation constant:
       θ(C) = C / (C + Kd),   Kd ≈ 10 nM (α alone), 1 nM (βγc), 10 pM (αβγc)
   The free IL-2 concentration C is taken as fixed (no depletion by the cells), and binding is at
   equilibrium.
3. Signalling complexes: IL-2 bound to βγc, with or without CD25 (lone CD25 does not signal):
       S(C) = P·θ_trimer(C) + (B − P)·θ_dimer(C)
4. A pSTAT5-like response, a saturating function of S (a teaching simplification, not a model of
   JAKs, STAT5 or phosphatases):
       R(C) = S / (S + K_S)
   The EC50 is the concentration giving half the cell's own maximal response (as a measured
   dose-response curve normalised per cell type). With S_half = K_S·B / (2K_S + B) it solves a quadratic.
5. Selectivity window: EC50 of a cell type divided by the Treg EC50.

Evidence (`il2edu check-models`, seeds/data/, none of it used for fitting): the EC50 ratios to the Treg
EC50 (the selectivity window: CD4 24, NK 24, CD8 74) agree within a factor of 2 with pSTAT5 measured
after 30 min in human blood cells (farhat2021 data file: 35, 29, 53) and within the between-study spread
with Yu 2015's "about 10-fold" for memory T cells. The absolute EC50s are 4-6 times lower than that
30-min assay gives (Treg 11 against 41-65 pM): the model is at equilibrium, the assay not quite. Blood NK
cells are one population among the cell types; the CD56-bright subset (about 10% of them, carson1997),
which carries about 1,200 high-affinity receptors (jem1990_cd16neg_nk), is subset('nk_cd56bright').
At 1×10⁶ IU/m²/day its mean response is about half the Treg one and 9 times that of NK cells as a
whole, which is the likely reason NK cells expand at low doses (meropol1996: CD56-bright NK cells rose
most). The model still does not turn responses into cell numbers.

Sources: Kd values trotta2018, wang_smith1987, rickert2004; receptor numbers farhat2021 (means on resting
human blood cells); the response form is a simplification, motivated by yu2015. Parameters:
seeds/parameters.yaml, sections binding, response, receptors.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .. import parameters as _p
from . import _checks

REFERENCES = ("trotta2018", "wang_smith1987", "rickert2004", "farhat2021", "yu2015", "jem1990_cd16neg_nk",
              "carson1997")
MAX_RECEPTORS = 1e6


@dataclass(frozen=True)
class Cell:
    """Receptor numbers of one cell type (per cell)."""

    name: str
    label: str
    cd25: float
    cd122: float
    gc: float

    @property
    def beta_gamma(self) -> float:
        return min(self.cd122, self.gc)


@dataclass(frozen=True)
class BindingParams:
    kd_alpha: float
    kd_dimer: float
    kd_trimer: float
    k_pairing: float
    signal_half: float

    @classmethod
    def load(cls) -> "BindingParams":
        v = _p.value
        return cls(
            kd_alpha=v("binding", "kd_alpha"),
            kd_dimer=v("binding", "kd_dimer"),
            kd_trimer=v("binding", "kd_trimer"),
            k_pairing=v("binding", "k_pairing"),
            signal_half=v("response", "signal_half_complexes"),
        )

    def with_kd(self, **kds) -> "BindingParams":
        """The same parameters with some affinities changed, e.g. a mutein: natural.with_kd(kd_dimer=10000)."""
        allowed = ("kd_alpha", "kd_dimer", "kd_trimer")
        for name, value in kds.items():
            _checks.choice("affinity", name, allowed)
            _checks.number(name, value, 1e-3, 1e9)
        return replace(self, **{k: float(v) for k, v in kds.items()})


def cell_type_names() -> list[str]:
    """Cell type ids in seeds order: ['treg', 'cd4', 'nk', 'cd8']."""
    return list(_p.cell_types())


def cell(name, cd25=None, cd122=None, gc=None) -> Cell:
    """A cell type from seeds, optionally with some receptor numbers replaced (per cell)."""
    if isinstance(name, Cell):
        base = name
    else:
        types = _p.cell_types()
        _checks.choice("cell", name, list(types))
        t = types[name]
        base = Cell(name, t["label"], t["cd25"], t["cd122"], t["gc"])
    changes = {}
    for field, x in (("cd25", cd25), ("cd122", cd122), ("gc", gc)):
        if x is not None:
            changes[field] = _checks.number(field, x, 0, MAX_RECEPTORS, "receptors per cell")
    return replace(base, **changes) if changes else base


def subset(name) -> Cell:
    """A cell subset from seeds (receptor_subsets), e.g. subset('nk_cd56bright'); not one of the explorers' types."""
    subsets = _p.cell_subsets()
    _checks.choice("subset", name, list(subsets))
    t = subsets[name]
    return Cell(name, t["label"], t["cd25"], t["cd122"], t["gc"])


def _params(params):
    return params if params is not None else BindingParams.load()


def _conc(c_pM):
    return _checks.number("concentration_pM", c_pM, 0, None, "pM", allow_array=True)


def occupancy(c_pM, kd_pM):
    """Fraction of receptors bound at equilibrium: C / (C + Kd). Equal to 1/2 at C = Kd."""
    c = _conc(c_pM)
    kd = _checks.number("kd_pM", kd_pM, 0, None, "pM", low_inclusive=False)
    return c / (c + kd)


def receptor_forms(cell_type, params=None) -> dict:
    """Receptors per cell: {'trimer': P, 'dimer': B − P, 'alpha': A − P} (see the module text)."""
    c = cell(cell_type)
    k = _params(params).k_pairing
    a, b = c.cd25, c.beta_gamma
    s = a + b + k
    disc = max(s * s - 4 * a * b, 0.0)
    p = 2 * a * b / (s + np.sqrt(disc)) if a * b > 0 else 0.0
    return {"trimer": float(p), "dimer": float(b - p), "alpha": float(a - p)}


def bound(c_pM, cell_type, params=None) -> dict:
    """IL-2 bound per cell on each receptor form at concentration C (pM)."""
    prm = _params(params)
    c = _conc(c_pM)
    f = receptor_forms(cell_type, prm)
    return {
        "trimer": f["trimer"] * c / (c + prm.kd_trimer),
        "dimer": f["dimer"] * c / (c + prm.kd_dimer),
        "alpha": f["alpha"] * c / (c + prm.kd_alpha),
    }


def complexes(c_pM, cell_type, params=None):
    """Signalling complexes per cell (IL-2 on βγc, with or without CD25)."""
    b = bound(c_pM, cell_type, params)
    return b["trimer"] + b["dimer"]


def response(c_pM, cell_type, params=None):
    """pSTAT5-like response on a common scale, S / (S + K_S), between 0 and 1."""
    prm = _params(params)
    s = complexes(c_pM, cell_type, prm)
    return s / (s + prm.signal_half)


def max_response(cell_type, params=None) -> float:
    """The response with every βγc occupied (very high IL-2)."""
    prm = _params(params)
    b = cell(cell_type).beta_gamma
    return b / (b + prm.signal_half)


def relative_response(c_pM, cell_type, params=None):
    """Response as a fraction of the cell type's own maximum (what a normalised pSTAT5 curve shows)."""
    prm = _params(params)
    top = max_response(cell_type, prm)
    r = response(c_pM, cell_type, prm)
    return r / top if top > 0 else r * 0.0


def ec50(cell_type, params=None) -> float:
    """Concentration (pM) giving half the cell type's own maximal response; inf if it cannot signal."""
    prm = _params(params)
    f = receptor_forms(cell_type, prm)
    p, d = f["trimer"], f["dimer"]
    b = p + d
    if b <= 0:
        return float("inf")
    ks, kt, kd = prm.signal_half, prm.kd_trimer, prm.kd_dimer
    s_half = ks * b / (2 * ks + b)
    # P·C/(C+Kt) + D·C/(C+Kd) = S_half, multiplied out: a2·C² + a1·C + a0 = 0 with a2 > 0 > a0.
    a2 = b - s_half
    a1 = p * kd + d * kt - s_half * (kt + kd)
    a0 = -s_half * kt * kd
    return float((-a1 + np.sqrt(a1 * a1 - 4 * a2 * a0)) / (2 * a2))


def ec50s(params=None, digits=None, **overrides) -> dict:
    """{cell type: EC50 in pM} for every cell type; overrides={'treg': {'cd25': 5000}} changes receptor numbers.

    digits rounds each EC50 to that many significant figures, for showing to a learner.
    """
    prm = _params(params)
    out = {}
    for name in cell_type_names():
        value = ec50(cell(name, **overrides.get(name, {})), prm)
        out[name] = float(f"{value:.{int(digits)}g}") if digits and np.isfinite(value) else value
    return out


def selectivity_window(other="nk", params=None, **overrides) -> float:
    """EC50 of `other` divided by the Treg EC50: how many-fold less IL-2 Tregs need."""
    _checks.choice("other", other, [n for n in cell_type_names() if n != "treg"])
    e = ec50s(params, **overrides)
    return e[other] / e["treg"]
