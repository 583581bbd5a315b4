"""Markdown written elsewhere: what broke on real notes, as a reader and a member see it.

Each case comes from text nobody here wrote (documentation vaults, a personal garden, the Rust
RFCs, a real archive of numbered notes): built into a small site, read back as HTML.
"""

from __future__ import annotations

import re

import pytest

from generator.model import Settings
from generator.pipeline import analyse


def texts(soup, selector):
    return [element.get_text() for element in soup.select(selector)]


@pytest.fixture
def built(fixture_site):
    site = fixture_site(notes={
        "0001-paper.md": "# Paper\n\nEuclidean[[1]](https://example.org/paper) is a citation of a paper.\n",
        "0012-unions.md": "# Unions\n\nOn unions.\n",
        "0014-tenants.md": "# Tenants\n\nOn tenants.\n",
        "0020-fences.md": """\
            # Fences

            ```ts title="a.ts"
            const a = 1
            ```

            See [[Tenants]] and Strategy Note 12.

            ```ts
            const b = "Strategy Note 12 [[Tenants]]"
            ```
            """,
        "0021-odd.md": """\
            # Odd places

            A [scan](files/Strategy Note 12.pdf) of it, and ![[14]] embedded. It worked!Strategy Note 12

            <details>
            <summary>More</summary>

            Strategy Note 12 inside the raw block

            </details>

            See [Strategy Note 12] [1] for the source.

            A paragraph with attributes
            {: title="see Strategy Note 12" }

            [1]: https://example.org/source
            """,
        "0022-wrapped.md": "# Wrapped\n\nThis follows the line set out in Strategy\nNote 12, and the one on Strategy Note\n14 "
                           "as well.\n\n- a list item\n\n\tcontinued on Strategy Note 12, tab-indented\n",
        "0023-relative.md": "# Relative\n\nRead [the unions note](0012-unions.md) and [the other](Other note.md#part) "
                            "and [tenants](./0014-tenants.md).\n",
        "Other note.md": "# Other note\n\n## Part\n\nText.\n",
    })
    site.build()
    return site


def test_the_only_warning_is_the_one_the_text_causes_and_it_names_the_members_file(built):
    assert built.warnings() == ["Doc file 'notes/0021-odd.md' contains a link 'files/Strategy Note 12.pdf', but the "
                                "target 'notes/files/Strategy Note 12.pdf' is not found among documentation files."]


def test_no_link_markup_in_code_and_links_outside_it(built):
    article = built.article("notes/20/")
    for code in article.select("pre, code"):
        assert "](" not in code.get_text() and not code.select("a")
    assert " ".join(texts(article, "pre")).count("Strategy Note 12 [[Tenants]]") == 1
    assert texts(article, "p a.caucus-ref") == ["Tenants", "Strategy Note 12"]


def test_an_existing_link_is_never_rewritten(built):
    link = built.article("notes/1/").select_one('a[href="https://example.org/paper"]')
    assert link is not None and link.get_text() == "[1]"
    one = next(n for n in built.notes_json()["notes"] if n["number"] == 1)
    assert one["referenced_by"] == [] and one["references"] == []


def test_odd_places_show_as_written_and_link_only_in_prose(built):
    article = built.article("notes/21/")
    assert article.select_one('a[href="files/Strategy Note 12.pdf"]').get_text() == "scan"
    assert not article.select("img")
    assert "It worked!Strategy Note 12" in article.get_text()
    assert "](" not in article.get_text()
    assert article.select_one("details a") is None
    assert not article.select("a a")
    source = article.select_one('a[href="https://example.org/source"]')
    assert source is not None and source.get_text() == "Strategy Note 12"
    assert article.select_one('p[title="see Strategy Note 12"]') is not None
    assert "{:" not in article.get_text()


def test_citations_wrapped_across_lines_and_on_tab_indented_lines_are_linked(built):
    links = built.article("notes/22/").select("a.caucus-ref")
    assert [" ".join(a.get_text().split()) for a in links] == ["Strategy Note 12", "Strategy Note 14",
                                                                 "Strategy Note 12"]
    assert next(n for n in built.notes_json()["notes"] if n["number"] == 22)["references"] == ["notes/12/",
                                                                                            "notes/14/"]


def test_relative_markdown_links_between_notes_lead_to_their_pages(built):
    hrefs = [a["href"] for a in built.article("notes/23/").select("p")[1].select("a")]
    assert hrefs == ["../12/", "../other-note/#part", "../14/"]


def write(tmp_path, files: dict[str, str], words=("Strategy Note", "Strategy Notes")) -> Settings:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    return Settings(root=str(tmp_path), citation_words=tuple(words), unresolved_references="info")


def messages(settings: Settings) -> list[str]:
    return [str(f) for f in analyse(settings).findings]


def test_findings_use_the_sites_citation_word_and_one_finding_per_citation(tmp_path):
    settings = write(tmp_path, {"notes/0001-a.md": "# A\n\nAs RFC 33 says.\n\nSee RFCs 2 and 201–227.\n"},
                     words=("RFC", "RFCs"))
    found = [m for m in messages(settings) if "not on this site" in m]
    assert found == ["notes/0001-a.md:3: info: RFC 33 is not on this site: shown as text, not a link",
                     "notes/0001-a.md:5: info: RFCs 2 and 201–227 are not on this site: shown as text, not a link"]


