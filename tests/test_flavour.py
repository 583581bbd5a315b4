"""Obsidian-flavoured Markdown on the site as Obsidian shows it: callouts, math, highlights."""

from __future__ import annotations

import json
import re

import pytest

from conftest import BASE_CONFIG, PROJECT_ROOT
from generator.flavour import CALLOUT_TYPES
from generator.references import find_references

WORDS = ("Strategy Note", "Strategy Notes")


def build_note(fixture_site, body: str, options: str = "unresolved_references: info"):
    notes = {"0012-target.md": "# Target\n\nThe note others cite.\n", "0001-a.md": body}
    site = fixture_site(notes=notes, options=options)
    site.build(strict=True)
    return site.article("notes/1/")


CALLOUTS = """\
    # A

    > [!note] Read this first
    > The body keeps **Markdown**, as in Strategy Note 12.
    >
    > - a list item
    > - another, with [a link](https://example.org/)
    >
    > ```python
    > x = 1
    > ```

    > [!tip]- Closed until opened
    > Folded text.

    > [!faq]+ Open but foldable
    > Open text citing Strategy Note 12.

    > [!question] Outer
    > > [!warning]
    > > Inner text.

    > [!mystery]
    > An unknown type.

    > A plain quote.
    """


def test_callouts_render_as_the_themes_admonitions_and_details(fixture_site):
    article = build_note(fixture_site, CALLOUTS)
    note = article.select_one("div.admonition.note")
    assert note.select_one("p.admonition-title").get_text() == "Read this first"
    assert note.select_one("strong").get_text() == "Markdown"
    assert [li.get_text() for li in note.select("ul > li")] == ["a list item", "another, with a link"]
    assert "x = 1" in note.select_one("pre code").get_text()
    assert note.select_one("a.caucus-ref")["href"] == "../12/"  # references still link

    closed = article.select_one("details.tip")
    assert closed.select_one("summary").get_text() == "Closed until opened" and not closed.has_attr("open")
    opened = article.select_one("details.question")
    assert opened.has_attr("open") and opened.select_one("a.caucus-ref")

    outer = article.select_one("div.admonition.question")
    inner = outer.select_one("div.admonition.warning")
    assert inner.select_one(".admonition-title").get_text() == "Warning" and "Inner text." in inner.get_text()
    unknown = [d for d in article.select("div.admonition.note") if "An unknown type." in d.get_text()]
    assert unknown and unknown[0].select_one(".admonition-title").get_text() == "Mystery"
    assert article.select_one("blockquote").get_text().strip() == "A plain quote."
    assert "[!" not in article.get_text()


def test_search_indexes_the_text_of_callouts_folded_or_not(fixture_site):
    site = fixture_site(notes={"0001-a.md": CALLOUTS, "0012-target.md": "# Target\n"},
                        options="unresolved_references: info")
    site.build(strict=True)
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("notes/1/"))
    assert "Folded text." in text and "Inner text." in text and "Read this first" in text


@pytest.mark.parametrize("written", sorted(CALLOUT_TYPES))
def test_every_obsidian_callout_type_and_alias_is_styled_as_its_type(written):
    import markdown

    html = markdown.markdown(f"> [!{written.upper()}]\n> Body\n", extensions=["generator.flavour"])
    assert f'<div class="admonition {CALLOUT_TYPES[written]}">' in html
    assert f'<p class="admonition-title">{written.capitalize()}</p>' in html


def test_callout_aliases_follow_obsidians_table():
    assert {alias for alias, kind in CALLOUT_TYPES.items() if kind != alias} == {
        "summary", "tldr", "hint", "important", "check", "done", "help", "faq", "caution", "attention",
        "fail", "missing", "error", "cite"}


MATH = """\
    # A

    Inline $e^{i\\pi} + 1 = 0$ and prices of $5 and $10.

    Neither $ 6 $ nor 5$x$ nor the escaped \\$x$ is math, but $x$ is, and $x$5 is not.

    $$
    \\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}
    $$

    $$x^2$$

    Math $Strategy Note 12$ holds no references; Strategy Note 12 outside it does.
    """


def test_math_is_mathml_made_at_build_time(fixture_site):
    article = build_note(fixture_site, MATH)
    inline = article.select("span.caucus-math > math")
    display = article.select("div.caucus-math > math")
    assert [m["display"] for m in inline] == ["inline", "inline", "inline"]
    assert [m["display"] for m in display] == ["block", "block"]
    assert display[0].select_one("mfrac") is not None and display[0].select_one("munderover") is not None
    assert "π" in inline[0].get_text()
    text = article.get_text()
    assert "prices of $5 and $10." in text
    assert "Neither $ 6 $ nor 5$x$ nor the escaped $x$ is math, but x is, and $x$5 is not." in " ".join(text.split())
    assert not article.select(".caucus-math a") and len(article.select("a.caucus-ref")) == 1


def test_a_dollar_inside_a_raw_html_tag_or_an_autolink_is_not_math():
    import markdown

    html = markdown.markdown('<span title="$x$">$y$</span> <https://example.org/$a$>', extensions=["generator.flavour"])
    assert html.count("<math") == 1 and 'title="$x$"' in html and 'href="https://example.org/$a$"' in html


