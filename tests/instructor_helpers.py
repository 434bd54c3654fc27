"""Shared by the instructor-tool tests: the fixture lesson, its seeds, and nbgrader's documented metadata rules."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SEEDS = FIXTURES / "instructor" / "seeds"
LESSON = FIXTURES / "91_fixture.ipynb"

# nbgrader's cell metadata, schema version 3, as its documentation and JSON schema describe it.
NBGRADER_KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points", "checksum", "cell_type"}
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]*$")


def nbgrader_problems(nb) -> list[str]:
    """What nbgrader would reject in a notebook's cell metadata; [] when it would accept it."""
    problems, ids = [], set()
    for i, cell in enumerate(nb["cells"]):
        meta = cell.get("metadata", {}).get("nbgrader")
        if meta is None:
            continue
        for key in ("schema_version", "grade", "locked", "solution"):
            if key not in meta:
                problems.append(f"cell {i}: '{key}' is required")
        if set(meta) - NBGRADER_KEYS:
            problems.append(f"cell {i}: unknown keys {sorted(set(meta) - NBGRADER_KEYS)}")
        if meta.get("schema_version") != 3:
            problems.append(f"cell {i}: schema_version should be 3")
        for key in ("grade", "locked", "solution", "task"):
            if key in meta and not isinstance(meta[key], bool):
                problems.append(f"cell {i}: '{key}' should be a boolean")
        flagged = meta.get("grade") or meta.get("solution") or meta.get("locked")
        if flagged:
            grade_id = meta.get("grade_id")
            if not isinstance(grade_id, str) or not grade_id or not GRADE_ID.match(grade_id):
                problems.append(f"cell {i}: grade_id {grade_id!r} is missing or has characters outside [A-Za-z0-9_-]")
            elif grade_id in ids:
                problems.append(f"cell {i}: duplicate grade_id {grade_id}")
            ids.add(grade_id)
        if meta.get("grade"):
            points = meta.get("points")
            if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                problems.append(f"cell {i}: a graded cell needs points >= 0, not {points!r}")
        elif "points" in meta:
            problems.append(f"cell {i}: points are only for graded cells")
        if cell["cell_type"] == "markdown" and bool(meta.get("grade")) != bool(meta.get("solution")):
            problems.append(f"cell {i}: a Markdown cell must be both grade and solution, or neither")
    return problems
