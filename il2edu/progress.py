"""Learner progress: every quiz attempt, reveal and exercise check, in a small SQLite file.

The file is $IL2EDU_HOME/progress.sqlite3 (default ~/.il2edu/progress.sqlite3), in WAL mode so two open
notebooks can write at once; each write is its own short transaction and waits for the other writer.
If the file cannot be written, or is corrupt, the course keeps working: a corrupt file is moved aside
(never deleted) and a fresh one started; if nothing can be written, attempts are kept in memory until
the kernel stops. Either way the learner sees one warning line, once.

Export columns (stable; `il2edu grade` reads them): time, lesson, item_id, kind, answer, correct, points,
max_points. See docs/PROGRESS.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import threading
import time as _time
import uuid
from datetime import datetime, timezone
from pathlib import Path

FILENAME = "progress.sqlite3"
COLUMNS = ("time", "lesson", "item_id", "kind", "answer", "correct", "points", "max_points")
# quiz, exercise: scored answers; reveal, solution: "Show answer" and "Show a worked solution" (not answers);
# prediction, written, conclusion: the predict/write/explorer-conclusion activities; review: an answer (or,
# with an empty answer, a "Show answer") in an il2edu.review warm-up, never scored (docs/PROGRESS.md).
KINDS = ("quiz", "exercise", "reveal", "solution", "prediction", "written", "conclusion", "review")
REVEALS = ("reveal", "solution")
SCHEMA_VERSION = 3  # 2: the kinds after 'reveal'; 3: 'review'. An older file is migrated in place on opening
BUSY_SECONDS = 30.0  # how long a write waits for another writer's lock
RETRY_SECONDS = 5.0  # after a lock held past the 30 s wait: how often to try the file again
_TABLE = """
CREATE TABLE IF NOT EXISTS {name} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    lesson TEXT NOT NULL,
    item_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ({kinds})),
    answer TEXT NOT NULL DEFAULT '',
    correct INTEGER NOT NULL DEFAULT 0,
    points REAL NOT NULL DEFAULT 0,
    max_points REAL NOT NULL DEFAULT 0
);
"""


def _state(conn: sqlite3.Connection) -> tuple[int, bool]:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attempts'").fetchone()
    return version, bool(exists)


def _prepare(conn: sqlite3.Connection) -> None:
    """Create the table, or migrate an older one, under one write lock, so two kernels opening the same
    new or old file at once cannot both do it (one waits, then finds it done).

    An older table only accepts the kinds of its version (a CHECK constraint SQLite cannot alter): its rows
    are copied into a table that accepts them all, in the same transaction, so a failure leaves the file as
    it was."""
    version, exists = _state(conn)
    if exists and version >= SCHEMA_VERSION:
        return
    kinds = ", ".join(f"'{k}'" for k in KINDS)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version, exists = _state(conn)  # again, now that no one else can write
        if exists and version < SCHEMA_VERSION:
            conn.execute("DROP TABLE IF EXISTS attempts_v2")
            conn.execute(_TABLE.format(name="attempts_v2", kinds=kinds))
            conn.execute(f"INSERT INTO attempts_v2 (id, {', '.join(COLUMNS)}) SELECT id, {', '.join(COLUMNS)} FROM attempts")
            conn.execute("DROP TABLE attempts")
            conn.execute("ALTER TABLE attempts_v2 RENAME TO attempts")
        conn.execute(_TABLE.format(name="attempts", kinds=kinds))
        conn.execute("CREATE INDEX IF NOT EXISTS attempts_lesson ON attempts (lesson, item_id)")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def home() -> Path:
    """The learner's il2edu folder: $IL2EDU_HOME, or ~/.il2edu."""
    override = os.environ.get("IL2EDU_HOME")
    return Path(override).expanduser() if override else Path.home() / ".il2edu"


