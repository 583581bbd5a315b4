"""`caucus-site export`: the same site, built by plain MkDocs without the caucus plugin."""

from __future__ import annotations

import logging

from bs4 import BeautifulSoup
from click.testing import CliRunner

from conftest import SiteFolder
from generator.cli import main
from test_site import NOTES, PROJECTS


def pages(site_dir):
    """url -> (article text, hrefs in the article) for every page of a built site."""
    result = {}
    for html in sorted(site_dir.rglob("index.html")):
        article = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if article is None:
            continue
        url = html.parent.relative_to(site_dir).as_posix()
        result[url] = (article.get_text(" ", strip=True), [a.get("href") for a in article.find_all("a")])
    return result


def test_export_builds_the_same_pages_and_links_without_the_plugin(fixture_site, tmp_path):
    site = fixture_site(notes=NOTES, docs=PROJECTS)
    site.build(strict=True)
    target = tmp_path / "exported"
    result = CliRunner().invoke(main, ["export", "-f", str(site.root / "mkdocs.yml"), str(target)])
    assert result.exit_code == 0, result.output
    exported_config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- caucus" not in exported_config and "notes_dir" not in exported_config
    exported = SiteFolder(target)
    exported.build(strict=True)
    assert [r for r in exported.records if r.levelno >= logging.WARNING] == []
    assert pages(exported.site) == pages(site.site)
    assert (exported.site / "notes.json").read_bytes() == (site.site / "notes.json").read_bytes()
    assert (exported.site / "feed.xml").read_bytes() == (site.site / "feed.xml").read_bytes()


def test_export_refuses_a_site_with_errors(fixture_site, tmp_path):
    site = fixture_site(notes={"a.md": "---\nnumber: 0\n---\n# A\n"})
    result = CliRunner().invoke(main, ["export", "-f", str(site.root / "mkdocs.yml"), str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "notes/a.md:2: error:" in result.output and not (tmp_path / "out").exists()


def test_export_keeps_what_notes_written_elsewhere_link_and_show(fixture_site, tmp_path):
    site = fixture_site(notes={
        "0012-unions.md": "# Unions\n\n## Rent\n\nText.\n",
        "0013-links.md": '# Links\n\n```ts title="a.ts"\nconst a = "[[12]]"\n```\n\nSee [the unions note](0012-unions.md), '
                         "[[Unions#Rent]] and ![[flow.png|300]].\n\n![[Unions]]\n",
    })
    (site.root / "notes/flow.png").write_bytes(b"\x89PNG\r\n")
    site.build(strict=True)
    target = tmp_path / "exported"
    assert CliRunner().invoke(main, ["export", "-f", str(site.root / "mkdocs.yml"), str(target)]).exit_code == 0
    exported = SiteFolder(target)
    exported.build(strict=True)
    assert pages(exported.site)["notes/13"] == pages(site.site)["notes/13"]
    assert (exported.site / "notes/flow.png").is_file()
