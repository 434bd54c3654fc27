"""Keyboard only: a learner who cannot use a mouse answers a quiz question, saves a prediction and compares
it with the model, and moves an explorer.

Lesson 02 is opened and run in JupyterLab as in the other browser tests; from then on the page gets key
presses only (Tab, arrows, Space, Enter). The walk starts with focus on the question's first choice and on
the explorer's first slider: reaching a cell's output is JupyterLab's own keyboard navigation, not ours.
"""

from __future__ import annotations

import axe_checks
import browser_checks
from il2edu.activities import prompts
from il2edu.activities.quiz import bank

LESSON = "notebooks/02_receptor.ipynb"
QUESTION = "02-gammac-alone"  # a true/false question inline in lesson 02
PREDICTION = "02-predict-half"  # a choice prediction before the binding explorer, revealed after it


def _active(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement;
        return {tag: a.tagName, type: a.type || '', text: (a.innerText || a.value || '').trim(),
                label: a.labels && a.labels[0] ? a.labels[0].innerText.trim() : '',
                explorer: Boolean(a.closest('.il2edu-explorer')), role: a.getAttribute('role') || ''}; }""")


def _tab_to(page, wanted, most=6, back=False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element is what `wanted` accepts; fail after `most`."""
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = _active(page)
        if wanted(now):
            return now
    raise AssertionError(f"{most} presses of {'Shift+' if back else ''}Tab did not reach it; focus is on {now}")


def _pick_and_press(page, box, choice, button):
    """Keys only: focus the box's first radio button, Tab to `choice`, Space to pick it, Tab to `button`, Enter.
    ipywidgets' radio buttons are one Tab stop each; Space picks the focused one."""
    box.locator("input[type=radio]").first.focus()
    if _active(page)["label"] != choice:
        _tab_to(page, lambda a: a["label"] == choice)
    page.keyboard.press("Space")
    _tab_to(page, lambda a: a["text"] == button)
    page.keyboard.press("Enter")


def _question(page):
    """The inline question's widget: the .il2edu-question whose prompt holds the bank's prompt."""
    _, q = bank.find_question(QUESTION)
    words = " ".join(q["prompt"].split()[:6])
    return page.locator(".il2edu-question", has_text=words).first, q


def _prediction(page):
    """The prediction widget and its reveal (the two .il2edu-predict boxes whose prompt starts the same)."""
    _, entry = prompts.find(PREDICTION, "prediction")
    words = " ".join(entry["prompt"].replace("**", "").split()[:6])
    boxes = page.locator(".il2edu-predict", has_text=words)
    return boxes.first, boxes.last, entry


def test_keyboard_walks_a_quiz_question_a_prediction_and_an_explorer(lab, lab_page):
    page = lab_page.page
    try:
        browser_checks.open_notebook(page, lab, LESSON)
        browser_checks.run_all(page, LESSON)
        browser_checks.settle_widgets(page)
        question, q = _question(page)
        right = "True" if q["answer"] else "False"
        wrong = "False" if q["answer"] else "True"

        _pick_and_press(page, question, wrong, "Check")
        feedback = question.locator(".il2edu-feedback")
        feedback.get_by_text("Not quite", exact=False).wait_for(timeout=10000)
        assert feedback.locator("[role=status]").count() == 1  # a screen reader announces the feedback

        _tab_to(page, lambda a: a["label"] == right, back=True)
        page.keyboard.press("Space")
        _tab_to(page, lambda a: a["text"] == "Check")
        page.keyboard.press("Enter")
        feedback.get_by_text("Correct", exact=False).wait_for(timeout=10000)
        assert question.locator("input[type=radio]:checked").evaluate("r => r.labels[0].innerText.trim()") == right

        # the prediction: pick a choice, save it, and (after the explorer) compare it with the model
        ask, reveal, entry = _prediction(page)
        mine = entry["answer"]
        _pick_and_press(page, ask, mine, "Save my prediction")
        ask.locator(".il2edu-feedback").get_by_text(f"Saved: you predict {mine}", exact=False).wait_for(timeout=10000)
        reveal.get_by_role("button", name="Compare with the model").focus()
        page.keyboard.press("Enter")
        compare = reveal.locator(".il2edu-compare")
        compare.get_by_text(f"You predicted: {mine}. The model:", exact=False).wait_for(timeout=10000)

        # the explorer: a slider moves with the arrow keys, the readout follows, Tab reaches the next control
        explorer = page.locator(".il2edu-explorer").first
        readout = explorer.locator(".il2edu-readout")
        before = readout.inner_text()
        explorer.locator(".widget-slider .noUi-handle").first.focus()
        assert _active(page)["explorer"] and _active(page)["role"] == "slider"
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("([el, t]) => el.innerText !== t", arg=[readout.element_handle(), before],
                               timeout=10000)
        # the handle is named after its slider and says the value shown beside it, not a position
        problems = axe_checks.handle_problems(explorer)
        assert not problems, problems
        visited = set()
        for _ in range(8):
            page.keyboard.press("Tab")
            now = _active(page)
            if not now["explorer"]:
                break
            visited.add((now["tag"], now["role"], now["text"][:40]))
        assert visited, "Tab from the explorer's first slider left the explorer at once: its other controls are unreachable"
    finally:
        browser_checks.close_documents(page)
        lab.shutdown_kernels(LESSON)
