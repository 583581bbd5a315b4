"""The site's chrome in Chromium: both colour schemes at WCAG AAA contrast, the scheme toggle, the
heading order readers see, and the join page on a phone."""

from __future__ import annotations

from pathlib import Path

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


PASSWORD = "a long recruitment passphrase"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def join_url(tmp_path_factory):
    """The project's join page with its form configured, as CI builds it with both secrets."""
    import os
    import subprocess
    import sys

    from browser import serving
    from conftest import PROJECT_ROOT

    site = tmp_path_factory.mktemp("with-form") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CAUCUS_JOIN_PASSWORD": PASSWORD,
           "CAUCUS_JOIN_ACTION": "https://forms.example/caucus"}
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(site)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    with serving(static_site(site)) as base:
        yield base + "join/"


def test_on_a_phone_the_password_field_is_above_the_fold(join_url, chromium):
    with opened_page(chromium, viewport=PHONE) as tab:
        tab.page.goto(join_url, wait_until="networkidle")
        box = tab.page.get_by_label("Recruitment password").bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"]
        assert tab.page.get_by_role("heading", name="The sign-up form").is_visible()


def luminance(css_colour: str) -> float:
    """WCAG relative luminance of an opaque 'rgb(r, g, b)'."""
    channels = [int(part) / 255 for part in css_colour[css_colour.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("system", SCHEMES)
def test_an_invalid_field_has_a_strong_border_and_its_error_passes_aaa(join_url, chromium, system):
    with opened_page(chromium, viewport=PHONE, color_scheme=system) as tab:
        page = tab.page
        page.goto(join_url, wait_until="networkidle")
        page.get_by_label("Recruitment password").fill(PASSWORD)
        page.get_by_label("Recruitment password").press("Enter")
        page.get_by_role("button", name="Send").click()
        name = page.get_by_label("Name", exact=True)
        assert name.get_attribute("aria-invalid") == "true"
        width, border, background = name.evaluate(
            "el => { const s = getComputedStyle(el); return [parseFloat(s.borderTopWidth), s.borderTopColor,"
            " s.backgroundColor]; }")
        assert border.startswith("rgb(") and background.startswith("rgb(")  # opaque colours, not a tint
        assert width >= 2 and contrast(border, background) >= 3  # WCAG 1.4.11, non-text contrast
        assert axe_violations(page, ".caucus-join", rules=["color-contrast-enhanced"]) == []
        assert tab.errors == []


def under_a_folder(site: Path, folder: str = "/sub/"):
    """The site served from a folder of its host, as GitHub Pages serves a project's site: a missing
    address under the folder gets the site's 404.html with status 404."""
    base = static_site(site)

    class InFolder(base):
        def translate_path(self, path: str) -> str:
            return super().translate_path("/" + path.removeprefix(folder) if path.startswith(folder) else "/-")

        def send_error(self, code, message=None, explain=None) -> None:
            if code != 404 or not self.path.startswith(folder):
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return InFolder


@pytest.mark.parametrize("missing", ["notes/999/", "projects/gone/", "join/old/"])
def test_the_404_page_works_in_a_folder_of_the_host_without_site_url(project_site, serve, chromium, missing):
    host = serve(under_a_folder(project_site))
    with opened_page(chromium) as tab:
        failed: list[str] = []
        tab.page.on("requestfinished", lambda r: failed.append(r.url) if r.response().status >= 400 else None)
        response = tab.page.goto(host + "sub/" + missing, wait_until="networkidle")
        assert response.status == 404
        assert tab.page.get_by_role("heading", name="Page not found").is_visible()
        header = tab.page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert header == "rgb(163, 21, 21)"  # the site's stylesheets loaded
        assert tab.page.get_by_role("link", name="Home page").evaluate("a => a.href") == host + "sub/"
        assert tab.page.get_by_role("link", name="All strategy notes").evaluate("a => a.href") == host + "sub/notes/"
        # Chromium's preload scanner guesses assets from the address before the page's script sets its
        # base; those guesses (under the missing address) are the only failed requests.
        assert [url for url in failed if not url.startswith(host + "sub/" + missing)] == []
        assert [e for e in tab.errors if e.startswith("page error")] == []
