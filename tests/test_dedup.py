"""De-duplication as members and readers see it: clean pages, honest reports, cross-links."""

from __future__ import annotations

from pathlib import Path

from generator.dedup import dedupe_corpus, find_in_note, in_note_repeats, without_repeats
from generator.model import Settings
from generator.sources import load_corpus

# The seed note exactly as a member pasted it: the whole note twice.
SEED_HALF = """\
## What caucuses should work for

Strategy Note 299 said we need caucuses organizing within our unions to strengthen them so they can remake our society.

Caucuses should:

- Build solidarity across lines of division (race, gender, immigrant status, religion, employer-created tiers of workers, newcomers and oldtimers, different shifts and job classifications, etc.).
- Help people understand the competition between the exchange economy and our exchange-free economy.
- Organize members to do most of the union's work.

Remake our organizations to remake our society.
"""
SEED = "\n\n" + SEED_HALF + "\n\n\n" + SEED_HALF

PARAGRAPH = ("Organizing the unorganized means speaking with people who do not identify as part of the left, "
             "in workplaces and neighbourhoods, again and again.")


def clean(body: str, min_words: int = 12) -> str:
    return without_repeats(body, in_note_repeats(body, min_words))[0]


def test_a_repeated_section_is_left_out_with_all_its_blocks():
    cleaned = clean(SEED)
    assert cleaned.count("## What caucuses should work for") == 1
    assert cleaned.count("Build solidarity across lines of division") == 1
    # The short closing line goes with its repeated section, though alone it would stay.
    assert cleaned.count("Remake our organizations to remake our society.") == 1
    assert cleaned == "\n\n" + SEED_HALF


def test_a_paragraph_pasted_twice_in_a_row_is_left_out_and_the_first_stays():
    body = f"{PARAGRAPH}\n\nSomething else entirely.\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n"
    cleaned = clean(body)
    assert cleaned == f"{PARAGRAPH}\n\nSomething else entirely.\n\n{PARAGRAPH}\n"


def test_wrapping_and_unicode_forms_count_as_the_same_text_but_such_a_copy_stays():
    """The copy is found (and reported), but its lines exist nowhere else, so it is not taken out."""
    wrapped = PARAGRAPH.replace(" who ", "\nwho ")
    decomposed = PARAGRAPH.replace("neighbourhoods", "neighbourhoods, caf\u00e9s").replace("\u00e9", "e\u0301")
    composed = decomposed.replace("e\u0301", "\u00e9")
    for first, copy in ((PARAGRAPH, wrapped), (decomposed, composed)):
        body = f"{first}\n\n{copy}\n"
        found = find_in_note(body, 12)
        assert found.removals == () and [(k.start, k.first_start, k.unique_line) for k in found.kept] == [(2, 0, 2)]
        assert clean(body) == body


def test_short_blocks_are_never_removed():
    body = "Solidarity forever.\n\nYes.\n\nSolidarity forever.\n\nYes.\n\nSolidarity forever.\n"
    assert clean(body) == body
    assert in_note_repeats(body, 12) == []


