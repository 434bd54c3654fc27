"""Worked solutions on request: after a first real attempt, a check offers "Show a worked solution".

The solution is the exercise's one stored `solution:` (the code) and `reasoning:` (a sentence) from
seeds/exercises/. Pressing the button shows both and saves a progress row of kind 'solution'. A copy made
for assessment (`il2edu release --assess`, or IL2EDU_ASSESS=1) never offers it. CSS classes for the browser
tests: il2edu-worked (the whole block), il2edu-worked-solution (what the button reveals).
"""

from __future__ import annotations

import html

import ipywidgets as w

from . import save

BUTTON = "Show a worked solution"


class WorkedSolution(w.VBox):
    """A check's feedback line with the offer below it; text/plain (what graders read) stays the message."""

    def __init__(self, result, lesson: str, exercise: dict):
        self.result, self.lesson, self.exercise = result, lesson, exercise
        self.revealed = False
        self.line = w.HTML(value=result._repr_html_())
        self.button = w.Button(description=BUTTON, tooltip="Show the code that solves this exercise and why it works",
                               layout=w.Layout(width="auto"))
        self.button.on_click(lambda _button: self._safely())
        self.shown = w.HTML(value="")
        self.shown.add_class("il2edu-worked-solution")
        super().__init__([self.line, self.button, self.shown])
        self.add_class("il2edu-worked")

    def __repr__(self):
        return self.result.message

    def _safely(self):
        try:
            self.reveal()
        except Exception as err:  # noqa: BLE001 - the learner must not see a traceback
            self.shown.value = f"<div role=\"status\">Sorry, the worked solution could not be shown ({type(err).__name__}).</div>"

    def reveal(self):
        code = html.escape(str(self.exercise.get("solution", "")).strip("\n"))
        why = html.escape(str(self.exercise.get("reasoning", "")).strip())
        self.shown.value = (f'<div role="status"><b>Worked solution.</b> {why}</div>'
                            f'<pre style="background:#f4f4f4;padding:0.5em"><code>{code}</code></pre>')
        self.button.layout.display = "none"
        if not self.revealed:
            save(self.lesson, self.exercise["id"], "solution", "", False, 0.0, 0.0)
        self.revealed = True

    @property
    def text(self) -> str:
        """What the reveal shows, as plain text (for tests)."""
        import re

        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.shown.value)).split())
