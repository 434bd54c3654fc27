"""The quiz as ipywidgets: il2edu.quiz("<lesson-id>") and il2edu.question("<question-id>").

Grading lives in answers.py; this layer only reads the widgets, shows the Grade, and records attempts.
CSS classes the browser tests rely on: il2edu-quiz (whole quiz), il2edu-question (each question),
il2edu-feedback plus il2edu-correct / il2edu-incorrect (or il2edu-invalid for an unreadable answer).
"""

from __future__ import annotations

import hashlib
import re
import html
import random

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLMathStyle, HTMLStyle, LabelStyle, TextStyle

from ... import citations, content, progress
from .. import feedback_html, save
from ..submit import SubmitButton
from . import answers, bank

SHOW_ANSWER_AFTER = 2  # wrong tries before "Show answer" appears


_MARKDOWN = None


def markdown(text: str) -> str:
    """Markdown to HTML with mistune (installed with nbconvert, which JupyterLab needs); plain text if absent.

    The math plugin keeps $...$ and $$...$$ intact (as \\(...\\) and $$...$$) for HTMLMath to typeset.
    """
    global _MARKDOWN
    text = str(text or "").strip()
    if _plain(text):  # most prompts: the same HTML mistune gives, without loading it (a first question's time)
        return f"<p>{text}</p>\n"
    if _MARKDOWN is None:
        try:
            import mistune
        except ImportError:  # pragma: no cover - JupyterLab always brings mistune
            _MARKDOWN = False
        else:
            try:
                _MARKDOWN = mistune.create_markdown(escape=False, plugins=["math", "table", "strikethrough"])
            except Exception:  # pragma: no cover - mistune 2 has no math plugin
                _MARKDOWN = mistune.html
    if not _MARKDOWN:
        return "<p>" + html.escape(text).replace("\n\n", "</p><p>") + "</p>"
    return _MARKDOWN(text)


# One paragraph with nothing Markdown or HTML would read: no markup characters, no line that starts a list,
# heading, quote or indented block, no blank line, no line-end spaces (a hard break).
_MARKUP = re.compile(r'[\\`*_\[\]<>&$~|"!]|\n[ \t]*\n|^[ \t]|^(?:[#>+=-]|\d+[.)])|[ \t]+$', re.M)


def _plain(text: str) -> bool:
    return bool(text) and not _MARKUP.search(text)


def shuffled(items: list, question_id: str, learner: str) -> list[int]:
    """Indices of items in an order fixed per learner and question (the same on every run)."""
    seed = int.from_bytes(hashlib.sha256(f"{learner}:{question_id}".encode()).digest()[:8], "big")
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return order


class Shared:
    """Layout and style models shared by a quiz's widgets that never change them.

    Every ipywidget otherwise makes its own Layout and Style models; a 10-question quiz would open ~280
    widget models instead of ~130, and take twice as long to appear.
    """

    def __init__(self):
        self._made = {}

    def __call__(self, cls):
        if cls not in self._made:
            self._made[cls] = cls()
        return self._made[cls]

    def kw(self, style_cls=None) -> dict:
        out = {"layout": self(w.Layout)}
        if style_cls is not None:
            out["style"] = self(style_cls)
        return out


def _hide(widget, hidden: bool):
    widget.layout.display = "none" if hidden else None


def _auto_width():
    return w.Layout(width="auto")


def _spaced():
    return w.Layout(margin="0 0 1.2em 0")


