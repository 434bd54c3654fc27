"""The course's website (make site) in chromium: what a reader without a kernel sees.

The site is built once per session with the command `make site` runs; the executed lessons are cached in
docs/site/_build/executed, so a second run takes seconds. Pages are served over HTTP from this process, and
every request to another host is blocked and counted: the site must work offline.
"""

from __future__ import annotations

import re

import pytest

import axe_checks
import site_checks
from il2edu import content, glossary
from il2edu.instructor import common
from il2edu.activities.quiz import answers, bank

NOTEBOOKS = site_checks.REPO / "notebooks"


@pytest.fixture(scope="session")
def site(browser):
    out = site_checks.build()
    server = site_checks.Server(out)
    yield out, server.url
    server.stop()


@pytest.fixture
def page(browser, site):
    _, url = site
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("response", lambda r: page.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def offline(route):
        if route.request.url.startswith(url):
            return route.continue_()
        page.problems.append(f"request to another host: {route.request.url}")
        return route.abort()

    page.route("**/*", offline)
    yield page
    context.close()


def _relative(site, path):
    out, url = site
    return f"{url}/{path.relative_to(out).as_posix()}"


def test_make_site_builds_a_page_for_every_lesson_and_the_glossary_and_references(site):
    out, _ = site
    lessons = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert lessons and sorted(p.stem for p in (out / "notebooks").glob("*.html")) == lessons
    assert (out / "glossary.html").exists() and (out / "references.html").exists()


def test_every_page_loads_without_console_errors_missing_images_or_outside_requests_and_images_have_alt_text(site, page):
    out, _ = site
    report = []
    for html_page in site_checks.pages(out):
        page.problems.clear()
        page.goto(_relative(site, html_page), wait_until="networkidle")
        broken = page.evaluate("""() => [...document.images]
            .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src').slice(0, 80))""")
        no_alt = page.evaluate("() => [...document.images].filter(i => !(i.alt || '').trim()).length")
        report += [f"{html_page.name}: {p}" for p in page.problems]
        report += [f"{html_page.name}: image did not load: {src}" for src in broken]
        report += [f"{html_page.name}: {no_alt} image(s) without alt text"] if no_alt else []
    assert not report, "\n".join(report)


def test_no_broken_internal_link(site):
    out, _ = site
    assert not site_checks.broken_links(out), "\n".join(site_checks.broken_links(out))


def test_explorers_show_their_first_picture_with_a_text_alternative(site, page):
    out, _ = site
    page.goto(_relative(site, out / "notebooks" / "02_receptor.html"))
    figure = page.locator(".il2edu-site-explorer").first
    assert figure.locator("img").evaluate("i => i.naturalWidth") > 200
    assert "run the lesson" in figure.locator("figcaption").inner_text()
    assert "Treg" in figure.locator("img").get_attribute("alt")  # the alt text names what is plotted


def test_a_question_disclosure_reveals_its_answer_and_explanation(site, page):
    out, _ = site
    lesson, q = bank.find_question("02-trimer-affinity")
    page.goto(_relative(site, out / "notebooks" / "02_receptor.html"))
    question = page.locator("#q-02-trimer-affinity")
    for choice in q["choices"]:
        assert question.locator(".il2edu-site-choices").get_by_text(str(choice["text"]), exact=True).is_visible()
    answer = question.locator(".il2edu-site-the-answer")
    assert not answer.is_visible()
    question.locator("summary").click()
    assert answer.is_visible()
    assert answers.format_answer(q) in answer.inner_text()
    first_words = " ".join(q["explanation"].split()[:4])
    assert first_words in " ".join(question.locator("details").inner_text().split())


def test_every_quiz_question_of_a_lesson_is_on_its_page(site):
    out, _ = site
    for nb_path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        lesson = common.lesson_for_notebook(nb_path)
        questions, inline = bank.notebook_calls(nb_path)
        text = (out / "notebooks" / f"{nb_path.stem}.html").read_text(encoding="utf-8")
        wanted = set(inline)
        for quiz_id in questions:
            wanted |= {q["id"] for q in bank.load_bank(quiz_id)["questions"] if not q.get("inline")}
        missing = [qid for qid in wanted if f'id="q-{qid}"' not in text]
        assert not missing, f"{nb_path.name} ({lesson}): questions missing on the page: {missing}"


def test_search_finds_a_glossary_term(site, page):
    out, _ = site
    terms = content.glossary()
    key = glossary.search("treg", terms)[0]
    name = str(terms[key]["term"])
    word = re.findall(r"[A-Za-z]{5,}", name)[0]
    page.goto(_relative(site, out / "search.html") + f"?q={word}")
    page.locator("#search-results a[href*='glossary.html']").first.wait_for(timeout=15000)
    first = page.locator("#search-results a").first.get_attribute("href")
    assert first.split("#")[0] == "glossary.html", f"searching {word!r}: the first hit is {first}"


def test_citations_link_to_the_references_page(site, page):
    out, _ = site
    page.goto(_relative(site, out / "notebooks" / "02_receptor.html"))
    # the first one a reader can see: others sit inside closed answer disclosures
    link = page.locator("article a[href*='references.html#ref-trotta2018']:visible").first
    link.click()
    page.wait_for_url("**/references.html#ref-trotta2018")
    assert "trotta2018" in page.locator("#ref-trotta2018").inner_text()


def test_every_lesson_page_links_to_binder_and_a_jupyterhub(site):
    out, _ = site
    for nb_path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        links = [u for _, u in site_checks.parse(out / "notebooks" / f"{nb_path.stem}.html").links]
        assert any("/v2/gh/" in u and f"notebooks/{nb_path.name}" in u for u in links), nb_path.name
        assert any("git-pull?repo=" in u and nb_path.name in u for u in links), nb_path.name


def _solution_lines(nb: dict) -> list[str]:
    """The lines between BEGIN and END SOLUTION of a notebook (as the author wrote them)."""
    lines, inside = [], False
    for cell in nb["cells"]:
        for line in common.source(cell).split("\n"):
            if common.BEGIN.match(line):
                inside = True
            elif common.END.match(line):
                inside = False
            elif inside and len(line.strip()) > 8:
                lines.append(line.strip())
    return lines


def test_no_worked_solution_outside_a_disclosure(site, page):
    out, _ = site
    report = []
    for nb_path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        solutions = _solution_lines(common.read_notebook(nb_path))
        page.goto(_relative(site, out / "notebooks" / f"{nb_path.stem}.html"))
        outside, inside = page.evaluate("""() => {
            const article = document.querySelector('article').cloneNode(true);
            const hidden = [...article.querySelectorAll('details')].map(d => d.textContent).join('\\n');
            article.querySelectorAll('details').forEach(d => d.remove());
            return [article.textContent, hidden];
        }""")
        squash = lambda s: " ".join(s.split())
        outside, inside = squash(outside), squash(inside)
        for line in solutions:
            if squash(line) in outside:
                report.append(f"{nb_path.name}: solution shown outside a disclosure: {line}")
            if squash(line) not in inside:
                report.append(f"{nb_path.name}: worked solution missing from its disclosure: {line}")
        if "BEGIN SOLUTION" in outside:
            report.append(f"{nb_path.name}: a solution marker is visible")
    assert not report, "\n".join(report)


def test_axe_finds_no_serious_or_critical_violation_on_any_page(site, page):
    out, _ = site
    report = []
    for html_page in site_checks.pages(out):
        page.goto(_relative(site, html_page), wait_until="networkidle")
        report += [f"{html_page.relative_to(out)}: {line}" for line in axe_checks.describe(axe_checks.violations(page))]
    assert not report, "axe-core on the site:\n" + "\n".join(report)
