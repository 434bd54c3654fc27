"""Answer every quiz question a notebook shows, wrong then right, and read the feedback a learner gets.

Which answer is right comes from the lesson's bank in seeds/quizzes, read with il2edu's own loader; the
question widgets on the page are matched to bank questions by their prompt text (choices are shuffled).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

WORD = re.compile(r"[A-Za-z]{4,}")


def expected_questions(nb_path: Path) -> tuple[list[dict], list[str]]:
    """The bank questions a notebook shows (quiz() and question() calls), and problems loading them."""
    source = Path(nb_path).read_text(encoding="utf-8")
    if "quiz(" not in source and "question(" not in source:
        return [], []
    from il2edu import content
    from il2edu.activities.quiz import bank

    quizzes, singles = bank.notebook_calls(nb_path)
    questions, problems = [], []
    for lesson in sorted(quizzes):
        try:
            questions += [q for q in bank.load_bank(lesson)["questions"] if not q.get("inline")]
        except content.ContentError as err:
            problems.append(f"quiz '{lesson}': {err}")
    for qid in sorted(singles):
        try:
            questions.append(bank.find_question(qid)[1])
        except content.ContentError as err:
            problems.append(f"question '{qid}': {err}")
    return questions, problems


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def match(container_text: str, candidates: list[dict]) -> dict | None:
    """The bank question whose prompt shares most words with what the container shows."""
    shown = _words(container_text)
    best, best_score = None, 0.0
    for q in candidates:
        words = _words(str(q.get("prompt", "")))
        if not words:
            continue
        score = len(words & shown) / len(words)
        if score > best_score:
            best, best_score = q, score
    return best if best_score >= 0.6 else None


def _norm(text: str) -> str:
    return " ".join(str(text).split())


def _click_label(question, text: str) -> None:
    """Click the radio button or check box whose label reads exactly `text`."""
    wanted = re.compile(r"^\s*" + re.escape(_norm(text)).replace(r"\ ", r"\s+") + r"\s*$")
    label = question.locator(".widget-radio-box label, .widget-checkbox label").filter(has_text=wanted).first
    box = label.locator("input")
    before = box.is_checked()
    label.click()
    if before and box.get_attribute("type") == "radio":
        return  # a radio button already chosen stays chosen
    # On a loaded machine a click can land during a re-layout and be lost; wait until the box has
    # changed (and click once more if it has not), so Check is never pressed on the old choice.
    deadline = time.monotonic() + 5
    while box.is_checked() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    if box.is_checked() == before:
        label.click()


def _settle(question, timeout_s: float = 20) -> None:
    """Wait until the kernel is idle a few polls in a row. ipywidgets holds back a widget's new value while an
    earlier message is unanswered, but sends a button click at once, so under load Check could overtake the
    answer the learner had just typed or chosen (seen: a stale answer graded)."""
    page = question.page
    deadline = time.monotonic() + timeout_s
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        quiet = quiet + 1 if page.evaluate("() => window.__il2e2e.runState().ready") else 0
        time.sleep(0.05)


def _check(question) -> None:
    _settle(question)
    question.locator("button", has_text=re.compile(r"^\s*Check\s*$")).click()


WAIT_FOR_FEEDBACK = """(question, [css, start, timeoutMs]) => new Promise((resolve) => {
  const started = performance.now();
  const look = () => {
    const feedback = question.querySelector('.il2edu-feedback');
    const text = feedback ? feedback.innerText.replace(/\\s+/g, ' ').trim() : '';
    if (feedback && feedback.classList.contains(css) && text.startsWith(start)) return resolve(null);
    if (performance.now() - started > timeoutMs) {
      const classes = feedback ? [...feedback.classList].filter((c) => c.startsWith('il2edu')).join(' ') : 'none';
      return resolve(`feedback ${JSON.stringify(text.slice(0, 100))} (classes: ${classes})`);
    }
    setTimeout(look, 25);
  };
  look();
})"""


def _feedback(question, expect_class: str, expect_start: str, timeout_s: float = 20) -> str | None:
    """None when the feedback shows the expected class and text in time, else a description of what it shows.

    Generous: on a loaded 2-core machine the kernel can take seconds to answer (a CI run once saw the old
    feedback still shown after 6 s). This is a wait for the right text, not a timing check."""
    return question.evaluate(WAIT_FOR_FEEDBACK, [expect_class, expect_start, timeout_s * 1000])


def _fill(question, value: str) -> None:
    box = question.locator(".widget-text input").first
    box.fill(value)
    box.press("Enter")  # the answer box syncs on Enter (continuous_update=False)


ORDER_PREFIX = re.compile(r"^\s*\d+\.\s*")


def _order(question) -> list[str]:
    """The items of an ordering question as the list box shows them, without their "1. " numbers."""
    return [ORDER_PREFIX.sub("", _norm(t)) for t in question.locator("select option").all_inner_texts()]


def _move(question, position: int, button: str, timeout_s: float = 6) -> None:
    """Select the item at `position` and press "Move up" or "Move down"; wait until the list shows the move."""
    before = _order(question)
    question.locator("select").select_option(index=position)
    question.locator("button", has_text=re.compile(rf"^\s*{button}\s*$")).click()
    deadline = time.monotonic() + timeout_s
    while _order(question) == before and time.monotonic() < deadline:
        time.sleep(0.05)


def _put_in_order(question, items: list[str]) -> None:
    """Move items up one by one until the list reads in the bank's order (what a learner does by hand)."""
    for k, item in enumerate(items):
        current = _order(question)
        if item not in current:
            return  # the check below then reports what the page shows
        for j in range(current.index(item), k, -1):
            _move(question, j, "Move up")


