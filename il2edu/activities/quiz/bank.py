"""Quiz banks (seeds/quizzes/<lesson-id>.yaml): loading and validation. No widgets here.

check_banks(root) is registered in il2edu.validate.EXTRA_CHECKERS; it imports only stdlib and yaml.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ... import content

TYPES = ("single", "multiple", "numeric", "truefalse", "ordering")
DIFFICULTIES = ("easy", "medium", "hard")
ID_PATTERN = re.compile(r"^[0-9]{2}-[a-z0-9][a-z0-9-]*$")
KNOWN_FIELDS = {
    "id", "type", "objective", "difficulty", "inline", "prompt", "choices", "explanation", "references",
    "answer", "unit", "tolerance", "items",
}
# il2edu.quiz("00-start-here") / il2edu.question("00-x") / il2edu.check("02-y", ...) in a notebook's code
QUIZ_CALL = re.compile(r"\bquiz\(\s*[\"']([^\"']+)[\"']")
QUESTION_CALL = re.compile(r"\bquestion\(\s*[\"']([^\"']+)[\"']")


def member(value, container) -> bool:
    """`value in container` that is False (not a TypeError) for an unhashable value from a broken file."""
    try:
        return value in container
    except TypeError:
        return False


def reference_problems(keys, refs) -> list[str]:
    """What is wrong with an entry's `references` (every activity kind cites the same way)."""
    if not isinstance(keys, list) or not keys:
        return ["'references' should be a non-empty list of keys from seeds/references.yaml"]
    return [f"unknown reference key '{k}' (not in seeds/references.yaml)" for k in keys if not member(k, refs)]


def bank_path(lesson_id: str, root=None) -> Path:
    return content._root(root) / "quizzes" / f"{lesson_id}.yaml"


def _display(root: Path, path: Path) -> str:
    try:
        return str(Path("seeds") / Path(path).relative_to(root))
    except ValueError:
        return str(path)


def bank_problems(path: Path, data, refs: dict, root: Path) -> list[tuple]:
    """(entry, message) pairs for one parsed bank; an empty list means the bank is usable."""
    problems = []
    if not isinstance(data, dict):
        return [(None, "should be a mapping with lesson, objectives and questions")]
    lesson = data.get("lesson")
    if lesson != path.stem:
        problems.append((None, f"'lesson' should be '{path.stem}' (the file's name), not {lesson!r}"))
    objectives = data.get("objectives")
    if not isinstance(objectives, dict) or not objectives:
        problems.append((None, "'objectives' should map short ids to the lesson's learning objectives"))
        objectives = {}
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append((None, "'questions' should be a non-empty list"))
        return problems
    for n, q in enumerate(questions):
        if not isinstance(q, dict):
            problems.append((f"#{n + 1}", "each question should be a mapping with id, type, prompt..."))
            continue
        problems += [(q.get("id") or f"#{n + 1}", msg) for msg in question_problems(q, objectives, refs)]
    return problems


def question_problems(q: dict, objectives: dict, refs: dict) -> list[str]:
    out = []
    qid, kind = q.get("id"), q.get("type")
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        out.append("'id' should look like '02-trimer-affinity' (lesson number, then lowercase words)")
    unknown = sorted(set(q) - KNOWN_FIELDS, key=str)
    if unknown:
        out.append(f"unknown field(s): {', '.join(map(str, unknown))}")
    if kind not in TYPES:
        out.append(f"'type' should be one of {', '.join(TYPES)}, not {kind!r}")
    if not str(q.get("prompt") or "").strip():
        out.append("'prompt' is missing")
    if not str(q.get("explanation") or "").strip():
        out.append("'explanation' is missing")
    if not member(q.get("objective"), objectives):
        out.append(f"'objective' {q.get('objective')!r} is not one of the bank's objectives")
    if q.get("difficulty") is not None and q.get("difficulty") not in DIFFICULTIES:
        out.append(f"'difficulty' should be one of {', '.join(DIFFICULTIES)}")
    if "inline" in q and not isinstance(q["inline"], bool):
        out.append("'inline' should be true or false")
    keys = q.get("references")
    out += reference_problems(keys, refs)
    if kind in ("single", "multiple"):
        out += _choice_problems(q, kind)
    elif kind == "numeric":
        out += _numeric_problems(q)
    elif kind == "truefalse":
        if not isinstance(q.get("answer"), bool):
            out.append("'answer' should be true or false")
    elif kind == "ordering":
        items = q.get("items")
        if not isinstance(items, list) or len(items) < 2:
            out.append("'items' should list at least two items, in the correct order")
        elif len({str(i) for i in items}) != len(items):
            out.append("'items' should not repeat an item")
    return out


