"""`caucus-site export --engine zensical`: the exported site built by Zensical as MkDocs builds it.

Material for MkDocs' successor, Zensical, reads mkdocs.yml and runs the same Python-Markdown
extensions (the site's own `generator.flavour` too), but no MkDocs plugin: the export is how a
caucus takes its site there. A fixture site whose notes cite each other, link by wikilink and to a
heading, carry tags, a callout and math, is exported twice (for MkDocs, and for Zensical), built by
each engine, and read as a reader gets it.

What must agree, note page by note page: that the page exists; where every link in the article
leads (each href resolved against the page to a site path, fragment kept); and the text of the
article. What is left out of the comparison, because the themes legitimately differ there:

- the tag list: Material (with MkDocs' tags plugin) puts it above the heading, Zensical below the
  text. The tags are compared as a set, and their links are among the links compared;
- the header anchors' pilcrows (`a.headerlink`, the same "¶" in both but not the reader's text)
  and Zensical's empty skip target (`a#__skip`, no href): chrome, not content;
- the order of links, which follows the tag list; the links are compared as a sorted list, so a
  link missing or doubled under Zensical still fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from posixpath import join as url_join, normpath

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import BASE_CONFIG, PROJECT_ROOT, SiteFolder, require
from generator.cli import main
from generator.export import for_zensical

ZENSICAL = Path(sys.executable).parent / "zensical"

NOTES = {
    "0001-rank-and-file.md": """\
        ---
        title: Rank and file
        date: 2024-01-10
        tags: [unions, strategy]
        ---

        # Rank and file

        Caucuses start on the shop floor, as Strategy Note 2 shows.
        Strategy Notes 2 and 3 say where they meet; see also [[Tenant power]]
        and [the section on rent](0003-tenant-power.md#rent).

        > [!tip] Start small
        > One workplace, then $n+1$.

        ## Committees

        A committee of five meets weekly.
        """,
    "0002-shop-floor.md": """\
        ---
        title: Shop floor
        date: 2024-02-11
        tags: [unions]
        summary: Organizing where people work.
        ---

        # Shop floor

        Strategy Note 1 begins the argument; [[Rank and file#Committees|its committees]] carry it.

        Text with ==a highlight==.
        """,
    "0003-tenant-power.md": """\
        ---
        title: Tenant power
        date: 2024-03-12
        tags: [housing, strategy]
        ---

        # Tenant power

        Tenants organize as workers do (Strategy Note 2).

        ## Rent

        Rent strikes need a union behind them.
        """,
}

DOCS = {"about.md": "# About\n\nThe caucus publishes [its notes](notes/index.md).\n"}


def export(site: SiteFolder, target: Path, *options: str) -> Path:
    result = CliRunner().invoke(main, ["export", *options, "-f", str(site.root / "mkdocs.yml"), str(target)])
    assert result.exit_code == 0, result.output
    return target


def zensical_build(root: Path) -> Path:
    """`zensical build --strict` in a subprocess, importing `generator.flavour` from this checkout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([str(ZENSICAL), "build", "--strict"], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def note_pages(site: Path) -> dict[str, BeautifulSoup]:
    """notes/<n>/ -> the page's article, for every note page of a built site."""
    pages = {}
    for html in sorted((site / "notes").glob("*/index.html")):
        article = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        assert article is not None, html
        pages[f"notes/{html.parent.name}/"] = article
    return pages


def site_path(url: str, href: str) -> str:
    """Where a relative href on the page at `url` leads: "notes/3/#rent" (fragment kept)."""
    path, _, fragment = href.partition("#")
    target = normpath(url_join(url, path)) if path else url.rstrip("/")
    target = "" if target == "." else target + ("/" if path.endswith("/") or not path else "")
    return target + (f"#{fragment}" if fragment else "")


def read(url: str, article: BeautifulSoup) -> dict:
    """What a reader of the page gets: where its links lead, its tags, its text (see the module)."""
    article = BeautifulSoup(str(article), "html.parser")  # a copy: the chrome is taken out below
    links = sorted(site_path(url, a["href"]) for a in article.find_all("a", href=True) if "://" not in a["href"])
    tags = sorted(a.get_text(strip=True) for a in article.select("nav.md-tags a"))
    for chrome in article.select("nav.md-tags, a.headerlink, a#__skip"):
        chrome.decompose()
    return {"links": links, "tags": tags, "text": " ".join(article.get_text(" ").split())}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(MkDocs' note pages, Zensical's note pages, Zensical's site folder), built once for the module."""
    require(ZENSICAL.exists(), f"Zensical is not installed next to {sys.executable} (requirements.lock pins it)")

    root = tmp_path_factory.mktemp("source")
    site = SiteFolder(root)
    site.write("mkdocs.yml", BASE_CONFIG.format(plugin_options=""))
    for rel, text in {"index.md": "# Home\n\n<!-- caucus:latest-notes -->\n",
                      "tags.md": "# Tags\n\n<!-- material/tags -->\n", **DOCS}.items():
        site.write(f"docs/{rel}", text)
    for rel, text in NOTES.items():
        site.write(f"notes/{rel}", text)
    mkdocs_export = SiteFolder(export(site, tmp_path_factory.mktemp("mkdocs") / "export"))
    zensical_site = zensical_build(export(site, tmp_path_factory.mktemp("zensical") / "export", "--engine", "zensical"))
    return note_pages(mkdocs_export.build(strict=True)), note_pages(zensical_site), zensical_site


def test_zensical_builds_every_note_page_mkdocs_builds(builds):
    mkdocs, zensical, _ = builds
    assert sorted(zensical) == sorted(mkdocs) == ["notes/1/", "notes/2/", "notes/3/"]


def test_every_link_of_every_note_page_leads_where_it_does_under_mkdocs(builds):
    mkdocs, zensical, _ = builds
    for url in mkdocs:
        assert read(url, zensical[url])["links"] == read(url, mkdocs[url])["links"], url


def test_the_links_a_reader_follows_are_there_under_zensical(builds):
    _, zensical, site = builds
    first, second, third = (read(url, zensical[url])["links"] for url in ("notes/1/", "notes/2/", "notes/3/"))
    assert {"notes/2/", "notes/3/", "notes/3/#rent", "tags/#tag:unions", "tags/#tag:strategy"} <= set(first)
    assert {"notes/1/", "notes/1/#committees"} <= set(second)  # a citation and a wikilink to a heading
    assert "notes/1/" in third and "notes/2/" in third  # a citation and the backlink from note 1
    assert first.count("notes/2/") >= 2  # cited twice in the text ("Strategy Note 2", "Strategy Notes 2 and 3")
    graph = zensical["notes/1/"].select("figure.caucus-graph a[href]")  # raw HTML: links MkDocs leaves as written
    assert sorted(site_path("notes/1/", a["href"]) for a in graph) == ["graph/", "notes/1/", "notes/2/", "notes/3/"]
    for url in ("notes/2/", "notes/3/", "graph/"):
        assert (site / url / "index.html").is_file()
    page = BeautifulSoup((site / "notes/3/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("#rent") is not None  # the fragment linked to is on the page
    assert BeautifulSoup((site / "notes/1/index.html").read_text(encoding="utf-8"),
                         "html.parser").select_one("#committees") is not None


def test_the_text_and_tags_of_every_note_page_agree(builds):
    mkdocs, zensical, _ = builds
    for url in mkdocs:
        ours, theirs = read(url, zensical[url]), read(url, mkdocs[url])
        assert ours["text"] == theirs["text"], url
        assert ours["tags"] == theirs["tags"], url
    assert "Caucuses start on the shop floor" in read("notes/1/", zensical["notes/1/"])["text"]


def test_zensical_runs_the_sites_markdown_extension(builds):
    """`generator.flavour` (named in the exported mkdocs.yml) turned the callout and the math into
    the theme's admonition and MathML, and pymdownx.mark the highlight, as under MkDocs."""
    mkdocs, zensical, _ = builds
    for pages in (mkdocs, zensical):
        callout = pages["notes/1/"].select_one("div.admonition.tip")
        assert callout is not None and callout.select_one(".admonition-title").get_text() == "Start small"
        assert callout.select_one("math") is not None
        assert pages["notes/2/"].select_one("mark").get_text() == "a highlight"


@pytest.mark.parametrize(("rel", "text", "expected"), [
    ("notes/1.md", '<a href="../59/">59</a> <a href="./">here</a> <a href="../../graph/">all</a>',
     '<a href="59/">59</a> <a href="1/">here</a> <a href="../graph/">all</a>'),
    ("notes/1.md", '<img src="../flow.png" alt=""> <a href="../3/#rent">rent</a>',
     '<img src="flow.png" alt=""> <a href="3/#rent">rent</a>'),
    ("notes/1.md", '<a href="#top">t</a> <a href="https://example.org/">e</a> <a href="/x/">x</a>'
                   ' <a href="&#109;&#97;&#105;&#108;&#116;&#111;&#58;a@b">m</a>', None),
    ("notes/1.md", '```html\n<a href="../59/">59</a>\n```\n\nSee `<a href="../59/">`.', None),
    ("notes/index.md", '<a href="12/">12</a>', None),  # the page's URL is its file's folder
    ("about.md", '<a href="../notes/12/">12</a>', '<a href="notes/12/">12</a>'),
])
def test_raw_html_links_are_written_relative_to_the_markdown_file_for_zensical(rel, text, expected):
    assert for_zensical(text, rel) == (text if expected is None else expected)
    assert for_zensical(text, rel, directory_urls=False) == text  # notes/1.html: the same folder
