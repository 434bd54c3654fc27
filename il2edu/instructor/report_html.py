"""The item-analysis report as one HTML file: words first, tables, and matplotlib figures embedded as PNG."""

from __future__ import annotations

import base64
import html
import io

from . import itemstats


def _pct(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value, digits=2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _figure_png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _img(fig, alt: str) -> str:
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{_figure_png(fig)}"></figure>'


def difficulty_figure(questions: list[dict]) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.5, 4))
    ax = fig.add_subplot()
    points = [q for q in questions if q["discrimination"] is not None and q["first_try_correct_rate"] is not None]
    for flagged, style in ((False, dict(marker="o", color="#1f6f8b", label="no flag")),
                           (True, dict(marker="X", color="#b23a48", s=70, label="flagged"))):
        group = [q for q in points if q["flagged"] == flagged]
        if group:
            ax.scatter([q["first_try_correct_rate"] for q in group], [q["discrimination"] for q in group], **style)
    for q in points:
        if q["flagged"]:
            ax.annotate(q["question"], (q["first_try_correct_rate"], q["discrimination"]), fontsize=7,
                        xytext=(4, 4), textcoords="offset points")
    ax.axhline(0, color="0.4", lw=0.8)
    ax.axvspan(itemstats.EASY, 1.02, color="0.9", zorder=0)
    ax.axvspan(-0.02, itemstats.HARD, color="0.9", zorder=0)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("first-try correct rate")
    ax.set_ylabel("discrimination (point-biserial r)")
    ax.legend(loc="lower right", fontsize=8)
    alt = (f"Scatter of {len(points)} questions: first-try correct rate against discrimination; "
           f"{sum(q['flagged'] for q in points)} flagged.")
    return _img(fig, alt)


