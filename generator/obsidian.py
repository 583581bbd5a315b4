"""What Obsidian reads in a note's text beyond Markdown: `%%comments%%` and inline `#tags`.

A member who opens `notes/` as an Obsidian vault writes both. Comments are the member's
private notes, so they are taken out of the body when a note is loaded, before any stage
sees it; inline tags count as the note's tags, as they do in Obsidian. Code (fenced,
indented or inline) keeps both literally, as Obsidian shows it. Pure: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from .blocks import block_parser, document_env, parse, parser

COMMENT = "%%"

# Obsidian's tag: '#' then letters, digits, '_', '-' and '/' (nested tags), after a space or at
# the start; at least one letter or '_' ('#1984' is no tag, '#y1984' is).
_TAG = re.compile(r"(?:^|(?<=\s))#([\w/-]+)")
# What could be a tag in the raw text (after a space, at a line's start, or after the '>' or '|'
# that open a quote or a table cell): a note without one is not parsed for tags at all. Written
# '#' first, then the look back, so the search skips straight from one '#' to the next.
_CANDIDATE = re.compile(r"#(?<![^\s>|]#)[\w/-]*[^\W\d]")
# What the site's renderer reads as no text, though CommonMark reads it as text: an attribute list
# ('## Heading { #id }', attr_list) and a reference definition inside a paragraph (Python-Markdown).
_ATTRIBUTES = re.compile(r"\{:?[ \t]*(?:[#.]?[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s}]+))?[ \t]*)+\}")
_DEFINITION = re.compile(r"^[ ]{0,3}\[(?!\^)[^\[\]]*\]:.*$", re.M)  # not a footnote


@dataclass(frozen=True)
class Uncommented:
    """A text without its comments; `unclosed` is the 0-based line of a '%%' never closed, if any."""

    text: str
    unclosed: int | None = None


def _code_lines(text: str) -> set[int]:
    """0-based lines inside fenced or indented code blocks, at any depth (in lists and quotes too)."""
    lines: set[int] = set()
    for token in block_parser().parse(text, document_env(text)):
        if token.type in ("fence", "code_block") and token.map is not None:
            lines.update(range(*token.map))
    return lines


def _blanked(text: str) -> str:
    """`text` with everything but its line breaks taken out: a comment leaves its lines behind."""
    return "\n" * text.count("\n")


def _code_span_end(text: str, start: int, run: int) -> int | None:
    """The end of the code span whose opening run of `run` backticks starts at `start`, or None.

    A span closes at the next run of exactly as many backticks within its paragraph.
    """
    limit = text.find("\n\n", start)
    limit = len(text) if limit < 0 else limit
    for match in re.finditer(r"`+", text[start + run:limit]):
        if len(match.group()) == run:
            return start + run + match.end()
    return None


def _first_comment(text: str, code: set[int]) -> tuple[int, int, bool] | None:
    """(start, end, closed) of the first '%%…%%' outside code; one never closed ends the text."""
    line, i = 0, 0
    while i < len(text):
        char = text[i]
        if line in code:  # skip the rest of a code block's line
            end = text.find("\n", i)
            if end < 0:
                return None
            i, line = end + 1, line + 1
            continue
        if char == "\n":
            line += 1
        elif char == "\\" and text.startswith("`", i + 1):
            i += 1  # an escaped backtick opens no code span (a '%' stays: '\%%' still opens a comment)
        elif char == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            end = _code_span_end(text, i, run)
            if end is not None:
                line += text.count("\n", i, end)
                i = end
                continue
            i += run
            continue
        elif text.startswith(COMMENT, i):
            close = text.find(COMMENT, i + 2)
            return (i, len(text), False) if close < 0 else (i, close + 2, True)
        i += 1
    return None


def strip_comments(text: str) -> Uncommented:
    """`text` without its Obsidian comments, every line break kept so line numbers stay right.

    A '%%' never closed hides the rest of the note, as in Obsidian; `unclosed` says where.
    """
    unclosed = None
    while COMMENT in text:
        found = _first_comment(text, _code_lines(text))  # re-read: a comment may have held a fence
        if found is None:
            break
        start, end, closed = found
        if not closed:
            unclosed = text.count("\n", 0, start)
        text = text[:start] + _blanked(text[start:end]) + text[end:]
    return Uncommented(text, unclosed)


_LETTER = re.compile(r"[^\W\d]")  # a letter or '_'


_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _html_nesting(tag: str) -> int:
    """+1 for an opening element, -1 for a closing one, 0 for a comment or a void or self-closed one."""
    match = re.match(r"<(/?)([A-Za-z][\w-]*)", tag)
    if match is None or tag.endswith("/>") or match.group(2).lower() in _VOID:
        return 0
    return -1 if match.group(1) else 1


def _tags_in(children: list[Token]) -> list[str]:
    """Tags in the plain text of one inline piece: not in code, links, images or HTML.

    Code spans and images are tokens of their own (an image's words are its children), so only
    link text and what sits between inline HTML tags need to be skipped here.
    """
    found: list[str] = []
    depth = 0  # inside a link
    html = 0  # inside inline HTML elements ('<span> #x</span>')
    boundary = True  # whether the text before the current token ends a word (start, break, space)
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "html_inline":
            html = max(0, html + _html_nesting(child.content))
        elif child.type == "text" and depth == 0 and html == 0:
            content = child.content
            for match in _TAG.finditer(content):
                if match.start() == 0 and not boundary:
                    continue
                name = match.group(1).strip("/")
                if _LETTER.search(name):
                    found.append(name)
        if child.type in ("softbreak", "hardbreak"):
            boundary = True
        elif child.type == "text":
            boundary = child.content[-1:].isspace()
        else:
            boundary = False
    return found


def inline_tags(markdown: str) -> tuple[str, ...]:
    """The `#tags` written in a note's text, in order, each once: paragraphs, headings and table cells."""
    if not _CANDIDATE.search(_DEFINITION.sub("", markdown)):  # '[summary]: #summary' is no tag
        return ()
    document = parse(markdown)
    md = parser()
    found: list[str] = []
    for inline in document.inlines:
        if not _CANDIDATE.search(inline.content):
            continue
        content = _DEFINITION.sub("", _ATTRIBUTES.sub(" ", inline.content))
        children: list[Token] = []
        md.inline.parse(content, md, dict(document.env), children)  # escapes stay apart ('\#x')
        found.extend(_tags_in(children))
    return merge_tags(found)


def merge_tags(*groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Tags in order, each once: 'Housing' and 'housing' are one tag (the first spelling kept)."""
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            seen.setdefault(tag.casefold(), tag)
    return tuple(seen.values())
