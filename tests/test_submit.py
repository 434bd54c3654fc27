"""The busy-kernel fix: a typed answer is judged as the browser sent it with the press.

On a busy kernel ipywidgets 8 sends a button click at once but holds a text box's newer value back while the
box's earlier message is unanswered, then sends it merged into one update. These tests deliver the widget
messages to the real ipywidgets message handler in the order the browser sends them (a browser test,
tests/e2e/test_busy_kernel.py, drives the same in JupyterLab)."""

from __future__ import annotations

import ipywidgets as w

import il2edu
from il2edu import progress


def from_browser(widget, **state):
    """A state update as the browser's widget manager sends it over the widget's comm."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state, "buffer_paths": []}}, "buffers": []})


def click_from_browser(button):
    button._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []})


def answers(kind):
    return [(r["item_id"], r["answer"], r["correct"]) for r in progress.store().rows() if r["kind"] == kind]


def test_check_judges_the_corrected_number_held_back_on_a_busy_kernel(il2edu_home):
    q = il2edu.question("02-fold-gain")  # numeric, the answer is 100
    from_browser(q.text, value="10")  # sent while the kernel was busy
    from_browser(q.check_button, value=True)  # the press: the toggle's own state, sent at once
    from_browser(q.text, value="100", description_allow_html=True)  # the held-back value with the press
    assert q.feedback_text.startswith("Correct")
    assert answers("quiz") == [("02-fold-gain", "100", 1)]  # the stale "10" was never judged
    assert q.check_button.value is False and q.text.description_allow_html is False  # ready for the next press
    from_browser(q.text, value="7", description_allow_html=True)  # a second press, with a new answer
    assert q.feedback_text.startswith("Not quite") and answers("quiz")[-1] == ("02-fold-gain", "7", 0)


def test_press_after_press_on_an_idle_kernel_each_judges_its_own_answer(il2edu_home):
    """Idle order: the box's half of a press (value and trigger) comes first, the toggle's own value after it.
    Every press must find the toggle released again, or the next click turns it off and is lost."""
    q = il2edu.question("02-fold-gain")
    for typed, verdict in (("1000", "Not quite"), ("100", "Correct"), ("7", "Not quite")):
        from_browser(q.text, value=typed, description_allow_html=True)
        from_browser(q.check_button, value=True)
        assert q.feedback_text.startswith(verdict), typed
        assert q.check_button.value is False and q.text.description_allow_html is False
    assert [a[1] for a in answers("quiz")] == ["1000", "100", "7"]


def test_a_plain_button_would_have_judged_the_stale_value():
    """Why: the same order with an ipywidgets Button; the click overtakes the held-back value."""
    box, button, judged = w.Text(continuous_update=False), w.Button(description="Check"), []
    button.on_click(lambda _b: judged.append(box.value))
    from_browser(box, value="10")
    click_from_browser(button)
    from_browser(box, value="100")
    assert judged == ["10"]


def test_a_written_answer_saves_the_text_sent_with_the_press(il2edu_home):
    shown = il2edu.write("07-write-window")
    from_browser(shown.input, value="Low")  # the first keystrokes, sent while the kernel was busy
    from_browser(shown.input, value="Low doses stay in the Treg window: the trimer binds IL-2 a hundred times "
                                     "more tightly than the dimer.", description_allow_html=True)
    assert shown.feedback_text.startswith("Saved.") and "A model answer." in shown.model.value
    assert answers("written")[0][1].startswith("Low doses stay in the Treg window")


def test_a_number_prediction_saves_the_number_sent_with_the_press(il2edu_home):
    from il2edu.activities import prompt_widgets

    entry = {"id": "99-predict-n", "prompt": "How many?", "type": "number", "unit": "pM", "model_answer": "x",
             "explanation": "y", "references": ["trotta2018"]}
    shown = prompt_widgets.Prediction("99-test", entry)
    from_browser(shown.input, value="3")
    from_browser(shown.input, value="30", description_allow_html=True)
    assert shown.feedback_text == "Saved: you predict 30 pM. Now try it below, then compare."
    assert answers("prediction") == [("99-predict-n", "30 pM", 0)]
