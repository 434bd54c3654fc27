"""One learner's full cycle on lesson 07 in JupyterLab, as a learner does it with mouse and keyboard: predict,
move the explorer, compare with the model, check a conclusion from the explorer's state, write an answer and see the model answer, and after a wrong
attempt at an exercise reveal its worked solution. What is saved is read back from the progress database."""

from __future__ import annotations

import sqlite3
import time

import browser_checks
from conftest import SCREENSHOTS

LESSON = "notebooks/07_low_dose.ipynb"


def text_of(locator) -> str:
    return " ".join(locator.inner_text().split()) if locator.count() else ""


def wait_for(locator, wanted: str, timeout_s: float = 30) -> str:
    """The locator's text once it contains `wanted` (or what it shows when time is up): a wait, not a timing."""
    deadline, text = time.monotonic() + timeout_s, ""
    while time.monotonic() < deadline:
        text = text_of(locator)
        if wanted in text:
            break
        time.sleep(0.1)
    return text


def saved(lab, item_id: str) -> list[tuple]:
    """(kind, answer) rows the kernel saved for one item, from the lab's own IL2EDU_HOME."""
    with sqlite3.connect(lab.workdir / "il2edu-home" / "progress.sqlite3") as conn:
        return conn.execute("SELECT kind, answer FROM attempts WHERE item_id = ? ORDER BY id", (item_id,)).fetchall()


def test_predict_observe_explain_write_and_a_worked_solution(lab, lab_page):
    page = lab_page.page
    try:
        browser_checks.open_notebook(page, lab, LESSON)
        browser_checks.run_all(page, LESSON)
        browser_checks.settle_widgets(page)

        predict = page.locator(".il2edu-predict").first
        predict.locator(".widget-radio-box label", has_text="It falls").click()
        predict.locator("button", has_text="Save my prediction").click()
        said = wait_for(predict.locator(".il2edu-feedback"), "Saved: you predict It falls.")
        assert "Saved: you predict It falls." in said, said

        explorer = page.locator(".il2edu-explorer").first
        before = text_of(explorer.locator(".il2edu-readout"))
        explorer.locator("select").first.select_option(label="T1D dose-finding, 3 MIU s.c. daily, 5 days")
        after = wait_for(explorer.locator(".il2edu-readout"), "3 MIU per dose")
        assert "3 MIU per dose" in after and after != before, (before, after)

        compare = page.locator(".il2edu-predict").nth(1)
        compare.locator("button", has_text="Compare with the model").click()
        shown = wait_for(compare.locator(".il2edu-compare"), "The model: it falls")
        assert shown.startswith("You predicted: It falls. The model: it falls"), shown

        # The conclusion is judged from the explorer as the learner left it (3 MIU a day): run its cell again.
        conclusion = page.locator(".jp-CodeCell").filter(has_text='il2edu.check("07-window-dose"').first
        conclusion.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")
        judged = wait_for(conclusion.locator(".il2edu-check"), "At 3 MIU")
        assert judged.startswith("Not quite: move the dose down. At 3 MIU the Tregs respond only 14.8 times"), judged

        write = page.locator(".il2edu-write").first
        write.locator("textarea").fill("No line is crossed, yet the Tregs respond about twenty times more than NK and CD8 cells.")
        write.locator("button", has_text="Save my answer").click()
        model = wait_for(write.locator(".il2edu-model-answer"), "A model answer.")
        assert model.startswith("A model answer.") and "selectivity index" in model, model
        assert "Saved." in text_of(write.locator(".il2edu-feedback"))

        # A wrong attempt at the total-dose exercise, typed into its cell and run with Shift+Enter twice
        # (the answer cell, then its check cell).
        answer = page.locator(".jp-CodeCell").filter(has_text="total_miu = ...").first
        answer.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.type("total_miu = 1.5 * 5")
        page.keyboard.press("Shift+Enter")
        page.keyboard.press("Shift+Enter")
        check = page.locator(".jp-CodeCell").filter(has_text='il2edu.check("07-saadoun-total"').first
        verdict = wait_for(check.locator(".il2edu-check"), "Not quite")
        assert verdict.startswith("Not quite"), verdict
        check.locator("button", has_text="Show a worked solution").click()
        worked = wait_for(check.locator(".il2edu-worked-solution"), "Worked solution.")
        assert worked.startswith("Worked solution.") and "total_miu = 1.5 * 5 + 3 * 5 * 3" in worked, worked
        assert ("prediction", "It falls") in saved(lab, "07-predict-selectivity")
        assert saved(lab, "07-write-readout")[-1][0] == "written"
        assert [k for k, _ in saved(lab, "07-saadoun-total")][-2:] == ["exercise", "solution"]
        assert saved(lab, "07-window-dose")[-1] == ("conclusion", "3 MIU per dose")
        browser_checks.screenshot(page, SCREENSHOTS / "learner-cycle.png")
    finally:
        try:
            browser_checks.close_documents(page)
        finally:
            lab_page.discard()  # the next notebook test starts on a fresh page, not on this edited one
            lab.shutdown_kernels(LESSON)
