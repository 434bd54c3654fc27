"""Every notebook in notebooks/, run from JupyterLab's Run menu in headless chromium, as a learner sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

import axe_checks

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
# One lesson per kind of explorer is measured in full (every control, 20 presses, idle and busy, a drag);
# the others get the quick check (10 presses on one slider), which keeps the suite inside CI's time.
MEASURED = {"02_receptor.ipynb", "04_tolerance.ipynb", "07_low_dose.ipynb"}


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_works_in_the_browser(check, lab_page, name):
    report = check(f"notebooks/{name}", measure=name in MEASURED)
    assert not report.problems, f"{name}: what a learner sees is broken:\n  " + "\n  ".join(report.problems)
    # axe-core on the page after Run All (and the quiz answers): the course's part must be clean
    axe = axe_checks.lab_report(lab_page.page)
    for line in axe["chrome"]:
        print(f"note: {name}: axe-core, JupyterLab's own chrome (not counted): {line}")
    assert not axe["course"], f"{name}: axe-core, serious or critical in course content:\n  " + "\n  ".join(axe["course"])
    assert not axe["explorer"], f"{name}: axe-core, serious or critical inside an explorer:\n  " + "\n  ".join(axe["explorer"])
