"""One bubblewrap sandbox per submission: the grader's side.

The whole notebook run (nbclient and the student's kernel) happens inside `bwrap` with its own PID, network,
IPC, UTS and mount namespaces. The sandbox sees the system and the Python environment read-only, the il2edu
package read-only, a copy of the course data with every exercise answer removed, and one private writable
folder holding a copy of this one submission. It writes only data there (the executed notebook and what the
student answered, see inside.py); the grader judges that data outside, against the real key.

Limits: memory (address space), processes, file size, CPU time per process and output size are set inside
(inside.py, before any student code); a wall-clock watchdog here kills the sandbox, and `--die-with-parent`
plus the PID namespace end every process it started when its first process ends.

Running as root (CI, containers), the kernel would run as root in the sandbox, where the kernel enforces no
process limit; so each running sandbox gets an unprivileged user id of its own, one per job slot, locked
against other graders on the same machine (reserve_uids), since the limit counts a user id machine-wide.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import il2edu

BWRAP = "bwrap"
INSIDE = "/grade"          # the private folder, as the sandbox sees it
SEEDS_INSIDE = "/grade-seeds"
SANDBOX_UID = 61000        # the first id tried, when the grader runs as root
UID_RANGE = 1000           # ids tried; each running grader holds one per job slot (reserve_uids)
STUDENT_ENV = "IL2EDU_STUDENT"  # whose per-student numbers the notebook shows (activities/numbers.py)
KEPT_FIELDS = ("id", "title", "objective", "points", "type", "unit", "references", "params", "model")  # of an exercise, inside


@dataclass
class Limits:
    memory_mb: int = 3072        # address space per process
    processes: int = 96          # threads count too (a kernel has about 20)
    file_mb: int = 64            # largest file a process may write
    output_mb: int = 20          # outputs kept from the whole notebook; the rest is dropped
    cpu_seconds: int = 0         # 0: the notebook limit


class NoSandbox(RuntimeError):
    """No sandbox can be made on this machine; the message is one line."""


def _system_binds() -> list[str]:
    args = []
    for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ("fonts", "localtime", "passwd", "group", "nsswitch.conf", "mime.types", "alternatives"):
        path = Path("/etc") / name
        if path.exists():
            args += ["--ro-bind", str(path), str(path)]
    return args


def python_paths() -> list[Path]:
    """What the sandbox's Python needs, read-only: the interpreter's prefixes and the il2edu package itself,
    never the folder around an editable install (that holds seeds/, the answers, and notebooks/)."""
    package = Path(il2edu.__file__).resolve().parent
    found = {package}
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        found.add(Path(prefix).resolve())
    found.add(Path(sys.executable).resolve().parent)
    # an interpreter outside /usr (pyenv, conda) may link to more of its own tree
    out = sorted(found, key=lambda p: len(p.parts))
    kept = []
    for path in out:
        if path == Path("/") or any(path.is_relative_to(k) and k != package for k in kept):
            continue
        if str(path).startswith(("/usr/", "/bin/", "/lib")) and path != package:
            continue
        kept.append(path)
    return kept


def reserve_uids(n: int) -> tuple[list[int], list]:
    """n sandbox user ids no other grader on this machine holds, and the open lock files that hold them.

    The process limit counts every process of a user id machine-wide, so two graders (two instructors, two
    test runs) sharing an id would share one limit: a fork bomb in one would starve the other's kernels."""
    import fcntl
    import tempfile

    folder = Path("/run/lock") if os.access("/run/lock", os.W_OK) else Path(tempfile.gettempdir())
    uids, held = [], []
    for uid in range(SANDBOX_UID, SANDBOX_UID + UID_RANGE):
        if len(uids) == n:
            break
        try:
            fh = open(folder / f"il2edu-sandbox-uid-{uid}.lock", "a")
        except OSError:
            continue
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another grader has it
            fh.close()
            continue
        uids.append(uid)
        held.append(fh)
    if len(uids) < n:
        for fh in held:
            fh.close()
        raise NoSandbox(f"no free sandbox user id between {SANDBOX_UID} and {SANDBOX_UID + UID_RANGE - 1}")
    return uids, held


