"""Loading notes: front matter variants, title and number fallbacks, every validation error at its line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.model import Settings
from generator.sources import attachment_files, load_corpus, load_notes


def write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def load(tmp_path: Path, files: dict[str, str | bytes]):
    for rel, text in files.items():
        write(tmp_path, f"notes/{rel}", text)
    notes, findings = load_notes(Settings(root=str(tmp_path)))
    return notes, [str(f) for f in findings]


def only(tmp_path: Path, text: str | bytes, name: str = "note.md"):
    notes, findings = load(tmp_path, {name: text})
    return (notes[0] if notes else None), findings


def test_front_matter_fields_are_read(tmp_path):
    note, findings = only(tmp_path, "---\nnumber: 12\ntitle: On unions\ndate: 2024-05-01\n"
                                    "tags: [unions, caucus]\nsummary: Why.\nprojects: [tenant-union]\n"
                                    "aliases: [/notes/on-unions]\ndraft: false\n---\nBody.\n")
    assert findings == []
    assert (note.number, note.title, note.date, note.tags, note.summary) == (
        12, "On unions", datetime.date(2024, 5, 1), ("unions", "caucus"), "Why.")
    assert note.projects == ("tenant-union",)
    assert note.aliases == ("notes/on-unions/",)
    assert note.url == "notes/12/"
    # The closing '---' is line 10; the body starts there, so "Body." is file line 11.
    assert note.body == "\nBody.\n" and note.body_line == 10


def test_pasted_note_without_front_matter_takes_first_heading_as_title(tmp_path):
    note, findings = only(tmp_path, "\n\n## What caucuses should work for\n\nText.\n",
                          "what-caucuses-should-work-for.md")
    assert findings == []
    assert note.title == "What caucuses should work for"
    assert note.number is None
    assert note.url == "notes/what-caucuses-should-work-for/"


def test_title_from_an_opening_heading_of_any_level_as_plain_text(tmp_path):
    note, _ = only(tmp_path, "\n#### The *real* `title`\n\nIntro line.\n")
    assert note.title == "The real title"


def test_a_heading_further_down_is_a_section_not_the_title(tmp_path):
    note, _ = only(tmp_path, "- Start Date: 2014-03-11\n\n# Summary\n\nText.\n", "0001-private-fields.md")
    assert note.title == "private fields"


def test_title_falls_back_to_file_name(tmp_path):
    note, _ = only(tmp_path, "Just a paragraph.\n", "0007-build-power.md")
    assert (note.number, note.title, note.slug) == (7, "build power", "build-power")


def test_number_from_file_name_unless_front_matter_says_otherwise(tmp_path):
    notes, _ = load(tmp_path, {"0299-caucuses.md": "# A\n", "0300-other.md": "---\nnumber: 301\n---\n# B\n"})
    assert [n.number for n in notes] == [299, 301]
    assert [n.url for n in notes] == ["notes/299/", "notes/301/"]


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    note, findings = only(tmp_path, b"\xef\xbb\xbf---\r\ntitle: Windows\r\n---\r\nLine one.\r\n")
    assert findings == []
    assert note.title == "Windows" and note.body == "\nLine one.\n"


def test_single_tag_as_string_is_one_tag(tmp_path):
    note, findings = only(tmp_path, "---\ntags: organizing\n---\n# T\n")
    assert findings == [] and note.tags == ("organizing",)


@pytest.mark.parametrize("front, line, words", [
    ("title: [unclosed\n", 2, "front matter is not valid YAML"),
    ("title: ok\n  bad: indent\n", 3, "not valid YAML"),
    ("title: ok\n\ttags: x\n", 3, "tabs"),
    ("number: -3\n", 2, "'number' must be a positive whole number"),
    ("number: twelve\n", 2, "'number' must be a positive whole number"),
    ("title: ok\ndate: 2024-02-30\n", 3, "'date' '2024-02-30' is not a real date"),
    ("tags: {a: 1}\n", 2, "'tags' must be a list of words"),
    ("draft: maybe\n", 2, "'draft' must be true or false"),
])
def test_each_validation_error_names_its_line(tmp_path, front, line, words):
    _, findings = only(tmp_path, f"---\n{front}---\n# T\n")
    assert any(f.startswith(f"notes/note.md:{line}: error: ") and words in f for f in findings), findings


def test_unknown_key_warns_with_did_you_mean(tmp_path):
    note, findings = only(tmp_path, "---\ntitel: Oops\n---\n# Heading\n")
    assert findings == ["notes/note.md:2: warning: unknown front matter key 'titel' is ignored; "
                        "did you mean 'title'?"]
    assert note.title == "Heading"


def test_missing_closing_fence_is_an_error(tmp_path):
    _, findings = only(tmp_path, "---\ntitle: Never closed\n\nBody.\n")
    assert findings == ["notes/note.md:1: error: front matter opened with '---' on line 1 is never closed; "
                        "add a line '---' after the last front matter line"]


def test_invalid_utf8_names_line_and_what_to_do(tmp_path):
    note, findings = only(tmp_path, b"# Title\n\nfine\ncaf\xe9 latin-1\n")
    assert note is None
    assert findings == ["notes/note.md:4: error: is not valid UTF-8 (byte 0xe9 at column 4); "
                        "re-save the file as UTF-8 in your editor"]


def test_two_files_claiming_one_number_are_both_named_and_both_kept(tmp_path):
    notes, findings = load(tmp_path, {"0012-a.md": "# A\n", "b.md": "---\nnumber: 12\n---\n# B\n"})
    assert findings == [
        "notes/b.md:1: warning: number 12 is also claimed by notes/0012-a.md, which keeps it; "
        "this note is published at notes/b/ until it has a number of its own",
    ]
    assert sorted(n.url for n in notes) == ["notes/12/", "notes/b/"]


def test_empty_file_warns_and_makes_no_page(tmp_path):
    notes, findings = load(tmp_path, {"empty.md": "\n  \n"})
    assert notes == [] and findings == ["notes/empty.md:1: warning: is empty; no page is made for it"]


def test_drafts_are_not_published(tmp_path):
    notes, findings = load(tmp_path, {"d.md": "---\ndraft: true\n---\n# Draft\n"})
    assert notes == [] and findings == ["notes/d.md:2: info: is a draft (draft: true); not published"]


def test_non_markdown_files_are_attachments_not_notes_and_not_warnings(tmp_path):
    notes, findings = load(tmp_path, {"a.md": "# A\n", "scan.pdf": b"%PDF", ".gitkeep": ""})
    assert [n.title for n in notes] == ["A"]
    assert findings == []
    assert attachment_files(Settings(root=str(tmp_path))) == ("notes/scan.pdf",)


def test_file_names_with_spaces_and_other_scripts(tmp_path):
    notes, _ = load(tmp_path, {"Über die Gewerkschaft.md": "# Ü\n", "12 tenant power.md": "# T\n"})
    assert sorted(n.url for n in notes) == ["notes/12/", "notes/über-die-gewerkschaft/"]


def test_projects_are_loaded_with_kind_and_category(tmp_path):
    write(tmp_path, "docs/projects/tenant-union.md",
          "---\ntitle: Tenant union\nkind: idea\ncategory: housing\nsummary: A union of tenants.\n---\n# T\n")
    write(tmp_path, "docs/projects/thaw.md", "---\nkind: sometimes\n---\n# THAW\n")
    corpus = load_corpus(Settings(root=str(tmp_path)))
    assert [(p.slug, p.title, p.kind, p.category) for p in corpus.projects] == [
        ("tenant-union", "Tenant union", "idea", "housing"), ("thaw", "THAW", "idea", "")]
    assert [str(f) for f in corpus.findings] == [
        "docs/projects/thaw.md:2: error: 'kind' must be 'idea' or 'real', not 'sometimes'"]


def test_cache_rereads_only_changed_notes(tmp_path, monkeypatch):
    from generator import sources

    for rel, text in {"0001-a.md": "# A\n", "0002-b.md": "# B\n"}.items():
        write(tmp_path, f"notes/{rel}", text)
    settings = Settings(root=str(tmp_path))
    cache = sources.NoteCache()
    parsed = []
    real = sources._load_note
    monkeypatch.setattr(sources, "_load_note", lambda file, rel, *rest: parsed.append(rel) or real(file, rel, *rest))
    first, _ = load_notes(settings, cache)
    write(tmp_path, "notes/0002-b.md", "# B, edited at more length\n")
    second, _ = load_notes(settings, cache)
    assert parsed == ["notes/0001-a.md", "notes/0002-b.md", "notes/0002-b.md"]
    assert [n.title for n in second] == ["A", "B, edited at more length"]
    assert second[0] is first[0]


def test_preview_rebuild_reworks_only_the_edited_note_and_matches_a_fresh_build(tmp_path, monkeypatch):
    from generator import dedup, graph, sources
    from generator.pipeline import build_site

    notes = {"0001-a.md": "# A\n\nUnions first.\n",
             "0002-b.md": "# B\n\nAs Strategy Note 1 says, unions first.\n",
             "0003-c.md": "# C\n\nStrategy Note 2 and Strategy Note 1 agree.\n"}
    for rel, text in notes.items():
        write(tmp_path, f"notes/{rel}", text)
    settings = Settings(root=str(tmp_path))
    cache = sources.NoteCache()
    build_site(settings, cache)
    worked = []
    for module, name in ((dedup, "clean_body"), (graph, "find_references"), (graph, "marked")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda text, *args, real=real, name=name: worked.append(name) or real(text, *args))
    write(tmp_path, "notes/0002-b.md", "# B\n\nAs Strategy Note 1 says, unions come first of all.\n")
    rebuilt = build_site(settings, cache)
    assert worked == ["clean_body", "find_references", "marked"]  # the edited note, once each
    fresh = build_site(settings)
    assert rebuilt.pages == fresh.pages and rebuilt.files == fresh.files and rebuilt.findings == fresh.findings
    assert rebuilt.appendices == fresh.appendices
    assert "unions come first of all" in rebuilt.appendices["notes/1.md"]  # A's backlink quotes B's new sentence
    # What the old text of the note gave is forgotten (what linking and drawing keep, a build later:
    # they work after the memo is pruned): the memo holds what a new one holds for the same notes.
    build_site(settings, cache)
    new = sources.NoteCache()
    build_site(settings, new)
    build_site(settings, new)
    assert len(cache.memo) == len(new.memo) >= 2 * len(notes)


def test_notes_worked_on_in_parallel_give_the_site_one_process_gives(tmp_path, monkeypatch):
    """A big site's notes are parsed, de-duplicated and searched for references in worker processes;
    pages, files, findings and appendices are exactly what one process makes, repeats and all."""
    from generator import pipeline
    from generator.pipeline import analyse, build_site

    boilerplate = "Discussed at the weekly meeting of the caucus, with every member there.\n"
    for number in range(1, 13):
        cites = f"As Strategy Note {number % 12 + 1} argued, the union comes first."
        repeat = "\n\nThe union comes first, then the caucus, then the rest of the movement.\n" * (number % 3)
        write(tmp_path, f"notes/{number:04d}-n.md",
              f"# Note {number}\n\n{boilerplate}\n{cites}\n\n| a | b |\n| - | - |\n| {number} | x |\n{repeat}")
    write(tmp_path, "notes/0013-broken.md", "# Broken\n\nSee Strategy Note 99 and [[Nowhere]].\n")
    settings = Settings(root=str(tmp_path), unresolved_references="warn")
    alone = build_site(settings)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    assert pipeline.per_note_work(alone.corpus.notes, settings) is not None
    here, real = [], pipeline.dedup.dedupe_note
    monkeypatch.setattr(pipeline.dedup, "dedupe_note", lambda *args: here.append(1) or real(*args))
    together = build_site(settings)
    assert here == []  # this process worked on no note: the workers did
    assert together.pages == alone.pages and together.files == alone.files
    assert together.findings == alone.findings and together.appendices == alone.appendices
    assert any("Strategy Note 99" in f.message for f in together.findings)
    assert analyse(settings).findings == alone.findings


def test_a_machine_without_worker_processes_builds_the_site_alone(tmp_path, monkeypatch):
    """Where processes cannot be started (no semaphores in a sandbox, say), the notes are worked on here."""
    from generator import pipeline

    for number in range(1, 4):
        write(tmp_path, f"notes/{number:04d}-n.md", f"# Note {number}\n\nAs Strategy Note {number % 3 + 1} argued.\n")
    settings = Settings(root=str(tmp_path))
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)

    def no_processes(*args, **kwargs):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", no_processes)
    assert pipeline.per_note_work(pipeline.load_corpus(settings).notes, settings) is None
    assert "Note 2" in pipeline.build_site(settings).pages["notes/1.md"]
