"""`il2edu stamp` and `il2edu release`: nbgrader-compatible metadata from seeds, and student copies without solutions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from il2edu.instructor import common, release, stamp
from instructor_helpers import LESSON, REPO, SEEDS, nbgrader_problems

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def cli(*args, seeds=SEEDS, cwd=REPO):
    env_seeds = {"IL2EDU_SEEDS": str(seeds)} if seeds else {}
    import os

    return subprocess.run([sys.executable, "-m", "il2edu.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **env_seeds})


def solution_lines(nb) -> list[str]:
    """The non-blank lines between the solution markers of every cell."""
    found = []
    for cell in nb["cells"]:
        inside = False
        for line in common.source(cell).splitlines():
            if common.BEGIN.match(line):
                inside = True
            elif common.END.match(line):
                inside = False
            elif inside and line.strip():
                found.append(line.strip())
    return found


def code_text(nb) -> str:
    return "\n".join(common.source(c) for c in nb["cells"])


# -- stamp -------------------------------------------------------------------------------------------------

def test_fixture_lesson_is_stamped_from_its_seeds():
    nb = common.read_notebook(LESSON)
    graded = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"] for c in nb["cells"]
              if c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    assert {k: v["points"] for k, v in graded.items()} == {"91-occupancy-at-kd": 2, "91-occupancy-function": 3}
    assert all(v["locked"] and not v["solution"] for v in graded.values())
    answers = [c["metadata"]["nbgrader"] for c in nb["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")]
    assert [a["grade_id"] for a in answers] == ["91-occupancy-at-kd-answer", "91-occupancy-function-answer"]
    assert all(not a["grade"] and not a["locked"] and "points" not in a for a in answers)
    assert nbgrader_problems(nb) == []


def test_nbgrader_rules_catch_bad_metadata():
    nb = common.read_notebook(LESSON)
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
    del cell["metadata"]["nbgrader"]["points"]
    cell["metadata"]["nbgrader"]["grade_id"] = "has spaces"
    problems = nbgrader_problems(nb)
    assert any("needs points" in p for p in problems) and any("grade_id" in p for p in problems)


def test_stamp_check_notices_points_changed_in_seeds_and_stamp_rewrites_them(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    bank = seeds / "exercises" / "91-fixture.yaml"
    bank.write_text(bank.read_text().replace("points: 3", "points: 4"))
    nb_path = tmp_path / LESSON.name
    shutil.copy(LESSON, nb_path)
    checked = cli("stamp", "--check", str(nb_path), seeds=seeds)
    assert checked.returncode == 1 and "needs stamping" in checked.stdout
    assert nb_path.read_text() == LESSON.read_text()  # --check writes nothing
    stamped = cli("stamp", str(nb_path), seeds=seeds)
    assert stamped.returncode == 0, stamped.stdout + stamped.stderr
    assert "2 exercises, 6 points" in stamped.stdout
    points = [c["metadata"]["nbgrader"].get("points") for c in common.read_notebook(nb_path)["cells"]
              if c["metadata"].get("nbgrader", {}).get("grade")]
    assert points == [2, 4]
    # Only metadata changed: same cells, same sources.
    before, after = common.read_notebook(LESSON), common.read_notebook(nb_path)
    assert [common.source(c) for c in before["cells"]] == [common.source(c) for c in after["cells"]]


def test_stamp_names_an_unknown_exercise_and_an_orphan_solution():
    nb = common.read_notebook(LESSON)
    nb["cells"][5]["source"] = ['il2edu.check("91-no-such-exercise", occ_at_kd)']
    _, problems = stamp.stamp(nb, common.exercises("91-fixture", SEEDS))
    assert "exercise '91-no-such-exercise' (cell 5) is not in the lesson's exercise bank" in problems
    assert "exercise '91-occupancy-at-kd' of the bank is never checked in the notebook" in problems
    nb["cells"].insert(len(nb["cells"]), nbformat.v4.new_code_cell("### BEGIN SOLUTION\nz = 1\n### END SOLUTION"))
    _, problems = stamp.stamp(nb, common.exercises("91-fixture", SEEDS))
    assert any(p.endswith("is not followed by an il2edu.check(...) cell") for p in problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_lesson_is_stamped_consistently_with_seeds(path):
    lesson = common.lesson_for_notebook(path)
    assert lesson is not None, f"{path.name} is not in seeds/lessons.yaml"
    changed, problems, nb = stamp.stamp_file(path, write=False)
    assert problems == []
    assert not changed, f"run: il2edu stamp notebooks/{path.name}"
    assert nbgrader_problems(nb) == []
    graded = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"] for c in nb["cells"]
              if c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    bank = common.exercises(lesson)
    assert graded == {k: v.get("points", 1) for k, v in bank.items()}


def test_validate_reports_an_unstamped_lesson(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(SEEDS, course / "seeds")
    (course / "notebooks").mkdir()
    nb = common.read_notebook(LESSON)
    for cell in nb["cells"]:
        cell["metadata"].pop("nbgrader", None)
    common.write_notebook(nb, course / "notebooks" / LESSON.name)
    result = cli("validate", "--seeds", str(course / "seeds"), seeds=course / "seeds")
    assert result.returncode == 1
    assert (f"notebooks/{LESSON.name}: grading metadata is out of date; run: il2edu stamp notebooks/{LESSON.name}"
            in result.stdout)


# -- release --------------------------------------------------------------------------------------------------

def test_stubs_keep_names_and_function_signatures():
    top = "### BEGIN SOLUTION\nkd_pM, c_pM = 10, 5\nocc = c_pM / (c_pM + kd_pM)\nocc += 0\n### END SOLUTION\nprint(occ)"
    assert release.stub_code(top) == (
        "kd_pM = ...  # your answer here\nc_pM = ...  # your answer here\nocc = ...  # your answer here\nprint(occ)")
    body = "def f(x):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    y = x * 2\n    return y\n    ### END SOLUTION"
    assert release.stub_code(body) == "def f(x):\n    '''Doc.'''\n    # your code here\n    raise NotImplementedError"
    bare = "def h(a, b):\n    ### BEGIN SOLUTION\n    s = a * b\n    return s / 2\n    ### END SOLUTION"
    assert release.stub_code(bare) == "def h(a, b):\n    # your code here\n    raise NotImplementedError"
    whole = "### BEGIN SOLUTION\ndef g(a, b=2, *rest):\n    return a + b\n### END SOLUTION"
    assert release.stub_code(whole) == "def g(a, b=2, *rest):\n    # your code here\n    raise NotImplementedError"
    nothing = "for i in range(3):\n    ### BEGIN SOLUTION\n    print(i)\n    ### END SOLUTION"
    assert release.stub_code(nothing) == "for i in range(3):\n    # your code here\n    ..."


def test_unclosed_solution_is_one_clear_line():
    with pytest.raises(release.ReleaseError, match=r"^lesson.ipynb: cell 3: BEGIN SOLUTION \(line 1\) is never closed"):
        release.stub_code("### BEGIN SOLUTION\nx = 1", "lesson.ipynb: cell 3")


def test_release_of_the_fixture_lesson(tmp_path):
    manifest = release.release([LESSON], tmp_path / "out", root=SEEDS)
    out = common.read_notebook(tmp_path / "out" / LESSON.name)
    assert solution_lines(out) == []
    text = code_text(out)
    for line in solution_lines(common.read_notebook(LESSON)):
        assert line not in text
    assert "answer key" not in text and "occupancy at Kd: 0.5" not in text  # the instructor cell is gone
    assert "occ_at_kd = ...  # your answer here" in text and "raise NotImplementedError" in text
    assert "*Your answer here.*" in text
    assert nbgrader_problems(out) == []
    nbformat.validate(nbformat.read(str(tmp_path / "out" / LESSON.name), as_version=4))  # a valid notebook file
    check_cells = [c for c in out["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    assert all(c["metadata"]["editable"] is False and c["metadata"]["deletable"] is False for c in check_cells)
    entry = manifest["notebooks"][0]
    assert entry["lesson"] == "91-fixture" and entry["exercise_points"] == 5
    assert [(e["id"], e["points"]) for e in entry["exercises"]] == [("91-occupancy-at-kd", 2), ("91-occupancy-function", 3)]
    assert entry["quiz_questions"] == ["91-half-occupied", "91-tenfold"]
    assert json.loads((tmp_path / "out" / "manifest.json").read_text()) == manifest


def test_release_refuses_to_overwrite_its_sources(tmp_path):
    shutil.copy(LESSON, tmp_path / LESSON.name)
    result = cli("release", str(tmp_path / LESSON.name), "--out", str(tmp_path))
    assert result.returncode == 1
    assert "--out is the notebook's own folder" in result.stdout
    assert (tmp_path / LESSON.name).read_text() == LESSON.read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_releasing_a_lesson_leaves_no_solution_behind(path, tmp_path):
    release.release([path], tmp_path)
    source, out = common.read_notebook(path), common.read_notebook(tmp_path / path.name)
    assert solution_lines(out) == []
    text = code_text(out)
    for line in solution_lines(source):
        assert line not in text, f"solution line left in the student copy: {line}"
    assert not any(common.tags(c) & common.REMOVED_TAGS for c in out["cells"])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in out["cells"] if c["cell_type"] == "code")


def _execute(path, seeds=None, tmp_path=None):
    from nbclient import NotebookClient
    import os

    nb = nbformat.read(str(path), as_version=4)
    env = {**os.environ, "IL2EDU_HOME": str(tmp_path / "home"), "MPLBACKEND": "Agg"}
    if seeds:
        env["IL2EDU_SEEDS"] = str(seeds)
    NotebookClient(nb, timeout=300, kernel_name="python3").execute(cwd=str(path.parent), env=env)
    return nb


@pytest.mark.slow
def test_released_fixture_runs_top_to_bottom_and_says_not_attempted(tmp_path):
    release.release([LESSON], tmp_path / "out", root=SEEDS)
    nb = _execute(tmp_path / "out" / LESSON.name, SEEDS, tmp_path)  # raises CellExecutionError on any error
    checks = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    texts = ["".join(o.get("data", {}).get("text/plain", "")) for c in checks for o in c.outputs]
    assert len(texts) == 2 and all(t.startswith("Not attempted yet") for t in texts), texts


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_every_released_lesson_executes(path, tmp_path):
    release.release([path], tmp_path / "out")
    _execute(tmp_path / "out" / path.name, None, tmp_path)


def test_release_hygiene_markers_any_case_tags_any_spelling_and_one_line_failures(tmp_path, capsys):
    import nbformat as nbf

    from il2edu import cli

    nb = nbf.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"m": {"answer": 0.75}}}}
    keep = nbf.v4.new_markdown_cell("Seen by students")
    pasted = nbf.v4.new_markdown_cell("![x](attachment:a.png)")
    pasted["attachments"] = {"a.png": {"image/png": "c29sdXRpb24="}}
    nb.cells = [keep, pasted, nbf.v4.new_code_cell("# Begin Solution\nanswer_value = 987654\n# end solution"),
                nbf.v4.new_raw_cell("# BEGIN SOLUTION\nhidden words\n# END SOLUTION")]
    for tag in ("Instructor", "instructor_only", "INSTRUCTOR-NOTES", "Solutions"):
        cell = nbf.v4.new_markdown_cell(f"tagged words {tag}")
        cell.metadata["tags"] = [tag]
        nb.cells.append(cell)
    source = tmp_path / "lessons" / "99_hygiene.ipynb"
    source.parent.mkdir()
    nbf.write(nb, str(source))
    assert cli.main(["release", str(source), "--out", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / source.name).read_text()
    for leak in ("987654", "hidden words", "tagged words", "c29sdXRpb24=", "widget-state"):
        assert leak not in text
    assert "Seen by students" in text

    nb.cells.append(nbf.v4.new_code_cell("x = 1  # BEGIN SOLUTION here"))
    nbf.write(nb, str(source))
    capsys.readouterr()
    assert cli.main(["release", str(source), "--out", str(tmp_path / "out2")]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "cell 8: line 1 looks like a solution marker but is not one" in out[0]


def test_nbgrader_source_copies_drop_instructor_cells_and_keep_solutions(tmp_path):
    from il2edu import cli

    source = REPO / "notebooks" / "09_capstone.ipynb"
    assert cli.main(["release", str(source), "--out", str(tmp_path / "ps09"), "--nbgrader-source"]) == 0
    nb = json.loads((tmp_path / "ps09" / source.name).read_text())
    original = json.loads(source.read_text())
    assert any(common.removed(c) for c in original["cells"])  # the rubric cell is tagged instructor
    assert not any(common.removed(c) for c in nb["cells"])
    kept = [c for c in original["cells"] if not common.removed(c)]
    assert [common.source(c) for c in nb["cells"]] == [common.source(c) for c in kept]
