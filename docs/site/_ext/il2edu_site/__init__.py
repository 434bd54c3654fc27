"""A small Sphinx extension that makes the course's site: before Sphinx reads its sources, prepare.py writes
the executed lesson pages and the glossary and references pages into the source folder."""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

SETTINGS = ("repository", "branch", "binder_url", "hub_url")


def _prepare(app):
    from . import prepare

    settings = {name: getattr(app.config, f"il2edu_{name}") for name in SETTINGS}
    cache = Path(app.outdir).parent / "executed"
    prepare.build_sources(Path(app.srcdir), cache, settings, log=logging.getLogger(__name__).info)


def setup(app):
    app.add_config_value("il2edu_repository", "il2edu/il2edu", "env")
    app.add_config_value("il2edu_branch", "HEAD", "env")
    app.add_config_value("il2edu_binder_url", "https://mybinder.org", "env")
    app.add_config_value("il2edu_hub_url", "", "env")
    app.connect("builder-inited", _prepare)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
