"""`il2edu grade`: run submitted notebooks, one kernel each, and write a gradebook CSV and feedback files.

Layout: one folder per student (the folder's name is the student), holding the submitted notebook(s) and,
optionally, the progress export the learner made with `il2edu progress --export` (.csv or .json) for
the quiz attempts. Pass the student folders, or notebooks inside them.

For each notebook the grader copies the student's folder to a temporary folder, starts a kernel there
with a fresh, empty IL2EDU_HOME, runs every cell (limits per cell and per notebook), then reads the
exercise results that il2edu.check recorded in that IL2EDU_HOME. Nothing the notebook prints is parsed.
Exercise points come from the instructor's seeds/exercises/<lesson>.yaml, never from the submission.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..files import write_atomic
from . import assess, common, judge

COLUMNS = ("student", "lesson", "item", "kind", "points", "max_points", "status", "detail")
MAX_EXPORT = 20 << 20      # bytes: a progress export larger than this is not read
MAX_NOTEBOOK = 100 << 20   # bytes: a submitted notebook larger than this is not opened
EXPORT_COLUMNS = {"time", "lesson", "item_id", "kind", "answer", "correct", "points", "max_points"}


@dataclass
class Submission:
    student: str
    folder: Path
    notebook: Path | None


def collect(paths) -> list[Submission]:
    """Student folders and notebooks given on the command line, as (student, folder, notebook) triples."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            notebooks = sorted(p for p in path.glob("*.ipynb") if not p.name.startswith("."))
            student = student_name(path.resolve().name)
            found += [Submission(student, path, nb) for nb in notebooks] or [Submission(student, path, None)]
        else:
            found.append(Submission(student_name(path.resolve().parent.name), path.parent, path))
    return found


def layout_problem(subs: list[Submission], root=None) -> str | None:
    """One line if two notebooks of the same lesson share a folder (a flat download, not one folder per student)."""
    seen = {}
    for sub in subs:
        if sub.notebook is None:
            continue
        key = (Path(sub.folder).resolve(), common.lesson_for_notebook(sub.notebook, root) or sub.notebook.name)
        if key in seen and seen[key] != sub.notebook:
            return (f"{seen[key]} and {sub.notebook} are the same lesson in one folder; put each student's files "
                    f"in a folder named after the student (see docs/INSTRUCTORS.md, 'Collect')")
        seen[key] = sub.notebook
    return None


def _row(sub, lesson, item, kind, points, max_points, status, detail=""):
    return {"student": sub.student, "lesson": lesson or "", "item": student_name(str(item)), "kind": kind,
            "points": f"{points:g}", "max_points": f"{max_points:g}", "status": status,
            "detail": student_name(" ".join(str(detail).split()))}


# -- quiz attempts from a progress export handed in beside the notebook ----------------------------------------

def read_export(path: Path) -> list[dict] | None:
    """Rows of an `il2edu progress --export` file, or None if the file is not one."""
    try:
        if path.stat().st_size > MAX_EXPORT:  # read by the grader itself: a huge file is not an export
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return None
        rows = data.get("attempts") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            return None
    else:
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or not EXPORT_COLUMNS <= set(reader.fieldnames):
            return None
        rows = list(reader)
    out = []
    for r in rows:
        if not {"item_id", "kind", "correct"} <= set(r):
            return None
        correct = r["correct"]
        out.append({**r, "correct": correct is True or str(correct).strip().lower() in ("1", "true", "yes")})
    return out


def quiz_attempts(folder: Path) -> tuple[list[dict], list[str]]:
    """Quiz and reveal rows of every progress export in a student's folder, and the files they came from."""
    rows, files = [], []
    for path in sorted(folder.glob("*")):
        if path.suffix.lower() in (".csv", ".json") and path.is_file() and not path.is_symlink():
            found = read_export(path)
            if found is not None:
                files.append(path.name)
                rows += [r for r in found if r.get("kind") in ("quiz", "reveal")]
    rows.sort(key=lambda r: str(r.get("time", "")))
    return rows, files