def test_the_core_reads_no_reference_inside_math_and_every_one_in_a_callout():
    text = "> [!note] Strategy Note 1\n> Strategy Note 2\n\n$Strategy Note 3$ and $$[[4]]$$\n\n$$\nStrategy Note 5\n$$\n"
    assert [ref.written for ref in find_references(text, WORDS)] == ["Strategy Note 1", "Strategy Note 2"]


def test_math_the_converter_cannot_read_is_shown_as_written(fixture_site):
    article = build_note(fixture_site, "# A\n\nBroken $a^$ math.\n")
    assert article.select_one(".caucus-math code").get_text() == "a^"


def test_highlights_are_marked_text(fixture_site):
    article = build_note(fixture_site, "# A\n\nThis is ==the point, see Strategy Note 12==.\n")
    mark = article.select_one("mark")
    assert mark.get_text() == "the point, see Strategy Note 12" and mark.select_one("a.caucus-ref")


def test_flavoured_pages_load_nothing_and_need_no_script(fixture_site):
    config = BASE_CONFIG.format(plugin_options="      unresolved_references: info").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n")
    notes = {"0001-a.md": CALLOUTS + "\n" + MATH.split("\n", 1)[1] + "\n    ==marked==\n",
             "0012-target.md": "# Target\n"}
    site = fixture_site(notes=notes, config=config)
    site.build(strict=True)
    page = site.html("notes/1/")
    assert page.select("math") and page.select("details") and page.select("mark")
    for script in page.select("script[src]"):
        assert not re.match(r"(?i)(https?:)?//", script["src"])
        assert "katex" not in script["src"].lower() and "mathjax" not in script["src"].lower()
    for link in page.select("link[href]"):
        assert "alternate" in link.get("rel", []) or "canonical" in link.get("rel", []) \
            or not re.match(r"(?i)(https?:)?//", link["href"])


@pytest.mark.browser
def test_callouts_and_math_in_a_browser_under_the_sites_policy(fixture_site, serve, browser_page):
    from urllib.parse import urlsplit

    from browser import axe_violations, static_site

    config = BASE_CONFIG.format(plugin_options="      unresolved_references: info").replace(
        "  font: false\n", f"  font: false\n  custom_dir: {PROJECT_ROOT / 'overrides'}\n"
        "  palette:\n    primary: custom\n    accent: custom\nextra_css:\n  - assets/caucus.css\n")
    notes = {"0001-a.md": CALLOUTS + "\n" + MATH.split("\n", 1)[1], "0012-target.md": "# Target\n"}
    css = (PROJECT_ROOT / "docs/assets/caucus.css").read_text(encoding="utf-8")
    site = fixture_site(notes=notes, docs={"assets/caucus.css": css}, config=config)  # the project's look
    site.build(strict=True)
    base = serve(static_site(site.site))
    page = browser_page.page
    foreign: list[str] = []
    page.on("request", lambda request: foreign.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith("data:")
            else None)
    page.goto(base + "notes/1/", wait_until="networkidle")
    # Chromium lays MathML out itself: a fraction is taller than a line of text, with no script.
    fraction = page.locator("div.caucus-math mfrac").first.bounding_box()
    line = page.locator("article p").first.bounding_box()
    assert fraction and fraction["height"] > 20 and fraction["width"] > 0 and line
    assert page.locator("span.caucus-math math").first.bounding_box()["width"] > 0
    closed = page.locator("details.tip")
    assert not closed.evaluate("d => d.open") and not page.get_by_text("Folded text.").is_visible()
    closed.locator("summary").click()
    assert closed.evaluate("d => d.open") and page.get_by_text("Folded text.").is_visible()
    assert axe_violations(page, "article") == []
    assert foreign == [] and browser_page.errors == []


def test_descriptions_show_a_callouts_words_and_math_as_written(fixture_site):
    notes = {"0001-a.md": "> [!warning]- Before the meeting\n> Read the energy note: $E=mc^2$.\n",
             "0002-b.md": "# Energy $E=mc^2$\n\nText.\n"}
    site = fixture_site(notes=notes)
    site.build(strict=True)
    description = site.html("notes/1/").select_one('meta[name="description"]')["content"]
    assert description == "Before the meeting Read the energy note: $E=mc^2$."
    assert {n["number"]: n["title"] for n in site.notes_json()["notes"]}[2] == "Energy $E=mc^2$"
    assert site.article("notes/2/").select_one("h1").get_text() == "Energy $E=mc^2$"  # a title is text


def test_flavoured_pages_are_valid_html(fixture_site):
    import shutil
    import subprocess

    from conftest import require
    from test_validity import VNU

    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "the Nu HTML Checker needs Java and `npm ci` (vnu-jar)")
    notes = {"0001-a.md": CALLOUTS + "\n" + MATH.split("\n", 1)[1] + "\n    ==marked== and $a^$ and $\\sqrt[3]{x}$\n",
             "0012-target.md": "# Target\n"}
    site = fixture_site(notes=notes, options="unresolved_references: info")
    site.build(strict=True)
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "gnu",
                             str(site.site / "notes/1/index.html")], capture_output=True, text=True)
    assert result.stderr == "" and result.returncode == 0
