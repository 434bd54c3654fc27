"""artifacts/bench-browser.json has the shape of `il2edu bench --json`, each row judged against its kind's target."""

from __future__ import annotations

import browser_checks


def test_bench_document_is_judged_like_il2edu_bench():
    slow = [150.0, 160.0, 170.0, 180.0, 190.0, 200.0, 210.0, 220.0, 230.0, 240.0]
    fast = [10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 60.0]
    rows = {
        "02_receptor explorer 1: slider 'IL-2 (pM)' (idle)": {"kind": "browser-slider", "condition": "idle", "samples": fast},
        "07_low_dose explorer 2: toggle 'a/b' (idle)": {"kind": "browser-kernel", "condition": "idle", "samples": slow},
        "07_low_dose explorer 2: toggle 'a/b' (busy)": {"kind": "browser-kernel", "condition": "busy", "samples": slow},
        "02_receptor explorer 1: drag (idle)": {"kind": "browser-drag", "condition": "idle", "samples": [5.0],
                                                "fps": 24.0, "pictures": 48, "release_ms": 5.0},
    }
    doc = browser_checks.bench_document(rows, "156.0")
    assert doc["machine"]["browser"] == "chromium 156.0"
    assert {"python", "cpus", "jupyterlab"} <= set(doc["machine"])
    by_name = {r["name"]: r for r in doc["results"]}
    slider = by_name["02_receptor explorer 1: slider 'IL-2 (pM)' (idle)"]
    assert (slider["kind"], slider["condition"], slider["median_ms"], slider["n"]) == ("browser-slider", "idle", 19.0, 10)
    assert slider["p95_ms"] == 44.7  # 26 + 0.55 * (60 - 26): linear interpolation, as il2edu bench does
    assert slider["met"] is True and (slider["target_median_ms"], slider["target_p95_ms"]) == (33.0, 50.0)
    kernel = by_name["07_low_dose explorer 2: toggle 'a/b' (idle)"]
    assert (kernel["median_ms"], kernel["met"], kernel["target_median_ms"]) == (195.0, False, 100.0)
    assert by_name["07_low_dose explorer 2: toggle 'a/b' (busy)"]["met"] is None  # no target when busy
    drag = by_name["02_receptor explorer 1: drag (idle)"]
    assert drag["fps"] == 24.0 and drag["met"] is False  # released at once, but under 30 pictures per second


def test_drag_summary_counts_what_the_page_showed():
    # the handle crossed to a new stop in 4 frames; pictures came in the same frame twice, a frame late once,
    # and not before the next crossing once (the last crossing's picture came after release)
    watched = {"moves": [0.0, 16.0, 33.0, 50.0], "changes": [0.0, 20.0, 33.0, 2010.0], "release": 2000.0}
    d = browser_checks.drag_summary(watched, 2.0)
    assert (d["pictures"], d["crossings"], d["fps"], d["stops_per_s"]) == (3, 4, 1.5, 2.0)
    assert d["followed"] == 0.75  # 16 -> 20 is before the next crossing at 33; 50 -> 2010 is not (release)
    assert d["release_ms"] == 10.0 and d["lag_ms"] == 2.0  # lags 0, 4, 0, 1960
