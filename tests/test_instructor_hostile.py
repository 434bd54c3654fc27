"""`il2edu grade` against one hostile submission per class of attack, in a real bubblewrap sandbox.

One batch: the honest key, a blank release, and students who forge results, hand in objects that lie,
read the answer key, kill or stop the grader, damage neighbours' and the instructor's files, leave
processes and IPython startup files behind, exhaust memory, output, processes and file size, or have
hostile folder names. Asserted as an instructor would check: the batch completes, every student has
rows, the key earns every point, no cheat earns one, nobody else's files change, nothing is left running.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from il2edu.instructor import grade, sandbox
from test_instructor_grade import QUIZ_HEADER, RIGHT, course, snapshot, student_notebook  # noqa: F401

MARK = "il2edu-hostile-marker"  # in the command line of every process an attacker tries to leave behind
WRONG = {"91-occupancy-at-kd-answer": "occ_at_kd = 0.3",
         "91-occupancy-function-answer": "def occupancy(c_pM, kd_pM):\n    return 0.3"}


def attacks(instructor: Path, subs: Path, grader_pid: int) -> dict:
    """student -> (answers, cells inserted before a grade id, extra files): wrong or blank answers, and a cheat."""
    key_file = instructor / "seeds" / "exercises" / "91-fixture.yaml"
    read_key = (
        "import os, yaml, il2edu\n"
        "package = os.path.dirname(il2edu.__file__)\n"
        "found = table = None\n"
        f"for path in [{str(key_file)!r}, os.environ.get('IL2EDU_SEEDS', '') + '/exercises/91-fixture.yaml',\n"
        "             package + '/seeds/exercises/91-fixture.yaml', package + '/../seeds/exercises/91-fixture.yaml']:\n"
        "    try:\n"
        "        entries = yaml.safe_load(open(path))['exercises']\n"
        "        found = found or next(e['answer'] for e in entries if 'answer' in e)\n"
        "        cases = next(e['cases'] for e in entries if 'cases' in e)\n"
        "        table = table or {tuple(c['args']): c['expected'] for c in cases if 'expected' in c} or None\n"
        "    except Exception:\n"
        "        pass\n"
        "occ_at_kd = found if found is not None else 0.3\n")
    return {
        # a hand-written export with correct=1 for wrong answers, and forged rows in the kernel's own store
        "forger": (WRONG, {"91-occupancy-at-kd": [
            "from il2edu import progress\n"
            "progress.record('91-fixture', '91-occupancy-at-kd', 'exercise', '0.5', True, 2, 2)\n"
            "progress.record('91-fixture', '91-occupancy-function', 'exercise', 'f', True, 3, 3)"]},
            {"my-progress.csv": QUIZ_HEADER + "t1,91-fixture,91-half-occupied,quiz,False,1,1,1\n"
                                              "t2,91-fixture,91-tenfold,quiz,0.2,1,1,1\n"
                                              "t3,91-fixture,91-new-kind,conclusion,x,1,5,5\n"}),
        # values whose comparisons lie, and a function returning one
        "liar": ({"91-occupancy-at-kd-answer": "class Always(float):\n    def __eq__(self, other): return True\n"
                                               "    def __float__(self): return 0.5 if False else 0.3\n"
                                               "occ_at_kd = Always(0.3)",
                  "91-occupancy-function-answer": "def occupancy(c_pM, kd_pM):\n    return Always(0.3)"}, {}, {}),
        # patches the checker and the package, plants a module beside the notebook
        "patcher": (WRONG, {"91-occupancy-at-kd": [
            "import il2edu, il2edu.activities.exercises as ex\n"
            "from il2edu.activities.exercises import CheckResult\n"
            "fake = lambda i, v=None: CheckResult(i, 'correct', 'Correct', 9, 9)\n"
            "ex.check = ex._check = il2edu.check = fake\n"
            "try:\n    open(ex.__file__, 'a').write('\\n# patched\\n')\nexcept OSError:\n    pass"]},
            {"il2edu_patch.py": "raise SystemExit"}),
        # reads the key: the instructor's seeds path, IL2EDU_SEEDS, anything on disk
        "keyreader": ({"91-occupancy-at-kd-answer": read_key,
                       "91-occupancy-function-answer": "def occupancy(c_pM, kd_pM):\n"
                                                       "    return (table or {}).get((c_pM, kd_pM), 0.3)"}, {}, {}),
        # tries to kill and stop the grader, then kills its own executor
        "killer": (WRONG, {"91-occupancy-function": [
            f"import os, signal\nfor pid, sig in (({grader_pid}, signal.SIGSTOP), ({grader_pid}, signal.SIGKILL)):\n"
            "    try:\n        os.kill(pid, sig)\n    except OSError:\n        pass",
            "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"]}, {}),
        # damages neighbours, the instructor's folder and the gradebook; persists
        "vandal": (WRONG, {"91-occupancy-at-kd": [
            "import os, shutil, subprocess, sys\n"
            f"for target in [{str(subs / 'alice')!r}, {str(instructor / 'seeds')!r}, {str(instructor / 'release')!r}]:\n"
            "    shutil.rmtree(target, ignore_errors=True)\n"
            f"for path in [{str(instructor / 'grades.csv')!r}, {str(Path.home() / '.ipython/profile_default/startup/00-x.py')!r},\n"
            "             os.path.expanduser('~/.ipython/profile_default/startup/00-x.py')]:\n"
            "    try:\n"
            "        os.makedirs(os.path.dirname(path), exist_ok=True)\n"
            "        open(path, 'w').write('student,points\\nvandal,100\\n')\n"
            "    except OSError:\n"
            "        pass\n"
            f"sleeper = [sys.executable, '-c', 'import time; time.sleep(600)', {MARK!r}]\n"
            "subprocess.Popen(sleeper, start_new_session=True)\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    os.execv(sys.executable, sleeper)"]}, {}),
        # exhausts memory, output, file size and processes, then ignores every interrupt
        "hog": (WRONG, {"91-occupancy-function-answer": [
            "try:\n    big = bytearray(8 << 30)\nexcept MemoryError:\n    pass",
            "for _ in range(60):\n    print('x' * (1 << 20))",
            "try:\n    open('big.bin', 'wb').write(b'0' * (400 << 20))\nexcept OSError:\n    pass",
            "import os, time\nkids = 0\ntry:\n    for _ in range(2000):\n        if os.fork() == 0:\n"
            "            time.sleep(600)\n            os._exit(0)\n        kids += 1\nexcept OSError:\n    pass\nprint(kids)",
            "import time\nwhile True:\n    try:\n        time.sleep(0.2)\n    except KeyboardInterrupt:\n        pass"]}, {}),
    }


def left_running() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if MARK.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


NAMES = ["Zoë", "Zoé", "王小明", "=HYPERLINK(\"x\")"]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 3])
def test_hostile_batch_completes_and_no_cheat_earns_a_point(course, jobs):
    try:
        sandbox.probe()
    except sandbox.NoSandbox as err:
        pytest.fail(f"bubblewrap must work here (CI installs it): {err}")
    instructor, released, subs = course
    student_notebook(released, subs / "alice", RIGHT)  # the honest key
    (subs / "alice" / "progress.csv").write_text(QUIZ_HEADER + "t1,91-fixture,91-half-occupied,quiz,True,0,0,1\n"
                                                               "t2,91-fixture,91-tenfold,quiz,0.91,0,0,1\n")
    student_notebook(released, subs / "blank", {})
    for name, (answers, extra, files) in attacks(instructor, subs, os.getpid()).items():
        student_notebook(released, subs / name, answers, extra)
        for file_name, text in files.items():
            (subs / name / file_name).write_text(text)
    for name in NAMES:
        student_notebook(released, subs / name, RIGHT)
    odd = os.fsencode(subs) + b"/stu\xffdent"
    os.mkdir(odd)
    shutil.copy(subs / "blank" / released.name, os.fsdecode(odd) + "/" + released.name)
    before_subs, before_instructor = snapshot(subs), snapshot(instructor)
    startup = Path.home() / ".ipython/profile_default/startup/00-x.py"
    assert not startup.exists()

    folders = sorted(subs.iterdir())
    out = instructor / "grades.csv"
    # generous for honest cells on a loaded machine; the hog still runs into the notebook limit
    table = grade.grade(folders, out, cell_timeout=20, notebook_timeout=60, log=lambda line: None,
                        executed_dir=instructor / "executed", jobs=jobs)

    totals = {r["student"]: (r["points"], r["max_points"]) for r in table if r["kind"] == "total"}
    expected = {"alice", "blank", *attacks(instructor, subs, 0), *NAMES, "stu\\xffdent"}
    assert set(totals) == expected  # every student has rows, the non-UTF-8 one escaped
    assert totals["alice"] == ("7", "7"), [r for r in table if r["student"] == "alice"]  # the key earns every point
    for name in NAMES:
        assert totals[name] == ("5", "7"), [r for r in table if r["student"] == name]  # no export: exercises only
    cheats = {s: t for s, t in totals.items() if s not in {"alice", *NAMES}}
    assert cheats == {s: ("0", "7") for s in cheats}, cheats
    runs = {r["student"]: r["status"] for r in table if r["kind"] == "run"}
    assert runs["hog"] == "notebook timeout" and runs["killer"] == "kernel died"
    assert ("91-occupancy-function", "not run") in [(r["item"], r["status"]) for r in table if r["student"] == "killer"]
    assert ("91-occupancy-at-kd", "incorrect") in [(r["item"], r["status"]) for r in table if r["student"] == "killer"]
    # nobody else's files, nor the instructor's, changed; nothing was planted or left running
    assert snapshot(subs) == before_subs
    after = snapshot(instructor)
    assert {k: v for k, v in after.items() if k in before_instructor} == before_instructor
    assert not startup.exists()
    assert left_running() == []
    # the gradebook on disk: same rows, formulas neutralised, one feedback file per student
    with out.open(newline="", encoding="utf-8") as fh:
        on_disk = list(csv.DictReader(fh))
    assert len(on_disk) == len(table)
    assert {r["student"] for r in on_disk if r["kind"] == "total"} == (expected - {NAMES[3]}) | {"'" + NAMES[3]}
    feedback = sorted(p.name for p in (instructor / "feedback").iterdir())
    assert len(feedback) == len(expected)


def test_without_a_sandbox_grade_refuses_in_one_line_unless_unsafe(course, monkeypatch, capsys):
    from il2edu import cli

    instructor, released, subs = course
    student_notebook(released, subs / "alice", RIGHT)
    monkeypatch.setattr(sandbox, "BWRAP", "bwrap-not-installed-here")
    monkeypatch.setattr(sandbox, "_PROBE", {})
    code = cli.main(["grade", str(subs / "alice"), "--out", str(instructor / "grades.csv")])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1 and len(out) == 1
    assert out[0].startswith("il2edu grade: no sandbox can be made here (bubblewrap (bwrap) is not installed)")
    assert "--unsafe" in out[0] and not (instructor / "grades.csv").exists()


def test_gradebook_files_are_safe_to_open_and_never_written_through_a_link(course, tmp_path):
    instructor, released, subs = course
    student_notebook(released, subs / "alice", {})
    with pytest.raises(ValueError, match="--out .* is inside the submission folder"):
        grade.grade([subs / "alice"], subs / "alice" / "grades.csv")
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    link = tmp_path / "grades.csv"
    link.symlink_to(victim)
    grade.write_atomic(link, "new")
    assert victim.read_text() == "keep me" and not link.is_symlink() and link.read_text() == "new"
    assert [grade.spreadsheet_safe(v) for v in ("=1+1", "+cmd", "@SUM(A1)", "-2", "-x", "0.5", "text")] == \
        ["'=1+1", "'+cmd", "'@SUM(A1)", "-2", "'-x", "0.5", "text"]
    names = {grade.file_names(n) for n in ("Zoë", "Zoé", "王小明", "李小明", "alice", "Zoe")}
    assert len(names) == 6 and "alice" in names
    assert grade.student_name(os.fsdecode(b"stu\xffdent")) == "stu\\xffdent"


def test_two_graders_on_one_machine_never_share_a_sandbox_user_id():
    # the process limit counts a user id's processes machine-wide: a shared id would share one limit
    first, held_first = sandbox.reserve_uids(3)
    second, held_second = sandbox.reserve_uids(2)
    try:
        assert len(set(first)) == 3 and not set(first) & set(second)
        assert all(sandbox.SANDBOX_UID <= uid < sandbox.SANDBOX_UID + sandbox.UID_RANGE for uid in first + second)
    finally:
        for fh in held_first + held_second:
            fh.close()
