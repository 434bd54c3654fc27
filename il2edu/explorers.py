"""Interactive explorers: controls -> a model call -> the same plot updated, plus a one-line readout.

    il2edu.explorers.binding(concentration_pM=10)
    il2edu.explorers.regimen(preset="low-dose-1miu")
    il2edu.explorers.population(scenario="deficient")

Each returns an Explorer that Jupyter displays as one widget (CSS class `il2edu-explorer`) holding exactly
one plot, the controls, a readout (class `il2edu-readout`) and a collapsible "About this model".
Tests and lessons can drive it: `ex.controls["dose"].value = 3e6`, then read `ex.readout`, `ex.data("treg")`.

Plot modes (see docs/EXPLORERS.md):
- live: in a Jupyter kernel with ipympl installed, the figure is drawn on an ipympl canvas built by the
  explorer itself (no `%matplotlib widget` needed); an update moves the artists and calls draw_idle.
- static: elsewhere (plain Python, tests) or when IL2EDU_PLOT=static, the figure is re-rendered in the
  kernel to a PNG that replaces the outputs of an Output widget, which keeps nbval deterministic.
"""

from __future__ import annotations

import base64
import html
import os

import ipywidgets as widgets
import numpy as np

from . import content, figures
from . import parameters as _parameters
from .models import binding as _binding
from .models import pk as _pk
from .models import population as _population
from .models import response as _response

MODE_ENV = "IL2EDU_PLOT"


def plot_mode() -> str:
    """'live' (ipympl canvas) or 'static' (re-rendered PNG), from IL2EDU_PLOT or the environment."""
    wanted = os.environ.get(MODE_ENV, "auto").strip().lower()
    if wanted in ("static", "live"):
        return wanted
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None or not getattr(shell, "kernel", None):
            return "static"
        import sys

        if "google.colab" in sys.modules:  # ipympl's canvas does not render on Colab
            return "static"
        import ipympl  # noqa: F401
    except ImportError:
        return "static"
    return "live"


def _cite(keys) -> str:
    refs = content.references()
    parts = []
    for key in keys:
        e = refs.get(key, {})
        who = e.get("authors") or [e.get("publisher", key)]
        first = who[0] if isinstance(who, list) else str(who)
        surname = first.split()[0] if " " in first and not e.get("publisher") else first
        many = isinstance(who, list) and len(who) > 1
        parts.append(f"{html.escape(surname)}{' et al.' if many else ''} {e.get('year', '')} [{key}]")
    return "; ".join(parts)


