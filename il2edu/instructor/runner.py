"""Run one notebook in its own kernel, with a time limit per cell and per notebook, and say how it went.

The kernel runs with its working directory in a throwaway copy of the submission's folder. A cell that
raises or runs past the cell limit is recorded and the run goes on (interrupting the kernel), so later
exercises are still graded; a kernel that exits or dies stops the run there; past the notebook limit the
kernel's whole process group is killed.
"""

from __future__ import annotations

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


TIMEOUT_NAME = "CellTimeout"


def _describe(errors: dict, timeouts: list) -> str:
    parts = [f"cell {i}: ran past the time limit" for i in timeouts]
    parts += [f"cell {i}: {name}" for i, name in sorted(errors.items()) if i not in timeouts]
    return "; ".join(parts)


def run_notebook(path, cwd, env: dict, cell_timeout: float, notebook_timeout: float) -> RunResult:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # bad JSON, wrong shape, unreadable: nbformat raises several kinds
        return RunResult("invalid notebook", f"not a readable Jupyter notebook ({type(exc).__name__})")

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

    client = NotebookClient(
        nb,
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
    died = None
    try:
        # The kernel's own stdout/stderr (not the student's prints, which travel as messages) would clutter a batch.
        client.execute(cwd=str(cwd), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except DeadKernelError:
        died = state["cell"]
    except Exception as exc:  # a kernel that will not start, or a lost connection: report, never crash the batch
        died = state["cell"]
        if not state["killed"]:
            errors = _errors(nb)
            return RunResult("kernel died", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip(),
                             nb, errors, timeouts, died)
    finally:
        watchdog.cancel()

    errors = _errors(nb)
    detail = _describe(errors, timeouts)
    if state["killed"]:
        where = f" (stopped in cell {state['cell']})" if state["cell"] is not None else ""
        return RunResult("notebook timeout", f"ran past {notebook_timeout:g} s{where}" + (f"; {detail}" if detail else ""),
                         nb, errors, timeouts, state["cell"])
    if died is not None:
        return RunResult("kernel died", f"the kernel stopped in cell {died}" + (f"; {detail}" if detail else ""),
                         nb, errors, timeouts, died)
    if timeouts:
        return RunResult("cell timeout", detail, nb, errors, timeouts)
    if any(name == "SystemExit" for name in errors.values()):
        return RunResult("exited", detail, nb, errors, timeouts)
    if errors:
        return RunResult("errors", detail, nb, errors, timeouts)
    return RunResult("completed", "", nb, errors, timeouts)


def _errors(nb) -> dict:
    found = {}
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") == "error":
                found[i] = out.get("ename", "Error")
                break
    return found
