"""`il2edu report` on a synthetic class of 120 learners (tests/class_helpers.py) with planted properties."""

from __future__ import annotations

import csv
import json
import re

import numpy as np
import pytest
import yaml
from scipy import stats

from il2edu import cli
from il2edu.instructor import itemstats
import class_helpers as ch


def _csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """The class's exports, the miskeyed seeds, and the report written by the command line."""
    folder = tmp_path_factory.mktemp("class")
    seeds = ch.miskeyed_seeds(folder)
    planted = ch.write_class(folder / "submissions")
    out = folder / "report"
    mp = pytest.MonkeyPatch()
    mp.setenv("IL2EDU_SEEDS", str(seeds))
    try:
        code = cli.main(["report", *sorted(str(p) for p in (folder / "submissions").iterdir()), "--out", str(out)])
    finally:
        mp.undo()
    assert code == 0
    bank = yaml.safe_load((seeds / "quizzes" / "02-receptor.yaml").read_text(encoding="utf-8"))
    return {"folder": folder, "seeds": seeds, "planted": planted, "out": out,
            "questions": {r["question"]: r for r in _csv(out / "questions.csv")},
            "bank": {q["id"]: q for q in bank["questions"]}, "html": (out / "report.html").read_text(encoding="utf-8")}


def test_the_miskeyed_question_is_flagged_and_says_why(klass):
    row = klass["questions"][ch.MISKEYED]
    assert row["flagged"] == "yes"
    assert float(row["discrimination"]) < 0
    assert "negative discrimination" in row["why"]
    # Learners answer by the true key, which the miskeyed bank calls a distractor.
    assert row["top_distractor"] == "About 10 pM"
    assert "a distractor was chosen more than the key: 'About 10 pM'" in row["why"]
    assert "the key 'About 1 nM'" in row["why"]


def test_good_questions_are_not_flagged(klass):
    for qid in ch.GOOD:
        row = klass["questions"][qid]
        assert row["flagged"] == "no", (qid, row["why"])
        assert row["why"] == ""
        assert float(row["discrimination"]) > 0.2
    # Across the class only the two planted problems are flagged.
    assert {q for q, r in klass["questions"].items() if r["flagged"] == "yes"} == {ch.MISKEYED, ch.EASY}


def test_the_too_easy_question_is_flagged_as_nearly_everyone_right(klass):
    row = klass["questions"][ch.EASY]
    rate = float(row["first_try_correct_rate"])
    assert rate >= itemstats.EASY
    assert row["why"].startswith(f"nearly everyone right on the first try ({rate:.0%})")


def test_answers_are_rejudged_against_the_bank_not_the_exported_correct_column(klass):
    planted, bank = klass["planted"], klass["bank"]
    for qid in (ch.MISKEYED, "02-rates"):
        key = next(c["text"] for c in bank[qid]["choices"] if c.get("correct"))
        firsts = [text for (name, q), text in planted["first"].items() if q == qid]
        expected = sum(text == key for text in firsts) / len(firsts)
        assert float(klass["questions"][qid]["first_try_correct_rate"]) == pytest.approx(expected, abs=1e-4)
        assert int(klass["questions"][qid]["learners"]) >= len(firsts)
    # The forgers' files claim every row correct; trusting that column would give another rate.
    forged_names = {planted["names"][i] for i in planted["forgers"]}
    wrong_forged = [t for (name, q), t in planted["first"].items()
                    if q == "02-rates" and name in forged_names and t != bank["02-rates"]["choices"][0]["text"]]
    assert planted["forgers"] and wrong_forged


def test_choice_counts_are_the_first_tries(klass):
    rows = [r for r in _csv(klass["out"] / "choices.csv") if r["question"] == ch.MISKEYED]
    firsts = [t for (name, q), t in klass["planted"]["first"].items() if q == ch.MISKEYED]
    assert [r["choice"] for r in rows] == [c["text"] for c in klass["bank"][ch.MISKEYED]["choices"]]
    for r in rows:
        assert int(r["first_tries"]) == sum(t == r["choice"] for t in firsts)
    assert [r["key"] for r in rows] == ["no", "yes", "no", "no"]


def test_exercises_objectives_and_predictions(klass):
    ex = _csv(klass["out"] / "exercises.csv")[0]
    assert ex["exercise"] == ch.EXERCISE and ex["learners"] == "120" and ex["judged"] == "re-judged"
    assert int(ex["solution_reveals"]) == klass["planted"]["solutions"] > 0
    # Every check that is not right showed a hint.
    assert int(ex["hints_shown"]) == int(ex["checks"]) - round(float(ex["solved_rate"]) * 120)
    pred = _csv(klass["out"] / "predictions.csv")[0]
    assert pred["prediction"] == ch.PREDICTION and pred["learners"] == "120"
    assert float(pred["wrong_rate"]) == pytest.approx(klass["planted"]["predicted_wrong"] / 120, abs=1e-4)
    assert pred["common_predictions"].startswith("CD25 alone signals (")
    objectives = {(r["lesson"], r["objective"]): r for r in _csv(klass["out"] / "objectives.csv")}
    chains = objectives[("02-receptor", "chains")]
    in_bank = sum(q.get("objective") == "chains" for q in klass["bank"].values())
    assert chains["items"] == str(in_bank) and 0 < float(chains["mastery_share"]) < 1
    # The miskeyed question drags its objective's mastery down: nearly nobody shows it.
    assert float(objectives[("02-receptor", "affinity")]["mastery_share"]) < float(chains["mastery_share"])


