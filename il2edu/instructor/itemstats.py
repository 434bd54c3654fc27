"""Item-analysis statistics: pure functions over plain lists and numpy arrays (no files, no plots).

Thresholds an instructor may want to change are the module constants below; docs/INSTRUCTORS.md
explains each in words.
"""

from __future__ import annotations

import numpy as np

MIN_LEARNERS = 10     # fewer first tries than this: too few to judge a question
EASY = 0.95           # first-try correct rate at or above: nearly everyone right
HARD = 0.10           # at or below: nearly everyone wrong
MASTERY = 0.8         # share of an objective's items right (first try) that counts as mastery


def rate(hits: int, total: int) -> float | None:
    return hits / total if total else None


def point_biserial(item, rest) -> float | None:
    """Correlation of a 0/1 item score with the rest of the score; None when either does not vary.

    With a 0/1 variable, Pearson's r is the point-biserial coefficient.
    """
    x = np.asarray(item, dtype=float)
    y = np.asarray(rest, dtype=float)
    if x.size < 3 or x.size != y.size or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def discrimination(scores: np.ndarray, answered: np.ndarray) -> list[float | None]:
    """Per item (column), point-biserial of its score against the rest of each learner's score.

    scores: learners x items, 0/1 first-try scores (0 where not answered); answered: same shape, bool.
    Only learners who answered an item enter its coefficient.
    """
    scores = np.asarray(scores, dtype=float)
    answered = np.asarray(answered, dtype=bool)
    totals = scores.sum(axis=1)
    out = []
    for j in range(scores.shape[1]):
        who = answered[:, j]
        out.append(point_biserial(scores[who, j], totals[who] - scores[who, j]))
    return out


def flags(first_try_rate: float | None, learners: int, disc: float | None, key_share: float | None,
          top_distractor: tuple[str, float] | None, key_text: str = "") -> list[str]:
    """Why a question looks broken, in words an instructor reads; [] when nothing looks wrong."""
    if learners < MIN_LEARNERS or first_try_rate is None:
        return []
    found = []
    if disc is not None and disc < 0:
        found.append(f"negative discrimination (r = {disc:.2f}): learners who did well on the other questions "
                     "got this one wrong more often than those who did poorly; check the key and the wording")
    if top_distractor and key_share is not None and top_distractor[1] > key_share:
        text, share = top_distractor
        key = f" '{key_text}'" if key_text else ""
        found.append(f"a distractor was chosen more than the key: '{text}' by {share:.0%} of first tries, "
                     f"the key{key} by {key_share:.0%}; check the key, or whether this choice is also right")
    if first_try_rate >= EASY:
        found.append(f"nearly everyone right on the first try ({first_try_rate:.0%}): the question tells "
                     "learners apart very little; it may be too easy or give its answer away")
    elif first_try_rate <= HARD:
        found.append(f"nearly everyone wrong on the first try ({first_try_rate:.0%}): check the key, the "
                     "tolerance and the wording, or teach the point before asking")
    return found


def mastered(item_results: list[bool], total_items: int) -> bool:
    """Whether a learner shows mastery of an objective: at least MASTERY of its items right on the first try."""
    return total_items > 0 and sum(item_results) / total_items >= MASTERY
