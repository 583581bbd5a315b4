"""Finding and linking references: every syntax, every place that must not be linked, same words."""

from __future__ import annotations

import markdown as python_markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.markdown_ext import PageLinks, ReferenceLinksExtension
from generator.references import Target, apply_links, find_references, mark_links

WORDS = ("Strategy Note", "Strategy Notes", "SN")
ON_SITE = {5, 12, 13, 14, 15}


def resolve(ref, target):
    if str(target).isdigit():
        number = int(target)
        label = f"Strategy Note {number}"
        return Target(f"notes/{number}.md", label) if number in ON_SITE else Target(None, label, f"{label} is not on this site")
    pages = {"on unions": "notes/12.md", "projects/tenant-union": "projects/tenant-union.md", "join": "join.md"}
    if target.casefold() in pages:
        return Target(pages[target.casefold()], "Tenant union" if target.startswith("projects/") else target)
    return Target(None, target, f"no note is titled “{target}”")


def link(text: str) -> str:
    return apply_links(text, find_references(text, WORDS), resolve, lambda uri: uri)


def rendered_text(text: str) -> str:
    html = python_markdown.markdown(text, extensions=["tables"])
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


@pytest.mark.parametrize("source, expected", [
    ("Strategy Note 12 says", "[Strategy Note 12](notes/12.md) says"),
    ("Strategy Notes 12 and 14.", "[Strategy Notes 12](notes/12.md) and [14](notes/14.md)."),
    ("Strategy Notes 12, 14 and 15", "[Strategy Notes 12](notes/12.md), [14](notes/14.md) and [15](notes/15.md)"),
    ("Strategy Notes 12, 14, and 15", "[Strategy Notes 12](notes/12.md), [14](notes/14.md), and [15](notes/15.md)"),
    ("Strategy Notes 12–15", "[Strategy Notes 12](notes/12.md)–[15](notes/15.md)"),
    ("Strategy Notes 12-15", "[Strategy Notes 12](notes/12.md)-[15](notes/15.md)"),
    ("Strategy Notes 12\nand 14", "[Strategy Notes 12](notes/12.md)\nand [14](notes/14.md)"),
    ("Strategy\nNote 12", "[Strategy\nNote 12](notes/12.md)"),
    ("SN 12", "[SN 12](notes/12.md)"),
    ("Strategy Note #12 and Strategy Notes #13, #14", "[Strategy Note #12](notes/12.md) and "
                                                    "[Strategy Notes #13](notes/13.md), #[14](notes/14.md)"),
    ("[[12]]", "[Strategy Note 12](notes/12.md)"),
    ("[[12|the caucus note]]", "[the caucus note](notes/12.md)"),
    ("[[on UNIONS]]", "[on UNIONS](notes/12.md)"),
    ("[[projects/tenant-union]]", "[Tenant union](projects/tenant-union.md)"),
    ("[[join]]", "[join](join.md)"),
    ("Strategy Note 299.", '<span class="caucus-unresolved" title="Strategy Note 299 is not on this site">'
                           "Strategy Note 299</span>."),
    ("[[Nowhere]]", '<span class="caucus-unresolved" title="no note is titled “Nowhere”">Nowhere</span>'),
])
def test_each_syntax_becomes_links(source, expected):
    assert link(source) == expected


@pytest.mark.parametrize("source", [
    "`Strategy Note 12` in code",
    "``code with `Strategy Note 12` inside``",
    "    Strategy Note 12 indented code",
    "```\nStrategy Note 12 [[12]]\n```",
    "~~~\nStrategy Note 12 [[12]]\n~~~",
    "[Strategy Note 12](https://example.org/) already a link",
    "[see [[12]] here](https://example.org/)",
    "[Strategy Note 12][ref]\n\n[ref]: https://example.org/",
    '<a href="https://example.org/">Strategy Note 12</a>',
    "<span>Strategy Note 12</span>",
    "<div>\nStrategy Note 12 in an HTML block\n</div>",
    "![Strategy Note 12](picture.png)",
    "<https://example.org/Strategy-Note-12>",
    "Strategy Note 12a is not a citation",
    "NotStrategy Note 12",
])
def test_places_that_must_not_be_linked(source):
    assert link(source) == source


