"""Markdown block structure, from markdown-it-py tokens.

Every stage that needs to know where a heading, paragraph or code block is
asks this module, so the whole generator agrees with one CommonMark parser
about what the Markdown means (and about its source lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token


def site_markdown() -> MarkdownIt:
    """CommonMark read the way the site's renderer reads the blocks a notes site uses.

    The site renders with Python-Markdown and the extensions in mkdocs.yml (tables,
    admonition and details, superfences, footnotes); each of those block types is
    enabled here too, so every stage sees code, admonitions and footnotes where the
    page will show them. Fences (with attributes, inside lists and admonitions) are
    CommonMark's own. Math (`$…$`, `$$…$$`) is read by the rules `generator.flavour` renders it
    by: no space inside the dollars, no digit outside them ("$5 and $10" is text), no blank line
    in display math; like code, it holds no references.
    """
    md = (MarkdownIt("commonmark").enable("table").use(admon_plugin).use(footnote_plugin)
          .use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False,
               allow_blank_lines=False, double_inline=True))
    # Footnote definitions stay where they are written (the tail rule would move them to the
    # end, and drop those it did not see referenced, which a block pass never sees).
    md.core.ruler.disable("footnote_tail")
    return md


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The site's parser, shared by every stage (building it is not free)."""
    return site_markdown()


def plain_text(inline: Token) -> str:
    """The words of an inline token as a reader sees them (no markup, breaks as spaces)."""
    parts: list[str] = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("math_inline", "math_inline_double"):
            parts.append(child.markup + child.content + child.markup)  # as written: the page shows math
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def first_heading(markdown: str) -> tuple[str, int] | None:
    """The text and 0-based line of the first heading of any level, if there is one.

    A pasted note often has no front matter; its first heading is then the
    best title it has.
    """
    document = parse(markdown)
    for inline in document.inlines:
        if inline.kind == "heading":
            text = plain_text(document.inline_tokens(inline))
            if text:
                return text, inline.line
    return None


def leading_heading(markdown: str | Document) -> tuple[str, int, int] | None:
    """The heading that opens the text (only blank lines before it): text, first and end line.

    A note whose first line is its heading gets that heading as its title; the
    page header then shows the title, so the page body starts after it.
    """
    document = markdown if isinstance(markdown, Document) else parse(_first_block(markdown))
    first = document.blocks[0] if document.blocks else None
    if first is not None and first.kind == "heading":
        return document.heading_text(first), first.start, first.end
    return None


def _first_block(markdown: str) -> str:
    """The text up to the first blank line after some content: all that can hold an opening heading."""
    start = len(markdown) - len(markdown.lstrip("\n"))
    end = markdown.find("\n\n", start)
    return markdown if end < 0 else markdown[:end + 1]


CALLOUT_MARKER = re.compile(r"^\[![\w-]+\][+-]?\s*")  # an Obsidian callout's `[!type]`: the page shows no such text


def first_paragraph(markdown: str | Document, max_words: int = 40) -> str:
    """The words of the first paragraph, shortened: a page's description when it has no summary."""
    document = markdown if isinstance(markdown, Document) else parse(markdown)
    for inline in document.inlines:
        if inline.kind != "paragraph":
            continue
        words = CALLOUT_MARKER.sub("", plain_text(document.inline_tokens(inline))).split()
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
    # Code, a table or math, or a block holding one: its spaces and line breaks are content,
    # so de-duplication compares it exactly, never with white space folded.
    exact: bool = False

    @property
    def words(self) -> int:
        return len(self.text.split())


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The same parser without its inline pass: block structure is all de-duplication needs."""
    md = site_markdown()
    md.core.ruler.disable("inline")
    return md


@dataclass(frozen=True)
class Inline:
    """The inline text of one paragraph, heading or table cell, not yet parsed for links and emphasis."""

    content: str
    line: int  # 0-based source line of its first line
    kind: str  # the block that holds it: paragraph, heading, th, td


@dataclass(frozen=True)
class Document:
    """A Markdown text parsed once for its block structure, shared by every stage that reads it.

    The block pass is the part of parsing every stage needs (de-duplication,
    titles, the page body); the inline pass is done only for the pieces a
    stage asks for, so a note is never parsed whole more than once.
    """

    text: str
    blocks: tuple[Block, ...]
    inlines: tuple[Inline, ...]
    env: dict = field(default_factory=dict, compare=False)  # link reference definitions, for the inline pass

    def inline_tokens(self, inline: Inline, md: MarkdownIt | None = None) -> Token:
        """One inline piece parsed as markdown-it-py's core inline rule would: a token with children."""
        md = md or parser()
        env = dict(self.env)
        token = Token("inline", "", 0, content=inline.content, map=[inline.line, inline.line + 1], children=[])
        md.inline.parse(inline.content, md, env, token.children)
        text_join(StateCore(inline.content, md, env, [token]))  # the core rule that follows the inline pass
        return token

    def heading_text(self, block: Block) -> str:
        inline = next((i for i in self.inlines if i.kind == "heading" and i.line == block.start), None)
        return plain_text(self.inline_tokens(inline)) if inline else ""


LOOSE_DEFINITIONS = "caucus_loose_definitions"  # env key: labels Python-Markdown reads as defined
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\[\]]*)\]:", re.M)  # Python-Markdown's reference definitions


def document_env(markdown: str) -> dict:
    """What the inline pass must know of the whole text before it starts: the labels the renderer
    reads as defined, even inside a paragraph (markdown-it adds its own definitions as it goes)."""
    if "]:" not in markdown:
        return {}
    return {LOOSE_DEFINITIONS: {" ".join(label.split()).casefold() for label in _DEFINITION.findall(markdown)}}


EXACT_TOKENS = {"fence", "code_block", "table_open", "math_block", "math_block_eqno", "html_block"}
_MATH = re.compile(r"\$\$|\\\[|\\\(|\\begin\{|(?<![\\$])\$[^$\s][^$\n]*\$")


def parse(markdown: str) -> Document:
    """The top-level blocks with 0-based source line ranges (markdown-it-py's token maps), and
    every inline piece with its line, from one block pass.

    A top-level block is `exact` when it or anything nested in it is code, a table, raw HTML
    or math: there layout is meaning, so two such blocks are the same only when equal.
    """
    lines = markdown.split("\n")
    env = document_env(markdown)
    found: list[list] = []  # kind, start, end, level, exact: the last one is open to nested tokens
    inlines = []
    holder = "paragraph"
    for tok in block_parser().parse(markdown, env):
        if tok.type == "inline":
            if tok.map is not None:
                inlines.append(Inline(tok.content, tok.map[0], holder))
                if found and ("$" in tok.content or "\\" in tok.content) and _MATH.search(tok.content):
                    found[-1][4] = True
            continue
        if tok.nesting == 1:
            holder = tok.type.removesuffix("_open")
        if tok.level != 0:
            if found and tok.type in EXACT_TOKENS:
                found[-1][4] = True
            continue
        if tok.nesting == -1 or tok.map is None:
            continue
        kind = tok.type.removesuffix("_open")
        level = int(tok.tag[1]) if kind == "heading" else 0
        found.append([kind, tok.map[0], tok.map[1], level, tok.type in EXACT_TOKENS])
    blocks = tuple(Block(kind, start, end, "\n".join(lines[start:end]), level, exact)
                   for kind, start, end, level, exact in found)
    return Document(markdown, blocks, tuple(inlines), env)


def split_blocks(markdown: str) -> list[Block]:
    """The top-level blocks with 0-based source line ranges."""
    return list(parse(markdown).blocks)


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
