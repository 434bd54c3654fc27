"""Explorers driven programmatically: a control change changes the plotted data and the readout."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets
import numpy as np
import pytest

from il2edu import explorers, figures
from il2edu.models import binding, pk, population


def picture_of(html_text: str) -> bytes:
    """The PNG bytes of the picture in an explorer's plot HTML (an img with a data: URL)."""
    match = re.search(r'src="data:image/png;base64,([^"]+)"', html_text)
    assert match, html_text[:200]
    return base64.b64decode(match.group(1))


def png_of(ex) -> bytes:
    return picture_of(ex.plot_widget.value if isinstance(ex.plot_widget, widgets.HTML)
                      else ex.plot_widget.children[ex.plot_widget.selected_index].value)


def pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def plots_in(widget) -> int:
    """Plot widgets (class il2edu-plot) anywhere inside a widget tree."""
    if "il2edu-plot" in getattr(widget, "_dom_classes", ()):
        return 1
    return sum(plots_in(c) for c in getattr(widget, "children", ()))


@pytest.fixture(params=["binding", "regimen", "population"])
def any_explorer(request):
    return getattr(explorers, request.param)(mode="static")


def test_each_explorer_is_one_widget_with_exactly_one_plot(any_explorer):
    ex = any_explorer
    assert "il2edu-explorer" in ex.widget._dom_classes
    assert plots_in(ex.widget) == 1
    assert 'class="il2edu-readout" role="status"' in ex.plot_widget.value
    about = [w for w in ex.widget.children if "il2edu-about" in w._dom_classes]
    assert len(about) == 1
    text = about[0].children[0].value
    assert "teaching simplification" in text and "Sources:" in text and "Units." in text
    assert png_of(ex).startswith(b"\x89PNG")


def test_plots_have_labelled_axes_with_units(any_explorer):
    ax = any_explorer.ax
    assert "(" in ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None


def test_binding_explorer_concentration_moves_markers_and_readout():
    ex = explorers.binding(concentration_pM=10, mode="static")
    assert ex.readout.startswith("At 10 pM: Treg 48%")
    x0, y0 = ex.data("marker")
    before_png = png_of(ex)
    ex.controls["concentration_pM"].value = 1000
    x1, y1 = ex.data("marker")
    assert np.all(x1 == 1000) and np.all(x0 == 10)
    expected = [binding.relative_response(1000, n) for n in ("treg", "cd4", "nk", "cd8")]
    assert y1 == pytest.approx(expected)
    assert ex.readout.startswith("At 1 nM:")
    assert png_of(ex) != before_png


def test_binding_explorer_readout_gives_ec50s_and_window():
    ex = explorers.binding(mode="static")
    e = binding.ec50s()
    assert f"Treg EC50 {e['treg']:.0f} pM" in ex.readout
    assert f"NK EC50 {e['nk']:.0f} pM" in ex.readout
    assert f"window {e['nk'] / e['treg']:.0f}x" in ex.readout


def test_binding_explorer_treg_cd25_changes_the_treg_curve_only():
    ex = explorers.binding(mode="static")
    treg_before = ex.data("treg")[1].copy()
    nk_before = ex.data("nk")[1].copy()
    readout_before = ex.readout
    ex.controls["treg_cd25"].value = 20000
    assert np.all(ex.data("treg")[1] >= treg_before) and not np.allclose(ex.data("treg")[1], treg_before)
    assert np.array_equal(ex.data("nk")[1], nk_before)
    assert ex.readout != readout_before


def test_binding_explorer_occupancy_view_shows_the_three_receptor_forms():
    ex = explorers.binding(view="occupancy", mode="static")
    assert ex.lines["trimer"].get_visible() and not ex.lines["treg"].get_visible()
    x, y = ex.data("trimer")
    kd = 10.0
    assert np.interp(kd, x, y) == pytest.approx(0.5, abs=0.02)
    ex.controls["view"].value = "response"
    assert ex.lines["treg"].get_visible() and not ex.lines["trimer"].get_visible()
    labels = [t.get_text() for t in ex.ax.get_legend().get_texts()]
    assert labels == ["Treg", "CD4 Tconv", "NK", "CD8"]


