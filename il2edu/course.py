"""The course map (seeds/lessons.yaml), shown in 00_start_here and mirrored in the README."""

from __future__ import annotations

from . import content


def lessons(root=None) -> list[dict]:
    data = content.read_yaml(content._root(root) / "lessons.yaml")
    if not isinstance(data, list):
        raise content.ContentError(content._root(root) / "lessons.yaml", "should be a list of lessons")
    return data


def markdown_table(rows, link_prefix="") -> str:
    """The lesson table; links are relative to the notebooks folder unless link_prefix says otherwise."""
    lines = ["| # | Lesson | Topics | Time | Interactive parts |", "|---|---|---|---|---|"]
    for n, row in enumerate(rows):
        title = row["title"]
        if row.get("status") == "available":
            title = f"[{title}]({link_prefix}{row['notebook']})"
        else:
            title += " *(forthcoming)*"
        lines.append(f"| {n:02d} | {title} | {row['topics']} | {row['minutes']} min | {row['interactive']} |")
    return "\n".join(lines)


class LessonMap:
    """The lesson table as Markdown, with links to the notebooks that exist."""

    def __init__(self, root=None):
        self.rows = lessons(root)

    def _repr_markdown_(self):
        return markdown_table(self.rows)

    def __repr__(self):
        return "\n".join(f"{r['id']}: {r['title']} ({r['status']})" for r in self.rows)


def lesson_map(root=None) -> LessonMap:
    """Show the course map, e.g. ``il2edu.lesson_map()``."""
    return LessonMap(root)


if __name__ == "__main__":
    # The README's lesson map: `python -m il2edu.course` prints it after seeds/lessons.yaml changes.
    print(markdown_table(lessons(), link_prefix="notebooks/"))
