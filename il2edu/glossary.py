"""The course glossary as a search box: il2edu.glossary() in a notebook, search() for tests and scripts.

Searching is plain text matching, kept apart from the widget so it can be tested without one: every word
of the query must occur (ignoring case) in a term's name or its definition. Terms whose name matches come
first, so typing "treg" puts "Regulatory T cell (Treg)" at the top.
"""

from __future__ import annotations

import html
import re
import sys
import types

from . import content

CSS_CLASS = "il2edu-glossary"


def _words(query) -> list[str]:
    return [w for w in re.split(r"\s+", str(query or "").casefold()) if w]


def search(query="", terms: dict | None = None) -> list[str]:
    """Ids of the glossary entries matching `query`, best first; an empty query gives every entry."""
    terms = content.glossary() if terms is None else terms
    words = _words(query)

    def name(key):
        return str(terms[key].get("term", key))

    ranked = []
    for key, entry in terms.items():
        title = name(key).casefold()
        text = f"{title} {entry.get('definition', '')}".casefold()
        if all(w in text for w in words):
            in_title = bool(words) and all(w in title for w in words)
            ranked.append((0 if in_title else 1, title, key))
    return [key for _, _, key in sorted(ranked)]


def _surname(author: str) -> str:
    """'Setoguchi R' -> 'Setoguchi', 'van Heel DA' -> 'van Heel'; group names stay whole."""
    tokens = str(author).split()
    if len(tokens) > 1 and re.fullmatch(r"[A-Z]{1,3}", tokens[-1]):
        tokens = tokens[:-1]
    return " ".join(tokens)


def short_citation(key: str, refs: dict) -> str:
    """'Setoguchi et al. 2005' for an article; the publisher for labels and databases."""
    entry = refs.get(key)
    if not entry:
        return key
    authors = entry.get("authors")
    if isinstance(authors, list) and authors:
        names = [a for a in authors if not str(a).strip().lower().startswith("et al")] or [key]
        more = len(names) < len(authors)
        if len(names) == 2 and not more:
            who = f"{_surname(names[0])} and {_surname(names[1])}"
        else:
            who = _surname(names[0]) + (" et al." if more or len(names) > 1 else "")
    else:
        who = str(entry.get("publisher") or key)
    return f"{who} {entry.get('year', '')}".strip()


def entry_html(key: str, terms: dict, refs: dict) -> str:
    """One glossary entry: the term, its definition, its sources and related terms."""
    entry = terms[key]
    cites = []
    for ref in entry.get("references") or []:
        label = html.escape(short_citation(ref, refs))
        doi = (refs.get(ref) or {}).get("doi")
        title = html.escape(str((refs.get(ref) or {}).get("title", "")), quote=True)
        if doi:
            cites.append(f'<a href="https://doi.org/{html.escape(str(doi))}" title="{title}" target="_blank">{label}</a>')
        else:
            cites.append(f'<span title="{title}">{label}</span>')
    related = [html.escape(str(terms[o].get("term", o))) for o in entry.get("see_also") or [] if o in terms]
    parts = [
        f'<div class="il2edu-glossary-entry" data-term="{html.escape(key)}" style="line-height:1.45;margin:0 0 0.7em 0">',
        f"<b>{html.escape(str(entry.get('term', key)))}</b>: {html.escape(str(entry.get('definition', '')).strip())}",
    ]
    if cites:
        parts.append(f"<br><small>Sources: {'; '.join(cites)}</small>")
    if related:
        parts.append(f"<br><small>See also: {', '.join(related)}</small>")
    parts.append("</div>")
    return "".join(parts)


def status_text(query, shown: int, total: int) -> str:
    if not _words(query):
        return f"All {total} terms. Type in the box to filter them."
    if shown == 0:
        return f"No term matches “{str(query).strip()}”. Try a shorter word or another spelling."
    verb = "matches" if shown == 1 else "match"
    return f"{shown} of {total} terms {verb} “{str(query).strip()}”."


class Glossary:
    """A Text box that filters the glossary as you type, with each definition and its sources below."""

    def __init__(self, query: str = ""):
        import ipywidgets as widgets

        self.terms = content.glossary()
        self.refs = content.references()
        self.search_box = widgets.Text(
            value=str(query or ""),
            placeholder="Type a term or a word, e.g. treg",
            description="Search:",
            continuous_update=True,
            layout=widgets.Layout(width="28em"),
        )
        self.status = widgets.Label()
        self.results = widgets.HTML()
        self.shown: list[str] = []
        self.widget = widgets.VBox([self.search_box, self.status, self.results])
        self.widget.add_class(CSS_CLASS)
        self.search_box.observe(lambda change: self.update(), names="value")
        self.update()

    def update(self):
        query = self.search_box.value
        self.shown = search(query, self.terms)
        self.status.value = status_text(query, len(self.shown), len(self.terms))
        self.results.value = "".join(entry_html(k, self.terms, self.refs) for k in self.shown)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self):
        return "\n".join(f"{self.terms[k].get('term', k)}: {str(self.terms[k].get('definition', '')).strip()}" for k in self.shown)


def glossary(query: str = "") -> Glossary:
    """Show the searchable glossary, e.g. ``il2edu.glossary()`` or ``il2edu.glossary("treg")``."""
    return Glossary(query)


def bibliography():
    """Every source of the course (seeds/references.yaml), sorted by key."""
    from .citations import References

    return References(sorted(content.references()))


class _CallableModule(types.ModuleType):
    """Importing il2edu.glossary binds the module to the name il2edu.glossary, shadowing the function;
    making the module callable keeps ``il2edu.glossary()`` working whichever happens first."""

    def __call__(self, query: str = "") -> Glossary:
        return glossary(query)


sys.modules[__name__].__class__ = _CallableModule
