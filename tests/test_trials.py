"""seeds/trials.csv: the loader, the common dose scale, filtering, and the validate checker."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from il2edu import content, trials, validate

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeds_copy(tmp_path):
    dest = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds", dest)
    return dest


def rewrite(seeds, change):
    """Apply change(rows) to a copy of trials.csv and write it back."""
    path = seeds / "trials.csv"
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    header = change(header, rows) or header
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def messages(seeds):
    return [str(p) for p in trials.validate_trials(seeds)]


def test_course_table_is_valid_and_registered():
    assert "il2edu.trials:validate_trials" in validate.EXTRA_CHECKERS
    assert trials.validate_trials(content.seeds_dir()) == []


def test_table_holds_the_arms_the_lessons_discuss():
    ids = {r["id"] for r in trials.load()}
    assert {"hd_rcc", "hd_melanoma", "esprit", "silcaat", "saadoun2011", "koreth2011", "koreth2016",
            "hartemann2013_033", "hartemann2013_1", "hartemann2013_3", "transreg2019", "he2016", "he2020"} <= ids  # fmt: skip


def test_loader_parses_numbers_and_keeps_unverified_cells_empty():
    rows = {r["id"]: r for r in trials.load()}
    assert rows["esprit"]["n"] == 2071
    assert rows["esprit"]["dose_miu_per_day"] == pytest.approx(15.0)
    assert rows["hd_rcc"]["dose_miu_per_day"] == pytest.approx(126.0)
    assert rows["koreth2016"]["dose_miu_per_day"] == pytest.approx(1.8)
    assert rows["esprit"]["treg_fold"] is None  # not measured in our sources: empty, not a guess
    assert rows["he2016"]["references"] == ["he2016", "he2015_abstract"]


def test_common_scale_uses_the_reference_adult():
    assert trials.miu_per_day(600_000, "IU/kg", 3) == pytest.approx(126.0)
    assert trials.miu_per_day(1, "MIU/m2") == pytest.approx(1.8)
    assert trials.miu_per_day(7.5, "MIU", 2) == pytest.approx(15.0)
    with pytest.raises(ValueError, match="unknown dose unit 'mg'"):
        trials.miu_per_day(1, "mg")


def test_select_by_disease_and_dose_range():
    rows = trials.load()
    t1d = trials.select(rows, disease="Type 1 diabetes")
    assert {r["id"] for r in t1d} == {"hartemann2013_033", "hartemann2013_1", "hartemann2013_3", "long2012"}
    low = trials.select(rows, dose_range=trials.LOW_DOSE_BAND)
    assert "esprit" not in {r["id"] for r in low} and "hartemann2013_033" in {r["id"] for r in low}
    assert all(trials.regime(r) == "low" for r in low)
    assert {trials.regime(r) for r in trials.select(rows, dose_range=(40, 200))} == {"high"}
    assert len(trials.select(rows, disease="All")) == len(rows)


def test_inconsistent_daily_dose_is_named(seeds_copy):
    def change(header, rows):
        next(r for r in rows if r["id"] == "esprit")["dose_miu_per_day"] = "7.5"

    rewrite(seeds_copy, change)
    assert messages(seeds_copy) == [
        "seeds/trials.csv: entry 'esprit': 'dose_miu_per_day' is 7.5 but dose x unit x doses_per_day gives 15"
    ]


def test_unknown_unit_unparsable_number_and_bad_reference_are_named(seeds_copy):
    def change(header, rows):
        rows[0]["unit"] = "mg/kg"
        rows[1]["n"] = "about 270"
        rows[2]["reference"] = "abrams2009;nobody2099"

    rewrite(seeds_copy, change)
    found = messages(seeds_copy)
    assert "seeds/trials.csv: entry 'hd_rcc': unit 'mg/kg' is not allowed; use one of MIU, MIU/m2, IU/kg" in found
    assert "seeds/trials.csv: entry 'hd_melanoma': 'n' should be a whole number, not 'about 270'" in found
    assert "seeds/trials.csv: entry 'silcaat': unknown reference key 'nobody2099' (not in seeds/references.yaml)" in found


def test_missing_column_is_named(seeds_copy):
    rewrite(seeds_copy, lambda header, rows: [c for c in header if c != "treg_fold"])
    assert messages(seeds_copy) == ["seeds/trials.csv: missing column(s): treg_fold"]


def test_cli_reports_a_broken_table(seeds_copy):
    def change(header, rows):
        rows[3]["outcome_class"] = "great"

    rewrite(seeds_copy, change)
    result = subprocess.run(
        [sys.executable, "-m", "il2edu.cli", "validate", "--seeds", str(seeds_copy)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "seeds/trials.csv: entry 'esprit': outcome_class 'great' is not allowed" in result.stdout


def test_loader_error_is_one_line(seeds_copy):
    def change(header, rows):
        rows[0]["dose"] = "lots"

    rewrite(seeds_copy, change)
    with pytest.raises(content.ContentError) as err:
        trials.load(seeds_copy)
    assert str(err.value).startswith("seeds/trials.csv: entry 'hd_rcc': a number does not parse")


def test_common_dose_scale_uses_the_models_reference_adult(seeds_copy):
    """Per-kg doses are scaled by the body weight in seeds/parameters.yaml, the regimen explorer's own."""
    path = seeds_copy / "parameters.yaml"
    path.write_text(path.read_text().replace("  body_weight:\n    value: 70\n", "  body_weight:\n    value: 80\n"))
    assert trials.unit_to_miu("IU/kg", seeds_copy) == pytest.approx(80e-6)
    problems = [str(p) for p in validate.validate(seeds_copy)]
    assert ("seeds/trials.csv: entry 'hd_rcc': 'dose_miu_per_day' is 126 but dose x unit x doses_per_day "
            "gives 144") in problems
