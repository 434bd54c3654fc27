"""Every notebook in notebooks/, run from JupyterLab's Run menu in headless chromium, as a learner sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_works_in_the_browser(check, name):
    report = check(f"notebooks/{name}")
    assert not report.problems, f"{name}: what a learner sees is broken:\n  " + "\n  ".join(report.problems)
