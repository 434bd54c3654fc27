"""Timings for `il2edu bench`: building and displaying a 10-question quiz, and recording one attempt.

run(repeat) returns one dict per benchmark: {"name", "kind": "quiz", "median_ms", "p95_ms", "n"}.
Targets: quiz build + display data, median <= 100 ms; recording an attempt, median <= 5 ms.
Everything is written to a throwaway IL2EDU_HOME, never the learner's own progress.
"""

from __future__ import annotations

import statistics
import time

TARGETS_MS = {"quiz: build and display a 10-question quiz": 100.0, "quiz: record one attempt": 5.0}


def _bank(n: int = 10) -> list[dict]:
    """Ten questions cycling through the five types (in memory: the timing is of the engine, not YAML)."""
    kinds = [
        {"type": "single", "choices": [{"text": f"Choice {i}", "correct": i == 0} for i in range(4)]},
        {"type": "multiple", "choices": [{"text": f"Option {i}", "correct": i < 2} for i in range(5)]},
        {"type": "numeric", "answer": 42, "unit": "MIU", "tolerance": {"relative": 0.02}},
        {"type": "truefalse", "answer": False},
        {"type": "ordering", "items": ["first", "second", "third", "fourth"]},
    ]
    return [{"id": f"99-bench-{i}", "prompt": f"Question **{i}**: which is right?", "explanation": "Because.",
             "references": ["morgan1976"], "objective": "x", **kinds[i % len(kinds)]} for i in range(n)]


def _close_tree(widget, seen=None):
    """Close a widget, its children and their layout/style models (and nothing else in the kernel)."""
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return
    seen.add(id(widget))
    for child in getattr(widget, "children", ()):
        _close_tree(child, seen)
    for name in ("layout", "style"):
        part = getattr(widget, name, None)
        if part is not None and id(part) not in seen:
            seen.add(id(part))
            part.close()
    widget.close()


def _stats(name: str, samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"name": name, "kind": "quiz", "median_ms": statistics.median(ordered), "p95_ms": p95, "n": len(ordered)}


def run(repeat: int = 50) -> list[dict]:
    from ... import progress
    from ...bench import throwaway_home
    from . import widgets

    repeat = max(1, int(repeat))
    questions = _bank()
    results = []
    with throwaway_home():
        learner = progress.learner_id()
        progress.store()
        _close_tree(widgets.Quiz("99-bench", questions, learner))  # warm-up: imports, first widgets
        build = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            quiz = widgets.Quiz("99-bench", questions, learner)
            quiz._repr_mimebundle_()  # the display data; each widget's state was serialised as it was made
            build.append((time.perf_counter() - t0) * 1000)
            _close_tree(quiz)
        results.append(_stats("quiz: build and display a 10-question quiz", build))
        record = []
        for i in range(repeat):
            t0 = time.perf_counter()
            progress.record("99-bench", f"99-bench-{i % 10}", "quiz", "42", i % 2 == 0, i % 2, 1)
            record.append((time.perf_counter() - t0) * 1000)
        results.append(_stats("quiz: record one attempt", record))
    return results


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']}: median {row['median_ms']:.2f} ms, p95 {row['p95_ms']:.2f} ms (n={row['n']})")
