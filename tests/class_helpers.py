"""A synthetic class for the item-analysis tests: learners with an ability each, answering the course's
real questions, written as real progress exports (half CSV, half JSON) in one folder per learner.

Planted properties (from a seeded RNG, so every run writes the same class):
- MISKEYED: the seeds copy marks a wrong choice as the key; learners still answer by the original key,
  so the ablest learners are judged "wrong" on it.
- EASY: nearly everyone knows the answer.
- every other question follows a logistic model in the learner's ability (a good question).
- FORGERS: some learners' files say correct = 1 on every row, whatever they answered.
- predictions: PREDICTION_WRONG of learners predict wrongly on one prediction id.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import yaml

from il2edu import progress
from il2edu.activities.quiz import answers

REPO = Path(__file__).resolve().parent.parent
LESSONS = ("02-receptor", "03-signalling")
MISKEYED = "02-trimer-affinity"
EASY = "02-naive-t"
GOOD = ("02-rates", "02-il15-share", "02-signalling-chains", "02-fold-gain")
PREDICTION = "02-predict-dimer"
PREDICTION_WRONG = 0.7
EXERCISE = "02-occupancy-treg"


def miskeyed_seeds(folder: Path) -> Path:
    """A copy of the course's seeds in which MISKEYED's key is a distractor (the bank still validates)."""
    seeds = folder / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    path = seeds / "quizzes" / "02-receptor.yaml"
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    q = next(q for q in bank["questions"] if q["id"] == MISKEYED)
    q["choices"][0].pop("correct")
    q["choices"][1]["correct"] = True
    path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return seeds


def _questions() -> list[tuple[str, dict]]:
    out = []
    for lesson in LESSONS:
        bank = yaml.safe_load((REPO / "seeds" / "quizzes" / f"{lesson}.yaml").read_text(encoding="utf-8"))
        out += [(lesson, q) for q in bank["questions"]]
    return out


def _right(q) -> object:
    kind = q["type"]
    if kind == "single":
        return next(i for i, c in enumerate(q["choices"]) if c.get("correct"))
    if kind == "multiple":
        return [i for i, c in enumerate(q["choices"]) if c.get("correct")]
    if kind == "truefalse":
        return bool(q["answer"])
    if kind == "numeric":
        return str(q["answer"])
    return list(range(len(q["items"])))


def _guess(q, rng: random.Random) -> object:
    kind = q["type"]
    if kind == "single":
        return rng.randrange(len(q["choices"]))
    if kind == "multiple":
        picked = [i for i in range(len(q["choices"])) if rng.random() < 0.5]
        return picked or [0]
    if kind == "truefalse":
        return rng.random() < 0.5
    if kind == "numeric":
        return str(float(q["answer"]) * rng.choice([10, 0.1, 2, 0.5]))
    order = list(range(len(q["items"])))
    rng.shuffle(order)
    return order


def write_class(folder: Path, n: int = 120, seed: int = 18) -> dict:
    """Write n learners' exports under folder/<learner>/; return what was planted, per learner."""
    rng = random.Random(seed)
    ability = np.random.default_rng(seed).normal(size=n)
    questions = _questions()
    forgers = set(range(0, n, 12))
    planted = {"first": {}, "forgers": forgers, "names": [], "solutions": 0, "predicted_wrong": 0}
    for i in range(n):
        name = f"learner{i:03d}"
        planted["names"].append(name)
        rows, minute = [], 0

        def add(lesson, item, kind, answer="", correct=False, points=0.0, max_points=1.0):
            nonlocal minute
            minute += 1
            rows.append({"time": f"2026-11-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00.000Z",
                         "lesson": lesson, "item_id": item, "kind": kind, "answer": answer,
                         "correct": bool(correct) or i in forgers, "points": points, "max_points": max_points})

        for lesson, q in questions:
            # each (learner, question) draws from its own stream, so a question added to a bank leaves the
            # planted answers to every other question unchanged
            qrng = random.Random(f"{seed}-{name}-{q['id']}")
            p = 0.99 if q["id"] == EASY else 1 / (1 + np.exp(-(1.8 * ability[i] + 0.4)))
            if qrng.random() < 0.08:
                continue  # skipped this question
            given = _right(q) if qrng.random() < p else _guess(q, qrng)
            text = answers.answer_text(q, given)
            planted["first"][(name, q["id"])] = text
            ok = answers.grade(q, given).correct
            add(lesson, q["id"], "quiz", text, ok)
            if not ok:
                if qrng.random() < 0.3:
                    add(lesson, q["id"], "reveal")
                else:
                    add(lesson, q["id"], "quiz", answers.answer_text(q, _right(q)), True)
        # One numeric exercise: right with the learner's ability, else 10 times off (a hint), then right.
        for attempt in range(3):
            right = rng.random() < 1 / (1 + np.exp(-(1.5 * ability[i] + attempt)))
            value = 0.75 if right else 7.5
            add("02-receptor", EXERCISE, "exercise", repr(np.float64(value)), right, 2.0 if right else 0.0, 2.0)
            if right:
                break
        else:
            add("02-receptor", EXERCISE, "solution")
            planted["solutions"] += 1
        # A prediction (issue-12's kind): wrong for about PREDICTION_WRONG of the class.
        wrong = rng.random() < PREDICTION_WRONG
        planted["predicted_wrong"] += wrong and i not in forgers  # no bank to re-judge: a forged row counts
        add("02-receptor", PREDICTION, "prediction", "CD25 alone signals" if wrong else "No signal without βγc",
            not wrong)
        learner_dir = folder / name
        learner_dir.mkdir(parents=True)
        # The course's own exporter writes the files, as `il2edu progress --export` does.
        progress.export(learner_dir / ("progress.json" if i % 2 else "my-progress.csv"), rows)
    return planted
