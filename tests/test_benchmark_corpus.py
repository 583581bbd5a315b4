"""The synthetic site the build benchmark measures: the same on every run, and a valid site.

If the corpus drifted between runs, or failed to build, the benchmark's
figures would compare different work or measure an error path.
"""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import given, settings, strategies as st

from benchmarks.site_corpus import synthetic_notes, write_site
from conftest import SiteFolder

CITATION = re.compile(r"Strategy Notes? (\d+)(?: and (\d+))?")


def tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cited(body: str) -> list[int]:
    return [int(k) for match in CITATION.finditer(body) for k in match.groups() if k]


def paragraphs(body: str) -> set[str]:
    return {block for block in body.strip().split("\n\n") if not block.startswith("#")}


def test_the_same_seed_writes_the_same_files_and_another_seed_does_not(tmp_path):
    first = tree(write_site(tmp_path / "a", 12, seed=3))
    assert first == tree(write_site(tmp_path / "b", 12, seed=3))
    assert first != tree(write_site(tmp_path / "c", 12, seed=4))
    assert len([name for name in first if name.startswith("notes/")]) == 12


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=2, max_value=40), seed=st.integers(min_value=0, max_value=10**6))
def test_every_note_cites_other_notes_that_exist(n, seed):
    for note in synthetic_notes(n, seed):
        numbers = cited(note.body)
        assert len(set(numbers)) == min(4, n - 1)
        assert all(1 <= k <= n and k != note.number for k in numbers)


def test_notes_are_about_450_words_with_a_few_percent_shared_paragraphs():
    notes = synthetic_notes(300)
    words = [len(note.body.split()) for note in notes]
    assert 420 <= sum(words) / len(words) <= 500
    counts = Counter(p for note in notes for p in paragraphs(note.body))
    shared = sum(count for count in counts.values() if count > 1)
    assert 0.01 <= shared / sum(counts.values()) <= 0.08
    assert any(len(note.body.split("\n\n")) > len(paragraphs(note.body)) + 2 for note in notes), \
        "some note should repeat one of its own paragraphs, as a pasted note may"


def test_twenty_notes_build_strict_with_citations_linked(tmp_path):
    site = SiteFolder(write_site(tmp_path, 20))
    site.build(strict=True)
    note = synthetic_notes(20)[0]
    article = site.article("notes/1/")
    assert article.h1.get_text().removesuffix("¶").strip() == note.title
    links = {a["href"] for a in article.select("a[href]")}
    assert {f"../{k}/" for k in cited(note.body)} <= links
    texts = {p.get_text() for p in article.select("p")}
    assert paragraphs(note.body) <= texts
    assert site.notes_json()["notes"][19]["url"] == "notes/20/"
    assert site.html("tags/").select("article a[href*='notes/']")


def test_plain_baseline_builds_the_same_text_outside_the_sidebar(tmp_path):
    site = SiteFolder(write_site(tmp_path, 20, plugin=False))
    site.build(strict=True)
    note = synthetic_notes(20)[0]
    page = site.html(f"notes/{note.file_name.removesuffix('.md')}/")
    texts = {p.get_text() for p in page.select("article p")}
    assert paragraphs(note.body) <= texts
    assert note.meta_line in texts
    assert not site.html("").select('nav a[href*="notes/"]'), "note pages stay out of the sidebar"
    assert site.html("tags/").select("article a[href*='notes/']")
    assert not (tmp_path / "site" / "notes.json").exists()


def test_the_preview_benchmark_reads_the_line_the_plugin_logs():
    from benchmarks.preview import GENERATED
    from generator.plugin import PREVIEW_LOG

    found = GENERATED.search("INFO    -  caucus: " + PREVIEW_LOG % (1000, 1, 0.61))
    assert found is not None and found.groups() == ("1", "0.61")
