"""Packaging: dependencies agree across pyproject.toml and environment.yml; the wheel carries the seeds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_runtime() -> dict:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())
    return {_name(r): r.replace(" ", "") for r in data["project"]["dependencies"]}


def conda_runtime() -> dict:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    named = {_name(d): d.replace(" ", "") for d in deps}
    named.pop("python", None)
    named.pop("pip", None)
    return named


def test_environment_yml_and_pyproject_agree_on_runtime_dependencies():
    assert pyproject_runtime() == conda_runtime()


def test_environment_yml_installs_the_course_package_itself():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section or "." in pip_section
    assert "conda-forge" in env["channels"]


def test_import_is_light():
    """`import il2edu` must not pull in plotting, widgets or the YAML loader."""
    code = (
        "import sys, il2edu\n"
        "heavy = [m for m in ('matplotlib', 'ipywidgets', 'yaml', 'scipy', 'sqlite3') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.slow
def test_wheel_ships_seeds_and_loads_them_outside_the_repository(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True, capture_output=True, text=True,
    )
    wheel = next(dist.glob("il2edu-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True)
    # Dependencies come from the test environment through a .pth line (plain path lines do not run the
    # editable install's own .pth, so the repository's il2edu stays out of sight).
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    Path(site, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "some-other-folder"
    elsewhere.mkdir()
    code = (
        "import il2edu, il2edu.content as c, il2edu.validate as v\n"
        "print(il2edu.__file__)\n"
        "print(c.seeds_dir())\n"
        "print(len(c.references()), c.references()['kosmaczewska2014']['doi'])\n"
        "print(len(v.validate()))\n"
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IL2EDU_SEEDS")}
    out = subprocess.run(
        [str(py), "-c", code], cwd=elsewhere, env=clean_env, capture_output=True, text=True, check=True
    )
    package, seeds, counts, problems = out.stdout.strip().splitlines()
    assert str(venv) in package and str(REPO) not in package
    assert "site-packages/il2edu/seeds" in seeds
    n_refs, doi = counts.split()
    assert int(n_refs) >= 2 and doi == "10.3390/ijms151018574"
    assert problems == "0"
