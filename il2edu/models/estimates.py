"""Back-of-the-envelope estimates that exercises ask for, as pure functions.

An exercise with `params:` in seeds/exercises names one of these as its `model:`; it computes the expected
value from a learner's own numbers (il2edu.activities.numbers), at a check and again at grading.
"""

from __future__ import annotations

from ._checks import number

SECONDS_PER_HOUR = 3600.0
BASAL_RATE_PER_S = 7.5  # IL-2 molecules per second from one stimulated mouse T cell [tkach2014]
HIGH_DOSE_IU_PER_KG = 600_000.0  # one high-dose aldesleukin infusion [proleukin_label]
HIGH_DOSE_INFUSIONS_PER_DAY = 3  # every 8 hours [proleukin_label]
LOW_DOSE_MIU_PER_M2 = 1.0  # the chronic GVHD trials' daily dose [koreth2016]


def molecules_released(rate_per_second, hours):
    """IL-2 molecules one cell releases at a steady rate over some hours."""
    rate = number("rate_per_second", rate_per_second, low=0, unit="molecules/s")
    return rate * number("hours", hours, low=0, unit="h") * SECONDS_PER_HOUR


def molecules_in_an_hour(fold):
    """Molecules released in one hour by a cell at `fold` times the basal rate (up to 30-fold [tkach2014])."""
    return molecules_released(BASAL_RATE_PER_S * number("fold", fold, low=0), 1.0)


def high_vs_low_fold(weight_kg, bsa_m2):
    """How many times more IL-2 one high-dose day gives than one low-dose day, for one patient."""
    weight = number("weight_kg", weight_kg, low=0, low_inclusive=False, unit="kg")
    bsa = number("bsa_m2", bsa_m2, low=0, low_inclusive=False, unit="m²")
    high_miu = HIGH_DOSE_IU_PER_KG * weight * HIGH_DOSE_INFUSIONS_PER_DAY / 1e6
    return high_miu / (LOW_DOSE_MIU_PER_M2 * bsa)