def test_regimen_explorer_preset_sets_controls_and_plot():
    ex = explorers.regimen(preset="low-dose-1miu", mode="static")
    t, c = ex.data("concentration")
    assert c == pytest.approx(np.maximum(pk.concentration(t, pk.Regimen.preset("low-dose-1miu")), 1e-3))
    assert ex.readout.startswith("1 MIU per dose (61.1 µg)")
    ex.controls["preset"].value = "high-dose"
    assert ex.controls["route"].value == "iv"
    assert ex.controls["dose_unit"].value == "IU/kg"
    assert ex.controls["n_doses"].value == 14
    assert ex.readout.startswith("42 MIU per dose")
    t2, c2 = ex.data("concentration")
    assert c2.max() > 1000 * c.max()


def test_regimen_explorer_dose_scales_the_curve_and_marks_custom():
    ex = explorers.regimen(preset="t1d-1miu", mode="static")
    _, c1 = ex.data("concentration")
    ex.controls["dose"].value = 3e6
    _, c3 = ex.data("concentration")
    mask = c1 > 1e-2
    assert c3[mask] == pytest.approx(3 * c1[mask])
    assert ex.controls["preset"].value == "custom"
    assert ex.readout.startswith("3 MIU per dose")


def test_regimen_explorer_keyword_arguments_override_the_preset():
    ex = explorers.regimen(preset="low-dose-1miu", n_doses=3, body_surface_m2=2.0, mode="static")
    assert ex.controls["n_doses"].value == 3
    assert ex.result.t_h[-1] == pytest.approx(168)  # last dose at 48 h: shown on a one-week axis
    assert ex.ax.get_xlim() == (0, 168)


def test_regimen_explorer_accepts_any_dose_through_set_and_keywords():
    ex = explorers.regimen(preset="low-dose-1miu", dose=1.25e6, mode="static")
    assert ex.controls["dose"].value == 1.25e6
    assert ex.readout.startswith("1.25 MIU per dose")
    ex.set(dose=4.2e6)
    assert ex.readout.startswith("4.2 MIU per dose")
    assert ex.controls["dose"].label == "4.2 M"


def test_regimen_explorer_cell_response_view_plots_each_cell_type_over_time():
    ex = explorers.regimen(preset="low-dose-1miu", view="response", mode="static")
    assert ex.lines["treg"].get_visible() and not ex.lines["concentration"].get_visible()
    t, treg = ex.data("treg")
    _, nk = ex.data("nk")
    # s.c. levels fitted to Meropol 1996 (a few pM): a partial Treg response, a far smaller NK one
    assert treg.max() > 0.1 and treg.max() > 10 * nk.max()
    assert ex.ax.get_yscale() == "linear"
    ex.controls["view"].value = "concentration"
    assert ex.ax.get_yscale() == "log" and ex.controls["preset"].value == "low-dose-1miu"
    ex.controls["preset"].value = "high-dose"
    ex.controls["view"].value = "response"
    assert ex.data("nk")[1].max() > 0.95


def test_regimen_explorer_body_size_matters_for_per_kg_doses():
    ex = explorers.regimen(preset="high-dose", mode="static")
    peak70 = ex.data("concentration")[1].max()
    ex.controls["body_weight_kg"].value = 140
    assert ex.data("concentration")[1].max() == pytest.approx(2 * peak70, rel=0.01)
    assert ex.readout.startswith("84 MIU per dose")


def test_a_regimen_set_in_code_is_marked_custom_unless_it_keeps_the_preset():
    ex = explorers.regimen(preset="low-dose-1miu", mode="static")
    ex.set(body_surface_m2=2.0)  # patient size is not part of a regimen
    assert ex.controls["preset"].value == "low-dose-1miu"
    ex.set(n_doses=ex.controls["n_doses"].value)  # the same value: still the preset
    assert ex.controls["preset"].value == "low-dose-1miu"
    ex.set(dose=3e6)
    assert ex.controls["preset"].value == "custom" and ex.regimen().dose == 3e6
    assert explorers.regimen(preset="high-dose", n_doses=3, mode="static").controls["preset"].value == "custom"


