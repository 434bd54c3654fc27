"""The website's page sources (docs/site/_ext/il2edu_site): citation links, run links, static questions."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs" / "site" / "_ext"))

prepare = pytest.importorskip("il2edu_site.prepare", reason="the site extra (nbclient) is not installed")

from il2edu import content  # noqa: E402

SETTINGS = {"repository": "someone/il2edu", "branch": "main", "binder_url": "https://binder.example",
            "hub_url": "https://hub.example.edu/"}


def test_citation_keys_become_links_and_other_brackets_stay():
    refs = content.references()
    key = sorted(refs)[0]
    text = f"A fact [{key}]. A link [text](https://x.org). Not a key [maybe]. Two [{key}; {key}]."
    out = prepare.link_citations(text, refs)
    assert f"[{{ref}}`{key} <ref-{key}>`]" in out
    assert "[text](https://x.org)" in out and "[maybe]" in out
    assert out.count("{ref}") == 3


def test_citations_inside_code_fences_are_left_alone():
    refs = content.references()
    key = sorted(refs)[0]
    assert prepare.link_citations(f"```\nx[{key}]\n```", refs) == f"```\nx[{key}]\n```"


def test_run_links_point_at_the_lesson_on_binder_and_through_nbgitpuller_on_the_hub():
    text = prepare.run_links("02_receptor.ipynb", SETTINGS)
    urls = [part.split(")")[0] for part in text.split("](")[1:]]
    binder, hub = urls
    assert binder.startswith("https://binder.example/v2/gh/someone/il2edu/main?urlpath=lab/tree/notebooks/02_receptor.ipynb")
    pulled = urlparse(hub)
    assert pulled.netloc == "hub.example.edu" and pulled.path == "/hub/user-redirect/git-pull"
    query = parse_qs(pulled.query)
    assert query == {"repo": ["https://github.com/someone/il2edu"], "branch": ["main"],
                     "urlpath": ["lab/tree/il2edu/notebooks/02_receptor.ipynb"]}


def test_without_a_hub_only_binder_is_offered():
    assert "JupyterHub" not in prepare.run_links("02_receptor.ipynb", {**SETTINGS, "hub_url": ""})


def test_a_static_question_holds_its_answer_only_inside_the_disclosure():
    static = pytest.importorskip("il2edu_site.static")
    from il2edu.activities.quiz import answers, bank

    _, q = bank.find_question("02-trimer-affinity")
    page = static.question_html(q, 1)
    before, _, inside = page.partition("<details")
    assert all(str(c["text"]) in before for c in q["choices"])
    assert "The answer:" not in before and answers.format_answer(q) in inside
    assert 'href="../references.html#ref-trotta2018"' in inside