def _spoil_order(question, items: list[str]) -> None:
    """Make sure the list is not in the right order (the shuffle may happen to give it)."""
    if _order(question) == items:
        _move(question, 0, "Move down")


def _wrong_number(answer: float) -> str:
    return repr(answer * 1000 + 7 if answer else 1234.0)


def exercise(question, q: dict) -> tuple[list[str], str | None]:
    """Answer one question wrong, then right. Returns (problems, note when the type is not exercised)."""
    kind = q.get("type")
    steps = []  # (what to do, expected class, expected start of text, description)
    if kind == "single":
        right = next(c["text"] for c in q["choices"] if c.get("correct"))
        wrong = next(c["text"] for c in q["choices"] if not c.get("correct"))
        steps = [(lambda: _click_label(question, wrong), "wrong choice"), (lambda: _click_label(question, right), "correct choice")]
    elif kind == "truefalse":
        right = "True" if q["answer"] else "False"
        wrong = "False" if q["answer"] else "True"
        steps = [(lambda: _click_label(question, wrong), f"'{wrong}'"), (lambda: _click_label(question, right), f"'{right}'")]
    elif kind == "multiple":
        right = [c["text"] for c in q["choices"] if c.get("correct")]
        wrong = [c["text"] for c in q["choices"] if not c.get("correct")]
        if not wrong:
            return [], f"{q['id']}: multiple choice with no wrong choice, not exercised"

        def tick_wrong():
            _click_label(question, wrong[0])

        def tick_right():
            _click_label(question, wrong[0])  # untick it again
            for text in right:
                _click_label(question, text)

        steps = [(tick_wrong, "a wrong box ticked"), (tick_right, "exactly the correct boxes ticked")]
    elif kind == "numeric":
        steps = [
            (lambda: _fill(question, _wrong_number(float(q["answer"]))), "a wrong number"),
            (lambda: _fill(question, repr(q["answer"])), f"the answer {q['answer']!r}"),
        ]
    elif kind == "ordering":
        items = [_norm(i) for i in q["items"]]
        steps = [(lambda: _spoil_order(question, items), "a wrong order"), (lambda: _put_in_order(question, items), "the right order")]
    else:
        return [], f"{q['id']}: {kind} questions are not exercised in the browser"

    problems = []
    for (act, what), (css, start) in zip(steps, [("il2edu-incorrect", "Not quite"), ("il2edu-correct", "Correct")]):
        act()
        _check(question)
        shown = _feedback(question, css, start)
        if shown is not None:
            problems.append(f"question {q['id']}: after {what} and Check, expected '{start}...' but the page shows {shown}")
            break
    return problems, None


def quiz_problems(page, nb_path: Path) -> tuple[list[str], list[str], int]:
    """(problems, notes, number of questions answered) for every question widget on the page."""
    try:
        expected, problems = expected_questions(nb_path)
    except ImportError as err:
        return [f"cannot read the quiz banks with il2edu's loader: {err}"], [], 0
    notes = []
    all_shown = page.locator(".jp-Cell-outputArea .il2edu-question")
    # A retrieval warm-up (il2edu.review) shows questions of earlier lessons chosen from the learner's history;
    # those lessons' own walks exercise them, so they are not counted here.
    containers = [all_shown.nth(i) for i in range(all_shown.count())
                  if not all_shown.nth(i).evaluate("e => !!e.closest('.il2edu-review')")]
    shown = len(containers)
    if shown != len(expected):
        problems.append(f"the page shows {shown} quiz question(s); the notebook's quiz()/question() calls ask for {len(expected)}")
    remaining = list(expected)
    answered = 0
    for i, container in enumerate(containers):
        container.scroll_into_view_if_needed()
        q = match(container.inner_text(), remaining)
        if q is None:
            problems.append(f"quiz question {i + 1} on the page matches no question of the notebook's banks")
            continue
        remaining.remove(q)
        found, note = exercise(container, q)
        problems += found
        if note:
            notes.append(note)
        else:
            answered += 1
    return problems, notes, answered
