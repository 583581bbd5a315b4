"""What a note is called and where it lives: titles, file names, pasted headers, folders, aliases."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import PROJECT_ROOT, BuildFailed
from generator.model import Settings
from generator.pipeline import analyse, build_site
from generator.sources import claimed_numbers, load_corpus, load_notes

RFC = Settings(citation_words=("RFC", "RFCs"))


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def notes(tmp_path: Path, files: dict[str, str], settings: Settings = Settings()):
    write(tmp_path, {f"notes/{rel}": text for rel, text in files.items()})
    found, findings = load_notes(replace(settings, root=str(tmp_path)))
    return {n.path.removeprefix("notes/"): n for n in found}, [str(f) for f in findings]


# Titles


@pytest.mark.parametrize("name, text, title", [
    ("seed.md", "\n\n## What caucuses should work for\n\nText.\n", "What caucuses should work for"),
    ("0001-private-fields.md", "- Start Date: 2014-03-11\n- RFC PR: 1\n\n## Summary\n\nText.\n", "private fields"),
    ("Tenant power.md", "Text.\n\n# A section\n", "Tenant power"),
    ("tenant_power-now.md", "Text.\n", "tenant power now"),
    ("0300-tenant-power.md", "Text.\n", "tenant power"),
    ("12 Rent strikes - a history.md", "Text.\n", "Rent strikes - a history"),
    ("t.md", "---\ntitle: Given\n---\n# Heading\n", "Given"),
])
def test_title_is_front_matter_else_an_opening_heading_else_the_file_name(tmp_path, name, text, title):
    found, _ = notes(tmp_path, {name: text})
    assert found[name].title == title


def test_rfc_corpus_shape_is_not_titled_summary(tmp_path):
    """RFCs open with a metadata list and have '# Summary' further down: a section, never a title."""
    files = {f"{n:04d}-rfc-{n}.md": f"- Start Date: 2014-03-{n:02d}\n\n# Summary\n\nText {n}.\n" for n in range(1, 6)}
    found, _ = notes(tmp_path, files)
    assert sorted(n.title for n in found.values()) == [f"rfc {n}" for n in range(1, 6)]


def test_project_titles_follow_the_same_rule(tmp_path):
    write(tmp_path, {"docs/projects/rent-strike.md": "Intro.\n\n# A section\n",
                     "docs/projects/thaw.md": "\n# Tenant and Housing Association of Worcester\n"})
    corpus = load_corpus(Settings(root=str(tmp_path)))
    assert [p.title for p in corpus.projects] == ["rent strike", "Tenant and Housing Association of Worcester"]


# Date-named files


def test_date_named_file_is_dated_not_numbered(tmp_path):
    found, findings = notes(tmp_path, {"2024-05-21.md": "Minutes.\n", "2024-05-22 Meeting notes.md": "Minutes.\n",
                                       "2024-05-23.md": "---\ndate: 2024-06-01\n---\nMinutes.\n"})
    assert findings == []
    plain, named, overridden = found["2024-05-21.md"], found["2024-05-22 Meeting notes.md"], found["2024-05-23.md"]
    assert (plain.number, plain.date, plain.slug, plain.url) == (
        None, datetime.date(2024, 5, 21), "2024-05-21", "notes/2024-05-21/")
    assert (named.number, named.date, named.slug, named.title) == (
        None, datetime.date(2024, 5, 22), "2024-05-22-meeting-notes", "2024-05-22 Meeting notes")
    assert overridden.date == datetime.date(2024, 6, 1)
    assert claimed_numbers(Settings(root=str(tmp_path))) == {}


def test_a_file_name_with_an_impossible_date_is_still_no_number(tmp_path):
    found, findings = notes(tmp_path, {"2024-02-30 Minutes.md": "Text.\n"})
    note = found["2024-02-30 Minutes.md"]
    assert (note.number, note.date, note.url) == (None, None, "notes/2024-02-30-minutes/")
    assert findings == ["notes/2024-02-30 Minutes.md:1: warning: the file name starts with '2024-02-30', which is "
                        "not a real date; the note has no date from it (nor a number)"]


# Headers of notes pasted from an archive

PASTED = """

2019-05-07, Strategy Note 1:

What caucuses should work for

