"""Material's search in Chromium: the index is downloaded only when a reader is about to search,
and search and its highlighting then work as Material made them."""

from __future__ import annotations

import pytest

from browser import static_site

pytestmark = pytest.mark.browser

NOTE = "notes/what-caucuses-should-work-for/"
INDEX = "search/search_index.json"


def index_requests(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if request.url.endswith(INDEX) else None)
    return requests


def test_reading_a_page_downloads_no_search_index(project_site, serve, browser_page):
    page = browser_page.page
    requests = index_requests(page)
    page.goto(serve(static_site(project_site)) + NOTE, wait_until="networkidle")
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(500)
    assert requests == []
    assert browser_page.errors == []


@pytest.mark.parametrize("open_search", ["keyboard", "click"])
def test_opening_search_downloads_the_index_and_finds_notes(project_site, serve, browser_page, open_search):
    page = browser_page.page
    requests = index_requests(page)
    page.goto(serve(static_site(project_site)) + NOTE, wait_until="networkidle")
    if open_search == "keyboard":
        page.keyboard.press("/")  # Material's shortcut
    else:
        page.locator(".md-search__input").click()
    page.keyboard.type("caucuses")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15_000)
    assert len(requests) == 1
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any(NOTE in href for href in hrefs)
    assert browser_page.errors == []


def test_a_page_opened_from_a_result_highlights_the_words(project_site, serve, browser_page):
    page = browser_page.page
    requests = index_requests(page)
    page.goto(serve(static_site(project_site)) + NOTE + "?h=caucuses", wait_until="networkidle")
    marks = page.locator("article mark")
    marks.first.wait_for(timeout=15_000)
    assert marks.first.inner_text().lower() == "caucuses"
    assert len(requests) == 1
    assert browser_page.errors == []
