"""The quiz benchmarks that `il2edu bench` runs: the shape of their results (timings are not asserted)."""

from __future__ import annotations

import os

from il2edu.activities.quiz import benchmarks


def test_benchmarks_report_both_measurements_and_leave_home_alone(il2edu_home):
    before = os.environ["IL2EDU_HOME"]
    results = benchmarks.run(repeat=3)
    assert [r["name"] for r in results] == ["quiz: build and display a 10-question quiz", "quiz: record one attempt"]
    for r in results:
        assert r["kind"] == "quiz" and r["n"] == 3
        assert 0 < r["median_ms"] <= r["p95_ms"]
    assert os.environ["IL2EDU_HOME"] == before
    assert not il2edu_home.exists()  # the benchmark wrote into its own throwaway folder