class Explorer:
    """Base: one figure, a dict of controls, a readout line, an 'About this model' panel."""

    title = ""
    about = ""
    references: tuple = ()

    def __init__(self, mode=None):
        self.mode = mode or plot_mode()
        if self.mode not in ("live", "static"):
            raise ValueError(f"mode must be 'live' or 'static'; got {self.mode!r}")
        self.fig, self.ax = figures.new_figure()
        self.lines: dict = {}
        self.controls: dict = {}
        self.updates = 0
        self.full_redraws = 0
        self.dynamic: list = []  # artists that change on updates: redrawn over a cached background
        self._backgrounds: dict = {}  # background key -> saved pixels, a few most recent
        self._readout = widgets.HTML()
        self._readout.add_class("il2edu-readout")
        if self.mode == "live":
            from ipympl.backend_nbagg import Canvas, FigureManager

            canvas = Canvas(self.fig)
            FigureManager(canvas, id(self))
            canvas._closed = False
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.resizable = False
            canvas.toolbar_visible = "fade-in-fade-out"
            self.canvas = canvas
            self.plot_widget = canvas
        else:
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            self.canvas = FigureCanvasAgg(self.fig)
            self.plot_widget = widgets.Output()
        self.plot_widget.add_class("il2edu-plot")
        self.canvas.mpl_connect("draw_event", self._on_draw)
        self._muted = False

    def _dyn(self, artist):
        """Mark an artist as changing on updates (drawn over the cached background)."""
        artist.set_animated(True)
        self.dynamic.append(artist)
        return artist

    # --- assembling ---
    def _lean_log_axes(self):
        # Decade ticks only, with plain labels: minor ticks and mathtext labels are most of a full redraw.
        for axis in (self.ax.xaxis, self.ax.yaxis):
            if axis.get_scale() == "log":
                figures.plain_log_ticks(axis)

    def _finish(self, control_rows):
        self._lean_log_axes()
        about = widgets.HTML(self._about_html())
        acc = widgets.Accordion(children=[about], titles=("About this model (a teaching simplification)",))
        acc.selected_index = None
        acc.add_class("il2edu-about")
        head = widgets.HTML(f"<b>{html.escape(self.title)}</b>")
        self.widget = widgets.VBox([head, self.plot_widget, *control_rows, self._readout, acc])
        self.widget.add_class("il2edu-explorer")
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.update()

    def _about_html(self) -> str:
        return (
            f"<div style='font-size: 0.92em; line-height: 1.35'>{self.about}"
            f"<p><b>Sources:</b> {_cite(self.references)}. Every number is in seeds/parameters.yaml with its "
            "source; values marked there as assumptions are teaching choices.</p>"
            "<p><i>This is a teaching simplification, not a clinical tool and not medical advice.</i></p></div>"
        )

    def _on_change(self, change):
        if not self._muted:
            self.update()

    def set(self, **values):
        """Change several controls at once with a single update."""
        self._muted = True
        try:
            for k, v in values.items():
                if k not in self.controls:
                    raise ValueError(f"{k} is not a control of this explorer; controls: {', '.join(self.controls)}")
                self.controls[k].value = v
        finally:
            self._muted = False
        self.update()

    # --- updating ---
    def update(self):
        try:
            self.compute_and_set()
        except ValueError as err:  # e.g. a per-kg dose that gives an absurd total: say so, keep the plot
            self._readout.value = f"<span style='color:#D55E00'>Cannot show this: {html.escape(str(err))}</span>"
            return
        self.updates += 1
        self.redraw()

    def compute_and_set(self):  # pragma: no cover - subclasses
        raise NotImplementedError

    def _background_key(self):
        """What the cached background depends on: axes limits, labels, legend, which lines are shown."""
        ax = self.ax
        legend = ax.get_legend()
        return (self.fig.dpi, tuple(self.fig.bbox.bounds), ax.get_xlim(), ax.get_ylim(), ax.get_yscale(),
                ax.get_ylabel(), id(legend),
                tuple(a.get_visible() for a in ax.get_children() if hasattr(a, "get_visible")))

    def _on_draw(self, event):
        # After every full draw (ours, or one the browser asks ipympl for): keep the background without
        # the changing artists, then draw them on top.
        if event is not None and event.canvas is not self.canvas:
            return
        key = self._background_key()
        self._backgrounds.pop(key, None)
        self._backgrounds[key] = self.canvas.copy_from_bbox(self.fig.bbox)
        while len(self._backgrounds) > 8:  # e.g. the regimen explorer's few time spans
            self._backgrounds.pop(next(iter(self._backgrounds)))
        self.full_redraws += 1
        self._draw_dynamic()

    def _draw_dynamic(self):
        for artist in self.dynamic:
            if artist.get_visible():
                self.ax.draw_artist(artist)

    def _legend(self, **kwargs):
        """The legend sits in a row above the axes: part of the background, and no line can cover it."""
        kwargs.setdefault("ncol", max(1, len(kwargs.get("handles") or self.ax.get_legend_handles_labels()[0])))
        return self.ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=9, frameon=False,
                              borderaxespad=0.2, handlelength=2.2, columnspacing=1.2, **kwargs)

    def redraw(self):
        """Show the current artists: blit over the cached background when only they changed."""
        bg = self._backgrounds.get(self._background_key())
        fast = bg is not None
        if self.mode == "live":
            if fast:
                self.canvas.restore_region(bg)
                self._draw_dynamic()
                self.canvas.blit(self.fig.bbox)
            else:
                self.canvas.draw_idle()
            return
        if fast:
            self.canvas.restore_region(bg)
            self._draw_dynamic()
        else:
            self.canvas.draw()  # _on_draw caches the background and draws the changing artists
        png = figures.rgba_to_png(self.canvas.buffer_rgba())
        self.plot_widget.outputs = (
            {
                "output_type": "display_data",
                "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"<{self.title} plot>"},
                "metadata": {},
            },
        )

    def png(self) -> bytes:
        """The plot as PNG bytes (a full render of the current state)."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        agg = FigureCanvasAgg(self.fig) if self.mode == "live" else self.canvas
        agg.draw()
        data = figures.rgba_to_png(agg.buffer_rgba())
        if self.mode == "live":
            self.fig.set_canvas(self.canvas)
        return data

    # --- what tests and lessons read ---
    @property
    def readout(self) -> str:
        """The readout as plain text."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self._readout.value))

    def data(self, name):
        """(x, y) arrays currently plotted by the line called `name`."""
        x, y = self.lines[name].get_data()
        return np.asarray(x, float), np.asarray(y, float)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def __repr__(self):
        return f"<il2edu explorer: {self.title}>"


