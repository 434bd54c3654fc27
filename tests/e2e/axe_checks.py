"""axe-core in the browser tests: on the website's pages and on each notebook in JupyterLab after Run All.

axe-core ships inside the axe-playwright-python package (nothing is fetched at run time). Serious and
critical violations count; in JupyterLab each one is sorted by where its element sits: in what the course
renders (Markdown cells and outputs), inside an explorer (a part of the outputs with its own owner), or in
JupyterLab's own chrome (menus, toolbars: reported, not counted).
"""

from __future__ import annotations

BLOCKING = ("serious", "critical")

WHERE_JS = """(target) => {
    const el = document.querySelector(target);
    if (!el) return 'chrome';
    if (el.closest('.il2edu-explorer')) return 'explorer';
    if (el.closest('.jp-Notebook .jp-OutputArea-output, .jp-Notebook .jp-MarkdownOutput')) return 'course';
    return 'chrome';
}"""


def violations(page, context=None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, context=context).response["violations"]


def _line(v: dict, nodes: list[dict]) -> str:
    where = "; ".join(" ".join(map(str, n["target"])) for n in nodes[:3])
    return f"{v['impact']}: {v['id']} ({v['help']}) x{len(nodes)} at {where}"


def describe(found: list[dict], levels=BLOCKING) -> list[str]:
    return [_line(v, v["nodes"]) for v in found if v.get("impact") in levels]


def lab_report(page) -> dict[str, list[str]]:
    """{'course': [...], 'explorer': [...], 'chrome': [...]}: the page's serious and critical violations."""
    report = {"course": [], "explorer": [], "chrome": []}
    for v in violations(page):
        if v.get("impact") not in BLOCKING:
            continue
        groups: dict[str, list] = {}
        for node in v["nodes"]:
            target = node["target"][0] if node["target"] else ""
            where = page.evaluate(WHERE_JS, target) if isinstance(target, str) else "chrome"
            groups.setdefault(where, []).append(node)
        for where, nodes in groups.items():
            report[where].append(_line(v, nodes))
    return report


HANDLES_JS = """(root) => Array.from(root.querySelectorAll('.widget-slider .noUi-handle')).map(h => {
    const slider = h.closest('.widget-slider');
    const stop = slider.parentElement.querySelector(':scope > .il2edu-stop-label');
    return {name: h.getAttribute('aria-label') || '', valuetext: h.getAttribute('aria-valuetext') || '',
            label: slider.querySelector('.widget-label').textContent.trim(),
            shown: stop ? stop.textContent.trim() : null};
})"""


def slider_handles(locator) -> list[dict]:
    """Each slider handle under `locator`: its accessible name and spoken value, beside what the learner
    sees (the slider's description and, for a stop slider, the value shown next to it)."""
    return locator.evaluate(HANDLES_JS)


def handle_problems(locator, wait_s=5.0) -> list[str]:
    """Handles whose name is not the slider's description or whose spoken value is not the value shown
    (asked again for up to wait_s: the names follow the page a moment after it changes)."""
    import time

    end = time.monotonic() + wait_s
    while (out := _handle_problems(locator)) and time.monotonic() < end:
        time.sleep(0.1)
    return out


def _handle_problems(locator) -> list[str]:
    out = []
    handles = slider_handles(locator)
    if not handles:
        return ["no slider handle found"]
    for h in handles:
        if not h["name"] or not h["name"].startswith(h["label"]):
            out.append(f"handle of {h['label']!r} is named {h['name']!r}")
        if h["shown"] is not None and h["valuetext"] != h["shown"]:
            out.append(f"handle of {h['label']!r} says {h['valuetext']!r}, the slider shows {h['shown']!r}")
    return out
