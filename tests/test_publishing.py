"""What publishing adds: the Atom feed, redirects for aliases, edit links, reproducible output."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from conftest import BASE_CONFIG, PROJECT_ROOT, BuildFailed

ATOM = "{http://www.w3.org/2005/Atom}"

NOTES = {
    "0012-unions.md": "---\ndate: 2024-05-01\nsummary: Why <unions>.\ntags: [unions]\n"
                      "aliases: [notes/on-unions/, /old/unions.html]\n---\n# On unions\n\nText.\n",
    "0014-tenants.md": "---\ndate: 2025-01-02\n---\n# Tenants & power\n\nText.\n",
    "undated.md": "# Undated\n\nText.\n",
}


def feed_entries(site):
    root = ElementTree.parse(site.site / "feed.xml").getroot()
    return root, root.findall(f"{ATOM}entry")


def test_feed_lists_notes_newest_first_with_title_date_summary_link(fixture_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # undated notes take this time
    site = fixture_site(notes=NOTES)
    site.build(strict=True)
    root, entries = feed_entries(site)
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Strategy Note 14: Tenants & power", "Strategy Note 12: On unions", "Undated"]
    first_12 = entries[1]
    assert first_12.findtext(f"{ATOM}updated") == "2024-05-01T00:00:00+00:00"
    assert first_12.findtext(f"{ATOM}summary") == "Why <unions>."
    assert first_12.find(f"{ATOM}link").get("href") == "notes/12/"
    assert root.findtext(f"{ATOM}updated") == "2025-01-02T00:00:00+00:00"


def test_feed_links_are_absolute_with_site_url(fixture_site):
    config = BASE_CONFIG.format(plugin_options="").replace(
        "site_name: Test caucus\n", "site_name: Test caucus\nsite_url: https://caucus.example/\n")
    site = fixture_site(notes=NOTES, config=config)
    site.build(strict=True)
    _, entries = feed_entries(site)
    assert entries[0].find(f"{ATOM}link").get("href") == "https://caucus.example/notes/14/"


def test_every_page_links_the_feed_in_its_head(fixture_site):
    site = fixture_site(notes=NOTES, config=BASE_CONFIG.format(plugin_options="").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n"))
    site.build(strict=True)
    for url, href in (("", "feed.xml"), ("notes/12/", "../../feed.xml"), ("notes/", "../feed.xml")):
        link = site.html(url).select_one('link[rel="alternate"][type="application/atom+xml"]')
        assert link is not None and link["href"] == href, url


def test_aliases_redirect_to_the_note_with_directory_urls(fixture_site):
    site = fixture_site(notes=NOTES)
    site.build(strict=True)
    page = site.html("notes/on-unions/")
    assert page.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../12/"
    assert page.select_one('link[rel="canonical"]')["href"] == "../12/"
    assert page.select_one("a")["href"] == "../12/"
    # The relative target resolves to the note from the alias's own directory.
    assert (site.site / "notes/on-unions" / "../12/index.html").resolve().is_file()
    old = site.html("old/unions.html")
    assert old.select_one("a")["href"] == "../notes/12/"


def test_alias_that_would_hide_a_page_is_an_error(fixture_site):
    site = fixture_site(notes={"0001-a.md": "# A\n", "0002-b.md": "---\naliases: [notes/1/]\n---\n# B\n"})
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert ("notes/0002-b.md:2: error: alias 'notes/1/' is already used by notes/0001-a.md; "
            "remove it or pick another") in failure.value.message


def test_edit_link_points_at_the_note_source(fixture_site):
    config = BASE_CONFIG.format(plugin_options="").replace(
        "site_name: Test caucus\n",
        "site_name: Test caucus\nrepo_url: https://forge.example/caucus/site\nedit_uri: edit/main/docs/\n"
    ).replace("  font: false\n", "  font: false\n  features: [content.action.edit]\n")
    site = fixture_site(notes=NOTES, config=config)
    site.build(strict=True)
    edit = site.html("notes/12/").select_one('a[title="Edit this page"]')
    assert edit["href"] == "https://forge.example/caucus/site/edit/main/notes/0012-unions.md"


def test_two_builds_of_the_same_input_are_byte_identical(fixture_site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = fixture_site(notes=NOTES)
    site.build()
    first = {p.relative_to(site.site): p.read_bytes() for p in sorted(site.site.rglob("*")) if p.is_file()}
    site.build()
    second = {p.relative_to(site.site): p.read_bytes() for p in sorted(site.site.rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [str(p) for p in first if first[p] != second[p]] == []


def test_the_preview_makes_the_feed_again_only_when_an_entry_changes(fixture_site, monkeypatch):
    """The live preview keeps the feed while edits change no note's entry in it (a note's text is not in
    it); a changed summary or title, or an undated note under another SOURCE_DATE_EPOCH, makes it again."""
    from generator import pipeline
    from generator.cli import load_settings
    from generator.sources import NoteCache

    site = fixture_site(notes={"0001-a.md": "---\ndate: 2024-01-01\nsummary: First.\n---\n# A\n\nText.\n",
                               "0002-b.md": "# B\n\nUndated.\n"})
    settings, cache, made = load_settings(site.root / "mkdocs.yml"), NoteCache(), []
    real = pipeline.atom_feed
    monkeypatch.setattr(pipeline, "atom_feed", lambda *args: made.append(1) or real(*args))
    first = pipeline.build_site(settings, cache).files["feed.xml"]
    site.write("notes/0001-a.md", "---\ndate: 2024-01-01\nsummary: First.\n---\n# A\n\nOther words.\n")
    assert pipeline.build_site(settings, cache).files["feed.xml"] == first and len(made) == 1
    for edit in ("summary: Changed.", "title: Retitled\nsummary: First."):
        site.write("notes/0001-a.md", f"---\ndate: 2024-01-01\n{edit}\n---\n# A\n\nOther words.\n")
        again = pipeline.build_site(settings, cache).files["feed.xml"]
        assert again != first and again == pipeline.build_site(settings).files["feed.xml"]
    before = pipeline.build_site(settings, cache).files["feed.xml"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "172800")
    assert pipeline.build_site(settings, cache).files["feed.xml"] != before  # undated notes take SOURCE_DATE_EPOCH
