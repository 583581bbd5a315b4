"""The site's chrome as built HTML: titles, footer, the caucus's marks, and link-preview tags."""

from __future__ import annotations

from conftest import BASE_CONFIG, PROJECT_ROOT

HOME = "---\ntitle: Test caucus\n---\n# Test caucus\n\n<!-- caucus:latest-notes -->\n"


def chrome_site(fixture_site, site_url: str = ""):
    config = BASE_CONFIG.format(plugin_options="      contact_email: hello@caucus.example").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n")
    if site_url:
        config = f"site_url: {site_url}\n" + config
    site = fixture_site(notes={"0001-a.md": "---\nsummary: What A says.\n---\n# A\n\nText.\n"},
                        docs={"index.md": HOME}, config=config)
    site.build(strict=True)
    return site


def test_the_home_page_title_is_the_site_name_once_and_other_pages_add_theirs(fixture_site):
    site = chrome_site(fixture_site)
    assert site.html("").title.get_text() == "Test caucus"
    assert site.html("notes/1/").title.get_text() == "A - Test caucus"


def test_the_footer_names_the_caucus_and_links_its_contact_and_feed(fixture_site):
    site = chrome_site(fixture_site)
    footer = site.html("notes/1/").select_one("footer .caucus-footer")
    assert "Test caucus" in footer.get_text()
    assert [a["href"] for a in footer.select("a")] == ["mailto:hello@caucus.example", "../../feed.xml"]
    assert "Material for MkDocs" not in footer.get_text()


def test_link_preview_tags_and_canonical_only_with_a_site_url(fixture_site):
    site = chrome_site(fixture_site, site_url="https://caucus.example/sub/")
    page = site.html("notes/1/")
    og = {m["property"]: m["content"] for m in page.select("meta[property^='og:']")}
    assert page.select_one("link[rel=canonical]")["href"] == "https://caucus.example/sub/notes/1/"
    assert og["og:url"] == "https://caucus.example/sub/notes/1/"
    assert og["og:title"] == "A" and og["og:site_name"] == "Test caucus" and og["og:type"] == "article"
    assert site.html("").select_one("meta[property='og:type']")["content"] == "website"


def test_without_a_site_url_no_preview_tags_or_canonical(fixture_site):
    page = chrome_site(fixture_site).html("notes/1/")
    assert page.select("meta[property^='og:']") == [] and page.select("link[rel=canonical]") == []


def test_the_project_site_has_the_caucus_logo_and_favicon(project_site):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((project_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    for url in (page.select_one(".md-header .md-logo img")["src"], page.select_one("link[rel=icon]")["href"]):
        assert url.startswith("assets/") and (project_site / url).is_file()


def test_with_a_site_url_the_404_page_keeps_the_theme_s_links_from_that_folder(fixture_site):
    site = chrome_site(fixture_site, site_url="https://caucus.example/sub/")
    page = site.html("404.html")
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("/sub/assets/")
    assert "document.write" not in str(page) and page.title.get_text() == "Page not found - Test caucus"


def test_without_a_site_url_the_404_page_links_from_the_folder_its_script_finds(fixture_site):
    page = chrome_site(fixture_site).html("404.html")
    assert page.select_one("link[rel=stylesheet]")["href"].startswith("assets/")
    assert '"notes"' in page.head.script.string and "<base href=" in page.head.script.string
