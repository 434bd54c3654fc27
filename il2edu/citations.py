"""Readable citations for a lesson's References section, rendered from seeds/references.yaml."""

from __future__ import annotations


from . import content


def _authors(names) -> str:
    if isinstance(names, str):
        return names
    names = list(names or [])
    if len(names) > 6:
        return ", ".join(names[:3]) + ", et al."
    return ", ".join(names)


def format_reference(key: str, entry: dict) -> str:
    """One reference as Markdown: authors (year). Title. *Journal* volume:pages. DOI link."""
    parts = []
    who = _authors(entry.get("authors"))
    year = entry.get("year")
    head = f"{who} ({year})." if year else f"{who}."
    parts.append(head.strip())
    if entry.get("title"):
        parts.append(str(entry["title"]).rstrip(".") + ".")
    venue = entry.get("journal") or entry.get("publisher")
    if venue:
        where = f"*{venue}*"
        if entry.get("volume"):
            where += f" {entry['volume']}"
        if entry.get("pages"):
            where += f":{entry['pages']}" if entry.get("volume") else f", {entry['pages']}"
        parts.append(where + ".")
    if entry.get("doi"):
        parts.append(f"[doi:{entry['doi']}](https://doi.org/{entry['doi']})")
    elif entry.get("url"):
        parts.append(f"<{entry['url']}>")
    if entry.get("pmid"):
        parts.append(f"PMID {entry['pmid']}.")
    return f"**[{key}]** " + " ".join(parts)


class References:
    """A list of citations that Jupyter shows as Markdown (and plain text elsewhere)."""

    def __init__(self, keys, root=None):
        refs = content.references(root)
        self.keys = list(dict.fromkeys(keys))
        missing = [k for k in self.keys if k not in refs]
        if missing:
            raise content.ContentError(
                content.seeds_dir() if root is None else root,
                "unknown reference key(s): " + ", ".join(missing),
            )
        self.lines = [format_reference(k, refs[k]) for k in self.keys]

    def _repr_markdown_(self):
        return "\n".join(f"- {line}" for line in self.lines)

    def __repr__(self):
        return "\n".join(self.lines)


def references(*keys, root=None) -> References:
    """Show the citations for the given keys, e.g. ``il2edu.references("morgan1976", "taniguchi1983")``."""
    if len(keys) == 1 and not isinstance(keys[0], str):
        keys = tuple(keys[0])
    return References(keys, root=root)