# -----------------------------------------------------------------------------------------------------


class BindingExplorer(Explorer):
    title = "Binding explorer: who responds to how much IL-2?"
    references = _binding.REFERENCES
    about = (
        "<p><b>Model.</b> Each cell carries CD25 (α) chains and IL-2Rβ–γc pairs (the scarcer of CD122 and γc). "
        "Free α and βγc pair into high-affinity αβγc receptors: (A − P)(B − P) = K·P. Each form binds IL-2 at "
        "equilibrium, occupancy = C / (C + Kd), with Kd ≈ 10 nM (α alone), 1 nM (βγc), 10 pM (αβγc). "
        "Signalling complexes S = P·θ<sub>αβγ</sub> + (B − P)·θ<sub>βγ</sub>; lone α does not signal. "
        "The pSTAT5-like response is S / (S + K<sub>S</sub>), plotted as a fraction of each cell type's own "
        "maximum; the EC50 is where it reaches one half. Window = EC50 of NK cells ÷ EC50 of Tregs.</p>"
        "<p><b>Units.</b> IL-2 in pM (1 nM = 1000 pM; 1 IU/mL ≈ 4 pM); receptors per cell.</p>"
        "<p><b>Assumptions.</b> Receptor numbers are means for resting human blood cells; the pairing constant "
        "K and the response constant K<sub>S</sub> are teaching choices; IL-2 is not depleted by the cells; "
        "receptor numbers stay fixed (in reality IL-2 raises CD25).</p>"
    )

    def __init__(self, concentration_pM=10.0, treg_cd25=None, view="response", mode=None):
        super().__init__(mode)
        self.params = _binding.BindingParams.load()
        self.cells = {n: _binding.cell(n) for n in _binding.cell_type_names()}
        treg = self.cells["treg"]
        self.conc = np.logspace(-1, 5, 200)
        self.controls = {
            "concentration_pM": widgets.FloatLogSlider(
                value=_check_slider("concentration_pM", concentration_pM, 0.1, 1e5), base=10, min=-1, max=5,
                step=0.05, description="IL-2 (pM)", readout_format=".3g", continuous_update=True,
                style={"description_width": "initial"}),
            # linear and in steps of 100, so the measured default (3,600) is shown exactly
            "treg_cd25": widgets.IntSlider(
                value=int(round(_check_slider("treg_cd25", treg.cd25 if treg_cd25 is None else treg_cd25, 100, 30000))),
                min=100, max=30000, step=100, description="CD25 per Treg", style={"description_width": "initial"}),
            "view": widgets.ToggleButtons(options=[("Response", "response"), ("Receptor occupancy", "occupancy")],
                                          value=_check_choice("view", view, ["response", "occupancy"])),
        }
        ax = self.ax
        for n, c in self.cells.items():
            (self.lines[n],) = ax.plot([], [], figures.CELL_STYLES[n], color=figures.CELL_COLORS[n], lw=2, label=c.label)
            self._dyn(self.lines[n])
        for form, kd, label in (("alpha", self.params.kd_alpha, "CD25 alone (Kd 10 nM)"),
                                ("dimer", self.params.kd_dimer, "βγc (Kd 1 nM)"),
                                ("trimer", self.params.kd_trimer, "αβγc (Kd 10 pM)")):
            (self.lines[form],) = ax.plot(self.conc, self.conc / (self.conc + kd), color=figures.COLORS[form], lw=2,
                                          label=label)
        (self.lines["marker"],) = ax.plot([], [], "o", color=figures.COLORS["marker"], ms=6, zorder=5)
        self.vline = ax.axvline(10, color=figures.COLORS["marker"], lw=1, alpha=0.6)
        self._dyn(self.vline)
        self._dyn(self.lines["marker"])
        ax.axhline(0.5, color="#888888", lw=0.8, ls=":")
        figures.concentration_axis(ax)
        ax.set_ylim(-0.02, 1.02)
        self._view = None
        self._finish([widgets.HBox([self.controls["concentration_pM"], self.controls["treg_cd25"]]),
                      self.controls["view"]])

    def _set_view(self, view):
        if view == self._view:
            return
        self._view = view
        cells = view == "response"
        for n in self.cells:
            self.lines[n].set_visible(cells)
        for form in ("alpha", "dimer", "trimer"):
            self.lines[form].set_visible(not cells)
        self.ax.set_ylabel("pSTAT5-like response\n(fraction of the cell's maximum)" if cells
                           else "Fraction of receptors bound")
        shown = [self.lines[n] for n in (self.cells if cells else ("alpha", "dimer", "trimer"))]
        self._legend(handles=shown)

    def compute_and_set(self):
        c_now = float(self.controls["concentration_pM"].value)
        self.cells["treg"] = _binding.cell("treg", cd25=float(self.controls["treg_cd25"].value))
        view = self.controls["view"].value
        self._set_view(view)
        ec50 = {}
        now = {}
        for n, cell in self.cells.items():
            curve = _binding.relative_response(self.conc, cell, self.params)
            self.lines[n].set_data(self.conc, curve)
            ec50[n] = _binding.ec50(cell, self.params)
            now[n] = float(_binding.relative_response(c_now, cell, self.params))
        self.ec50 = ec50
        self.vline.set_xdata([c_now, c_now])
        if view == "response":
            self.lines["marker"].set_data([c_now] * len(now), list(now.values()))
        else:
            forms = [(self.params.kd_alpha), (self.params.kd_dimer), (self.params.kd_trimer)]
            self.lines["marker"].set_data([c_now] * 3, [c_now / (c_now + kd) for kd in forms])
        window = ec50["nk"] / ec50["treg"]
        at = ", ".join(f"{self.cells[n].label} {100 * v:.0f}%" for n, v in now.items())
        self._readout.value = (
            f"At {_fmt_pM(c_now)}: {at} of maximal response. "
            f"<b>Treg EC50 {_fmt_pM(ec50['treg'])}, NK EC50 {_fmt_pM(ec50['nk'])}: window {window:.0f}x</b>"
        )