def _recorded_answer(question: dict, text: str):
    """An answer as `il2edu progress --export` wrote it (answers.answer_text), back as a widget would give it."""
    kind = question.get("type")
    if kind == "multiple":
        return [part for part in text.split(" | ") if part]
    if kind == "ordering":
        return text.split(" → ")
    return text


def rejudged(question: dict | None, row: dict) -> bool:
    """Whether a recorded quiz answer is right by the bank: an export's `correct` column is never trusted."""
    from ..activities.quiz import answers

    if question is None:
        return False
    text = row.get("answer")
    if not isinstance(text, (str, int, float)) or isinstance(text, bool):
        text = "" if text is None else str(text)
    try:
        return answers.grade(question, _recorded_answer(question, str(text)[:500])).correct
    except Exception:  # a bank or answer odd enough to break a grader earns nothing
        return False


def quiz_status(attempts: list[dict], question: dict | None = None) -> str:
    """correct: answered right (judged again by the bank) before any reveal; revealed: the answer was shown
    first; else incorrect/not attempted."""
    for row in attempts:
        if row["kind"] == "reveal":
            return "revealed"
        if row["kind"] == "quiz" and rejudged(question, row):
            return "correct"
    return "incorrect" if attempts else "not attempted"


# -- exercise answers reported from the sandbox (capture.py), judged here (judge.py) -----------------------------

GRADED = "il2edu_grader_graded"  # marks, in the grader's copy, the one cell whose check counts


