"""Predictions and written answers: their data (seeds/activities/<lesson>.yaml), judges and validation.

A prediction (kind 'prediction') is a choice or a number the learner commits to before an explorer or a
computation; afterwards `il2edu.predict("id", reveal=True)` shows it beside the model's answer. A written
answer (kind 'written') is saved and, once it is more than a few words, revealed beside a model answer.
This module imports only stdlib and yaml at load time (the validator uses it); widgets are in prompt_widgets.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import content

KINDS = {"predictions": "prediction", "written": "written", "conclusions": "conclusion"}
FIELDS = {"predictions": {"id", "prompt", "type", "choices", "answer", "unit", "model_answer", "explanation",
                          "references"},
          "written": {"id", "prompt", "model_answer", "references"},
          "conclusions": {"id", "judge", "references"}}  # the task is the lesson's text; a judge adds its `settings`
MIN_WORDS = 8  # fewer words than this is not yet an answer worth comparing with the model's
CALL = re.compile(r"\bil2edu\.(predict|write)\(\s*[\"']([^\"']+)[\"']")
RECALL = re.compile(r"\brecall\s*=\s*[\"']([^\"']+)[\"']")
REVIEW_CALL = re.compile(r"\bil2edu\.review\(\s*[\"']([^\"']*)[\"']")


def _files(root: Path):
    folder = Path(root) / "activities"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def all_prompts(root=None) -> dict:
    """id -> (lesson, kind, entry) for every prediction and written answer of the course."""
    root = content._root(root)
    found = {}
    for path in _files(root):
        data = content.cached_mapping(path)
        for section, kind in KINDS.items():
            for entry in (data.get(section) or []) if isinstance(data, dict) else []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    found.setdefault(entry["id"], (path.stem, kind, entry))
    return found


def find(item_id: str, kind: str, root=None) -> tuple[str, dict]:
    hit = all_prompts(root).get(item_id)
    if hit is None or hit[1] != kind:
        raise content.ContentError("seeds/activities", f"no {kind} with this id", entry=item_id)
    return hit[0], hit[2]


# -- judging (pure) -------------------------------------------------------------------------------------------

def judge_prediction(entry: dict, raw) -> tuple[str, str, str]:
    """(status, message, saved text) for a prediction; status 'saved' or 'invalid' (nothing saved)."""
    if entry.get("type") == "number":
        from .quiz.answers import AnswerError, format_number, parse_number

        try:
            value = parse_number(raw, entry.get("unit"))
        except AnswerError as err:
            return "invalid", str(err), ""
        text = format_number(value) + (f" {entry['unit']}" if entry.get("unit") else "")
    else:
        if raw is None or str(raw) not in [str(c) for c in entry.get("choices") or []]:
            return "invalid", "Pick one of the choices first, then save your prediction.", ""
        text = str(raw)
    return "saved", f"Saved: you predict {text}. Now try it below, then compare.", text


def prediction_matches(entry: dict, text) -> bool:
    """Whether a saved prediction is the model's answer (a choice prediction's `answer`); False when the
    entry names none (a number prediction is compared by the learner, not scored)."""
    answer = entry.get("answer")
    return answer is not None and " ".join(str(text or "").split()) == " ".join(str(answer).split())


def judge_written(entry: dict, text) -> tuple[str, str]:
    """(status, message) for a written answer: 'saved' once it has MIN_WORDS words, else 'invalid'."""
    words = len(str(text or "").split())
    if words == 0:
        return "invalid", "Write your answer in the box first; it is saved when you press Save."
    if words < MIN_WORDS:
        return "invalid", (f"Write a little more (at least {MIN_WORDS} words, you have {words}) to save it and "
                           "see a model answer.")
    return "saved", "Saved. Compare your answer with the model answer below: what did you include, what did you miss?"


def compare_text(entry: dict, predicted: str | None) -> str:
    mine = f"You predicted: {predicted}." if predicted else "You did not save a prediction."
    return f"{mine} The model: {entry['model_answer']}."


# -- validation ------------------------------------------------------------------------------------------------

def entry_problems(section: str, entry: dict, refs: dict) -> list[str]:
    from .quiz.bank import ID_PATTERN, reference_problems

    out = []
    if not isinstance(entry.get("id"), str) or not ID_PATTERN.match(entry["id"]):
        out.append("'id' should look like '07-predict-selectivity' (lesson number, then lowercase words)")
    allowed = FIELDS[section]
    if section == "conclusions":  # a judge may name settings of its own (its `settings` attribute)
        from .conclusions import JUDGES

        allowed = allowed | set(getattr(JUDGES.get(entry.get("judge")), "settings", ()))
    unknown = sorted(set(entry) - allowed, key=str)
    if unknown:
        out.append(f"unknown field(s): {', '.join(map(str, unknown))}")
    for field in ("prompt", "model_answer") if section != "conclusions" else ():
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            out.append(f"'{field}' should be non-empty text")
    keys = entry.get("references")
    out += reference_problems(keys, refs)
    if section == "conclusions":
        from .conclusions import JUDGES

        if entry.get("judge") not in JUDGES:
            out.append(f"'judge' should be one of {', '.join(JUDGES)}")
    if section == "predictions":
        kind = entry.get("type")
        if kind not in ("choice", "number"):
            out.append(f"'type' should be choice or number, not {kind!r}")
        choices = entry.get("choices")
        if kind == "choice" and (not isinstance(choices, list) or len(choices) < 2):
            out.append("a choice prediction needs at least two 'choices'")
        elif kind == "choice" and str(entry.get("answer")) not in [str(c) for c in choices]:
            out.append("'answer' should be the choice the model gives, one of the 'choices'")
        if not isinstance(entry.get("explanation"), str) or not entry["explanation"].strip():
            out.append("'explanation' should say why the model answers as it does")
    return out


def check_activities(root: Path):
    """Validator: each seeds/activities file, ids unique across the course, and every predict/write call."""
    from . import seedfiles
    from .exercises import all_exercises
    from .quiz.bank import all_questions
    from ..validate import Problem, load_mapping

    root = Path(root)
    problems = []
    refs = load_mapping(root, "references.yaml", []) or {}
    taken = set(all_questions(root)) | set(all_exercises(root))
    seen: dict[str, str] = {}
    for _path, shown, data in seedfiles.lesson_files(root, "activities", problems, Problem):
        for section in KINDS:
            entries = data.get(section) or []
            if not isinstance(entries, list):
                problems.append(Problem(shown, None, f"'{section}' should be a list"))
                continue
            for n, entry in enumerate(entries):
                if not isinstance(entry, dict):
                    problems.append(Problem(shown, f"#{n + 1}", "each entry should be a mapping"))
                    continue
                name = entry.get("id") or f"#{n + 1}"
                problems += [Problem(shown, name, m) for m in entry_problems(section, entry, refs)]
                if isinstance(entry.get("id"), str):
                    if entry["id"] in seen or entry["id"] in taken:
                        problems.append(Problem(shown, entry["id"], "id is already used by another activity"))
                    seen.setdefault(entry["id"], KINDS[section])
    for name, source in seedfiles.code_cells(root):
        for call, item in CALL.findall(source):
            kind = "prediction" if call == "predict" else "written"
            if seen.get(item) != kind:
                problems.append(Problem(f"notebooks/{name}", item, f"il2edu.{call} names no {kind} in seeds/activities/"))
        for item in RECALL.findall(source):
            if seen.get(item) != "written":
                problems.append(Problem(f"notebooks/{name}", item, "recall= names no written answer in seeds/activities/"))
        for lesson in REVIEW_CALL.findall(source):  # a warm-up reviews the lessons before its own notebook's
            if lesson != name[:2]:
                problems.append(Problem(f"notebooks/{name}", lesson, f"il2edu.review should name this lesson, \"{name[:2]}\""))
    return problems
