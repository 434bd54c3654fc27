""".ci/run is what CI executes: it must parse, and it must end by running the README's test command."""

from __future__ import annotations

import subprocess
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / ".ci" / "run"


def test_ci_script_parses_and_runs_make_test():
    parsed = subprocess.run(["bash", "-n", str(RUN)], capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr
    lines = [line.strip() for line in RUN.read_text().splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert lines[0] == "set -euo pipefail" and lines[-1] == "make test"
