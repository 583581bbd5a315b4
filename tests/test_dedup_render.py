"""Taking a passage out never changes how its neighbours render under the site's renderer.

The site is rendered by Python-Markdown, not CommonMark: two block quotes parted
by a blank line become one, a bullet list and a numbered list after it become one
list, and an indented block after a list goes into the list.
"""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from bs4 import BeautifulSoup, Comment

from generator.blocks import split_blocks
from generator.dedup import Removal, find_in_note, without_repeats

EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.superfences", "pymdownx.details"]
GONE = "A passage that repeats an earlier one word for word and is therefore taken out of the page."


def top_level(text: str) -> list[str]:
    """The page's top-level elements, as tag and text (HTML comments are invisible)."""
    soup = BeautifulSoup(markdown.markdown(text, extensions=EXTENSIONS), "html.parser")
    return [f"{el.name}: {' '.join(el.get_text().split())}" for el in soup.children
            if getattr(el, "name", None) and not isinstance(el, Comment)]


NEIGHBOURS = [
    ("> first quote", "> second quote"),
    ("- a bullet", "1. a number"),
    ("1. a number", "- a bullet"),
    ("- a bullet", "    indented text"),
    ("- a bullet", "* another bullet"),
    ("    code one", "    code two"),
    ("!!! note\n    inside", "    indented after"),
    ("Plain text", "more plain text"),
]


@pytest.mark.parametrize("before, after", NEIGHBOURS)
def test_the_neighbours_of_a_removal_render_as_they_did(before, after):
    body = f"{before}\n\n{GONE}\n\n{after}\n"
    start = len(before.split("\n")) + 1
    cleaned, _ = without_repeats(body, [Removal(start, start + 1, 0, 1)])
    assert top_level(cleaned) == [e for e in top_level(body) if GONE not in e]


def test_a_blank_line_always_parts_the_neighbours():
    body = "An intro paragraph.\n```text\nthe code taken out\n```\nThe next paragraph.\n"
    [_, fence, _] = split_blocks(body)
    cleaned, _ = without_repeats(body, [Removal(fence.start, fence.end, 0, 1)])
    assert cleaned == "An intro paragraph.\n\nThe next paragraph.\n"
    assert top_level(cleaned) == ["p: An intro paragraph.", "p: The next paragraph."]


def test_a_run_pasted_twice_between_lists_keeps_them_apart():
    run = f"{GONE}\n\n- the first list, with a point that matters"
    body = f"{run}\n\n{run}\n\n1. the second list\n"
    cleaned = without_repeats(body, find_in_note(body, 12).removals)[0]
    assert cleaned.count(GONE) == 1
    assert [e.split(":")[0] for e in top_level(cleaned)] == ["p", "ul", "ol"]


KINDS = ["> a quote {i}", "- a bullet {i}", "* another bullet {i}", "1. a number {i}", "    indented {i}",
         "```\nfenced {i}\n```", "!!! note\n    admonition {i}", "| a |\n| --- |\n| table {i} |", "Plain {i}."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.booleans()), min_size=2, max_size=7))
def test_removing_any_block_between_any_two_keeps_both_as_they_were(blocks):
    """Blocks parted by a paragraph each; the paragraphs marked True are taken out."""
    parts, removals, line = [], [], 0
    for i, (kind, remove) in enumerate(blocks):
        text = kind.format(i=i)
        parts.append(text)
        line += text.count("\n") + 2
        parts.append(f"{GONE} {i}")
        if remove:
            removals.append(Removal(line, line + 1, 0, 1))
        line += 2
    body = "\n\n".join(parts) + "\n"
    cleaned, _ = without_repeats(body, removals)
    gone = {f"{GONE} {i}" for i, (_, remove) in enumerate(blocks) if remove}
    assert top_level(cleaned) == [e for e in top_level(body) if e.removeprefix("p: ") not in gone]
