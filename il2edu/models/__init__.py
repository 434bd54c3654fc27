"""The course's quantitative models: pure functions on numpy arrays, no widgets and no plotting.

- binding: IL-2 on the three receptor forms, signalling complexes per cell, a pSTAT5-like response,
  EC50 per blood cell type and the Treg selectivity window.
- pk: aldesleukin unit conversions and pharmacokinetics (IV infusion or bolus, subcutaneous, repeated doses).
- response: from a dosing regimen to each cell type's response over time, with summary figures.
- evidence: each measured data set in seeds/data/ against the models (`il2edu check-models`).
- population: a teaching ODE model of IL-2, regulatory T cells and effector T cells.
- estimates: the back-of-the-envelope numbers exercises ask for, from each learner's own numbers.

Every number comes from seeds/parameters.yaml (or seeds/regimens.yaml for presets), with its source.
Bad arguments raise ValueError naming the argument and its allowed range.
"""

from . import binding, estimates, evidence, pk, population, response  # noqa: F401
from .pk import Regimen  # noqa: F401
