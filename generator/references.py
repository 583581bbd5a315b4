"""Find references in Markdown and turn them into links: the "link" stage.

References are "Strategy Note 299", "Strategy Notes 12, 14 and 15",
"Strategy Notes 12–15" (citation words are configurable) and wikilinks
`[[299]]`, `[[299|label]]`, `[[Title]]`, `[[projects/slug]]`, `[[join]]`.

They are found by markdown-it-py, not by a regex over the raw text: two
inline rules recognise them where CommonMark says text is (never in code,
raw HTML, autolinks, images, or inside a link or its text), and record
their offsets in the inline content, which are mapped back to the source's
lines. Linking then inserts link markup at those places and changes nothing
else: the words stay the same and the number of lines never changes (the
de-duplication stage relies on that).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .blocks import Document, parse


MAX_RANGE = 50  # "Strategy Notes 1-5000" is a typo, not 5,000 references
WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
VOID_TAGS = {"br", "img", "hr", "input", "wbr", "source", "meta", "link"}


@dataclass(frozen=True)
class Span:
    """A place in the source: 0-based line and column, end exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True)
class Found:
    """One reference as written: where its linkable parts are and what they point at.

    A citation has a part per number written ("Strategy Notes 12" and "14");
    a range also refers to the numbers between its ends, which are not
    written and so get no link. A wikilink is one part, replaced whole.
    """

    kind: str  # "citation" or "wikilink"
    parts: tuple[tuple[Span, int | str], ...]
    unwritten: tuple[int, ...] = ()
    label: str | None = None
    problem: str = ""
    written: str = ""  # the reference as written, to find its sentence
    paragraph: Paragraph | None = field(default=None, compare=False, repr=False)

    @property
    def context(self) -> str:
        """The sentence that holds the reference: worked out only for the pages that quote it."""
        return self.paragraph.context(self.written) if self.paragraph is not None else ""

    @property
    def line(self) -> int:
        return self.parts[0][0].line

    @property
    def targets(self) -> tuple[int | str, ...]:
        return tuple(t for _, t in self.parts) + self.unwritten


@lru_cache(maxsize=8)
def citation_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The citation words (longest first) followed by numbers, ranges, commas and 'and'."""
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split()))
                            for w in sorted(words, key=len, reverse=True))
    item = r"\d+(?:\s*[-–]\s*\d+)?"
    return re.compile(rf"(?<![\w])(?:{alternatives})\s+{item}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){item})*(?![\w])")


NUMBER_OR_RANGE = re.compile(r"(\d+)(?:(\s*[-–]\s*)(\d+))?")


@lru_cache(maxsize=8)
def reference_parser(words: tuple[str, ...]) -> MarkdownIt:
    """CommonMark with two more inline rules: citations and wikilinks (one parser per set of words)."""
    pattern = citation_pattern(words)
    md = MarkdownIt("commonmark").enable("table")

    def citation(state: StateInline, silent: bool) -> bool:
        match = pattern.match(state.src, state.pos, state.posMax)
        if match is None or state.linkLevel > 0:
            return False
        if not silent:
            token = state.push("caucus_citation", "", 0)
            token.content, token.meta = match.group(0), {"start": match.start()}
        state.pos = match.end()
        return True

    def wikilink(state: StateInline, silent: bool) -> bool:
        # Silent calls come from scanning a link's label: markdown-it reads anything consumed at
        # a '[' there as a nested link and then refuses the outer one, so a wikilink inside a
        # link's text must stay brackets to keep that link a link (and itself unlinked).
        match = WIKILINK.match(state.src, state.pos, state.posMax)
        if match is None or silent or state.linkLevel > 0:
            return False
        token = state.push("caucus_wikilink", "", 0)
        token.content, token.meta = match.group(0), {"start": match.start(), "groups": match.groups()}
        state.pos = match.end()
        return True

    def text(state: StateInline, silent: bool) -> bool:
        """CommonMark's text rule, but a run of text also ends where a citation begins."""
        terminator = state.md.inline.terminator_re.search(state.src, state.pos)
        end = terminator.start() if terminator else state.posMax
        if end == state.pos:
            return False
        ahead = pattern.search(state.src, state.pos + 1, end)
        end = ahead.start() if ahead else end
        if not silent:
            state.append_pending(state.src[state.pos:end])
        state.pos = end
        return True

    md.inline.ruler.at("text", text)
    md.inline.ruler.before("text", "caucus_citation", citation)
    md.inline.ruler.before("link", "caucus_wikilink", wikilink)
    return md


