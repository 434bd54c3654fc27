"""Explorers move with no kernel: a lesson exported to HTML with widget state, a slider pressed in chromium.

This is what the course website and JupyterLab's "Save Widget State Automatically" rely on: every picture a
slider can show was rendered into the saved state, and the slider picks it in the browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import axe_checks
import saved_state

REPO = Path(__file__).resolve().parents[2]
LESSON = REPO / "notebooks" / "02_receptor.ipynb"  # one explorer (binding)
ARTIFACTS = REPO / "artifacts" / "e2e"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    try:
        scripts = saved_state.widget_scripts()
    except (OSError, Exception) as err:  # npm missing or the registry unreachable: say so, do not pass
        pytest.fail(f"could not fetch the widget scripts with npm: {err}", pytrace=False)
    home = tmp_path_factory.mktemp("home")
    page = saved_state.export(LESSON, tmp_path_factory.mktemp("site") / "02_receptor.html",
                              {"IL2EDU_PRECOMPUTE": "now", "IL2EDU_HOME": str(home)})
    return page, scripts


def test_a_slider_changes_the_picture_with_no_kernel(browser, exported):
    html_file, scripts = exported
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    refused = saved_state.route_offline(page, scripts)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(html_file.as_uri())
        explorer = page.locator(".il2edu-explorer").first
        img = explorer.locator("img.il2edu-plot-img")
        try:
            img.wait_for(timeout=60_000)
        except Exception:
            pytest.fail(f"no explorer picture rendered from the saved state; page errors: {errors[:3]}; "
                        f"refused requests: {refused[:3]}", pytrace=False)
        before_src = img.get_attribute("src")
        before_text = explorer.locator(".il2edu-readout").inner_text()
        assert before_text.startswith("At ")
        handle = explorer.locator(".widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        page.wait_for_function(
            "([el, src]) => { const im = el.querySelector('img.il2edu-plot-img'); return im && im.src !== src; }",
            arg=[explorer.element_handle(), before_src], timeout=10_000)
        after_text = explorer.locator(".il2edu-readout").inner_text()
        # the handles are named after their slider and say the value shown beside them (slider_names.js)
        problems = axe_checks.handle_problems(explorer)
        assert not problems, problems
        # axe-core inside the explorer: every ARIA rule. Colours are the export page's widget theme
        # (html-manager's defaults, not JupyterLab's): reported, not counted here.
        found = axe_checks.violations(page, context=".il2edu-explorer")
        for line in axe_checks.describe([v for v in found if v["id"] == "color-contrast"]):
            print(f"note: HTML export's widget theme: {line}")
        assert not axe_checks.describe([v for v in found if v["id"] != "color-contrast"])
        assert after_text != before_text and after_text.startswith("At ")
        # the picture's text alternative follows it
        alt = explorer.locator("img.il2edu-plot-img").get_attribute("alt")
        assert re.search(r"\d", alt) and alt != "" and after_text.split(":")[0] in alt
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        explorer.screenshot(path=str(ARTIFACTS / "saved-state-explorer.png"))
    finally:
        context.close()
