"""`il2edu check-models`: the models against the measured data sets in seeds/data/."""

import json
import shutil

import pytest

from il2edu import cli, validate
from il2edu.models import evidence


@pytest.fixture(scope="module")
def rows():
    return evidence.report()


def by_id(rows, dataset, comparison):
    return next(r for r in rows if r["dataset"] == dataset and r["comparison"] == comparison)


def test_every_judged_comparison_passes_with_enough_sources_and_validation(rows):
    s = evidence.summary(rows)
    assert s["failed"] == 0, [r for r in rows if r["passed"] is False]
    assert s["passed"] >= 8
    assert s["sources_passed"] >= 5
    assert s["validation_passed"] >= 3


def test_low_dose_sc_peak_agrees_with_meropol(rows):
    r = by_id(rows, "meropol1996_sc", "sc_peak_top_dose")
    assert r["measured"] == 10 and r["unit"] == "pM"
    assert 0 < r["model"] <= 10 and r["passed"] is True
    assert r["used_for_fitting"] is True


def test_selectivity_window_is_checked_against_data_not_used_for_fitting(rows):
    for cell, measured in (("cd4", 35), ("nk", 29), ("cd8", 53)):
        r = by_id(rows, "farhat2021_pstat5", f"ec50_ratio_{cell}")
        assert r["measured"] == measured and r["used_for_fitting"] is False
        assert 0.5 <= r["model"] / measured <= 2 and r["passed"] is True


def test_known_gaps_are_shown_with_both_numbers_and_not_judged(rows):
    gap = by_id(rows, "proleukin_label_pk", "plasma_share_end_of_infusion")
    assert gap["passed"] is None and gap["tolerance"] is None
    assert gap["measured"] == 30 and 80 < gap["model"] < 95
    assert "disagree" in gap["known_gap"]
    twice = by_id(rows, "kirchner1998_sc", "auc_twice_daily")
    once = by_id(rows, "kirchner1998_sc", "auc_once_daily")
    # linear kinetics: about the same 24-h AUC either way (the second dose is still absorbing at 24 h);
    # Kirchner measured 1.8 times more with two doses
    assert 0.85 < twice["model"] / once["model"] <= 1.0 < twice["measured"] / once["measured"]


def test_command_prints_every_row_and_writes_json(tmp_path, capsys, rows):
    out = tmp_path / "models.json"
    assert cli.main(["check-models", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "[pass] meropol1996_sc / sc_peak_top_dose (meropol1996, fitting)" in text
    assert "[gap] proleukin_label_pk / plasma_share_end_of_infusion" in text
    assert "0 failed" in text
    data = json.loads(out.read_text())
    first = data["comparisons"][0]
    for key in ("dataset", "source", "quantity", "unit", "measured", "model", "tolerance", "used_for_fitting", "passed"):
        assert key in first
    assert len(data["comparisons"]) == len(rows)


def test_a_failing_model_makes_the_command_exit_1(tmp_path, monkeypatch, capsys):
    seeds = tmp_path / "seeds"
    shutil.copytree(validate.content.seeds_dir(), seeds)
    text = (seeds / "parameters.yaml").read_text()
    (seeds / "parameters.yaml").write_text(text.replace("    value: 0.05\n", "    value: 0.5\n", 1))
    monkeypatch.setenv("IL2EDU_SEEDS", str(seeds))
    assert cli.main(["check-models"]) == 1
    assert "[FAIL] meropol1996_sc / sc_peak_top_dose" in capsys.readouterr().out


def test_validate_rejects_a_tolerance_without_a_reason(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(validate.content.seeds_dir(), seeds)
    path = seeds / "data" / "yu2015_pstat5.yaml"
    text = path.read_text()
    start = text.index("    tolerance_why:")
    end = text.index("    used_for_fitting:", start)
    path.write_text(text[:start] + text[end:])
    problems = [str(p) for p in validate.validate(seeds)]
    assert any("seeds/data/yu2015_pstat5.yaml: entry 'ec50_ratio_cd4': 'tolerance_why' is missing" in p for p in problems)


def test_pstat5_figure_draws_the_measured_points_over_the_model_lines():
    import numpy as np

    from il2edu import figures
    from il2edu.models import binding

    fig = figures.model_meets_data("pstat5").figure
    ax = fig.axes[0]
    data = evidence.dataset("farhat2021_pstat5")["points"]
    labels = [line.get_label() for line in ax.get_lines()]
    for cell in ("treg", "cd4", "nk", "cd8"):
        label = binding.cell(cell).label
        model = ax.get_lines()[labels.index(f"{label}: model")]
        x, y = model.get_data()
        assert np.allclose(y, binding.relative_response(x, cell))
        points = next(line for line in ax.get_lines()
                      if line.get_marker() == figures.CELL_MARKERS[cell] and line.get_linestyle() == "None")
        px, py = points.get_data()
        assert np.allclose(px, np.asarray(data["concentration_nM"]) * 1000)
        assert py.min() >= 0 and py.max() <= 1
    assert any(t.get_text().endswith("measured (bars: 2 replicates)") for t in ax.get_legend().get_texts())


def test_sc_figure_shows_meropol_bound_and_kirchner_points():
    from il2edu import figures

    ax = figures.model_meets_data("sc_pk").figure.axes[0]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "measured peak, upper bound (<10 pM) [meropol1996]" in texts
    assert "measured mean level, once daily [kirchner1998]" in texts
    with pytest.raises(ValueError, match="name must be one of pstat5, iv_pk, sc_pk"):
        figures.model_meets_data("nope")


def test_validate_rejects_fitted_to_an_unknown_data_set(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(validate.content.seeds_dir(), seeds)
    text = (seeds / "parameters.yaml").read_text()
    (seeds / "parameters.yaml").write_text(text.replace("fitted_to: [meropol1996_sc]", "fitted_to: [meropol2099]"))
    problems = [str(p) for p in validate.validate(seeds)]
    assert "seeds/parameters.yaml: entry 'pk.sc_bioavailability': 'fitted_to' names 'meropol2099', which is not a data set in seeds/data/" in problems


def test_a_model_meets_data_figure_shows_with_a_text_alternative_of_what_is_plotted():
    import re

    from il2edu import figures

    page = figures.model_meets_data("sc_pk")._repr_html_()
    alt = re.search(r'<img class="il2edu-figure" src="data:image/png;base64,[^"]+" alt="([^"]+)">', page).group(1)
    assert alt.startswith("Line plot of Serum IL-2 (pM)") and "Marked points" in alt
