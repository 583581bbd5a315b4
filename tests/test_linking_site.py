"""The web of notes as a reader sees it: links that resolve, backlinks with context, the graph."""

from __future__ import annotations

import json
import posixpath

import pytest

from conftest import BuildFailed

NOTES = {
    "0012-unions.md": """\
        ---
        title: On unions
        tags: [unions, caucus]
        projects: [tenant-union]
        ---
        # On unions

        Caucuses grow inside unions, as Strategy Note 14 argues.

        Compare `Strategy Note 14` and [Strategy Note 14](https://example.org/) (neither is linked).

        This is Strategy Note 12 itself. Also see [[Tenants]] and [[Shared title]].
        """,
    "0014-tenants.md": """\
        ---
        title: Tenants
        tags: [housing, caucus]
        ---
        # Tenants

        Tenant power builds on Strategy Notes 12
        and 15, but Strategy Note 299 is not written yet.
        """,
    "0015-inquiry.md": """\
        ---
        title: Shared title
        tags: [unions]
        ---
        Inquiry first. See [[12|the unions note]] and Strategy Notes 12–14.
        """,
    "0016-other.md": """\
        ---
        title: Shared title
        ---
        Another note with the same title.
        """,
}
DOCS = {
    "projects/tenant-union.md": "---\ntitle: Tenant union\nkind: idea\n---\n# Tenant union\n",
    "start.md": "# Starting a project\n\nRead Strategy Note 12 and [[14]] first; Strategy Note 404 is missing.\n",
}


@pytest.fixture
def built(fixture_site):
    site = fixture_site(notes=NOTES, docs=DOCS, options="unresolved_references: info")
    site.build(strict=False)
    return site


def note_links(site, url):
    """(text, href resolved to a site path) for every link in a note's article."""
    article = site.article(url)
    return [(a.get_text(" ", strip=True), posixpath.normpath(posixpath.join(url, a["href"].split("#")[0])))
            for a in article.find_all("a", href=True) if not a["href"].startswith(("#", "http"))]


def test_every_link_in_every_note_resolves_to_a_page(built):
    for url in ("notes/12/", "notes/14/", "notes/15/", "notes/16/", "start/", "projects/tenant-union/"):
        for text, target in note_links(built, url):
            assert (built.site / target / "index.html").is_file() or (built.site / target).is_file(), (url, text)


def test_no_link_inside_a_link_or_code(built):
    for url in ("notes/12/", "notes/14/", "notes/15/", "start/"):
        article = built.article(url)
        assert article.select("a a") == [] and article.select("code a") == []


def test_citations_become_links_and_code_and_existing_links_do_not(built):
    links = note_links(built, "notes/12/")
    assert ("Strategy Note 14", "notes/14") in links
    assert ("Tenants", "notes/14") in links
    code = built.article("notes/12/").find("code")
    assert code.get_text() == "Strategy Note 14" and code.find("a") is None
    external = built.article("notes/12/").find("a", href="https://example.org/")
    assert external.get_text() == "Strategy Note 14"


def test_soft_line_break_and_each_number_linked(built):
    links = note_links(built, "notes/14/")
    assert ("Strategy Notes 12", "notes/12") in links and ("15", "notes/15") in links


def shown(span):
    """An unresolved reference's words, without the reason it carries."""
    return "".join(span.find_all(string=True, recursive=False))


def why(span):
    return span.select_one(".caucus-unresolved__why").get_text().strip(" ()")


def test_unresolved_reference_is_marked_text_not_a_broken_link(built):
    span = built.article("notes/14/").select_one("span.caucus-unresolved")
    assert shown(span) == "Strategy Note 299"
    assert span.find_parent("a") is None


def test_unresolved_reference_says_why_in_text_keyboard_and_touch_reach(built):
    span = built.article("notes/14/").select_one("span.caucus-unresolved")
    assert why(span) == "Strategy Note 299 is not on this site"
    assert span["tabindex"] == "0"  # focused by Tab and by a tap, which shows the reason (caucus-note.css)
    assert span.select_one(".caucus-unresolved__why").has_attr("data-search-exclude")


