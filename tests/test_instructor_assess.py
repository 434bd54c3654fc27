"""Assessed questions from an instructor-private bank: released without answers, answered in the
notebook, judged by `il2edu grade --assess` outside the sandbox; a copy of the release cannot answer them."""

from __future__ import annotations

import json

import nbformat
import pytest

from il2edu import cli
from il2edu.instructor import grade
from test_instructor_grade import RIGHT, course, rows_of  # noqa: F401

BANK = """\
lesson: 91-fixture
questions:
  - id: 91-exam-receptor
    type: single
    points: 2
    prompt: Which receptor form binds IL-2 most tightly?
    choices:
      - {text: the dimer}
      - {text: the trimer, correct: true}
      - {text: CD25 alone}
    explanation: Private explanation that must not ship.
  - id: 91-exam-dose
    type: numeric
    prompt: Give the number your instructor asked for.
    answer: 123.456
    tolerance: {absolute: 0.001}
  - id: 91-exam-order
    type: ordering
    prompt: Order these from first to last.
    items: [alpha, beta, gamma]
"""


def answered(released, folder, answers: dict, before_report: str = ""):
    nb = nbformat.read(str(released), as_version=4)
    for cell in nb.cells:
        for n, value in answers.items():
            if cell.source.startswith(f"assessed_answer_{n} = "):
                cell.source = f"{before_report}\nassessed_answer_{n} = {value}"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / released.name))


@pytest.mark.slow
def test_assessed_questions_are_released_without_answers_and_judged_with_the_private_bank(course, tmp_path, capsys):
    instructor, _, subs = course
    bank = tmp_path / "private" / "exam.yaml"
    bank.parent.mkdir()
    bank.write_text(BANK)
    notebook = instructor / "notebooks" / "91_fixture.ipynb"
    assert cli.main(["release", str(notebook), "--out", str(instructor / "exam"), "--assess", str(bank)]) == 0
    released = instructor / "exam" / "91_fixture.ipynb"
    text = released.read_text()
    assert "Which receptor form binds IL-2 most tightly?" in text and "the trimer" in text
    for secret in ("123.456", "correct", "Private explanation", "[alpha, beta, gamma]"):
        assert secret not in text.replace("Correct", "")
    manifest = json.loads((instructor / "exam" / "manifest.json").read_text())
    assert manifest["notebooks"][0]["assessed_questions"] == ["91-exam-receptor", "91-exam-dose", "91-exam-order"]

    # items are shown sorted: alpha=1, beta=2, gamma=3
    answered(released, subs / "ada", {1: 2, 2: 123.456, 3: [1, 2, 3]})
    answered(released, subs / "bo", {1: 1, 2: 7, 3: [3, 2, 1]})
    steal = ("try:\n    import yaml\n    key = yaml.safe_load(open(%r))['questions']\nexcept Exception:\n    key = None"
             % str(bank))
    answered(released, subs / "cy", {2: "key[1]['answer'] if key else 0"}, before_report=steal)
    table = grade.grade([subs / "ada", subs / "bo", subs / "cy"], instructor / "grades.csv", cell_timeout=10,
                        notebook_timeout=60, log=lambda line: None, assess_bank=bank)

    def assessed(student):
        return [row for row in rows_of(table, student) if row[1] == "assessed"]

    assert assessed("ada") == [("91-exam-receptor", "assessed", "2", "2", "correct"),
                               ("91-exam-dose", "assessed", "1", "1", "correct"),
                               ("91-exam-order", "assessed", "1", "1", "correct")]
    assert assessed("bo") == [("91-exam-receptor", "assessed", "0", "2", "incorrect"),
                              ("91-exam-dose", "assessed", "0", "1", "incorrect"),
                              ("91-exam-order", "assessed", "0", "1", "incorrect")]
    assert [r[2] for r in assessed("cy")] == ["0", "0", "0"]  # the private bank is not in the sandbox
    assert ("total", "total", "4", "11", "") in rows_of(table, "ada")


def test_a_broken_assessed_bank_is_one_line(course, tmp_path, capsys):
    instructor, _, _ = course
    bank = tmp_path / "exam.yaml"
    bank.write_text("lesson: 91-fixture\nquestions:\n  - {id: 91-exam-x, type: numeric, prompt: P, answer: .nan}\n")
    code = cli.main(["release", str(instructor / "notebooks" / "91_fixture.ipynb"), "--out", str(tmp_path / "r"),
                     "--assess", str(bank)])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1 and out == [f"il2edu release: {bank}: entry '91-exam-x': 'answer' should be a finite number "
                                 f"(not .inf or .nan)"]
