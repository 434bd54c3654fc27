"""`il2edu report`: how the questions performed, from a class's progress exports (and optionally its gradebook).

Writes report.html (figures embedded, readable offline) and CSV tables: questions.csv, choices.csv,
exercises.csv, objectives.csv, predictions.csv. Answers are re-judged against the question banks in seeds/
wherever the export's text allows; a `correct` column from a learner's file is trusted only for exercise
functions and predictions, which cannot be re-judged from text (the report says so).
"""

from __future__ import annotations

import ast
import csv
import re
from collections import Counter
from pathlib import Path

from .. import content
from .exports import collect, write_csv

QUESTION_COLUMNS = ("lesson", "question", "type", "objective", "learners", "first_try_correct_rate",
                    "correct_before_reveal_rate", "discrimination", "reveal_rate", "top_distractor",
                    "top_distractor_share", "flagged", "why")
CHOICE_COLUMNS = ("question", "choice", "key", "first_tries", "share")
EXERCISE_COLUMNS = ("lesson", "exercise", "type", "objective", "learners", "checks", "checks_per_learner",
                    "solved_rate", "first_check_solved_rate", "learners_shown_a_hint", "hints_shown",
                    "solution_reveals", "graded_correct_rate", "judged")
OBJECTIVE_COLUMNS = ("lesson", "objective", "description", "items", "learners", "mastered", "mastery_share")
PREDICTION_COLUMNS = ("lesson", "prediction", "learners", "wrong_rate", "common_predictions")
ANSWER_KINDS = ("quiz", "reveal")
SOLUTION_KINDS = ("solution",)  # a worked-solution reveal of an exercise (docs/PROGRESS.md)


# -- the course's items ------------------------------------------------------------------------------------

def load_course(root) -> tuple[dict, dict, dict]:
    """(questions, exercises, objectives): id -> (lesson, item); (lesson, objective) -> description."""
    from ..activities.exercises import all_exercises
    from ..activities.quiz.bank import all_questions

    objectives = {}
    for path in sorted((root / "quizzes").glob("*.yaml")):
        data = content.read_yaml(path) or {}
        for key, text in ((data.get("objectives") or {}) if isinstance(data, dict) else {}).items():
            objectives[(path.stem, str(key))] = str(text)
    return all_questions(root), all_exercises(root), objectives


def judge(question: dict, text: str) -> bool | None:
    """Whether an exported answer is right by the bank; None if the text is not an answer to it."""
    from ..activities.quiz import answers

    kind = question.get("type")
    if kind == "multiple":
        given = [t for t in text.split(" | ") if t]
    elif kind == "ordering":
        given = text.split(" → ")
    else:
        given = text
    try:
        result = answers.grade(question, given)
    except Exception:  # a hostile answer must not stop the report
        return None
    return result.correct if result.counts else None


_NUMBER_REPR = re.compile(r"^(?:np\.\w+\()?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)?$")


def judge_exercise(ex: dict, row: dict) -> tuple[bool, bool]:
    """(correct, re-judged): numeric and text exercises from the exported value; functions and exercises
    with per-learner numbers (whose numbers the export does not say) as recorded."""
    from ..activities import exercises

    text = row["answer"].strip()
    try:
        if ex.get("type") == "numeric" and "params" not in ex:  # per-learner numbers: the export has no id
            match = _NUMBER_REPR.match(text)
            if not match:
                return False, True
            return exercises._grade_number(ex, float(match.group(1)))[0] == exercises.CORRECT, True
        if ex.get("type") == "text" and text[:1] in ("'", '"') and len(text) < 500:
            return exercises._grade_text(ex, ast.literal_eval(text))[0] == exercises.CORRECT, True
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, OverflowError):
        return False, True
    return bool(row["correct"]), False


# -- per learner, per item ----------------------------------------------------------------------------------

