"""Conclusions checked from an explorer's state: ``il2edu.check("07-window-dose", explorer)``.

The task lives in seeds/activities/<lesson>.yaml (`conclusions:`), naming its judge here (the data layer
knows no checker). A judge reads the explorer's controls (`explorer.state()`) and recomputes with the pure
models, so the verdict says which way to move and why. Saved as progress kind 'conclusion' (0 of 0 points:
self-study feedback, not a grade).
"""

from __future__ import annotations


def _regimen_hours(state: dict, dose: float) -> dict:
    from ..models import pk, response

    regimen = pk.Regimen(dose=float(dose), route=state["route"], dose_unit=state["dose_unit"],
                         interval_h=float(state["interval_h"]), n_doses=int(state["n_doses"]))
    return response.regimen_response(regimen, body_weight_kg=float(state["body_weight_kg"]),
                                     body_surface_m2=float(state["body_surface_m2"])).time_above_ec50_h


def _miu(dose_iu: float) -> str:
    return f"{dose_iu / 1e6:g} MIU"


def lowest_dose_in_window(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the lowest slider dose with >= treg_hours_min above the Treg EC50
    and no time above the NK EC50, on the task's schedule."""
    state = explorer.state()
    want = entry["schedule"]
    have = {k: state.get(k) for k in want}
    if any(str(have[k]) != str(v) for k, v in want.items()):
        wanted = ", ".join(f"{k} {v}" for k, v in want.items())
        return "incorrect", f"Not quite: keep the task's schedule ({wanted}); the explorer now has " + \
            ", ".join(f"{k} {v}" for k, v in have.items()) + ".", ""
    dose, minimum = float(state["dose"]), float(entry["treg_hours_min"])
    answer = f"{_miu(dose)} per dose"
    hours = _regimen_hours(state, dose)
    if hours["nk"] > 0:
        return "incorrect", (f"Not quite: move the dose down. At {_miu(dose)} NK cells spend {hours['nk']:.0f} h above "
                             "their EC50: IL-2 has reached the dimeric receptor, so the window is lost."), answer
    if hours["treg"] < minimum:
        return "incorrect", (f"Not quite: move the dose up. At {_miu(dose)} Tregs spend only {hours['treg']:.0f} h above "
                             f"their EC50 (the task asks for {minimum:g} h): too little IL-2 even for the trimer."), answer
    lower = [v for _, v in explorer.controls["dose"].options if float(v) < dose]
    if lower:
        below = max(lower)
        less = _regimen_hours(state, below)
        if less["treg"] >= minimum and less["nk"] == 0:
            return "incorrect", (f"Not quite: inside the window, but not the lowest; at {_miu(below)} Tregs still spend "
                                 f"{less['treg']:.0f} h above their EC50. Move the dose down."), answer
    return "correct", (f"Correct: at {_miu(dose)} a day Tregs spend {hours['treg']:.0f} h above their EC50 and NK "
                       "cells none; one step lower, the Tregs get too little. In this model the window starts "
                       "here; real patients vary."), answer


JUDGES = {"lowest_dose_in_window": lowest_dose_in_window}


def check(lesson: str, entry: dict, explorer):
    """The CheckResult of a conclusion; one line for anything that is not an explorer with the controls."""
    from . import save
    from .exercises import CORRECT, ERROR, CheckResult

    if not hasattr(explorer, "state") or not hasattr(explorer, "controls"):
        return CheckResult(entry["id"], ERROR, "This conclusion is checked from an explorer: pass the explorer "
                                               "itself, e.g. il2edu.check(\"" + entry["id"] + "\", explorer).")
    try:
        status, message, answer = JUDGES[entry["judge"]](entry, explorer)
    except (KeyError, TypeError, ValueError) as err:
        return CheckResult(entry["id"], ERROR, f"This conclusion cannot be checked with this explorer ({type(err).__name__}).")
    save(lesson, entry["id"], "conclusion", answer, status == CORRECT, 0.0, 0.0)
    return CheckResult(entry["id"], status, message)
