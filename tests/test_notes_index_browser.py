"""The notes index and the home page's latest notes as a reader's phone shows them: no sideways
scrolling at 320 px, body text at 16 px or more, every note's date and summary readable."""

from __future__ import annotations

import shutil

import pytest

from browser import axe_violations, opened_page, static_site
from conftest import BASE_CONFIG, PROJECT_ROOT

pytestmark = pytest.mark.browser

STYLES = ("assets/caucus.css", "assets/caucus-index.css")
LONG_WORD = "Gewerkschaftsversammlungsberichterstattungsgrundsätze"  # wider than a phone at 16 px


def many_notes(count: int = 40) -> dict[str, str]:
    notes = {}
    for n in range(1, count + 1):
        year = 2016 + n % 9
        title = f"What caucuses should work for in the {LONG_WORD if n % 7 == 0 else 'long run'} {n}"
        notes[f"{n:04d}.md"] = (f"---\ntitle: {title}\ndate: {year}-0{1 + n % 9}-1{n % 10}\n"
                                f"tags: [unions, housing-and-tenants-{n % 5}]\n"
                                f"summary: Why members organize inside {LONG_WORD if n % 5 == 0 else 'unions'} "
                                "and what the caucus asks of them there.\n---\nText.\n")
    notes["Pasted without anything.md"] = "Text only.\n"
    return notes


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory):
    from conftest import SiteFolder

    folder = SiteFolder(tmp_path_factory.mktemp("notes-index"))
    config = BASE_CONFIG.format(plugin_options="") + "extra_css:\n" + "".join(f"  - {s}\n" for s in STYLES)
    folder.write("mkdocs.yml", config)
    folder.write("docs/index.md", "# Home\n\nWhat the caucus is.\n\n## Latest notes\n\n<!-- caucus:latest-notes -->\n")
    folder.write("docs/tags.md", "# Tags\n\n<!-- material/tags -->\n")
    for style in STYLES:
        (folder.root / "docs" / style).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / "docs" / style, folder.root / "docs" / style)
    for rel, text in many_notes().items():
        folder.write(f"notes/{rel}", text)
    folder.write("notes/series.yml", "An introductory overview:\n  summary: Where a new member starts.\n  notes: 1-13\n")
    return folder.build(strict=True)


LAYOUT = """() => {
  const entries = [...document.querySelectorAll("article li")].filter(li => li.querySelector(":scope > .caucus-entry"));
  const size = el => parseFloat(getComputedStyle(el).fontSize);
  return {
    width: document.documentElement.scrollWidth,
    entries: entries.length,
    bullets: entries.filter(li => getComputedStyle(li.parentElement).listStyleType !== "none").length,
    smallest: Math.min(...entries.flatMap(li => [size(li), size(li.querySelector("a")), size(li.querySelector(".caucus-entry"))])),
    metaOwnLine: entries.filter(li => li.querySelector(".caucus-entry").textContent)
      .every(li => li.querySelector(".caucus-entry").getBoundingClientRect().top
                   > li.querySelector("a").getBoundingClientRect().bottom - 2),
  };
}"""


@pytest.mark.parametrize("width", [320, 390, 1366])
@pytest.mark.parametrize("url,listed", [("notes/", 41 + 1), ("", 10), ("notes/series/an-introductory-overview/", 13)])
@pytest.mark.parametrize("javascript", [True, False])
def test_lists_of_notes_fit_a_phone_at_body_size(notes_site, serve, chromium, width, url, listed, javascript):
    base = serve(static_site(notes_site))
    with opened_page(chromium, javascript=javascript) as tab:
        tab.page.set_viewport_size({"width": width, "height": 800})
        tab.page.goto(base + url, wait_until="networkidle")
        layout = tab.page.evaluate(LAYOUT)
        assert tab.errors == []
    assert layout["entries"] == listed
    assert layout["width"] <= width, layout
    assert layout["smallest"] >= 16, layout
    assert layout["bullets"] == 0 and layout["metaOwnLine"], layout


@pytest.mark.parametrize("url", ["notes/", "", "notes/series/an-introductory-overview/"])
def test_lists_of_notes_have_no_accessibility_violations(notes_site, serve, browser_page, url):
    base = serve(static_site(notes_site))
    browser_page.page.goto(base + url, wait_until="networkidle")
    assert axe_violations(browser_page.page, "html", tags=None) == []
    assert browser_page.errors == []
