"""Where a link into a note can land: the ids its page gives its headings, and its block ids.

`[[Note#Heading]]` and `[[#Heading]]` name a heading by its text, as Obsidian does; the page's
heading carries the id Python-Markdown's table of contents gives it (its default slugify, with
`_1`, `_2` for repeats, counted from the page's title down). `[[Note#^block-id]]` names a block
that ends with ` ^block-id`; the renderer gives that block the id `^block-id`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify, unique

from .blocks import Document

BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)\s*$")  # ` ^block-id` at the end of a block's last line
CUSTOM_ID = re.compile(r"\s*\{:?[^}]*#([\w-]+)[^}]*\}\s*$")  # attr_list's `{ #custom-id }` after a heading


def heading_key(text: str) -> str:
    """How a link names a heading: its words, in any case and spacing."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Fragments:
    """A note's headings (by key -> id) and block ids."""

    headings: dict[str, str]
    blocks: frozenset[str]

    def heading(self, text: str) -> str | None:
        return self.headings.get(heading_key(text))


def fragments(document: Document, title: str) -> Fragments:
    """The ids the rendered page gives the note's headings, and the block ids written in it."""
    ids: set[str] = {slugify(title, "-")}
    headings: dict[str, str] = {}
    for block in document.blocks:
        if block.kind != "heading":
            continue
        text = document.heading_text(block)
        custom = CUSTOM_ID.search(text)
        text = CUSTOM_ID.sub("", text) if custom else text
        if heading_key(text) == heading_key(title) and block is document.blocks[0]:
            headings.setdefault(heading_key(text), next(iter(ids)))  # the opening heading became the title
            continue
        anchor = custom.group(1) if custom else unique(slugify(text, "-"), ids)
        ids.add(anchor)
        headings.setdefault(heading_key(text), anchor)
    found = {match.group(1) for block in document.blocks if block.kind in BLOCK_KINDS
             for line in block.text.split("\n") for match in [BLOCK_ID.search(line)] if match}
    return Fragments(headings, frozenset(found))


BLOCK_KINDS = {"paragraph", "bullet_list", "ordered_list", "blockquote"}