def strip_seeds(seeds: Path, target: Path, cases: dict | None = None) -> None:
    """A copy of the course data the sandbox may see: every exercise keeps what the learner is shown (its
    type, points, the ranges of per-student numbers, the inputs a function is called with), never its answer,
    expected values or solution. cases: exercise id -> the cases to call its function on instead (the
    grader's hidden inputs included; only their args are kept)."""
    import yaml

    from .. import content

    shutil.copytree(seeds, target, ignore=shutil.ignore_patterns("exercises", ".*"), symlinks=False)
    (target / "exercises").mkdir(exist_ok=True)
    for path in sorted((seeds / "exercises").glob("*.yaml")) if (seeds / "exercises").is_dir() else []:
        try:
            data = content.read_yaml(path) or {}
        except (content.ContentError, OSError):
            continue
        entries = data.get("exercises") if isinstance(data, dict) else None
        kept = []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            safe = {k: entry[k] for k in KEPT_FIELDS if k in entry}
            entry_cases = (cases or {}).get(entry.get("id"), entry.get("cases"))
            if isinstance(entry_cases, list):
                safe["cases"] = [{"args": c.get("args") or []} for c in entry_cases if isinstance(c, dict)]
            kept.append(safe)
        out = {"lesson": data.get("lesson") if isinstance(data, dict) else path.stem, "exercises": kept}
        (target / "exercises" / path.name).write_text(yaml.safe_dump(out, allow_unicode=True), encoding="utf-8")


def _bwrap_command(box: Path, seeds: Path, uid: int | None) -> list[str]:
    cmd = [BWRAP, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
    if uid is None:
        cmd += ["--unshare-user"]
    else:  # root: the sandbox's first process drops to this user id (see inside.py) with these two capabilities
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    # the private /tmp first, so that a Python environment under /tmp is bound on top of it, not hidden
    cmd += ["--bind", str(box / "tmp"), "/tmp"]
    cmd += _system_binds()
    paths = python_paths()
    # bwrap makes missing parent folders private (0700); the dropped user id must be able to pass through them
    parents = sorted({p for path in paths for p in path.parents if p != Path("/")}, key=lambda p: len(p.parts))
    for parent in parents:
        if parent != Path("/tmp") and not any(parent == k or parent.is_relative_to(k) for k in paths):
            cmd += ["--perms", "0755", "--dir", str(parent)]
    for path in paths:
        cmd += ["--ro-bind", str(path), str(path)]
    package_seeds = Path(il2edu.__file__).resolve().parent / "seeds"
    if package_seeds.is_dir():  # an installed wheel ships the course data (with answers) inside the package
        cmd += ["--ro-bind", str(seeds), str(package_seeds)]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--bind", str(box), INSIDE, "--ro-bind", str(seeds), SEEDS_INSIDE,
            "--chdir", f"{INSIDE}/submission", "--clearenv"]
    return cmd


def inside_env(extra: dict | None = None) -> dict:
    home = f"{INSIDE}/home"
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin", "HOME": home,
           "LANG": "C.UTF-8", "IL2EDU_HOME": f"{home}/.il2edu", "IL2EDU_SEEDS": SEEDS_INSIDE,
           "IL2EDU_CAPTURE": f"{INSIDE}/out/captures.jsonl", "IPYTHONDIR": f"{home}/.ipython",
           "JUPYTER_RUNTIME_DIR": f"{home}/.jupyter-runtime", "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
           "JUPYTER_DATA_DIR": f"{home}/.jupyter-data", "MPLCONFIGDIR": f"{home}/.matplotlib",
           "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TMPDIR": "/tmp"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "VIRTUAL_ENV"):  # correctness settings of this machine
        if os.environ.get(name):
            env[name] = os.environ[name]
    env.update(extra or {})
    return env


