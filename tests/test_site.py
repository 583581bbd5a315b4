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


def entries(article) -> list[tuple[str, str, str, str]]:
    """Each listed note as (title, its link, number and date, summary)."""
    found = []
    for item in article.select("li:has(> .caucus-entry)"):
        link, meta = item.find("a"), item.select_one(".caucus-entry")
        summary = "".join(str(s) for s in meta.next_siblings).strip()
        found.append((link.get_text(strip=True), link["href"], meta.get_text(" ", strip=True), summary))
    return found


def test_notes_index_lists_every_note_by_year_newest_first(built):
    article = built.article("notes/")
    assert not article.find("table")  # a table overflowed a phone and left empty columns
    assert [h.get_text(strip=True) for h in article.find_all("h2")] == ["2024", "Undated"]
    assert entries(article) == [
        ("On unions", "12/", "Strategy Note 12 · 1 May 2024", "Why caucuses organize inside unions."),
        ("Fourteen", "14/", "Strategy Note 14", ""),
        ("A pasted note", "pasted-note/", "", ""),
    ]
    assert article.select_one("time")["datetime"] == "2024-05-01"
    for _, href, _, _ in entries(article):
        assert (built.site / "notes" / href / "index.html").is_file()


def test_notes_index_years_come_newest_first_and_notes_by_date(fixture_site):
    notes = {f"{n:04d}.md": f"---\ntitle: N{n}\ndate: {date}\n---\nText.\n"
             for n, date in ((1, "2019-05-07"), (2, "2019-06-01"), (3, "2021-01-02"), (4, "2020-12-31"))}
    site = fixture_site(notes=notes)
    site.build(strict=True)
    article = site.article("notes/")
    assert [h.get_text(strip=True) for h in article.find_all("h2")] == ["2021", "2020", "2019"]
    assert [title for title, *_ in entries(article)] == ["N3", "N4", "N2", "N1"]
    years = [(a.get_text(), a["href"]) for a in article.find("p").find_all("a")]
    assert years == [("2021", "#2021"), ("2020", "#2020"), ("2019", "#2019")]
    assert all(article.find(id=href[1:]) for _, href in years)


def test_notes_index_of_undated_notes_orders_them_by_number(fixture_site):
    site = fixture_site(notes={"0001.md": "# One\n", "0002.md": "# Two\n"})
    site.build(strict=True)
    article = site.article("notes/")
    assert article.find("p").get_text(strip=True) == "2 notes, newest first."  # no years to group by
    assert [title for title, *_ in entries(article)] == ["Two", "One"]


def test_notes_index_filters_by_tag_through_the_tags_page(built):
    """Each tag leads to its listing on Material's tags page: a filter without a server or a script."""
    article = built.article("notes/")
    links = {a.get_text(strip=True): a["href"] for a in article.select('a[href*="tags/#"]')}
    assert links == {"caucus": "../tags/#tag:caucus", "unions": "../tags/#tag:unions"}
    assert "unions\xa0(1)" in article.get_text()  # a tag and its count stay on one line
    tags_page = built.html("tags/")
    for href in links.values():
        listing = tags_page.find(id=href.split("#")[1])
        assert listing is not None, href
        assert "On unions" in listing.find_next("ul").get_text()


def test_notes_index_stays_out_of_search(built):
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not any(doc["location"].startswith("notes/#") or doc["location"] == "notes/" for doc in index["docs"])


def test_home_page_lists_latest_notes_with_date_and_summary(built):
    article = built.article("")
    assert entries(article) == [
        ("On unions", "notes/12/", "Strategy Note 12 · 1 May 2024", "Why caucuses organize inside unions."),
        ("Fourteen", "notes/14/", "Strategy Note 14", ""),
        ("A pasted note", "notes/pasted-note/", "", ""),
    ]
    assert article.find("a", string="All strategy notes")["href"] == "notes/"


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
