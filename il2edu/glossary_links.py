"""Glossary links in lessons: the first use of each glossary term in a lesson links to the glossary.

A link is written `[text](10_glossary.ipynb "glossary: key")`: it opens the glossary notebook, and its title
(shown on hover) names the entry. A term is recognised by the forms of its name in seeds/glossary.yaml (the
name before any brackets and each comma-separated item inside them, e.g. "Regulatory T cell (Treg)" gives
"Regulatory T cell" and "Treg"), or by an entry's `link_as` list where the name reads badly in prose.

`python -m il2edu.glossary_links notebooks/*.ipynb` relinks notebooks from scratch (idempotent); run it after
editing lesson text. tests/test_glossary.py fails when a lesson uses a term before linking it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import content

GLOSSARY_NOTEBOOK = "10_glossary.ipynb"
LINK = re.compile(r'\[([^\]]+)\]\(10_glossary\.ipynb\s+"glossary:\s*([a-z0-9_]+)"\)')
SKIP_TERMS = {"il2"}  # every lesson is about IL-2; linking it would say nothing
# Text a link must not go into: code, links, citation keys, HTML and comments, URLs, headings, bold labels.
_PROTECTED = re.compile(
    r"`[^`\n]*`|\[[^\]\n]*\]\([^)\n]*\)|\[[a-z0-9_]+\]|<!--.*?-->|<[^>\n]+>|https?://\S+|^#{1,6} [^\n]*$",
    flags=re.S | re.M,
)


def links(markdown: str) -> list[tuple[str, str]]:
    """(link text, glossary key) for every glossary link in a piece of Markdown, in order."""
    return LINK.findall(markdown)


def unlink(markdown: str) -> str:
    return LINK.sub(lambda m: m.group(1), markdown)


def forms(entry: dict) -> list[str]:
    """The words a lesson uses for a glossary entry."""
    if entry.get("link_as"):
        return [str(f) for f in entry["link_as"]]
    name = str(entry.get("term", ""))
    found = [name.split(" (")[0].strip()]
    found += [part.strip() for inner in re.findall(r"\(([^)]*)\)", name) for part in inner.split(",")]
    return [f for f in found if len(f) >= 2]


def _pattern(form: str) -> str:
    # "Regulatory T cell" also matches "regulatory T cells"; abbreviations (CD25, IL-2Rβ) keep their case
    first, word = form[0], form.split()[0][1:]
    rest = re.escape(form[1:])
    head = f"[{first.upper()}{first.lower()}]" if first.isalpha() and word == word.lower() else re.escape(first)
    return rf"(?<![\w-]){head}{rest}(?:s|es)?(?![\w-])"


def matcher(terms: dict):
    """One regex over every form, longest first, with a map from form (lower-cased) to glossary key."""
    by_form = {}  # lower-cased form -> (form as written, key); the first entry to claim a form keeps it
    for key, entry in terms.items():
        if key in SKIP_TERMS:
            continue
        for form in forms(entry):
            by_form.setdefault(form.lower(), (form, key))
    ordered = sorted(by_form.values(), key=lambda fk: len(fk[0]), reverse=True)
    regex = re.compile("|".join(f"(?P<t{i}>{_pattern(form)})" for i, (form, _) in enumerate(ordered)))
    return regex, [key for _, key in ordered]


def _free_spans(text: str):
    """(start, end) of the stretches of text outside protected spans."""
    pos = 0
    for m in _PROTECTED.finditer(text):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def _uses(text: str, regex, keys):
    """(start, end, key) of every term use in text outside protected spans, in order."""
    for a, b in _free_spans(text):
        for m in regex.finditer(text, a, b):
            yield m.start(), m.end(), keys[int(m.lastgroup[1:])]


def _first_uses(text: str, regex, keys, seen: set):
    """(start, end, key) of each term's first use in text, skipping keys in seen (updated)."""
    out = []
    for start, end, key in _uses(text, regex, keys):
        if key not in seen:
            seen.add(key)
            out.append((start, end, key))
    return out


def _lesson_cells(nb):
    """Markdown cells a learner reads as lesson text: not the title cell, not instructor or answer cells."""
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if i == 0 or cell.cell_type != "markdown" or "instructor" in tags or "<!-- manual:" in cell.source:
            continue
        yield cell


def relink_notebook(nb, terms: dict) -> int:
    """Put a glossary link at the first use of each term in a notebook (in place); returns the links made."""
    regex, keys = matcher(terms)
    seen: set = set()
    made = 0
    for cell in _lesson_cells(nb):
        text = unlink(cell.source)
        for start, end, key in reversed(_first_uses(text, regex, keys, seen)):
            text = f'{text[:start]}[{text[start:end]}]({GLOSSARY_NOTEBOOK} "glossary: {key}"){text[end:]}'
            made += 1
        cell.source = text
    return made


def first_use_problems(nb, terms: dict) -> list[str]:
    """Terms whose first use in the notebook is not a glossary link, and links to unknown terms."""
    regex, keys = matcher(terms)
    seen: set = set()
    problems = []
    for cell in _lesson_cells(nb):
        events = [(m.start(), "link", m.group(2)) for m in LINK.finditer(cell.source)]
        events += [(s, "plain", k) for s, _, k in _uses(cell.source, regex, keys)]
        for pos, kind, key in sorted(events):
            if kind == "link" and key not in terms:
                problems.append(f"link to unknown glossary term '{key}'")
            if key in seen:
                continue
            seen.add(key)
            if kind == "plain":
                problems.append(f"uses '{key}' before linking it: '{cell.source[pos:pos + 40].splitlines()[0]}'")
    return problems


def main(argv=None) -> int:
    import nbformat

    terms = content.glossary()
    for name in argv if argv is not None else sys.argv[1:]:
        path = Path(name)
        if path.name == GLOSSARY_NOTEBOOK:
            continue
        nb = nbformat.read(path, as_version=4)
        made = relink_notebook(nb, terms)
        nbformat.write(nb, path)
        print(f"{path.name}: {made} glossary links")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
