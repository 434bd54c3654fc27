"""il2edu.predict("<id>") and il2edu.write("<id>") as ipywidgets; data and judging are in prompts.py.

CSS classes for the browser tests: il2edu-predict, il2edu-write (the whole activity), il2edu-feedback (the
one-line status), il2edu-compare (prediction beside the model's answer), il2edu-model-answer, il2edu-recall
(the learner's own earlier answer, with write(..., recall="<earlier id>")).
"""

from __future__ import annotations

import html

import ipywidgets as w

from .. import content, progress
from . import feedback_html, prompts, save
from .quiz.widgets import Note, markdown
from .submit import SubmitButton


def _latest(item_id: str, kind: str) -> str | None:
    rows = [r for r in progress.store().rows() if r["item_id"] == item_id and r["kind"] == kind]
    return rows[-1]["answer"] if rows else None


class _Activity(w.VBox):
    css = ""

    def __init__(self, lesson: str, entry: dict, children: list):
        self.lesson, self.entry, self.item_id = lesson, entry, entry["id"]
        self.feedback = w.HTML(value="")
        self.feedback.add_class("il2edu-feedback")
        super().__init__([w.HTMLMath(value=markdown(entry["prompt"]))] + children + [self.feedback])
        self.add_class(self.css)

    def _show(self, status: str, message: str):
        self.feedback.value = feedback_html("correct" if status == "saved" else "invalid", message)

    def _safely(self, action):
        try:
            action()
        except Exception as err:  # noqa: BLE001 - the learner must not see a traceback
            self._show("invalid", f"Sorry, this could not be saved ({type(err).__name__}); please tell your instructor.")

    @property
    def feedback_text(self) -> str:
        import re

        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.feedback.value)).split())


class Prediction(_Activity):
    """Commit to a prediction; with reveal=True, see the saved prediction beside the model's answer."""

    css = "il2edu-predict"

    def __init__(self, lesson: str, entry: dict, reveal: bool = False):
        self.reveal_mode = reveal
        self.compare = w.HTMLMath(value="")
        self.compare.add_class("il2edu-compare")
        if reveal:  # the model's answer waits for the learner to ask, after they have tried the explorer
            self.button = w.Button(description="Compare with the model", button_style="primary",
                                   layout=w.Layout(width="auto"))
            self.button.on_click(lambda _b: self._safely(self._compare))
            super().__init__(lesson, entry, [self.button, self.compare])
            return
        if entry.get("type") == "number":
            unit = f" ({entry['unit']})" if entry.get("unit") else ""
            self.input = w.Text(placeholder="your prediction" + unit, description="Prediction")
        else:
            self.input = w.RadioButtons(options=list(map(str, entry["choices"])), value=None,
                                        layout=w.Layout(width="auto"))
        save_kw = dict(description="Save my prediction", button_style="primary", layout=w.Layout(width="auto"))
        self.button = (SubmitButton(self.input, **save_kw) if isinstance(self.input, w.Text) else w.Button(**save_kw))
        self.button.on_click(lambda _b: self._safely(self.submit))
        super().__init__(lesson, entry, [self.input, self.button])
        earlier = _latest(self.item_id, "prediction")
        if earlier:
            self._show("saved", f"Saved earlier: you predicted {earlier}. You may change it before you look.")

    def submit(self):
        status, message, text = prompts.judge_prediction(self.entry, self.input.value)
        if status == "saved":
            save(self.lesson, self.item_id, "prediction", text, prompts.prediction_matches(self.entry, text))
        self._show(status, message)

    def _compare(self):
        self.compare.value = (feedback_html("revealed", prompts.compare_text(self.entry, _latest(self.item_id, "prediction")))
                              + markdown(self.entry["explanation"]))

    def __repr__(self):
        if self.reveal_mode:
            return prompts.compare_text(self.entry, _latest(self.item_id, "prediction"))
        return f"Prediction {self.item_id}: run this cell in Jupyter to make your prediction."


class Written(_Activity):
    """A written answer, saved; the model answer appears once the answer is more than a few words."""

    css = "il2edu-write"

    def __init__(self, lesson: str, entry: dict, recall: tuple[str, dict] | None = None):
        self.recall = w.HTML(value=_recall_html(*recall) if recall else "")
        self.recall.add_class("il2edu-recall")
        self.input = w.Textarea(placeholder="Your answer, in a few sentences", layout=w.Layout(width="95%", height="6em"))
        self.button = SubmitButton(self.input, description="Save my answer", button_style="primary",
                                   layout=w.Layout(width="auto"))
        self.button.on_click(lambda _b: self._safely(self.submit))
        self.model = w.HTMLMath(value="")
        self.model.add_class("il2edu-model-answer")
        super().__init__(lesson, entry, ([self.recall] if recall else []) + [self.input, self.button, self.model])
        earlier = _latest(self.item_id, "written")
        if earlier:
            self.input.value = earlier
            self._reveal()

    def submit(self):
        status, message = prompts.judge_written(self.entry, self.input.value)
        if status == "saved":
            save(self.lesson, self.item_id, "written", self.input.value)
            self._reveal()
        self._show(status, message)

    def _reveal(self):
        self.model.value = "<b>A model answer.</b> " + markdown(self.entry["model_answer"])

    def __repr__(self):
        return f"Written answer {self.item_id}: run this cell in Jupyter to write your answer."


def _recall_html(lesson: str, entry: dict) -> str:
    """The learner's saved answer to an earlier written question, shown above a new box."""
    earlier = _latest(entry["id"], "written")
    if earlier is None:
        return (f"<i>You did not save an answer to this question in lesson {html.escape(lesson[:2])}; "
                "write what you think now.</i>")
    return (f"<b>Your answer in lesson {html.escape(lesson[:2])}:</b>"
            f'<blockquote style="white-space:pre-wrap">{html.escape(earlier)}</blockquote>')


def predict(item_id: str, reveal: bool = False):
    try:
        lesson, entry = prompts.find(str(item_id), "prediction")
    except content.ContentError as err:
        return Note(f"This prediction cannot be shown: {err}")
    return Prediction(lesson, entry, reveal)


def write(item_id: str, recall: str | None = None):
    try:
        lesson, entry = prompts.find(str(item_id), "written")
        earlier = prompts.find(str(recall), "written") if recall is not None else None
    except content.ContentError as err:
        return Note(f"This written answer cannot be shown: {err}")
    return Written(lesson, entry, earlier)