# -----------------------------------------------------------------------------------------------------


class RegimenExplorer(Explorer):
    title = "Regimen explorer: plasma IL-2 after a dosing schedule"
    references = _pk.REFERENCES + ("farhat2021", "trotta2018")
    about = (
        "<p><b>Model.</b> Intravenous doses: two compartments with half-lives of 13 and 85 min and clearance "
        "about 120 mL/min; the central volume scales with body surface (about 2.8 L at 1.8 m²). "
        "Subcutaneous doses: a fraction F reaches the blood through two first-order steps (injection site, "
        "lymph), which gives a low, flat profile peaking after about 4 h. Doses add up (linear kinetics). "
        "Dashed lines: each cell type's EC50 from the binding model. The Cell responses view shows each cell "
        "type's pSTAT5-like response to that plasma level over time (binding model, fraction of the cell's "
        "maximum). Time above EC50 = hours the plasma level "
        "exceeds it; selectivity index = mean Treg response ÷ the larger of the mean NK and CD8 responses.</p>"
        "<p><b>Units.</b> Doses in IU (1 MIU ≈ 61 µg ≈ 4.0 nmol), per kg or per m² where the regimen says so; "
        "time in hours; concentration in pM.</p>"
        "<p><b>Assumptions.</b> No source gives subcutaneous bioavailability or absorption rate: F and the "
        "absorption rate are teaching choices that reproduce the documented peak time (2-6 h) and flat level "
        "(about 2% of the IV peak). Plasma stands for the fluid around the cells; binding is taken as "
        "instantaneous; receptor numbers stay fixed.</p>"
    )

    def __init__(self, preset="low-dose-1miu", dose=None, dose_unit=None, route=None, interval_h=None,
                 n_doses=None, body_weight_kg=None, body_surface_m2=None, view="concentration", mode=None):
        super().__init__(mode)
        self.pk_params = _pk.PKParams.load()
        self.bparams = _binding.BindingParams.load()
        self.cells = {n: _binding.cell(n) for n in _binding.cell_type_names()}
        self.ec50 = {n: _binding.ec50(c, self.bparams) for n, c in self.cells.items()}
        presets = _parameters.regimens()
        options = [(r.get("title", k), k) for k, r in presets.items()] + [("Custom", "custom")]
        base = _pk.Regimen.preset(_check_choice("preset", preset, list(presets)))
        self.controls = {
            "preset": widgets.Dropdown(options=options, value=preset, description="Preset",
                                       layout=widgets.Layout(width="460px")),
            "route": widgets.ToggleButtons(options=[("s.c.", "sc"), ("IV", "iv")], value=base.route,
                                           description="Route"),
            # a slider over round doses and every preset's dose, so preset values are shown exactly
            "dose": widgets.SelectionSlider(options=_dose_options([float(r["dose"]) for r in presets.values()]),
                                            value=base.dose, description="Dose"),
            "dose_unit": widgets.Dropdown(options=list(_pk.DOSE_UNITS), value=base.dose_unit, description="per",
                                          layout=widgets.Layout(width="160px")),
            "interval_h": widgets.IntSlider(value=int(base.interval_h), min=4, max=168, step=1,
                                            description="Every (h)"),
            "n_doses": widgets.IntSlider(value=base.n_doses, min=1, max=28, description="Doses"),
            "body_weight_kg": widgets.FloatSlider(value=self.pk_params.body_weight_kg, min=40, max=150, step=1,
                                                  description="Weight (kg)"),
            "body_surface_m2": widgets.FloatSlider(value=self.pk_params.body_surface_m2, min=1.3, max=2.5,
                                                   step=0.05, description="Surface (m²)"),
            "view": widgets.ToggleButtons(options=[("Plasma IL-2", "concentration"), ("Cell responses", "response")],
                                          value=_check_choice("view", view, ["concentration", "response"])),
        }
        self._infusion_min = base.infusion_min or 15.0
        ax = self.ax
        (self.lines["concentration"],) = ax.plot([], [], color=figures.COLORS["il2"], lw=2, label="plasma IL-2")
        self._dyn(self.lines["concentration"])
        self.ec50_lines = {}
        for n, c in self.cells.items():
            self.ec50_lines[n] = ax.axhline(self.ec50[n], color=figures.CELL_COLORS[n], ls="--", lw=1.2,
                                            label=f"{c.label} EC50")
        for n, c in self.cells.items():
            (self.lines[n],) = ax.plot([], [], figures.CELL_STYLES[n], color=figures.CELL_COLORS[n], lw=2,
                                       label=c.label)
            self._dyn(self.lines[n])
        ax.set_xlabel("Time from first dose (h)")
        self._view = None
        self.controls["preset"].observe(self._on_preset, names="value")
        for name in ("route", "dose", "interval_h", "n_doses", "body_weight_kg", "body_surface_m2"):
            self.controls[name].style.description_width = "initial"  # labels in full, on one line
        self.controls["route"].style.button_width = "60px"
        rows = [
            self.controls["view"],
            self.controls["preset"],
            widgets.HBox([self.controls["route"], self.controls["dose"], self.controls["dose_unit"]]),
            widgets.HBox([self.controls["interval_h"], self.controls["n_doses"]]),
            widgets.HBox([self.controls["body_weight_kg"], self.controls["body_surface_m2"]]),
        ]
        self._finish(rows)
        # Keyword arguments override the preset's values.
        overrides = {k: v for k, v in dict(dose=dose, dose_unit=dose_unit, route=route, interval_h=interval_h,
                                            n_doses=n_doses, body_weight_kg=body_weight_kg,
                                            body_surface_m2=body_surface_m2).items() if v is not None}
        if overrides:
            self.set(**overrides)

    def set(self, **values):
        if "dose" in values:  # any dose, not only the slider's round values
            values["dose"] = float(_check_slider("dose", values["dose"], 1, 1e9))
            self.add_dose_option(values["dose"])
        super().set(**values)

    def add_dose_option(self, dose: float):
        """Make `dose` (in the current dose unit) selectable on the dose slider."""
        slider = self.controls["dose"]
        values = [v for _, v in slider.options]
        if float(dose) not in values:
            self._muted = True
            try:
                current = slider.value
                slider.options = _dose_options(values + [float(dose)], extra_only=True)
                slider.value = current
            finally:
                self._muted = False

    # Patient size and the view are not part of a regimen: changing them keeps the preset's name.
    NOT_REGIMEN = ("preset", "view", "body_weight_kg", "body_surface_m2")

    def _on_change(self, change):
        if self._muted:
            return
        changed = next(k for k, w in self.controls.items() if w is change["owner"])
        if changed not in self.NOT_REGIMEN and self.controls["preset"].value != "custom":
            self._muted = True
            self.controls["preset"].value = "custom"
            self._muted = False
        self.update()

    def _set_view(self, view):
        if view == self._view:
            return
        self._view = view
        ax = self.ax
        conc = view == "concentration"
        self.lines["concentration"].set_visible(conc)
        for n in self.cells:
            self.ec50_lines[n].set_visible(conc)
            self.lines[n].set_visible(not conc)
        if conc:
            ax.set_yscale("log")
            ax.set_ylim(0.1, 1e5)
            ax.set_ylabel("Plasma IL-2 (pM)")
            self._legend(handles=[self.lines["concentration"], *self.ec50_lines.values()], ncol=3)
        else:
            ax.set_yscale("linear")
            ax.set_ylim(-0.02, 1.02)
            ax.set_ylabel("pSTAT5-like response\n(fraction of the cell's maximum)")
            self._legend(handles=[self.lines[n] for n in self.cells])
        self._lean_log_axes()

    def _on_preset(self, change):
        if self._muted or change["new"] == "custom":
            return
        r = _pk.Regimen.preset(change["new"])
        self._infusion_min = r.infusion_min or 15.0
        self._muted = True
        try:
            self.controls["route"].value = r.route
            self.controls["dose"].value = r.dose
            self.controls["dose_unit"].value = r.dose_unit
            self.controls["interval_h"].value = int(r.interval_h)
            self.controls["n_doses"].value = r.n_doses
        finally:
            self._muted = False
        self.update()

    def regimen(self) -> _pk.Regimen:
        c = self.controls
        route = c["route"].value
        return _pk.Regimen(dose=float(c["dose"].value), route=route, dose_unit=c["dose_unit"].value,
                           interval_h=float(c["interval_h"].value), n_doses=int(c["n_doses"].value),
                           infusion_min=self._infusion_min if route == "iv" else 0.0)

    def compute_and_set(self):
        reg = self.regimen()
        w = float(self.controls["body_weight_kg"].value)
        s = float(self.controls["body_surface_m2"].value)
        span = _nice_span(reg.end_h() + 24.0)
        res = _response.regimen_response(reg, t_h=_pk.time_grid(reg, end_h=span), body_weight_kg=w,
                                         body_surface_m2=s, pk_params=self.pk_params, binding_params=self.bparams)
        self.result = res
        t, conc = res.t_h, res.concentration_pM
        self._set_view(self.controls["view"].value)
        self.lines["concentration"].set_data(t, np.maximum(conc, 1e-3))
        for n in self.cells:
            self.lines[n].set_data(t, res.responses[n])
        self.ax.set_xlim(0, span)
        dose_iu = reg.dose_iu(w, s, self.pk_params)
        above = res.time_above_ec50_h
        self._readout.value = (
            f"{dose_iu / 1e6:.3g} MIU per dose ({_fmt_mass(_pk.iu_to_ug(dose_iu))}); peak {_fmt_pM(conc.max())}. "
            f"Time above EC50: Treg {above['treg']:.0f} h, NK {above['nk']:.0f} h, CD8 {above['cd8']:.0f} h. "
            f"<b>Selectivity index {res.selectivity_index:.1f}</b>"
        )


