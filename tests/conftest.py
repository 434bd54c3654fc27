"""Shared fixtures, and the order of the suite: unit tests, then nbval over notebooks, then browser tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# Notebooks under tests/ are fixtures for other tests (e.g. a deliberately broken widget), not lessons.
collect_ignore_glob = ["fixtures/*.ipynb", "**/fixtures/*.ipynb"]


def _stage(item) -> int:
    path = Path(str(item.fspath))
    if path.suffix == ".ipynb":
        return 1
    if "e2e" in path.parts:
        return 2
    return 0


def pytest_collection_modifyitems(config, items):
    items.sort(key=_stage)  # sort is stable, so each stage keeps its own order


@pytest.fixture
def il2edu_home(tmp_path, monkeypatch):
    """A throwaway IL2EDU_HOME, so tests never touch a learner's real progress database."""
    home = tmp_path / "il2edu-home"
    monkeypatch.setenv("IL2EDU_HOME", str(home))
    return home


@pytest.fixture(autouse=True, scope="session")
def _isolated_home(tmp_path_factory):
    # Notebooks run by nbval inherit this, so a test run never writes into ~/.il2edu.
    if "IL2EDU_HOME" not in os.environ:
        os.environ["IL2EDU_HOME"] = str(tmp_path_factory.mktemp("il2edu-home"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    yield
