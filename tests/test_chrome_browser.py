"""The site's chrome in Chromium: both colour schemes at WCAG AAA contrast, the scheme toggle, the
heading order readers see, and the join page on a phone."""

from __future__ import annotations

import pytest

from browser import axe_violations, opened_page, static_site

pytestmark = pytest.mark.browser

SCHEME_PAGES = ("", "notes/", "notes/what-caucuses-should-work-for/", "join/", "projects/", "projects/tanc/")
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.fixture(scope="module")
def served_project(project_site):
    from browser import serving

    with serving(static_site(project_site)) as base:
        yield base


@pytest.mark.parametrize("system", SCHEMES)
@pytest.mark.parametrize("url", SCHEME_PAGES)
def test_each_scheme_follows_the_system_and_passes_aaa_contrast(served_project, chromium, system, url):
    with opened_page(chromium, color_scheme=system) as tab:
        tab.page.goto(served_project + url, wait_until="networkidle")
        assert tab.page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[system]
        assert axe_violations(tab.page, "html", rules=["color-contrast-enhanced"]) == []
        assert tab.errors == []


def test_the_toggle_switches_the_scheme_and_the_choice_stays_on_the_next_page(served_project, chromium):
    with opened_page(chromium, color_scheme="light") as tab:
        page = tab.page
        page.goto(served_project, wait_until="networkidle")
        page.get_by_title("Switch to the dark scheme").click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        page.goto(served_project + "notes/", wait_until="networkidle")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        page.get_by_title("Switch to the light scheme").click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
        assert tab.errors == []


HEADING_STYLE = """(tag) => { const h = document.querySelector('article ' + tag); const s = getComputedStyle(h);
    return [parseFloat(s.fontSize), Number(s.fontWeight), s.color]; }"""


@pytest.mark.parametrize("system", SCHEMES)
def test_the_title_is_the_strongest_heading(served_project, chromium, system):
    with opened_page(chromium, color_scheme=system) as tab:
        tab.page.goto(served_project + "join/", wait_until="networkidle")
        h1_size, h1_weight, h1_color = tab.page.evaluate(HEADING_STYLE, "h1")
        h2_size, h2_weight, h2_color = tab.page.evaluate(HEADING_STYLE, "h2")
        body_color = tab.page.evaluate("getComputedStyle(document.querySelector('article p')).color")
        assert h1_size > h2_size and h1_weight > h2_weight
        assert h1_color == body_color  # full strength, not Material's paler grey
