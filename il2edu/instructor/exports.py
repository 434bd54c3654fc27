"""Reading a class's progress exports (docs/PROGRESS.md) and writing CSV that spreadsheets open safely.

Exports come from learners, so they are untrusted: any file may be missing, huge, malformed or forged.
Reading never raises for such a file; it returns what could be read and one line per problem.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..progress import COLUMNS

MAX_BYTES = 20_000_000  # far above a whole course's attempts; a bigger file is not an honest export
SUFFIXES = (".csv", ".json")


@dataclass
class Learner:
    name: str
    rows: list = field(default_factory=list)  # dicts with the export COLUMNS, oldest first
    files: list = field(default_factory=list)


def _truth(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes")


def _number(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if number == number and abs(number) < 1e9 else 0.0


def read_export(path: Path) -> tuple[list[dict] | None, str | None]:
    """(rows, problem): rows of one export, cleaned; None and a one-line reason if it is not an export."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, f"larger than {MAX_BYTES // 1_000_000} MB"
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        return None, f"cannot be read ({err.strerror or err})"
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return None, "not valid JSON"
        raw = data.get("attempts") if isinstance(data, dict) else None
        if not isinstance(raw, list):
            return None, "JSON without an 'attempts' list"
    else:
        try:
            reader = csv.DictReader(text.splitlines())
            if not reader.fieldnames or not {"item_id", "kind"} <= set(reader.fieldnames):
                return None, "CSV without the export's header (time, lesson, item_id, kind, ...)"
            raw = list(reader)
        except csv.Error as err:
            return None, f"unreadable CSV ({err})"
    rows = []
    for r in raw:
        if not isinstance(r, dict) or not r.get("item_id") or not r.get("kind"):
            continue
        rows.append({
            "time": str(r.get("time") or ""), "lesson": str(r.get("lesson") or ""),
            "item_id": str(r["item_id"])[:200], "kind": str(r["kind"])[:40],
            "answer": str(r.get("answer") if r.get("answer") is not None else "")[:500],
            "correct": _truth(r.get("correct")), "points": _number(r.get("points")),
            "max_points": _number(r.get("max_points")),
        })
    skipped = len(raw) - len(rows)
    return rows, (f"{skipped} row(s) without an item id or kind were skipped" if skipped else None)


def collect(paths) -> tuple[list[Learner], list[str]]:
    """Learners from export files and folders, and one message per problem.

    A folder is one learner, named after it, holding any number of exports (the layout `il2edu grade`
    reads: submissions/<student>/...); a file on its own is one learner named after the file (alice.csv).
    """
    learners: dict[str, Learner] = {}
    messages = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            name = path.resolve().name
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()
                           and not p.is_symlink())
            if not files:
                messages.append(f"{path}: no .csv or .json export in this folder; skipped")
        elif path.is_file():
            name, files = path.stem, [path]
        else:
            messages.append(f"{path}: no such file or folder; skipped")
            continue
        for file in files:
            rows, problem = read_export(file)
            if rows is None:
                messages.append(f"{file}: not an il2edu progress export ({problem}); skipped")
                continue
            if problem:
                messages.append(f"{file}: {problem}")
            learner = learners.setdefault(name, Learner(name))
            learner.rows += rows
            learner.files.append(str(file))
    for learner in learners.values():
        # Stable sort: rows with equal times keep the order of their file.
        learner.rows.sort(key=lambda r: r["time"])
        if len(learner.files) > 1:
            messages.append(f"{learner.name}: {len(learner.files)} exports read as one learner")
    return list(learners.values()), messages


# -- CSV out ------------------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """Text for a CSV cell: numbers as written, text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if isinstance(value, float):  # four decimals at most, never an exponent (a gradebook reads 12345, not 1.234e+04)
            if value != value:
                return ""
            text = f"{value:.4f}".rstrip("0").rstrip(".")
            return "0" if text == "-0" else text
        return str(value)
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(path: Path, columns, rows) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])


__all__ = ["COLUMNS", "Learner", "collect", "read_export", "write_csv", "cell"]
