"""`mkdocs build` keeps the pages it rendered in .cache, by what they were made from: a build through
them is, file for file and byte for byte, a build that renders every page anew, warnings included."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from test_preview import EDIT_LISTS, apply_edit, preview, preview_factory  # noqa: F401 (fixtures)

KEPT = ".cache/caucus/rendered"


def same_trees(one: Path, other: Path) -> list[str]:
    """The files that differ, or that only one of the two folders has."""
    files = {p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file()}
    files |= {p.relative_to(other).as_posix() for p in other.rglob("*") if p.is_file()}
    return sorted(rel for rel in files if not (one / rel).is_file() or not (other / rel).is_file()
                  or (one / rel).read_bytes() != (other / rel).read_bytes())


@given(EDIT_LISTS)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_build_through_kept_pages_equals_one_that_renders_every_page(preview_factory, edits):
    site = preview_factory()
    site.full_build("warm", cache=True)
    for edit, one, other in edits:
        apply_edit(site, edit, one, other)
        warm, cold = site.full_build("warm", cache=True), site.full_build("cold")
        assert same_trees(warm, cold) == []
    # the folder holds the pages of the last build only: one entry a page
    pages = [p for p in site.root.joinpath("cold").rglob("index.html") if p.parent.name != "search"]
    assert len(list(site.root.joinpath(KEPT).glob("*.json"))) == len(pages)


def test_kept_pages_are_what_the_build_shows_and_their_warnings_fail_a_strict_build_again(preview):
    """The pages really come from .cache (an entry altered there shows on the site), and a warning logged
    while a page was rendered is logged again when the page is not rendered, so --strict fails again."""
    preview.write("notes/0006-broken.md", "---\ntitle: Broken link\n---\n\nSee [the minutes](minutes.md).\n")
    assert preview.full_build("first", strict=True, cache=True) is None
    assert "minutes.md" in preview.last_log
    assert preview.full_build("again", strict=True, cache=True) is None
    assert "minutes.md', but the target" in preview.last_log  # logged again, and the build failed again
    (preview.root / "notes/0006-broken.md").unlink()
    built = preview.full_build("warm", cache=True)
    entry = next(p for p in (preview.root / KEPT).glob("*.json")
                 if "Meetings are weekly." in json.loads(p.read_text(encoding="utf-8"))["content"])
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["content"] = kept["content"].replace("Meetings are weekly.", "Altered in the kept page.")
    entry.write_text(json.dumps(kept), encoding="utf-8")
    built = preview.full_build("warm", cache=True)
    assert "Altered in the kept page." in (built / "notes/4/index.html").read_text(encoding="utf-8")


def test_without_the_cache_nothing_is_kept(preview):
    preview.full_build("cold")
    assert not (preview.root / ".cache").exists()


def test_raw_html_with_an_empty_id_is_kept_too(preview):
    """Raw HTML with a bare `id` or `name` (as RFCs write `<a name>`) gives MkDocs an anchor of None."""
    preview.write("notes/0006-raw.md", "---\ntitle: Raw\n---\n\n<a name>here</a> and <span id>there</span>.\n")
    cold = preview.full_build("cold")
    for _ in range(2):
        warm = preview.full_build("warm", cache=True)
    assert same_trees(warm, cold) == []
