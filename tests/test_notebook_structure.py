"""Every notebook has the shape of a lesson and is committed clean (outputs cleared, python3 kernel)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from il2edu import content, validate

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
LESSONS = yaml.safe_load((REPO / "seeds" / "lessons.yaml").read_text())


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def headings(nb) -> list[str]:
    return [m.strip() for m in re.findall(r"^#{1,6}\s+(.*)$", markdown(nb), flags=re.M)]


def lesson_shape_problems(path: Path) -> list[str]:
    """What a notebook lacks to count as a lesson; an empty list means it is fine."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec is not python3")
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.lstrip().startswith("# "):
        problems.append("first cell is not a Markdown title ('# ...')")
    heads = [h.lower() for h in headings(nb)]
    for needed in ("learning objectives", "summary", "references"):
        if not any(h.startswith(needed) for h in heads):
            problems.append(f"no '{needed.title()}' heading")
    if not re.search(r"estimated time\W+\s*(about\s+)?\d+\s*min", markdown(nb), flags=re.I):
        problems.append("no 'Estimated time: N minutes'")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {i} holds an error output")
        if cell.get("outputs") or cell.get("execution_count") is not None:
            problems.append(f"cell {i} is committed with outputs (clear them: make clean-notebooks)")
    cited, listed = validate.notebook_citations(path)
    if not listed:
        problems.append("References section does not call il2edu.references(...)")
    refs = content.references()
    problems += [f"unknown reference key '{k}'" for k in sorted((cited | listed) - set(refs))]
    problems += [f"'{k}' cited in the text but not in References" for k in sorted(cited - listed)]
    return problems


def test_there_are_notebooks():
    assert (REPO / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_lesson_shape(path):
    assert lesson_shape_problems(path) == []


def test_structure_check_catches_a_broken_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Some text, no title [nobody2099]"), nbformat.v4.new_code_cell("1/0")]
    nb.cells[1].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    problems = lesson_shape_problems(path)
    assert "kernelspec is not python3" in problems
    assert "first cell is not a Markdown title ('# ...')" in problems
    assert "no 'Learning Objectives' heading" in problems
    assert "no 'Summary' heading" in problems
    assert "no 'Estimated time: N minutes'" in problems
    assert "cell 1 holds an error output" in problems
    assert "unknown reference key 'nobody2099'" in problems


def test_lesson_map_matches_notebooks_folder():
    """seeds/lessons.yaml says 'available' exactly for the notebooks that exist."""
    on_disk = {p.name for p in NOTEBOOKS}
    for lesson in LESSONS:
        exists = lesson["notebook"] in on_disk
        assert (lesson["status"] == "available") == exists, lesson["id"]
    assert on_disk <= {lesson["notebook"] for lesson in LESSONS}


def test_readme_lesson_map_matches_seeds():
    """README shows the table `python -m il2edu.course` prints from seeds/lessons.yaml."""
    from il2edu.course import markdown_table

    expected = markdown_table(LESSONS, link_prefix="notebooks/")
    assert expected in (REPO / "README.md").read_text(), "update README's lesson map:\n" + expected
