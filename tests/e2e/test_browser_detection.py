"""Without a browser the e2e tests skip and say so; with CI=true the same run fails."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_without_browser(ci: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, IL2EDU_CHROMIUM=str(REPO / "no-such-chromium"))
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/e2e/test_checks_catch_failures.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )


def test_missing_browser_is_a_visible_skip():
    result = run_without_browser(ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROWSER TESTS SKIPPED" in result.stdout
    assert "chromium was not found at" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ skipped in .*", summary), summary


def test_missing_browser_fails_under_ci():
    result = run_without_browser(ci=True)
    assert result.returncode != 0
    assert "CI=true but the browser tests cannot run: chromium was not found" in result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ errors? in .*", summary), summary
