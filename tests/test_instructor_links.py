"""`il2edu links`: one nbgitpuller link per available lesson (the hub test clicks one of them for real)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from il2edu import cli
from il2edu.course import lessons


def test_one_link_per_available_lesson_with_nbgitpullers_parameters(capsys):
    assert cli.main(["links", "--hub", "https://hub.example.org/", "--repo", "https://github.com/me/il2-course.git",
                     "--branch", "spring"]) == 0
    lines = capsys.readouterr().out.splitlines()
    available = [ls for ls in lessons() if ls.get("status") == "available"]
    assert [line.split(": ", 1)[0] for line in lines] == [ls["id"] for ls in available]
    lesson, link = lines[2].split(": ", 1)
    assert lesson == "02-receptor"
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": ["https://github.com/me/il2-course.git"], "branch": ["spring"],
                                     "urlpath": ["lab/tree/il2-course/release/02_receptor.ipynb"],
                                     "targetpath": ["il2-course"]}


def test_folder_path_and_classic_interface(capsys):
    assert cli.main(["links", "--hub", "http://127.0.0.1:8000", "--repo", "/srv/course", "--path", "",
                     "--folder", "il2", "--interface", "notebook"]) == 0
    link = capsys.readouterr().out.splitlines()[2].split(": ", 1)[1]
    query = parse_qs(urlsplit(link).query)
    assert query["urlpath"] == ["tree/il2/02_receptor.ipynb"] and query["targetpath"] == ["il2"]
    assert query["repo"] == ["/srv/course"]


def test_a_hub_without_a_scheme_is_one_line(capsys):
    assert cli.main(["links", "--hub", "hub.example.org", "--repo", "https://x/y"]) == 1
    assert capsys.readouterr().out == ("il2edu links: --hub should start with https:// (or http://), "
                                       "not 'hub.example.org'\n")