def test_removals_report_both_line_ranges(tmp_path: Path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/seed.md").write_text(SEED, encoding="utf-8")
    result = dedupe_corpus(load_corpus(Settings(root=str(tmp_path))), Settings(root=str(tmp_path)))
    [repeat] = result.repeats
    assert repeat.kind == "in-note-repeat"
    assert [str(loc) for loc in repeat.locations] == ["notes/seed.md:17-27", "notes/seed.md:3-13"]
    assert str(repeat.finding) == (
        "notes/seed.md:17: info: lines 17-27 repeat the section “What caucuses should work for” of lines 3-13 "
        "and are left out of the page (caucus-site dedup --fix removes them from the file)")
    assert (tmp_path / "notes/seed.md").read_text(encoding="utf-8") == SEED  # the build changes no file


def corpus_result(tmp_path: Path, notes: dict[str, str]):
    (tmp_path / "notes").mkdir()
    for name, text in notes.items():
        (tmp_path / "notes" / name).write_text(text, encoding="utf-8")
    settings = Settings(root=str(tmp_path))
    return dedupe_corpus(load_corpus(settings), settings)


def test_across_notes_exact_and_near_repeats_are_reported_not_removed(tmp_path):
    near = PARAGRAPH.replace("again and again", "over and over").replace("Organizing", "organizing") + "!"
    result = corpus_result(tmp_path, {
        "0001-a.md": f"# A\n\n{PARAGRAPH}\n",
        "0002-b.md": f"# B\n\nIntro line here.\n\n{PARAGRAPH}\n",
        "0003-c.md": f"# C\n\n{near}\n",
        "0004-d.md": "# D\n\nA heavily rewritten passage about organizing people at work and where they live, "
                     "which shares a theme but hardly a sentence with the others at all.\n",
    })
    kinds = sorted((r.kind, r.locations[0].path, r.locations[1].path) for r in result.repeats)
    assert kinds == [("exact", "notes/0002-b.md", "notes/0001-a.md"),
                     ("near", "notes/0003-c.md", "notes/0001-a.md")]
    near_repeat = next(r for r in result.repeats if r.kind == "near")
    assert 0.9 <= near_repeat.similarity < 1.0
    assert str(near_repeat.finding).startswith("notes/0003-c.md:3: info: line 3 nearly repeats notes/0001-a.md:3 (")
    assert all(PARAGRAPH in body or "over and over" in body or "heavily" in body for body in result.bodies.values())


def test_a_note_identical_to_another_is_a_warning_naming_both(tmp_path):
    result = corpus_result(tmp_path, {"0001-a.md": f"# Same\n\n{PARAGRAPH}\n", "0002-b.md": f"# Same\n\n{PARAGRAPH}\n"})
    warnings = [str(f) for f in result.findings if f.level == "warning"]
    assert warnings == ["notes/0002-b.md:1: warning: has the same text as notes/0001-a.md; keep one, and list "
                        "the other's address under the kept note's aliases"]


def test_seed_page_shows_each_passage_once(fixture_site):
    site = fixture_site(options="unresolved_references: info")
    (site.root / "notes/what-caucuses-should-work-for.md").write_text(SEED, encoding="utf-8")
    site.build(strict=True)
    text = site.article("notes/what-caucuses-should-work-for/").get_text()
    assert text.count("Build solidarity across lines of division") == 1
    assert text.count("Remake our organizations to remake our society") == 1
    assert (site.root / "notes/what-caucuses-should-work-for.md").read_text(encoding="utf-8") == SEED


def test_repeated_content_becomes_an_also_in_link(fixture_site):
    site = fixture_site(notes={"0001-a.md": f"# A\n\n{PARAGRAPH}\n\nOnly in A.\n",
                               "0002-b.md": f"# B\n\n- {PARAGRAPH}\n\nOnly in B.\n"})
    site.build(strict=True)
    # The site's words, not the author's: worded and marked as such.
    also = [p for p in site.article("notes/1/").find_all("p") if p.get_text().startswith("This passage also appears in")]
    assert [p.span["class"] for p in also] == [["caucus-also-in"]]
    assert [(a.get_text(), a["href"]) for p in also for a in p.find_all("a")] == [("Strategy Note 2", "../2/")]
    assert also[0].find_previous_sibling("p").get_text() == PARAGRAPH
    back = [p for p in site.article("notes/2/").select("p:has(> span.caucus-also-in)")]
    assert [a["href"] for p in back for a in p.find_all("a")] == ["../1/"]


def test_a_rebuild_with_the_memo_works_again_only_on_the_edited_note(tmp_path, monkeypatch):
    from generator import dedup
    from generator.memo import Memo

    notes = {"0001-a.md": f"---\ntitle: A\n---\n# A\n\n{PARAGRAPH}\n",
             "0002-b.md": f"# B\n\nIntro line here.\n\n{PARAGRAPH}\n", "0003-c.md": f"# C\n\n{SEED}\n"}
    (tmp_path / "notes").mkdir()
    for name, text in notes.items():
        (tmp_path / "notes" / name).write_text(text, encoding="utf-8")
    settings = Settings(root=str(tmp_path))
    memo = Memo()
    dedupe_corpus(load_corpus(settings), settings, memo)
    worked = []
    real = dedup.dedupe_note
    monkeypatch.setattr(dedup, "dedupe_note", lambda body, *args: worked.append(body) or real(body, *args))
    # A's body stays as it was, two lines further down its file; C's changes
    (tmp_path / "notes/0001-a.md").write_text(f"---\ntitle: A\ntags: [x]\nsummary: y\n---\n# A\n\n{PARAGRAPH}\n",
                                              encoding="utf-8")
    (tmp_path / "notes/0003-c.md").write_text(f"# C\n\n{PARAGRAPH}\n", encoding="utf-8")
    corpus = load_corpus(settings)
    again = dedupe_corpus(corpus, settings, memo)
    assert worked == [f"# C\n\n{PARAGRAPH}\n"]  # the edited note alone
    fresh = dedupe_corpus(corpus, settings)
    assert (again.findings, again.also_in, again.repeats) == (fresh.findings, fresh.also_in, fresh.repeats)
    assert "notes/0001-a.md:8" in {str(r.locations[1]) for r in again.repeats}  # where A's passage is now