def test_a_name_resolves_by_title_then_file_name_then_alias_and_two_candidates_are_named(tmp_path):
    settings = write(tmp_path, {
        "notes/Community plugins.md": "Some text first.\n\n## Other\n",
        "notes/Plugins.md": "# Plugins\n\nSee [[Community plugins]] and [[plugins]].\n",
        "notes/a.md": "# Shared\n", "notes/b.md": "# Shared\n",
        "notes/c.md": "# C\n\n[[Shared]]\n",
    })
    found = analyse(settings)
    refs = {ref.written: found.citations.resolver(ref, ref.targets[0]) for ref in found.citations.found["notes/plugins/"]}
    assert refs["[[Community plugins]]"].src_uri == "notes/community-plugins.md"
    assert refs["[[plugins]]"].src_uri == "notes/plugins.md"
    warning = [str(f) for f in found.findings if "[[Shared]]" in f.message]
    assert warning == ["notes/c.md:3: warning: [[Shared]] could mean notes/a.md or notes/b.md; not linked: "
                       "link by number or by the file's path instead"]


def test_backlink_context_is_the_citing_sentence_for_wikilinks_too(fixture_site):
    long = " ".join(["Words of a long paragraph go on and on."] * 20)
    site = fixture_site(notes={
        "0012-unions.md": "# Unions\n\nText.\n",
        "0013-other.md": f"# Other\n\n{long} As [[12|the unions note]] says, we organise. {long}\n",
    })
    site.build()
    quote = site.article("notes/12/").select_one("blockquote").get_text(" ", strip=True)
    assert quote == "As the unions note says, we organise."


@pytest.mark.parametrize("text, line", [
    ("# T\n\n- item\n\n\tcontinued on Strategy Note 99 here\n", 5),
    ("# T\n\nas in Strategy\nNote 99 here\n", 3),
])
def test_a_citation_is_reported_at_its_own_line(tmp_path, text, line):
    settings = write(tmp_path, {"notes/0001-a.md": text})
    assert [m for m in messages(settings) if "99" in m] == [
        f"notes/0001-a.md:{line}: info: Strategy Note 99 is not on this site: shown as text, not a link"]


def test_every_found_reference_is_inside_its_source_span(tmp_path):
    """The spans point at the words written: what link markup would replace is the reference itself."""
    text = "# T\n\n| a | b |\n|---|---|\n| [[Note\\|label]] | x |\n\n> quote on Strategy\n> Note 5\n"
    from generator.references import find_references
    lines = text.split("\n")
    for ref in find_references(text, ("Strategy Note",)):
        span = ref.parts[0][0]
        written = lines[span.line][span.col:] if span.line != span.end_line else lines[span.line][span.col:span.end_col]
        assert re.match(r"\[\[Note\\\|label\]\]|Strategy", written), written


def test_two_files_claiming_one_number_both_build_and_the_second_is_named(fixture_site):
    site = fixture_site(notes={
        "2071-impl-trait-existential-types.md": "# Existential types\n\nText.\n",
        "2071-impl-trait-type-alias.md": "# Type alias\n\nText, and RFC 2071.\n",
    }, options="citation_words: [RFC, RFCs]")
    site.build()
    assert site.html("notes/2071/").select_one("h1").get_text() == "Existential types"
    assert site.html("notes/impl-trait-type-alias/").select_one("h1").get_text() == "Type alias"
    assert site.article("notes/impl-trait-type-alias/").select_one("a.caucus-ref")["href"] == "../2071/"
    assert [w for w in site.warnings() if "number 2071" in w] == [
        "caucus: notes/2071-impl-trait-type-alias.md:1: warning: number 2071 is also claimed by "
        "notes/2071-impl-trait-existential-types.md, which keeps it; this note is published at "
        "notes/impl-trait-type-alias/ until it has a number of its own"]


def test_attachments_are_published_and_linked_from_notes_in_any_folder(fixture_site):
    site = fixture_site(notes={
        "0030-diagrams.md": "# Diagrams\n\n![flow](0030-diagrams/flow.svg) and [the scan](scan.pdf).\n",
        "sub/0031-deep.md": "# Deep\n\n![flow](../0030-diagrams/flow.svg) and ![local](local.png)\n",
    })
    (site.root / "notes/0030-diagrams").mkdir()
    (site.root / "notes/0030-diagrams/flow.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (site.root / "notes/scan.pdf").write_bytes(b"%PDF-1.4")
    (site.root / "notes/sub/local.png").write_bytes(b"\x89PNG")
    site.build(strict=True)
    for page, attribute, expected in [("notes/30/", "img", "../0030-diagrams/flow.svg"),
                                      ("notes/31/", "img", "../0030-diagrams/flow.svg")]:
        assert site.article(page).select_one(attribute)["src"] == expected
    assert site.article("notes/30/").select_one('a[href$="scan.pdf"]')["href"] == "../scan.pdf"
    assert site.article("notes/31/").select("img")[1]["src"] == "../sub/local.png"
    for published in ("notes/0030-diagrams/flow.svg", "notes/scan.pdf", "notes/sub/local.png"):
        assert (site.site / published).is_file()


def test_line_numbers_stay_right_after_a_repeat_is_left_out(tmp_path):
    paragraph = "A long paragraph about organising the caucus that a member pasted twice by accident here."
    text = f"# T\n\n{paragraph}\n\n{paragraph}\n\nAs Strategy Note 99 says.\n"
    settings = write(tmp_path, {"notes/0001-a.md": text})
    assert [m for m in messages(settings) if "99" in m] == [
        "notes/0001-a.md:7: info: Strategy Note 99 is not on this site: shown as text, not a link"]
