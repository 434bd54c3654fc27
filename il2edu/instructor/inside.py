"""The sandbox's side of grading: `python -m il2edu.instructor.inside JOB.json`, run by sandbox.run.

Sets the limits (before any student code), drops root to the sandbox's own user id, runs the prepared
notebook in a kernel (runner.run_notebook), and writes only data into out/: the executed notebook and
result.json (how the run went, and what il2edu.check was given, by cell). Nothing here judges: the sandbox
has no answers. Whatever the student's code writes into out/ can only misreport the student's own answers.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

MB = 1 << 20


def limit(job: dict) -> None:
    from .sandbox import Limits

    given, default = job.get("limits") or {}, Limits()

    def value(name):
        return int(given.get(name) or getattr(default, name))

    cpu = value("cpu_seconds") or int(job["notebook_timeout"]) + 30
    for name, amount in ((resource.RLIMIT_AS, value("memory_mb") * MB), (resource.RLIMIT_NPROC, value("processes")),
                         (resource.RLIMIT_FSIZE, value("file_mb") * MB), (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(name, (amount, amount))
    uid = job.get("uid")
    if uid is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


class Captures:
    """What il2edu.check wrote into $IL2EDU_CAPTURE, each line tagged with the cell that was running."""

    def __init__(self, path: Path, max_lines: int = 2000):
        self.path, self.offset, self.rows, self.max_lines = path, 0, [], max_lines

    def sweep(self, cell_index):
        try:
            with self.path.open("rb") as fh:
                fh.seek(self.offset)
                data = fh.read(4 * MB)
        except OSError:
            return
        end = data.rfind(b"\n") + 1
        self.offset += end
        for line in data[:end].splitlines():
            if len(self.rows) >= self.max_lines:
                return
            try:
                row = json.loads(line.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            if isinstance(row, dict):
                self.rows.append({**row, "cell": cell_index})


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    job_path = Path(argv[0])
    job = json.loads(job_path.read_text(encoding="utf-8"))
    root = Path(job.get("root") or job_path.parent)
    limit(job)
    import nbformat

    from .runner import run_notebook
    from .sandbox import Limits

    out = root / "out"
    captures = Captures(Path(os.environ.get("IL2EDU_CAPTURE") or out / "captures.jsonl"))

    def after_cell(index):
        # the answers so far, in case the run ends without result.json (a kernel that kills this process)
        captures.sweep(index)
        _write(out / "partial.json", {"captures": captures.rows})

    notebook = root / "submission" / job["notebook"]
    result = run_notebook(notebook, notebook.parent, dict(os.environ), job["cell_timeout"], job["notebook_timeout"],
                          after_cell=after_cell,
                          output_limit=int((job.get("limits") or {}).get("output_mb") or Limits().output_mb) * MB)
    captures.sweep(-1)  # checks made by a cell that never finished count for no exercise
    if result.notebook is not None:
        nbformat.write(result.notebook, str(out / "executed.ipynb"))
    report = {"status": result.status, "detail": result.detail, "errors": result.errors,
              "timeouts": result.timeouts, "stopped_at": result.stopped_at,
              "captures": captures.rows}
    _write(out / "result.json", report)
    return 0


def _write(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