def _content_positions(content: str, source_lines: Sequence[str], first_line: int):
    """offset in an inline token's content -> (line, column) in the source, or None if unmappable."""
    starts = [0]
    for piece in content.split("\n")[:-1]:
        starts.append(starts[-1] + len(piece) + 1)
    columns: list[int | None] = []
    for k, piece in enumerate(content.split("\n")):
        line = source_lines[first_line + k] if first_line + k < len(source_lines) else ""
        stripped, wanted = line.rstrip(), piece.rstrip()
        if stripped.endswith(wanted):
            columns.append(len(stripped) - len(wanted))
        else:
            found = line.find(piece)
            columns.append(found if found >= 0 else None)

    def position(offset: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(starts, offset) - 1
        column = columns[k]
        return None if column is None else (first_line + k, column + offset - starts[k])

    return position


def _span(position, start: int, end: int) -> Span | None:
    a, b = position(start), position(end)
    return Span(a[0], a[1], b[0], b[1]) if a and b else None


def _words(inline: Token) -> str:
    """The paragraph's words as a reader sees them, references written as they are."""
    parts = []
    for child in inline.children or ():
        if child.type in ("text", "code_inline", "caucus_citation"):
            parts.append(child.content)
        elif child.type == "caucus_wikilink":
            target, label = child.meta["groups"]
            parts.append(label or target)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


class Paragraph:
    """The words of the inline piece that holds references, and its sentences when a page needs them."""

    def __init__(self, inline: Token) -> None:
        self.words = _words(inline)

    @cached_property
    def sentences(self) -> list[str]:
        return _SENTENCE_END.split(self.words)

    def context(self, text: str) -> str:
        """The sentence that holds the reference (the whole paragraph when it is short)."""
        if len(self.words) <= 280:
            return self.words
        words = " ".join(text.split())
        for sentence in self.sentences:
            if words in sentence:
                return sentence
        return self.words[:280] + "…"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _citation(token: Token, position, paragraph: Paragraph) -> Found | None:
    """A citation token -> one part per written number; ranges also refer to what lies between."""
    start, text = token.meta["start"], token.content
    parts, unwritten, problem = [], [], ""
    numbers = list(NUMBER_OR_RANGE.finditer(text, re.search(r"\d", text).start()))
    for i, match in enumerate(numbers):
        ends = [(match.start(1), match.end(1), int(match.group(1)))]
        if match.group(3):
            low, high = int(match.group(1)), int(match.group(3))
            ends.append((match.start(3), match.end(3), high))
            if low < high and high - low < MAX_RANGE:
                unwritten += range(low + 1, high)
            else:
                problem = f"the range {low}–{high} is not expanded (at most {MAX_RANGE} notes, low to high)"
        for j, (a, b, number) in enumerate(ends):
            span = _span(position, start + (0 if i == 0 and j == 0 else a), start + b)
            if span is None:
                return None
            parts.append((span, number))
    return Found("citation", tuple(parts), tuple(unwritten), problem=problem, written=text, paragraph=paragraph)


def _wikilink(token: Token, position, paragraph: Paragraph) -> Found | None:
    target, label = (g.strip() if g else None for g in token.meta["groups"])
    span = _span(position, token.meta["start"], token.meta["start"] + len(token.content))
    if span is None:
        return None
    return Found("wikilink", ((span, target),), label=label, written=token.content, paragraph=paragraph)


def _html_depth(token: Token) -> int:
    """+1 for an opening inline HTML tag, -1 for a closing one, 0 for comments and void tags."""
    match = re.match(r"<(/?)([A-Za-z][\w-]*)", token.content)
    if not match or token.content.endswith("/>") or match.group(2).lower() in VOID_TAGS:
        return 0
    return -1 if match.group(1) else 1


@lru_cache(maxsize=8)
def _first_words(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w.split()[0] for w in words if w.split()))


