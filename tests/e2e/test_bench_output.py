"""artifacts/bench-browser.json has the shape of `il2edu bench --json`, judged against the 100 ms target."""

from __future__ import annotations

import browser_checks


def test_bench_document_is_judged_like_il2edu_bench():
    slow = [150.0, 160.0, 170.0, 180.0, 190.0, 200.0, 210.0, 220.0, 230.0, 240.0]
    fast = [40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 500.0]
    doc = browser_checks.bench_document({"02_receptor explorer 1": fast, "07_low_dose explorer 2": slow}, "156.0", 100)
    assert doc["machine"]["browser"] == "chromium 156.0"
    assert {"python", "cpus", "jupyterlab"} <= set(doc["machine"])
    first, second = doc["results"]
    assert first["name"] == "02_receptor explorer 1: key press to new plot"
    assert (first["kind"], first["median_ms"], first["n"], first["met"]) == ("browser", 62.5, 10, True)
    assert first["p95_ms"] == 311.0  # 80 + 0.55 * (500 - 80): linear interpolation, as il2edu bench does
    assert (second["median_ms"], second["met"], second["target_median_ms"]) == (195.0, False, 100.0)