def find_graded_cells(nb, bank: dict, originals: dict) -> dict:
    """exercise id -> index of the cell whose check counts: the cell nbgrader metadata names, else a cell
    identical to the instructor's check cell, else the first cell that calls il2edu.check on the exercise."""
    found = {}
    for exercise in bank:
        code = [(i, c) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
        by_meta = [i for i, c in code if c.metadata.get(assess.ASSESSED) == exercise] or [
            i for i, c in code if c.metadata.get("nbgrader", {}).get("grade")
            and c.metadata["nbgrader"].get("grade_id") == exercise]
        by_source = [i for i, c in code if exercise in originals and c.source == originals[exercise]]
        by_call = [i for i, c in code if common.checked_exercise(c) == exercise]
        for candidates in (by_meta, by_source, by_call):
            if candidates:
                found[exercise] = candidates[0]
                break
    return found


def _graded_cell(nb, exercise_id):
    for i, cell in enumerate(nb.cells if nb is not None else []):
        if cell.get("metadata", {}).get(GRADED) == exercise_id:
            return i, cell
    return None, None


def instructor_checks(lesson: str, root: Path) -> dict:
    """exercise id -> the source of its check cell in the instructor's lesson, when the lesson is beside seeds/."""
    notebook = next((l.get("notebook") for l in common.lessons(root) if l.get("id") == lesson), None)
    path = Path(root).parent / "notebooks" / notebook if notebook else None
    if path is None or not path.is_file():
        return {}
    try:
        nb = common.read_notebook(path)
    except common.NotebookError:
        return {}
    return {ex: common.source(c) for c in nb["cells"] if (ex := common.checked_exercise(c))}


def prepare(nb, originals: dict, bank: dict) -> list[str]:
    """Before a run: mark each exercise's graded cell, put back the instructor's version of a check cell a
    student edited (returns those exercise ids), and put a grader cell before each graded cell, so that checks
    still arriving from an earlier, interrupted cell are not credited to it."""
    from .runner import sentinel_cell

    graded = {index: exercise for exercise, index in find_graded_cells(nb, bank, originals).items()}
    restored, cells = [], []
    for i, cell in enumerate(nb.cells):
        exercise = graded.get(i)
        if exercise is not None:
            if exercise in originals and cell.source != originals[exercise]:
                cell.source = originals[exercise]
                restored.append(exercise)
            cell.metadata[GRADED] = exercise
            cells.append(sentinel_cell())
        cells.append(cell)
    nb.cells = cells
    return restored


def exercise_rows(sub, lesson, bank, checks, result, restored=(), prepared=None) -> list[dict]:
    """prepared: the notebook as the grader prepared it (student's numbering), for when no executed
    notebook came back from the sandbox."""
    rows = []
    where = {ex: _graded_cell(result.notebook if result.notebook is not None else prepared, ex) for ex in bank}
    if result.notebook is None:  # nothing ran as far as the grader can tell
        where = {ex: (i, {**cell, "execution_count": None, "outputs": []}) if cell is not None else (None, None)
                 for ex, (i, cell) in where.items()}
    # in the order the notebook asks them; exercises whose check cell is missing last
    order = sorted(bank, key=lambda ex: (where[ex][0] is None, where[ex][0] or 0))
    for exercise_id in order:
        entry = bank[exercise_id]
        max_points = float(entry.get("points", 1))
        if entry.get("type") == "manual":
            rows.append(_row(sub, lesson, exercise_id, "exercise", 0, max_points, "to grade by hand",
                             "read the student's answer cell with the rubric; enter the points yourself"))
            continue
        index, cell = where[exercise_id]
        kind = "assessed" if entry.get("type") == "assessed" else "exercise"
        mine = [r for r in checks if r["item_id"] == exercise_id]
        counted = [r for r in mine if r["cell"] == index] if index is not None else []
        notes = []
        if exercise_id in restored:
            notes.append("the check cell had been edited; the original was run")
        if len(mine) > len(counted):
            notes.append(f"{len(mine) - len(counted)} check(s) made outside the exercise's check cell were ignored")
        status, points = None, 0
        if counted:  # the last answer the check cell reported, judged against the key
            status, shown = (assess.judge(entry["question"], counted[-1], sub.student) if kind == "assessed"
                             else judge.judge(entry, counted[-1], sub.student))
            if status == "correct":
                points = max_points
            elif status == "incorrect":
                notes.insert(0, f"answer: {shown}")
            else:  # still the stub: said below like a check that never reported
                status = None
        if status is None:
            status, why = _unanswered(cell, index, result)
            if why:
                notes.insert(0, why)
        rows.append(_row(sub, lesson, exercise_id, kind, points, max_points, status, "; ".join(notes)))
    return rows


def _unanswered(cell, index, result) -> tuple[str, str]:
    """(status, why) of an exercise whose check cell reported no answer."""
    if cell is None:
        return "missing", "the cell that checks this exercise is not in the notebook"
    if index in result.errors:
        return "error", f"cell {index}: {result.errors[index]}"
    if cell.get("execution_count") is None:
        return "not run", f"cell {index} did not run ({result.status})"
    return "not attempted", ""


# -- one submission ------------------------------------------------------------------------------------------

def _not_copied(folder, names):
    # Checkpoints are JupyterLab's, not the student's; a symbolic link could lead the notebook out of its copy.
    return [n for n in names if n == ".ipynb_checkpoints" or os.path.islink(os.path.join(folder, n))]


MAX_RESULT = 64 << 20  # bytes of result.json / executed notebook read back from a sandbox
RUN_STATUSES = {"completed", "errors", "cell timeout", "exited", "kernel died", "notebook timeout"}


def _read_result(out: Path, cut_short: str, last_line: str = ""):
    """The RunResult and captures a sandbox wrote into out/: untrusted data, checked for shape."""
    from .runner import RunResult

    def small(path):
        return path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_RESULT

    report = None
    if small(out / "result.json"):
        try:
            report = json.loads((out / "result.json").read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError, OSError):
            report = None
    if not isinstance(report, dict):
        partial = None
        if small(out / "partial.json"):  # written after each cell: the answers given before the end
            try:
                partial = json.loads((out / "partial.json").read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError, OSError):
                partial = None
        report = {"captures": partial.get("captures")} if isinstance(partial, dict) else {}
        why = cut_short or "the sandbox ended without a result (a memory, process or file-size limit, or a kill)"
        if last_line and not cut_short:
            why += f"; last line: {last_line}"
        status = "notebook timeout" if cut_short else "kernel died"
        return RunResult(status, why), _captures(report)
    status = report.get("status") if report.get("status") in RUN_STATUSES else "errors"
    if cut_short:
        status = "notebook timeout"
    result = RunResult(status, " ".join(str(report.get("detail", ""))[:2000].split()))
    if cut_short:
        result.detail = (cut_short + "; " + result.detail).strip("; ")

    def as_int(value):
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    errors = report.get("errors") if isinstance(report.get("errors"), dict) else {}
    result.errors = {int(k): str(v)[:80] for k, v in errors.items() if str(k).lstrip("-").isdigit()}
    result.stopped_at = as_int(report.get("stopped_at"))
    if small(out / "executed.ipynb"):
        import nbformat

        try:
            result.notebook = nbformat.read(str(out / "executed.ipynb"), as_version=4)
        except Exception:  # a student's process may have overwritten it: then there is no executed notebook
            result.notebook = None
    return result, _captures(report)


def _captures(report: dict) -> list[dict]:
    captures = report.get("captures") if isinstance(report.get("captures"), list) else []
    return [c for c in captures[:5000] if isinstance(c, dict) and isinstance(c.get("item_id"), str)
            and isinstance(c.get("cell"), int) and not isinstance(c.get("cell"), bool)]


def grade_one(sub: Submission, root: Path, cell_timeout: float, notebook_timeout: float,
              quiz_points: float, executed_dir: Path | None = None, sandboxed: bool = True,
              limits: dict | None = None, uid: int | None = None, assessed=None) -> list[dict]:
    """assessed: (lesson id, questions) of an instructor-private bank (assess.py), or None."""
    import nbformat

    from . import sandbox
    from .runner import RunResult

    if sub.notebook is None:
        return [_row(sub, None, "(no notebook)", "run", 0, 0, "missing", f"no .ipynb file in {sub.folder.name}/")]
    lesson = common.lesson_for_notebook(sub.notebook, root)
    # a function's hidden inputs are drawn afresh for each submission, so no notebook can hold their answers
    secret = secrets.token_hex(16)
    bank = {k: judge.with_hidden_cases(v, secret) for k, v in (common.exercises(lesson, root) if lesson else {}).items()}
    # Read what was handed in before any student code runs.
    attempts, export_files = quiz_attempts(sub.folder)
    originals = instructor_checks(lesson, root) if lesson else {}
    if assessed and lesson and assessed[0] == lesson:
        for n, q in enumerate(assessed[1], 1):
            bank[q["id"]] = {"type": "assessed", "question": q, "points": q.get("points", 1)}
            originals[q["id"]] = assess.report_source(q, n)
    restored: list[str] = []
    checks: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="il2edu-grade-"))
    try:
        box = work / "box"
        box.mkdir()
        copy = box / "submission"
        shutil.copytree(sub.folder, copy, symlinks=True, ignore=_not_copied)
        name = "submission.ipynb"
        nb = prepared = None
        if not sub.notebook.is_file() or sub.notebook.is_symlink():
            result = RunResult("missing", f"{sub.notebook.name} is not a regular file")
        elif sub.notebook.stat().st_size > MAX_NOTEBOOK:
            result = RunResult("invalid notebook", f"larger than {MAX_NOTEBOOK >> 20} MB, so not opened")
        else:
            try:
                nb = nbformat.read(str(sub.notebook), as_version=4)
            except Exception as exc:  # bad JSON, wrong shape, unreadable: nbformat raises several kinds
                result = RunResult("invalid notebook", f"not a readable Jupyter notebook ({type(exc).__name__})")
        if nb is not None:
            restored = prepare(nb, originals, bank)
            # the prepared notebook under a name of ours; the student's own file stays beside it, as handed in
            nbformat.write(nb, str(copy / name))
            seeds = work / "seeds"
            sandbox.strip_seeds(Path(root), seeds, {k: v.get("cases") for k, v in bank.items() if v.get("type") == "function"})
            job = {"notebook": name, "cell_timeout": cell_timeout, "notebook_timeout": notebook_timeout,
                   "limits": limits or {}}
            cut_short = sandbox.run(box, seeds, job, notebook_timeout + 60, uid=uid, sandboxed=sandboxed,
                                    student=sub.student)
            result, checks = _read_result(box / "out", cut_short, sandbox.last_line(box))
            # renumber as the student's notebook, without the grader's cells (our own numbering, not the sandbox's)
            from .runner import SENTINEL

            keep = [i for i, c in enumerate(nb.cells) if not c.metadata.get(SENTINEL)]
            result.index_map = {old: new for new, old in enumerate(keep)}
            for row in checks:
                row["cell"] = result.index_map.get(row["cell"])
            prepared = nbformat.from_dict({**nb, "cells": [nb.cells[i] for i in keep]})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [_row(sub, lesson, sub.notebook.name, "run", 0, 0, result.status, result.detail)]
    if lesson is None:
        rows[0]["detail"] = (rows[0]["detail"] + "; " if rows[0]["detail"] else "") + \
            "no lesson in seeds/lessons.yaml has this notebook name, so nothing could be scored"
    rows += exercise_rows(sub, lesson, bank, checks, result, restored, prepared)
    if executed_dir is not None and result.notebook is not None:
        for cell in result.notebook.cells:
            cell.metadata.pop(GRADED, None)
        target = Path(executed_dir) / file_names(sub.student)
        target.mkdir(parents=True, exist_ok=True)
        write_atomic(target / sub.notebook.name, nbformat.writes(result.notebook))
    if quiz_points > 0 and lesson:
        note = "" if export_files else "no progress export handed in"
        for question in common.quiz_questions(lesson, root):
            mine = [r for r in attempts if r.get("item_id") == question["id"]]
            status = quiz_status(mine, question)
            earned = quiz_points if status == "correct" else 0
            rows.append(_row(sub, lesson, question["id"], "quiz", earned, quiz_points, status,
                             note if status == "not attempted" else ""))
    return rows