def test_weight_slider_is_disabled_while_the_dose_is_not_per_kg():
    # the model's volumes follow body surface; weight only sizes a per-kg dose, so a flat dose leaves it idle
    ex = explorers.regimen(preset="low-dose-1miu", mode="live")
    weight = ex.stop_sliders["body_weight_kg"]
    assert ex.controls["dose_unit"].value == "IU" and weight.slider.disabled
    ex.precompute()
    stops = ex.plot_widget.children[weight.offset:weight.offset + len(weight.options)]
    assert sum(1 for p in stops if p.value) == 1  # only its current stop, which shows the current picture
    ex.controls["dose_unit"].value = "IU/kg"
    assert not weight.slider.disabled
    ex.precompute()
    pictures = {picture_of(p.value) for p in ex.plot_widget.children[weight.offset:weight.offset + len(weight.options)]}
    assert len(pictures) == len(weight.options)  # now every weight draws its own curve


def test_regimen_explorer_says_so_when_a_dose_is_impossible():
    ex = explorers.regimen(preset="high-dose", mode="static")
    before = ex.data("concentration")[1].copy()
    ex.controls["dose"].value = 1e8  # 1e8 IU/kg: far beyond any regimen
    assert ex.readout.startswith("Cannot show this: dose must give at most")
    assert np.array_equal(ex.data("concentration")[1], before)


def test_population_explorer_scenarios_change_lines_and_readout():
    ex = explorers.population(scenario="deficient", mode="static")
    run = population.scenario("deficient", n_points=241)
    assert ex.data("tregs")[1] == pytest.approx(run.tregs, rel=1e-4)
    assert "no IL-2 given" in ex.readout
    ex.controls["scenario"].value = "low-dose"
    assert ex.controls["treat"].value is True
    end = population.scenario("low-dose").at(120)
    assert f"Tregs {end['tregs']:.2f}x" in ex.readout
    assert ex.data("tregs")[1][-1] == pytest.approx(end["tregs"], rel=1e-3)


def test_population_explorer_production_slider_changes_the_outcome():
    ex = explorers.population(scenario="healthy", mode="static")
    assert ex.data("effectors")[1] == pytest.approx(1.0, abs=1e-5)
    ex.controls["production"].value = 0.3
    assert ex.data("effectors")[1][-1] > 1.5
    assert ex.controls["scenario"].value == "custom"


def test_set_changes_several_controls_with_one_update():
    ex = explorers.population(mode="static")
    n = ex.updates
    ex.set(production=0.8, treat=True, dose=3.0)
    assert ex.updates == n + 1
    assert "IL-2 dose 3x" in ex.readout


def test_fast_redraw_reuses_the_background_until_the_axes_change():
    ex = explorers.regimen(preset="low-dose-1miu", mode="static")
    full = ex.full_redraws
    for dose in (2e6, 3e6, 5e6):
        ex.controls["dose"].value = dose
    assert ex.full_redraws == full  # only the curve changed
    ex.controls["n_doses"].value = 20  # longer time axis: a full redraw
    assert ex.full_redraws == full + 1
    ex.controls["n_doses"].value = 5  # back to a time axis already drawn: its background is reused
    ex.controls["n_doses"].value = 20
    assert ex.full_redraws == full + 1


@pytest.mark.parametrize("steps", [
    [("concentration_pM", 300)],
    [("view", "occupancy"), ("view", "response"), ("concentration_pM", 3)],
])
def test_fast_redraw_matches_a_full_render(steps):
    ex = explorers.binding(mode="static")
    for name, value in steps:
        ex.controls[name].value = value
    ex.redraw()  # a state seen before is shown from the picture cache, without drawing: draw it (fast path)
    fast = np.asarray(ex.canvas.buffer_rgba()).copy()
    ex.canvas.draw()
    full = np.asarray(ex.canvas.buffer_rgba())
    assert np.mean(fast != full) < 0.001


