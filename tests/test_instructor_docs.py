"""docs/INSTRUCTORS.md: its walkthrough, run command by command in a copy of the course, ends in a gradebook."""

from __future__ import annotations

import csv
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from instructor_helpers import REPO

GUIDE = REPO / "docs" / "INSTRUCTORS.md"


def walkthrough() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    block = re.search(r"<!-- walkthrough -->\s*```bash\n(.*?)```\s*<!-- /walkthrough -->", text, flags=re.S)
    assert block, "docs/INSTRUCTORS.md lost its marked walkthrough block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_guide_covers_the_whole_workflow():
    text = GUIDE.read_text(encoding="utf-8").lower()
    for topic in ("choose lessons", "quiz questions", "release", "distribute", "lms", "nbgitpuller", "binder",
                  "collect", "grade", "nbgrader", "otter-grader"):
        assert topic in text, topic
    commands = walkthrough()
    for sub in ("validate", "stamp", "release", "grade"):
        assert any(c.startswith(f"il2edu {sub}") for c in commands), sub


@pytest.mark.slow
def test_walkthrough_runs_from_a_copy_of_the_course_to_a_gradebook(tmp_path):
    course = tmp_path / "il2edu"
    for folder in ("seeds", "notebooks", "docs"):
        shutil.copytree(REPO / folder, course / folder)
    # The course's own command, run by this Python; the copy's seeds, as in a fresh clone.
    env = {**os.environ, "IL2EDU_SEEDS": str(course / "seeds"), "IL2EDU_HOME": str(tmp_path / "home"),
           # left over from an nbgrader session: il2edu grade must not let stubs fail their cells
           "IL2EDU_STRICT_CHECKS": "1"}
    prelude = f"il2edu() {{ {shlex.quote(sys.executable)} -m il2edu.cli \"$@\"; }}\n"
    for command in walkthrough():
        result = subprocess.run(["bash", "-c", prelude + command], cwd=course, env=env, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert (course / "release" / "manifest.json").is_file()
    with (course / "grades.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    runs = {r["student"]: r for r in rows if r["kind"] == "run"}
    assert {(r["item"], r["status"]) for r in runs.values()} == {("02_receptor.ipynb", "completed")}
    totals = {r["student"]: r for r in rows if r["kind"] == "total"}
    assert totals["dry-run"]["points"] == "0"
    # the instructor's own notebook earns every exercise point of the lesson
    key = totals["answer-key"]
    exercise_rows = [r for r in rows if r["student"] == "answer-key" and r["kind"] == "exercise"]
    assert exercise_rows and all(r["points"] == r["max_points"] for r in exercise_rows)
    assert float(key["points"]) >= sum(float(r["max_points"]) for r in exercise_rows) > 0
    assert (course / "feedback" / "dry-run.md").read_text().startswith("# Feedback for dry-run")