Caucuses argue, and Strategy Note 299 says.
"""


def test_pasted_header_gives_number_date_and_title_and_leaves_the_body(tmp_path):
    found, findings = notes(tmp_path, {"pasted.md": PASTED})
    note = found["pasted.md"]
    assert (note.number, note.date, note.title) == (1, datetime.date(2019, 5, 7), "What caucuses should work for")
    assert note.body_line == 5 and note.body.split("\n")[2] == "Caucuses argue, and Strategy Note 299 says."
    assert findings == ["notes/pasted.md:3: info: the pasted header '2019-05-07, Strategy Note 1:' gives number 1, "
                        "date 2019-05-07 and the title on the next line; write them as front matter "
                        "(number, date, title) instead"]


def test_pasted_header_lines_stay_out_of_the_page_and_later_lines_keep_their_numbers(tmp_path):
    write(tmp_path, {"notes/pasted.md": PASTED})
    site = build_site(Settings(root=str(tmp_path)))
    page = site.pages["notes/1.md"]
    front_matter, text = page.split("\n---\n", 1)
    assert "2019-05-07," not in page and text.count("What caucuses should work for") == 1  # the page's h1
    assert "Strategy Note 1:" not in page and "](1.md)" not in page  # the header never links the note to itself
    assert "notes/pasted.md:7: warning: Strategy Note 299 is not on this site" in "\n".join(map(str, site.findings))


@pytest.mark.parametrize("header, number, date", [
    ("May 7, 2019, RFC 33:", 33, datetime.date(2019, 5, 7)),
    ("7 May 2019, RFC 33", 33, datetime.date(2019, 5, 7)),
    ("2019-05-07, rfc 0033:", 33, datetime.date(2019, 5, 7)),
])
def test_pasted_header_uses_the_sites_citation_word_and_common_date_forms(tmp_path, header, number, date):
    found, _ = notes(tmp_path, {"x.md": f"{header}\n# The title\n\nBody.\n"}, RFC)
    assert (found["x.md"].number, found["x.md"].date, found["x.md"].title) == (number, date, "The title")
    assert found["x.md"].label == f"RFC {number}"


def test_front_matter_wins_over_a_pasted_header(tmp_path):
    found, _ = notes(tmp_path, {"x.md": "---\nnumber: 5\ntitle: Mine\n---\n2019-05-07, Strategy Note 1:\nTheirs\n"})
    assert (found["x.md"].number, found["x.md"].title, found["x.md"].date) == (5, "Mine", datetime.date(2019, 5, 7))


def test_a_header_for_another_sites_word_is_just_text(tmp_path):
    found, findings = notes(tmp_path, {"x.md": "2019-05-07, Strategy Note 1:\nTheirs\n"}, RFC)
    assert found["x.md"].number is None and found["x.md"].body_line == 1 and findings == []


# Folders, case and index


def test_note_identity_in_folders(tmp_path):
    found, findings = notes(tmp_path, {"sub/Deep note.md": "# D\n", "sub/0005-five.md": "# Five\n",
                                       "a/same.md": "# A\n", "b/same.md": "# B\n", "index.md": "# Home\n"})
    assert findings == []
    assert {rel: (n.slug, n.url, n.src_uri) for rel, n in found.items()} == {
        "sub/Deep note.md": ("sub/deep-note", "notes/sub/deep-note/", "notes/sub/deep-note.md"),
        "sub/0005-five.md": ("sub/five", "notes/5/", "notes/5.md"),
        "a/same.md": ("a/same", "notes/a/same/", "notes/a/same.md"),
        "b/same.md": ("b/same", "notes/b/same/", "notes/b/same.md"),
        "index.md": ("index", "notes/index/", "notes/index/index.md"),
    }


def test_names_that_differ_only_in_case_both_get_a_page(tmp_path):
    found, findings = notes(tmp_path, {"Note.md": "# Upper\n", "note.md": "# Lower\n"})
    assert (found["Note.md"].url, found["note.md"].url) == ("notes/note/", "notes/note-2/")
    assert findings == ["notes/note.md:1: info: is published at notes/note-2/ because notes/Note.md has "
                        "notes/note/; rename one file to choose"]


def test_a_numbered_note_with_the_same_words_leaves_the_slug_alone(tmp_path):
    found, findings = notes(tmp_path, {"0005-note.md": "# Five\n", "note.md": "# Plain\n"})
    assert (found["0005-note.md"].url, found["note.md"].url, findings) == ("notes/5/", "notes/note/", [])


def test_folders_case_and_index_notes_build_at_their_urls(fixture_site):
    site = fixture_site(notes={"sub/deep-note.md": "# Deep\n\nSee [[Home of the notes]].\n",
                               "sub/0005-five.md": "# Five\n", "a/same.md": "# Same A\n", "b/same.md": "# Same B\n",
                               "Note.md": "# Upper\n", "note.md": "# Lower\n",
                               "index.md": "# Home of the notes\n\nStrategy Note 5.\n"})
    site.build(strict=True)
    headings = {url: site.article(url).find("h1").get_text(strip=True) for url in (
        "notes/sub/deep-note/", "notes/5/", "notes/a/same/", "notes/b/same/", "notes/note/", "notes/note-2/",
        "notes/index/")}
    assert headings == {"notes/sub/deep-note/": "Deep", "notes/5/": "Five", "notes/a/same/": "Same A",
                        "notes/b/same/": "Same B", "notes/note/": "Upper", "notes/note-2/": "Lower",
                        "notes/index/": "Home of the notes"}
    assert site.article("notes/").find("h1").get_text(strip=True) == "Strategy notes"  # the index is not hidden
    assert site.article("notes/index/").select_one('a[href="../5/"]') is not None
    assert site.article("notes/sub/deep-note/").select_one('a[href="../../index/"]') is not None
    data = json.loads((site.site / "notes.json").read_text(encoding="utf-8"))["notes"]
    assert {n["slug"] for n in data} >= {"sub/deep-note", "index", "note-2"}
    for entry in data:
        assert (site.site / entry["url"] / "index.html").is_file()
    index_links = {a["href"] for a in site.article("notes/").select("li a")}
    assert {"sub/deep-note/", "index/", "note-2/", "5/"} <= index_links


# Two kinds of aliases


def test_aliases_are_old_addresses_or_other_names(tmp_path):
    text = ("---\naliases:\n  - Tenant power\n  - notes/old-name\n  - /old/page.html\n  - Rent strikes\n"
            "  - 0299-tenant-power.md\n---\n# T\n")
    found, findings = notes(tmp_path, {"0300-tenant-power.md": text})
    note = found["0300-tenant-power.md"]
    assert findings == []
    assert (note.aliases, note.alias_lines, note.names) == (
        ("notes/old-name/", "old/page.html"), (4, 5), ("Tenant power", "Rent strikes", "0299-tenant-power.md"))
    assert note.stem == "0300-tenant-power"
    site = build_site(Settings(root=str(tmp_path)))
    assert sorted(dest for dest in site.files if dest.endswith(".html")) == [
        "notes/old-name/index.html", "old/page.html"]



def test_a_wikilink_finds_a_note_by_an_alias_name(tmp_path):
    write(tmp_path, {"notes/0300-tenant-power.md": "---\naliases: [Tenant power, notes/old/]\n---\n# Renters\n",
                     "notes/0301-b.md": "# B\n\nSee [[Tenant power]].\n"})
    site = build_site(Settings(root=str(tmp_path)))
    assert site.links.references["notes/301/"] == ["notes/300/"]
    assert [f for f in site.findings if f.level != "info"] == []

# Aliases that would replace something the site publishes


@pytest.mark.parametrize("alias, user", [
    ("feed.xml", "the site's feed.xml"),
    ("notes.json", "the site's notes.json"),
    ("/sitemap.xml", "the site's sitemap.xml"),
    ("404.html", "the site's 404.html"),
    ("search/", "the theme's search/ folder"),
    ("assets/javascripts/bundle.js", "the theme's assets/ folder"),
    ("tags/", "docs/tags.md"),
    ("notes/", "the generated notes index"),
    ("projects/", "the generated projects index"),
    ("statement/", "docs/statement.md"),
    ("notes/2/", "notes/0002-b.md"),
    ("notes/old/", "an alias of notes/0002-b.md"),
])
def test_alias_colliding_with_a_published_file_is_an_error_at_its_line(tmp_path, alias, user):
    write(tmp_path, {"docs/statement.md": "# Statement\n", "docs/tags.md": "# Tags\n",
                     "notes/0003-c.md": f"---\ntitle: C\naliases:\n  - notes/fine/\n  - {alias}\n---\nA.\n",
                     "notes/0002-b.md": "---\naliases: [notes/old/]\n---\nB.\n"})
    findings = [str(f) for f in analyse(Settings(root=str(tmp_path))).findings if f.level == "error"]
    written = alias.strip("/") + ("" if "." in alias.rsplit("/", 1)[-1] or alias == "/" else "/")
    assert findings == [f"notes/0003-c.md:5: error: alias '{written}' is already used by {user}; "
                        "remove it or pick another"]


def test_alias_feed_xml_stops_the_build_with_a_finding_not_a_traceback(fixture_site):
    site = fixture_site(notes={"a.md": "---\naliases: [feed.xml]\n---\n# A\n"})
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert "notes/a.md:2: error: alias 'feed.xml' is already used by the site's feed.xml" in failure.value.message
    assert not (site.site / "notes").exists()


def test_make_site_replaces_site_only_when_the_build_succeeds(fixture_site):
    site = fixture_site(notes={"a.md": "# A\n"})
    shutil.copy(PROJECT_ROOT / "Makefile", site.root / "Makefile")
    make = ["make", "--no-print-directory", "-o", ".venv/.ready", "site", f"BIN={Path(sys.executable).parent}"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    assert subprocess.run(make, cwd=site.root, capture_output=True, env=env).returncode == 0
    good = (site.site / "notes/a/index.html").read_bytes()
    site.write("notes/b.md", "---\naliases: [feed.xml]\n---\n# B\n")
    failed = subprocess.run(make, cwd=site.root, capture_output=True, text=True, env=env)
    assert failed.returncode != 0 and "alias 'feed.xml' is already used" in failed.stderr
    assert (site.site / "notes/a/index.html").read_bytes() == good and not (site.site / "notes/b").exists()
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith("site")) == ["site"]


# The site's citation word


def test_label_uses_the_sites_citation_word(tmp_path):
    found, _ = notes(tmp_path, {"0033-x.md": "# X\n"}, RFC)
    assert found["0033-x.md"].label == "RFC 33"
    write(tmp_path, {"mkdocs.yml": ""})
    page = build_site(Settings(root=str(tmp_path), citation_words=("RFC", "RFCs"))).pages["notes/33.md"]
    assert "**RFC 33**" in page
