"""Interactive explorers: controls -> a model call -> the same plot updated, plus a one-line readout.

    il2edu.explorers.binding(concentration_pM=10)
    il2edu.explorers.regimen(preset="low-dose-1miu")
    il2edu.explorers.population(scenario="deficient")

Each returns an Explorer that Jupyter displays as one widget (CSS class `il2edu-explorer`) holding exactly
one plot, the controls, a readout (class `il2edu-readout`) and a collapsible "About this model".
Tests and lessons can drive it: `ex.controls["dose"].value = 3e6`, then read `ex.readout`, `ex.data("treg")`.

Plot modes (see docs/EXPLORERS.md):
- live: in a Jupyter kernel, every slider stop is rendered to a picture in an ipywidgets Stack that the
  slider picks in the browser; menus and buttons go through the kernel (no `%matplotlib widget` needed).
- static: elsewhere (plain Python, tests) or when IL2EDU_PLOT=static, one picture in an HTML widget is
  re-rendered by the kernel on every change, which keeps nbval deterministic.
"""

from __future__ import annotations

from .base import Explorer, Problem, _build, plot_mode
from .binding_explorer import BindingExplorer
from .population_explorer import PopulationExplorer
from .regimen_explorer import RegimenExplorer

__all__ = ["binding", "regimen", "population", "trials", "plot_mode", "Explorer", "Problem"]

def binding(concentration_pM=10.0, treg_cd25=None, view="response", mode=None):
    """Binding explorer: response of Tregs, CD4 Tconv, NK and CD8 cells against IL-2 concentration."""
    return _build(BindingExplorer, "binding", dict(concentration_pM=concentration_pM, treg_cd25=treg_cd25, view=view,
                                                    mode=mode))


def regimen(preset="low-dose-1miu", **kwargs):
    """Regimen explorer: plasma IL-2 of a schedule against each cell type's EC50 (presets in seeds/regimens.yaml).

    Keywords override the preset: dose, dose_unit ('IU', 'IU/kg', 'IU/m2'), route ('sc', 'iv'), interval_h,
    n_doses, body_weight_kg, body_surface_m2.
    """
    return _build(RegimenExplorer, "regimen", dict(preset=preset, **kwargs))


def population(scenario="deficient", **kwargs):
    """Population explorer: IL-2, Tregs and effectors over weeks for a scenario (seeds/parameters.yaml).

    Keywords override the scenario: production (0-1.5), dose (0-1000), treatment_start (day 0-120).
    """
    return _build(PopulationExplorer, "population", dict(scenario=scenario, **kwargs))


def trials(disease="All", dose_range=(0.1, 500), **kwargs):
    """Trials explorer: published trial arms (seeds/trials.csv) by dose and Treg change, with a table view.

    disease: 'All' or one disease of the table; dose_range: (low, high) in MIU per treatment day.
    """
    from .trials_explorer import TrialsExplorer  # loads the trial table only when asked for

    return _build(TrialsExplorer, "trials", dict(disease=disease, dose_range=dose_range, **kwargs))