class Question(w.VBox):
    """One question: prompt, input, Check, feedback, and Show answer after two wrong tries."""

    # How its rows are saved: a quiz answer scores 1 or 0 of 1; a review (review_widgets.py) saves its own
    # kind worth 0 of 0, so retrieval practice never counts a question's point twice.
    answer_kind, reveal_kind, scored = "quiz", "reveal", True

    def __init__(self, lesson: str, q: dict, learner: str, on_change=None, number: int | None = None,
                 shared: Shared | None = None):
        self.shared = sh = shared or Shared()
        self.lesson, self.q, self.qid, self.kind = lesson, q, q["id"], q["type"]
        self.tries = 0  # counted tries (readable answers)
        self.wrong = 0
        self.solved = False
        self.first_try_correct = False
        self.revealed = False
        self._on_change = on_change
        self.order = shuffled(q.get("choices") or q.get("items") or [], self.qid, learner)
        title = f"<b>Question {number}.</b> " if number else ""
        self.prompt = w.HTMLMath(value=title + markdown(q["prompt"]), **sh.kw(HTMLMathStyle))
        self.input = self._make_input()
        check = dict(description="Check", button_style="primary", tooltip="Check your answer", layout=sh(w.Layout))
        # a typed answer travels with the press (submit.py); a choice is sent when it is made
        self.check_button = (SubmitButton(self.text, **check) if self.kind == "numeric"
                             else w.Button(style=sh(ButtonStyle), **check))
        # its own Layout: showing and hiding it must not touch the others
        self.answer_button = w.Button(description="Show answer", tooltip="Show the answer and the explanation",
                                      style=sh(ButtonStyle))
        _hide(self.answer_button, True)
        self.feedback = w.HTML(value="", **sh.kw(HTMLStyle))
        self.feedback.add_class("il2edu-feedback")
        self.explanation = w.HTMLMath(value="", **sh.kw(HTMLMathStyle))
        self.check_button.on_click(lambda _: self._safely(self.check))
        self.answer_button.on_click(lambda _: self._safely(self.reveal))
        buttons = w.HBox([self.check_button, self.answer_button], layout=sh(w.Layout))
        super().__init__([self.prompt, self.input, buttons, self.feedback, self.explanation],
                         layout=sh(_spaced))
        self.add_class("il2edu-question")

    def __repr__(self):
        return f"Question {self.qid}: run this cell in Jupyter to answer it."

    # -- inputs per type -------------------------------------------------------------------------------------
    def _make_input(self):
        q, sh = self.q, self.shared
        if self.kind in ("single", "truefalse"):
            labels = ["True", "False"] if self.kind == "truefalse" else [str(q["choices"][i]["text"]) for i in self.order]
            values = [True, False] if self.kind == "truefalse" else list(self.order)
            self.choice = w.RadioButtons(options=list(zip(labels, values)), value=None,
                                         layout=sh(_auto_width), style=sh(DescriptionStyle))
            return self.choice
        if self.kind == "multiple":
            self.boxes = [w.Checkbox(value=False, description=str(q["choices"][i]["text"]), indent=False,
                                     layout=sh(_auto_width), style=sh(CheckboxStyle)) for i in self.order]
            return w.VBox(self.boxes, layout=sh(w.Layout))
        if self.kind == "numeric":
            unit = q.get("unit") or ""
            self.text = w.Text(value="", placeholder="e.g. 0.5, 1e-3 or 1.5x10^3", continuous_update=False,
                               **sh.kw(TextStyle))
            if not unit:
                return self.text
            return w.HBox([self.text, w.Label(unit, **sh.kw(LabelStyle))], layout=sh(w.Layout))
        # ordering: a list box and two buttons keep the answer a permutation (usable with the keyboard)
        self.current = list(self.order)
        # the description is the list box's label: a screen reader names it (axe-core: select-name)
        self.listbox = w.Select(options=self._ordering_options(), rows=len(self.current), description="Order:",
                                style={"description_width": "initial"},
                                layout=w.Layout(width="auto", min_width="20em"))
        self.up = w.Button(description="Move up", icon="arrow-up", **sh.kw(ButtonStyle))
        self.down = w.Button(description="Move down", icon="arrow-down", **sh.kw(ButtonStyle))
        self.up.on_click(lambda _: self.move(-1))
        self.down.on_click(lambda _: self.move(+1))
        return w.HBox([self.listbox, w.VBox([self.up, self.down], layout=sh(w.Layout))], layout=sh(w.Layout))

    def _ordering_options(self):
        items = self.q["items"]
        return [(f"{n + 1}. {items[i]}", i) for n, i in enumerate(self.current)]

    def move(self, step: int):
        """Move the selected item up (-1) or down (+1)."""
        if self.listbox.value is None:
            return
        pos = self.current.index(self.listbox.value)
        new = pos + step
        if 0 <= new < len(self.current):
            self.current[pos], self.current[new] = self.current[new], self.current[pos]
            selected = self.listbox.value
            self.listbox.options = self._ordering_options()
            self.listbox.value = selected

    def answer(self):
        """The learner's current answer, in the form answers.grade takes."""
        if self.kind in ("single", "truefalse"):
            return self.choice.value
        if self.kind == "multiple":
            return [i for i, box in zip(self.order, self.boxes) if box.value]
        if self.kind == "numeric":
            return self.text.value
        return list(self.current)

    def set_answer(self, value):
        """Set the input programmatically (tests, demos): a choice's text, True/False, text, or item order."""
        if self.kind == "single":
            self.choice.value = answers._choice_index(self.q, value)
        elif self.kind == "truefalse":
            self.choice.value = value
        elif self.kind == "multiple":
            picked = {answers._choice_index(self.q, v) for v in value}
            for i, box in zip(self.order, self.boxes):
                box.value = i in picked
        elif self.kind == "numeric":
            self.text.value = str(value)
        else:
            items = [str(i) for i in self.q["items"]]
            self.current = [items.index(str(v)) for v in value]
            self.listbox.options = self._ordering_options()

    # -- actions ---------------------------------------------------------------------------------------------
    def _safely(self, action):
        """Run a button's action; a bug of ours shows as one line in the feedback, not a traceback."""
        try:
            action()
        except Exception as err:  # noqa: BLE001 - anything at all: the learner must not see a traceback
            self._show("invalid", f"Sorry, this answer could not be checked ({type(err).__name__}); "
                                  "please tell your instructor.", [])

    def check(self):
        given = self.answer()
        result = answers.grade(self.q, given)
        if result.counts:
            self.tries += 1
            if result.correct:
                if not self.solved and self.tries == 1 and not self.revealed:
                    self.first_try_correct = True
                self.solved = True
            else:
                self.wrong += 1
            save(self.lesson, self.qid, self.answer_kind, answers.answer_text(self.q, given), result.correct,
                 float(result.correct and self.scored), float(self.scored))
        self._show(result.status, result.message, result.notes)
        if result.correct:
            self._explain()
        _hide(self.answer_button, self.solved or self.revealed or self.wrong < SHOW_ANSWER_AFTER)
        if self._on_change:
            self._on_change()
        return result

    def reveal(self):
        self.revealed = True
        save(self.lesson, self.qid, self.reveal_kind, "", False, 0.0, float(self.scored))
        self._show("invalid", f"The answer: {answers.format_answer(self.q)}.", [], css="il2edu-revealed")
        self._explain()
        _hide(self.answer_button, True)
        if self._on_change:
            self._on_change()

    def _show(self, status: str, message: str, notes: list, css: str | None = None):
        for cls in ("il2edu-correct", "il2edu-incorrect", "il2edu-invalid", "il2edu-revealed"):
            self.feedback.remove_class(cls)
        self.feedback.add_class(css or f"il2edu-{status}")
        extra = "".join(f"<div>{html.escape(n)}</div>" for n in notes)
        self.feedback.value = feedback_html(status, message, extra=extra)

    def _explain(self):
        refs = content.references()
        cites = "".join(f"<li>{markdown(citations.format_reference(k, refs[k]))}</li>"
                        for k in self.q.get("references") or [] if k in refs)
        self.explanation.value = (markdown(self.q["explanation"]) +
                                  (f'<div class="il2edu-sources"><i>Sources:</i><ul>{cites}</ul></div>' if cites else ""))

    @property
    def feedback_text(self) -> str:
        """The feedback as plain text (what a learner reads)."""

        return html.unescape(re.sub(r"<[^>]+>", " ", self.feedback.value)).replace("  ", " ").strip()


