"""`il2edu validate`: passes on the course, and names file and entry for each kind of broken seed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from il2edu import content, validate

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "il2edu.cli", "validate", *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture
def seeds_copy(tmp_path):
    """A private copy of seeds/ that a test may break."""
    dest = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", dest)
    return dest


def test_repository_seeds_and_notebooks_validate():
    result = run_cli(cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seeds OK" in result.stdout


def test_duplicate_reference_key_is_named(seeds_copy):
    path = seeds_copy / "references.yaml"
    path.write_text(path.read_text() + "\nmorgan1976:\n  type: article\n  title: Again\n  year: 1976\n")
    result = run_cli("--seeds", str(seeds_copy))
    assert result.returncode == 1
    assert "seeds/references.yaml: entry 'morgan1976': duplicate key at line" in result.stdout


def test_unknown_reference_key_in_glossary_is_named(seeds_copy):
    path = seeds_copy / "glossary.yaml"
    path.write_text(
        path.read_text() + "\nbogus_term:\n  term: Bogus\n  definition: Not a thing.\n  references: [nobody2099]\n"
    )
    result = run_cli("--seeds", str(seeds_copy))
    assert result.returncode == 1
    assert "seeds/glossary.yaml: entry 'bogus_term': unknown reference key 'nobody2099'" in result.stdout


def test_malformed_yaml_is_named_with_its_line(seeds_copy):
    path = seeds_copy / "glossary.yaml"
    path.write_text("il2:\n  term: [unclosed\n  definition: x\n")
    result = run_cli("--seeds", str(seeds_copy))
    assert result.returncode == 1
    assert "seeds/glossary.yaml: malformed YAML at line" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_field_and_bad_doi_are_reported(seeds_copy):
    path = seeds_copy / "references.yaml"
    path.write_text(path.read_text() + "\nnewone2020:\n  type: article\n  authors: [A B]\n  year: 2020\n  doi: nonsense\n")
    problems = [str(p) for p in validate.validate(seeds_copy)]
    assert "seeds/references.yaml: entry 'newone2020': 'title' is missing" in problems
    assert any("entry 'newone2020': 'doi' does not look like a DOI" in p for p in problems)


def test_unknown_see_also_in_glossary(seeds_copy):
    path = seeds_copy / "glossary.yaml"
    path.write_text(
        path.read_text()
        + "\nnewterm:\n  term: New\n  definition: A term.\n  references: [morgan1976]\n  see_also: [nothere]\n"
    )
    problems = [str(p) for p in validate.validate(seeds_copy)]
    assert "seeds/glossary.yaml: entry 'newterm': 'see_also' names unknown glossary term 'nothere'" in problems


def test_notebook_citing_unknown_key_is_named(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("IL-2 was found in 1976 [morgan1976] and again [nobody2099]."),
        nbformat.v4.new_code_cell('il2edu.references("morgan1976")'),
    ]
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "99_test.ipynb")
    problems = [str(p) for p in validate.validate(REPO / "seeds", folder)]
    assert problems == [
        "notebooks/99_test.ipynb: entry 'nobody2099': cites a reference key that is not in seeds/references.yaml"
    ]


def test_content_error_is_one_line_not_a_traceback(tmp_path):
    bad = tmp_path / "seeds"
    bad.mkdir()
    (bad / "references.yaml").write_text("- just\n- a list\n")
    with pytest.raises(content.ContentError) as err:
        content.references(bad)
    assert "\n" not in str(err.value)
    assert "should map keys to entries" in str(err.value)
