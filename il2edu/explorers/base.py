"""What every explorer shares: the plot mode, the widget frame, argument checks, one-line problems."""

from __future__ import annotations

import base64
import functools
import html
import io
import os

import ipywidgets as widgets
import numpy as np

from .. import content, figures

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
            from ipympl.backend_nbagg import FigureManager

            canvas = _live_canvas_class()(self.fig)
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
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.update()
        if self.mode == "live":
            self._prime_canvas()  # before the VBox, which needs the canvas's comm
        self.widget = widgets.VBox([head, self.plot_widget, *control_rows, self._readout, acc])
        self.widget.add_class("il2edu-explorer")

    def _prime_canvas(self):
        """Give the ipympl canvas its size and a first picture before the browser sees it.

        ipympl does this itself only when the canvas is displayed on its own; inside our VBox its size stayed
        (0, 0) and its picture empty until the browser's "initialized" round trip, which waits behind every cell
        still queued by Run All (and once, in CI, left 06_high_dose with a blank plot). Both go out with the
        widget's first message (the comm opens only now), so the browser shows the current plot at once."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        # Agg's own draw: renders, and _on_draw caches the background; no browser model exists yet to send to.
        FigureCanvasAgg.draw(self.canvas)
        # The browser draws this picture pixel for pixel: on a HiDPI screen it must have ratio x the pixels.
        # ipympl learns the screen's ratio from the first canvas a browser shows (a class attribute), so only
        # the first Run All in a kernel on such a screen shows a smaller picture, until the first real frame.
        ratio = float(getattr(type(self.canvas), "current_dpi_ratio", 1.0) or 1.0)
        if ratio == 1.0:
            png = figures.rgba_to_png(self.canvas.buffer_rgba())
        else:
            buf = io.BytesIO()
            self.fig.savefig(buf, format="png", dpi=self.fig.dpi * ratio)
            png = buf.getvalue()
        self.canvas._data_url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        width, height = self.fig.get_figwidth() * self.fig.dpi, self.fig.get_figheight() * self.fig.dpi
        self.canvas._size = (width, height)  # CSS pixels: the figure's own dpi, before any screen ratio
        self.canvas.open_now()

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

    def state(self) -> dict:
        """{control name: value}: what a checked conclusion reads (il2edu.activities.conclusions)."""
        return {name: control.value for name, control in self.controls.items()}

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


@functools.lru_cache(maxsize=None)
def _live_canvas_class():
    from ipympl.backend_nbagg import Canvas

    class LiveCanvas(Canvas):
        """ipympl's canvas whose comm opens when the explorer calls open_now(), not at construction: the
        browser's model then starts from the full state (size, first picture) instead of catching up."""

        _held = True

        def open(self):
            if not self._held:
                super().open()

        def open_now(self):
            self._held = False
            self.open()

    return LiveCanvas


def _check_slider(name, x, low, high):
    from ..models import _checks

    return _checks.number(name, x, low, high)


def _check_choice(name, x, allowed):
    from ..models import _checks

    return _checks.choice(name, x, allowed)


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
