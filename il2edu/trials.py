"""The trials table (seeds/trials.csv): load it, filter it, and check it for `il2edu validate`.

One row per published trial arm the lessons discuss. Doses are put on one scale, MIU given on one
treatment day, so high-dose and low-dose regimens can share an axis:

    dose_miu_per_day = dose x unit_to_miu(unit) x doses_per_day

Per-kg and per-m2 doses use the reference adult of seeds/parameters.yaml (pk: body_weight 70 kg,
body_surface 1.8 m2), the same one the regimen explorer uses. Breaks between courses are not averaged in:
a 5-day course every 8 weeks counts at its daily amount.

Only the standard library and PyYAML (through content) are imported here: the validator runs this
module where widgets and plotting are absent.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

from . import content

FILENAME = "trials.csv"
DISPLAY_PATH = "seeds/trials.csv"

DOSE_UNITS = ("MIU", "MIU/m2", "IU/kg")
ROUTES = {"IV", "s.c.", "i.m."}
ENDPOINT_VALUES = {"yes", "no"}
# outcome_class -> label shown in the explorer's legend
OUTCOME_CLASSES = {
    "improved": "Clinical improvement",
    "mixed": "Mixed (primary endpoint missed)",
    "no_benefit": "No clinical benefit vs control",
    "worsened": "Clinical measure worsened",
    "exploratory": "Safety/immune study",
}

COLUMNS = [
    "id", "trial", "label", "arm", "disease", "phase", "n", "agent", "dose", "unit", "doses_per_day", "route",
    "schedule", "duration", "dose_miu_per_day", "treg_fold", "treg_change", "clinical_outcome",
    "outcome_class", "primary_endpoint_met", "safety_note", "reference",
]  # fmt: skip
REQUIRED = ["id", "trial", "label", "disease", "agent", "outcome_class", "reference"]
NUMBERS = {"n": int, "dose": float, "doses_per_day": float, "dose_miu_per_day": float, "treg_fold": float}

# Dose bands the explorer shades, in MIU per treatment day for the reference adult.
# Low dose: the arms of the T1D dose-finding trial, 0.33 to 3 MIU/day [hartemann2013].
# High dose: one 600,000 IU/kg infusion (42 MIU) to three a day (126 MIU) [proleukin_label].
LOW_DOSE_BAND = (0.33, 3.0)
HIGH_DOSE_BAND = (42.0, 126.0)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def unit_to_miu(unit: str, root=None) -> float:
    """MIU in one administration of 1 `unit` for the reference adult of seeds/parameters.yaml."""
    from . import parameters  # stdlib + PyYAML only, like this module

    if unit == "MIU":
        return 1.0
    if unit == "MIU/m2":
        return parameters.value("pk", "body_surface", root)
    if unit == "IU/kg":
        return parameters.value("pk", "body_weight", root) / 1e6
    raise ValueError(f"unknown dose unit '{unit}'; use one of {', '.join(DOSE_UNITS)}")


def miu_per_day(dose: float, unit: str, doses_per_day: float = 1.0, root=None) -> float:
    """MIU given on one treatment day for the reference adult."""
    return dose * unit_to_miu(unit, root) * doses_per_day


def references_of(row: dict) -> list[str]:
    """The reference keys of one row ('a;b' -> ['a', 'b'])."""
    return [k.strip() for k in (row.get("reference") or "").split(";") if k.strip()]


def _read(path: Path) -> tuple[list[str], list[dict]]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = list(reader.fieldnames or [])
            return header, [dict(r) for r in reader]
    except OSError as exc:
        raise content.ContentError(DISPLAY_PATH, f"cannot be read ({exc.strerror or exc})") from None
    except csv.Error as exc:
        raise content.ContentError(DISPLAY_PATH, f"malformed CSV ({exc})") from None


def _parse(row: dict) -> dict:
    out = {k: (v or "").strip() for k, v in row.items() if k is not None}
    for column, kind in NUMBERS.items():
        text = out.get(column, "")
        out[column] = kind(text) if text else None
    out["references"] = references_of(out)
    return out


def load(root=None) -> list[dict]:
    """All rows, in file order, with numbers as int/float and empty cells as None (numbers) or ''.

    Raises ContentError (one line) if the file is missing or a number does not parse.
    """
    path = content._root(root) / FILENAME
    _, rows = _read(path)
    parsed = []
    for i, row in enumerate(rows, start=2):
        try:
            parsed.append(_parse(row))
        except ValueError as exc:
            raise content.ContentError(DISPLAY_PATH, f"a number does not parse ({exc})", entry=row.get("id") or f"line {i}") from None
    return parsed


def diseases(rows) -> list[str]:
    """The distinct diseases, in table order."""
    return list(dict.fromkeys(r["disease"] for r in rows))


def select(rows, disease=None, dose_range=None) -> list[dict]:
    """Rows of one disease (None or 'All' = every disease) whose dose (MIU/day) lies in dose_range.

    A row without a dose passes only when no dose range is given.
    """
    chosen = []
    for r in rows:
        if disease not in (None, "", "All") and r["disease"] != disease:
            continue
        if dose_range is not None:
            lo, hi = dose_range
            d = r["dose_miu_per_day"]
            if d is None or not (lo <= d <= hi):
                continue
        chosen.append(r)
    return chosen


def regime(row) -> str:
    """'low', 'high' or 'intermediate', by where the row's daily dose falls against the shaded bands."""
    d = row.get("dose_miu_per_day")
    if d is None:
        return "unknown"
    if d <= LOW_DOSE_BAND[1]:
        return "low"
    if d >= HIGH_DOSE_BAND[0]:
        return "high"
    return "intermediate"


