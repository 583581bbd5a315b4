"""The live preview (`make serve` runs `mkdocs serve --dirty`): after an edit only the pages it changed
are rendered again, and the site served is, file for file and byte for byte, the one a full build of
the same notes makes: pages, search index, notes.json, feed, tags page, sitemap, _headers."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

SERVE_URL = "http://127.0.0.1:8000/"
CONFIG = f"""\
site_name: Test caucus
site_url: {SERVE_URL}
use_directory_urls: true
theme:
  name: material
  font: false
  features: [navigation.footer]
plugins:
  - search
  - tags
  - caucus:
      notes_dir: notes
      unresolved_references: info
nav:
  - Home: index.md
  - Notes: notes/index.md
  - Tags: tags.md
"""
NOTES = {
    "0001-unions.md": "---\ntitle: On unions\ndate: 2024-01-01\ntags: [unions]\n---\n\n"
                      "Caucuses organize inside unions. See [the second part](0002-rent.md#Part%20two).\n",
    "0002-rent.md": "---\ntitle: On rent\ndate: 2024-02-01\ntags: [housing]\n---\n\n"
                    "Strategy Note 1 argued for unions.\n\n## Part two\n\nRent is due.\n",
    "0003-strikes.md": "---\ntitle: On strikes\ndate: 2024-03-01\ntags: [unions]\n---\n\n"
                       "As Strategy Note 2 argued, rent matters.\n",
    "0004-meetings.md": "---\ntitle: On meetings\ndate: 2024-04-01\n---\n\nMeetings are weekly.\n",
    "0005-dues.md": "---\ntitle: On dues\ndate: 2024-05-01\ntags: [unions]\n---\n\n"
                    "Strategy Notes 1 and 4 say dues matter, and [[0002-rent#Part two]].\n",
}
DOCS = {"index.md": "# Home\n\n<!-- caucus:latest-notes -->\n", "tags.md": "# Tags\n\n<!-- material/tags -->\n"}


class Preview:
    """A site previewed in this process as `mkdocs serve --dirty` does, beside full builds in another."""

    def __init__(self, root: Path) -> None:
        self.root, self.served = root, root / "served"
        self.records: list[logging.LogRecord] = []

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text(encoding="utf-8")
        assert old in text, old
        self.write(rel, text.replace(old, new))

    def rebuild(self) -> set[str]:
        """One rebuild of the preview (a fresh config, as the server loads one each time); the pages it rendered."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        handler = logging.Handler(logging.INFO)
        handler.emit = self.records.append
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        level, start = logger.level, len(self.records)
        logger.setLevel(logging.INFO)
        try:
            config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.served))
            if not self.served.exists():  # the server's first build
                config.plugins.on_startup(command="serve", dirty=True)
            config.site_url = SERVE_URL
            build(config, serve_url=SERVE_URL, dirty=True)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        rendered = [r.getMessage() for r in self.records[start:] if "pages rendered:" in r.getMessage()]
        assert len(rendered) == 1, [r.getMessage() for r in self.records[start:]]
        return set(rendered[0].split("pages rendered: ", 1)[1].split(", "))

    def full_build(self, out: str = "full", strict: bool = False, cache: bool = False) -> Path:
        """`mkdocs build` of the same files, in a process of its own (no state kept from the preview);
        with `cache`, through the rendered pages kept in .cache by the builds before."""
        out = self.root / out
        args = ["build", "--clean", "-d", str(out)] + (["--strict"] if strict else [])
        result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), *args],
                                cwd=self.root, capture_output=True, text=True,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0",
                                     "CAUCUS_RENDER_CACHE": "on" if cache else "off"})
        self.last_log = result.stderr
        if strict and result.returncode != 0:
            return None
        assert result.returncode == 0, result.stderr
        return out

    def assert_same_as_full_build(self) -> None:
        full = self.full_build()
        served = {p.relative_to(self.served).as_posix() for p in self.served.rglob("*") if p.is_file()}
        built = {p.relative_to(full).as_posix() for p in full.rglob("*") if p.is_file()}
        assert served == built
        different = [rel for rel in sorted(built) if (self.served / rel).read_bytes() != (full / rel).read_bytes()]
        assert different == []


