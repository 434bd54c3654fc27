"""The course map (seeds/lessons.yaml), shown in 00_start_here and mirrored in the README."""

from __future__ import annotations

from . import content


def lessons(root=None) -> list[dict]:
    data = content.read_yaml(content._root(root) / "lessons.yaml")
    if not isinstance(data, list):
        raise content.ContentError(content._root(root) / "lessons.yaml", "should be a list of lessons")
    return data


class LessonMap:
    """The lesson table as Markdown, with links to the notebooks that exist."""

    def __init__(self, root=None):
        self.rows = lessons(root)

    def _repr_markdown_(self):
        lines = ["| # | Lesson | Topics | Time | Interactive parts |", "|---|---|---|---|---|"]
        for n, row in enumerate(self.rows):
            title = row["title"]
            if row.get("status") == "available":
                title = f"[{title}]({row['notebook']})"
            else:
                title += " *(forthcoming)*"
            lines.append(f"| {n:02d} | {title} | {row['topics']} | {row['minutes']} min | {row['interactive']} |")
        return "\n".join(lines)

    def __repr__(self):
        return "\n".join(f"{r['id']}: {r['title']} ({r['status']})" for r in self.rows)


def lesson_map(root=None) -> LessonMap:
    """Show the course map, e.g. ``il2edu.lesson_map()``."""
    return LessonMap(root)
