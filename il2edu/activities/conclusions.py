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


def _off_schedule(entry: dict, state: dict) -> str:
    """The message for an explorer that left the task's schedule (route, interval, ...), or ''."""
    want = entry["schedule"]
    have = {k: state.get(k) for k in want}
    if all(_same(have[k], v) for k, v in want.items()):
        return ""
    wanted = ", ".join(f"{k} {v}" for k, v in want.items())
    return (f"Not quite: keep the task's schedule ({wanted}); the explorer now has "
            + ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in have.items()) + ".")


def highest_dose_keeping_selectivity(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the highest slider dose whose selectivity index (mean Treg response
    over the larger of the NK and CD8 ones) is still at least selectivity_min, on the task's schedule.
    Judged on mean responses, not hours above an EC50: at measured low-dose levels no line is crossed."""
    state = explorer.state()
    if off := _off_schedule(entry, state):
        return "incorrect", off, ""
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
highest_dose_keeping_selectivity.settings = ("schedule", "selectivity_min")


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


# --- binding explorer (lessons 00 and 02): a concentration that reaches one cell type but not another --------------------------

def concentration_in_window(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the binding explorer's IL-2 concentration gives the `high` cell at least
    its share of maximal response while the `low` cell stays below its share, with the measured receptor
    numbers (CD25 per Treg at the task's value). Judged from the response model, not read off the plot."""
    from ..models import binding

    state = explorer.state()
    if not _same(state["treg_cd25"], entry["treg_cd25"]):
        return "incorrect", (f"Not quite: set CD25 per Treg back to {entry['treg_cd25']:,} (the measured mean) "
                             f"first; the explorer now has {float(state['treg_cd25']):,.0f}."), ""
    high, low = entry["high"], entry["low"]
    params = binding.BindingParams.load()
    cells = {n: binding.cell(n, cd25=float(state["treg_cd25"])) if n == "treg" else binding.cell(n)
             for n in (high["cell"], low["cell"])}

    def response(name, c):
        return float(binding.relative_response(float(c), cells[name], params))

    c = float(state["concentration_pM"])
    answer = f"{c:.3g} pM"
    r_high, r_low = response(high["cell"], c), response(low["cell"], c)
    h_name, l_name = cells[high["cell"]].label, cells[low["cell"]].label
    if r_high < high["at_least"]:
        return "incorrect", (f"Not quite: move the IL-2 up. At {c:.3g} pM the {h_name}s give {100 * r_high:.0f}% of "
                             f"their maximal response; the task asks for at least {100 * high['at_least']:.0f}%."), answer
    if r_low >= low["below"]:
        return "incorrect", (f"Not quite: move the IL-2 down. At {c:.3g} pM the {l_name} cells already give "
                             f"{100 * r_low:.0f}% of theirs; the task asks for less than {100 * low['below']:.0f}%: "
                             "the level has reached the dimeric receptor."), answer
    inside = _window_stops(explorer, high, low, float(state["treg_cd25"]))
    return "correct", (f"Correct: at {c:.3g} pM the {h_name}s give {100 * r_high:.0f}% of their maximal response and "
                       f"the {l_name} cells {100 * r_low:.0f}%. On the slider only {min(inside):.3g} to "
                       f"{max(inside):.3g} pM do this: in responses the window is a few-fold wide, much narrower "
                       "than the 100-fold gap between the two Kd values, because an NK cell carries over ten times "
                       "as many βγc receptors as a Treg. In this model; real cells vary."), answer


JUDGES["concentration_in_window"] = concentration_in_window
concentration_in_window.settings = ("treg_cd25", "high", "low")


def _window_stops(explorer, high, low, treg_cd25) -> list:
    """The binding explorer's concentration stops at which `high` reaches its share and `low` stays below its
    own, with CD25 per Treg at treg_cd25 (the other receptor numbers as measured)."""
    from ..models import binding

    params = binding.BindingParams.load()
    cells = {n: binding.cell(n, cd25=treg_cd25) if n == "treg" else binding.cell(n) for n in (high["cell"], low["cell"])}

    def response(name, c):
        return float(binding.relative_response(c, cells[name], params))

    stops = [float(v) for _, v in explorer.controls["concentration_pM"].options]
    return [c for c in stops if response(high["cell"], c) >= high["at_least"] and response(low["cell"], c) < low["below"]]


def lowest_cd25_keeping_window(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the binding explorer at the lowest CD25 per Treg (a slider stop) at which
    some concentration still reaches the `high` cell and not the `low` one, and at such a concentration."""
    from ..models import binding

    state = explorer.state()
    high, low = entry["high"], entry["low"]
    cd25, c = float(state["treg_cd25"]), float(state["concentration_pM"])
    answer = f"{cd25:,.0f} CD25 per Treg at {c:.3g} pM"
    open_at = {float(v): _window_stops(explorer, high, low, float(v)) for _, v in explorer.controls["treg_cd25"].options}
    lowest = min(v for v, w in open_at.items() if w)
    here = open_at.get(cd25) or _window_stops(explorer, high, low, cd25)
    if not here:
        return "incorrect", (f"Not quite: at {cd25:,.0f} CD25 per Treg no IL-2 level on the slider gives the Tregs "
                             f"{100 * high['at_least']:.0f}% of their response while NK cells stay below "
                             f"{100 * low['below']:.0f}%: the window has closed. Move CD25 up."), answer
    if cd25 > lowest:
        return "incorrect", (f"Not quite: at {cd25:,.0f} CD25 per Treg the window is still open ({min(here):.3g} to "
                             f"{max(here):.3g} pM). Try less CD25."), answer
    if c not in here:
        way = "up" if c < min(here) else "down"
        return "incorrect", (f"Not quite: {cd25:,.0f} CD25 per Treg is right, but at {c:.3g} pM the cells are outside "
                             f"the window ({min(here):.3g} to {max(here):.3g} pM). Move the IL-2 {way}."), answer
    measured = binding.cell("treg").cd25
    below = max(v for v in open_at if v < lowest)
    return "correct", (f"Correct: {cd25:,.0f} CD25 per Treg, {100 * cd25 / measured:.0f}% of the measured "
                       f"{measured:,.0f}, is the lowest stop that still leaves a window, only {min(here):.3g} to "
                       f"{max(here):.3g} pM wide (at {measured:,.0f}: {min(open_at[measured]):.3g} to "
                       f"{max(open_at[measured]):.3g} pM). At {below:,.0f} no concentration works. The head start "
                       "Tregs have over NK cells comes from CD25, and it is gone well before a Treg is down to a "
                       "conventional T cell's CD25. In this model; real cells vary."), answer


JUDGES["lowest_cd25_keeping_window"] = lowest_cd25_keeping_window
lowest_cd25_keeping_window.settings = ("high", "low")


# --- lessons 04 and 05 (population explorer): how far IL-2 production must fall --------------------------

_CONDITIONS = {  # condition key: (what the run gives, test, words)
    "tregs_below": ("tregs", lambda have, limit: have < limit, "Tregs below {:.0%} of healthy"),
    "effectors_at_least": ("effectors", lambda have, limit: have >= limit, "effectors at least {:g} times healthy"),
    "il2_at_most": ("il2", lambda have, limit: have <= limit, "IL-2 at most {:.0%} of healthy"),
}


def _end_of_run(production: float, params) -> dict:
    from ..models import population

    run = population.simulate(production=production, n_points=241, params=params)
    return run.at(run.t_days[-1])


def _meets(end: dict, conditions: dict) -> bool:
    return all(_CONDITIONS[key][1](end[_CONDITIONS[key][0]], float(limit)) for key, limit in conditions.items())


def highest_production_meeting(entry: dict, explorer) -> tuple[str, str, str]:
    """(status, message, answer text): the highest IL-2 production stop (no IL-2 given) whose end-of-run
    levels meet every condition of the task (`conditions:` in seeds/activities, keys of _CONDITIONS)."""
    state = explorer.state()
    conditions = dict(entry["conditions"])
    unknown = set(conditions) - set(_CONDITIONS)
    if unknown:
        raise KeyError(sorted(unknown)[0])
    task = " and ".join(_CONDITIONS[k][2].format(float(v)) for k, v in conditions.items())
    if state.get("treat"):
        return "incorrect", ("Not quite: untick \"Give IL-2\" first; this task is about a production defect "
                             "alone, with no IL-2 given."), ""
    production = float(state["production"])
    answer = f"production {production:.2f}"
    params = getattr(explorer, "params", None)
    end = _end_of_run(production, params)
    # three digits, so a level just above a limit (0.705 against 0.7) does not read as equal to it
    levels = (f"Tregs {end['tregs']:.3g}x, effectors {end['effectors']:.3g}x, IL-2 {end['il2']:.3g}x healthy "
              f"by day {end['day']:.0f}")
    if not _meets(end, conditions):
        return "incorrect", (f"Not quite: move IL-2 production down. At {production:.2f} the run ends with "
                             f"{levels}; the task asks for {task}."), answer
    higher = [float(v) for _, v in explorer.controls["production"].options if float(v) > production]
    if higher:
        above = min(higher)
        if _meets(_end_of_run(above, params), conditions):
            return "incorrect", (f"Not quite: {production:.2f} meets the task, but so does {above:.2f}; find the "
                                 "highest production that still does. Move IL-2 production up."), answer
    return "correct", (f"Correct: {production:.2f} is the highest production that gives {task} ({levels}); one "
                       f"step higher does not. In the model IL-2 production has to fall to about "
                       f"{production:.0%} of healthy for this, and the Treg:effector ratio is then "
                       f"{end['tregs'] / end['effectors']:.2f}. In this teaching model; real animals and patients "
                       "differ."), answer


JUDGES["highest_production_meeting"] = highest_production_meeting
highest_production_meeting.settings = ("conditions",)


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
    if off := _off_schedule(entry, state):
        return "incorrect", off, ""
    cell, unit = entry["cell"], entry["schedule"].get("dose_unit", "")
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
highest_dose_below_ec50.settings = ("schedule", "cell", "reference_dose")


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
