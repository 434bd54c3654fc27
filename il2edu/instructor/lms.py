"""`il2edu gradebook`: the gradebook CSV of `il2edu grade` as a file Canvas's or Moodle's grade import reads.

One column per lesson (the points of its exercises and quiz questions). Students are matched to the LMS's
roster (its own gradebook export) through one roster column the instructor names with --match, whose
values are the student names of grades.csv (the submission folders). Every student that cannot be matched
is reported in one line; nobody is dropped silently. Layouts and sources: docs/INSTRUCTORS.md.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from .exports import cell

# Canvas's importer reads "Student" then "ID" first, SIS User ID and SIS Login ID together, and "Section"
# as the last column about the student; a row whose first cell is "Points Possible" sets assignment points.
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "Points Possible"
# Moodle's CSV import maps one column to a user field (email, ID number, username) and each other column
# to a grade item; these identity columns of its own export are kept when the roster has them.
MOODLE_STUDENT_COLUMNS = ("First name", "Last name", "ID number", "Username", "Email address")
DEFAULT_MATCH = {"canvas": "SIS Login ID", "moodle": "Email address"}
NOT_SCORES = ("run", "total")
COLUMN_PREFIX = "il2edu "


class GradebookError(ValueError):
    """A file that cannot be used; the message is one line."""


def _read_csv(path: Path, what: str) -> tuple[list[str], list[dict]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows
    except FileNotFoundError:
        raise GradebookError(f"{path}: no such file ({what})") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise GradebookError(f"{path}: cannot be read as CSV ({what}): {getattr(err, 'strerror', None) or err}") from None


def _number(text) -> float | None:
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e9 else None


def lesson_scores(grades_path: Path) -> tuple[dict, dict]:
    """(student -> lesson -> points, lesson -> max points) from `il2edu grade`'s CSV."""
    columns, rows = _read_csv(grades_path, "the gradebook from il2edu grade")
    need = {"student", "lesson", "kind", "points", "max_points"}
    if not need <= set(columns):
        raise GradebookError(f"{grades_path}: not a gradebook from `il2edu grade` (needs the columns "
                             f"{', '.join(sorted(need))})")
    scores: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    maxima: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        student, lesson = str(row.get("student") or "").strip(), str(row.get("lesson") or "").strip()
        if not student or not lesson or row.get("kind") in NOT_SCORES:
            continue
        scores[student][lesson] += _number(row.get("points")) or 0.0
        maxima[student][lesson] += _number(row.get("max_points")) or 0.0
    # A lesson is worth what a complete submission of it is worth: the largest total any student has.
    out_of: dict[str, float] = {}
    for per in maxima.values():
        for lesson, value in per.items():
            out_of[lesson] = max(out_of.get(lesson, 0.0), value)
    return {s: dict(v) for s, v in scores.items()}, out_of


def _lesson_headers(lessons, roster_columns) -> dict:
    """Lesson -> column title: an existing roster column 'il2edu <lesson> (...)' is reused as it is, so a second
    import updates the assignment the first one created."""
    headers = {}
    for lesson in lessons:
        title = COLUMN_PREFIX + lesson
        found = [c for c in roster_columns if c == title or c.startswith(title + " (")]
        headers[lesson] = found[0] if found else title
    return headers


def build(grades_path, roster_path, lms: str, match: str | None = None) -> tuple[list[list], list[str]]:
    """(rows of the file to write, header first; one message per student not matched)."""
    if lms not in DEFAULT_MATCH:
        raise GradebookError(f"unknown LMS format {lms!r}; use canvas or moodle")
    match = match or DEFAULT_MATCH[lms]
    scores, out_of = lesson_scores(Path(grades_path))
    roster_columns, roster = _read_csv(Path(roster_path), "the roster exported from the LMS")
    if match not in roster_columns:
        raise GradebookError(f"{roster_path}: no column {match!r} to match students by (columns: "
                             f"{', '.join(roster_columns) or 'none'}); choose one with --match")
    if lms == "canvas":
        missing = [c for c in ("Student", "ID") if c not in roster_columns]
        if missing:
            raise GradebookError(f"{roster_path}: not a Canvas gradebook export (no {', '.join(missing)} column); "
                                 "export it from Grades > Export")
    lessons = sorted(out_of)
    headers = _lesson_headers(lessons, roster_columns)
    if lms == "canvas":
        identity = list(CANVAS_STUDENT_COLUMNS)
    else:
        identity = [c for c in MOODLE_STUDENT_COLUMNS if c in roster_columns]
        identity = identity if match in identity else identity + [match]
    table = [identity + [headers[ls] for ls in lessons]]
    if lms == "canvas":
        table.append([CANVAS_POINTS_ROW] + [""] * (len(identity) - 1) + [out_of[ls] for ls in lessons])
    messages, matched = [], set()
    seen_keys: dict[str, int] = {}
    for number, person in enumerate(roster, start=2):
        key = str(person.get(match) or "").strip()
        name = str(person.get(identity[0]) or "").strip()
        if not key and not name or name.startswith(CANVAS_POINTS_ROW):
            continue  # the roster's own points row, or a blank line
        if not key:
            messages.append(f"roster line {number} ({person.get(identity[0], '')!s}): empty {match!r}; left blank")
            key = None
        elif key in seen_keys:
            messages.append(f"roster line {number}: {match} {key!r} also on line {seen_keys[key]}; both get the grades")
        if key:
            seen_keys.setdefault(key, number)
        grades = scores.get(key) if key else None
        if key and grades is None:
            messages.append(f"{key}: on the roster but not in {Path(grades_path).name}; left blank")
        matched.add(key)
        table.append([str(person.get(c) or "") for c in identity]
                     + [(grades or {}).get(ls, "") if grades else "" for ls in lessons])
    for student in sorted(set(scores) - matched):
        messages.append(f"{student}: in {Path(grades_path).name} but no roster row has {match} = {student!r}; "
                        "not in the file (add them to the LMS or fix the name)")
    return table, messages


def write(table: list[list], out) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        for row in table:
            writer.writerow([cell(v) for v in row])


def add_arguments(parser):
    parser.add_argument("grades", metavar="GRADES.csv", help="the gradebook `il2edu grade` wrote")
    parser.add_argument("--format", required=True, choices=sorted(DEFAULT_MATCH), dest="lms",
                        help="which LMS's grade import the file is for")
    parser.add_argument("--roster", required=True, metavar="ROSTER.csv",
                        help="the LMS's own gradebook export (Canvas: Grades > Export; Moodle: Export > Plain text file)")
    parser.add_argument("--match", metavar="COLUMN",
                        help="roster column holding the names of grades.csv (default: 'SIS Login ID' for Canvas, "
                             "'Email address' for Moodle)")
    parser.add_argument("--out", required=True, metavar="FILE", help="the CSV file to write")


def run(args) -> int:
    try:
        table, messages = build(args.grades, args.roster, args.lms, args.match)
    except GradebookError as err:
        print(f"il2edu gradebook: {err}")
        return 1
    for message in messages:
        print(message)
    write(table, args.out)
    students = len(table) - (2 if args.lms == "canvas" else 1)
    lessons = sum(str(h).startswith(COLUMN_PREFIX) for h in table[0])
    print(f"Wrote {args.out}: {students} student(s), {lessons} lesson column(s), for the {args.lms} grade import.")
    return 0