def warn(message: str) -> None:
    """One line on stderr: a notebook shows it as a warning, not a traceback. Under an autograder's strict
    checks it goes to stdout, since nbgrader gives no points to a graded cell with any stderr output."""
    strict = os.environ.get("IL2EDU_STRICT_CHECKS", "").strip() not in ("", "0")
    print(f"il2edu: {message}", file=sys.stdout if strict else sys.stderr)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Store:
    """The progress database of one IL2EDU_HOME. Use store() for the shared instance."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else home()
        self.path = self.folder / FILENAME
        self.in_memory = False
        self.warning: str | None = None  # the one warning shown, if any
        self._retry_at: float | None = None  # when in memory because the file was busy: try the disk again
        self._lock = threading.Lock()
        self._conn = self._open()

    # -- opening and recovery ----------------------------------------------------------------------------
    def _connect_patiently(self, target: str, seconds: float = 10.0) -> sqlite3.Connection:
        # Two kernels opening a new file at once: switching it to WAL can report "locked" at once, without
        # the busy wait; that passes in a moment, so try again before falling back to memory.
        deadline = _time.monotonic() + seconds
        while True:
            try:
                return self._connect(target)
            except sqlite3.OperationalError as err:
                if not _is_busy(err) or _time.monotonic() > deadline:
                    raise
                _time.sleep(0.1)

    def _connect(self, target: str) -> sqlite3.Connection:
        conn = sqlite3.connect(target, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            if target != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            _prepare(conn)
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {row and row[0]}")
            # A read-only file opens fine; find out now rather than on the first attempt.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            return self._connect_patiently(str(self.path))
        except sqlite3.DatabaseError as err:
            if _is_corruption(err) and self.path.exists():
                return self._recover(err)
            if _is_busy(err):
                self._retry_at = _time.monotonic() + RETRY_SECONDS
            return self._memory(f"cannot write your progress to {self.path} ({_reason(err)})")
        except OSError as err:
            return self._memory(f"cannot write your progress to {self.path} ({err.strerror or err})")

    def _recover(self, err) -> sqlite3.Connection:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{FILENAME}.corrupt-{stamp}-{uuid.uuid4().hex[:6]}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(str(self.path) + suffix)
                if extra.exists():
                    os.replace(extra, Path(str(aside) + suffix))
            conn = self._connect(str(self.path))
        except (OSError, sqlite3.Error) as again:
            return self._memory(f"your progress file {self.path} is damaged ({_reason(err)}) and could not be "
                                f"replaced ({_reason(again)})")
        self._warn_once(f"your progress file was damaged ({_reason(err)}); it was moved to {aside.name} and a new "
                        "one started. Earlier attempts are in the moved file.")
        return conn

    def _memory(self, why: str) -> sqlite3.Connection:
        self.in_memory = True
        self._warn_once(why + "; quizzes still work, but attempts are kept only until the kernel stops.")
        return self._connect(":memory:")

    def _warn_once(self, message: str):
        if self.warning is None:
            self.warning = message
            warn(message)

    # -- writing and reading ----------------------------------------------------------------------------
    def record(self, lesson: str, item_id: str, kind: str, answer="", correct=False, points=0.0,
               max_points=0.0, time: str | None = None) -> None:
        """Add one row. Never raises: a write that fails falls back to memory with one warning."""
        if kind not in KINDS:
            raise ValueError(f"kind should be one of {KINDS}")
        row = (time or now(), str(lesson), str(item_id), kind, _text(answer), int(bool(correct)),
               float(points), float(max_points))
        with self._lock:
            self._back_to_disk()
            for _ in range(2):
                try:
                    self._conn.execute(
                        "INSERT INTO attempts (time, lesson, item_id, kind, answer, correct, points, max_points)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
                    return
                except sqlite3.Error as err:
                    self._conn.close()
                    if _is_corruption(err) and not self.in_memory and self.path.exists():
                        self._conn = self._recover(err)
                    elif not self.in_memory:
                        if _is_busy(err):
                            self._retry_at = _time.monotonic() + RETRY_SECONDS
                        self._conn = self._memory(f"cannot write your progress to {self.path} ({_reason(err)})")
                    else:  # in memory already: nothing else to try
                        self._conn = self._connect(":memory:")

    def _back_to_disk(self) -> None:
        """After a lock held past the wait, attempts go to memory; once the file is free they go back to it
        (with those kept in memory meanwhile)."""
        if not self.in_memory or self._retry_at is None or _time.monotonic() < self._retry_at:
            return
        try:
            disk = self._connect(str(self.path))
        except sqlite3.Error as err:
            self._retry_at = _time.monotonic() + RETRY_SECONDS if _is_busy(err) else None
            return
        kept = self._conn.execute(f"SELECT {', '.join(COLUMNS)} FROM attempts ORDER BY id").fetchall()
        disk.executemany(f"INSERT INTO attempts ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", kept)
        self._conn.close()
        self._conn, self.in_memory, self._retry_at = disk, False, None
        warn(f"your progress is saved to {self.path} again ({len(kept)} attempt(s) kept meanwhile were added).")

    def rows(self, lesson: str | None = None) -> list[dict]:
        """Every recorded row, oldest first, as dicts with the export COLUMNS."""
        query = f"SELECT {', '.join(COLUMNS)} FROM attempts"
        args: tuple = ()
        if lesson:
            query += " WHERE lesson = ?"
            args = (lesson,)
        with self._lock:
            try:
                cur = self._conn.execute(query + " ORDER BY id", args)
                return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]
            except sqlite3.Error as err:
                self._warn_once(f"cannot read your progress ({_reason(err)})")
                return []

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]

    def reset(self) -> int:
        """Delete every row; returns how many there were."""
        with self._lock:
            n = self._conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
            self._conn.execute("DELETE FROM attempts")
            return n

    def close(self):
        with self._lock:
            self._conn.close()


def _is_corruption(err) -> bool:
    text = str(err).lower()
    return any(s in text for s in ("not a database", "malformed", "corrupt", "integrity check failed"))


def _is_busy(err) -> bool:
    text = str(err).lower()
    return "locked" in text or "busy" in text


def _reason(err) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _text(answer) -> str:
    """One line of at most 500 characters: exports stay one row per line for any CSV reader."""
    text = answer if isinstance(answer, str) else repr(answer)
    text = " ".join(text.split()) if ("\n" in text or "\r" in text) else text
    return text if len(text) <= 500 else text[:497] + "..."


_STORES: dict[Path, Store] = {}
_STORES_LOCK = threading.Lock()


def store() -> Store:
    """The shared Store of the current IL2EDU_HOME (one per process and folder)."""
    folder = home()
    with _STORES_LOCK:
        if folder not in _STORES:
            _STORES[folder] = Store(folder)
        return _STORES[folder]


def record(lesson, item_id, kind, answer="", correct=False, points=0.0, max_points=0.0) -> None:
    store().record(lesson, item_id, kind, answer, correct, points, max_points)


# -- learner identity (for stable shuffles) -----------------------------------------------------------------

_FALLBACK_LEARNER = "il2edu-learner"


def learner_id() -> str:
    """A random id made once and kept in IL2EDU_HOME; a fixed one if that folder cannot be written."""
    path = home() / "learner-id"
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    except OSError:
        pass
    new = uuid.uuid4().hex
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as fh:  # "x": two kernels racing keep the first id
            fh.write(new + "\n")
        return new
    except FileExistsError:
        try:
            return path.read_text(encoding="utf-8").strip() or _FALLBACK_LEARNER
        except OSError:
            return _FALLBACK_LEARNER
    except OSError:
        return _FALLBACK_LEARNER


# -- summaries ------------------------------------------------------------------------------------------------

def summarise(rows: list[dict], totals: dict | None = None) -> list[dict]:
    """Per lesson: items answered, first-try correct, score (best per item) and the maximum.

    A quiz question is worth 1 point; an exercise its `points`. A reveal is not an answer, but an item
    revealed before it was answered correctly cannot count as first-try correct afterwards.
    """
    lessons: dict[str, dict] = {}
    for row in rows:
        lesson = lessons.setdefault(row["lesson"], {})
        if row["kind"] not in ("quiz", "exercise") + REVEALS:
            continue  # predictions, written answers and conclusions are saved, not scored
        item = lesson.setdefault(row["item_id"], {"first": None, "best": 0.0, "max": 0.0, "answered": False,
                                                  "solution": False})
        if row["kind"] in REVEALS:
            if item["first"] is None:
                item["first"] = False
            item["solution"] = item["solution"] or row["kind"] == "solution"
            continue
        earned = float(row["points"]) if row["kind"] == "exercise" else float(bool(row["correct"]))
        max_points = float(row["max_points"]) if row["kind"] == "exercise" else 1.0
        item["answered"] = True
        if item["first"] is None:
            item["first"] = bool(row["correct"])
        item["best"] = max(item["best"], earned)
        item["max"] = max(item["max"], max_points)
    out = []
    for lesson in sorted(set(lessons) | set(totals or {})):
        items = lessons.get(lesson, {})
        answered = [i for i in items.values() if i["answered"]]
        total = (totals or {}).get(lesson)
        out.append({
            "lesson": lesson,
            "answered": len(answered),
            "items": total["items"] if total else len(items),
            "first_try": sum(1 for i in answered if i["first"]),
            "solutions": sum(1 for i in items.values() if i["solution"]),
            "score": sum(i["best"] for i in answered),
            "max_score": total["points"] if total else sum(i["max"] for i in answered),
        })
    return out


def course_totals() -> dict:
    """lesson -> {"items": questions + exercises, "points": their points}, from the seeds (best effort)."""
    from . import content

    totals: dict[str, dict] = {}
    try:
        root = content.seeds_dir()
        for folder, kind in (("quizzes", "questions"), ("exercises", "exercises")):
            for path in sorted((root / folder).glob("*.yaml")) if (root / folder).is_dir() else []:
                data = content.read_yaml(path) or {}
                entries = data.get(kind) or [] if isinstance(data, dict) else []
                t = totals.setdefault(path.stem, {"items": 0, "points": 0.0})
                for e in entries:
                    if isinstance(e, dict):
                        t["items"] += 1
                        t["points"] += float(e.get("points", 1) if kind == "exercises" else 1)
    except (content.ContentError, OSError, TypeError, ValueError):
        return {}
    return totals


def _fmt(x: float) -> str:
    return f"{x:g}"


HEAD = ("Lesson", "Answered", "First-try correct", "Score", "Worked solutions seen")


class Progress:
    """il2edu.progress(): a table and a bar chart of the learner's progress per lesson."""

    def __init__(self, rows=None, totals=None):
        s = store()
        self.path = s.path
        self.in_memory = s.in_memory
        self.rows = s.rows() if rows is None else rows
        self.totals = course_totals() if totals is None else totals
        self.summary = [r for r in summarise(self.rows, self.totals) if r["answered"] or r["lesson"] in
                        {x["lesson"] for x in self.rows}]

    def table_rows(self) -> list[list[str]]:
        return [[r["lesson"], f"{r['answered']} of {r['items']}", str(r["first_try"]),
                 f"{_fmt(r['score'])} of {_fmt(r['max_score'])}", str(r["solutions"])] for r in self.summary]

    def _where(self) -> str:
        return "kept in memory only (not saved)" if self.in_memory else f"saved in {self.path}"

    def __repr__(self):
        if not self.summary:
            return f"No quiz answers or exercise checks yet. Your progress is {self._where()}."
        rows = [list(HEAD)] + self.table_rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        return "\n".join(lines + [f"Progress {self._where()}."])

    def figure_png(self) -> bytes:
        """A horizontal bar chart of score per lesson, as PNG bytes (matplotlib's Agg, no pyplot state)."""
        from matplotlib.figure import Figure

        labels = [r["lesson"] for r in self.summary]
        frac = [r["score"] / r["max_score"] * 100 if r["max_score"] else 0 for r in self.summary]
        fig = Figure(figsize=(6, 0.45 * len(labels) + 1.1), dpi=100)
        ax = fig.add_subplot()
        ax.barh(labels, frac, color="#0072B2")  # Okabe-Ito blue, colour-blind safe
        ax.set_xlim(0, 100)
        ax.set_xlabel("Score (% of the lesson's points)")
        ax.invert_yaxis()
        ax.set_title("Your progress per lesson")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()

    def _repr_html_(self):
        import base64
        import html

        if not self.summary:
            return f'<div class="il2edu-progress"><p>{html.escape(repr(self))}</p></div>'
        head = "".join(f"<th>{h}</th>" for h in HEAD)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in self.table_rows())
        png = base64.b64encode(self.figure_png()).decode("ascii")
        alt = "; ".join(f"{r[0]}: score {r[3]}" for r in self.table_rows())
        return (f'<div class="il2edu-progress"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
                f'<img src="data:image/png;base64,{png}" alt="Bar chart of score per lesson: {html.escape(alt)}"/>'
                f"<p>Progress {html.escape(self._where())}.</p></div>")


