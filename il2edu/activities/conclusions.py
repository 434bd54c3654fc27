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


# -- lessons 00-01 (lessons-a) ----------------------------------------------------------------------------------

def _pct(fraction: float) -> str:
    return f"{100 * fraction:.0f}%"


def tregs_respond_while_others_do_not(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text) on the binding explorer: an IL-2 level at which the Treg response is at
    least treg_min of its maximum while the `other` cell type stays below other_max, with the measured CD25
    count per Treg (the task is about the cells as they are, not an engineered Treg)."""
    from ..models import binding

    state = explorer.state()
    c_pM, cd25 = float(state["concentration_pM"]), float(state["treg_cd25"])
    answer = f"{c_pM:g} pM"
    measured = binding.cell("treg")
    if round(cd25) != round(measured.cd25):
        return "incorrect", (f"Not quite: set CD25 per Treg back to {measured.cd25:,.0f}, the measured count; the "
                             "task asks about Tregs as they are."), answer
    params, other = binding.BindingParams.load(), entry["other"]
    treg = float(binding.relative_response(c_pM, measured, params))
    rest = float(binding.relative_response(c_pM, binding.cell(other), params))
    label, treg_min, other_max = binding.cell(other).label, float(entry["treg_min"]), float(entry["other_max"])
    if treg < treg_min:
        return "incorrect", (f"Not quite: move the IL-2 slider up. At {c_pM:g} pM the Tregs give only {_pct(treg)} "
                             f"of their maximal response (the task asks for {_pct(treg_min)})."), answer
    if rest >= other_max:
        return "incorrect", (f"Not quite: move the IL-2 slider down. At {c_pM:g} pM the {label} cells already give "
                             f"{_pct(rest)} (the task asks for under {_pct(other_max)}): the level has reached "
                             "their dimeric receptors."), answer
    return "correct", (f"Correct: at {c_pM:g} pM the Tregs give {_pct(treg)} of their maximal response and the "
                       f"{label} cells only {_pct(rest)}. Tregs carry the high-affinity αβγc receptor, so they "
                       "catch IL-2 at levels too low for cells that carry only βγc. In this model; real cells "
                       "vary."), answer


JUDGES["tregs_respond_while_others_do_not"] = tregs_respond_while_others_do_not
tregs_respond_while_others_do_not.settings = ("treg_min", "other", "other_max")
