"""Conclusions checked from an explorer's state: ``il2edu.check("07-window-dose", explorer)``.

The task lives in seeds/activities/<lesson>.yaml (`conclusions:`), naming its judge here (the data layer
knows no checker). A judge reads the explorer's controls (`explorer.state()`) and recomputes with the pure
models, so the verdict says which way to move and why. Saved as progress kind 'conclusion' (0 of 0 points:
self-study feedback, not a grade).
"""

from __future__ import annotations


def _same(have, want) -> bool:
    """A control's value against the task's: numbers by value (a slider may hold 24.0 for 24)."""
    try:
        return float(have) == float(want)
    except (TypeError, ValueError):
        return str(have) == str(want)


def _miu(dose_iu: float) -> str:
    return f"{dose_iu / 1e6:g} MIU"


def _regimen(state: dict, dose: float):
    from ..models import pk, response

    regimen = pk.Regimen(dose=float(dose), route=state["route"], dose_unit=state["dose_unit"],
                         interval_h=float(state["interval_h"]), n_doses=int(state["n_doses"]))
    return response.regimen_response(regimen, body_weight_kg=float(state["body_weight_kg"]),
                                     body_surface_m2=float(state["body_surface_m2"]))


def highest_dose_keeping_selectivity(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the highest slider dose whose selectivity index (mean Treg response
    over the larger of the NK and CD8 ones) is still at least selectivity_min, on the task's schedule.
    Judged on mean responses, not hours above an EC50: at measured low-dose levels no line is crossed."""
    state = explorer.state()
    want = entry["schedule"]
    have = {k: state.get(k) for k in want}
    if any(not _same(have[k], v) for k, v in want.items()):
        wanted = ", ".join(f"{k} {v}" for k, v in want.items())
        return "incorrect", f"Not quite: keep the task's schedule ({wanted}); the explorer now has " + \
            ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in have.items()) + ".", ""
    dose, minimum = float(state["dose"]), float(entry["selectivity_min"])
    answer = f"{_miu(dose)} per dose"
    now = _regimen(state, dose)
    if now.selectivity_index < minimum:
        return "incorrect", (f"Not quite: move the dose down. At {_miu(dose)} the Tregs respond only "
                             f"{now.selectivity_index:.1f} times more than NK or CD8 cells (the task asks for "
                             f"{minimum:g}): the level has begun to reach the dimeric receptor."), answer
    higher = [float(v) for _, v in explorer.controls["dose"].options if float(v) > dose]
    if higher:
        above = min(higher)
        more = _regimen(state, above)
        if more.selectivity_index >= minimum:
            return "incorrect", (f"Not quite: inside the window, but not the highest dose; at {_miu(above)} the "
                                 f"Tregs still respond {more.selectivity_index:.1f} times more. Move the dose up."), answer
    return "correct", (f"Correct: at {_miu(dose)} a day the Tregs respond {now.selectivity_index:.1f} times more than "
                       f"NK or CD8 cells (mean Treg response {now.mean_response['treg']:.2f} of its maximum); one step "
                       "higher the lead falls below the task's limit. More IL-2 gives Tregs a stronger signal but "
                       "narrows their lead. In this model; real patients vary."), answer


JUDGES = {"highest_dose_keeping_selectivity": highest_dose_keeping_selectivity}


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


# --- lessons-d: lesson 06 ---------------------------------------------------------------------------------

def _hours_above(explorer, dose: float, cell: str) -> float:
    """Hours the explorer's regimen, at `dose`, keeps plasma IL-2 above `cell`'s EC50 (its infusion time kept)."""
    import dataclasses

    from ..models import response

    state = explorer.state()
    regimen = dataclasses.replace(explorer.regimen(), dose=float(dose))
    res = response.regimen_response(regimen, body_weight_kg=float(state["body_weight_kg"]),
                                    body_surface_m2=float(state["body_surface_m2"]))
    return float(res.time_above_ec50_h[cell])


def highest_dose_below_ec50(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the highest slider dose on the task's schedule at which plasma IL-2
    never reaches `cell`'s EC50; the verdict compares it with the regimen's real dose (`reference_dose`)."""
    from ..models import binding

    state = explorer.state()
    want = entry["schedule"]
    have = {k: state.get(k) for k in want}
    if any(not _same(have[k], v) for k, v in want.items()):
        wanted = ", ".join(f"{k} {v}" for k, v in want.items())
        return "incorrect", ("Not quite: keep the task's schedule (" + wanted + "); the explorer now has "
                             + ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                                         for k, v in have.items()) + "."), ""
    cell, unit = entry["cell"], want.get("dose_unit", "")
    label = binding.cell(cell).label
    dose = float(state["dose"])
    answer = f"{dose:g} {unit} per dose"
    hours = _hours_above(explorer, dose, cell)
    if hours > 0:
        return "incorrect", (f"Not quite: move the dose down. At {dose:g} {unit} the level stays above the "
                             f"{label} EC50 for {hours:.1f} hours of the cycle."), answer
    higher = sorted(float(v) for _, v in explorer.controls["dose"].options if float(v) > dose)
    if higher and _hours_above(explorer, higher[0], cell) == 0:
        return "incorrect", (f"Not quite: the {label} line is never reached, but a higher dose also stays below "
                             f"it ({higher[0]:g} {unit}). Move the dose up."), answer
    step = f"; one step up ({higher[0]:g} {unit}) it is crossed" if higher else ""
    fold = float(entry["reference_dose"]) / dose
    return "correct", (f"Correct: at {dose:g} {unit} the infusions never reach the {label} EC50{step}. The "
                       f"real regimen gives {float(entry['reference_dose']):g} {unit}, about {fold:.0f} times more, "
                       f"so every infusion fills the dimeric receptor of {label} cells as well as the Tregs' "
                       "trimer: at such doses there is no window. In this model; real patients vary."), answer


JUDGES["highest_dose_below_ec50"] = highest_dose_below_ec50
