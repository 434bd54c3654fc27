"""`il2edu gradebook`: grade's CSV as Canvas and Moodle grade-import files, matched through the LMS roster."""

from __future__ import annotations

import csv
import re
import shutil

import pytest
import yaml

from il2edu import cli

GRADE_COLUMNS = ["student", "lesson", "item", "kind", "points", "max_points", "status", "detail"]
# What `il2edu grade` writes (docs/INSTRUCTORS.md, section 7): run, exercise, quiz and total rows.
GRADES = [
    ["alice", "02-receptor", "02_receptor.ipynb", "run", "0", "0", "completed", ""],
    ["alice", "02-receptor", "02-occupancy-treg", "exercise", "2", "2", "correct", ""],
    ["alice", "02-receptor", "02-trimer-affinity", "quiz", "1", "1", "correct", ""],
    ["alice", "04-tolerance", "04-x", "exercise", "0", "3", "incorrect", ""],
    ["alice", "", "total", "total", "3", "6", "", ""],
    ["bob", "02-receptor", "02-occupancy-treg", "exercise", "0", "2", "not attempted", ""],
    ["bob", "02-receptor", "02-trimer-affinity", "quiz", "1", "1", "correct", ""],
    ["=HYPERLINK(\"http://evil\")", "02-receptor", "02-occupancy-treg", "exercise", "2", "2", "correct", ""],
    ["zoe", "02-receptor", "02-occupancy-treg", "exercise", "2", "2", "correct", ""],
]


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def canvas_header_problems(header) -> list[str]:
    """What Canvas's gradebook importer would refuse in a header row (its rules, docs/INSTRUCTORS.md)."""
    problems = []
    if len(header) <= 3 or "Student" not in header[0] or "ID" not in header[1]:
        problems.append("the first two columns must be Student and ID")
    if "SIS Login ID" in header and not (header[2] == "SIS User ID" and header[3] == "SIS Login ID"):
        problems.append("SIS User ID and SIS Login ID must follow ID, in that order")
    student_columns = 5 if "SIS Login ID" in header else 3
    if header[student_columns - 1] != "Section":
        problems.append("Section must be the last column about the student")
    return problems


