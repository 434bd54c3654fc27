"""`il2edu bench`: the table, the JSON file, providers from other modules, and --strict."""

from __future__ import annotations

import json
import sys
import textwrap

import numpy as np
import pytest

from il2edu import bench, cli


@pytest.fixture
def fake_provider(tmp_path, monkeypatch):
    (tmp_path / "fake_bench_provider.py").write_text(textwrap.dedent("""
        TARGETS_MS = {"quiz: record an attempt": 1.0}

        def run(repeat):
            return [{"name": "quiz: check an answer", "kind": "quiz", "median_ms": 1.5, "p95_ms": 2.5, "n": repeat,
                     "target_median_ms": 50},
                    {"name": "quiz: record an attempt", "kind": "quiz", "median_ms": 2.0, "p95_ms": 3.0, "n": repeat}]
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(bench, "PROVIDERS", ["fake_bench_provider:run"])
    yield
    sys.modules.pop("fake_bench_provider", None)


def test_bench_writes_table_and_json(tmp_path, capsys, fake_provider):
    out = tmp_path / "bench.json"
    assert cli.main(["bench", "--repeat", "3", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "benchmark" in printed and "median ms" in printed and "p95 ms" in printed
    data = json.loads(out.read_text())
    assert {"python", "cpus", "platform"} <= set(data["machine"])
    kinds = {r["kind"] for r in data["results"]}
    assert kinds == {"model", "update", "redraw", "quiz", "first-call", "repeat-call"}
    names = [r["name"] for r in data["results"]]
    for explorer in ("binding explorer", "regimen explorer", "population explorer", "trials explorer"):
        assert any(n.startswith(explorer) for n in names)
    for r in data["results"]:
        assert {"name", "kind", "median_ms", "p95_ms", "n"} <= set(r)
        assert r["n"] == 3
        assert 0 < r["median_ms"] <= r["p95_ms"] or r["kind"] == "quiz"
    redraw = next(r for r in data["results"] if r["kind"] == "redraw")
    assert redraw["met"] is None and "target_median_ms" not in redraw
    quiz = {r["name"]: r for r in data["results"] if r["kind"] == "quiz"}
    assert quiz["quiz: check an answer"]["met"] is True and quiz["quiz: check an answer"]["target_median_ms"] == 50
    # a target given by name in the provider module's TARGETS_MS
    assert quiz["quiz: record an attempt"]["met"] is False and quiz["quiz: record an attempt"]["target_median_ms"] == 1.0
    model = next(r for r in data["results"] if r["kind"] == "model")
    assert model["target_median_ms"] == 5.0
    update = next(r for r in data["results"] if r["kind"] == "update")
    assert (update["target_median_ms"], update["target_p95_ms"]) == (30.0, 60.0)
    calls = {r["name"]: r for r in data["results"] if r["kind"] in ("first-call", "repeat-call")}
    assert set(calls) == {f"il2edu.{f}: {when}" for f in ("check", "question")
                          for when in ("first call in a fresh kernel", "repeated call")}
    assert calls["il2edu.check: first call in a fresh kernel"]["target_median_ms"] == 150.0
    assert calls["il2edu.question: repeated call"]["target_median_ms"] == 20.0
    assert calls["il2edu.question: first call in a fresh kernel"]["n"] == 3  # one fresh process per sample


def test_lesson_run_all_is_timed_in_a_real_kernel(il2edu_home):
    from pathlib import Path

    nb = Path(bench.__file__).resolve().parent.parent / "notebooks" / "00_start_here.ipynb"
    (result,) = bench.lesson_benchmarks([nb])
    assert result["name"] == "lesson 00_start_here: Run All" and result["kind"] == "lesson"
    assert result["n"] == 1 and result["median_ms"] > 0


def test_strict_fails_only_when_a_target_is_missed(monkeypatch, capsys, fake_provider):
    monkeypatch.setattr(bench, "TARGETS", {"model": {"median_ms": 1e-9}})
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model"]) == 0
    assert "MISSED" in capsys.readouterr().out
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model", "--strict"]) == 1
    monkeypatch.setattr(bench, "TARGETS", {"model": {"median_ms": 1e9}})
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model", "--strict"]) == 0


def test_a_provider_that_cannot_run_fails_the_bench(monkeypatch, capsys, fake_provider):
    monkeypatch.setattr(bench, "PROVIDERS", ["fake_bench_provider:run", "il2edu_no_such_module.benchmarks:run"])
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model"]) == 1
    assert "failed: il2edu_no_such_module.benchmarks:run: ModuleNotFoundError" in capsys.readouterr().out


def test_percentile_agrees_with_numpy():
    xs = list(np.random.default_rng(1).exponential(size=57))
    for q in (50, 95, 99):
        assert bench.percentile(xs, q) == pytest.approx(np.percentile(xs, q))


def test_judge_marks_met_and_missed():
    assert bench.judge({"name": "x", "kind": "update", "median_ms": 10, "p95_ms": 70, "n": 5})["met"] is False
    assert bench.judge({"name": "x", "kind": "update", "median_ms": 10, "p95_ms": 50, "n": 5})["met"] is True
    assert bench.judge({"name": "x", "kind": "other", "median_ms": 10, "p95_ms": 50, "n": 5})["met"] is None


def test_every_registered_provider_runs_and_reports(monkeypatch):
    """The quiz timings really reach `il2edu bench`: no provider fails or is skipped."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    results, notes = bench.provider_results(2)
    assert notes == []
    kinds = {(r["kind"], r["name"].split(":")[0]) for r in results}
    assert ("quiz", "quiz") in kinds
    assert all(r["n"] >= 2 and r["median_ms"] > 0 for r in results)