def question_record(question: dict, rows: list[dict]) -> dict | None:
    """What one learner did with one question (rows oldest first), or None if they never touched it."""
    first_text, first_try, eventual, revealed, tried = None, False, False, False, False
    for row in rows:
        if row["kind"] == "reveal":
            revealed = True
            continue
        verdict = judge(question, row["answer"])
        if verdict is None:
            continue  # not an answer to this question: the widget never records one
        if not tried and not revealed:
            first_text, first_try = row["answer"], verdict
        tried = True
        eventual = eventual or (verdict and not revealed)
    if not tried and not revealed:
        return None
    return {"first": first_text, "first_try": first_try, "eventual": eventual, "revealed": revealed}


def choice_counts(question: dict, firsts: list[str]) -> list[dict]:
    """How often each choice (or, for typed answers, each common answer) was the first try."""
    from ..activities.quiz import answers

    n = len(firsts)
    kind = question.get("type")
    rows = []
    if kind in ("single", "multiple"):
        counts = Counter()
        for text in firsts:
            counts.update(set(text.split(" | ")) if kind == "multiple" else [text])
        for c in question["choices"]:
            rows.append({"choice": str(c["text"]), "key": bool(c.get("correct")), "first_tries": counts[str(c["text"])]})
    elif kind == "truefalse":
        counts = Counter(judge({"type": "truefalse", "answer": True}, t) for t in firsts)
        for value in (True, False):
            rows.append({"choice": "true" if value else "false", "key": value == bool(question["answer"]),
                         "first_tries": counts[value]})
    else:  # numeric, ordering: the right answer, then the commonest wrong ones
        right = sum(1 for t in firsts if judge(question, t))
        rows.append({"choice": answers.format_answer(question), "key": True, "first_tries": right})
        wrong = Counter(" ".join(t.split()) for t in firsts if not judge(question, t))
        for text, count in wrong.most_common(3):
            rows.append({"choice": text, "key": False, "first_tries": count})
    for r in rows:
        r["share"] = r["first_tries"] / n if n else None
    return rows


# -- the whole analysis --------------------------------------------------------------------------------------

