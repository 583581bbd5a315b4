"""A note's page in a real browser, with the project's look: the Notes tab active, each connected
note once and set apart from the note, previous and next in the footer, the reason an unresolved
citation gives reached by keyboard and touch, no sideways scrolling on a phone, and axe clean."""

from __future__ import annotations

import pytest

from browser import axe_violations, static_site
from conftest import BASE_CONFIG, PROJECT_ROOT

pytestmark = pytest.mark.browser

PASSAGE = ("Tenants who meet in their building every week learn to trust each other long before any "
           "landlord notices them.")
NOTES = {
    "0012-unions.md": """\
        ---
        title: On unions
        date: 2024-05-01
        tags: [unions, caucus]
        projects: [tenant-union]
        summary: Why caucuses organize inside unions.
        ---
        Caucuses grow inside unions, as Strategy Note 14 argues.

        ## Where to start

        Where members already talk. Strategy Note 299 describes a first meeting.
        """,
    "0014-tenants.md": f"---\ntitle: Tenants\ntags: [caucus]\n---\nTenant power builds on Strategy Notes 12 and 15.\n\n{PASSAGE}\n",
    "0015-inquiry.md": f"---\ntitle: Inquiry\ntags: [unions]\n---\nInquiry first, then Strategy Note 12.\n\n{PASSAGE}\n",
}
SIZES = ((320, 700), (390, 844), (1366, 900))


@pytest.fixture(scope="module")
def note_site(tmp_path_factory):
    from conftest import SiteFolder

    folder = SiteFolder(tmp_path_factory.mktemp("note-page"))
    config = BASE_CONFIG.format(plugin_options="      unresolved_references: info").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n"
        "  palette:\n    primary: custom\n    accent: custom\n  features: [navigation.tabs, navigation.footer]\n"
        "extra_css:\n  - assets/caucus.css\n  - assets/caucus-note.css\n")
    folder.write("mkdocs.yml", config)
    docs = {"index.md": "# Home\n", "tags.md": "# Tags\n\n<!-- material/tags -->\n",
            "projects/tenant-union.md": "---\ntitle: Tenant union\nkind: idea\n---\n# Tenant union\n"}
    for name in ("caucus.css", "caucus-note.css"):
        docs[f"assets/{name}"] = (PROJECT_ROOT / "docs/assets" / name).read_text(encoding="utf-8")
    for rel, text in docs.items():
        folder.write(f"docs/{rel}", text)
    for rel, text in NOTES.items():
        folder.write(f"notes/{rel}", text)
    folder.build(strict=True)
    return folder.site


@pytest.fixture
def opened(note_site, serve, browser_page):
    base = serve(static_site(note_site))

    def go(url: str, width: int = 1366, height: int = 900):
        browser_page.page.set_viewport_size({"width": width, "height": height})
        browser_page.page.goto(base + url, wait_until="networkidle")
        return browser_page.page

    yield go
    assert browser_page.errors == []


def test_notes_tab_is_active_and_connections_are_set_apart_each_note_once(opened):
    page = opened("notes/12/")
    active = page.locator(".md-tabs__item--active")
    assert active.count() == 1 and active.inner_text().strip() == "Notes" and active.is_visible()
    heading = page.locator("h2.caucus-connections")
    assert heading.evaluate("h => parseFloat(getComputedStyle(h).borderTopWidth)") >= 1  # a rule above
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    listed = page.locator("h2.caucus-connections + ul > li")
    assert listed.first.evaluate(size) < page.locator("article > p").nth(2).evaluate(size)  # a quieter type
    titles = [text.strip() for text in listed.locator("> p > a").all_inner_texts()]
    assert titles == ["Strategy Note 14: Tenants", "Strategy Note 15: Inquiry"]
    toc = [t.strip() for t in page.locator(".md-nav--secondary a").all_inner_texts()]
    assert toc == ["Where to start"]
    nxt = page.locator("a.md-footer__link--next")
    assert nxt.is_visible() and "Strategy Note 14: Tenants" in nxt.inner_text()


def test_unresolved_citation_says_why_to_keyboard_users(opened):
    page = opened("notes/12/")
    why = page.locator(".caucus-unresolved__why")
    assert why.bounding_box()["width"] <= 1  # hidden until reached
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('caucus-unresolved')"):
            break
    else:
        pytest.fail("Tab never reached the unresolved citation")
    box = why.bounding_box()
    assert why.inner_text().strip(" ()") == "Strategy Note 299 is not on this site"
    assert box["width"] > 100 and 0 <= box["x"] and box["x"] + box["width"] <= 1366 and box["y"] + box["height"] <= 900


@pytest.mark.parametrize("width,height", SIZES[:2])
def test_on_a_phone_nothing_scrolls_sideways_and_a_tap_shows_why(opened, width, height):
    for url in ("notes/12/", "notes/14/"):
        page = opened(url, width, height)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    page = opened("notes/12/", width, height)
    page.locator(".caucus-unresolved").click()  # a tap focuses it, as a click does
    box = page.locator(".caucus-unresolved__why").bounding_box()
    assert box["width"] > 100 and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_also_in_is_marked_as_the_sites(opened):
    page = opened("notes/14/")
    also = page.locator("p:has(> .caucus-also-in)")
    assert also.inner_text().startswith("This passage also appears in Strategy Note 15")
    size = "e => parseFloat(getComputedStyle(e).fontSize)"
    assert also.evaluate(size) < page.locator("article > p").nth(2).evaluate(size)


@pytest.mark.parametrize("url", ["notes/12/", "notes/14/"])
def test_note_pages_have_no_accessibility_violations(opened, url):
    page = opened(url)
    assert axe_violations(page, "html", tags=None) == []
    page.locator(".caucus-unresolved").first.focus() if page.locator(".caucus-unresolved").count() else None
    assert axe_violations(page, "html", tags=None) == []
