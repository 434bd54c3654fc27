"""What every explorer shares: the plot mode, the widget frame, argument checks, one-line problems."""

from __future__ import annotations

import base64
import html
import io
import os

import ipywidgets as widgets
import numpy as np

from .. import content, figures

MODE_ENV = "IL2EDU_PLOT"
PRECOMPUTE_ENV = "IL2EDU_PRECOMPUTE"  # "now": render every stop before the cell ends (exports, the website)
PNG_COLOURS = 64  # the pictures are flat line plots: 64 colours look the same and are a third of the bytes
MAX_CACHED = 600  # pictures kept per explorer (state -> html), ~15 kB each
# While a slider is being dragged in the browser, the kernel renders no other stops: every picture it sent
# would be outdated by the next move and would load the browser (and, on 2 cores, take the CPU) the drag
# needs. It starts once the slider has rested this long.
DRAG_REST_S = 0.4


def plot_mode() -> str:
    """'live' (every slider stop precomputed; the browser switches pictures) or 'static' (one picture
    re-rendered by the kernel on every change), from IL2EDU_PLOT or the environment."""
    wanted = os.environ.get(MODE_ENV, "auto").strip().lower()
    if wanted in ("static", "live"):
        return wanted
    try:
        from IPython import get_ipython
    except ImportError:
        return "static"
    shell = get_ipython()
    return "live" if shell is not None and getattr(shell, "kernel", None) else "static"


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


class _Text:
    """The readout line (HTML) as the explorer last computed it; shown inside each picture, not as a widget."""

    value = ""


def _from_browser(widget) -> bool:
    # ipywidgets locks the properties a frontend message sets while it applies them.
    return bool(getattr(widget, "_property_lock", None))


def _running_loop():
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class StopSlider:
    """A slider over fixed stops [(label, value), ...], answered in the browser.

    The browser holds a picture for every stop of every slider, one Stack for the explorer: slider k's
    IntSlider runs over its own range of that Stack's indices (offset .. offset + n - 1) and is jslinked to
    the Stack's selected_index, so a move picks the precomputed picture with no kernel round trip. Its value
    label is a Stack too, linked the same way. Python code sees .value (the stop's value), .label, .index and
    .options, like a SelectionSlider; any value is taken to the nearest stop."""

    def __init__(self, description, stops, value, log=False, fmt="{:.3g}", style=None, width="300px"):
        self.log = log
        self.fmt = fmt.format if isinstance(fmt, str) else fmt
        self.offset = 0
        self._stops = [(str(lbl), v) for lbl, v in stops]
        self._handlers = []
        self._quiet = False
        self._override = None  # a stop being rendered: .value reads it, the widget (and the browser) never moves
        self.slider = widgets.IntSlider(min=0, max=len(self._stops) - 1, value=self._nearest(value), readout=False,
                                        description=description, continuous_update=True,
                                        style=style or {"description_width": "initial"},
                                        layout=widgets.Layout(width=width))
        self.slider.add_class("il2edu-stop-slider")  # answered in the browser (the browser tests look for it)
        self.slider.observe(self._changed, names="value")
        self.value_label = widgets.Stack(layout=widgets.Layout(min_width="4.5em", margin="0 1.2em 0 0.4em"))
        self.value_label.add_class("il2edu-stop-label")
        self.widget = widgets.HBox([self.slider, self.value_label], layout=widgets.Layout(align_items="center"))

    # --- what Python code reads and sets ---
    @property
    def options(self):
        return list(self._stops)

    @property
    def index(self) -> int:
        return self.slider.value - self.offset

    @property
    def value(self):
        return self._stops[self.index if self._override is None else self._override][1]

    @value.setter
    def value(self, v):
        self.slider.value = self.offset + self._nearest(v)

    @property
    def label(self) -> str:
        return self._stops[self.index][0]

    @property
    def min(self):
        return self._stops[0][1]

    @property
    def max(self):
        return self._stops[-1][1]

    @property
    def description(self) -> str:
        return self.slider.description

    def observe(self, handler, names="value"):
        self._handlers.append(handler)

    def with_stop(self, v) -> list:
        """The stops plus v (if it is not one already), in order."""
        if isinstance(self._stops[0][1], int) and float(v).is_integer():
            v = int(v)  # integer stops stay integers
        values = {float(x): (lbl, x) for lbl, x in self._stops}
        values.setdefault(float(v), (self.fmt(v), v))
        return [pair for _, pair in sorted(values.items())]

    def _nearest(self, v) -> int:
        values = np.array([float(x) for _, x in self._stops])
        v = float(v)
        if self.log:
            return int(np.argmin(np.abs(np.log(values) - np.log(max(v, 1e-300)))))
        return int(np.argmin(np.abs(values - v)))

    def _changed(self, change):
        if self._quiet or not (self.offset <= change["new"] < self.offset + len(self._stops)):
            return
        event = {"owner": self, "name": "value", "old": None, "new": self.value, "from_browser": _from_browser(self.slider)}
        for handler in self._handlers:
            handler(event)

    def quietly_at(self, index):
        """Read as if at stop `index` (None: where the widget is), without moving the widget or telling
        anyone: used while rendering the other stops."""
        self._override = index

    def place(self, offset, stops=None, blank=None):
        """Put this slider's stops at Stack indices offset.. (and change the stops, keeping the value)."""
        value = self.value if self.slider.max >= self.slider.value >= self.slider.min else None
        if stops is not None:
            self._stops = [(str(lbl), v) for lbl, v in stops]
        index = self._nearest(value) if value is not None else 0
        self.offset = offset
        self._quiet = True
        try:
            with self.slider.hold_trait_notifications():
                self.slider.max = offset + len(self._stops) - 1
                self.slider.min = offset
                self.slider.value = offset + index
        finally:
            self._quiet = False
        labels = [widgets.HTML(html.escape(lbl)) for lbl, _ in self._stops]
        self.value_label.children = [blank] * offset + labels
        self.value_label.selected_index = self.slider.value