def test_ambiguous_title_is_not_linked_and_warned(built):
    span = [s for s in built.article("notes/12/").select("span.caucus-unresolved") if shown(s) == "Shared title"]
    assert span and "could mean Strategy Note 15 or Strategy Note 16" in why(span[0])
    assert any("notes/0012-unions.md:" in w and "[[Shared title]]" in w for w in built.warnings())


def connections(site, url):
    """(linked title, what ties it, quoted sentences) for each note in a page's Connections area."""
    heading = site.article(url).find("h2", class_="caucus-connections")
    assert heading is not None and heading.get_text() == "Connections"
    items = heading.find_next_sibling("ul").find_all("li", recursive=False)
    return [(li.find("a").get_text(), li.p.get_text(" ", strip=True).split(" · ", 1)[1],
             [q.get_text(" ", strip=True) for q in li.find_all("blockquote")]) for li in items]


def test_connections_list_each_other_note_once_with_what_ties_it_most_tied_first(built):
    # 14 and 12 cite each other and share "caucus"; 15 cites 12, shares "unions" and also cites 14.
    assert connections(built, "notes/12/") == [
        ("Strategy Note 14: Tenants", "cites this note; cited in this note; shares the tag caucus",
         ["Tenant power builds on Strategy Notes 12 and 15, but Strategy Note 299 is not written yet."]),
        ("Strategy Note 15: Shared title", "cites this note; shares the tag unions; also cites Strategy Note 14",
         ["See the unions note and Strategy Notes 12–14."]),
    ]
    # A note citing itself is not its own connection; one cited twice is listed once.
    assert [title for title, _, _ in connections(built, "notes/14/")] == [
        "Strategy Note 12: On unions", "Strategy Note 15: Shared title"]
    article = built.article("notes/12/")
    for heading in ("Referenced by", "Cites", "Related notes", "Projects"):
        assert article.find("h2", string=heading) is None
    links = [a.get_text() for a in article.find("h2", class_="caucus-connections").find_next_sibling("ul").find_all("a")]
    assert len(links) == len(set(links))


def test_connections_count_shared_projects_and_cap_notes_tied_only_loosely(fixture_site):
    notes = {"0001-a.md": "---\ntitle: A\nprojects: [tenant-union]\ntags: [x]\n---\nText.\n",
             "0002-b.md": "---\ntitle: B\nprojects: [tenant-union]\n---\nText.\n"}
    notes.update({f"00{n}-t.md": f"---\ntitle: T{n}\ntags: [x]\n---\nText.\n" for n in range(10, 16)})
    site = fixture_site(notes=notes, docs={"projects/tenant-union.md": "---\ntitle: Tenant union\nkind: idea\n---\n# T\n"})
    site.build(strict=True)
    listed = connections(site, "notes/1/")
    assert listed[0][:2] == ("Strategy Note 2: B", "also about Tenant union")
    assert [title for title, _, _ in listed] == ["Strategy Note 2: B", "Strategy Note 10: T10", "Strategy Note 11: T11"]


def test_previous_and_next_are_not_in_the_body(built):
    text = built.article("notes/14/").get_text(" ", strip=True)
    assert "←" not in text and "→" not in text


def test_projects_link_both_ways(built):
    meta = built.article("notes/12/").select_one(".caucus-note-meta")
    assert [a.get_text() for a in meta.find_all("a")] == ["Notes", "Tenant union"]
    about = built.article("projects/tenant-union/").find("h2", string="Notes about this project").find_next("ul")
    assert [a.get_text() for a in about.find_all("a")] == ["Strategy Note 12: On unions"]


def test_every_project_page_links_back_to_the_projects_list(built):
    pages = sorted(p.parent.name for p in (built.site / "projects").glob("*/index.html"))
    assert pages
    for slug in pages:
        back = built.article(f"projects/{slug}/").find("a", string="← All project examples")
        assert back is not None and back["href"] == "../", slug