def mastery_figure(objectives: list[dict]) -> str:
    from matplotlib.figure import Figure

    shown = [o for o in objectives if o["mastery_share"] is not None]
    fig = Figure(figsize=(6.5, 0.35 * len(shown) + 1))
    ax = fig.add_subplot()
    labels = [f"{o['lesson']}: {o['objective']}" for o in shown]
    ax.barh(range(len(shown)), [o["mastery_share"] for o in shown], color="#1f6f8b")
    ax.set_yticks(range(len(shown)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of learners with at least {itemstats.MASTERY:.0%} of the objective's items right first time")
    return _img(fig, f"Bar chart: share of learners showing mastery, for {len(shown)} learning objectives.")


def _table(columns: list[tuple[str, str]], rows: list[dict], formats: dict) -> str:
    head = "".join(f"<th scope=\"col\">{html.escape(label)}</th>" for _, label in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            text = formats[key](value) if key in formats else ("" if value is None else str(value))
            cells.append(f"<td>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


STYLE = """body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}
th{background:#eef}li{margin:.3rem 0}img{max-width:100%}.flag{color:#8a1c2b}"""


def render(result: dict) -> str:
    questions, flagged = result["questions"], [q for q in result["questions"] if q["flagged"]]
    n = len(result["learners"])
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>il2edu item analysis</title>"
             f"<style>{STYLE}</style></head><body><h1>How the questions performed</h1>",
             f"<p>{n} learner(s), {len(questions)} question(s) answered, {len(result['exercises'])} exercise(s) "
             f"checked. Answers were re-judged against the question banks in seeds/, not taken from the "
             f"exports' <code>correct</code> column.</p>"]
    parts.append("<h2>Questions to look at</h2>")
    if flagged:
        parts.append("<ul>")
        for q in flagged:
            parts.append(f"<li class=\"flag\"><strong>{html.escape(q['question'])}</strong> "
                         f"({html.escape(q['lesson'])}): {html.escape(q['why'])}.</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>No question looks broken.</p>")
    few = [q["question"] for q in questions if q["first_tries"] < itemstats.MIN_LEARNERS]
    if few:
        parts.append(f"<p>Not judged (fewer than {itemstats.MIN_LEARNERS} first tries): "
                     f"{html.escape(', '.join(few))}.</p>")
    if any(q["discrimination"] is not None for q in questions):
        parts.append(difficulty_figure(questions))
    parts.append("<h2>Every question</h2>")
    parts.append(_table(
        [("question", "question"), ("type", "type"), ("objective", "objective"), ("learners", "learners"),
         ("first_try_correct_rate", "right first try"), ("correct_before_reveal_rate", "right before reveal"),
         ("discrimination", "discrimination"), ("reveal_rate", "revealed"),
         ("top_distractor", "commonest wrong answer"), ("top_distractor_share", "chosen by")],
        questions, {"first_try_correct_rate": _pct, "correct_before_reveal_rate": _pct, "discrimination": _num,
                    "reveal_rate": _pct, "top_distractor_share": _pct}))
    parts.append("<h2>Choices on the first try</h2>")
    for q in questions:
        rows = [c for c in result["choices"] if c["question"] == q["question"]]
        parts.append(f"<h3>{html.escape(q['question'])}</h3>")
        parts.append(_table([("choice", "choice"), ("key", "key"), ("first_tries", "first tries"), ("share", "share")],
                            rows, {"key": lambda v: "key" if v else "", "share": _pct}))
    parts.append("<h2>Exercises</h2>")
    if result["exercises"]:
        parts.append("<p>Every check that is not right shows the learner a hint, so hints shown = checks that were "
                     "not right. Numeric and text exercises were re-judged from the exported value; exercises "
                     "that take a function are as recorded in the learner's file.</p>")
        columns = [("exercise", "exercise"), ("learners", "learners"), ("checks", "checks"),
                   ("checks_per_learner", "checks per learner"), ("first_check_solved_rate", "right first check"),
                   ("solved_rate", "solved"), ("learners_shown_a_hint", "learners shown a hint"),
                   ("hints_shown", "hints shown"), ("solution_reveals", "solution revealed"), ("judged", "judged")]
        if result["gradebook"]:
            columns.insert(6, ("graded_correct_rate", "right in the graded notebook"))
        parts.append(_table(columns, result["exercises"],
                            {"checks_per_learner": lambda v: _num(v, 1), "first_check_solved_rate": _pct,
                             "solved_rate": _pct, "graded_correct_rate": _pct}))
    else:
        parts.append("<p>No exercise checks in these exports.</p>")
    parts.append("<h2>Learning objectives</h2>")
    parts.append(f"<p>A learner shows mastery of an objective when at least {itemstats.MASTERY:.0%} of its questions "
                 "and exercises were right on the first try; the share is of the learners who tried any of them.</p>")
    if result["objectives"]:
        parts.append(mastery_figure(result["objectives"]))
        parts.append(_table([("lesson", "lesson"), ("objective", "objective"), ("description", "objective in words"),
                             ("items", "items"), ("learners", "learners"), ("mastery_share", "showed mastery")],
                            result["objectives"], {"mastery_share": _pct}))
    parts.append("<h2>Predictions against outcomes</h2>")
    if result["predictions"]:
        parts.append("<p>The predictions learners got wrong most often come first: the misconceptions a lecture "
                     "could address. Whether a prediction matched the outcome is as recorded in the learner's "
                     "file.</p>")
        parts.append(_table([("prediction", "prediction"), ("lesson", "lesson"), ("learners", "learners"),
                             ("wrong_rate", "predicted wrongly"), ("common_predictions", "commonest predictions")],
                            result["predictions"], {"wrong_rate": _pct}))
    else:
        parts.append("<p>No predictions in these exports (rows of kind <code>prediction</code>; see "
                     "docs/PROGRESS.md).</p>")
    if result["messages"]:
        parts.append("<h2>Files and rows not used</h2><ul>")
        parts += [f"<li>{html.escape(m)}</li>" for m in result["messages"]]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