# -----------------------------------------------------------------------------------------------------


class PopulationExplorer(Explorer):
    title = "Population explorer: IL-2, Tregs and effector T cells over weeks (a teaching model)"
    references = _population.REFERENCES
    about = (
        "<p><b>Model.</b> IL-2 is made by activated effector T cells and removed mostly by Tregs; it is taken at "
        "its quasi-steady level I = (σ·p·E + u) / (c + k<sub>T</sub>·T + k<sub>E</sub>·E). Tregs need IL-2: "
        "dT/dt = s<sub>T</sub> + r<sub>T</sub>·T·I/(I + K<sub>T</sub>)·(1 − T/T<sub>max</sub>) − d<sub>T</sub>·T. "
        "Effectors grow with antigen and, more steeply, with IL-2 (K<sub>E</sub> = 10 K<sub>T</sub>), are "
        "suppressed by Tregs, and die faster at high IL-2 (activation-induced cell death): "
        "dE/dt = s<sub>E</sub> + r<sub>E</sub>·E·(a + Iⁿ/(Iⁿ + K<sub>E</sub>ⁿ))/(1 + T/K<sub>sup</sub>)·(1 − E/E<sub>max</sub>) "
        "− d<sub>E</sub>·E − m·E·I²/(I² + K<sub>A</sub>²).</p>"
        "<p><b>Units.</b> Everything relative to a healthy steady state (1 = healthy); time in days. "
        "Production σ: IL-2 made per effector relative to healthy, from day 0. Dose u: IL-2 given as a steady "
        "input, relative to healthy total production, from the treatment start.</p>"
        "<p><b>Assumptions.</b> Every rate is a teaching choice, not a measurement; doses are smoothed into a "
        "steady input; one compartment; no CD25 feedback or other cytokines. It shows the logic of the "
        "balance, not real cell counts or timing.</p>"
    )

    def __init__(self, scenario="deficient", production=None, dose=None, treatment_start=None, mode=None):
        super().__init__(mode)
        self.params = _population.PopulationParams.load()
        self.scenarios = _population.scenarios()
        sc = self.scenarios[_check_choice("scenario", scenario, list(self.scenarios))]
        options = [(v["title"], k) for k, v in self.scenarios.items()] + [("Custom", "custom")]
        start = _population.TREATMENT_START if treatment_start is None else treatment_start
        self.controls = {
            "scenario": widgets.Dropdown(options=options, value=scenario, description="Scenario",
                                         layout=widgets.Layout(width="460px")),
            "production": widgets.FloatSlider(value=float(sc["production"]), min=0, max=1.5, step=0.05,
                                              description="IL-2 production", style={"description_width": "initial"}),
            "dose": widgets.FloatLogSlider(value=max(float(sc["dose"]), 0.01), base=10, min=-2, max=3, step=0.05,
                                           description="IL-2 dose", readout_format=".3g",
                                           style={"description_width": "initial"}),
            "treat": widgets.Checkbox(value=float(sc["dose"]) > 0, description="Give IL-2", indent=False),
            "treatment_start": widgets.IntSlider(value=int(_check_slider("treatment_start", start, 0, 120)), min=0,
                                                 max=120, description="from day", style={"description_width": "initial"}),
        }
        ax = self.ax
        (self.lines["tregs"],) = ax.plot([], [], color=figures.COLORS["tregs"], lw=2, label="Tregs")
        (self.lines["effectors"],) = ax.plot([], [], color=figures.COLORS["effectors"], lw=2, label="effector T cells")
        (self.lines["il2"],) = ax.plot([], [], color=figures.COLORS["il2"], lw=1.5, ls="--", label="IL-2")
        self.start_line = ax.axvline(start, color=figures.COLORS["treatment"], lw=1.5)
        for artist in (self.start_line, self.lines["tregs"], self.lines["effectors"], self.lines["il2"]):
            self._dyn(artist)
        ax.axhline(1.0, color="#888888", lw=0.8, ls=":")
        ax.set_yscale("log")
        ax.set_ylim(0.1, 50)
        ax.set_xlim(0, _population.DAYS)
        ax.set_xlabel("Time (days)")
        ax.set_ylabel("Level relative to healthy")
        self._legend()
        self.controls["scenario"].observe(self._on_scenario, names="value")
        rows = [self.controls["scenario"], widgets.HBox([self.controls["production"]]),
                widgets.HBox([self.controls["treat"], self.controls["dose"], self.controls["treatment_start"]])]
        self._finish(rows)
        overrides = {k: v for k, v in dict(production=production, dose=dose).items() if v is not None}
        if dose is not None:
            overrides["treat"] = dose > 0
            overrides["dose"] = max(dose, 0.01)
        if overrides:
            self.set(**overrides)

    def _on_change(self, change):
        if self._muted:
            return
        if change["owner"] is not self.controls["scenario"] and self.controls["scenario"].value != "custom":
            self._muted = True
            self.controls["scenario"].value = "custom"
            self._muted = False
        self.update()

    def _on_scenario(self, change):
        if self._muted or change["new"] == "custom":
            return
        sc = self.scenarios[change["new"]]
        self._muted = True
        try:
            self.controls["production"].value = float(sc["production"])
            self.controls["treat"].value = float(sc["dose"]) > 0
            if float(sc["dose"]) > 0:
                self.controls["dose"].value = float(sc["dose"])
        finally:
            self._muted = False
        self.update()

    def compute_and_set(self):
        c = self.controls
        dose = float(c["dose"].value) if c["treat"].value else 0.0
        start = float(c["treatment_start"].value)
        run = _population.simulate(production=float(c["production"].value), dose=dose, treatment_start=start,
                                   n_points=241, params=self.params)
        self.run = run
        self.lines["tregs"].set_data(run.t_days, run.tregs)
        self.lines["effectors"].set_data(run.t_days, run.effectors)
        self.lines["il2"].set_data(run.t_days, run.il2)
        self.start_line.set_xdata([start, start])
        self.start_line.set_visible(dose > 0)
        end = run.at(run.t_days[-1])
        treat = f"IL-2 dose {dose:.3g}x from day {start:.0f}" if dose > 0 else "no IL-2 given"
        self._readout.value = (
            f"Production {run.production:.2f}x healthy, {treat}. <b>Day {end['day']:.0f}: Tregs "
            f"{end['tregs']:.2f}x, effectors {end['effectors']:.2f}x, IL-2 {end['il2']:.2f}x healthy</b>"
        )