def could_hold_reference(content: str, words: tuple[str, ...]) -> bool:
    """Whether an inline piece could hold a reference at all: a test by substring that spares
    the inline pass (a citation starts with the first word of a citation word, a wikilink with "[[")."""
    return "[[" in content or any(first in content for first in _first_words(words))


def find_references(markdown: str | Document, words: Sequence[str]) -> list[Found]:
    """Every reference outside code, links, images and raw HTML, with source positions.

    Only the paragraphs that could hold one (a citation word or "[[" in them)
    get the inline pass: in most of a note there is nothing to find.
    """
    document = markdown if isinstance(markdown, Document) else parse(markdown)
    words = tuple(words)
    md = reference_parser(words)
    lines = document.text.split("\n")
    found: list[Found] = []
    for piece in document.inlines:
        if not could_hold_reference(piece.content, words):
            continue
        inline = document.inline_tokens(piece, md)
        position = _content_positions(inline.content, lines, piece.line)
        paragraph = None
        link_depth = html_depth = 0
        for child in inline.children or ():
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            elif child.type == "html_inline":
                html_depth = max(0, html_depth + _html_depth(child))
            elif link_depth == 0 and html_depth == 0 and child.type in ("caucus_citation", "caucus_wikilink"):
                paragraph = paragraph or Paragraph(inline)
                ref = (_citation if child.type == "caucus_citation" else _wikilink)(child, position, paragraph)
                if ref is not None:
                    found.append(ref)
    return found


@dataclass(frozen=True)
class Target:
    """What a written reference resolves to: a page (src_uri) and the words to show for it."""

    src_uri: str | None
    text: str
    missing: str = ""  # why it does not resolve, for the reader's tooltip and the finding


def apply_links(markdown: str, found: Iterable[Found], resolve: Callable[[Found, int | str], Target],
                link: Callable[[str], str]) -> str:
    """Insert link markup at each reference; keep every word and every line break."""
    lines = markdown.split("\n")
    edits: list[tuple[int, int, int, str]] = []  # (line, col, end_col, replacement) within one line
    for ref in found:
        for span, target in ref.parts:
            resolved = resolve(ref, target)
            if ref.kind == "wikilink":
                shown = ref.label or resolved.text
                markup = (f"[{_escape_label(shown)}]({link(resolved.src_uri)})" if resolved.src_uri
                          else _unresolved(_escape_label(shown), resolved.missing))
                edits.append((span.line, span.col, span.end_col, markup))
            elif resolved.src_uri:
                edits.append((span.end_line, span.end_col, span.end_col, f"]({link(resolved.src_uri)})"))
                edits.append((span.line, span.col, span.col, "["))
            else:
                edits.append((span.end_line, span.end_col, span.end_col, "</span>"))
                edits.append((span.line, span.col, span.col, _unresolved("", resolved.missing)[:-len("</span>")]))
    for line, col, end, text in sorted(edits, key=lambda e: (e[0], e[1], e[2]), reverse=True):
        lines[line] = lines[line][:col] + text + lines[line][end:]
    return "\n".join(lines)


def _escape_label(text: str) -> str:
    return re.sub(r"([\\\[\]`*_])", r"\\\1", text.replace("<", "&lt;"))


def _unresolved(text: str, why: str) -> str:
    title = why.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<span class="caucus-unresolved" title="{title}">{text}</span>'