def test_hand_written_pages_are_linked_too(built):
    assert ("Strategy Note 12", "notes/12") in note_links(built, "start/")
    assert ("Strategy Note 14", "notes/14") in note_links(built, "start/")
    assert shown(built.article("start/").select_one("span.caucus-unresolved")) == "Strategy Note 404"


def test_notes_json_matches_the_pages(built):
    data = {n["url"]: n for n in built.notes_json()["notes"]}
    assert data["notes/12/"]["references"] == ["notes/14/"]
    assert data["notes/12/"]["referenced_by"] == ["notes/14/", "notes/15/"]
    assert data["notes/14/"]["references"] == ["notes/12/", "notes/15/"]
    assert data["notes/15/"]["references"] == ["notes/12/", "notes/14/"]  # 13 (in 12–14) is not on the site
    for url, entry in data.items():
        shown = {posixpath.normpath(t) + "/" for _, t in note_links(built, url) if t.startswith("notes/")}
        for target in entry["references"]:
            assert target in shown, (url, target)


def test_unresolved_level_error_fails_the_build(fixture_site):
    site = fixture_site(notes={"0001-a.md": "# A\n\nSee Strategy Note 99.\n"}, options="unresolved_references: error")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert "notes/0001-a.md:3: error: Strategy Note 99 is not on this site" in failure.value.message


def test_unresolved_level_ignore_says_nothing(fixture_site):
    site = fixture_site(notes={"0001-a.md": "# A\n\nSee Strategy Note 99.\n"}, options="unresolved_references: ignore")
    site.build(strict=True)
    assert shown(site.article("notes/1/").select_one("span.caucus-unresolved")) == "Strategy Note 99"


def test_custom_citation_words(fixture_site):
    site = fixture_site(notes={"0001-a.md": "# A\n", "0002-b.md": "# B\n\nAs SN 1 says.\n"},
                        options="citation_words: [Strategy Note, Strategy Notes, SN]")
    site.build(strict=True)
    assert ("SN 1", "notes/1") in note_links(site, "notes/2/")


def test_search_finds_a_note_by_its_own_words_not_by_quotes_of_it(fixture_site):
    """With attr_list, the generated sections stay on the page but out of Material's search index."""
    from conftest import BASE_CONFIG

    config = BASE_CONFIG.format(plugin_options="") + "markdown_extensions:\n  - attr_list\n  - toc\n"
    site = fixture_site(notes=NOTES, docs=DOCS, config=config)
    site.build()
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    note_12 = [doc for doc in index["docs"] if doc["location"].startswith("notes/12/")]
    assert any("Caucuses grow inside unions" in doc["text"] for doc in note_12)
    assert not any(doc["title"] == "Connections" for doc in index["docs"])
    assert not any("Tenant power builds on" in doc["text"] for doc in note_12)  # note 14's sentence, quoted
    assert not any("cites this note" in doc["text"] for doc in index["docs"])
    assert not any(doc["location"].startswith("notes/#") or doc["location"] == "notes/" for doc in index["docs"])


def test_search_leaves_connections_out_without_attr_list_too(fixture_site):
    site = fixture_site(notes=NOTES, docs=DOCS)
    site.build()
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    note_12 = [doc for doc in index["docs"] if doc["location"].startswith("notes/12/")]
    assert any("Caucuses grow inside unions" in doc["text"] for doc in note_12)
    assert not any("Tenant power builds on" in doc["text"] for doc in note_12)  # note 14's sentence, quoted
    assert not any("cites this note" in doc["text"] or doc["title"] == "Connections" for doc in index["docs"])