def test_the_html_report_reads_offline_and_names_the_problems(klass):
    page = klass["html"]
    text = re.sub(r"<[^>]+>", "", page)
    flagged = text.split("Questions to look at", 1)[1].split("Every question", 1)[0]
    assert f"{ch.MISKEYED} (02-receptor): negative discrimination" in flagged
    assert "a distractor was chosen more than the key" in flagged
    assert ch.EASY in flagged
    for qid in ch.GOOD:
        assert qid not in flagged
    assert f"120 learner(s), {len(ch._questions())} question(s) answered" in text
    assert "CD25 alone signals" in text  # the predictions table
    images = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'(src|href)="https?:', page)


def test_hostile_and_broken_files_are_reported_and_the_rest_is_used(tmp_path, monkeypatch, capsys):
    good = tmp_path / "alice"
    good.mkdir()
    rows = [{"time": "2026-11-20T10:00:00.000Z", "lesson": "02-receptor", "item_id": "02-fold-gain", "kind": "quiz",
             "answer": "=HYPERLINK(\"http://x\")", "correct": "1", "points": "1", "max_points": "1"},
            {"time": "2026-11-20T10:01:00.000Z", "lesson": "02-receptor", "item_id": "no-such-question",
             "kind": "quiz", "answer": "x", "correct": "1", "points": "1", "max_points": "1"},
            {"time": "2026-11-20T10:02:00.000Z", "lesson": "02-receptor", "item_id": "02-fold-gain", "kind": "quiz",
             "answer": "-5", "correct": "1", "points": "1", "max_points": "1"}]
    with open(good / "p.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (tmp_path / "bob.json").write_text('{"attempts": "nope"}', encoding="utf-8")
    (tmp_path / "carol.csv").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "dave.json").write_text("[" * 100000, encoding="utf-8")
    code = cli.main(["report", str(good), str(tmp_path / "bob.json"), str(tmp_path / "carol.csv"),
                     str(tmp_path / "dave.json"), str(tmp_path / "missing.csv"), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0
    assert "bob.json: not an il2edu progress export (JSON without an 'attempts' list); skipped" in out
    assert "carol.csv: not an il2edu progress export (not UTF-8 text); skipped" in out
    assert "dave.json: not an il2edu progress export (not valid JSON); skipped" in out
    assert "missing.csv: no such file or folder; skipped" in out
    assert "1 row(s) for 'no-such-question', which is no question or exercise in seeds/; ignored" in out
    row = _csv(tmp_path / "out" / "questions.csv")[0]
    assert row["question"] == "02-fold-gain" and row["first_try_correct_rate"] == "0"  # re-judged: wrong
    assert row["top_distractor"].startswith("'-5") or row["top_distractor"] == "'-5"
    # "=HYPERLINK" is not a number: the widget never records it, so it is no try at all.
    choices = [r["choice"] for r in _csv(tmp_path / "out" / "choices.csv")]
    assert not any(c.startswith(("=", "-", "+", "@")) for c in choices)


def test_no_readable_export_is_one_line_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert cli.main(["report", str(tmp_path / "x.csv"), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "il2edu report: no progress export could be read; nothing written."
    assert not (tmp_path / "out").exists()


def test_gradebook_students_are_matched_to_exports(klass, tmp_path, monkeypatch, capsys):
    names = klass["planted"]["names"][:3]
    book = tmp_path / "grades.csv"
    with open(book, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "lesson", "item", "kind", "points", "max_points", "status", "detail"])
        writer.writerow([names[0], "02-receptor", ch.EXERCISE, "exercise", "2", "2", "correct", ""])
        writer.writerow([names[1], "02-receptor", ch.EXERCISE, "exercise", "0", "2", "incorrect", ""])
        writer.writerow(["zoe", "02-receptor", ch.EXERCISE, "exercise", "0", "2", "missing", ""])
    monkeypatch.setenv("IL2EDU_SEEDS", str(klass["seeds"]))
    subs = klass["folder"] / "submissions"
    code = cli.main(["report", *(str(subs / n) for n in names), "--gradebook", str(book), "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0
    assert "zoe: in the gradebook but no progress export was found" in out
    assert f"{names[2]}: has a progress export but no row in the gradebook" in out
    ex = _csv(tmp_path / "o" / "exercises.csv")[0]
    assert float(ex["graded_correct_rate"]) == pytest.approx(1 / 3, abs=1e-3)
    assert "right in the graded notebook" in (tmp_path / "o" / "report.html").read_text(encoding="utf-8")


def test_point_biserial_agrees_with_scipy():
    rng = np.random.default_rng(1)
    item = rng.integers(0, 2, 200)
    rest = item * 2 + rng.normal(size=200)
    assert itemstats.point_biserial(item, rest) == pytest.approx(stats.pointbiserialr(item, rest)[0])
    assert itemstats.point_biserial([1, 1, 1, 1], [1, 2, 3, 4]) is None  # no variation: no coefficient


def test_flags_need_enough_learners():
    assert itemstats.flags(0.0, itemstats.MIN_LEARNERS - 1, -0.5, 0.0, ("x", 0.9)) == []
    assert itemstats.flags(0.6, 50, 0.3, 0.6, ("x", 0.2)) == []


def test_a_prediction_is_judged_again_with_the_seeds_answer_not_the_exported_flag(tmp_path):
    from il2edu.instructor import report

    header = "time,lesson,item_id,kind,answer,correct,points,max_points\n"
    rows = {"ana": "It rises,1", "ben": "It falls,1", "cai": "It rises,0"}  # ana's 1 is forged
    paths = []
    for name, answer in rows.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(header + f"2026-01-01T10:00:00Z,07-low-dose,07-predict-selectivity,prediction,{answer},0,0\n")
        paths.append(path)
    result = report.analyse(paths)
    row = next(r for r in result["predictions"] if r["prediction"] == "07-predict-selectivity")
    assert row["learners"] == 3 and row["wrong_rate"] == pytest.approx(2 / 3)
