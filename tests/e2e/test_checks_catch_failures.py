"""The browser checks themselves: they pass on working widgets and report each way a widget can break."""

from __future__ import annotations

import pytest


def test_checks_pass_on_working_explorers(check):
    report = check("fixtures/good_widgets.ipynb", presses=10)
    assert report.problems == []
    assert report.explorers == 2
    # Both kinds of plot (ipympl canvas, PNG in an Output widget) were pressed and redrawn, ten times each.
    assert sorted(len(row["samples"]) for row in report.latencies.values()) == [10, 10]
    assert all(ms > 0 for row in report.latencies.values() for ms in row["samples"])


def test_checks_report_a_broken_notebook(check):
    report = check("fixtures/broken_widgets.ipynb", presses=3)
    problems = "\n".join(report.problems)
    # cell numbers are notebook cell indices (cell 0 is the title)
    assert "cell 1: shows a widget that failed to render (browser console: " in problems
    assert "No version of module il2edu-no-such-widget is registered" in problems
    assert "cell 2: shows 'Error displaying widget: model not found'" in problems
    assert "cell 3: shows a widget as raw text: 'IntSlider(value=3" in problems
    assert "cell 3: the button label 'Receptor occupancy' does not fit its button" in problems
    assert "cell 4: shows a figure as text, not a plot: '<Figure size" in problems
    assert "explorer 1: the plot did not change after arrow and page keys on 'dose'" in problems
    assert "explorer 2: shows no plot" in problems
    assert "cell 7: an exercise check says 'TypeError: unsupported operand'" in problems
    assert "cell 8: raised ZeroDivisionError: division by zero" in problems
    assert "cell 9: did not run (Run All stopped before it)" in problems
    assert len(report.problems) == 10, problems


def test_checks_report_a_quiz_that_never_answers(check):
    bank = pytest.importorskip("il2edu.activities.quiz.bank")
    questions = [q for q in bank.load_bank("00-start-here")["questions"] if not q.get("inline")]
    report = check("fixtures/frozen_quiz.ipynb")
    exercised = [q for q in questions if q["type"] in ("single", "truefalse", "multiple", "numeric")]
    assert exercised, "the start-here bank should hold a question the browser checks can answer"
    for q in exercised:
        assert any(
            p.startswith(f"question {q['id']}: after ") and "expected 'Not quite...'" in p for p in report.problems
        ), report.problems
    assert len(report.problems) == len(exercised), report.problems