# -----------------------------------------------------------------------------------------------------


def _check_slider(name, x, low, high):
    from .models import _checks

    return _checks.number(name, x, low, high)


def _check_choice(name, x, allowed):
    from .models import _checks

    return _checks.choice(name, x, allowed)


def _dose_options(extra, extra_only=False):
    """(label, IU) pairs for the dose slider: a 1-1.5-2-3-5-7.5 series from 1,000 to 100 million, plus extra."""
    series = [] if extra_only else [m * 10.0 ** e for e in range(3, 8) for m in (1, 1.5, 2, 3, 5, 7.5)] + [1e8]
    values = sorted(set(series) | {float(x) for x in extra})
    return [(f"{v / 1e6:g} M" if v >= 1e6 else f"{v / 1e3:g} k", v) for v in values]


def _nice_span(hours: float) -> float:
    """The time axis snaps to a few round spans, so most control changes keep the axes (and the fast redraw)."""
    for span in (48, 168, 336, 672, 1344, 2688, 5376):  # 2 days, 1, 2, 4, 8, 16, 32 weeks
        if hours <= span:
            return float(span)
    return float(np.ceil(hours / 672) * 672)


def _fmt_mass(ug) -> str:
    return f"{ug / 1000:.3g} mg" if ug >= 1000 else f"{ug:.3g} µg"


