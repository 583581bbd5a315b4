"""Markdown block structure, from markdown-it-py tokens.

Every stage that needs to know where a heading, paragraph or code block is
asks this module, so the whole generator agrees with one CommonMark parser
about what the Markdown means (and about its source lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """One CommonMark parser with tables, shared by every stage (building it is not free)."""
    return MarkdownIt("commonmark").enable("table")


def tokens(markdown: str) -> list[Token]:
    return parser().parse(markdown)


def plain_text(inline: Token) -> str:
    """The words of an inline token as a reader sees them (no markup, breaks as spaces)."""
    parts: list[str] = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def first_heading(markdown: str) -> tuple[str, int] | None:
    """The text and 0-based line of the first heading of any level, if there is one.

    A pasted note often has no front matter; its first heading is then the
    best title it has.
    """
    toks = tokens(markdown)
    for i, tok in enumerate(toks):
        if tok.type == "heading_open" and tok.map is not None:
            text = plain_text(toks[i + 1])
            if text:
                return text, tok.map[0]
    return None


def leading_heading(markdown: str) -> tuple[str, int, int] | None:
    """The heading that opens the text (only blank lines before it): text, first and end line.

    A note whose first line is its heading gets that heading as its title; the
    page header then shows the title, so the page body starts after it.
    """
    toks = tokens(_first_block(markdown))
    if toks and toks[0].type == "heading_open" and toks[0].map is not None:
        return plain_text(toks[1]), toks[0].map[0], toks[0].map[1]
    return None


def _first_block(markdown: str) -> str:
    """The text up to the first blank line after some content: all that can hold an opening heading."""
    start = len(markdown) - len(markdown.lstrip("\n"))
    end = markdown.find("\n\n", start)
    return markdown if end < 0 else markdown[:end + 1]


def first_paragraph(markdown: str, max_words: int = 40) -> str:
    """The words of the first paragraph, shortened: a page's description when it has no summary."""
    toks = tokens(markdown)
    for i, tok in enumerate(toks):
        if tok.type == "paragraph_open" and i + 1 < len(toks):
            words = plain_text(toks[i + 1]).split()
            if words:
                return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")
    return ""


@dataclass(frozen=True)
class Block:
    """A top-level block of a note: its kind, its source lines [start, end) and its text."""

    kind: str  # heading, paragraph, bullet_list, ordered_list, blockquote, fence, code_block, table, html_block, hr
    start: int
    end: int
    text: str
    level: int = 0  # heading level, 0 for other blocks

    @property
    def words(self) -> int:
        return len(self.text.split())


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The same parser without its inline pass: block structure is all de-duplication needs."""
    md = MarkdownIt("commonmark").enable("table")
    md.core.ruler.disable("inline")
    return md


def split_blocks(markdown: str) -> list[Block]:
    """The top-level blocks with 0-based source line ranges (markdown-it-py's token maps)."""
    lines = markdown.split("\n")
    blocks = []
    for tok in block_parser().parse(markdown):
        if tok.level != 0 or tok.nesting == -1 or tok.map is None:
            continue
        kind = tok.type.removesuffix("_open")
        start, end = tok.map
        level = int(tok.tag[1]) if kind == "heading" else 0
        blocks.append(Block(kind, start, end, "\n".join(lines[start:end]), level))
    return blocks


def sections(blocks: list[Block]) -> list[tuple[int, int]]:
    """(first, end) block indexes of each section: a heading and what follows it up to the next
    heading of the same or a higher level."""
    found = []
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        j = i + 1
        while j < len(blocks) and not (blocks[j].kind == "heading" and blocks[j].level <= block.level):
            j += 1
        found.append((i, j))
    return found
