"""Members make mistakes: every one gets a message with file and line, nothing is lost or changed."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BuildFailed
from generator.cli import main
from generator.model import Settings
from generator.sources import decode, load_notes, split_source

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every source file (not the build output, nor the pages a build keeps in .cache), to prove
    nothing was changed."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not {"site", ".cache"} & set(p.relative_to(root).parts)}


def test_html_in_title_tags_and_summary_is_text_everywhere(fixture_site):
    note = f"---\ntitle: '{HOSTILE}'\ntags: ['<i>tag</i>']\nsummary: '{HOSTILE}'\ndate: 2024-01-01\n---\nBody.\n"
    site = fixture_site(notes={"0001-x.md": note})
    site.build(strict=True)
    for url in ("notes/1/", "notes/", ""):
        raw = (site.site / url / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<b>bold</b>" not in raw and "<i>tag</i>" not in raw, url
    page = site.html("notes/1/")
    assert page.find("h1").get_text() == HOSTILE
    assert page.select_one(".caucus-note-summary").get_text() == HOSTILE
    assert page.title.get_text().startswith(HOSTILE)
    assert page.select_one('meta[name="description"]')["content"] == HOSTILE
    assert site.article("notes/").select_one("li a").get_text() == HOSTILE
    entry = ElementTree.parse(site.site / "feed.xml").getroot().find("{http://www.w3.org/2005/Atom}entry")
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == f"Strategy Note 1: {HOSTILE}"
    data = site.notes_json()["notes"][0]
    assert (data["title"], data["summary"], data["tags"]) == (HOSTILE, HOSTILE, ["<i>tag</i>"])


@pytest.mark.parametrize("name, content, url, title", [
    ("bom.md", "\ufeff# With a BOM\n\nText.\n".encode("utf-8"), "notes/bom/", "With a BOM"),
    ("crlf.md", b"---\r\ntitle: Windows\r\n---\r\n\r\nText.\r\n", "notes/crlf/", "Windows"),
    ("plain.md", b"Just words, no front matter and no heading.\n", "notes/plain/", "plain"),
    ("with spaces.md", b"# Spaces\n", "notes/with-spaces/", "Spaces"),
    ("ünïcödé.md", "# Ünïcödé\n".encode("utf-8"), "notes/ünïcödé/", "Ünïcödé"),
    ("0005-self.md", b"# Self\n\nThis is Strategy Note 5.\n", "notes/5/", "Self"),
])
def test_accepted_inputs_build_correctly(fixture_site, name, content, url, title):
    site = fixture_site()
    (site.root / "notes" / name).write_bytes(content)
    site.build(strict=True)
    assert site.article(url).find("h1").get_text(strip=True) == title


def test_a_five_megabyte_note_builds(fixture_site):
    paragraph = "Organizing the unorganized takes patience and inquiry. " * 20
    body = "".join(f"## Part {i}\n\n{paragraph}{i}\n\n" for i in range(4500))
    assert len(body.encode()) > 5_000_000
    site = fixture_site(notes={"0001-long.md": "# Long\n\n" + body})
    site.build()
    assert "Part 4499" in site.article("notes/1/").get_text()


def test_empty_file_warns_and_makes_no_page(fixture_site):
    site = fixture_site(notes={"empty.md": ""})
    site.build()
    assert "notes/empty.md:1: warning: is empty; no page is made for it" in " ".join(site.warnings())
    assert not (site.site / "notes/empty").exists()


def test_symlink_outside_the_repository_is_refused(fixture_site, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    outside.write_text("# Secret\n")
    site = fixture_site(notes={"0001-a.md": "# A\n"})
    (site.root / "notes/0002-link.md").symlink_to(outside)
    notes, findings = load_notes(Settings(root=str(site.root)))
    assert [n.title for n in notes] == ["A"]
    assert [str(f) for f in findings] == [
        "notes/0002-link.md:1: error: is a link to a file outside the repository and is refused; "
        "copy the note into the repository instead"]


def test_build_with_errors_fails_once_listing_every_bad_file_and_check_agrees(fixture_site):
    site = fixture_site(notes={"a.md": "---\ntitle: [x\n---\n",
                               "c.md": "---\nnumber: 3\n---\n# C\n", "d.md": "---\nnumber: 3\n---\n# D\n"})
    (site.root / "notes/b.md").write_bytes(b"# B\n\xff\n")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    first_line = failure.value.message.splitlines()[0]
    assert first_line == "2 errors in 2 files (notes/a.md, notes/b.md); the site was not built:"
    result = CliRunner().invoke(main, ["check", "-f", str(site.root / "mkdocs.yml")])
    assert result.exit_code == 1
    assert len([line for line in result.stdout.splitlines() if ": error: " in line]) == 2
    assert "notes/d.md:1: warning: number 3 is also claimed by notes/c.md" in result.stdout


def test_no_command_changes_a_source_file(fixture_site, tmp_path_factory):
    site = fixture_site(notes={"0001-a.md": "\ufeff---\r\ntitle: A\r\n---\r\n# A\r\n\r\nText.\r\n",
                               "b.md": "---\ntitel: B\n---\n# B\n"})
    before = snapshot(site.root)
    site.build()
    runner = CliRunner()
    config = str(site.root / "mkdocs.yml")
    for args in (["check", "-f", config], ["check", "--strict", "--format", "json", "-f", config],
                 ["export", "-f", config, str(tmp_path_factory.mktemp("export") / "out")]):
        runner.invoke(main, args)
    assert snapshot(site.root) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_findings_never_an_exception(data):
    text, findings = decode(data, "notes/x.md")
    if text is not None:
        split_source(text, "notes/x.md")
    assert all(f.path == "notes/x.md" and f.line >= 1 for f in findings)


FRONT_MATTER_PIECES = st.sampled_from([
    "---\n", "title: ", "tags: ", "[", "]", "{", "}", "'", '"', ":", "\t", "  ", "\n", "-", "date: ",
    "2024-02-30", "number: ", "12", "-1", "draft: ", "yes", "# Heading\n", "Strategy Note 12", "&", "<b>",
    "\r\n", "\ufeff", "!!python/object:os.system", "*anchor", "&anchor ", "? ", "|", ">",
])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRONT_MATTER_PIECES, max_size=30).map("".join))
def test_any_front_matter_gives_findings_never_an_exception(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "notes").mkdir()
    (root / "notes/x.md").write_text(text, encoding="utf-8")
    notes, findings = load_notes(Settings(root=str(root)))
    for finding in findings:
        assert finding.path == "notes/x.md" and finding.line >= 1 and finding.message
    json.dumps([f.as_dict() for f in findings])
    for note in notes:
        assert isinstance(note.title, str) and note.title


def test_external_links_carry_noopener_noreferrer(fixture_site):
    site = fixture_site(notes={"0001-a.md": "# A\n\nSee [the union](https://union.example/) and [home](../index.md).\n"})
    site.build(strict=True)
    links = {a.get_text(): a for a in site.article("notes/1/").find_all("a") if a.get_text() in ("the union", "home")}
    assert links["the union"]["rel"] == ["noopener", "noreferrer"]
    assert links["home"].get("rel") is None


def test_no_secret_from_the_environment_reaches_the_site(fixture_site, monkeypatch):
    secret = "correct-horse-battery-staple-" + os.urandom(6).hex()
    monkeypatch.setenv("CAUCUS_JOIN_PASSWORD", secret)
    monkeypatch.setenv("CAUCUS_JOIN_ACTION", "http://127.0.0.1:9/" + secret)
    site = fixture_site(notes={"0001-a.md": "# A\n"})
    site.build()
    leaks = [p for p in site.site.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert leaks == []
