"""The project's site in a real browser: no third-party requests, no CSP violations, no script
errors, and no accessibility violations on the pages readers use most."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from browser import axe_violations, static_site

KEY_PAGES = ("", "notes/", "notes/what-caucuses-should-work-for/", "projects/", "projects/tanc/",
             "join/", "statement/", "start/", "tags/")

pytestmark = pytest.mark.browser


def all_pages(site):
    return sorted(p.parent.relative_to(site).as_posix() + "/" if p.parent != site else ""
                  for p in site.rglob("index.html"))


def test_no_page_requests_another_host_or_breaks_its_policy(project_site, serve, browser_page):
    base = serve(static_site(project_site))
    page = browser_page.page
    foreign: list[str] = []
    page.on("request", lambda request: foreign.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:")
            else None)
    visited = all_pages(project_site)
    assert len(visited) >= len(KEY_PAGES)
    for url in visited:
        page.goto(base + url, wait_until="networkidle")
    assert foreign == []
    # Script errors and Content-Security-Policy violations both surface as console errors.
    assert browser_page.errors == []


@pytest.mark.parametrize("url", KEY_PAGES)
def test_key_pages_have_no_accessibility_violations(project_site, serve, browser_page, url):
    base = serve(static_site(project_site))
    browser_page.page.goto(base + url, wait_until="networkidle")
    assert axe_violations(browser_page.page, "html", tags=None) == []  # every rule, best practices too
    assert browser_page.errors == []
