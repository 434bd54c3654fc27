"""Kernel side of the site build: show the course's widgets as static HTML a page can hold without a kernel.

prepare.py runs `install()` in a hidden first cell of each lesson before executing it. IPython's display
formatters look up a type's printer before the object's own display methods, so these printers replace
the live widgets for the site only; the notebooks and il2edu itself are untouched.
"""

from __future__ import annotations

import base64
import html
import re

from IPython import get_ipython
from IPython.display import HTML, display

from il2edu import content
from il2edu.activities.quiz import answers
from il2edu.activities.quiz.widgets import Question, Quiz, markdown, shuffled

# Choices appear in one fixed shuffled order (the bank lists the right one first).
SITE_LEARNER = "site"
REFERENCES_PAGE = "../references.html"


def anchor(key: str) -> str:
    """The id Sphinx gives the label (ref-<key>) on the references page: lower case, '_' and the like as '-'."""
    return "ref-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def ref_link(key: str) -> str:
    return f'<a class="il2edu-cite" href="{REFERENCES_PAGE}#{anchor(key)}">[{html.escape(key)}]</a>'


def _choices_html(q: dict) -> str:
    kind = q["type"]
    if kind == "truefalse":
        items = ["True", "False"]
    elif kind in ("single", "multiple"):
        items = [str(q["choices"][i]["text"]) for i in shuffled(q["choices"], q["id"], SITE_LEARNER)]
    elif kind == "ordering":
        items = [str(q["items"][i]) for i in shuffled(q["items"], q["id"], SITE_LEARNER)]
    else:
        unit = f" (in {html.escape(str(q['unit']))})" if q.get("unit") else ""
        return f'<p class="il2edu-site-how"><em>Answer with a number{unit}.</em></p>'
    how = {"single": "Choose one.", "truefalse": "True or false?", "multiple": "Choose every one that applies.",
           "ordering": "Put these in order."}[kind]
    tag = "ol" if kind == "ordering" else "ul"
    lis = "".join(f"<li>{markdown(t)}</li>" for t in items)
    return f'<p class="il2edu-site-how"><em>{how}</em></p><{tag} class="il2edu-site-choices">{lis}</{tag}>'


def _why_not_html(q: dict) -> str:
    notes = [(c["text"], c["feedback"]) for c in q.get("choices") or [] if c.get("feedback") and not c.get("correct")]
    if not notes:
        return ""
    lis = "".join(f"<li><strong>{html.escape(str(t))}</strong>: {html.escape(str(f))}</li>" for t, f in notes)
    return f'<p class="il2edu-site-whynot-head">Why not the others:</p><ul class="il2edu-site-whynot">{lis}</ul>'


def question_html(q: dict, number: int | None = None) -> str:
    """One question: prompt, choices, and a disclosure holding the answer, explanation and sources."""
    qid = html.escape(q["id"])
    title = f"Question {number}" if number else "Question"
    sources = "".join(f"<li>{ref_link(k)}</li>" for k in q.get("references") or [])
    sources = f'<p class="il2edu-site-sources">Sources:</p><ul>{sources}</ul>' if sources else ""
    return (
        f'<section class="il2edu-site-question" id="q-{qid}" aria-label="{title}">'
        f'<p class="il2edu-site-qtitle"><strong>{title}.</strong></p>'
        f'<div class="il2edu-site-prompt">{markdown(q["prompt"])}</div>{_choices_html(q)}'
        f'<details class="il2edu-site-answer"><summary>Show the answer and the explanation</summary>'
        f'<p class="il2edu-site-the-answer"><strong>The answer:</strong> {html.escape(answers.format_answer(q))}.</p>'
        f'{markdown(q.get("explanation", ""))}{_why_not_html(q)}{sources}</details>'
        f"</section>"
    )


def show_question(widget: Question):
    display(HTML(question_html(widget.q)))


def show_quiz(widget: Quiz):
    parts = [question_html(q.q, n + 1) for n, q in enumerate(widget.questions)]
    display(HTML(f'<div class="il2edu-site-quiz">{"".join(parts)}'
                 '<p class="il2edu-site-note">Run the lesson to answer these questions and have them checked.</p>'
                 "</div>"))


def explorer_alt(explorer) -> str:
    """The explorer's own text alternative when it has one, else its title and readout."""
    for name in ("text_alternative", "alt_text", "describe"):
        value = getattr(explorer, name, None)
        value = value() if callable(value) else value
        if value:
            return str(value)
    return f"{explorer.title}. {explorer.readout}"


def show_explorer(explorer):
    data = base64.b64encode(explorer.png()).decode("ascii")
    alt = explorer_alt(explorer)
    display(HTML(
        f'<figure class="il2edu-site-explorer"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}"/>'
        f"<figcaption><strong>The explorer's first picture</strong> (run the lesson to move its controls). "
        f"{html.escape(alt)}</figcaption></figure>"
    ))


def show_glossary(box):
    from il2edu import glossary

    query = box.search_box.value
    status = glossary.status_text(query, len(box.shown), len(box.terms))
    entries = "".join(glossary.entry_html(k, box.terms, box.refs) for k in box.shown)
    display(HTML(f'<div class="il2edu-site-glossary"><p>{html.escape(status)} '
                 f'The whole glossary is on the <a href="../glossary.html">glossary page</a>.</p>{entries}</div>'))


def install():
    from il2edu.explorers.base import Explorer
    from il2edu.glossary import Glossary

    formatter = get_ipython().display_formatter.ipython_display_formatter
    for cls, printer in ((Question, show_question), (Quiz, show_quiz), (Explorer, show_explorer),
                         (Glossary, show_glossary)):
        formatter.for_type(cls, printer)
    content.references()  # fail here, in the hidden cell, if the course data is missing