def test_fast_redraw_after_returning_to_an_earlier_time_axis_matches_a_full_render():
    ex = explorers.regimen(preset="low-dose-1miu", mode="static")
    for n in (20, 3, 20, 5):
        ex.controls["n_doses"].value = n
    ex.redraw()  # 5 doses is the preset's state, cached: draw it (fast path)
    fast = np.asarray(ex.canvas.buffer_rgba()).copy()
    ex.canvas.draw()
    assert np.mean(fast != np.asarray(ex.canvas.buffer_rgba())) < 0.001


def test_live_mode_holds_a_picture_for_every_stop_of_every_slider():
    ex = explorers.binding(mode="live")
    stack = ex.plot_widget
    sliders = ex.stop_sliders
    assert isinstance(stack, widgets.Stack) and plots_in(ex.widget) == 1
    assert len(stack.children) == sum(len(s.options) for s in sliders.values())
    # each slider runs over its own range of the Stack's indices, linked in the browser (no kernel round trip)
    links = ex.links
    for s in sliders.values():
        assert (s.slider.min, s.slider.max) == (s.offset, s.offset + len(s.options) - 1)
        assert any(link.source == (s.slider, "value") and link.target == (stack, "selected_index") for link in links)
    ex.precompute()
    assert ex.picture_bytes() < 2.2e6  # the budget: about 2 MB of pictures per explorer
    conc = sliders["concentration_pM"]
    for i in (0, 20, 60):
        text = stack.children[conc.offset + i].value
        assert f"At {explorers.base._fmt_pM(conc.options[i][1])}:" in text  # the readout of that stop
    # the picture at a stop is the picture the kernel draws when the slider is put there
    conc.value = conc.options[20][1]
    assert picture_of(stack.children[conc.offset + 20].value) == png_of(ex)
    assert picture_of(stack.children[conc.offset + 20].value) != picture_of(stack.children[conc.offset + 30].value)


def test_a_kernel_control_rerenders_every_stop_for_the_new_state():
    ex = explorers.binding(mode="live")
    ex.precompute()
    cd25 = ex.stop_sliders["treg_cd25"]
    before = [c.value for c in ex.plot_widget.children]
    ex.controls["view"].value = "occupancy"
    current = cd25.offset + cd25.index
    assert ex.plot_widget.children[current].value != before[current]  # the current stop at once
    ex.precompute()
    after = [c.value for c in ex.plot_widget.children]
    assert all(a != b for a, b in zip(after, before))
    assert all("of receptors bound" in a for a in after)  # every stop now shows the occupancy view
    ex.controls["view"].value = "response"
    ex.precompute()
    assert [c.value for c in ex.plot_widget.children] == before  # the same pictures again, from the cache


def test_browser_moves_are_coalesced_and_the_latest_wins():
    """Messages from the browser (a fast drag) update once, with the last value, not once per message."""
    import asyncio

    ex = explorers.binding(mode="live")
    conc = ex.stop_sliders["concentration_pM"]

    async def drag():
        n = ex.updates
        for i in range(10, 30):
            conc.slider.set_state({"value": conc.offset + i})  # as a comm message from the browser applies it
        assert ex.updates == n  # nothing yet: the messages are applied first
        await asyncio.sleep(0.05)
        return ex.updates - n

    assert asyncio.run(drag()) == 1
    assert ex.readout.startswith(f"At {explorers.base._fmt_pM(conc.options[29][1])}:")


def test_no_other_stop_is_rendered_while_a_slider_is_dragged():
    """During a drag (browser moves less than DRAG_REST_S apart) the kernel renders and sends no picture for
    the other slider's stops; once the slider rests it brings them up to date."""
    import asyncio

    ex = explorers.binding(mode="live")
    ex.precompute()
    conc, cd25 = ex.stop_sliders["concentration_pM"], ex.stop_sliders["treg_cd25"]
    other = slice(cd25.offset, cd25.offset + len(cd25.options))

    async def drag():
        before = [p.value for p in ex._pics[other]]
        renders = ex.renders
        for i in range(10, 40):  # 30 moves over ~1.2 s: a drag
            conc.slider.set_state({"value": conc.offset + i})
            await asyncio.sleep(0.04)
        during = ex.renders - renders, [p.value for p in ex._pics[other]]
        for _ in range(200):  # then at rest: the other slider's stops follow the new concentration
            await asyncio.sleep(0.05)
            if ex._next_stale() is None:
                break
        return before, during, [p.value for p in ex._pics[other]]

    before, (renders, during), after = asyncio.run(drag())
    assert renders <= 1  # at most the new current picture, if it was not precomputed
    changed = sum(a != b for a, b in zip(before, during))
    assert changed <= 1  # only the CD25 slider's current stop shows the new concentration
    assert ex._next_stale() is None and sum(a != b for a, b in zip(before, after)) > len(cd25.options) // 2


