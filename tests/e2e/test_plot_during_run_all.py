"""An explorer shows its plot as soon as its own cell has run, while Run All is still busy with later cells.

With the ipympl canvas the explorers once used, the plot sat at zero size until every queued cell had finished,
and once stayed blank; the picture now goes out with the widget, and this test keeps it that way. The fixture's last cell keeps the kernel busy until this test
has looked, so the check does not depend on timing: it releases the kernel itself, or the fixture gives up
after a minute.
"""

from __future__ import annotations

import time

import browser_checks

FIXTURE = "fixtures/plot_while_busy.ipynb"


def test_the_plot_shows_while_later_cells_still_run(lab, lab_page):
    page = lab_page.page
    flag = lab.root / "fixtures" / "release-kernel.flag"
    flag.unlink(missing_ok=True)
    try:
        browser_checks.open_notebook(page, lab, FIXTURE)
        browser_checks.start_run_all(page)
        seen, deadline = None, time.monotonic() + 45
        while time.monotonic() < deadline:
            explorers = page.evaluate("() => window.__il2e2e.explorers()")
            busy = page.evaluate("() => window.__il2e2e.runState().busy")
            seen = (busy, [e["signature"] for e in explorers])
            if busy and seen[1] and str(seen[1][0]).startswith("img:"):
                break
            time.sleep(0.2)
        flag.write_text("done\n")
        browser_checks.run_all_finished(page, FIXTURE)
        busy, signatures = seen
        assert busy and signatures and str(signatures[0]).startswith("img:"), (
            f"while the last cell ran, the explorer showed {signatures} (kernel busy: {busy}); "
            "expected a drawn picture"
        )
        # The first picture is the plot itself, not a placeholder: the same pixels once Run All is over.
        after = page.evaluate("() => window.__il2e2e.explorers()")[0]["signature"]
        assert after == signatures[0]
    finally:
        flag.write_text("done\n")
        browser_checks.close_documents(page)
        lab.shutdown_kernels(FIXTURE)
