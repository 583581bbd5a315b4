"""A small fixture site built with real MkDocs, read as a reader gets it."""

from __future__ import annotations

import json

import pytest

from conftest import BuildFailed

NOTES = {
    "0012-on-unions.md": """\
        ---
        title: On unions
        date: 2024-05-01
        tags: [unions, caucus]
        summary: Why caucuses organize inside unions.
        ---

        # On unions

        Caucuses organize **inside** unions.
        """,
    "0014.md": """\
        ## Fourteen

        Body of fourteen.
        """,
    "pasted note.md": """\


        ## A pasted note

        Pasted without front matter.
        """,
}

PROJECTS = {
    "projects/tenant-union.md": """\
        ---
        title: Tenant union
        kind: idea
        category: housing
        summary: A union of tenants.
        ---
        # Tenant union
        """,
    "projects/thaw.md": """\
        ---
        title: Tenant and Housing Association of Worcester (THAW)
        kind: real
        category: housing
        ---
        # THAW
        """,
}


@pytest.fixture
def built(fixture_site):
    site = fixture_site(notes=NOTES, docs=PROJECTS)
    site.build(strict=True)
    return site


def test_note_page_has_header_and_body(built):
    article = built.article("notes/12/")
    assert [h.get_text(strip=True) for h in article.find_all("h1")] == ["On unions"]
    # The header, in reading order: tags (links to the tags page), title, the way back to the notes
    # with number and date, then the summary; the note's text after it.
    meta = article.select_one(".caucus-note-meta")
    assert meta.get_text(" ", strip=True) == "Notes › Strategy Note 12 · 1 May 2024"
    assert meta.find("a", string="Notes")["href"] == "../"
    assert article.select_one(".caucus-note-meta time")["datetime"] == "2024-05-01"
    summary = article.select_one(".caucus-note-summary")
    assert summary.get_text() == "Why caucuses organize inside unions."
    header = [article.select_one("nav.md-tags"), article.h1, meta.parent, summary.parent]
    assert [e.name for e in header[1].find_previous_siblings()] == ["nav"]
    assert header[1].find_next_siblings(limit=2) == header[2:]
    assert "Caucuses organize inside unions." in article.get_text(" ", strip=True).replace(" .", ".")
    assert [(a.get_text(strip=True), a["href"]) for a in article.select("a.md-tag")] == [
        ("caucus", "../../tags/#tag:caucus"), ("unions", "../../tags/#tag:unions")]
    head = built.html("notes/12/")
    assert head.title.get_text() == "On unions - Test caucus"
    assert head.select_one('meta[name="description"]')["content"] == "Why caucuses organize inside unions."


def test_unnumbered_note_lives_at_its_slug(built):
    article = built.article("notes/pasted-note/")
    assert article.find("h1").get_text(strip=True) == "A pasted note"
    assert article.select_one(".caucus-note-meta").get_text(" ", strip=True) == "Notes"  # no number to give
    assert article.select_one(".caucus-note-meta a")["href"] == "../"
    # The heading became the title, so it is not shown twice.
    assert article.get_text().count("A pasted note") == 1


def test_notes_index_lists_every_note_newest_first(built):
    rows = built.article("notes/").select("tbody tr")
    cells = [[td.get_text(strip=True) for td in row.find_all("td")] for row in rows]
    assert cells == [
        ["14", "Fourteen", "", ""],
        ["12", "On unions", "2024-05-01", "Why caucuses organize inside unions."],
        ["", "A pasted note", "", ""],
    ]
    hrefs = [row.find("a")["href"] for row in rows]
    assert hrefs == ["14/", "12/", "pasted-note/"]
    for href in hrefs:
        assert (built.site / "notes" / href / "index.html").is_file()


def test_home_page_lists_latest_notes(built):
    links = [(a.get_text(strip=True), a["href"]) for a in built.article("").select("li a")]
    assert links == [("On unions", "notes/12/"), ("Fourteen", "notes/14/"), ("A pasted note", "notes/pasted-note/")]


