"""Retrieval practice: which earlier quiz questions `il2edu.review("03")` asks, from the learner's history.

The schedule (Leitner boxes, docs/PROGRESS.md "Retrieval practice"):
- every question the learner has answered sits in a box from 1 to 5: a wrong answer or a "Show answer"
  puts it in box 1, a right answer moves it up one box (a first answer that is right puts it in box 2);
- a review asks up to COUNT questions from lessons before this one: questions in lower boxes first, then
  those seen longest ago, then course order; questions the learner has never answered fill the rest, from
  the lesson just before first (so with no history at all a review asks the previous lesson's questions);
- quiz answers and review answers both move a question between boxes; nothing else does.
The same history always gives the same questions. Pure functions: no widgets, no files (the widget reads the
store and the banks and passes them in).
"""

from __future__ import annotations

import re

COUNT = 3  # questions per review (fewer only when the earlier lessons hold fewer)
TOP_BOX = 5
ANSWER_KINDS = ("quiz", "review")  # rows that answer a question (a review reveal has an empty answer)
REVEAL_KINDS = ("reveal",)


def lesson_number(value) -> str | None:
    """'03' from '03', 3, '3' or '03-signalling'; None when it names no lesson number."""
    match = re.fullmatch(r"\s*(\d{1,2})(?:-[a-z0-9-]*)?\s*", str(value))
    return f"{int(match.group(1)):02d}" if match else None


def boxes(rows: list[dict]) -> dict[str, dict]:
    """question id -> {"box", "last" (index of its latest row), "right" (right answers in a row)} from
    progress rows, oldest first."""
    out: dict[str, dict] = {}
    for n, row in enumerate(rows):
        kind = row.get("kind")
        if kind not in ANSWER_KINDS + REVEAL_KINDS:
            continue
        item = out.setdefault(row["item_id"], {"box": 1, "last": n, "right": 0, "seen": False})
        revealed = kind in REVEAL_KINDS or (kind == "review" and not str(row.get("answer") or ""))
        if revealed or not row.get("correct"):
            item["box"], item["right"] = 1, 0
        else:
            item["box"], item["right"] = min(item["box"] + 1, TOP_BOX), item["right"] + 1
        item["last"], item["seen"] = n, True
    return out


def choose(lesson: str, questions: list[tuple[str, dict]], rows: list[dict], count: int = COUNT) -> list[dict]:
    """The questions a review at the top of `lesson` ('03') asks: dicts with lesson, question, box (None if
    never answered) and reason (the line the learner reads above it).

    `questions` is (lesson id, question) for the whole course, in course order; only lessons numbered
    before `lesson` are drawn from."""
    earlier = [(n, lid, q) for n, (lid, q) in enumerate(questions) if lid[:2] < lesson]
    history = boxes(rows)
    seen = [t for t in earlier if t[2]["id"] in history]
    seen.sort(key=lambda t: (history[t[2]["id"]]["box"], history[t[2]["id"]]["last"], t[0]))
    fresh = sorted((t for t in earlier if t[2]["id"] not in history), key=lambda t: (-int(t[1][:2]), t[0]))
    picked = []
    for n, lid, q in (seen + fresh)[:count]:
        item = history.get(q["id"])
        picked.append({"lesson": lid, "question": q, "box": item["box"] if item else None,
                       "reason": reason(lid, item)})
    return picked


def reason(lesson_id: str, item: dict | None) -> str:
    where = f"From lesson {lesson_id[:2]}"
    if item is None:
        return f"{where}: not answered yet."
    if item["box"] == 1:
        return f"{where}: last time this one was missed or its answer shown, so it comes back first (box 1 of {TOP_BOX})."
    times = "once" if item["right"] == 1 else f"{item['right']} times"
    return f"{where}: right {times} in a row so far (box {item['box']} of {TOP_BOX})."