def read_gradebook(path: Path) -> tuple[dict, list[str]]:
    """student -> {exercise id: status} from `il2edu grade`'s CSV; and problems, one line each."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"student", "item", "kind", "status"} <= set(reader.fieldnames):
                return {}, [f"{path}: not a gradebook from `il2edu grade` (needs student, item, kind, status); ignored"]
            book: dict[str, dict] = {}
            for row in reader:
                student = str(row.get("student") or "")
                entry = book.setdefault(student, {})
                if row.get("kind") == "exercise":
                    entry[str(row.get("item") or "")] = str(row.get("status") or "")
            return book, []
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        return {}, [f"{path}: cannot be read ({getattr(err, 'strerror', None) or err}); ignored"]


def analyse(paths, gradebook=None, root=None) -> dict:
    import numpy as np  # here, not at the top: the command line loads every subcommand's module

    from . import itemstats

    root = content._root(root)
    learners, messages = collect(paths)
    questions, exercises, objectives = load_course(root)
    book, problems = read_gradebook(Path(gradebook)) if gradebook else ({}, [])
    messages += problems
    if book:
        names = {lr.name for lr in learners}
        messages += [f"{s}: in the gradebook but no progress export was found" for s in sorted(set(book) - names)]
        messages += [f"{n}: has a progress export but no row in the gradebook" for n in sorted(names - set(book))]

    by_item: list[dict] = []  # per learner: item id -> rows
    unknown = Counter()
    predictions: dict[str, dict] = {}
    for lr in learners:
        items: dict[str, list] = {}
        for row in lr.rows:
            kind, item = row["kind"], row["item_id"]
            if kind in ANSWER_KINDS and item not in questions and item not in exercises:
                unknown[item] += 1
            elif kind == "prediction":
                predictions.setdefault(item, {"lesson": row["lesson"], "firsts": {}})["firsts"].setdefault(lr.name, row)
            items.setdefault(item, []).append(row)
        by_item.append(items)
    messages += [f"{n} row(s) for '{item}', which is no question or exercise in seeds/; ignored"
                 for item, n in sorted(unknown.items())]

    # Questions: one record per learner who touched each.
    qids = [q for q in questions if any(q in items for items in by_item)]
    records = {q: [question_record(questions[q][1], [r for r in items.get(q, []) if r["kind"] in ANSWER_KINDS])
                   for items in by_item] for q in qids}
    answered = np.array([[rec is not None and rec["first"] is not None for rec in records[q]] for q in qids],
                        dtype=bool).T.reshape(len(learners), len(qids))
    scores = np.array([[bool(rec and rec["first_try"]) for rec in records[q]] for q in qids],
                      dtype=float).T.reshape(len(learners), len(qids))
    disc = itemstats.discrimination(scores, answered)

    question_rows, choice_rows = [], []
    for j, qid in enumerate(qids):
        lesson, q = questions[qid]
        touched = [r for r in records[qid] if r is not None]
        firsts = [r["first"] for r in touched if r["first"] is not None]
        choices = choice_counts(q, firsts)
        choice_rows += [{"question": qid, **c} for c in choices]
        keys = [c for c in choices if c["key"]]
        wrong = sorted((c for c in choices if not c["key"]), key=lambda c: -c["first_tries"])
        key_share = min((c["share"] for c in keys), default=None) if firsts else None
        top = (wrong[0]["choice"], wrong[0]["share"]) if wrong and wrong[0]["first_tries"] else None
        first_rate = itemstats.rate(sum(r["first_try"] for r in touched if r["first"] is not None), len(firsts))
        why = itemstats.flags(first_rate, len(firsts), disc[j], key_share, top,
                              "; ".join(c["choice"] for c in keys))
        question_rows.append({
            "lesson": lesson, "question": qid, "type": q.get("type"), "objective": q.get("objective", ""),
            "learners": len(touched), "first_try_correct_rate": first_rate,
            "correct_before_reveal_rate": itemstats.rate(sum(r["eventual"] for r in touched), len(touched)),
            "discrimination": disc[j], "reveal_rate": itemstats.rate(sum(r["revealed"] for r in touched), len(touched)),
            "top_distractor": top[0] if top else "", "top_distractor_share": top[1] if top else None,
            "flagged": bool(why), "why": "; ".join(why), "first_tries": len(firsts),
        })

    exercise_rows = []
    for eid, (lesson, ex) in exercises.items():
        per = [items.get(eid, []) for items in by_item]
        if not any(per):
            continue
        checks = [[judge_exercise(ex, r) for r in rows if r["kind"] == "exercise"] for rows in per]
        doers = [c for c in checks if c]
        graded = [st.get(eid) for st in book.values() if st.get(eid)]
        exercise_rows.append({
            "lesson": lesson, "exercise": eid, "type": ex.get("type"), "objective": ex.get("objective", ""),
            "learners": len(doers), "checks": sum(map(len, doers)),
            "checks_per_learner": sum(map(len, doers)) / len(doers) if doers else None,
            "solved_rate": itemstats.rate(sum(any(ok for ok, _ in c) for c in doers), len(doers)),
            "first_check_solved_rate": itemstats.rate(sum(c[0][0] for c in doers), len(doers)),
            "learners_shown_a_hint": sum(any(not ok for ok, _ in c) for c in doers),
            "hints_shown": sum(1 for c in doers for ok, _ in c if not ok),
            "solution_reveals": sum(any(r["kind"] in SOLUTION_KINDS for r in rows) for rows in per),
            "graded_correct_rate": itemstats.rate(graded.count("correct"), len(graded)) if graded else None,
            "judged": "re-judged" if all(rj for c in doers for _, rj in c) else "as recorded (a function, or per-learner numbers)",
        })

    objective_rows = []
    lessons_seen = {row["lesson"] for row in question_rows + exercise_rows}
    for (lesson, obj), text in objectives.items():
        if lesson not in lessons_seen:
            continue
        q_items = [q for q, (ls, item) in questions.items() if ls == lesson and item.get("objective") == obj]
        e_items = [e for e, (ls, item) in exercises.items() if ls == lesson and item.get("objective") == obj
                   and item.get("type") != "manual"]
        total = len(q_items) + len(e_items)
        shown, learners_in = 0, 0
        for i, items in enumerate(by_item):
            results = []
            for q in q_items:
                rec = records.get(q, [None] * len(by_item))[i]
                results.append(bool(rec and rec["first_try"]))
            for e in e_items:
                rows = [r for r in items.get(e, []) if r["kind"] == "exercise"]
                results.append(bool(rows) and judge_exercise(exercises[e][1], rows[0])[0])
            if any(q in items for q in q_items + e_items):
                learners_in += 1
                shown += itemstats.mastered(results, total)
        objective_rows.append({"lesson": lesson, "objective": obj, "description": text, "items": total,
                               "learners": learners_in, "mastered": shown,
                               "mastery_share": itemstats.rate(shown, learners_in)})

    prediction_rows = []
    from ..activities import prompts

    known = prompts.all_prompts(root)
    for pid, entry in predictions.items():
        firsts = list(entry["firsts"].values())
        common = Counter(" ".join(r["answer"].split()) for r in firsts).most_common(3)
        seed = known.get(pid)
        if seed is not None and seed[2].get("answer") is not None:  # judged again against the seeds' answer
            wrong = sum(not prompts.prediction_matches(seed[2], r["answer"]) for r in firsts)
        else:
            wrong = sum(not r["correct"] for r in firsts)
        prediction_rows.append({"lesson": entry["lesson"], "prediction": pid, "learners": len(firsts),
                                "wrong_rate": itemstats.rate(wrong, len(firsts)),
                                "common_predictions": "; ".join(f"{t} ({n})" for t, n in common)})
    prediction_rows.sort(key=lambda r: -(r["wrong_rate"] or 0))
    return {"learners": learners, "messages": messages, "questions": question_rows, "choices": choice_rows,
            "exercises": exercise_rows, "objectives": objective_rows, "predictions": prediction_rows,
            "gradebook": bool(book)}


def write(result: dict, out) -> list[Path]:
    from .report_html import render

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in (("questions", QUESTION_COLUMNS), ("choices", CHOICE_COLUMNS),
                          ("exercises", EXERCISE_COLUMNS), ("objectives", OBJECTIVE_COLUMNS),
                          ("predictions", PREDICTION_COLUMNS)):
        write_csv(out / f"{name}.csv", columns, result[name])
        written.append(out / f"{name}.csv")
    (out / "report.html").write_text(render(result), encoding="utf-8")
    return [out / "report.html"] + written


# -- command line ----------------------------------------------------------------------------------------------

def add_arguments(parser):
    parser.add_argument("exports", nargs="+", metavar="EXPORT",
                        help="progress exports (.csv/.json), or one folder per student holding them")
    parser.add_argument("--gradebook", metavar="GRADES.csv", help="the CSV `il2edu grade` wrote, for graded exercises")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for report.html and the CSV tables")


def run(args) -> int:
    result = analyse(args.exports, args.gradebook)
    for message in result["messages"]:
        print(message)
    if not result["learners"]:
        print("il2edu report: no progress export could be read; nothing written.")
        return 1
    files = write(result, args.out)
    flagged = [r for r in result["questions"] if r["flagged"]]
    print(f"{len(result['learners'])} learner(s), {len(result['questions'])} question(s), "
          f"{len(flagged)} flagged: {', '.join(r['question'] for r in flagged) or 'none'}.")
    print("Wrote " + ", ".join(str(f) for f in files) + ".")
    return 0
