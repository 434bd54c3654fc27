"""seeds/parameters.yaml and seeds/regimens.yaml: every model number has a source, and validate checks them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from il2edu import content, parameters, validate
from il2edu.models import binding, pk, population

REPO = Path(__file__).resolve().parent.parent


def test_the_shipped_files_pass_their_checker():
    assert parameters.check(content.seeds_dir()) == []


def test_the_checker_is_registered_with_validate():
    assert "il2edu.parameters:check" in validate.EXTRA_CHECKERS


def test_every_parameter_has_unit_range_kind_and_source():
    data = parameters.parameters()
    refs = content.references()
    seen = 0
    for section, block in data.items():
        if section == "scenarios":
            continue
        entries = (
            [(f"{c}.{k}", v) for c, b in block.items() for k, v in b.items() if k != "label"]
            if section in parameters.GROUPED else list(block.items())
        )
        for name, p in entries:
            seen += 1
            assert p["unit"] and len(p["range"]) == 2, name
            assert p["range"][0] <= p["value"] <= p["range"][1], name
            assert p["references"] and set(p["references"]) <= set(refs), name
            if p["kind"] != "measured":
                assert p.get("note"), name
    assert seen > 30


def test_undocumented_subcutaneous_values_are_labelled_as_assumptions():
    for name in ("sc_bioavailability", "sc_absorption_rate"):
        entry = parameters.entry("pk", name)
        assert entry["kind"] == "assumption"
        assert "No source gives" in entry["note"]


@pytest.fixture
def seeds_copy(tmp_path, monkeypatch):
    dst = tmp_path / "seeds"
    shutil.copytree(content.seeds_dir(), dst)
    monkeypatch.setenv("IL2EDU_SEEDS", str(dst))
    return dst


def _edit(path: Path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_models_read_their_numbers_from_the_seeds_file(seeds_copy):
    """Changing a value in parameters.yaml changes what the models compute: nothing is hard-coded."""
    before = (binding.ec50("treg"), pk.half_lives_min()[1], population.scenario("deficient").at(60)["tregs"])

    def change(d):
        d["binding"]["kd_trimer"]["value"] = 30
        d["pk"]["t_half_elimination"]["value"] = 120
        d["population"]["treg_il2_half"]["value"] = 2.0

    _edit(seeds_copy / "parameters.yaml", change)
    after = (binding.ec50("treg"), pk.half_lives_min()[1], population.scenario("deficient").at(60)["tregs"])
    assert after[0] > before[0]
    assert after[1] == pytest.approx(120)
    assert after[2] != pytest.approx(before[2])


def test_checker_reports_broken_parameters_and_regimens(seeds_copy):
    def broken_params(d):
        d["binding"]["kd_trimer"]["value"] = 500  # outside its range
        del d["pk"]["clearance"]["unit"]
        d["pk"]["sc_bioavailability"]["note"] = ""  # an assumption without a note
        d["receptors"]["nk"]["cd25"]["references"] = ["nobody2099"]
        d["population"]["treg_death"]["kind"] = "guess"
        del d["receptors"]["cd8"]["gc"]

    def broken_regimens(d):
        d["esprit"]["route"] = "oral"
        d["high-dose"]["n_doses"] = 0
        d["low-dose-1miu"]["infusion_min"] = 15

    _edit(seeds_copy / "parameters.yaml", broken_params)
    _edit(seeds_copy / "regimens.yaml", broken_regimens)
    problems = [str(p) for p in parameters.check(seeds_copy)]
    expected = [
        "seeds/parameters.yaml: entry 'binding.kd_trimer': 'value' 500 lies outside its range [3, 30]",
        "seeds/parameters.yaml: entry 'pk.clearance': 'unit' is missing",
        "seeds/parameters.yaml: entry 'pk.sc_bioavailability': an assumption value needs a 'note'",
        "seeds/parameters.yaml: entry 'receptors.nk.cd25': unknown reference key 'nobody2099'",
        "seeds/parameters.yaml: entry 'population.treg_death': 'kind' should be one of",
        "seeds/parameters.yaml: entry 'receptors.cd8': 'gc' is missing",
        "seeds/regimens.yaml: entry 'esprit': 'route' should be one of ['iv', 'sc']",
        "seeds/regimens.yaml: entry 'high-dose': 'n_doses' should be a whole number from 1 to 200",
        "seeds/regimens.yaml: entry 'low-dose-1miu': 'infusion_min' applies to route iv only",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in problems), (line, problems)
    # and `il2edu validate` reports them too
    assert any("kd_trimer" in str(p) for p in validate.validate(seeds_copy))


def test_checker_reports_a_missing_parameters_file(seeds_copy):
    (seeds_copy / "parameters.yaml").unlink()
    problems = [str(p) for p in parameters.check(seeds_copy)]
    assert problems == ["seeds/parameters.yaml: is missing"]
