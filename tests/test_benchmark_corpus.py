"""The synthetic sites the build benchmark measures: the same on every run, and valid sites.

If a corpus drifted between runs, or failed to build, the benchmark's
figures would compare different work or measure an error path. Both corpora
are checked: the varied one (unchanged since its figures were first
published) and the small-vocabulary one with boilerplate in every note.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from hypothesis import given, settings, strategies as st

from benchmarks.site_corpus import BOILERPLATE, SMALL_TITLE_WORDS, SMALL_WORDS, synthetic_notes, write_site
from conftest import SiteFolder

CITATION = re.compile(r"Strategy Notes? (\d+)(?: and (\d+))?")


def tree(root) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cited(body: str) -> list[int]:
    return [int(k) for match in CITATION.finditer(body) for k in match.groups() if k]


def paragraphs(body: str) -> set[str]:
    return {block for block in body.strip().split("\n\n") if not block.startswith("#")}


def prose(body: str) -> set[str]:
    """The paragraphs of running text: no heading, list, table, code block or boilerplate line."""
    return {block for block in paragraphs(body) if block[0] not in "-|`" and block not in BOILERPLATE}


def digest(root) -> str:
    """The site as written, but for the project's chrome (overrides/, which changes with the project)."""
    hashed = hashlib.sha256()
    for name, data in tree(root).items():
        if not name.startswith("overrides/"):
            hashed.update(name.encode() + b"\0" + data + b"\0")
    return hashed.hexdigest()


def test_the_same_seed_writes_the_same_files_and_another_seed_does_not(tmp_path):
    first = tree(write_site(tmp_path / "a", 12, seed=3))
    assert first == tree(write_site(tmp_path / "b", 12, seed=3))
    assert first != tree(write_site(tmp_path / "c", 12, seed=4))
    assert len([name for name in first if name.startswith("notes/")]) == 12


def test_the_varied_corpus_is_the_one_its_published_figures_were_measured_on(tmp_path):
    assert digest(write_site(tmp_path / "a", 50)) == \
        "d5e88ecb67afe75b0583872acc9c1b3b1ad1d99ac5746a32bc18591a6f412c59"
    assert digest(write_site(tmp_path / "b", 50, plugin=False)) == \
        "dbd5a46d0075ad0f2c9f4fdcb1d109425a4c22566d4b809492f0037adc871ed5"


def test_the_small_vocabulary_corpus_is_the_same_for_the_same_seed_and_not_the_varied_one(tmp_path):
    first = tree(write_site(tmp_path / "a", 12, seed=3, kind="small-vocabulary"))
    assert first == tree(write_site(tmp_path / "b", 12, seed=3, kind="small-vocabulary"))
    assert first != tree(write_site(tmp_path / "c", 12, seed=4, kind="small-vocabulary"))
    varied = tree(write_site(tmp_path / "d", 12, seed=3))
    assert all(first[name] != varied.get(name) for name in first if name.startswith("notes/"))
    assert len([name for name in first if name.startswith("notes/")]) == 12


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=2, max_value=40), seed=st.integers(min_value=0, max_value=10**6),
       kind=st.sampled_from(["varied", "small-vocabulary"]))
def test_every_note_cites_other_notes_that_exist(n, seed, kind):
    for note in synthetic_notes(n, seed, kind):
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


def test_small_vocabulary_notes_share_their_words_boilerplate_and_title_words():
    notes = synthetic_notes(300, kind="small-vocabulary")
    for note in notes:
        blocks = note.body.strip().split("\n\n")
        assert blocks[:2] == list(BOILERPLATE[:2]) and blocks[-1] == BOILERPLATE[2]
        assert any(b.startswith("```text\n") and b.endswith("\n```") for b in blocks), "a code block"
        assert any(b.startswith("| Action | Who | When |\n| --- |") for b in blocks), "a table"
        assert any(b.startswith("- ") for b in blocks), "a list"
        assert min(len(p.split()) for p in prose(note.body)) >= 80, "long paragraphs"
        assert set(note.title.lower().split()[:-1]) <= set(SMALL_TITLE_WORDS)
    words = Counter(w.strip(".,;:()").lower() for note in notes for p in prose(note.body) for w in p.split())
    assert set(words) - set(SMALL_WORDS) <= {"as", "strategy", "note", "notes", "argued", "and", "show", "that"} \
        | {str(k) for k in range(1, 301)}, "prose draws from the small vocabulary only"
    assert 35 <= len(SMALL_WORDS) <= 45
    words_per_note = [len(note.body.split()) for note in notes]
    assert 450 <= sum(words_per_note) / len(words_per_note) <= 650
    titles = Counter(note.title.rsplit(" ", 1)[0] for note in notes)
    assert titles.most_common(1)[0][1] >= 3, "titles collide in their words"


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


def test_twenty_small_vocabulary_notes_build_strict_with_boilerplate_and_citations(tmp_path):
    site = SiteFolder(write_site(tmp_path, 20, kind="small-vocabulary"))
    site.build(strict=True)
    note = synthetic_notes(20, kind="small-vocabulary")[9]
    article = site.article("notes/10/")
    assert article.h1.get_text().removesuffix("¶").strip() == note.title
    assert {f"../{k}/" for k in cited(note.body)} <= {a["href"] for a in article.select("a[href]")}
    texts = {p.get_text() for p in article.select("p")}
    assert prose(note.body) <= texts
    assert BOILERPLATE[1] in texts, "the boilerplate stays on the page"
    assert article.select("table") and article.select("pre code") and article.select("ul li")


def test_plain_small_vocabulary_baseline_has_the_same_text(tmp_path):
    site = SiteFolder(write_site(tmp_path, 20, plugin=False, kind="small-vocabulary"))
    site.build(strict=True)
    note = synthetic_notes(20, kind="small-vocabulary")[0]
    page = site.html(f"notes/{note.file_name.removesuffix('.md')}/")
    texts = {p.get_text() for p in page.select("article p")}
    assert prose(note.body) <= texts and set(BOILERPLATE) <= texts
    assert page.select("article table") and page.select("article pre code")


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
