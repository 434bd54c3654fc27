"""Run one notebook in its own kernel, with a time limit per cell and per notebook, and say how it went.

The kernel runs with its working directory in a throwaway copy of the submission's folder. A cell that
raises or runs past the cell limit is recorded and the run goes on (interrupting the kernel), so later
exercises are still graded; a kernel that exits or dies stops the run there; past the notebook limit the
kernel's whole process group is killed.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import threading
from dataclasses import dataclass, field


@dataclass
class RunResult:
    status: str                  # completed | errors | cell timeout | exited | kernel died | notebook timeout | invalid notebook
    detail: str = ""
    notebook: object = None      # the executed nbformat notebook, when there is one
    errors: dict = field(default_factory=dict)   # cell index -> exception name
    timeouts: list = field(default_factory=list)
    stopped_at: int | None = None
    index_map: dict = field(default_factory=dict)  # cell index as run -> as in the submission (grader cells left out)


TIMEOUT_NAME = "CellTimeout"


def _describe(errors: dict, timeouts: list) -> str:
    parts = [f"cell {i}: ran past the time limit" for i in timeouts]
    parts += [f"cell {i}: {name}" for i, name in sorted(errors.items()) if i not in timeouts]
    return "; ".join(parts)


def run_notebook(path, cwd, env: dict, cell_timeout: float, notebook_timeout: float, prepare=None,
                 after_cell=None, output_limit: int | None = None) -> RunResult:
    """prepare(nb) may adjust the notebook before it runs; after_cell(index) is called after each code cell;
    outputs past output_limit bytes (the whole notebook's) are dropped, with one line saying so."""
    import nbformat
    from nbclient.exceptions import DeadKernelError

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # bad JSON, wrong shape, unreadable: nbformat raises several kinds
        return RunResult("invalid notebook", f"not a readable Jupyter notebook ({type(exc).__name__})")
    if prepare is not None:
        prepare(nb)

    state = {"cell": None, "killed": False, "pgid": None}
    timeouts: list[int] = []

    def on_notebook_start(notebook):
        provisioner = getattr(client.km, "provisioner", None)
        pid = getattr(provisioner, "pid", None)
        pgid = getattr(provisioner, "pgid", None)
        if pgid is None and pid is not None:
            try:
                pgid = os.getpgid(pid)
            except OSError:
                pgid = None
        state["pgid"] = pgid

    def on_cell_execute(cell, cell_index):
        state["cell"] = cell_index

    def on_cell_executed(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        if content.get("ename") == TIMEOUT_NAME:
            timeouts.append(cell_index)
        if after_cell is not None:
            after_cell(cell_index)

    quiet = logging.getLogger("il2edu.grade.kernel")  # timeouts and deaths are reported in the result instead
    quiet.propagate = False
    quiet.addHandler(logging.NullHandler())
    client = _client_class(output_limit)(
        nb,
        log=quiet,
        timeout=cell_timeout,
        startup_timeout=max(10, min(60, notebook_timeout)),
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": TIMEOUT_NAME, "evalue": f"ran past {cell_timeout:g} s", "traceback": []},
        shutdown_kernel="immediate",
        on_notebook_start=on_notebook_start,
        on_cell_execute=on_cell_execute,
        on_cell_executed=on_cell_executed,
    )

    def kill():
        # Past the notebook's limit: the kernel and anything it started share one process group.
        state["killed"] = True
        if state["pgid"]:
            try:
                os.killpg(state["pgid"], signal.SIGKILL)
            except OSError:
                pass

    watchdog = threading.Timer(notebook_timeout, kill)
    watchdog.daemon = True
    watchdog.start()
    died, failure = None, ""
    try:
        # The kernel's own stdout/stderr (not the student's prints, which travel as messages) would clutter a batch.
        client.execute(cwd=str(cwd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except DeadKernelError:
        died = state["cell"] if state["cell"] is not None else -1
    except Exception as exc:  # a kernel that will not start, or a lost connection: report, never crash the batch
        died = state["cell"] if state["cell"] is not None else -1
        failure = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()
    finally:
        watchdog.cancel()
    return _result(nb, state["killed"], died, failure, timeouts, notebook_timeout)


def _client_class(output_limit):
    from nbclient import NotebookClient

    if output_limit is None:
        return NotebookClient

    class Bounded(NotebookClient):
        """Keeps at most output_limit bytes of outputs, so 300 MB of prints cannot fill the grader's memory."""
        kept = 0
        told = False

        def output(self, outs, msg, display_id, cell_index):
            size = len(json.dumps(msg.get("content", {}), default=str))
            if Bounded.kept + size > output_limit:
                if not Bounded.told:
                    Bounded.told = True
                    import nbformat

                    outs.append(nbformat.v4.new_output("stream", name="stderr", text=(
                        f"[il2edu grade: outputs past {output_limit // (1 << 20)} MB were dropped]\n")))
                return None
            Bounded.kept += size
            return super().output(outs, msg, display_id, cell_index)

    return Bounded


SENTINEL = "il2edu_grader_sentinel"


def sentinel_cell():
    """A cell the grader runs before a graded cell: its reply means every earlier cell has finished."""
    import nbformat

    cell = nbformat.v4.new_code_cell("pass")
    cell.metadata[SENTINEL] = True
    return cell


def _result(nb, killed: bool, died, failure: str, timeouts: list, notebook_timeout: float) -> RunResult:
    """Drop the grader's own cells, renumber the rest as the student sees them, and name the outcome."""
    keep = [i for i, c in enumerate(nb.cells) if not c.metadata.get(SENTINEL)]
    index_map = {old: new for new, old in enumerate(keep)}

    def student_index(i):
        # a sentinel stands for the student's cell that follows it
        if i is None or i < 0:
            return None
        return next((index_map[j] for j in range(i, len(nb.cells)) if j in index_map), None)

    errors = {index_map[i]: name for i, name in _errors(nb).items() if i in index_map}
    timeouts = [index_map[i] for i in timeouts if i in index_map]
    stopped = student_index(died)
    nb.cells = [nb.cells[i] for i in keep]
    detail = _describe(errors, timeouts)
    tail = f"; {detail}" if detail else ""
    if killed:
        where = f" (stopped in cell {stopped})" if stopped is not None else ""
        result = RunResult("notebook timeout", f"ran past {notebook_timeout:g} s{where}{tail}", nb, errors, timeouts, stopped)
    elif died is not None:
        where = f"the kernel stopped in cell {stopped}" if stopped is not None else "the kernel did not start"
        result = RunResult("kernel died", where + (f" ({failure})" if failure else "") + tail, nb, errors, timeouts, stopped)
    elif timeouts:
        result = RunResult("cell timeout", detail, nb, errors, timeouts)
    elif any(name == "SystemExit" for name in errors.values()):
        result = RunResult("exited", detail, nb, errors, timeouts)
    elif errors:
        result = RunResult("errors", detail, nb, errors, timeouts)
    else:
        result = RunResult("completed", "", nb, errors, timeouts)
    result.index_map = index_map
    return result


def _errors(nb) -> dict:
    found = {}
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                found[i] = out.get("ename", "Error")
                break
    return found