def test_table_of_contents_lists_the_notes_own_headings_only(fixture_site):
    from conftest import BASE_CONFIG

    config = BASE_CONFIG.format(plugin_options="") + "markdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n"
    notes = dict(NOTES)
    notes["0012-unions.md"] += "\n## Where to start\n\nIn the shop.\n"
    site = fixture_site(notes=notes, docs=DOCS, config=config)
    site.build()
    toc = [a.get_text(strip=True) for a in site.html("notes/12/").select(".md-nav--secondary a")]
    assert toc == ["Where to start"]
    assert site.article("notes/12/").find("h2", class_="caucus-connections") is not None


def with_tabs_and_footer(fixture_site, notes):
    from conftest import BASE_CONFIG

    config = BASE_CONFIG.format(plugin_options="").replace(
        "  font: false\n", "  font: false\n  features: [navigation.tabs, navigation.footer]\n")
    site = fixture_site(notes=notes, docs=DOCS, config=config)
    site.build()
    return site


def test_previous_and_next_note_by_number_in_the_themes_footer(fixture_site):
    site = with_tabs_and_footer(fixture_site, NOTES)
    footer = site.html("notes/14/").select_one("nav.md-footer__inner")
    previous, following = footer.select_one("a.md-footer__link--prev"), footer.select_one("a.md-footer__link--next")
    assert previous["href"] == "../12/" and "Strategy Note 12: On unions" in previous.get_text()
    assert following["href"] == "../15/" and "Strategy Note 15: Shared title" in following.get_text()
    assert site.html("notes/14/").select_one('link[rel="prev"]')["href"] == "../12/"

    first = site.html("notes/12/").select_one("nav.md-footer__inner")
    assert first.select_one("a.md-footer__link--prev") is None
    assert first.select_one("a.md-footer__link--next")["href"] == "../14/"


def test_footer_names_a_title_with_markup_characters_once_escaped(fixture_site):
    site = with_tabs_and_footer(fixture_site, {"0001-a.md": "# A\n", "0002-b.md": "# Workers' <inquiry> & more\n"})
    following = site.html("notes/1/").select_one("a.md-footer__link--next")
    assert following["aria-label"] == "Next: Strategy Note 2: Workers' <inquiry> & more"
    assert following.select_one(".md-ellipsis").get_text(strip=True) == "Strategy Note 2: Workers' <inquiry> & more"


def test_the_notes_tab_is_active_on_every_note_and_only_there(fixture_site):
    site = with_tabs_and_footer(fixture_site, NOTES)
    for url in ("notes/12/", "notes/14/", "notes/16/", "notes/"):
        active = site.html(url).select(".md-tabs__item--active a")
        assert [a.get_text(strip=True) for a in active] == ["Notes"], url
    for url in ("", "projects/", "start/"):
        assert [a.get_text(strip=True) for a in site.html(url).select(".md-tabs__item--active a")] != ["Notes"], url


def test_footnotes_close_the_note_before_its_connections(fixture_site):
    notes = dict(NOTES)
    notes["0012-unions.md"] += "\nA claim.[^1]\n\n[^1]: Its source.\n"
    site = fixture_site(notes=notes, docs=DOCS)
    site.build()
    article = site.article("notes/12/")
    footnotes, heading = article.select_one("div.footnote"), article.find("h2", class_="caucus-connections")
    assert "Its source." in footnotes.get_text() and heading in footnotes.find_next_siblings()


def test_a_note_quoting_the_appendix_marker_keeps_it_as_written_and_one_connections_area(fixture_site):
    """The generated sections join a note's page in place of a marker after the note; a member who writes
    that marker (an HTML comment) in the note gets neither the sections there nor a second copy."""
    notes = dict(NOTES)
    notes["0012-unions.md"] += "\nBefore.\n\n<!-- caucus:appendix -->\n\nAfter the comment.\n"
    site = fixture_site(notes=notes, docs=DOCS)
    site.build()
    article = site.article("notes/12/")
    headings = article.find_all("h2", class_="caucus-connections")
    assert len(headings) == 1
    after = headings[0].find_all_previous("p")
    assert any("After the comment." in p.get_text() for p in after)
    assert "caucus:appendix" not in str(headings[0].find_next_siblings())
