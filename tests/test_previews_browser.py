"""Link previews in Chromium: by keyboard focus, by pointing and by holding a touch; Escape closes
them; the target is read from the site itself, under the site's Content-Security-Policy."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import axe_violations, static_site
from conftest import BASE_CONFIG, PROJECT_ROOT

pytestmark = pytest.mark.browser

NOTES = {
    "0001-base.md": """\
        ---
        title: Base power
        summary: Where a caucus's power comes from.
        ---
        Members who talk to their coworkers every week are the base.

        ## Tactics

        One conversation at a time, written down afterwards.
        """,
    "0002-tenants.md": """\
        ---
        title: Tenant unions
        ---
        Building on Strategy Note 1, tenants organise by building. See [[Base power#Tactics|the tactics]] for how.

        Also the [outside world](https://example.org/), [[#Later]] and [[projects/tenant-union]].

        ## Later

        A paragraph under a heading of this page.
        """,
}
CONFIG = BASE_CONFIG.replace("  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n") + (
    "extra_css:\n  - assets/caucus.css\n  - assets/caucus-graph.css\n  - assets/caucus-previews.css\n"
    "extra_javascript:\n  - assets/caucus/previews.js\n")


@pytest.fixture
def note_page(fixture_site, serve):
    styles = {f"assets/{name}": (PROJECT_ROOT / "docs/assets" / name).read_text(encoding="utf-8")
              for name in ("caucus.css", "caucus-graph.css", "caucus-previews.css")}
    styles["projects/tenant-union.md"] = ("---\ntitle: Tenant union\nkind: real\nsummary: A union of the tenants of "
                                          "one landlord.\n---\n# Tenant union\n\nIt started in one building.\n")
    site = fixture_site(notes=NOTES, config=CONFIG.format(plugin_options=""), docs=styles)
    site.build(strict=True)
    return serve(static_site(site.site)) + "notes/2/"


def requests_elsewhere(page) -> list[str]:
    foreign: list[str] = []
    page.on("request", lambda request: foreign.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:")
            else None)
    return foreign


def tab_to(page, link) -> None:
    """Press Tab until the link has the keyboard focus, as a keyboard user reaches it."""
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            return
    raise AssertionError("the link is never reached with Tab")


def test_keyboard_focus_shows_the_targets_title_summary_and_first_paragraph_and_escape_closes_it(note_page,
                                                                                                 browser_page):
    from playwright.sync_api import expect

    page = browser_page.page
    foreign = requests_elsewhere(page)
    page.goto(note_page, wait_until="networkidle")
    preview = page.locator("#caucus-preview")
    link = page.locator("article a", has_text="Strategy Note 1").first
    tab_to(page, link)
    expect(preview).to_be_visible()
    expect(preview.locator(".caucus-preview__label")).to_have_text("Strategy Note 1")
    expect(preview.locator(".caucus-preview__title")).to_have_text("Base power")
    expect(preview.locator(".caucus-preview__summary")).to_have_text("Where a caucus's power comes from.")
    expect(preview.locator(".caucus-preview__text")).to_have_text(
        "Members who talk to their coworkers every week are the base.")
    assert preview.get_attribute("role") == "tooltip"
    assert link.get_attribute("aria-describedby") == "caucus-preview"
    assert axe_violations(page, "#caucus-preview", tags=None) == []
    page.screenshot(path="/tmp/preview_focus.png")

    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    assert link.get_attribute("aria-describedby") is None
    assert link.evaluate("a => a === document.activeElement")  # Escape closes, focus stays

    page.keyboard.press("Tab")  # the heading link after it: its own heading and paragraph
    expect(preview.locator(".caucus-preview__title")).to_have_text("Base power › Tactics")
    expect(preview.locator(".caucus-preview__text")).to_have_text("One conversation at a time, written down afterwards.")
    page.keyboard.press("Tab")  # a link to another host gets no preview
    expect(preview).to_be_hidden()
    assert foreign == [] and browser_page.errors == []


def test_pointing_shows_the_preview_which_stays_while_pointed_at_and_goes_after(note_page, browser_page):
    from playwright.sync_api import expect

    page = browser_page.page
    foreign = requests_elsewhere(page)
    page.goto(note_page, wait_until="networkidle")
    preview = page.locator("#caucus-preview")
    page.locator("article a", has_text="Later").first.hover()
    expect(preview.locator(".caucus-preview__title")).to_have_text("Tenant unions › Later")
    expect(preview.locator(".caucus-preview__text")).to_have_text("A paragraph under a heading of this page.")
    preview.hover()  # moving into the preview keeps it open
    page.wait_for_timeout(500)
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    page.locator("article a", has_text="Tenant union").first.hover()  # a project page
    expect(preview.locator(".caucus-preview__title")).to_have_text("Tenant union")
    expect(preview.locator(".caucus-preview__summary")).to_have_text("A union of the tenants of one landlord.")
    expect(preview.locator(".caucus-preview__text")).to_have_text("It started in one building.")
    page.locator("article a", has_text="Strategy Note 1").first.hover()
    expect(preview.locator(".caucus-preview__title")).to_have_text("Base power")
    page.mouse.move(5, 5)
    expect(preview).to_be_hidden()
    assert foreign == [] and browser_page.errors == []


def test_holding_a_touch_shows_the_preview_without_following_the_link(note_page, chromium):
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(note_page, wait_until="networkidle")
        link = page.locator("article a", has_text="Strategy Note 1").first
        touch = {"pointerType": "touch", "isPrimary": True, "bubbles": True}
        link.dispatch_event("pointerdown", touch)
        page.wait_for_timeout(700)
        link.dispatch_event("pointerup", touch)
        link.dispatch_event("click")
        preview = page.locator("#caucus-preview")
        expect(preview.locator(".caucus-preview__title")).to_have_text("Base power")
        assert page.url == note_page  # the held link was not followed
        box = preview.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # inside a phone's screen
        page.screenshot(path="/tmp/preview_touch.png")
        page.locator("h1").dispatch_event("pointerdown", touch)  # a tap elsewhere closes it
        expect(preview).to_be_hidden()
        link.click()  # a plain tap still follows the link
        page.wait_for_url("**/notes/1/")
    finally:
        context.close()


def test_the_neighbourhood_graph_is_seen_and_heard_and_its_nodes_lead_to_their_notes(note_page, browser_page):
    from playwright.sync_api import expect

    page = browser_page.page
    page.goto(note_page, wait_until="networkidle")
    figure = page.locator("figure.caucus-graph")
    expect(figure).to_be_visible()
    svg = figure.get_by_role("group", name="Strategy Note 2 and the notes it cites or that cite it")
    expect(svg).to_have_accessible_description("Cites 1 note: Strategy Note 1: Base power.")
    assert svg.bounding_box()["width"] > 300
    assert axe_violations(page, "figure.caucus-graph", tags=None) == []
    figure.locator("a", has_text="1").locator("circle").click()
    page.wait_for_url("**/notes/1/")
    assert browser_page.errors == []


def test_the_graph_page_fits_a_phone_and_scrolls_inside_its_box(note_page, chromium):
    context = chromium.new_context(viewport={"width": 320, "height": 700}, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(note_page.replace("notes/2/", "graph/"), wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        box = page.locator(".caucus-graph__scroll")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the graph keeps a readable size
        assert axe_violations(page, "figure.caucus-graph", tags=None) == []
        page.screenshot(path="/tmp/graph_320.png")
    finally:
        context.close()