# -- the batch --------------------------------------------------------------------------------------------------

def _total(rows) -> tuple[float, float]:
    scored = [r for r in rows if r["kind"] in ("exercise", "quiz", "assessed")]
    return sum(float(r["points"]) for r in scored), sum(float(r["max_points"]) for r in scored)


def _grader_error(sub: Submission, exc: BaseException) -> list[dict]:
    item = sub.notebook.name if sub.notebook else "(no notebook)"
    return [_row(sub, None, item, "run", 0, 0, "grader error", f"{type(exc).__name__}: {exc}")]


def _graded(subs: list[Submission], args: tuple, jobs: int, options: dict):
    """(index, rows) for each submission, in the order they finish. Each runs in its own sandbox; the threads
    here only wait for them, so nothing a submission does can stop one (it cannot see the grader's process)."""
    import queue
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from .sandbox import reserve_uids

    slots: queue.Queue = queue.Queue()
    as_root = os.geteuid() == 0 and options.get("sandboxed", True)
    # as root, one user id per slot, held against other graders on this machine for the whole batch
    uids, held = reserve_uids(max(1, jobs)) if as_root else ([None] * max(1, jobs), [])
    for uid in uids:
        slots.put(uid)

    def one(sub):
        uid = slots.get()
        try:
            return grade_one(sub, *args, uid=uid, **options)
        except Exception as exc:  # one broken submission never stops the batch
            return _grader_error(sub, exc)
        finally:
            slots.put(uid)

    try:
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(subs)))) as pool:
            futures = {pool.submit(one, sub): i for i, sub in enumerate(subs)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    yield i, future.result()
                except Exception as exc:
                    yield i, _grader_error(subs[i], exc)
    finally:
        for fh in held:
            fh.close()


def out_problem(out_csv, feedback_dir, executed_dir, subs: list[Submission]) -> str | None:
    """One line if the gradebook, feedback or executed folder would land inside a student's folder."""
    folders = {Path(s.folder).resolve() for s in subs}
    for label, target in (("--out", out_csv), ("--feedback", feedback_dir), ("--executed", executed_dir)):
        if target is None:
            continue
        where = Path(target).resolve()
        for folder in folders:
            if where == folder or folder in where.parents:
                return f"{label} {target} is inside the submission folder {folder}; write it somewhere else"
    return None


def grade(paths, out_csv, feedback_dir=None, root=None, cell_timeout=60.0, notebook_timeout=600.0,
          quiz_points=1.0, log=print, executed_dir=None, jobs=1, unsafe=False, limits=None,
          assess_bank=None) -> list[dict]:
    """Grade every submission into a gradebook. Raises ValueError (one line) for a layout problem, and
    sandbox.NoSandbox when no sandbox can be made and unsafe is not set; nothing has run then."""
    from .. import content
    from . import sandbox

    root = Path(root) if root is not None else content.seeds_dir()
    subs = collect(paths)
    problem = layout_problem(subs, root) or out_problem(out_csv, feedback_dir, executed_dir, subs)
    if problem:
        raise ValueError(problem)
    assessed = assess.load(assess_bank) if assess_bank is not None else None
    if not unsafe:
        sandbox.probe()
    graded: list[list[dict]] = [[] for _ in subs]
    args = (root, cell_timeout, notebook_timeout, quiz_points, executed_dir)
    options = {"sandboxed": not unsafe, "limits": limits, "assessed": assessed}
    for n, (i, mine) in enumerate(_graded(subs, args, jobs, options), 1):
        graded[i] = mine
        got, out_of = _total(mine)
        log(f"[{n}/{len(subs)}] {subs[i].student}/{mine[0]['item']}: {mine[0]['status']}, {got:g} of {out_of:g} points")
    rows = [row for mine in graded for row in mine]  # the gradebook keeps the submissions' order
    by_student: dict[str, list[dict]] = {}
    for row in rows:
        by_student.setdefault(row["student"], []).append(row)
    table = []
    for student, mine in by_student.items():
        got, out_of = _total(mine)
        table += mine + [{"student": student, "lesson": "", "item": "total", "kind": "total", "points": f"{got:g}",
                          "max_points": f"{out_of:g}", "status": "", "detail": ""}]
    out_csv = Path(out_csv)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in table)
    write_atomic(out_csv, buffer.getvalue())
    feedback_dir = Path(feedback_dir) if feedback_dir else out_csv.parent / "feedback"
    for student, mine in by_student.items():
        write_atomic(feedback_dir / f"{file_names(student)}.md", feedback(student, mine, root))
    return table


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice); numbers,
    including negative ones, stay numbers."""
    text = str(value)
    if text.startswith(FORMULA_START):
        try:
            float(text)
            return text
        except ValueError:
            return "'" + text
    return text


def student_name(folder_name: str) -> str:
    """A folder's name as text: bytes that are not UTF-8 are shown as \\xNN escapes, never dropped."""
    return os.fsencode(folder_name).decode("utf-8", "backslashreplace")


