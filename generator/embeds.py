"""`![[Note]]` and `![[Note#Heading]]`: another note, or one of its sections, shown in place.

An embed that stands alone in its paragraph becomes a block on the page: the embedded
note's text (as linked for its own page, its references re-pointed from this page) in an
admonition titled with the note's name, and a link to it. Embeds inside embeds are shown
too; an embed that would show a note already being shown (a cycle) stays a link, and
`check` says so.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .blocks import Document, leading_heading, sections
from .fragments import BLOCK_ID, fragments, heading_key
from .references import MARKED, Anchor, mark_code, mark_number
from .rendering import md_text
from .urls import relative_to

MAX_DEPTH = 4  # embeds inside embeds, shown at most this deep


@dataclass(frozen=True)
class Embeddable:
    """What another page needs to show a note in place: its marked text, anchors and blocks."""

    src_uri: str
    title: str
    marked: str  # the note's body as marked for its own page (same lines as `document`)
    anchors: Sequence[Anchor]
    document: Document | None


def expand(marked: str, anchors: Sequence[Anchor], page: str, notes: Mapping[str, Embeddable],
           showing: tuple[str, ...] = ()) -> tuple[str, list[Anchor]]:
    """The page's marked text with each embed of a note standing alone on its line shown in place."""
    anchors = list(anchors)
    lines = marked.split("\n")
    out: list[str] = []
    for line in lines:
        match = MARKED.fullmatch(line.strip()) if line.strip().startswith("\U000F1A00") else None
        anchor = anchors[mark_number(match.group(1))] if match else None
        target = notes.get(anchor.src_uri or "") if anchor is not None and anchor.embed else None
        if target is None or target.src_uri in showing or len(showing) >= MAX_DEPTH:
            out.append(line)
            continue
        block, anchors = _block(target, anchor, page, anchors, notes, (*showing, page))
        indent = line[:len(line) - len(line.lstrip())]
        out.extend(indent + piece if piece else piece for piece in block)
    return "\n".join(out), anchors


def _block(target: Embeddable, anchor: Anchor, page: str, anchors: list[Anchor],
           notes: Mapping[str, Embeddable], showing: tuple[str, ...]) -> tuple[list[str], list[Anchor]]:
    """The admonition that shows the embedded text, and the page's anchors with the embed's added."""
    fragment = anchor.href.split("#", 1)[1] if anchor.href and "#" in anchor.href else ""
    text = _excerpt(target, fragment)
    text, inner = expand(text, target.anchors, target.src_uri, notes, showing)
    text = _renumbered(text, len(anchors))
    anchors = anchors + [_rebased(a, target.src_uri, page) for a in inner]
    title = (anchor.text or target.title).replace('"', "'")
    link = relative_to(target.src_uri, page) + (f"#{fragment}" if fragment else "")
    body = [("    " + line if line.strip() else "") for line in text.strip("\n").split("\n")]
    return [f'!!! embed "{title}"', "", *body, "", f"    [Open “{md_text(title)}”]({link})", ""], anchors


def _excerpt(target: Embeddable, fragment: str) -> str:
    """The whole note (without the heading that is its title), or the section a heading opens."""
    lines = target.marked.split("\n")
    document = target.document
    if document is None:
        return target.marked
    if fragment.startswith("^"):
        for index, block in enumerate(document.blocks):
            if any((m := BLOCK_ID.search(line)) and m.group(1) == fragment[1:]
                   for line in lines[block.start:block.end]):
                if BLOCK_ID.fullmatch(" " + block.text.strip()) and index:  # the marker alone: the block before
                    block = document.blocks[index - 1]
                return "\n".join(lines[block.start:block.end])
        return target.marked
    if fragment:
        wanted = next((key for key, anchor in fragments(document, target.title).headings.items()
                       if anchor == fragment), None)
        blocks = list(document.blocks)
        for first, end in sections(blocks):
            if heading_key(document.heading_text(blocks[first])) == wanted:
                return "\n".join(lines[blocks[first].start:blocks[end - 1].end])
        return target.marked
    heading = leading_heading(document)
    if heading and heading[0] == target.title:
        return "\n".join(lines[heading[2]:])
    return target.marked


def _renumbered(text: str, offset: int) -> str:
    """Marks of the embedded text numbered after the page's own."""
    if not offset:
        return text

    def shift(match: re.Match[str]) -> str:
        number = mark_code(mark_number(match.group(1)) + offset)
        return match.group(0).replace(match.group(1), number)

    return MARKED.sub(shift, text)


def _rebased(anchor: Anchor, source: str, page: str) -> Anchor:
    """An anchor made for the embedded note's page, pointed from the embedding page instead."""
    if not anchor.href:
        return anchor
    path, _, fragment = anchor.href.partition("#")
    target = source if not path else posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    return replace(anchor, href=relative_to(target, page) + (f"#{fragment}" if fragment else ""))
