"""Notes written in an Obsidian vault or a Quartz garden: their front matter, %%comments%% and #tags."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.model import Settings
from generator.obsidian import inline_tags, strip_comments
from generator.pipeline import build_site
from generator.sources import claimed_numbers, load_notes, read_date


def load(tmp_path: Path, files: dict[str, str]):
    for rel, text in files.items():
        path = tmp_path / "notes" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    notes, findings = load_notes(Settings(root=str(tmp_path)))
    return notes, [str(f) for f in findings]


def only(tmp_path: Path, text: str, name: str = "note.md"):
    notes, findings = load(tmp_path, {name: text})
    return (notes[0] if notes else None), findings


# --- front matter --------------------------------------------------------------------------------

VAULT_NOTE = """\
---
title: Tenant power
aliases: [Tenant power note]
description: Why tenants organize.
cssclasses: [wide]
cssclass: wide
publish: true
created: 2024-05-21T14:03:00+02:00
modified: 2024-06-01
updated: 2024-06-01 09:00
lastmod: 2024-06-02
enableToc: false
comments: false
lang: en
hide: [toc]
search: {exclude: false}
template: note.html
icon: material/home
status: new
subtitle: A short one
draft: false
permalink: tenant-power
---
Body.
"""


def test_keys_obsidian_quartz_and_material_write_are_read_without_a_warning(tmp_path):
    note, findings = only(tmp_path, VAULT_NOTE)
    assert findings == []
    assert note.summary == "Why tenants organize."  # description, when there is no summary
    assert note.date == datetime.date(2024, 5, 21)  # created, when there is no date
    assert note.names == ("Tenant power note",)


def test_description_and_permalink_on_the_built_site(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "0003-tenants.md").write_text(
        "---\ndescription: Why tenants organize.\npermalink: /tenant-power\n---\nTenants organize.\n", encoding="utf-8")
    site = build_site(Settings(root=str(tmp_path)))
    assert site.errors == ()
    assert '"summary": "Why tenants organize."' in site.files["notes.json"]
    assert "description: Why tenants organize." in site.pages["notes/3.md"]
    assert 'href="../notes/3/"' in site.files["tenant-power/index.html"]


def test_summary_wins_over_description_and_date_over_created(tmp_path):
    note, _ = only(tmp_path, "---\nsummary: S.\ndescription: D.\ndate: 2024-01-02\ncreated: 2023-01-01\n---\nB.\n")
    assert (note.summary, note.date) == ("S.", datetime.date(2024, 1, 2))


def test_a_quartz_permalink_is_an_old_address_that_redirects(tmp_path):
    note, _ = only(tmp_path, "---\npermalink: /tenant-power\n---\nB.\n", "0003-tenants.md")
    assert note.aliases == ("tenant-power/",) and note.alias_lines == (2,)
    same, _ = only(tmp_path / "same", "---\npermalink: notes/3/\n---\nB.\n", "0003-tenants.md")
    assert same.aliases == ()  # the page's own address needs no redirect


@pytest.mark.parametrize("written", ["2024-05-21", "2024-05-21T14:03:00+02:00", "2024-05-21T23:59:00Z",
                                     "2024-05-21 14:03", "'2024-05-21'", "May 21, 2024", "21 May 2024",
                                     "2024/05/21"])
def test_dates_in_the_formats_vault_tools_write(tmp_path, written):
    note, findings = only(tmp_path, f"---\ndate: {written}\n---\nB.\n")
    assert findings == [] and note.date == datetime.date(2024, 5, 21)


def test_read_date_refuses_what_is_not_a_day():
    assert [read_date(t) for t in ("2024-02-30", "soon", "May 32, 2024")] == [None, None, None]


def test_a_bad_created_date_is_reported_at_its_line(tmp_path):
    _, findings = only(tmp_path, "---\ntitle: A\ncreated: someday\n---\nB.\n")
    assert findings == ["notes/note.md:3: error: 'created' 'someday' is not a real date; "
                        "write it as YYYY-MM-DD, e.g. 'created: 2024-05-01'"]


@pytest.mark.parametrize("written, tags", [
    ("tags: [housing, inquiry]", ("housing", "inquiry")),
    ("tags: ['#housing', '#tenants/organizing']", ("housing", "tenants/organizing")),
    ("tags: housing, inquiry", ("housing", "inquiry")),
    ("tags: '#housing'", ("housing",)),
    ("tags:\n  - housing\n  - Housing\n  - inquiry", ("housing", "inquiry")),
    ("tag: housing", ("housing",)),
])
def test_tags_as_vault_tools_write_them(tmp_path, written, tags):
    note, findings = only(tmp_path, f"---\n{written}\n---\nB.\n")
    assert findings == [] and note.tags == tags


HASH = "'#' starts a comment in YAML; write a tag without it (tags: housing) or in quotes (tags: ['#housing'])"


@pytest.mark.parametrize("written, tags, finding", [
    ("tags: #housing", (), f"notes/note.md:2: warning: the tag on this line is not read: {HASH}"),
    ("tags:\n  - #housing\n  - inquiry", ("inquiry",), f"notes/note.md:3: warning: the tag on this line is not read: {HASH}"),
    ("tags: [#housing]", None, "notes/note.md:3: error: front matter is not valid YAML: did not find expected node "
                               f"content ({HASH}); check indentation, brackets and quotes"),
])
def test_a_tag_yaml_reads_as_a_comment_is_explained(tmp_path, written, tags, finding):
    note, findings = only(tmp_path, f"---\n{written}\n---\nB.\n")
    assert findings == [finding]
    assert tags is None or note.tags == tags


@pytest.mark.parametrize("written, said", [("publish: false", "publish: false"), ("draft: true", "draft: true"),
                                           ("draft: 'True'", "draft: true"),
                                           ("draft: 'False'\npublish: 'false'", "publish: false")])
def test_publish_false_is_a_draft(tmp_path, written, said):
    note, findings = only(tmp_path, f"---\n{written}\n---\nB.\n")
    line = written.count("\n") + 2 if said.startswith("publish") else 2
    assert note is None and findings == [f"notes/note.md:{line}: info: is a draft ({said}); not published"]


def test_a_misspelt_key_still_warns_and_a_key_for_another_tool_is_kept_quietly(tmp_path):
    _, findings = only(tmp_path, "---\ntitel: A\ntgas: [x]\nauthor: Sam\nsource: https://x.org\n"
                                 "kanban-plugin: basic\n---\nB.\n")
    assert findings == ["notes/note.md:2: warning: unknown front matter key 'titel' is ignored; "
                        "did you mean 'title'?",
                        "notes/note.md:3: warning: unknown front matter key 'tgas' is ignored; "
                        "did you mean 'tags'?"]


# --- comments ------------------------------------------------------------------------------------

def test_comments_are_taken_out_keeping_every_line_break():
    text = "a %%inline%% b\nc %%block\nspanning\nlines%% d\ne\n"
    done = strip_comments(text)
    assert done.text == "a  b\nc \n\n d\ne\n" and done.unclosed is None
    assert done.text.count("\n") == text.count("\n")


def test_a_backslash_does_not_turn_a_comment_inside_out():
    assert strip_comments("a \\%%private%% b \\`%%private%%` c\n").text == "a \\ b \\`` c\n"


def test_comments_are_literal_inside_code():
    text = ("`%%span%%` and ``a `%%` b``\n\n```\n%%fenced%%\n```\n\n    %%indented%%\n\n"
            "- item\n\n  ```\n  %%in a list%%\n  ```\n\n> ```\n> %%quoted%%\n> ```\n")
    assert strip_comments(text).text == text


def test_a_comment_may_hold_code_and_an_unclosed_one_hides_the_rest():
    assert strip_comments("a\n%%\n```\nx\n```\n%%\nb %%c%%\n").text == "a\n\n\n\n\n\nb \n"
    done = strip_comments("a\n\nb %%private\nmore\n")
    assert done.text == "a\n\nb \n\n" and done.unclosed == 2


def test_an_unclosed_comment_is_a_warning_at_its_line(tmp_path):
    note, findings = only(tmp_path, "---\ntitle: A\n---\nPublic.\n\nSecret %%hidden\nstill hidden\n")
    assert "hidden" not in note.body
    assert findings == ["notes/note.md:6: warning: a comment opened with '%%' is never closed, so the rest of "
                        "the note is hidden (as in Obsidian); close it with another '%%'"]


COMMENTED = {
    "0001-public.md": """\
        ---
        title: Public
        tags: [housing]
        ---
        %%PRIVATEOPENING the first paragraph would be the description%%
        Tenants organize. %%PRIVATEINLINE%% Together.

        %%
        PRIVATEBLOCK spanning
        lines
        %%

        `%%kept in code%%`
        """,
    "0002-other.md": "# Other\n\nSee Strategy Note 1. %%PRIVATEOTHER [[Public]]%%\n",
}


def test_no_comment_reaches_any_file_of_the_site(fixture_site):
    site = fixture_site(notes=COMMENTED)
    site.build(strict=True)
    files = [path for path in site.site.rglob("*") if path.is_file()]
    names = {path.relative_to(site.site).as_posix() for path in files}
    assert {"notes/1/index.html", "notes/index.html", "notes.json", "feed.xml",
            "search/search_index.json"} <= names
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        assert "PRIVATE" not in text, path
    assert "%%kept in code%%" in site.article("notes/1/").get_text()
    assert site.notes_json()["notes"][0]["summary"] == ""
    assert site.html("notes/1/").select_one('meta[name="description"]')["content"] == "Tenants organize. Together."


def test_a_pasted_header_inside_a_comment_claims_no_number(tmp_path):
    note, _ = only(tmp_path, "%%2019-05-07, Strategy Note 7:%%\n2019-05-08, Strategy Note 8:\nTitle\n\nB.\n")
    assert note.number == 8
    assert claimed_numbers(Settings(root=str(tmp_path))) == {8: "notes/note.md"}


def test_comments_keep_line_numbers_of_later_findings(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text("%%one\ntwo%%\n\nSee [[Nowhere]].\n", encoding="utf-8")
    site = build_site(Settings(root=str(tmp_path)))
    assert [(f.line, "Nowhere" in f.message) for f in site.findings if f.path == "notes/a.md"] == [(4, True)]


# --- inline tags ---------------------------------------------------------------------------------

def test_inline_tags_as_obsidian_reads_them():
    text = ("Text #tag, #nested/tag and #tag-with-dashes; #123 and RFC #1234 are numbers.\n"
            "foo#bar https://x.org/#anchor [#linked](https://x.org) ![#img](a.png) <span> #html</span>\n"
            "`#code` \\#escaped #Tag again\n\n"
            "# Heading\n\n## Section #in-heading\n\n| a |\n| - |\n| #cell |\n\n"
            "```rust\n#[derive(Debug)]\n#fenced\n```\n\n    #indented\n")
    assert inline_tags(text) == ("tag", "nested/tag", "tag-with-dashes", "in-heading", "cell")


def test_what_the_site_reads_as_no_text_holds_no_tags():
    text = "## Backtracking { #backtrack }\n\nText {: #id .wide } here\n[prior-art]: #prior-art\n\n#kept\n"
    assert inline_tags(text) == ("kept",)
    assert inline_tags("Text.[^irc]\n\n[^irc]: The #rust-docs channel.\n") == ("rust-docs",)  # a footnote is text
    assert inline_tags("On #2024-05 and #1/2, #x2024 | #_private\n") == ("x2024", "_private")


def test_inline_tags_are_merged_with_front_matter_tags(tmp_path):
    note, findings = only(tmp_path, "---\ntags: [housing, inquiry]\n---\nOn #tenants and #housing. %%#secret%%\n")
    assert findings == [] and note.tags == ("housing", "inquiry", "tenants")


def test_inline_tags_are_on_the_page_and_in_notes_json(fixture_site):
    site = fixture_site(notes={"0001-a.md": "# A\n\nAbout #tenants/organizing and #housing.\n"})
    site.build(strict=True)
    assert site.notes_json()["notes"][0]["tags"] == ["tenants/organizing", "housing"]
    tags_page = site.article("tags/").get_text(" ", strip=True)
    assert "tenants/organizing" in tags_page and "housing" in tags_page