def test_sliders_take_any_value_given_in_code_exactly():
    ex = explorers.population(mode="live")
    ex.set(treat=True, dose=1.0, treatment_start=33)
    assert ex.controls["treatment_start"].value == 33 and "from day 33" in ex.readout
    assert ex.state()["treatment_start"] == 33
    assert len(ex.plot_widget.children) == sum(len(s.options) for s in ex.stop_sliders.values())


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: explorers.binding(concentration_pM=-1), "il2edu.explorers.binding: concentration_pM must be from 0.1"),
        (lambda: explorers.regimen(preset="nope"), "il2edu.explorers.regimen: preset must be one of"),
        (lambda: explorers.regimen(dosage=3), "il2edu.explorers.regimen: "),
        (lambda: explorers.population(scenario="zombie"), "il2edu.explorers.population: scenario must be one of"),
    ],
)
def test_bad_arguments_show_one_line_not_a_traceback(call, words):
    shown = call()
    assert isinstance(shown, explorers.Problem)
    assert repr(shown).startswith(words)
    assert "\n" not in repr(shown)
    assert "il2edu-problem" in shown._repr_html_()


def test_palette_is_okabe_ito_with_a_fixed_colour_per_cell_type():
    assert set(figures.CELL_COLORS.values()) <= set(figures.OKABE_ITO.values())
    assert len(set(figures.CELL_COLORS.values())) == 4
    assert figures.cell_color("treg") == "#0072B2"
    with pytest.raises(ValueError, match="cell must be one of"):
        figures.cell_color("b_cell")


@pytest.mark.parametrize("kind, kwargs", [("response", {}), ("regimen", {"preset": "esprit"}),
                                          ("population", {"scenario": "high-dose"})])
def test_static_figures_render(kind, kwargs):
    fig = figures.plot(kind, **kwargs)
    assert fig._repr_png_().startswith(b"\x89PNG")
    assert fig.figure.axes[0].get_xlabel()


def test_log_axes_use_plain_decade_labels():
    assert [figures.decade_label(v) for v in (0.01, 0.1, 1, 10, 1000, 1e4, 1e5, 3)] == [
        "0.01", "0.1", "1", "10", "1000", "10⁴", "10⁵", ""]
    ex = explorers.binding(mode="static")
    ex.canvas.draw()
    labels = [t.get_text() for t in ex.ax.get_xticklabels() if t.get_text()]
    assert "0.1" in labels and "10⁵" in labels


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_REGIMEN = {}


def _shared_regimen_explorer():
    if "ex" not in _REGIMEN:
        _REGIMEN["ex"] = explorers.regimen(mode="static")
    return _REGIMEN["ex"]


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_combination_of_regimen_controls_gives_a_plot_or_a_one_line_reason(data):
    ex = _shared_regimen_explorer()
    c = ex.controls
    values = {
        "route": data.draw(st.sampled_from(["sc", "iv"])),
        "dose": data.draw(st.sampled_from([v for _, v in c["dose"].options])),
        "dose_unit": data.draw(st.sampled_from(["IU", "IU/kg", "IU/m2"])),
        "interval_h": data.draw(st.integers(c["interval_h"].min, c["interval_h"].max)),
        "n_doses": data.draw(st.integers(c["n_doses"].min, c["n_doses"].max)),
        "body_weight_kg": data.draw(st.floats(c["body_weight_kg"].min, c["body_weight_kg"].max)),
        "body_surface_m2": data.draw(st.floats(c["body_surface_m2"].min, c["body_surface_m2"].max)),
        "view": data.draw(st.sampled_from(["concentration", "response"])),
    }
    ex.set(**values)
    text = ex.readout
    assert "\n" not in text
    if text.startswith("Cannot show this:"):
        assert "dose must give at most" in text
    else:
        t, conc = ex.data("concentration")
        assert np.all(np.isfinite(conc)) and conc.max() > 0
        assert "MIU per dose" in text


