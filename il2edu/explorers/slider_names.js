// il2edu: names and spoken values for the explorers' slider handles (docs/DECISIONS.md, "slider names").
// ipywidgets 8 makes each slider handle a role=slider element with no accessible name, and its
// aria-valuetext is the handle's position (for our sliders an index into the picture Stack). This labels
// every handle inside an .il2edu-explorer from the slider's visible description and gives it the value
// the learner sees beside it, again whenever the page changes (handles are re-created, values move).
(function () {
  if (window.il2eduSliderNames) { window.il2eduSliderNames(); return; }
  function text(el) { return el ? el.textContent.replace(/\s+/g, ' ').trim() : ''; }
  function set(el, name, value) { if (value && el.getAttribute(name) !== value) el.setAttribute(name, value); }
  function spoken(slider, handles, i) {
    var stops = slider.parentElement && slider.parentElement.querySelector(':scope > .il2edu-stop-label');
    if (stops) return text(stops);  // a StopSlider: its Stack shows the value of the current stop
    var readout = text(slider.querySelector('.widget-readout'));
    if (handles.length < 2) return readout;
    var ends = readout.split(/\s*[-\u2013]\s*/);  // a range slider's readout is "low-high"
    return ends.length === 2 ? ends[i] : readout;
  }
  function label() {
    document.querySelectorAll('.il2edu-explorer .widget-slider').forEach(function (slider) {
      var handles = slider.querySelectorAll('.noUi-handle');
      var name = text(slider.querySelector('.widget-label'));
      handles.forEach(function (h, i) {
        set(h, 'aria-label', handles.length > 1 ? name + (i === 0 ? ', lower end' : ', upper end') : name);
        set(h, 'aria-valuetext', spoken(slider, handles, i));
      });
    });
  }
  var queued = false;
  new MutationObserver(function () {
    if (queued) return;
    queued = true;
    Promise.resolve().then(function () { queued = false; label(); });
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                             attributeFilter: ['aria-valuetext']});
  window.il2eduSliderNames = label;
  label();
})();
