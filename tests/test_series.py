"""Series: notes meant to be read in order, declared in `notes/series.yml` or in front matter, each with
a page of its own listed on the notes index; bad series data is a finding at its line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import BuildFailed
from generator.cli import main


def numbered(count: int, start: int = 1) -> dict[str, str]:
    return {f"{n:04d}.md": f"---\ntitle: Part {n}\ndate: 2019-05-{n:02d}\nsummary: Summary {n}.\n---\nText.\n"
            for n in range(start, start + count)}


SERIES_FILE = """\
An introductory overview:
  summary: Where a new member starts.
  notes: [1-13]
"""


def entries(article) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in article.select("li > a:first-child")]


def check(site, *args):
    return CliRunner().invoke(main, ["check", "-f", str(site.root / "mkdocs.yml"), *args])


def test_a_series_file_gives_a_series_its_page_in_reading_order(fixture_site):
    site = fixture_site(notes={**numbered(15), "series.yml": SERIES_FILE})
    site.build(strict=True)
    page = site.article("notes/series/an-introductory-overview/")
    assert page.find("h1").get_text(strip=True) == "An introductory overview"
    assert "Where a new member starts." in page.get_text()
    assert "13 notes (1–13), in reading order." in page.get_text()
    assert entries(page) == [(f"Part {n}", f"../../{n}/") for n in range(1, 14)]
    assert page.select_one("li .caucus-entry").get_text(" ", strip=True) == "Strategy Note 1 · 1 May 2019"
    assert site.html("notes/series/an-introductory-overview/").select_one('meta[name="description"]')["content"] \
        == "Where a new member starts."
    assert not (site.site / "notes/series.yml").exists()  # read by the generator, not published


def test_the_notes_index_shows_the_series_first(fixture_site):
    site = fixture_site(notes={**numbered(15), "series.yml": SERIES_FILE})
    site.build(strict=True)
    article = site.article("notes/")
    assert [h.get_text(strip=True) for h in article.find_all("h2")] == ["Series", "2019"]
    series = article.find("h2", string="Series").find_next("ul")
    assert entries(series) == [("An introductory overview", "series/an-introductory-overview/")]
    assert series.get_text(" ", strip=True) == "An introductory overview 13 notes (1–13) Where a new member starts."
    assert article.select_one('a[href="#series"]') is not None


def test_front_matter_puts_a_note_in_a_series_in_its_order(fixture_site):
    notes = {
        "0001.md": "---\ntitle: One\nseries: Housing inquiry\nseries_order: 2\n---\nText.\n",
        "0002.md": "---\ntitle: Two\nseries: Housing inquiry\nseries_order: 1\n---\nText.\n",
        "0003.md": "---\ntitle: Three\nseries: housing inquiry\n---\nText.\n",  # same series, any case
        "0004.md": "---\ntitle: Four\n---\nText.\n",
    }
    site = fixture_site(notes=notes)
    site.build(strict=True)
    page = site.article("notes/series/housing-inquiry/")
    assert [title for title, _ in entries(page)] == ["Two", "One", "Three"]


@pytest.mark.parametrize("series_file, expected", [
    ("Overview:\n  notes: [1-2, 14]\n",
     "notes/series.yml:2: warning: series 'Overview' lists note 14, which is not on the site; "
     "the series page leaves it out"),
    ("Overview:\n  notes:\n    - 1\n    - 13-1\n",
     "notes/series.yml:4: error: series 'Overview': '13-1' is not a range of note numbers; "
     "write the first number first, e.g. '1-13'"),
    ("Overview:\n  notes:\n    - one to three\n",
     "notes/series.yml:3: error: series 'Overview': 'one to three' is not a note number or a range of them "
     "such as '1-13'"),
    ("Overview: [1, {a: b}]\n",
     "notes/series.yml:1: error: series 'Overview': '{a: b}' is not a note number or a range of them such as '1-13'"),
    ("Overview:\n  summary: Start here.\n",
     "notes/series.yml:1: error: series 'Overview' names no notes; add e.g. 'notes: [1-13]'"),
    ("Overview:\n  notes: 1-2\n  sumary: Start here.\n",
     "notes/series.yml:3: warning: series 'Overview': unknown key 'sumary' is ignored (a series has 'notes' and "
     "'summary')"),
    ("- 1\n- 2\n", "notes/series.yml:1: error: must map each series' title to its notes, e.g. "
                   "'An introductory overview: {notes: [1-13], summary: Where to start.}'"),
    ("Overview: [1, 2\n", "notes/series.yml:1: error: is not valid YAML"),
    ("Overview:\n  notes: 20-30\n", "notes/series.yml:1: warning: series 'Overview' has no note on the site; "
                                    "no page is made"),
])
def test_bad_series_data_is_a_finding_at_its_line(fixture_site, series_file, expected):
    site = fixture_site(notes={**numbered(3), "series.yml": series_file})
    result = check(site)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert any(line.startswith(expected) for line in result.stdout.splitlines()), result.stdout
    if ": error: " in expected:
        assert result.exit_code == 1
        with pytest.raises(BuildFailed) as failure:
            site.build()
        assert expected in failure.value.message


def test_a_gap_in_a_range_is_information_and_the_series_still_builds(fixture_site):
    notes = numbered(5)
    del notes["0003.md"]
    site = fixture_site(notes={**notes, "series.yml": "Overview: 1-5\n"})
    assert check(site).stdout.splitlines() == [
        "notes/series.yml:1: info: series 'Overview': 1 of notes 1-5 are not on the site (3)"]
    site.build(strict=True)
    assert [title for title, _ in entries(site.article("notes/series/overview/"))] == \
        ["Part 1", "Part 2", "Part 4", "Part 5"]


def test_a_note_at_a_series_address_keeps_it(fixture_site):
    site = fixture_site(notes={**numbered(2), "series.yml": "Overview: 1-2\n",
                               "series/overview.md": "# A note in a folder named series\n"})
    assert "info: series 'Overview' is published at notes/series/overview-2/ because a note has " \
           "notes/series/overview/" in check(site).stdout
    site.build(strict=True)
    assert site.article("notes/series/overview/").find("h1").get_text(strip=True) == "A note in a folder named series"
    assert [title for title, _ in entries(site.article("notes/series/overview-2/"))] == ["Part 1", "Part 2"]


def test_bad_series_order_is_an_error_at_its_line(fixture_site):
    site = fixture_site(notes={"0001.md": "---\ntitle: One\nseries: S\nseries_order: first\n---\nText.\n"})
    assert "notes/0001.md:4: error: 'series_order' must be a positive whole number such as 'series_order: 3', " \
           "not 'first'" in check(site).stdout


def test_series_order_without_a_series_is_a_warning(fixture_site):
    site = fixture_site(notes={"0001.md": "---\ntitle: One\nseries_order: 2\n---\nText.\n"})
    assert check(site).stdout.splitlines() == [
        "notes/0001.md:3: warning: 'series_order' places the note in no series; add 'series: <its title>'"]