# --- accessibility (issue 17, item 3) ------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda: explorers.binding(mode="static"),
    lambda: explorers.binding(view="occupancy", mode="static"),
    lambda: explorers.regimen(mode="static"),
    lambda: explorers.regimen(view="response", mode="static"),
    lambda: explorers.population(scenario="low-dose", mode="static"),
])
def test_no_two_lines_differ_by_colour_alone(make):
    ex = make()
    shown = [ln for ln in ex.ax.get_lines() if ln.get_visible() and not ln.get_label().startswith("_")]
    cues = [(ln.get_linestyle(), ln.get_marker()) for ln in shown]
    assert len(shown) >= 3 and len(set(cues)) == len(cues), list(zip([ln.get_label() for ln in shown], cues))


def test_occupancy_readout_reports_each_receptor_form():
    ex = explorers.binding(view="occupancy", concentration_pM=100, mode="static")
    c = ex.controls["concentration_pM"].value
    p = binding.BindingParams.load()
    for name, kd in (("αβγc", p.kd_trimer), ("βγc", p.kd_dimer), ("CD25 alone", p.kd_alpha)):
        assert f"{name} {100 * c / (c + kd):.0f}%" in ex.readout
    assert "of receptors bound" in ex.readout and "maximal response" not in ex.readout


def test_the_picture_carries_a_text_alternative_from_the_plotted_data():
    ex = explorers.binding(concentration_pM=100, mode="static")
    alt = html.unescape(re.search(r'alt="([^"]*)"', ex.plot_widget.value).group(1))
    for label in ("Treg", "CD4 Tconv", "NK", "CD8"):
        assert f"{label}: rises from" in alt
    treg = binding.relative_response(ex.controls["concentration_pM"].value, "treg")
    assert f"({figures._fmt_num(ex.controls['concentration_pM'].value)}, {figures._fmt_num(treg)})" in alt  # marked
    assert "log scale" in alt and ex.readout in alt
    ex.controls["view"].value = "occupancy"
    alt = html.unescape(re.search(r'alt="([^"]*)"', ex.plot_widget.value).group(1))
    assert "αβγc (Kd 10 pM): rises" in alt and "Treg:" not in alt


def test_the_data_behind_each_picture_is_a_table_on_request():
    ex = explorers.population(scenario="deficient", mode="static")
    text = ex.plot_widget.value
    assert "<details class='il2edu-data-table'><summary>Show the data as a table</summary>" in text
    table = text[text.index("<table"):text.index("</table>")]
    assert "<th scope='col'>Tregs</th>" in table and "<th scope='col'>effector T cells</th>" in table
    last = re.findall(r"<tr><th scope='row'>([^<]+)</th>(.*?)</tr>", table)[-1]
    assert float(last[0]) == 120
    tregs = re.findall(r"<td>([^<]+)</td>", last[1])[0]
    assert float(tregs) == pytest.approx(ex.run.at(120)["tregs"], rel=0.01)


def test_rendering_the_other_stops_never_moves_a_slider_the_browser_sees():
    """Background rendering reads each stop without moving the widget: a moved IntSlider would be sent to the
    browser and switch the picture under the learner's hand."""
    ex = explorers.regimen(mode="live")
    moves = []
    for s in ex.stop_sliders.values():
        s.slider.observe(lambda change: moves.append(change["new"]), names="value")
    before = ex.state()
    ex.controls["view"].value = "response"
    ex.precompute()
    assert moves == [] and {k: v for k, v in ex.state().items() if k != "view"} == \
        {k: v for k, v in before.items() if k != "view"}
    assert ex.readout == explorers.regimen(view="response", mode="static").readout  # restored to the current state