class Quiz(w.VBox):
    """A lesson's quiz: its non-inline questions and a running score."""

    def __init__(self, lesson: str, questions: list, learner: str):
        self.lesson = lesson
        shared = Shared()
        self.score_label = w.HTML(**shared.kw(HTMLStyle))
        self.score_label.add_class("il2edu-score")
        self.questions = [Question(lesson, q, learner, on_change=self.update_score, number=n + 1, shared=shared)
                          for n, q in enumerate(questions)]
        self.earlier = _solved_before(lesson, {q.qid for q in self.questions})
        self.update_score()
        super().__init__(self.questions + [self.score_label])
        self.add_class("il2edu-quiz")

    def __repr__(self):
        return f"Quiz {self.lesson} ({len(self.questions)} questions): run this cell in Jupyter to answer it."

    @property
    def score(self) -> tuple[int, int]:
        return sum(q.solved for q in self.questions), len(self.questions)

    @property
    def score_text(self) -> str:
        right, total = self.score
        first = sum(q.first_try_correct for q in self.questions)
        text = f"Score: {right} of {total} correct ({first} on the first try)."
        if self.earlier:
            text += f" Saved from earlier attempts: {len(self.earlier)} of {total} correct."
        return text

    def update_score(self):
        self.score_label.value = f"<b>{html.escape(self.score_text)}</b>"

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.qid == question_id)


def _solved_before(lesson: str, question_ids: set) -> set:
    """Ids of these questions the learner had already answered correctly when the quiz was built (saved
    progress), so a learner who comes back sees what they had done; the running score counts from now."""
    return {r["item_id"] for r in progress.store().rows(lesson)
            if r["kind"] == "quiz" and r["correct"] and r["item_id"] in question_ids}


class Note:
    """A one-line message in place of a quiz that cannot be shown (no traceback for the learner)."""

    def __init__(self, message: str):
        self.message = message

    def _repr_html_(self):
        return f'<div class="il2edu-error" style="color:#B34700">{html.escape(self.message)}</div>'

    def __repr__(self):
        return self.message


def quiz(lesson_id: str):
    """Show a lesson's quiz, e.g. ``il2edu.quiz("02-receptor")``."""
    try:
        data = bank.load_bank(str(lesson_id))
    except content.ContentError as err:
        return Note(f"This quiz cannot be shown: {err}")
    questions = [q for q in data["questions"] if not q.get("inline")]
    return Quiz(str(lesson_id), questions, progress.learner_id())


def question(question_id: str):
    """Show one question inside a lesson's text, e.g. ``il2edu.question("02-trimer-affinity")``."""
    try:
        lesson, q = bank.find_question(str(question_id))
    except content.ContentError as err:
        return Note(f"This question cannot be shown: {err}")
    return Question(lesson, q, progress.learner_id())
