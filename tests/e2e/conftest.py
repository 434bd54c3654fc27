"""Browser tests: one JupyterLab server and one headless chromium for the whole session.

Without chromium (or Playwright) the tests are skipped with a clear line in the summary; with CI=true a
missing browser fails them instead, so CI cannot pass without having looked at the notebooks.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

import browser_checks
import labserver

REPO = labserver.REPO
HERE = Path(__file__).resolve().parent
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "e2e"
BENCH_FILE = ARTIFACTS / "bench-browser.json"
BUSY_SECONDS = 300  # a CPU-bound process per core runs at most this long while a busy condition is measured

_state = {"skipped": None, "latencies": {}, "bench_written": False}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if browser_checks.chromium_path() is None:
        where = os.environ.get("IL2EDU_CHROMIUM") or "/usr/bin/chromium"
        return f"chromium was not found at {where} (on Debian: apt-get install -y chromium)"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser()
    if reason:
        if _in_ci():
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
        _state["skipped"] = reason
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=browser_checks.chromium_path(), headless=True, args=browser_checks.LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """JupyterLab on a copy of notebooks/ and tests/e2e/fixtures/, so Run All never writes into the checkout."""
    server = labserver.start(
        tmp_path_factory.mktemp("jupyterlab"),
        {"notebooks": REPO / "notebooks", "fixtures": HERE / "fixtures"},
    )
    yield server
    try:
        server.shutdown_kernels()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def bench(browser):
    """Key-press-to-new-plot samples per explorer; written to artifacts/bench-browser.json at the end."""
    latencies = _state["latencies"]
    yield latencies
    if latencies:
        ARTIFACTS.mkdir(exist_ok=True)
        BENCH_FILE.write_text(json.dumps(browser_checks.bench_document(latencies, browser.version), indent=2) + "\n")
        _state["bench_written"] = True


class LabPage:
    """One browser page with JupyterLab loaded, shared by the tests; made afresh after a test breaks it."""

    def __init__(self, browser, lab):
        self.browser, self.lab = browser, lab
        self.context = self._page = None

    @property
    def page(self):
        if self._page is None:
            self.context = self.browser.new_context(viewport=browser_checks.VIEWPORT)
            self._page = self.context.new_page()
            browser_checks.load_lab(self._page, self.lab)
        return self._page

    def discard(self):
        if self.context is not None:
            self.context.close()
        self.context = self._page = None


@pytest.fixture(scope="session")
def lab_page(browser, lab):
    holder = LabPage(browser, lab)
    yield holder
    holder.discard()


class CpuBurner:
    """One CPU-bound process per core, started by the test and bounded in time: the 'busy' condition."""

    def __init__(self, seconds: float = BUSY_SECONDS):
        import subprocess

        code = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end: pass\n"
        self.procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(os.cpu_count() or 1)]

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait(timeout=10)


def measure_both(page, i, where):
    rows, problems = browser_checks.measure_explorer(page, i, where, "idle")
    burner = CpuBurner()
    try:
        busy_rows, busy_problems = browser_checks.measure_explorer(page, i, where, "busy")
    finally:
        burner.stop()
    return {**rows, **busy_rows}, problems + busy_problems


@pytest.fixture
def check(lab, lab_page, bench):
    """check(relpath) -> Report: runs one notebook in the shared JupyterLab page, then ends its kernel."""
    opened = []

    def run(relpath: str, presses: int = 10, measure: bool = False):
        """measure=True: every control of every explorer, 20 presses each, idle and then busy, and a drag."""
        opened.append(relpath)
        page = lab_page.page
        rel = Path(relpath).with_suffix(".png")  # notebooks/x.ipynb -> e2e/x.png, fixtures/y -> e2e/fixtures/y.png
        shot = SCREENSHOTS / (rel.name if rel.parts[0] == "notebooks" else rel)
        try:
            report = browser_checks.check_notebook(page, lab, relpath, screenshot_path=shot, presses=presses,
                                                   measure=measure_both if measure else None)
        except Exception:
            try:
                page.screenshot(path=str(shot.with_name(shot.stem + "-failed.png")))  # what the page showed
            finally:
                lab_page.discard()  # the next test gets a fresh page
            raise
        shot.with_name(shot.stem + "-failed.png").unlink(missing_ok=True)  # an earlier run's, now out of date
        if not relpath.startswith("fixtures/"):
            bench.update(report.latencies)
        print(
            f"{relpath}: {report.explorers} explorer(s); {report.questions} quiz question(s) answered (a wrong answer,"
            f" then the right one); seconds: {report.seconds}"
        )
        for name, row in report.latencies.items():
            stats = browser_checks.summarize(row["samples"])
            print(f"{name}: {row['kind']}, median {stats['median_ms']} ms, p95 {stats['p95_ms']} ms, n={stats['n']}")
        for note in report.notes:
            print(f"note: {relpath}: {note}")
        return report

    yield run
    if lab_page.context is not None:
        try:
            browser_checks.close_documents(lab_page.page)
        except Exception as err:  # a page that cannot close its tabs is replaced
            print(f"closing the notebook failed ({err}); starting a fresh page", file=sys.stderr)
            lab_page.discard()
    for relpath in opened:
        try:
            lab.shutdown_kernels(relpath)
        except OSError as err:
            print(f"could not end the kernel of {relpath}: {err}", file=sys.stderr)


def pytest_terminal_summary(terminalreporter):
    if _state["skipped"]:
        terminalreporter.write_sep("=", "BROWSER TESTS SKIPPED", yellow=True, bold=True)
        terminalreporter.write_line(f"tests/e2e did not run: {_state['skipped']}.")
        terminalreporter.write_line("They check every notebook in JupyterLab in a real browser; CI=true makes this a failure.")
        return
    latencies = _state["latencies"]
    if not latencies:
        return
    terminalreporter.write_sep("-", "browser latency: input to visibly new plot (targets in tests/e2e/browser_checks.py)")
    for row in browser_checks.bench_document(latencies, "?")["results"]:
        flag = {True: "", False: "  (over target)", None: ""}[row.get("met")]
        extra = (f"  {row['fps']} pictures/s ({row.get('stops_per_s')} stops crossed/s, page {row.get('page_fps')} "
                 f"frames/s, at rest {row.get('rest_fps')}, {row.get('followed')} followed), "
                 f"release {row['release_ms']} ms") if "fps" in row else ""
        terminalreporter.write_line(f"{row['name']:<72} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms"
                                    f"  n={row['n']}{extra}{flag}")
    if _state["bench_written"]:
        terminalreporter.write_line(f"written to {BENCH_FILE.relative_to(REPO)}; screenshots in {SCREENSHOTS.relative_to(REPO)}/")