def file_names(student: str) -> str:
    """A file name for a student's feedback and executed notebook: readable, and different for every
    different student ("Zoë" and "Zoé", every CJK name), as a short hash of the full name is appended
    whenever the readable part is not the name itself."""
    readable = safe_name(student)
    if readable == student:
        return readable
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{readable}-{digest}"


def safe_name(student: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", student).strip("._") or "student"


RUN_WORDS = {
    "completed": "ran from top to bottom without errors.",
    "errors": "ran to the end, but some cells raised errors",
    "cell timeout": "ran to the end, but some cells ran past the time limit and were interrupted",
    "exited": "called sys.exit, which stops a cell; the cells after it still ran",
    "kernel died": "stopped early: the Python kernel exited or crashed",
    "notebook timeout": "was stopped because the whole notebook ran past its time limit",
    "invalid notebook": "could not be opened as a Jupyter notebook",
    "missing": "was not found",
    "grader error": "could not be graded because of a problem in the grader; your instructor will look at it",
}


def feedback(student: str, rows: list[dict], root: Path) -> str:
    """One student's feedback as Markdown: per notebook how it ran, then each item with points and a hint."""
    got, out_of = _total(rows)
    lines = [f"# Feedback for {student}", "", f"**Total: {got:g} of {out_of:g} points.**", ""]
    banks: dict[str, dict] = {}
    for row in rows:
        if row["kind"] == "run":
            words = RUN_WORDS.get(row["status"], row["status"])
            lines += [f"## {row['item']}", "", f"Your notebook {words}" + (f" ({row['detail']})." if row["detail"]
                                                                          else ("" if words.endswith(".") else ".")), "",
                      "| Item | Points | Result |", "|---|---|---|"]
            continue
        lesson = row["lesson"]
        if lesson and lesson not in banks:
            try:
                banks[lesson] = common.exercises(lesson, root)
            except ValueError:
                banks[lesson] = {}
        entry = banks.get(lesson, {}).get(row["item"], {}) if row["kind"] == "exercise" else {}
        if row["kind"] == "quiz":
            label = f"Quiz question `{row['item']}`"
        elif row["kind"] == "assessed":
            label = f"Assessed question `{row['item']}`"
        else:
            label = f"{entry['title']} (`{row['item']}`)" if entry.get("title") else f"`{row['item']}`"
        result = row["status"]
        if row["status"] != "correct" and row["kind"] == "exercise":
            hint = (entry.get("hints") or {}).get("default") if isinstance(entry.get("hints"), dict) else None
            if hint:
                result += f". Hint: {' '.join(str(hint).split())}"
        lines.append(f"| {label} | {row['points']} of {row['max_points']} | {result} |")
    quiz = [r for r in rows if r["kind"] == "quiz"]
    if quiz and all(r["detail"] == "no progress export handed in" for r in quiz if r["status"] == "not attempted") \
            and any(r["detail"] for r in quiz):
        lines += ["", "Your quiz answers could not be counted: no progress file was handed in. Next time, run "
                  "`il2edu progress --export my-progress.csv` and hand the file in with your notebook."]
    elif quiz:
        lines += ["", "Quiz results come from the progress file you handed in (`il2edu progress --export`)."]
    return "\n".join(lines) + "\n"


def _seconds(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("a time limit must be more than 0 seconds")
    return value


def _jobs(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1")
    return value


def add_arguments(parser):
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                        help="student folders (one per student, named after the student) or notebooks inside them")
    parser.add_argument("--out", required=True, metavar="CSV", help="the gradebook to write, e.g. grades.csv")
    parser.add_argument("--feedback", metavar="DIR", help="folder for one Markdown file per student "
                                                          "(default: feedback/ beside the gradebook)")
    parser.add_argument("--executed", metavar="DIR", help="also keep each notebook as it ran, with its outputs, "
                                                          "in DIR/<student>/ (for reading the work itself)")
    parser.add_argument("--cell-timeout", type=_seconds, default=60, metavar="S", help="seconds per cell (default 60)")
    parser.add_argument("--notebook-timeout", type=_seconds, default=600, metavar="S",
                        help="seconds per notebook (default 600)")
    parser.add_argument("--quiz-points", type=float, default=1, metavar="P",
                        help="points per quiz question answered correctly (default 1; 0 leaves quizzes out)")
    parser.add_argument("--assess", metavar="BANK", help="the instructor-private bank given to `il2edu release "
                                                        "--assess`: judges the answers to its questions")
    parser.add_argument("--unsafe", action="store_true",
                        help="grade without a sandbox when none can be made (student code then runs as you, "
                             "and can read and change your files); never for submissions you do not trust")
    parser.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                        help="notebooks graded at once, each in its own kernel (default 1; up to the number of CPUs "
                             "is sensible)")


def run(args) -> int:
    from . import sandbox

    for name in args.submissions:
        if not Path(name).exists():
            print(f"il2edu grade: {name}: no such file or folder")
            return 1
    try:
        rows = grade(args.submissions, args.out, args.feedback, cell_timeout=args.cell_timeout,
                     notebook_timeout=args.notebook_timeout, quiz_points=args.quiz_points,
                     log=lambda line: print(line, flush=True), executed_dir=args.executed, jobs=args.jobs,
                     unsafe=args.unsafe, assess_bank=args.assess)
    except ValueError as err:  # a layout problem, found before anything runs
        print(f"il2edu grade: {err}")
        return 1
    except sandbox.NoSandbox as err:
        print(f"il2edu grade: no sandbox can be made here ({err}); install bubblewrap, or pass --unsafe to run "
              f"the submissions without one (only for code you trust)")
        return 1
    students = {r["student"] for r in rows}
    feedback_dir = args.feedback or str(Path(args.out).parent / "feedback")
    print(f"gradebook: {args.out} ({len(students)} students); feedback: {feedback_dir}/")
    return 0
