"""What the activity validators share: reading seeds/<folder>/<lesson>.yaml files and the lessons' code cells."""

from __future__ import annotations

import json
from pathlib import Path

from .. import content


def lesson_files(root: Path, folder: str, problems: list, Problem):
    """(shown name, mapping) per seeds/<folder>/*.yaml; unreadable or misnamed files add a Problem."""
    directory = Path(root) / folder
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        shown = f"seeds/{folder}/{path.name}"
        try:
            data = content.cached_mapping(path)
        except content.ContentError as err:
            problems.append(Problem(shown, err.entry, err.message))
            continue
        if not isinstance(data, dict) or data.get("lesson") != path.stem:
            problems.append(Problem(shown, None, f"'lesson' should be '{path.stem}' (the file's name)"))
            data = data if isinstance(data, dict) else {}
        yield path, shown, data


def code_cells(root: Path):
    """(notebook name, source) for every code cell of the notebooks beside seeds/; unreadable ones are skipped."""
    notebooks = Path(root).parent / "notebooks"
    for nb in sorted(notebooks.glob("*.ipynb")) if notebooks.is_dir() else []:
        try:
            cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                yield nb.name, "".join(source) if isinstance(source, list) else str(source)