def _choice_problems(q: dict, kind: str) -> list[str]:
    choices = q.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        return ["'choices' should list at least two choices"]
    out = []
    if any(not isinstance(c, dict) or not str(c.get("text") or "").strip() for c in choices):
        return ["every choice needs a 'text'"]
    texts = [str(c["text"]) for c in choices]
    if len(set(texts)) != len(texts):
        out.append("two choices have the same text")
    if any("$" in t for t in texts):
        out.append("keep LaTeX ($...$) out of choices; widget labels do not typeset it (use Unicode)")
    bad = [c for c in choices if not isinstance(c.get("correct", False), bool)]
    if bad:
        out.append("'correct' should be true or false")
    right = sum(1 for c in choices if c.get("correct") is True)
    if kind == "single" and right != 1:
        out.append(f"a single-choice question needs exactly one choice marked correct (found {right})")
    if kind == "multiple" and right < 1:
        out.append("no choice is marked correct")
    extra = {k for c in choices for k in c} - {"text", "correct", "feedback"}
    if extra:
        out.append(f"unknown choice field(s): {', '.join(sorted(map(str, extra)))}")
    return out


def _numeric_problems(q: dict) -> list[str]:
    out = []
    answer = q.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        out.append("'answer' should be a number")
    elif not finite_number(answer):
        out.append("'answer' should be a finite number (not .inf or .nan)")
    tol = q.get("tolerance")
    if tol is not None:
        out += tolerance_problems(tol, answer)
    if q.get("unit") is not None and not isinstance(q.get("unit"), str):
        out.append("'unit' should be text, e.g. µg")
    return out


def finite_number(value) -> bool:
    """A real, finite number (YAML's .inf and .nan are floats too, and no answer can match them)."""
    import math

    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def tolerance_problems(tol, answer) -> list[str]:
    """Shared with exercises: {relative: r} or {absolute: a}, strictly positive."""
    if not isinstance(tol, dict) or len(tol) != 1 or next(iter(tol)) not in ("relative", "absolute"):
        return ["'tolerance' should be {relative: 0.05} or {absolute: 0.5}"]
    (kind, value), = tol.items()
    if not finite_number(value) or not value > 0:
        return [f"'tolerance' {kind} should be a number > 0, not {value!r}"]
    if kind == "relative" and isinstance(answer, (int, float)) and answer == 0:
        return ["a relative tolerance cannot work with an answer of 0; use {absolute: ...}"]
    return []


def lesson_ids(root: Path) -> list[str] | None:
    try:
        data = content.read_yaml(root / "lessons.yaml")
    except content.ContentError:
        return None  # check_lessons elsewhere reports it
    if not isinstance(data, list):
        return None
    return [str(entry.get("id")) for entry in data if isinstance(entry, dict)]


def _load_bank_file(path: Path):
    return content.cached_mapping(path)


def load_bank(lesson_id: str, root=None) -> dict:
    """One lesson's bank, checked; raises ContentError (one line) if it is missing or broken."""
    root = content._root(root)
    path = bank_path(lesson_id, root)
    if not path.is_file():
        raise content.ContentError(_display(root, path), f"no quiz bank for lesson '{lesson_id}'")
    data = _load_bank_file(path)
    problems = bank_problems(path, data, content.references(root), root)
    if problems:
        entry, message = problems[0]
        raise content.ContentError(_display(root, path), message, entry=entry)
    return data


def all_questions(root=None, pattern="*.yaml") -> dict:
    """question id -> (lesson id, question) across every bank (or the banks whose file names match pattern)."""
    root = content._root(root)
    found = {}
    for path in sorted((root / "quizzes").glob(pattern)):
        try:
            data = _load_bank_file(path)
        except (content.ContentError, OSError):
            continue
        for q in (data or {}).get("questions") or [] if isinstance(data, dict) else []:
            if isinstance(q, dict) and isinstance(q.get("id"), str):
                found.setdefault(q["id"], (path.stem, q))
    return found


