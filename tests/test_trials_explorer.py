"""The trials explorer: its controls change the plotted points and the table a learner sees."""

from __future__ import annotations

import re

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import il2edu  # noqa: E402
from il2edu import figures, trials  # noqa: E402
from il2edu.explorers import base as explorer_base  # noqa: E402


@pytest.fixture(autouse=True)
def static_plots(monkeypatch):
    monkeypatch.setenv("IL2EDU_PLOT", "static")


def drawn_doses(explorer) -> list[float]:
    """Every x position held by the coloured markers of the selected arms, sorted (grey ones are all arms)."""
    xs = []
    for coll in explorer.ax.collections:
        if str(coll.get_gid()).startswith("selected-"):
            xs.extend(float(x) for x in np.asarray(coll.get_offsets()).reshape(-1, 2)[:, 0])
    return sorted(xs)


def shown_png(explorer):
    """The image the learner sees (static mode), as an RGB array."""
    import base64
    import io

    from PIL import Image

    match = re.search(r'src="data:image/png;base64,([^"]+)"', explorer.plot_widget.value)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(match.group(1)))).convert("RGB"))


def test_all_arms_are_plotted_on_the_common_scale():
    ex = il2edu.explorers.trials()
    rows = trials.load()
    assert drawn_doses(ex) == sorted(r["dose_miu_per_day"] for r in rows)
    assert ex.table_ids() == [r["id"] for r in rows]
    assert ex.readout.startswith(
        f"Showing {len(rows)} of {len(rows)} trial arms (all diseases, 0.1-500 MIU/day), 2 with a reported Treg fold"
    )
    low = [x for x in drawn_doses(ex) if x <= trials.LOW_DOSE_BAND[1]]
    high = [x for x in drawn_doses(ex) if x >= trials.HIGH_DOSE_BAND[0]]
    assert low and high and max(low) * 10 < min(high)  # the two regimes sit far apart


def test_disease_menu_changes_points_and_table():
    ex = il2edu.explorers.trials()
    ex.controls["disease"].value = "Type 1 diabetes"
    assert drawn_doses(ex) == [0.33, 1.0, 3.0, 4.5]
    assert ex.table_ids() == ["hartemann2013_033", "hartemann2013_1", "hartemann2013_3", "long2012"]
    assert "Rapamycin plus IL-2 in T1D" in ex.table_html and "ESPRIT" not in ex.table_html
    assert ex.readout.startswith("Showing 4 of")
    assert "(Type 1 diabetes, 0.1-500 MIU/day)" in ex.readout


def test_dose_slider_keeps_only_the_chosen_range():
    ex = il2edu.explorers.trials()
    ex.controls["dose_range"].value = (50, 200)
    assert drawn_doses(ex) == [126.0, 126.0]
    assert set(ex.table_ids()) == {"hd_rcc", "hd_melanoma"}
    ex.controls["dose_range"].value = (0.2, 0.5)
    assert ex.table_ids() == ["hartemann2013_033"]
    assert "Type 1 diabetes" in ex.table_html


def test_set_with_an_exact_range_and_an_empty_result():
    ex = il2edu.explorers.trials()
    ex.set(disease="HIV infection", dose_range=(0.3, 3))
    assert drawn_doses(ex) == []
    assert "No trial arm matches this filter" in ex.table_html
    ex.set(dose_range=(9, 9))
    assert ex.table_ids() == ["silcaat"]


def test_treg_fold_sets_height_and_missing_fold_goes_to_the_strip():
    ex = il2edu.explorers.trials(disease="Steroid-refractory chronic graft-versus-host disease")
    assert sorted((x, y) for _, x, y in ex.plotted()) == [(1.8, 5.0), (1.8, 8.0)]
    ex.set(disease="HIV infection")
    assert sorted(x for _, x, y in ex.plotted() if y is None) == [9.0, 15.0]
    # every arm keeps its place (and its grey label) whatever the filter, so the picture does not jump
    assert {t.get_text() for t in ex.ax.texts} >= {r["label"] for r in trials.load()}


