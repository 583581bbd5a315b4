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


def test_unresolved_reference_is_marked_text_not_a_broken_link(built):
    span = built.article("notes/14/").select_one("span.caucus-unresolved")
    assert span.get_text() == "Strategy Note 299"
    assert span["title"] == "Strategy Note 299 is not on this site"
    assert span.find_parent("a") is None


def test_ambiguous_title_is_not_linked_and_warned(built):
    span = [s for s in built.article("notes/12/").select("span.caucus-unresolved") if s.get_text() == "Shared title"]
    assert span and "could mean Strategy Note 15 or Strategy Note 16" in span[0]["title"]
    assert any("notes/0012-unions.md:" in w and "[[Shared title]]" in w for w in built.warnings())


def test_referenced_by_lists_citing_notes_with_their_sentence(built):
    article = built.article("notes/12/")
    section = article.find("h2", string="Referenced by")
    assert section is not None
    items = section.find_next("ul").find_all("li", recursive=False)
    assert [li.find("a").get_text() for li in items] == ["Strategy Note 14: Tenants", "Strategy Note 15: Shared title"]
    assert "Tenant power builds on Strategy Notes 12 and 15" in items[0].find("blockquote").get_text()
    # A note citing itself is not its own backlink.
    assert "Strategy Note 12: On unions" not in [li.find("a").get_text() for li in items]


def test_cycle_cites_and_previous_next(built):
    cites_12 = built.article("notes/12/").find("h2", string="Cites").find_next("ul")
    assert [a.get_text() for a in cites_12.find_all("a")] == ["Strategy Note 14: Tenants"]
    cites_14 = built.article("notes/14/").find("h2", string="Cites").find_next("ul")
    assert [a.get_text() for a in cites_14.find_all("a")] == ["Strategy Note 12: On unions", "Strategy Note 15: Shared title"]
    text = built.article("notes/14/").get_text(" ", strip=True)
    assert "← Strategy Note 12: On unions" in text and "Strategy Note 15: Shared title →" in text


def test_related_notes_by_shared_references_and_tags(built):
    related = built.article("notes/12/").find("h2", string="Related notes").find_next("ul")
    titles = [a.get_text() for a in related.find_all("a")]
    # 15 cites 12 (2), shares the tag "unions" (1) and the cited note 14 (2); 14 and 12 cite each
    # other (2) and share "caucus" (1).
    assert titles == ["Strategy Note 15: Shared title", "Strategy Note 14: Tenants"]


def test_projects_link_both_ways(built):
    projects = built.article("notes/12/").find("h2", string="Projects").find_next("ul")
    assert [a.get_text() for a in projects.find_all("a")] == ["Tenant union"]
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
    assert built.article("start/").select_one("span.caucus-unresolved").get_text() == "Strategy Note 404"


def test_notes_json_matches_the_pages(built):
    data = {n["url"]: n for n in built.notes_json()["notes"]}
    assert data["notes/12/"]["references"] == ["notes/14/"]
    assert data["notes/12/"]["referenced_by"] == ["notes/14/", "notes/15/"]
    assert data["notes/14/"]["references"] == ["notes/12/", "notes/15/"]
    assert data["notes/15/"]["references"] == ["notes/12/", "notes/14/"]  # 13 (in 12–14) is not on the site
    for url, entry in data.items():
        shown = {posixpath.normpath(t) + "/" for _, t in note_links(built, url)
                 if t.startswith("notes/")} if built.article(url).find("h2", string="Cites") else set()
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
    assert site.article("notes/1/").select_one("span.caucus-unresolved").get_text() == "Strategy Note 99"


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
    assert not any(doc["title"] in ("Referenced by", "Cites", "Related notes", "Projects") for doc in index["docs"])
    assert not any("Tenant power builds on" in doc["text"] for doc in note_12)  # note 14's sentence, quoted
    assert not any("← Strategy Note" in doc["text"] for doc in index["docs"])
    assert not any(doc["location"].startswith("notes/#") or doc["location"] == "notes/" for doc in index["docs"])
    article = site.article("notes/12/")
    assert [h.get_text() for h in article.find_all("h2")] == ["Referenced by", "Cites", "Related notes", "Projects"]
    toc = [a.get_text(strip=True) for a in site.html("notes/12/").select(".md-nav--secondary a")]
    assert "Referenced by" in toc
