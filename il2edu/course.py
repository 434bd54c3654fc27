"""The course map (seeds/lessons.yaml), shown in 00_start_here and mirrored in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

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


# --- Honest times -------------------------------------------------------------------------------------------
# A lesson's time is its reading plus its activities, found by the il2edu call that shows each one, so the
# estimate follows the notebooks as activities are added. Figures are documented in docs/DECISIONS.md.
WORDS_PER_MINUTE = 130
MINUTES = {
    "question": 1,   # il2edu.question(...), and each question a lesson quiz shows
    "exercise": 3,   # il2edu.check(...)
    "explorer": 3,   # il2edu.explorers.*(...)
    "prediction": 1,  # il2edu.predict(...)
    "written": 3,    # il2edu.write(...) / conclude(...), or a Markdown cell marked <!-- manual: ... -->
    "review": 3,     # il2edu.review(...): a retrieval warm-up of 2-3 earlier questions
    "think": 1,      # a **Think.** prompt in the text
    "lookup": 2,     # il2edu.glossary(...), il2edu.bibliography()
    "cell": 0.5,     # any other code cell a learner runs and reads
}
_CALLS = [  # (kind, pattern in a code cell); the first match names the cell's activity
    ("review", r"il2edu\.review\("),
    ("prediction", r"il2edu\.predict\("),
    ("written", r"il2edu\.(write|written|conclude)\("),
    ("exercise", r"il2edu\.check\("),
    ("question", r"il2edu\.question\("),
    ("quiz", r"il2edu\.quiz\("),
    ("explorer", r"il2edu\.explorers\.\w+\("),
    ("lookup", r"il2edu\.(glossary|bibliography)\("),
]
_THINK = re.compile(r"\*\*Think[.!:]?\*\*")
_MANUAL = re.compile(r"<!--\s*manual:")


def _prose_words(markdown: str) -> int:
    """Words a learner reads: no HTML comments, link targets, table rules or Markdown symbols."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"\[[a-z0-9_]+\]", " ", text)  # citation keys are skimmed, not read
    return len(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’.,;:%/×⁻⁺-]*", text))


def _quiz_size(lesson_id: str, root=None) -> int:
    """How many questions il2edu.quiz(lesson_id) shows: the bank's questions that are not asked inline."""
    try:
        bank = content.read_yaml(content._root(root) / "quizzes" / f"{lesson_id}.yaml") or {}
    except content.ContentError:  # il2edu validate reports a missing bank; the estimate counts one question
        return 1
    return sum(1 for q in bank.get("questions") or [] if not q.get("inline"))


def cell_activity(source: str) -> str | None:
    for kind, pattern in _CALLS:
        if re.search(pattern, source):
            return kind
    return None


def _bookkeeping(source: str, heading: str) -> bool:
    """The import cell and the cell under "References": run, but not read as part of the lesson."""
    return source.strip() == "import il2edu" or heading.lower().startswith("references")


def _cells(path):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        src = cell.get("source", "")
        tags = (cell.get("metadata") or {}).get("tags") or []
        if "instructor" in tags:  # removed from student copies by il2edu release
            continue
        yield cell.get("cell_type"), src if isinstance(src, str) else "".join(src)


def time_estimate(path, root=None) -> dict:
    """Minutes a learner needs for one notebook: reading at WORDS_PER_MINUTE plus MINUTES per activity.

    Also the longest stretch of prose (in words) a learner reads without doing anything."""
    words, counts, stretch, longest, heading = 0, {}, 0, 0, ""

    def count(kind, n=1):
        counts[kind] = counts.get(kind, 0) + n

    for ctype, src in _cells(path):
        if ctype == "markdown":
            heads = re.findall(r"^#{1,6}\s+(.*)$", src, flags=re.M)
            heading = heads[-1].strip() if heads else heading
            if _MANUAL.search(src):  # a graded written answer: one per "..." the learner replaces
                count("written", max(1, len(re.findall(r"^\s*(?:\*\*.*\*\*\s*)?\.\.\.\s*$", src, flags=re.M))))
                stretch = 0
                continue
            if heading.lower().startswith(("learning objectives", "summary", "references")):
                words += _prose_words(src)  # read, but the title, objectives and summary frame the lesson
                stretch = 0
                continue
            parts = _THINK.split(src)
            for i, part in enumerate(parts):
                n = _prose_words(part)
                words += n
                stretch += n
                longest = max(longest, stretch)
                if i < len(parts) - 1:  # a Think prompt ends the stretch
                    count("think")
                    stretch = 0
        elif ctype == "code" and src.strip():
            kind = cell_activity(src)
            if kind == "quiz":
                m = re.search(r"il2edu\.quiz\(\s*[\"']([^\"']+)", src)
                count("question", _quiz_size(m.group(1), root) if m else 1)
            elif kind is None:
                count("cell")
            else:
                count(kind)
            if kind is not None or not _bookkeeping(src, heading):  # running a cell and reading its result breaks the prose
                stretch = 0
    activity = sum(MINUTES[k] * n for k, n in counts.items())
    return {"words": words, "reading_min": words / WORDS_PER_MINUTE, "activities": counts,
            "activity_min": activity, "minutes": words / WORDS_PER_MINUTE + activity, "longest_prose": longest}


def stated_minutes(path) -> int | None:
    """The 'Estimated time: N minutes' a notebook states in its text."""
    for ctype, src in _cells(path):
        m = re.search(r"estimated time\W+\s*(?:about\s+)?(\d+)\s*min", src, flags=re.I) if ctype == "markdown" else None
        if m:
            return int(m.group(1))
    return None


def time_table(root=None, notebooks=None) -> list[dict]:
    """One row per lesson: stated and estimated minutes and the longest prose stretch."""
    folder = Path(notebooks) if notebooks else content._root(root).parent / "notebooks"
    rows = []
    for lesson in lessons(root):
        path = folder / lesson["notebook"]
        if not path.exists():
            continue
        est = time_estimate(path, root)
        rows.append({"id": lesson["id"], "notebook": lesson["notebook"], "stated": stated_minutes(path),
                     "listed": lesson.get("minutes"), **est})
    return rows


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--times"]:  # stated vs estimated minutes per lesson
        for r in time_table():
            print(f"{r['id']:24} stated {r['stated']:>3}  estimated {r['minutes']:5.1f}  "
                  f"(reading {r['reading_min']:4.1f}, activities {r['activity_min']:4.1f})  longest prose {r['longest_prose']}")
    else:  # The README's lesson map: `python -m il2edu.course` prints it after seeds/lessons.yaml changes.
        print(markdown_table(lessons(), link_prefix="notebooks/"))
