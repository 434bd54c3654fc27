"""Check on a busy kernel judges the answer the learner typed last, in JupyterLab with a real kernel.

ipywidgets holds a text box's newer value back while the box's earlier message is unanswered but sends a
plain button click at once; il2edu's Check press travels with the box's value (il2edu/activities/submit.py).
The scratch notebook's second cell keeps the kernel busy until this test writes a flag file, so the order
of events does not depend on timing: type 10 and press Enter (sent, unanswered), correct it to 100 and
press Check at once, then release the kernel."""

from __future__ import annotations

import json
import sqlite3
import time

import browser_checks

NOTEBOOK = "review-busy-check.ipynb"
FLAG = "release-busy-check.flag"
CELLS = [
    'import il2edu\nquestion = il2edu.question("02-fold-gain")\nquestion',
    f"import pathlib, time\nfor _ in range(900):  # at most 90 s\n    if pathlib.Path({FLAG!r}).exists():\n"
    "        break\n    time.sleep(0.1)",
]


def _notebook() -> str:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{n}", "metadata": {}, "outputs": [],
              "source": source} for n, source in enumerate(CELLS)]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                   "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


def _saved(lab) -> list[tuple]:
    path = lab.workdir / "il2edu-home" / "progress.sqlite3"
    if not path.exists():
        return []  # nothing saved in this lab yet
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT kind, answer FROM attempts WHERE item_id = '02-fold-gain' AND kind = 'quiz'"
                            " ORDER BY id").fetchall()


def test_check_on_a_busy_kernel_judges_the_corrected_answer(lab, lab_page):
    page = lab_page.page
    (lab.root / NOTEBOOK).write_text(_notebook(), encoding="utf-8")
    flag = lab.root / FLAG
    flag.unlink(missing_ok=True)
    before = len(_saved(lab))
    try:
        browser_checks.open_notebook(page, lab, NOTEBOOK)
        browser_checks.start_run_all(page)
        question = page.locator(".il2edu-question").first
        box = question.locator(".widget-text input").first
        box.wait_for(timeout=60_000)
        deadline = time.monotonic() + 30
        while not page.evaluate("() => window.__il2e2e.runState().busy") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert page.evaluate("() => window.__il2e2e.runState().busy"), "the second cell should keep the kernel busy"
        box.fill("10")
        box.press("Enter")  # sent at once; the busy kernel does not answer it yet
        box.fill("100")
        question.locator("button", has_text="Check").click()  # at once: the box's new value is held back
        flag.write_text("done\n")
        browser_checks.run_all_finished(page, NOTEBOOK)
        deadline, shown = time.monotonic() + 30, ""
        while time.monotonic() < deadline and not shown.startswith(("Correct", "Not quite")):
            shown = " ".join(question.locator(".il2edu-feedback").inner_text().split())
            time.sleep(0.1)
        assert shown.startswith("Correct"), f"after correcting 10 to 100 and pressing Check, the page shows {shown!r}"
        assert _saved(lab)[before:] == [("quiz", "100")]  # judged once, on what the learner saw
        button = question.locator("button", has_text="Check")
        assert "mod-active" not in (button.get_attribute("class") or "")  # it does not stay looking pressed
    finally:
        flag.write_text("done\n")
        browser_checks.close_documents(page)
        lab.shutdown_kernels(NOTEBOOK)