def _fmt_pM(c) -> str:
    c = float(c)
    if c >= 1000:
        return f"{c / 1000:.2g} nM" if c < 10000 else f"{c / 1000:.0f} nM"
    return f"{c:.2g} pM" if c < 10 else f"{c:.0f} pM"


class Problem:
    """What a notebook shows instead of a traceback when an explorer is called with a bad argument."""

    def __init__(self, where, message):
        self.text = f"{where}: {message}"

    def _repr_html_(self):
        return f"<div class='il2edu-problem' style='color:#D55E00'>{html.escape(self.text)}</div>"

    def __repr__(self):
        return self.text


def _build(cls, name, kwargs):
    try:
        return cls(**kwargs)
    except TypeError as err:  # an unknown keyword
        return Problem(f"il2edu.explorers.{name}", str(err).replace("__init__()", "").strip())
    except (ValueError, content.ContentError) as err:
        return Problem(f"il2edu.explorers.{name}", str(err))


def binding(concentration_pM=10.0, treg_cd25=None, view="response", mode=None):
    """Binding explorer: response of Tregs, CD4 Tconv, NK and CD8 cells against IL-2 concentration."""
    return _build(BindingExplorer, "binding", dict(concentration_pM=concentration_pM, treg_cd25=treg_cd25, view=view,
                                                    mode=mode))