def test_the_image_shown_follows_the_filter():
    from PIL import Image
    import io

    ex = il2edu.explorers.trials(mode="static")
    everything = shown_png(ex)
    ex.controls["disease"].value = "HIV infection"
    hiv = shown_png(ex)
    assert (everything != hiv).any()
    # the quick redraw (cached background + markers) shows the same pixels as a full render
    ex.canvas.draw()
    full = figures.rgba_to_png(ex.canvas.buffer_rgba(), colours=explorer_base.PNG_COLOURS)  # as pictures are sent
    assert np.array_equal(hiv, np.asarray(Image.open(io.BytesIO(full)).convert("RGB")))


def test_one_plot_bands_and_table_in_one_widget():
    ex = il2edu.explorers.trials()
    plots = [c for c in ex.widget.children if "il2edu-plot" in c._dom_classes]
    assert len(plots) == 1 and "il2edu-explorer" in ex.widget._dom_classes
    assert shown_png(ex).shape[:2] == (352, 560)  # static mode: a rendered PNG
    assert any("il2edu-trials-table-view" in c._dom_classes for c in ex.widget.children)
    gids = {p.get_gid() for p in ex.ax.patches}
    assert {"low-dose-band", "high-dose-band"} <= gids
    texts = " ".join(t.get_text() for t in ex.ax.texts)
    assert "low dose" in texts and "high dose" in texts


@pytest.mark.parametrize(
    "kwargs, start",
    [
        ({"disease": "Lupus"}, "il2edu.explorers.trials: unknown disease 'Lupus'; choose one of: All;"),
        ({"dose_range": (3, 1)}, "il2edu.explorers.trials: dose_range should be (low, high)"),
        ({"dose_range": "low"}, "il2edu.explorers.trials: dose_range should be two numbers"),
        ({"colour": "red"}, "il2edu.explorers.trials:"),
    ],
)
def test_bad_argument_gives_one_line(kwargs, start):
    shown = il2edu.explorers.trials(**kwargs)
    assert repr(shown).startswith(start)
    assert "\n" not in repr(shown)


def test_in_a_live_kernel_the_table_follows_the_plot_once_keys_stop():
    # In a kernel (an asyncio loop runs) the table view is rewritten TABLE_DELAY_S after the last change, so the
    # browser draws the new plot first; quick presses rewrite it once. Without a loop it is rewritten at once.
    import asyncio

    from il2edu.explorers import trials_explorer

    async def learner():
        ex = il2edu.explorers.trials(mode="static")
        first = ex._table.value
        assert "ESPRIT" in first  # the first table goes out with the widget
        sent = []
        ex._table.observe(lambda change: sent.append(change["new"]), names="value")
        ex.controls["disease"].value = "Type 1 diabetes"
        ex.controls["disease"].value = "Steroid-refractory chronic graft-versus-host disease"
        assert ex._table.value == first and ex.plotted()  # plot and readout are already new
        assert "Steroid-refractory chronic graft-versus-host disease" in ex.readout
        await asyncio.sleep(trials_explorer.TABLE_DELAY_S + 0.2)
        assert len(sent) == 1 and "Chronic GVHD phase 2 (Koreth 2016)" in sent[0] and "ESPRIT" not in sent[0]
        ex.controls["disease"].value = "All"
        assert "ESPRIT" in ex.table_html  # reading the table gives the current one at once
        await asyncio.sleep(trials_explorer.TABLE_DELAY_S + 0.2)
        assert len(sent) == 2  # and the pending rewrite was not sent twice

    asyncio.run(learner())


@pytest.mark.slow
def test_in_a_real_kernel_the_table_view_catches_up(tmp_path):
    # The deferred rewrite must really run on ipykernel's event loop (a learner would see a stale table).
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import asyncio, il2edu\n"
            "ex = il2edu.explorers.trials(mode='static')\n"
            "ex.controls['disease'].value = 'Type 1 diabetes'\n"
            "assert 'ESPRIT' in ex._table.value  # not rewritten yet: the plot goes first"),
        nbformat.v4.new_code_cell(
            "await asyncio.sleep(0.5)  # the kernel is idle, as after a key press\n"
            "assert 'ESPRIT' not in ex._table.value and 'Hartemann' in ex._table.value"),
    ]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute(cwd=str(tmp_path))  # raises on a failed cell