def test_every_reference_on_a_page_is_linked_not_only_the_first_few():
    text = " ".join(f"Strategy Note {n}." for n in [12, 14, 15, 12, 14, 15, 5, 13])
    assert link(text).count("](notes/") == 8


def test_line_count_never_changes():
    text = "Strategy Notes 12\nand 14\n\n| a | b |\n|---|---|\n| Strategy Note 12 | [[14]] |\n"
    assert len(link(text).split("\n")) == len(text.split("\n"))


def test_ranges_refer_to_the_numbers_between_and_large_ranges_are_not_expanded():
    [small] = find_references("Strategy Notes 12–15", WORDS)
    assert small.targets == (12, 15, 13, 14) and small.problem == ""
    [large] = find_references("Strategy Notes 1-100", WORDS)
    assert large.targets == (1, 100) and "not expanded" in large.problem


def test_context_is_the_citing_sentence():
    filler = "Other words fill this paragraph. " * 10
    [ref] = find_references(filler + "We build on Strategy Note 12 here. " + filler, WORDS)
    assert ref.context == "We build on Strategy Note 12 here."


def test_references_in_tables_and_headings_are_located_exactly():
    text = "## Part on Strategy Note 12 ##\n\n| a | b |\n|---|---|\n| x | see Strategy Note 14 |\n"
    assert link(text) == ("## Part on [Strategy Note 12](notes/12.md) ##\n\n| a | b |\n|---|---|\n"
                          "| x | see [Strategy Note 14](notes/14.md) |\n")


PROSE = st.sampled_from(["We", "build", "power", "and", "Strategy", "Note", "Notes", "12", "14", "299", ",",
                         ".", "*", "_", "`", "[", "]", "(", ")", "<b>", "</b>", "#", "-", "|", "\n", "\n\n",
                         "    ", "> ", "1.", "&amp;", "\\", "SN"])
CITATION = st.builds(lambda words, numbers, sep: f"{words} {sep.join(map(str, numbers))}",
                     st.sampled_from(WORDS), st.lists(st.sampled_from([5, 12, 14, 299, 13]), min_size=1, max_size=3),
                     st.sampled_from([", ", " and ", ", and "]))


def rendered_words(text: str, anchors=()) -> str:
    """The words a reader gets from the site's renderer, a reference's reason for not being a link left out."""
    md = python_markdown.Markdown(extensions=["tables", ReferenceLinksExtension(lambda: PageLinks(tuple(anchors)))])
    soup = BeautifulSoup(md.convert(text), "html.parser")
    for reason in soup.select(".caucus-unresolved__why"):
        reason.decompose()
    return " ".join(soup.get_text().split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PROSE, CITATION), max_size=40).map(" ".join))
@example("` \n * Strategy Note 5 `")  # a list to markdown-it, a code span to Python-Markdown
def test_linking_never_changes_the_rendered_words(text):
    marked, anchors = mark_links(text, find_references(text, WORDS), resolve, lambda uri: uri)
    assert rendered_words(marked, anchors) == rendered_words(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_is_linked_without_an_exception(text):
    linked = link(text)
    assert len(linked.split("\n")) == len(text.split("\n"))


def test_a_sentence_ends_where_a_reader_would_say_it_does():
    from generator.references import _last_word, _sentence_ends

    text = "See e.g. Strategy Note 1 for more.  Mr. Smith read it. A. Jones too! (cf. Note 2) Then 3. More"
    starts = [0, *_sentence_ends(text)]
    assert [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])] == [
        "See e.g. Strategy Note 1 for more.  ", "Mr. Smith read it. ",
        "A. Jones too! (cf. Note 2) Then 3. More"]  # not after abbreviations, initials and numbers
    for end in range(len(text) + 1):  # what text[:end].rsplit(None, 1)[-1] gives, without the copy
        assert _last_word(text, end) == (text[:end].rsplit(None, 1)[-1] if text[:end].strip() else "")
    [ref] = find_references("One. We build on Strategy Note 12 here. Two.", ["Strategy Note"])
    assert ref.context is ref.context  # worked out once