def find_question(question_id: str, root=None) -> tuple[str, dict]:
    """(lesson id, question) for one id; the bank it is in must validate."""
    root = content._root(root)
    # Ids start with their lesson's number ("01-..." in 01-meet-il2.yaml): parse that bank first, the rest
    # only if the id is not there (a learner's first question then waits for one file, not all of them).
    hit = all_questions(root, question_id.split("-", 1)[0] + "-*.yaml").get(question_id)
    hit = hit or all_questions(root).get(question_id)
    if hit is None:
        raise content.ContentError("seeds/quizzes", "no question with this id in any quiz bank", entry=question_id)
    lesson, _ = hit
    bank = load_bank(lesson, root)
    return lesson, next(q for q in bank["questions"] if q["id"] == question_id)


def notebook_calls(nb_path: Path) -> tuple[set, set]:
    """(lesson ids passed to quiz(), question ids passed to question()) in one notebook's code cells."""
    data = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    quizzes, questions = set(), set()
    for cell in data.get("cells", []):
        if cell.get("cell_type") == "code":
            source = "".join(cell.get("source", []))
            quizzes.update(QUIZ_CALL.findall(source))
            questions.update(QUESTION_CALL.findall(source))
    return quizzes, questions


def check_banks(root: Path):
    """Validator: every bank's schema, unique ids across banks, banks <-> lessons <-> notebooks."""
    from ...validate import Problem, load_mapping  # validate imports this module lazily; import it back the same way

    root = Path(root)
    problems = []
    refs = load_mapping(root, "references.yaml", []) or {}  # its own problems are check_references's to report
    lessons = lesson_ids(root)
    seen: dict[str, str] = {}
    inline: dict[str, bool] = {}
    banks = sorted((root / "quizzes").glob("*.yaml")) if (root / "quizzes").is_dir() else []
    for path in banks:
        shown = _display(root, path)
        try:
            data = _load_bank_file(path)
        except content.ContentError as err:
            problems.append(Problem(shown, err.entry, err.message))
            continue
        problems += [Problem(shown, entry, msg) for entry, msg in bank_problems(path, data, refs, root)]
        if lessons is not None and path.stem not in lessons:
            problems.append(Problem(shown, None, f"no lesson '{path.stem}' in seeds/lessons.yaml"))
        for q in (data.get("questions") or []) if isinstance(data, dict) else []:
            qid = q.get("id") if isinstance(q, dict) else None
            if isinstance(qid, str):
                if qid in seen:
                    problems.append(Problem(shown, qid, f"question id is also used in {seen[qid]}"))
                else:
                    seen[qid] = shown
                    inline[qid] = bool(q.get("inline"))
    notebooks = root.parent / "notebooks"
    if notebooks.is_dir():
        have = {p.stem for p in banks}
        shown_inline: set = set()
        for nb in sorted(notebooks.glob("*.ipynb")):
            try:
                quizzes, questions = notebook_calls(nb)
            except (OSError, ValueError):
                continue  # check_notebooks reports unreadable notebooks
            for lesson in sorted(quizzes - have):
                problems.append(Problem(f"notebooks/{nb.name}", lesson, "shows a quiz, but there is no bank seeds/quizzes/"
                                        f"{lesson}.yaml"))
            for qid in sorted(questions - set(seen)):
                problems.append(Problem(f"notebooks/{nb.name}", qid, "shows a question that is in no quiz bank"))
            for qid in sorted(q for q in questions if q in inline and not inline[q]):
                problems.append(Problem(f"notebooks/{nb.name}", qid, "shows this question inline, but its bank does "
                                        "not mark it `inline: true`, so the lesson quiz shows it again"))
            shown_inline |= questions
        for qid in sorted(q for q, flag in inline.items() if flag and q not in shown_inline):
            problems.append(Problem(seen[qid], qid, "is marked `inline: true` but no notebook shows it with "
                                    "il2edu.question(...), so learners never see it"))
    return problems
