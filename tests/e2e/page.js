// Helpers the browser checks install in a JupyterLab page (window.__il2e2e). Plain DOM, no dependencies.
(() => {
  if (window.__il2e2e) return;

  function hashString(s) {
    let h = 2166136261 >>> 0;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    return h.toString(16);
  }

  // The notebook under test: the open document with this path (the shell's currentWidget follows focus,
  // which a headless page does not always have).
  let target = null;

  function setTarget(path) {
    target = path;
  }

  function panel() {
    const shell = window.jupyterapp?.shell;
    if (!shell) return null;
    return [...shell.widgets('main')].find((w) => w.context?.path === target) ?? null;
  }

  function notebook() {
    return panel()?.content ?? null;
  }

  // The plots an explorer holds: ipympl figures, images (inline PNG/JPEG), and SVG renderings.
  function plots(explorer) {
    const figures = [...explorer.querySelectorAll('.jupyter-matplotlib-figure')];
    const images = [...explorer.querySelectorAll('img')].filter((im) => !im.closest('.jupyter-matplotlib'));
    const svgs = [...explorer.querySelectorAll('.jp-RenderedSVG svg')];
    return { figures, images, svgs, count: figures.length + images.length + svgs.length };
  }

  // What the learner sees of an explorer's plot, as a short string: null while nothing is drawn yet,
  // 'blank' for an empty canvas or image, otherwise a hash of the pixels or the image data.
  function signature(explorer) {
    const { figures, images, svgs } = plots(explorer);
    if (figures.length) {
      const canvas = figures[0].querySelector('.jupyter-matplotlib-canvas-div canvas');
      if (!canvas || !canvas.width || !canvas.height) return null;
      const pixels = new Uint32Array(
        canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.buffer
      );
      let h = 2166136261 >>> 0;
      let uniform = true;
      for (let i = 0; i < pixels.length; i++) {
        if (pixels[i] !== pixels[0]) uniform = false;
        h = Math.imul(h ^ pixels[i], 16777619) >>> 0;
      }
      return uniform ? 'blank' : 'canvas:' + h.toString(16);
    }
    if (images.length) {
      const im = images[0];
      if (!im.complete) return null;
      if (!im.naturalWidth) return 'blank';
      const readout = explorer.querySelector('.il2edu-readout')?.textContent ?? '';
      return 'img:' + im.src.length + ':' + hashString(im.src) + ':' + hashString(readout);
    }
    if (svgs.length) return 'svg:' + hashString(svgs[0].outerHTML);
    return null;
  }

  // One entry per code cell: index in the notebook, execution count, outputs from the model,
  // and the text a learner sees in its output area (widgets included).
  function cells() {
    const nb = notebook();
    const result = [];
    if (!nb) return result;
    nb.widgets.forEach((cell, index) => {
      if (cell.model.type !== 'code') return;
      const outputs = [];
      const model = cell.model.outputs;
      for (let j = 0; j < model.length; j++) outputs.push(model.get(j).toJSON());
      const area = cell.node.querySelector('.jp-Cell-outputArea');
      result.push({
        index,
        executionCount: cell.model.executionCount,
        outputs,
        text: area ? area.innerText : '',
        // ipywidgets' error view ("Click to show javascript error.") for a widget that failed to render
        brokenWidgets: area ? area.querySelectorAll('.jupyter-widgets-error-widget').length : 0,
        // visible buttons whose label does not fit (the browser cuts it off with an ellipsis)
        cutOff: area ? [...area.querySelectorAll('button')]
          .filter((b) => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
          .map((b) => b.textContent.trim()) : [],
        // what il2edu.check("<exercise-id>", ...) answered
        checks: area ? [...area.querySelectorAll('.il2edu-check')].map((c) => c.innerText.trim()) : [],
      });
    });
    return result;
  }

  function runState() {
    const nb = notebook();
    const session = panel()?.sessionContext;
    const kernel = session?.session?.kernel;
    const prompts = nb ? [...nb.node.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map((p) => p.textContent.trim()) : [];
    return {
      kernelId: kernel?.id ?? null,
      status: kernel?.status ?? null,
      ready: Boolean(kernel && session.isReady && kernel.status === 'idle' && kernel.connectionStatus === 'connected'),
      busy: prompts.some((p) => p.includes('*')),
      ran: prompts.some((p) => /\d/.test(p)),
    };
  }

  const watch = { state: null };

  function handleOf(i, h) {
    return document.querySelectorAll('.il2edu-explorer')[i].querySelectorAll('.widget-slider .noUi-handle')[h];
  }

  // What shows a slider's position: the handle's ARIA values and the readout (a log slider's ARIA value is
  // its exponent rounded to one decimal, so the readout is needed too).
  function sliderState(i, h) {
    if (h === null || h === undefined) return null; // not a slider: a button, menu or checkbox
    const handle = handleOf(i, h);
    const slider = handle.closest('.widget-slider');
    return [handle.getAttribute('aria-valuenow'), handle.getAttribute('aria-valuetext'),
      slider.querySelector('.widget-readout')?.textContent].join('|');
  }

  // Start watching explorer i for a new plot before pressing a key on its slider handle h. t0 is the
  // key press (its event time), t1 the first animation frame that shows a drawn plot unlike the current one.
  function arm(i, h) {
    if (watch.state) watch.state.stop = true;
    const explorer = document.querySelectorAll('.il2edu-explorer')[i];
    const state = { i, h, base: signature(explorer), slider: sliderState(i, h), t0: null, t1: null, stop: false };
    watch.state = state;
    const start = (e) => { if (state.t0 === null) state.t0 = e.timeStamp; };
    window.addEventListener('keydown', start, { capture: true, once: true });
    window.addEventListener('pointerdown', start, { capture: true, once: true }); // a click on a button
    const tick = () => {
      if (state.stop || state.t1 !== null) return;
      const s = signature(explorer);
      if (s && s !== 'blank' && s !== state.base) {
        state.t1 = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  // Start the armed watch's clock now (a change made by script, e.g. choosing a menu option).
  function startClock() {
    if (watch.state && watch.state.t0 === null) watch.state.t0 = performance.now();
  }

  // Choose between the first two options of explorer i's menu k, as a learner's choice does (a change event);
  // the last option may be "Custom", which changes nothing by itself.
  function chooseNext(i, k) {
    const select = document.querySelectorAll('.il2edu-explorer')[i].querySelectorAll('.widget-dropdown select')[k];
    startClock();
    select.selectedIndex = select.selectedIndex === 0 ? 1 : 0;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // Resolves once the armed watch sees a new plot ({ms, moved: true}), or with {ms: null} after timeoutMs, or
  // after a second if the slider did not move at all ({moved: false}: it sits at its end). One call, no polling.
  function result(timeoutMs) {
    const state = watch.state;
    const started = performance.now();
    return new Promise((resolve) => {
      const check = () => {
        if (state.t1 !== null && state.t0 !== null) {
          resolve({ ms: state.t1 - state.t0, moved: true });
          return;
        }
        const elapsed = performance.now() - started;
        const moved = state.slider === null || sliderState(state.i, state.h) !== state.slider;
        if (elapsed > timeoutMs || (elapsed > 1000 && !moved)) {
          state.stop = true;
          resolve({ ms: null, moved });
          return;
        }
        setTimeout(check, 25);
      };
      check();
    });
  }

  // Any control of explorer i (slider handles, toggle buttons, menus, checkboxes), in page order, labelled.
  function controls(i) {
    const ex = document.querySelectorAll('.il2edu-explorer')[i];
    const out = [];
    // 'slider': answered in the browser (an explorer's StopSlider); 'kernel-slider': any other slider
    // a disabled slider (it changes nothing in this state) is left out; k still counts every handle
    ex.querySelectorAll('.widget-slider .noUi-handle').forEach((el, k) => el.closest('[disabled]') || out.push({
      kind: el.closest('.il2edu-stop-slider') ? 'slider' : 'kernel-slider', k,
      label: (el.closest('.widget-slider').querySelector('.widget-label')?.textContent ?? '').trim() }));
    ex.querySelectorAll('.widget-toggle-buttons').forEach((el, k) => out.push({ kind: 'toggle', k,
      label: [...el.querySelectorAll('button')].map((b) => b.textContent.trim()).join('/') }));
    ex.querySelectorAll('.widget-dropdown select').forEach((el, k) => out.push({ kind: 'menu', k,
      label: (el.closest('.widget-dropdown').querySelector('.widget-label')?.textContent ?? '').trim() || 'menu' }));
    ex.querySelectorAll('.widget-checkbox input').forEach((el, k) => out.push({ kind: 'checkbox', k,
      label: (el.closest('.widget-checkbox').textContent ?? '').trim() }));
    return out;
  }

  // Watch explorer i while a slider is dragged: every frame that shows a new picture, until stopDrag().
  const drag = { state: null };
  function startDrag(i) {
    const explorer = document.querySelectorAll('.il2edu-explorer')[i];
    const handles = () => [...explorer.querySelectorAll('.widget-slider .noUi-handle')].map((h) => h.getAttribute('aria-valuenow'));
    const state = { changes: [], moves: [], frames: 0, last: signature(explorer), where: handles().join(),
                    stop: false, release: null };
    drag.state = state;
    const tick = () => {
      if (state.stop) return;
      const now = performance.now();
      state.frames += 1;
      const where = handles().join();  // the handle crossed to another stop: a picture is due
      if (where !== state.where) {
        state.moves.push(now);
        state.where = where;
      }
      const s = signature(explorer);
      if (s && s !== 'blank' && s !== state.last) {
        state.changes.push(now);
        state.last = s;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }
  // Move the pressed mouse from x0 to x1 and back over `seconds`, as a hand does: each frame the page gets
  // to, one mouse move to where the hand is by then (a busy page gets fewer moves, each further along,
  // as the browser coalesces a real mouse's moves). The press and the release are real input (Playwright).
  function handDrag(x0, x1, y, seconds) {
    return new Promise((resolve) => {
      const t0 = performance.now();
      let sent = 0;
      const step = () => {
        const f = Math.min(1, (performance.now() - t0) / (seconds * 1000));
        const x = x0 + (x1 - x0) * (f < 0.5 ? 2 * f : 2 - 2 * f);
        const target = document.elementFromPoint(x, y) ?? document.body;
        // noUiSlider follows mousemove (it takes pointer events only where navigator.pointerEnabled)
        target.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, cancelable: true, composed: true,
          clientX: x, clientY: y, buttons: 1, view: window }));
        sent += 1;
        if (f < 1) requestAnimationFrame(step);
        else resolve(sent);
      };
      requestAnimationFrame(step);
    });
  }
  // Frames the page draws in `seconds` with nothing happening: what a drag's frame rate compares with.
  function restFps(seconds) {
    return new Promise((resolve) => {
      const t0 = performance.now();
      let n = 0;
      const step = () => {
        n += 1;
        if (performance.now() - t0 < seconds * 1000) requestAnimationFrame(step);
        else resolve(n / seconds);
      };
      requestAnimationFrame(step);
    });
  }
  function markRelease() { drag.state.release = performance.now(); }
  function stopDrag() {
    drag.state.stop = true;
    const { changes, moves, frames, release } = drag.state;
    return { changes, moves, frames, release };
  }

  // Pictures the kernel is still rendering for explorer i's sliders (its status line is empty when none).
  function preparing(i) {
    const ex = document.querySelectorAll('.il2edu-explorer')[i];
    return (ex.querySelector('.il2edu-stops-status')?.textContent ?? '').trim();
  }

  function explorers() {
    return [...document.querySelectorAll('.il2edu-explorer')].map((ex) => {
      const p = plots(ex);
      return {
        plots: p.count,
        signature: signature(ex),
        // the label of each slider handle (a range slider has two)
        handles: [...ex.querySelectorAll('.widget-slider .noUi-handle')].map(
          (h) => (h.closest('.widget-slider').querySelector('.widget-label')?.textContent ?? '').trim()
        ),
      };
    });
  }

  // Height the page needs to show the whole notebook without scrolling.
  function fullHeight() {
    const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
    const cells = document.querySelectorAll('.jp-NotebookPanel .jp-Cell');
    if (!outer || !cells.length) return 0;
    const bottom = cells[cells.length - 1].getBoundingClientRect().bottom + outer.scrollTop;
    return Math.ceil(bottom + (window.innerHeight - outer.getBoundingClientRect().bottom) + 24);
  }

  window.__il2e2e = { setTarget, panel, fullHeight, cells, runState, explorers, signature, arm, result, controls,
    startDrag, handDrag, restFps, markRelease, stopDrag, preparing, startClock,
    chooseNext };
})();