def regimen(preset="low-dose-1miu", **kwargs):
    """Regimen explorer: plasma IL-2 of a schedule against each cell type's EC50 (presets in seeds/regimens.yaml).

    Keywords override the preset: dose, dose_unit ('IU', 'IU/kg', 'IU/m2'), route ('sc', 'iv'), interval_h,
    n_doses, body_weight_kg, body_surface_m2.
    """
    return _build(RegimenExplorer, "regimen", dict(preset=preset, **kwargs))


def population(scenario="deficient", **kwargs):
    """Population explorer: IL-2, Tregs and effectors over weeks for a scenario (seeds/parameters.yaml).

    Keywords override the scenario: production (0-1.5), dose (0-1000), treatment_start (day 0-120).
    """
    return _build(PopulationExplorer, "population", dict(scenario=scenario, **kwargs))


def trials(disease="All", dose_range=(0.1, 500), **kwargs):
    """Trials explorer: published trial arms (seeds/trials.csv) by dose and Treg change, with a table view.

    disease: 'All' or one disease of the table; dose_range: (low, high) in MIU per treatment day.
    The explorer itself lives in il2edu/trials_explorer.py.
    """
    from .trials_explorer import TrialsExplorer

    return _build(TrialsExplorer, "trials", dict(disease=disease, dose_range=dose_range, **kwargs))