def test_projects_index_groups_by_kind_and_category(built):
    article = built.article("projects/")
    headings = [h.get_text(strip=True) for h in article.find_all(["h2", "h3"])]
    assert headings == ["Project ideas", "Housing", "Real-life examples", "Housing"]
    assert [a["href"] for a in article.select("li a")] == ["tenant-union/", "thaw/"]
    assert (built.site / "projects/thaw/index.html").is_file()


def test_notes_json_follows_the_contract(built):
    data = built.notes_json()
    assert list(data) == ["notes"]
    assert [n["url"] for n in data["notes"]] == ["notes/12/", "notes/14/", "notes/pasted-note/"]
    first = data["notes"][0]
    assert list(first) == ["number", "slug", "title", "url", "date", "tags", "summary", "source",
                           "references", "referenced_by"]
    assert first["source"] == "notes/0012-on-unions.md" and first["date"] == "2024-05-01"
    for entry in data["notes"]:
        assert (built.site / entry["url"] / "index.html").is_file()


def test_notes_are_not_in_the_sidebar(built):
    nav_links = {a["href"] for a in built.html("notes/").select("nav.md-nav--primary a")}
    assert not any(href.rstrip("/").split("/")[-1].isdigit() for href in nav_links)


def test_tags_page_lists_tagged_notes(built):
    text = built.article("tags/").get_text(" ", strip=True)
    assert "unions" in text and "On unions" in text


def test_two_builds_are_byte_identical(fixture_site, tmp_path):
    site = fixture_site(notes=NOTES, docs=PROJECTS)
    site.build()
    first = (site.site / "notes.json").read_bytes()
    first_page = (site.site / "notes/12/index.html").read_bytes()
    site.build()
    assert (site.site / "notes.json").read_bytes() == first
    assert (site.site / "notes/12/index.html").read_bytes() == first_page
    assert json.loads(first)["notes"][0]["number"] == 12


def test_errors_stop_the_build_with_one_message_listing_every_bad_file(fixture_site):
    site = fixture_site(notes={"a.md": "---\nnumber: zero\n---\n# A\n", "b.md": "---\ndate: 2024-13-01\n---\n",
                               "good.md": "# Good\n"})
    with pytest.raises(BuildFailed) as failure:
        site.build()
    message = failure.value.message
    assert message.startswith("2 errors in 2 files (notes/a.md, notes/b.md); the site was not built:")
    assert "notes/a.md:2: error: 'number' must be a positive whole number" in message
    assert "notes/b.md:2: error: 'date' '2024-13-01' is not a real date" in message
    assert not (site.site / "notes").exists()


def test_warnings_fail_a_strict_build(fixture_site):
    site = fixture_site(notes={"a.md": "---\ntitel: A\n---\n# A\n"})
    with pytest.raises(BuildFailed):
        site.build(strict=True)
    assert any("notes/a.md:2: warning: unknown front matter key 'titel'" in w for w in site.warnings())


def test_every_page_has_a_description_and_language(fixture_site):
    site = fixture_site(notes=NOTES, docs={**PROJECTS, "about.md": '# About\n\nWe say "hello" & more.\n'})
    site.build()
    expected = {"projects/tenant-union/": "A union of tenants.", "about/": 'We say "hello" & more.',
                "notes/14/": "Body of fourteen.", "notes/12/": "Why caucuses organize inside unions."}
    for url, description in expected.items():
        page = site.html(url)
        assert page.select_one('meta[name="description"]')["content"] == description, url
        assert page.html["lang"] == "en"


def test_preview_keeps_the_last_good_build_and_shows_the_errors(fixture_site):
    """`mkdocs serve`: a broken note logs its errors, the rebuild still completes with the last good notes."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = fixture_site(notes={"0001-a.md": "# First version\n"})
    config = load_config(str(site.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    site.write("notes/0001-a.md", "---\nnumber: zero\n---\n# Broken version\n")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        build(config)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    errors = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert any("notes/0001-a.md:2: error: 'number' must be a positive whole number" in e for e in errors)
    assert site.article("notes/1/").find("h1").get_text(strip=True) == "First version"
