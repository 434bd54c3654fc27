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
        def run(repeat):
            return [{"name": "quiz: check an answer", "kind": "quiz", "median_ms": 1.5, "p95_ms": 2.5, "n": repeat,
                     "target_median_ms": 50}]
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(bench, "PROVIDERS", ["fake_bench_provider:run", "il2edu_no_such_module.benchmarks:run"])
    yield
    sys.modules.pop("fake_bench_provider", None)


def test_bench_writes_table_and_json(tmp_path, capsys, fake_provider):
    out = tmp_path / "bench.json"
    assert cli.main(["bench", "--repeat", "3", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "benchmark" in printed and "median ms" in printed and "p95 ms" in printed
    assert "note: skipped il2edu_no_such_module.benchmarks:run" in printed
    data = json.loads(out.read_text())
    assert {"python", "cpus", "platform"} <= set(data["machine"])
    kinds = {r["kind"] for r in data["results"]}
    assert kinds == {"model", "update", "quiz"}
    names = [r["name"] for r in data["results"]]
    for explorer in ("binding explorer", "regimen explorer", "population explorer"):
        assert any(n.startswith(explorer) for n in names)
    for r in data["results"]:
        assert {"name", "kind", "median_ms", "p95_ms", "n"} <= set(r)
        assert r["n"] == 3
        assert 0 < r["median_ms"] <= r["p95_ms"] or r["kind"] == "quiz"
    quiz = next(r for r in data["results"] if r["kind"] == "quiz")
    assert quiz["met"] is True and quiz["target_median_ms"] == 50
    model = next(r for r in data["results"] if r["kind"] == "model")
    assert model["target_median_ms"] == 5.0
    update = next(r for r in data["results"] if r["kind"] == "update")
    assert (update["target_median_ms"], update["target_p95_ms"]) == (30.0, 60.0)


def test_strict_fails_only_when_a_target_is_missed(monkeypatch, capsys, fake_provider):
    monkeypatch.setattr(bench, "TARGETS", {"model": {"median_ms": 1e-9}})
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model"]) == 0
    assert "MISSED" in capsys.readouterr().out
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model", "--strict"]) == 1
    monkeypatch.setattr(bench, "TARGETS", {"model": {"median_ms": 1e9}})
    assert cli.main(["bench", "--repeat", "2", "--only", "binding model", "--strict"]) == 0


def test_percentile_agrees_with_numpy():
    xs = list(np.random.default_rng(1).exponential(size=57))
    for q in (50, 95, 99):
        assert bench.percentile(xs, q) == pytest.approx(np.percentile(xs, q))


def test_judge_marks_met_and_missed():
    assert bench.judge({"name": "x", "kind": "update", "median_ms": 10, "p95_ms": 70, "n": 5})["met"] is False
    assert bench.judge({"name": "x", "kind": "update", "median_ms": 10, "p95_ms": 50, "n": 5})["met"] is True
    assert bench.judge({"name": "x", "kind": "other", "median_ms": 10, "p95_ms": 50, "n": 5})["met"] is None
