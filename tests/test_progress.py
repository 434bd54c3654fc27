"""The progress database: concurrent writers, a corrupt file, an unwritable home, the table, export and reset."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import il2edu
from il2edu import progress

REPO = Path(__file__).resolve().parent.parent


def cli(*args, home, stdin=None):
    env = {**os.environ, "IL2EDU_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "il2edu.cli", "progress", *args], capture_output=True,
                          text=True, env=env, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)


def test_rows_are_saved_in_wal_mode_under_il2edu_home(il2edu_home):
    progress.record("02-receptor", "02-a", "quiz", "About 10 pM", True, 1, 1)
    path = il2edu_home / "progress.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        row = conn.execute("SELECT lesson, item_id, kind, answer, correct FROM attempts").fetchone()
    assert row == ("02-receptor", "02-a", "quiz", "About 10 pM", 1)
    assert progress.store().rows()[0]["time"].endswith("Z")


WRITER = """
import sys
from il2edu import progress
for i in range(500):
    progress.record("02-receptor", f"02-q{i % 7}", "quiz", f"{sys.argv[1]}-{i}", i % 2 == 0, i % 2, 1)
"""


def test_two_processes_writing_500_attempts_each_leave_1000_rows(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "IL2EDU_HOME": str(home), "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, name], env=env, stderr=subprocess.PIPE, text=True)
             for name in ("a", "b")]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert errors == ["", ""]  # no fallback warning: both really wrote to the file
    with sqlite3.connect(home / "progress.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        answers = [r[0] for r in conn.execute("SELECT answer FROM attempts")]
    assert len(answers) == 1000
    assert set(answers) == {f"{n}-{i}" for n in "ab" for i in range(500)}


def test_corrupt_database_is_moved_aside_and_a_new_one_started(il2edu_home, capsys):
    il2edu_home.mkdir(parents=True)
    damaged = b"this is not an SQLite file, just some bytes " * 100
    (il2edu_home / "progress.sqlite3").write_bytes(damaged)
    progress.record("00-start-here", "00-x", "quiz", "42", True, 1, 1)
    warning = capsys.readouterr().err
    assert warning.count("\n") == 1 and warning.startswith("il2edu: your progress file was damaged")
    aside = list(il2edu_home.glob("progress.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept, never deleted
    assert [r["item_id"] for r in progress.store().rows()] == ["00-x"]
    assert not progress.store().in_memory


def test_database_damaged_while_open_is_recovered(il2edu_home, capsys):
    progress.record("00-start-here", "00-a", "quiz", "1", True, 1, 1)
    s = progress.store()
    s._conn.close()
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(s.path) + suffix)
        if p.exists():
            p.write_bytes(b"garbage" * 500)
    s._conn = sqlite3.connect(str(s.path), isolation_level=None, check_same_thread=False)
    s.record("00-start-here", "00-b", "quiz", "2", True, 1, 1)
    assert "damaged" in capsys.readouterr().err
    assert [r["item_id"] for r in s.rows()] == ["00-b"]
    assert list(il2edu_home.glob("progress.sqlite3.corrupt-*"))


def test_unwritable_home_keeps_quizzes_working_in_memory(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("IL2EDU_HOME", str(blocker / "il2edu"))  # cannot be created, even by root
    quiz = il2edu.quiz("00-start-here")
    q = quiz.question("00-treg-source")
    q.set_answer(False)
    q.check_button.click()
    assert q.feedback_text == "Correct: the statement is false."
    q.set_answer(True)
    q.check_button.click()
    err = capsys.readouterr().err
    assert err.count("il2edu:") == 1 and "kept only until the kernel stops" in err  # one warning, once
    assert progress.store().in_memory
    assert [r["correct"] for r in progress.store().rows()] == [1, 0]
    assert "kept in memory only" in repr(il2edu.progress())
    assert progress.learner_id() == "il2edu-learner"  # the fixed fallback seed


def test_learner_id_is_made_once(il2edu_home):
    first = progress.learner_id()
    assert len(first) == 32 and progress.learner_id() == first
    assert (il2edu_home / "learner-id").read_text().strip() == first


def test_progress_table_and_chart(il2edu_home):
    quiz = il2edu.quiz("00-start-here")
    for qid, answers in [("00-growth-factor", [0]), ("00-high-dose", ["40", "42"])]:
        q = quiz.question(qid)
        for a in answers:
            q.set_answer(a)
            q.check_button.click()
    shown = il2edu.progress()
    assert shown.table_rows() == [["00-start-here", "2 of 3", "1", "2 of 3", "0"]]
    html = shown._repr_html_()
    assert 'class="il2edu-progress"' in html and "<td>2 of 3</td>" in html
    assert "data:image/png;base64," in html and 'alt="Bar chart of score per lesson: 00-start-here: score 2 of 3"' in html
    assert shown.figure_png().startswith(b"\x89PNG")


def test_summary_counts_first_try_score_and_exercise_points():
    rows = [
        {"lesson": "02", "item_id": "q1", "kind": "quiz", "correct": 1, "points": 1, "max_points": 1},
        {"lesson": "02", "item_id": "q2", "kind": "quiz", "correct": 0, "points": 0, "max_points": 1},
        {"lesson": "02", "item_id": "q2", "kind": "quiz", "correct": 1, "points": 1, "max_points": 1},
        {"lesson": "02", "item_id": "q3", "kind": "reveal", "correct": 0, "points": 0, "max_points": 1},
        {"lesson": "02", "item_id": "q3", "kind": "quiz", "correct": 1, "points": 1, "max_points": 1},
        {"lesson": "02", "item_id": "e1", "kind": "exercise", "correct": 0, "points": 0, "max_points": 2},
        {"lesson": "02", "item_id": "e1", "kind": "exercise", "correct": 1, "points": 2, "max_points": 2},
        {"lesson": "02", "item_id": "e1", "kind": "solution", "correct": 0, "points": 0, "max_points": 0},
        {"lesson": "02", "item_id": "p1", "kind": "prediction", "correct": 0, "points": 0, "max_points": 0},
    ]
    [s] = progress.summarise(rows, {"02": {"items": 6, "points": 7}})
    assert s == {"lesson": "02", "answered": 4, "items": 6, "first_try": 1, "score": 5.0, "max_score": 7,
                 "solutions": 1}


def test_export_csv_and_json_and_refuse_other_extensions(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "IL2EDU_HOME": str(home), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c",
                    "from il2edu import progress\n"
                    "progress.record('02-receptor', '02-a', 'quiz', 'About 10 pM, I think', True, 1, 1)\n"
                    "progress.record('02-receptor', '02-e', 'exercise', '0.33', False, 0, 2)\n"], env=env, check=True)
    out = cli("--export", str(tmp_path / "mine.csv"), home=home)
    assert out.returncode == 0 and out.stdout.strip() == f"Wrote 2 attempt(s) to {tmp_path / 'mine.csv'}."
    with open(tmp_path / "mine.csv", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == ["time", "lesson", "item_id", "kind", "answer", "correct", "points", "max_points"]
    assert table[1][1:] == ["02-receptor", "02-a", "quiz", "About 10 pM, I think", "1", "1", "1"]
    assert table[2][1:] == ["02-receptor", "02-e", "exercise", "0.33", "0", "0", "2"]
    assert cli("--export", str(tmp_path / "mine.json"), home=home).returncode == 0
    data = json.loads((tmp_path / "mine.json").read_text())
    assert data["columns"][:3] == ["time", "lesson", "item_id"]
    assert data["attempts"][0]["correct"] is True and data["attempts"][1]["max_points"] == 2
    bad = cli("--export", str(tmp_path / "mine.xlsx"), home=home)
    assert bad.returncode == 2 and "use a name ending in .csv or .json" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_reset_refuses_without_a_terminal_and_asks_first(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "IL2EDU_HOME": str(home), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", "from il2edu import progress\nprogress.record('0', '0-a', 'quiz')"],
                   env=env, check=True)
    refused = cli("--reset", home=home)
    assert refused.returncode == 2 and "--reset needs a terminal to confirm, or --yes" in refused.stderr
    summary = cli(home=home).stdout.splitlines()
    assert summary[0].split() == ["Lesson", "Answered", "First-try", "correct", "Score", "Worked", "solutions", "seen"]
    assert summary[1].split() == ["0", "1", "of", "1", "0", "0", "of", "1", "0"]
    done = cli("--reset", "--yes", home=home)
    assert done.returncode == 0 and "Deleted 1 attempt(s)" in done.stdout
    with sqlite3.connect(home / "progress.sqlite3") as conn:
        assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 0


def test_reset_question_declined(il2edu_home, monkeypatch, capsys):
    progress.record("0", "0-a", "quiz")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    args = type("Args", (), {"reset": True, "yes": False, "export": None, "lesson": None})()
    assert progress.run(args) == 1
    assert "Nothing deleted." in capsys.readouterr().out
    assert progress.store().count() == 1
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert progress.run(args) == 0 and progress.store().count() == 0


def test_answers_are_stored_on_one_line(il2edu_home):
    progress.record("01", "01-a", "quiz", "A choice\nwritten over\r\ntwo lines", False, 0, 1)
    assert progress.store().rows()[0]["answer"] == "A choice written over two lines"


def test_a_version_1_file_is_migrated_and_keeps_its_rows(tmp_path):
    """A learner's file from before the new kinds: its rows survive, and a worked-solution reveal can be saved."""
    folder = tmp_path / "home"
    folder.mkdir()
    with sqlite3.connect(folder / progress.FILENAME) as conn:
        conn.executescript("""CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,
            lesson TEXT NOT NULL, item_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('quiz', 'exercise', 'reveal')), answer TEXT NOT NULL DEFAULT '',
            correct INTEGER NOT NULL DEFAULT 0, points REAL NOT NULL DEFAULT 0, max_points REAL NOT NULL DEFAULT 0);
            INSERT INTO attempts (time, lesson, item_id, kind, answer, correct, points, max_points)
            VALUES ('2026-01-01T00:00:00.000Z', '02-receptor', '02-kd-from-rates', 'exercise', '100.0', 0, 0, 1);
            PRAGMA user_version = 1;""")
    store = progress.Store(folder)
    store.record("02-receptor", "02-kd-from-rates", "solution")
    assert store.warning is None and not store.in_memory
    assert [(r["kind"], r["answer"]) for r in store.rows()] == [("exercise", "100.0"), ("solution", "")]
    store.close()
    with sqlite3.connect(folder / progress.FILENAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == progress.SCHEMA_VERSION


@pytest.mark.parametrize("kind", ["solution", "prediction", "written", "conclusion"])
def test_new_kinds_are_saved_and_exported(il2edu_home, tmp_path, kind):
    progress.record("07-low-dose", "07-x", kind, "an answer", False, 0, 0)
    progress.export(tmp_path / "mine.csv", progress.store().rows())
    assert f",07-low-dose,07-x,{kind},an answer,0,0,0" in (tmp_path / "mine.csv").read_text()