# --- il2edu validate ---------------------------------------------------------------------------


def validate_trials(root: Path):
    """Problems in seeds/trials.csv: columns, units, numbers, the MIU/day column, reference keys."""
    from .validate import Problem  # validate imports no widgets; imported here to avoid a cycle

    root = Path(root)
    path = root / FILENAME
    problems: list = []
    if not path.is_file():
        return [Problem(DISPLAY_PATH, None, "is missing")]
    try:
        header, rows = _read(path)
    except content.ContentError as err:
        return [Problem(DISPLAY_PATH, None, err.message)]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing:
        problems.append(Problem(DISPLAY_PATH, None, "missing column(s): " + ", ".join(missing)))
    if extra:
        problems.append(Problem(DISPLAY_PATH, None, "unknown column(s): " + ", ".join(extra)))
    if missing:
        return problems
    try:
        refs = content._load("references.yaml", root)
    except content.ContentError:
        refs = {}  # check_references reports that file's own problems
    seen = set()
    for line, raw in enumerate(rows, start=2):
        if None in raw:
            problems.append(Problem(DISPLAY_PATH, raw.get("id") or f"line {line}", "has more cells than the header"))
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        entry = row["id"] or f"line {line}"
        problems.extend(Problem(DISPLAY_PATH, entry, m) for m in _row_problems(row, seen, refs, root))
    return problems


def _row_problems(row, seen, refs, root=None):
    if not ID_PATTERN.match(row["id"]):
        yield "'id' should be lowercase letters, digits and underscores, starting with a letter"
    elif row["id"] in seen:
        yield "duplicate id"
    seen.add(row["id"])
    for column in REQUIRED:
        if not row[column]:
            yield f"'{column}' is empty"
    numbers = {}
    for column, kind in NUMBERS.items():
        text = row[column]
        if not text:
            numbers[column] = None
            continue
        try:
            value = kind(text)
        except ValueError:
            yield f"'{column}' should be a {'whole ' if kind is int else ''}number, not {text!r}"
            numbers[column] = None
            continue
        if not math.isfinite(value) or value <= 0:
            yield f"'{column}' should be a positive number, not {text!r}"
            value = None
        numbers[column] = value
    unit = row["unit"]
    if unit and unit not in DOSE_UNITS:
        yield f"unit '{unit}' is not allowed; use one of {', '.join(DOSE_UNITS)}"
    if row["dose"] and not unit:
        yield "'unit' is empty but 'dose' is given"
    if row["route"] and row["route"] not in ROUTES:
        yield f"route '{row['route']}' is not allowed; use one of {', '.join(sorted(ROUTES))}"
    if row["outcome_class"] and row["outcome_class"] not in OUTCOME_CLASSES:
        yield f"outcome_class '{row['outcome_class']}' is not allowed; use one of {', '.join(OUTCOME_CLASSES)}"
    if row["primary_endpoint_met"] and row["primary_endpoint_met"] not in ENDPOINT_VALUES:
        yield "'primary_endpoint_met' should be yes, no or empty"
    dose, per_day, stated = numbers["dose"], numbers["doses_per_day"], numbers["dose_miu_per_day"]
    if dose is not None and unit in DOSE_UNITS and per_day is not None:
        expected = miu_per_day(dose, unit, per_day, root)
        if stated is None:
            yield f"'dose_miu_per_day' is empty; dose x unit x doses_per_day gives {expected:.4g}"
        elif not math.isclose(stated, expected, rel_tol=0.01):
            yield f"'dose_miu_per_day' is {stated:g} but dose x unit x doses_per_day gives {expected:.4g}"
    elif stated is not None and not row["dose"]:
        yield "'dose_miu_per_day' is given but 'dose' is empty"
    elif row["dose"] and not row["doses_per_day"]:
        yield "'doses_per_day' is empty but 'dose' is given"
    keys = references_of(row)
    for key in keys:
        if key not in refs:
            yield f"unknown reference key '{key}' (not in seeds/references.yaml)"