class Explorer:
    """Base: one figure, a dict of controls, a readout line, an 'About this model' panel."""

    title = ""
    about = ""
    references: tuple = ()
    # Menus that only set other controls (a preset, a scenario): not part of what a picture shows.
    MENUS: tuple = ()

    def __init__(self, mode=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.mode = mode or plot_mode()
        if self.mode not in ("live", "static"):
            raise ValueError(f"mode must be 'live' or 'static'; got {self.mode!r}")
        self.fig, self.ax = figures.new_figure()
        self.canvas = FigureCanvasAgg(self.fig)
        self.lines: dict = {}
        self.controls: dict = {}
        self.updates = 0
        self.full_redraws = 0
        self.renders = 0  # pictures encoded (the current one and every precomputed stop)
        self.dynamic: list = []  # artists that change on updates: redrawn over a cached background
        self._backgrounds: dict = {}  # background key -> saved pixels, a few most recent
        self._readout = _Text()
        self._html_cache: dict = {}  # picture state -> the html of its picture and readout
        self._pics: list = []  # live mode: one HTML widget per stop of every slider (the Stack's children)
        self._pic_state: list = []  # the state each of those pictures shows (None: not rendered yet)
        self._job = None  # the scheduled background step (live mode)
        self._pending = None  # a coalesced browser change waiting for its update
        self._slid_at = -1e9  # when a slider last moved in the browser (time.monotonic)
        self._last_png = None
        self.links: list = []  # jsdlinks: slider -> picture Stack and value label, run in the browser
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

    def _row(self, *names):
        """An HBox of controls by name (a StopSlider contributes its slider and value label)."""
        return widgets.HBox([getattr(self.controls[n], "widget", self.controls[n]) for n in names])

    @property
    def stop_sliders(self) -> dict:
        return {n: c for n, c in self.controls.items() if isinstance(c, StopSlider)}

    def _finish(self, control_rows):
        self._lean_log_axes()
        about = widgets.HTML(self._about_html())
        acc = widgets.Accordion(children=[about], titles=("About this model (a teaching simplification)",))
        acc.selected_index = None
        acc.add_class("il2edu-about")
        head = widgets.HTML(f"<b>{html.escape(self.title)}</b>")
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self._blank = widgets.HTML("")
        if self.mode == "live" and self.stop_sliders:
            self._place_stops()
            self.plot_widget = widgets.Stack(self._pics, selected_index=next(iter(self.stop_sliders.values())).slider.value)
            for slider in self.stop_sliders.values():
                self.links.append(widgets.jsdlink((slider.slider, "value"), (self.plot_widget, "selected_index")))
        else:
            for slider in self.stop_sliders.values():
                slider.place(slider.offset, blank=self._blank)
            self.plot_widget = widgets.HTML()
        for slider in self.stop_sliders.values():
            self.links.append(widgets.jsdlink((slider.slider, "value"), (slider.value_label, "selected_index")))
        self.plot_widget.add_class("il2edu-plot")
        self.update()
        if self.mode == "live" and os.environ.get(PRECOMPUTE_ENV, "").strip().lower() == "now":
            self.precompute()
        # "Preparing pictures..." while the kernel renders stops; its line is always reserved, so text coming
        # and going never moves what is below it (a click there would land on the wrong thing)
        self._status = widgets.HTML(layout=widgets.Layout(min_height="1.5em"))
        self._status.add_class("il2edu-stops-status")
        self._status_shown = 0.0
        self.widget = widgets.VBox([head, self.plot_widget, *control_rows, self._status, acc])
        self.widget.add_class("il2edu-explorer")

    def _place_stops(self, stops=None):
        """Lay every slider's stops out along the picture Stack (again, when a slider's stops change)."""
        offset = 0
        for name, slider in self.stop_sliders.items():
            slider.place(offset, stops.get(name) if stops else None, blank=self._blank)
            offset += len(slider.options)
        while len(self._pics) < offset:
            self._pics.append(widgets.HTML())
        del self._pics[offset:]
        self._pic_state = [None] * offset
        if isinstance(getattr(self, "plot_widget", None), widgets.Stack):
            self.plot_widget.children = self._pics
            self.plot_widget.selected_index = next(iter(self.stop_sliders.values())).slider.value

    def _about_html(self) -> str:
        return (
            f"<div style='font-size: 0.92em; line-height: 1.35'>{self.about}"
            f"<p><b>Sources:</b> {_cite(self.references)}. Every number is in seeds/parameters.yaml with its "
            "source; values marked there as assumptions are teaching choices.</p>"
            "<p><i>This is a teaching simplification, not a clinical tool and not medical advice.</i></p></div>"
        )

    def _on_change(self, change):
        if not self._muted:
            self._changed(change)

    def _changed(self, change):
        """A control moved: update now, or, for a browser's message in a kernel, once the messages already
        queued are applied (the latest value wins; a fast drag never builds a backlog)."""
        owner = change.get("owner")
        from_browser = change.get("from_browser", _from_browser(owner) if isinstance(owner, widgets.Widget) else False)
        loop = _running_loop() if from_browser else None
        if loop is None:
            self.update()
            return
        if isinstance(owner, StopSlider):
            import time

            self._slid_at = time.monotonic()
        if self._pending is None:
            self._pending = loop.call_later(0.0, self._flush_pending)

    def _flush_pending(self):
        self._pending = None
        self.update()

    def add_stop(self, name, value):
        """Make `value` a stop of slider `name` (e.g. a dose given in code), so it is shown exactly."""
        slider = self.stop_sliders[name]
        if float(value) in [float(v) for _, v in slider.options]:
            return
        stops = slider.with_stop(value)
        if self._pics:
            self._place_stops({name: stops})
        else:
            slider.place(slider.offset, stops, blank=self._blank)

    def state(self) -> dict:
        """{control name: value}: what a checked conclusion reads (il2edu.activities.conclusions)."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Change several controls at once with a single update; a slider takes any value in its range exactly."""
        for k, v in values.items():
            if k in self.stop_sliders and not isinstance(v, (str, bool)):
                self.add_stop(k, v)
        self._muted = True
        try:
            for k, v in values.items():
                if k not in self.controls:
                    raise ValueError(f"{k} is not a control of this explorer; controls: {', '.join(self.controls)}")
                self.controls[k].value = v
        finally:
            self._muted = False
        self.update()

    def _picture_state(self) -> tuple:
        """What a picture depends on: every control but the menus and idle sliders, plus what a subclass adds."""
        idle = self._idle_sliders()
        return tuple((n, _hashable(c.value)) for n, c in self.controls.items()
                     if n not in self.MENUS and n not in idle) + (("", self._extra_state()),)

    def _idle_sliders(self) -> set:
        """Sliders that change nothing in the current state (weight, for a dose not given per kg). They are
        shown disabled and never rendered, so a learner is not left moving a slider that does nothing."""
        return set()

    def _extra_state(self) -> tuple:
        return ()

    # --- updating ---
    def update(self):
        try:
            self.compute_and_set()
        except ValueError as err:  # e.g. a per-kg dose that gives an absurd total: say so, keep the plot
            self._readout.value = f"<span style='color:#B34700'>Cannot show this: {html.escape(str(err))}</span>"
            self._show(self._picture_html(self._last_png))
            return
        self.updates += 1
        idle = self._idle_sliders()
        for name, slider in self.stop_sliders.items():
            if slider.slider.disabled != (name in idle):
                slider.slider.disabled = name in idle
        key = self._picture_state()
        text = self._html_cache.get(key)
        if text is None:
            text = self._render_current(key)
        self._show(text, key)

    def _render_current(self, key):
        self.redraw()
        self._last_png = self._encode()
        text = self._picture_html(self._last_png)
        self._remember(key, text)
        return text

    def _remember(self, key, text):
        self._html_cache.pop(key, None)
        self._html_cache[key] = text
        while len(self._html_cache) > MAX_CACHED:
            self._html_cache.pop(next(iter(self._html_cache)))

    def _show(self, text, key=None):
        if not self._pics:
            self.plot_widget.value = text
            return
        # Every slider's current stop shows the current state; the other stops are rendered in the background.
        for slider in self.stop_sliders.values():
            g = slider.slider.value
            if self._pics[g].value != text:
                self._pics[g].value = text
            self._pic_state[g] = key
        self._schedule()

    def compute_and_set(self):  # pragma: no cover - subclasses
        raise NotImplementedError

    # --- precomputed stops (live mode) ---
    def _state_with(self, name, i, base=None) -> tuple:
        value = _hashable(self.stop_sliders[name].options[i][1])
        return tuple((n, value if n == name else v) for n, v in (base or self._picture_state()))

    def _render_stop(self, name, i):
        """Render stop i of one slider, the other controls as they are now; leaves the controls as they were."""
        slider = self.stop_sliders[name]
        g, key = slider.offset + i, self._state_with(name, i)
        text = self._html_cache.get(key)
        if text is None:
            slider.quietly_at(i)
            try:
                self.compute_and_set()
                self.redraw()
                text = self._picture_html(self._encode())
            except ValueError as err:
                text = self._picture_html(None, f"Cannot show this: {html.escape(str(err))}")
            finally:
                slider.quietly_at(None)
            self._remember(key, text)
        if self._pics[g].value != text:
            self._pics[g].value = text
        self._pic_state[g] = key
        return True

    def _next_stale(self):
        """The nearest stop (to each slider's current one) whose picture does not show the current state with it."""
        base = self._picture_state()
        idle = self._idle_sliders()
        sliders = [(name, s, s.index, len(s.options)) for name, s in self.stop_sliders.items() if name not in idle]
        if not sliders:
            return None
        for d in range(max(n for *_, n in sliders)):
            for name, s, here, n in sliders:
                for i in (here - d, here + d):
                    if 0 <= i < n and self._pic_state[s.offset + i] != self._state_with(name, i, base):
                        return name, i
        return None

    def precompute(self):
        """Render every stop now (for an export with saved widget state: nothing waits for a kernel later)."""
        if not self._pics:
            return
        while (stop := self._next_stale()) is not None:
            self._render_stop(*stop)
        self._restore()

    def _restore(self):
        try:
            self.compute_and_set()  # the artists and the readout show the current state again
        except ValueError:
            pass

    def _schedule(self):
        loop = _running_loop()
        if loop is None:
            return  # plain Python: nothing to render in the background (precompute() does it all)
        import time

        if self._job is not None:
            self._job.cancel()
        resting = time.monotonic() - self._slid_at
        self._job = loop.call_later(0.02 if resting >= DRAG_REST_S else DRAG_REST_S - resting, self._step)

    def _step(self, budget_s=0.012):
        """One slice of background rendering, then back to the event loop (a browser message may be waiting)."""
        import time

        self._job = None
        if self._pending is not None:
            return  # a newer change is about to update; it schedules the rest
        t0 = time.perf_counter()
        rendered = False
        while time.perf_counter() - t0 < budget_s:
            stop = self._next_stale()
            if stop is None:
                break
            rendered = self._render_stop(*stop)
        if rendered:
            self._restore()
        self._show_status(stop is not None)
        if stop is not None:
            self._job = _running_loop().call_soon(self._step)

    def _show_status(self, busy: bool):
        """Say (at most every 0.3 s) that pictures for far slider stops are still being prepared."""
        import time

        now = time.monotonic()
        if busy and now - self._status_shown < 0.3:
            return
        self._status_shown = now
        if not busy:
            text = ""
        else:
            base = self._picture_state()
            left = sum(1 for name, s in self.stop_sliders.items() for i in range(len(s.options))
                       if self._pic_state[s.offset + i] != self._state_with(name, i, base))
            text = (f"<span style='color:#666;font-size:0.85em'>Preparing pictures for the sliders' other "
                    f"positions ({left} of {len(self._pic_state)} to go)...</span>")
        if self._status.value != text:
            self._status.value = text

    # --- drawing ---
    def _background_key(self):
        """What the cached background depends on: axes limits, labels, legend, which lines are shown."""
        ax = self.ax
        legend = ax.get_legend()
        return (self.fig.dpi, tuple(self.fig.bbox.bounds), ax.get_xlim(), ax.get_ylim(), ax.get_yscale(),
                ax.get_ylabel(), id(legend),
                tuple(a.get_visible() for a in ax.get_children() if hasattr(a, "get_visible")))

    def _on_draw(self, event):
        # After every full draw: keep the background without the changing artists, then draw them on top.
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
        """Draw the current artists into the canvas: blit over the cached background when only they changed."""
        bg = self._backgrounds.get(self._background_key())
        if bg is not None:
            self.canvas.restore_region(bg)
            self._draw_dynamic()
        else:
            self.canvas.draw()  # _on_draw caches the background and draws the changing artists

    def _encode(self) -> bytes:
        self.renders += 1
        return figures.rgba_to_png(self.canvas.buffer_rgba(), colours=PNG_COLOURS)

    def alt_text(self) -> str:
        """A text alternative of the plot as drawn now, generated from the Axes (what each curve does, the
        marked values), then the readout."""
        title = self.title if self.title.endswith(("?", ".", "!")) else self.title + "."
        return f"{title} {figures.describe_axes(self.ax)} {self.readout}"

    def _picture_html(self, png, message=None) -> str:
        """One stop as the browser shows it: the picture with its text alternative, and the readout."""
        readout = message or self._readout.value
        parts = []
        if png is not None:
            src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            width, height = int(self.fig.get_figwidth() * self.fig.dpi), int(self.fig.get_figheight() * self.fig.dpi)
            parts.append(f'<img class="il2edu-plot-img" src="{src}" width="{width}" height="{height}" '
                         f'alt="{html.escape(self.alt_text())}">')
        parts.append(f'<div class="il2edu-readout" role="status" aria-live="polite">{readout}</div>')
        if png is not None:
            parts.append(figures.data_table_html(self.ax))
        return "".join(parts)

    def png(self) -> bytes:
        """The plot as PNG bytes (a full render of the current state)."""
        self.canvas.draw()
        return figures.rgba_to_png(self.canvas.buffer_rgba())

    def picture_bytes(self) -> int:
        """Bytes of every picture the browser holds (live mode: all stops)."""
        texts = [p.value for p in self._pics] if self._pics else [self.plot_widget.value]
        return sum(len(t) for t in texts)

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
        from IPython.display import Javascript, display

        display(self.widget)
        # ipywidgets' slider handles have no accessible name; this front-end step gives them one
        # (docs/DECISIONS.md). It runs wherever the notebook's outputs run: JupyterLab, an HTML export.
        display(Javascript(slider_names_js()))

    def __repr__(self):
        return f"<il2edu explorer: {self.title}>"


def slider_names_js() -> str:
    """The script that names every explorer slider handle and makes it speak its value (slider_names.js)."""
    from importlib.resources import files

    return files(__package__).joinpath("slider_names.js").read_text(encoding="utf-8")


def _hashable(v):
    if isinstance(v, (list, tuple)):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v


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
        return f"<div class='il2edu-problem' style='color:#B34700'>{html.escape(self.text)}</div>"

    def __repr__(self):
        return self.text


def _build(cls, name, kwargs):
    try:
        return cls(**kwargs)
    except TypeError as err:  # an unknown keyword
        return Problem(f"il2edu.explorers.{name}", str(err).replace("__init__()", "").strip())
    except (ValueError, content.ContentError) as err:
        return Problem(f"il2edu.explorers.{name}", str(err))
