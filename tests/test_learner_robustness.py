"""The learner's side of the grading code: il2edu.check never raises, whatever it is given; a bank that is
not UTF-8 or is nested too deeply is one line naming the file; validate refuses answers no one can match."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import il2edu
from il2edu import content

REPO = Path(__file__).resolve().parent.parent


class ReprRaises(float):
    def __repr__(self):
        raise RuntimeError("no repr for you")


class NameRaises:
    def __call__(self, *args):
        return 0.5

    @property
    def __name__(self):
        raise RuntimeError("no name")


@pytest.mark.parametrize("exercise, value, starts", [
    ("02-occupancy-treg", 10 ** 5000, "Not quite"),
    ("02-occupancy-treg", ReprRaises(0.3), "Not quite"),
    ("02-occupancy-treg", ReprRaises(0.75), "Correct"),
    ("02-occupancy-function", NameRaises(), "Not quite"),
    ("02-occupancy-function", lambda c, k: 10 ** 5000, "Not quite"),
], ids=["huge-int", "repr-raises-wrong", "repr-raises-right", "name-raises", "returns-huge-int"])
def test_check_never_raises_and_says_one_line(tmp_path, monkeypatch, exercise, value, starts):
    monkeypatch.setenv("IL2EDU_HOME", str(tmp_path))
    result = il2edu.check(exercise, value)
    assert result.message.startswith(starts), result.message
    assert "\n" not in result.message and "Traceback" not in result.message


@pytest.mark.parametrize("data, message", [
    ("lesson: 01-meet-il2\nexercises: []\n# café\n".encode("latin-1"), "is not UTF-8 text"),
    ("lesson: 01-meet-il2\nexercises: []\n".encode("utf-16"), "is not UTF-8 text"),
    (b"lesson: " + b"[" * 50000, "is nested too deeply to read"),
], ids=["latin-1", "utf-16", "deep"])
def test_a_bank_that_cannot_be_read_is_one_line_naming_the_file(tmp_path, data, message):
    path = tmp_path / "01-meet-il2.yaml"
    path.write_bytes(data)
    with pytest.raises(content.ContentError) as err:
        content.read_yaml(path)
    assert str(err.value).startswith(f"{path}: {message}")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_validate_refuses_an_answer_no_one_can_match(tmp_path, value):
    seeds = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", seeds)
    path = seeds / "exercises" / "02-receptor.yaml"
    path.write_text(path.read_text().replace("    answer: 0.75\n", f"    answer: {value}\n", 1))
    bank = seeds / "quizzes" / "02-receptor.yaml"
    done = subprocess.run([sys.executable, "-m", "il2edu.cli", "validate", "--seeds", str(seeds)],
                          capture_output=True, text=True)
    assert done.returncode != 0
    assert "02-occupancy-treg" in done.stdout and "'answer' should be a finite number (not .inf or .nan)" in done.stdout
    assert bank.is_file()


def test_strict_checks_show_points_as_nbgrader_reads_them_and_write_nothing_to_stderr(tmp_path, monkeypatch, capsys):
    """nbgrader takes a number in a graded cell's text/plain output as its partial credit, and gives no
    points to a cell with stderr output; a progress folder that cannot be written must not cost points."""
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("IL2EDU_HOME", str(blocked / "home"))  # cannot be created: progress kept in memory
    monkeypatch.setenv("IL2EDU_STRICT_CHECKS", "1")
    from il2edu import progress

    monkeypatch.setattr(progress, "_STORES", {})
    result = il2edu.check("02-occupancy-treg", 0.75)
    assert repr(result) == "1" and "Correct" in result._repr_html_()
    out, err = capsys.readouterr()
    assert err == "" and "il2edu: cannot write your progress" in out
    monkeypatch.setenv("IL2EDU_STRICT_CHECKS", "0")
    assert repr(il2edu.check("02-occupancy-treg", 0.75)).startswith("Correct")
