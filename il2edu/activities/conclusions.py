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


# -- lessons-e (08, 09): the binding and trials explorers ------------------------------------------------

def highest_concentration_keeping_cell_below(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer): the highest slider concentration at which `cell` still responds below
    `max_response` of its maximum, with the Treg CD25 count the task names. Recomputed with the binding model."""
    from ..models import binding

    state = explorer.state()
    if not _same(state["treg_cd25"], entry["treg_cd25"]):
        return "incorrect", (f"Not quite: set CD25 per Treg back to the measured {entry['treg_cd25']:,} first; the "
                             f"explorer now has {float(state['treg_cd25']):,.0f}."), ""
    params, cell, limit = binding.BindingParams.load(), binding.cell(entry["cell"]), float(entry["max_response"])
    treg = binding.cell("treg", cd25=float(entry["treg_cd25"]))

    def level(c):
        return float(binding.relative_response(c, cell, params))

    c = float(state["concentration_pM"])
    answer = f"{c:g} pM"
    name = cell.label
    if level(c) >= limit:
        return "incorrect", (f"Not quite: move the IL-2 down. At {c:g} pM {name} cells already respond "
                             f"{100 * level(c):.0f}% of their maximum (the task allows under {100 * limit:.0f}%)."), answer
    higher = [float(v) for _, v in explorer.controls["concentration_pM"].options if float(v) > c]
    if higher and level(min(higher)) < limit:
        return "incorrect", (f"Not quite: {name} cells are still below {100 * limit:.0f}% one stop higher, at "
                             f"{min(higher):g} pM. Move the IL-2 up."), answer
    t = float(binding.relative_response(c, treg, params))
    return "correct", (f"Correct: at {c:g} pM {name} cells respond {100 * level(c):.0f}% of their maximum while Tregs "
                       f"respond {100 * t:.0f}% of theirs. Below that level CD25 lets Tregs catch IL-2 that the "
                       f"dimeric receptor alone cannot hold; in this model, at equilibrium."), answer


def dose_band_filter(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer): the trials explorer filtered to exactly the arms below `below_miu` MIU/day,
    for the disease the task names; says which end of the range to move."""
    from .. import trials

    state = explorer.state()
    if str(state["disease"]) != str(entry["disease"]):
        return "incorrect", f"Not quite: set the disease menu to {entry['disease']} for this task.", ""
    lo, hi = (float(v) for v in state["dose_range"])
    answer = f"{lo:g}-{hi:g} MIU/day"
    rows = [r for r in trials.load() if r.get("dose_miu_per_day") is not None]
    disease = None if entry["disease"] == "All" else entry["disease"]
    want = {r["id"] for r in trials.select(rows, disease=disease) if r["dose_miu_per_day"] < float(entry["below_miu"])}
    have = {r["id"] for r in trials.select(rows, disease=disease, dose_range=(lo, hi))}
    labels = {r["id"]: f"{r['label']} ({r['dose_miu_per_day']:g} MIU/day)" for r in rows}
    extra, missing = sorted(have - want, key=lambda i: labels[i]), sorted(want - have, key=lambda i: labels[i])
    if extra:
        return "incorrect", ("Not quite: move the upper end down; the table still shows " +
                             ", ".join(labels[i] for i in extra) + "."), answer
    if missing:
        end = "lower end down" if any(r["dose_miu_per_day"] < lo for r in rows if r["id"] in missing) else "upper end up"
        return "incorrect", (f"Not quite: move the {end}; the table leaves out " +
                             ", ".join(labels[i] for i in missing) + "."), answer
    chosen = [r for r in rows if r["id"] in want]
    judged = [r for r in chosen if r.get("primary_endpoint_met") in ("yes", "no")]
    met = sum(r["primary_endpoint_met"] == "yes" for r in judged)
    endpoints = ", ".join(f"{r['label']}: {'met' if r['primary_endpoint_met'] == 'yes' else 'missed'}" for r in judged)
    return "correct", (f"Correct: {len(chosen)} arms were given under {float(entry['below_miu']):g} MIU a day. The table "
                       f"records a primary-endpoint result for only {len(judged)} of them ({endpoints}); {met} of "
                       f"{len(judged)} met it. Most low-dose evidence comes from small trials, many without a "
                       "control group."), answer


highest_concentration_keeping_cell_below.settings = ("cell", "max_response", "treg_cd25")
dose_band_filter.settings = ("disease", "below_miu")
JUDGES.update(highest_concentration_keeping_cell_below=highest_concentration_keeping_cell_below,
              dose_band_filter=dose_band_filter)