_PROBE: dict = {}


def probe() -> None:
    """Raise NoSandbox (one line) unless a sandbox can be made here; the answer is remembered."""
    if "error" not in _PROBE:
        _PROBE["error"] = _probe()
    if _PROBE["error"]:
        raise NoSandbox(_PROBE["error"])


def _probe() -> str | None:
    if shutil.which(BWRAP) is None:
        return "bubblewrap (bwrap) is not installed"
    import tempfile

    with tempfile.TemporaryDirectory(prefix="il2edu-probe-") as tmp:
        box = Path(tmp) / "box"
        for sub in ("submission", "tmp", "home", "out"):
            (box / sub).mkdir(parents=True)
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        uid = SANDBOX_UID if os.geteuid() == 0 else None
        # as the sandbox will run: with root dropped to its own user id, able to import what grading needs
        drop = f"import os; os.setgroups([]); os.setgid({uid}); os.setuid({uid}); " if uid is not None else ""
        cmd = _bwrap_command(box, seeds, uid) + [sys.executable, "-c", drop + "import il2edu, nbclient, ipykernel"]
        try:
            done = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bwrap could not run ({type(exc).__name__})"
        if done.returncode != 0:
            why = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
            return f"bwrap failed: {why[:200]}"
    return None


def last_line(box: Path) -> str:
    """The last line the sandbox printed (it prints only when something went wrong), or ''."""
    try:
        with (box.parent / "sandbox.log").open("rb") as fh:
            fh.seek(max(0, fh.seek(0, 2) - 2000))
            lines = fh.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""


def run(box: Path, seeds: Path, job: dict, wall_seconds: float, uid: int | None = None,
        sandboxed: bool = True, student: str = "") -> str:
    """Run inside.py on the job in `box` (a private folder holding submission/), in a sandbox unless
    sandboxed is False (--unsafe); returns '' or why the run was cut short from outside. student: whose
    numbers the notebook's per-student exercises show (activities/numbers.py)."""
    for sub in ("tmp", "home", "out"):
        (box / sub).mkdir(exist_ok=True)
    env = inside_env({STUDENT_ENV: student} if student else None)
    if sandboxed:
        job_path = f"{INSIDE}/job.json"
        cmd = _bwrap_command(box, seeds, uid)
        for key, value in env.items():
            cmd += ["--setenv", key, value]
        cmd += [sys.executable, "-m", "il2edu.instructor.inside", job_path]
        env = None
    else:  # --unsafe: the same run as a plain process, with the paths pointing at the real folders
        job_path = str(box / "job.json")
        env = {k: v.replace(SEEDS_INSIDE, str(seeds)).replace(INSIDE, str(box)) for k, v in env.items()}
        job = {**job, "root": str(box)}
        cmd = [sys.executable, "-m", "il2edu.instructor.inside", job_path]
    (box / "job.json").write_text(json.dumps({**job, "uid": uid if sandboxed else None}), encoding="utf-8")
    if sandboxed and uid is not None:
        for path in [box, *box.rglob("*")]:
            os.lchown(path, uid, uid)
    log = (box.parent / "sandbox.log").open("wb")  # beside the box, not in it: for the last line on failure
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                cwd=str(box / "submission"), start_new_session=True)
    except OSError as exc:
        log.close()
        return f"the sandbox could not start ({exc.strerror or exc})"
    finally:
        log.close()
    try:
        # Popen.wait measures with the monotonic clock, so a grader stopped and resumed still kills on time.
        proc.wait(timeout=wall_seconds)
        return ""
    except subprocess.TimeoutExpired:
        return f"ran past {wall_seconds:g} s of wall-clock time and was killed"
    finally:
        if proc.poll() is None:
            try:  # bwrap's --die-with-parent and the PID namespace take every process inside with it
                os.killpg(proc.pid, 9)
            except OSError:
                pass
            proc.wait()
