"""The trials explorer: its controls change the plotted points and the table a learner sees."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import il2edu  # noqa: E402
from il2edu import trials  # noqa: E402


def drawn_doses(explorer) -> list[float]:
    """Every x position actually held by the plot's marker collections, sorted."""
    from matplotlib.collections import PathCollection

    xs = []
    for coll in explorer.ax.collections:
        if isinstance(coll, PathCollection):  # the scatter markers (the shaded strip is a PolyCollection)
            xs.extend(float(x) for x in np.asarray(coll.get_offsets()).reshape(-1, 2)[:, 0])
    return sorted(xs)


def test_all_arms_are_plotted_on_the_common_scale():
    explorer = il2edu.explorers.trials()
    rows = trials.load()
    assert drawn_doses(explorer) == sorted(r["dose_miu_per_day"] for r in rows)
    assert explorer.table_ids() == [r["id"] for r in rows]
    # the two regimes sit far apart on the x axis
    assert max(x for x in drawn_doses(explorer) if x <= trials.LOW_DOSE_BAND[1]) * 10 < min(
        x for x in drawn_doses(explorer) if x >= trials.HIGH_DOSE_BAND[0]
    )


def test_disease_menu_changes_points_and_table():
    explorer = il2edu.explorers.trials()
    box = explorer.widget
    explorer._disease_menu.value = "Type 1 diabetes"
    assert drawn_doses(explorer) == [0.33, 1.0, 3.0, 4.5]
    assert explorer.table_ids() == ["hartemann2013_033", "hartemann2013_1", "hartemann2013_3", "long2012"]
    html = explorer._table.value
    assert "Rapamycin plus IL-2 in T1D" in html and "ESPRIT" not in html
    assert "Showing 4 of" in explorer._status.value
    assert "il2edu-explorer" in box._dom_classes


def test_dose_slider_keeps_only_the_chosen_range():
    explorer = il2edu.explorers.trials()
    explorer.widget
    explorer._dose_slider.value = (50, 200)
    assert drawn_doses(explorer) == [126.0, 126.0]
    assert set(explorer.table_ids()) == {"hd_rcc", "hd_melanoma"}
    explorer._dose_slider.value = (0.2, 0.5)
    assert explorer.table_ids() == ["hartemann2013_033"]
    assert "Type 1 diabetes" in explorer._table.value


def test_empty_selection_says_so():
    explorer = il2edu.explorers.trials(disease="HIV infection", dose_range=(0.1, 1))
    explorer.widget
    assert drawn_doses(explorer) == []
    assert "No trial arm matches this filter" in explorer._table.value


def test_treg_fold_sets_height_and_missing_fold_goes_to_the_strip():
    explorer = il2edu.explorers.trials(disease="Steroid-refractory chronic graft-versus-host disease")
    assert sorted((x, y) for _, x, y in explorer.plotted()) == [(1.8, 5.0), (1.8, 8.0)]
    explorer.select(disease="HIV infection")
    assert sorted(x for _, x, y in explorer.plotted() if y is None) == [9.0, 15.0]


def test_programmatic_select_moves_the_controls():
    explorer = il2edu.explorers.trials()
    explorer.widget
    explorer.select(disease="Systemic lupus erythematosus")
    assert explorer._disease_menu.value == "Systemic lupus erythematosus"
    explorer._disease_menu.value = "All"  # the learner goes back to all diseases
    assert len(explorer.table_ids()) == len(trials.load())


def test_one_plot_and_bands_are_drawn():
    explorer = il2edu.explorers.trials()
    box = explorer.widget
    images = [c for c in _walk(box) if type(c).__name__ == "Image"]
    assert len(images) == 1 and images[0].value[:4] == b"\x89PNG"
    gids = {p.get_gid() for p in explorer.ax.patches}
    assert {"low-dose-band", "high-dose-band"} <= gids
    texts = " ".join(t.get_text() for t in explorer.ax.texts)
    assert "low dose" in texts and "high dose" in texts


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize(
    "kwargs, start",
    [
        ({"disease": "Lupus"}, "il2edu.explorers.trials: unknown disease 'Lupus'; choose one of: All;"),
        ({"dose_range": (3, 1)}, "il2edu.explorers.trials: dose_range should be (low, high)"),
        ({"dose_range": "low"}, "il2edu.explorers.trials: dose_range should be two numbers"),
    ],
)
def test_bad_filter_gives_one_line(kwargs, start):
    shown = il2edu.explorers.trials(**kwargs)
    assert repr(shown).startswith(start)
    assert "\n" not in repr(shown)