def progress() -> Progress:
    """Show your progress per lesson, e.g. ``il2edu.progress()``."""
    return Progress()


# -- export and the `il2edu progress` command ---------------------------------------------------------------

def export(path: Path, rows: list[dict]) -> None:
    """Write rows as CSV or JSON, chosen by the file's extension."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "correct": int(row["correct"]), "points": _fmt(row["points"]),
                             "max_points": _fmt(row["max_points"])})
        text = buf.getvalue()
    elif ext == ".json":
        records = [{**r, "correct": bool(r["correct"])} for r in rows]
        text = json.dumps({"format": "il2edu-progress", "version": 1, "columns": list(COLUMNS),
                           "attempts": records}, indent=1, ensure_ascii=False) + "\n"
    else:
        raise ValueError(f"cannot tell the format of '{path.name}': use a name ending in .csv or .json")
    from .files import write_atomic

    write_atomic(path, text)  # a failed export never leaves a good earlier one truncated


def read_only_rows(path: Path, lesson: str | None = None) -> list[dict] | None:
    """Rows of a progress file this process cannot write (read-only file or folder); None if unreadable."""
    query = f"SELECT {', '.join(COLUMNS)} FROM attempts" + (" WHERE lesson = ?" if lesson else "") + " ORDER BY id"
    for mode in ("ro", "ro&immutable=1"):  # immutable: a WAL file in a read-only folder cannot open its -shm
        try:
            conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode={mode}", uri=True)
            try:
                return [dict(zip(COLUMNS, r)) for r in conn.execute(query, (lesson,) if lesson else ())]
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return None


def salvage(path: Path) -> list[dict]:
    """The rows still readable in a damaged progress file, one by one (a damaged page loses only its rows)."""
    rows: list[dict] = []
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    except sqlite3.Error:
        return rows
    try:
        try:
            last = conn.execute("SELECT max(id) FROM attempts").fetchone()[0] or 0
        except sqlite3.Error:
            last = 100_000
        missing = 0
        for rowid in range(1, last + 1):
            try:
                found = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM attempts WHERE id = ?", (rowid,)).fetchone()
            except sqlite3.Error:
                found = None
            if found is None:
                missing += 1
                if missing > 5000 and not rows:
                    break
                continue
            missing = 0
            rows.append(dict(zip(COLUMNS, found)))
    finally:
        conn.close()
    return rows


def add_arguments(parser):
    parser.add_argument("--export", metavar="FILE", help="write every attempt to FILE (.csv or .json) to hand in")
    parser.add_argument("--lesson", help="only this lesson (with --export or the summary)")
    parser.add_argument("--reset", action="store_true", help="delete all saved progress (asks first)")
    parser.add_argument("--yes", action="store_true", help="with --reset: do not ask (for scripts)")
    parser.add_argument("--salvage", action="store_true", help="copy the readable attempts of damaged progress "
                                                               "files that were moved aside back into your progress")


def run(args) -> int:
    s = store()
    if s.in_memory and not args.reset and not getattr(args, "salvage", False):
        rows = read_only_rows(s.path, args.lesson) if s.path.exists() else None
        if rows is None:
            print(f"il2edu progress: no progress database could be opened at {s.path}", file=sys.stderr)
            return 1
        return _show_or_export(args, rows)  # a read-only file can still be read and handed in
    if s.in_memory:
        print(f"il2edu progress: no progress database could be opened at {s.path}", file=sys.stderr)
        return 1
    if getattr(args, "salvage", False):
        return _salvage(s)
    if args.reset:
        n = s.count()
        if not args.yes:
            if not sys.stdin.isatty():
                print("il2edu progress: --reset needs a terminal to confirm, or --yes", file=sys.stderr)
                return 2
            reply = input(f"Delete all {n} saved attempt(s) in {s.path}? This cannot be undone. [y/N] ")
            if reply.strip().lower() not in ("y", "yes"):
                print("Nothing deleted.")
                return 1
        s.reset()
        print(f"Deleted {n} attempt(s) from {s.path}.")
        return 0
    return _show_or_export(args, s.rows(args.lesson))


def _salvage(s: Store) -> int:
    have = {tuple(r.values()) for r in s.rows()}
    total = 0
    for aside in sorted(s.folder.glob(f"{FILENAME}.corrupt-*")):
        if aside.name.endswith(("-wal", "-shm")):
            continue
        found = [r for r in salvage(aside) if tuple(r.values()) not in have and r["kind"] in KINDS]
        for r in found:
            s.record(r["lesson"], r["item_id"], r["kind"], r["answer"], bool(r["correct"]), r["points"],
                     r["max_points"], time=r["time"])
            have.add(tuple(r.values()))
        total += len(found)
        print(f"{aside.name}: {len(found)} attempt(s) recovered")
    print(f"Recovered {total} attempt(s) into {s.path}.")
    return 0


def _show_or_export(args, rows: list[dict]) -> int:
    if args.export:
        try:
            export(Path(args.export), rows)
        except ValueError as err:
            print(f"il2edu progress: {err}", file=sys.stderr)
            return 2
        except OSError as err:
            print(f"il2edu progress: cannot write {args.export} ({err.strerror or err})", file=sys.stderr)
            return 1
        print(f"Wrote {len(rows)} attempt(s) to {args.export}.")
        return 0
    print(repr(Progress(rows=rows)))
    return 0


# `il2edu.progress` is this module once anything imports it (Python sets the package attribute), so the
# module itself is callable: il2edu.progress() then works whatever was imported first.
class _CallableModule(type(sys)):
    def __call__(self):
        return progress()


sys.modules[__name__].__class__ = _CallableModule