@pytest.fixture
def preview_factory(tmp_path_factory, monkeypatch):
    """preview_factory() -> a new previewed site of NOTES, in a folder of its own."""
    from mkdocs.config import load_config

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    made: list[Path] = []

    def make() -> Preview:
        root = tmp_path_factory.mktemp("preview")
        site = Preview(root)
        site.write("mkdocs.yml", CONFIG)
        for rel, text in DOCS.items():
            site.write(f"docs/{rel}", text)
        for rel, text in NOTES.items():
            site.write(f"notes/{rel}", text)
        made.append(root)
        return site

    yield make
    # MkDocs keeps plugins with on_startup for the whole process: leave them building, not previewing.
    if made:
        config = load_config(str(made[-1] / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        for plugin in config.plugins.values():
            if hasattr(plugin, "search_index_prev"):
                plugin.search_index_prev = None


@pytest.fixture
def preview(preview_factory):
    return preview_factory()


HAND_WRITTEN = {"index.md", "tags.md"}


def test_an_edit_renders_only_the_pages_it_changes_and_the_site_equals_a_full_build(preview):
    first = preview.rebuild()
    assert {"notes/1.md", "notes/5.md", "notes/index.md", "graph.md"} <= first
    preview.assert_same_as_full_build()

    preview.edit("notes/0004-meetings.md", "weekly.", "weekly. One more sentence.")
    assert preview.rebuild() == HAND_WRITTEN | {"notes/4.md"}
    preview.assert_same_as_full_build()

    # a new citation: the cited note's connections, the graph, and notes tied through it change
    preview.edit("notes/0004-meetings.md", "weekly.", "weekly. As Strategy Note 3 argued, strikes work.")
    rendered = preview.rebuild()
    assert {"notes/4.md", "notes/3.md", "graph.md"} <= rendered and "notes/index.md" not in rendered
    preview.assert_same_as_full_build()

    preview.edit("notes/0004-meetings.md", " As Strategy Note 3 argued, strikes work.", "")
    assert {"notes/4.md", "notes/3.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()


def test_tags_titles_and_headings_other_pages_show_are_followed(preview):
    preview.rebuild()
    preview.edit("notes/0004-meetings.md", "date: 2024-04-01\n", "date: 2024-04-01\ntags: [meetings]\n")
    assert {"notes/4.md", "notes/index.md", "tags.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()

    preview.edit("notes/0001-unions.md", "tags: [unions]\n", "")  # a tag taken away
    assert {"notes/1.md", "notes/index.md", "tags.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()

    # a title: the index, the notes before and after (their footers), the notes that list it
    preview.edit("notes/0003-strikes.md", "title: On strikes", "title: On general strikes")
    rendered = preview.rebuild()
    assert {"notes/3.md", "notes/2.md", "notes/4.md", "notes/index.md"} <= rendered
    preview.assert_same_as_full_build()
    preview.edit("notes/0003-strikes.md", "title: On general strikes\n", "")  # the file name is the title now
    assert {"notes/3.md", "notes/2.md", "notes/4.md", "notes/index.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()

    # a heading other notes link to by its text: note 1 in a Markdown link, note 5 in a wikilink
    preview.edit("notes/0002-rent.md", "## Part two", "## The second part")
    assert {"notes/1.md", "notes/2.md", "notes/5.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()
    preview.edit("notes/0002-rent.md", "## The second part", "## Part two")
    assert {"notes/1.md", "notes/2.md", "notes/5.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()


def test_new_and_deleted_notes_and_a_changed_config_render_everything_again(preview):
    preview.rebuild()
    preview.write("notes/0006-new.md", "---\ntitle: A new note\n---\n\nStrategy Note 1 again.\n")
    assert "notes/6.md" in preview.rebuild()
    preview.assert_same_as_full_build()
    (preview.root / "notes/0006-new.md").unlink()
    assert "notes/1.md" in preview.rebuild()
    assert not (preview.served / "notes/6/index.html").exists()
    preview.assert_same_as_full_build()
    preview.edit("mkdocs.yml", "site_name: Test caucus", "site_name: Another caucus")
    assert {"notes/1.md", "notes/2.md", "notes/3.md", "notes/4.md", "notes/5.md"} <= preview.rebuild()
    preview.assert_same_as_full_build()


def test_a_broken_note_keeps_the_last_good_pages_until_it_is_fixed(preview):
    preview.rebuild()
    preview.edit("notes/0004-meetings.md", "title: On meetings", "title: On meetings\nnumber: zero")
    preview.rebuild()  # the errors are logged; the server goes on with the last good notes
    assert "Meetings are weekly." in (preview.served / "notes/4/index.html").read_text(encoding="utf-8")
    assert any("must be a positive whole number" in r.getMessage() for r in preview.records)
    preview.edit("notes/0004-meetings.md", "title: On meetings\nnumber: zero", "title: On meetings")
    preview.edit("notes/0004-meetings.md", "weekly.", "weekly, on Tuesdays.")
    assert "notes/4.md" in preview.rebuild()
    preview.assert_same_as_full_build()


EDITS = ("sentence", "cite", "uncite", "tag", "title", "new note", "delete note")


def apply_edit(site: Preview, edit: str, one: int, other: int) -> None:
    """One thing a member does to the notes of NOTES (one, other: note numbers from 1 to 5)."""
    path = site.root / "notes" / sorted(NOTES)[one - 1]
    text = path.read_text(encoding="utf-8")
    if edit == "sentence":
        text += f"\nOne more sentence about note {other}.\n"
    elif edit == "cite":
        text += f"\nAs Strategy Note {other} argued, it matters.\n"
    elif edit == "uncite":
        text = "\n".join(line for line in text.split("\n") if "argued, it matters" not in line)
    elif edit == "tag":
        text = text.replace("---\n\n", f"---\n\n#tag{other} ", 1)
    elif edit == "title":
        text = text.replace("title: On", f"title: On {other}", 1)
    elif edit == "new note":
        (site.root / f"notes/{10 + other:04d}-new.md").write_text(f"# New {other}\n\nStrategy Note {one}.\n")
    elif edit == "delete note":
        for extra in (site.root / "notes").glob("00[12]?-new.md"):
            extra.unlink()
    path.write_text(text, encoding="utf-8")


EDIT_LISTS = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=3)


@given(EDIT_LISTS)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_edits_leave_the_preview_equal_to_a_full_build(preview_factory, edits):
    """Whatever a member does to the notes, in any order, the preview serves what a full build makes."""
    preview = preview_factory()
    preview.rebuild()
    for edit, one, other in edits:
        apply_edit(preview, edit, one, other)
        preview.rebuild()
        preview.assert_same_as_full_build()