def test_canvas_file_has_canvas_columns_and_one_column_per_lesson(tmp_path, capsys):
    grades = _write(tmp_path / "grades.csv", GRADE_COLUMNS, GRADES)
    roster = _write(tmp_path / "canvas.csv",
                    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "il2edu 02-receptor (4321)",
                     "Current Score"],
                    [["    Points Possible", "", "", "", "", "3", "(read only)"],
                     ["Smith, Alice", "101", "S1", "alice", "Bio 1", "", "90"],
                     ["Jones, Bob", "102", "S2", "bob", "Bio 1", "", "80"],
                     ["Nobody, Carl", "103", "S3", "carl", "Bio 2", "", ""],
                     ["=cmd|' /C calc'!A0", "104", "S4", "=HYPERLINK(\"http://evil\")", "Bio 2", "", ""]])
    out = tmp_path / "canvas-import.csv"
    assert cli.main(["gradebook", str(grades), "--format", "canvas", "--roster", str(roster), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    rows = _read(out)
    header = rows[0]
    assert canvas_header_problems(header) == []
    # The existing assignment column is reused as it is (so Canvas updates it); a new lesson gets a new one.
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "il2edu 02-receptor (4321)",
                      "il2edu 04-tolerance"]
    assert rows[1] == ["Points Possible", "", "", "", "", "3", "3"]
    by_login = {r[3]: r for r in rows[2:]}
    assert by_login["alice"] == ["Smith, Alice", "101", "S1", "alice", "Bio 1", "3", "0"]
    assert by_login["bob"] == ["Jones, Bob", "102", "S2", "bob", "Bio 1", "1", ""]
    assert by_login["carl"][5:] == ["", ""]
    # A formula in the roster or the gradebook comes out inert text, never a live formula.
    hostile = rows[-1]
    assert hostile[0].startswith("'=") and hostile[3].startswith("'=")
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    # Every student that could not be matched is named, one line each.
    assert "carl: on the roster but not in grades.csv; left blank" in printed
    assert ("zoe: in grades.csv but no roster row has SIS Login ID = 'zoe'; not in the file (add them to the LMS or "
            "fix the name)") in printed
    assert printed[-1] == f"Wrote {out}: 4 student(s), 2 lesson column(s), for the canvas grade import."


def test_moodle_file_keeps_the_identity_column_to_map_and_one_column_per_lesson(tmp_path, capsys):
    grades = _write(tmp_path / "grades.csv", GRADE_COLUMNS, GRADES)
    roster = _write(tmp_path / "moodle.csv",
                    ["First name", "Last name", "ID number", "Institution", "Department", "Email address",
                     "Last downloaded from this course"],
                    [["Alice", "Smith", "alice", "U", "Bio", "alice@example.org", "1"],
                     ["Bob", "Jones", "bob", "U", "Bio", "bob@example.org", "1"]])
    out = tmp_path / "moodle-import.csv"
    assert cli.main(["gradebook", str(grades), "--format", "moodle", "--roster", str(roster), "--match", "ID number",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    rows = _read(out)
    assert rows[0] == ["First name", "Last name", "ID number", "Email address", "il2edu 02-receptor",
                       "il2edu 04-tolerance"]
    assert rows[1:] == [["Alice", "Smith", "alice", "alice@example.org", "3", "0"],
                        ["Bob", "Jones", "bob", "bob@example.org", "1", ""]]
    assert sum(1 for line in printed if "in grades.csv but no roster row has ID number" in line) == 2  # zoe, =HYPERLINK
    assert any(line.startswith("'=HYPERLINK") or line.startswith("=HYPERLINK") for line in printed)


def test_bad_files_get_one_line_and_no_output(tmp_path, capsys):
    grades = _write(tmp_path / "grades.csv", GRADE_COLUMNS, GRADES)
    roster = _write(tmp_path / "r.csv", ["Student", "ID", "Section"], [["A", "1", "x"]])
    out = tmp_path / "o.csv"
    assert cli.main(["gradebook", str(grades), "--format", "canvas", "--roster", str(roster), "--out", str(out)]) == 1
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(r"il2edu gradebook: .*r\.csv: no column 'SIS Login ID' to match students by \(columns: "
                        r"Student, ID, Section\); choose one with --match", line)
    not_grades = _write(tmp_path / "x.csv", ["a", "b"], [["1", "2"]])
    assert cli.main(["gradebook", str(not_grades), "--format", "moodle", "--roster", str(roster), "--match", "ID",
                     "--out", str(out)]) == 1
    assert "not a gradebook from `il2edu grade`" in capsys.readouterr().out
    moodle_roster = _write(tmp_path / "m.csv", ["Email address"], [["a@b"]])
    assert cli.main(["gradebook", str(grades), "--format", "canvas", "--roster", str(moodle_roster), "--match",
                     "Email address", "--out", str(out)]) == 1
    assert "not a Canvas gradebook export (no Student, ID column)" in capsys.readouterr().out
    assert not out.exists()


@pytest.mark.slow
def test_a_real_gradebook_from_il2edu_grade_goes_into_the_canvas_file(tmp_path, monkeypatch, capsys):
    """The whole route: release, grade an untouched copy and the answer key, then the Canvas file."""
    from il2edu.instructor import release
    from instructor_helpers import LESSON, SEEDS

    seeds = tmp_path / "course" / "seeds"
    shutil.copytree(SEEDS, seeds)
    monkeypatch.setenv("IL2EDU_SEEDS", str(seeds))
    release.release([LESSON], tmp_path / "release", root=seeds)
    for student, source in (("dry-run", tmp_path / "release" / LESSON.name), ("answer-key", LESSON)):
        (tmp_path / "subs" / student).mkdir(parents=True)
        shutil.copy(source, tmp_path / "subs" / student / LESSON.name)
    grades = tmp_path / "grades.csv"
    assert cli.main(["grade", str(tmp_path / "subs" / "dry-run"), str(tmp_path / "subs" / "answer-key"),
                     "--out", str(grades), "--feedback", str(tmp_path / "feedback")]) == 0
    roster = _write(tmp_path / "canvas.csv", ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
                    [["Key, Answer", "201", "K1", "answer-key", "A"], ["Run, Dry", "202", "D1", "dry-run", "A"]])
    capsys.readouterr()
    out = tmp_path / "canvas-import.csv"
    assert cli.main(["gradebook", str(grades), "--format", "canvas", "--roster", str(roster), "--out", str(out)]) == 0
    rows = _read(out)
    exercises = sum(e["points"] for e in yaml.safe_load((seeds / "exercises" / "91-fixture.yaml").read_text())["exercises"])
    questions = len(yaml.safe_load((seeds / "quizzes" / "91-fixture.yaml").read_text())["questions"])
    assert rows[0][5:] == ["il2edu 91-fixture"]
    assert rows[1][5:] == [f"{exercises + questions:g}"]  # no progress export: quiz questions earn 0 of 1 each
    assert rows[2] == ["Key, Answer", "201", "K1", "answer-key", "A", f"{exercises:g}"]
    assert rows[3] == ["Run, Dry", "202", "D1", "dry-run", "A", "0"]
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"Wrote {out}: 2 student(s), 1 lesson column(s)")
