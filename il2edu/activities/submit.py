"""A submit button whose press travels in the same message as the answer box's value (the busy-kernel fix).

ipywidgets 8 sends a button click at once, but holds a text box's newer value back while an earlier message
of that box is unanswered (its per-model throttle). On a busy kernel a learner who typed, changed the answer
and pressed Check at once was judged on the previous value. Here the button is a ToggleButton linked in the
browser (jsdlink) to a boolean of the box that changes nothing it shows (description_allow_html: the boxes
have no description). A press changes the box's own state, which ipywidgets merges with any held-back value
into one message, so when the kernel sees the press it already has the value the learner saw. The kernel
sets both back once both halves of the press are in, so the button never stays looking pressed. docs/DECISIONS.md, item 26.
"""

from __future__ import annotations

import ipywidgets as w
from ipywidgets.widgets.widget import CallbackDispatcher

TRIGGER = "description_allow_html"


class SubmitButton(w.ToggleButton):
    """A button for an answer box: on_click(callback) as with ipywidgets.Button, each callback called once
    per press after the box's value sent with the press is in place."""

    def __init__(self, box: w.DOMWidget, **kwargs):
        super().__init__(value=False, **kwargs)
        self.box = box
        self._click_handlers = CallbackDispatcher()
        setattr(box, TRIGGER, False)
        self._link = w.jsdlink((self, "value"), (box, TRIGGER))
        box.observe(self._pressed, names=TRIGGER)
        self.observe(self._reset_when_both, names="value")

    def on_click(self, callback, remove: bool = False):
        self._click_handlers.register_callback(callback, remove=remove)

    def _pressed(self, change):
        if not change["new"]:
            return  # the reset below, or the link echoing it
        try:
            self._click_handlers(self)
        finally:
            self._reset_when_both()

    def _reset_when_both(self, _change=None):
        """Set the button and the box back once the kernel has both halves of a press. When idle the browser
        sends the box's half first and the button's own value after it; when busy the button's may come
        first. Resetting before both are in would leave the browser's toggle pressed, and the next press,
        which then turns it off, would be lost."""
        if self.value and getattr(self.box, TRIGGER):
            self.value = False
            setattr(self.box, TRIGGER, False)

    def click(self):
        """A press from the kernel side (tests, demos): what the browser's link does, then the same path."""
        self.value = True
        setattr(self.box, TRIGGER, True)
