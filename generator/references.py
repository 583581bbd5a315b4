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
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, HTML_RE

from .blocks import LOOSE_DEFINITIONS, Document, parse, site_markdown


MAX_RANGE = 50  # "Strategy Notes 1-5000" is a typo, not 5,000 references
# [[target]], [[target|label]], and [[target\|label]] as Obsidian writes it inside a table
WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\\?\|([^\[\]\n]+?))?\]\]")
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
    offset: int = field(default=0, compare=False, repr=False)  # where it stands in the paragraph's words

    @property
    def context(self) -> str:
        """The sentence that holds the reference: worked out only for the pages that quote it."""
        return self.paragraph.context(self.offset) if self.paragraph is not None else ""

    @property
    def line(self) -> int:
        return self.parts[0][0].line

    @cached_property  # asked for at every turn of linking; a frozen record can keep it
    def targets(self) -> tuple[int | str, ...]:
        return tuple(t for _, t in self.parts) + self.unwritten


@lru_cache(maxsize=8)
def citation_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The citation words (longest first) followed by numbers, ranges, commas and 'and'."""
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split()))
                            for w in sorted(words, key=len, reverse=True))
    item = r"#?\d+(?:\s*[-–]\s*#?\d+)?"  # "RFC #1234" is written too
    return re.compile(rf"(?<![\w])(?:{alternatives})\s+{item}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){item})*(?![\w])")


NUMBER_OR_RANGE = re.compile(r"(\d+)(?:(\s*[-–]\s*#?)(\d+))?")


@lru_cache(maxsize=8)
def reference_parser(words: tuple[str, ...]) -> MarkdownIt:
    """CommonMark with two more inline rules: citations and wikilinks (one parser per set of words)."""
    pattern = citation_pattern(words)
    md = site_markdown()

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
        if match is None or silent or state.linkLevel > 0 or _is_link_text(state, match.end()):
            return False
        start = match.start()
        if start > 0 and state.src[start - 1] == "!" and state.pending.endswith("!"):
            state.pending = state.pending[:-1]  # an embed, ![[Note]]: the '!' is part of it
            start -= 1
        token = state.push("caucus_wikilink", "", 0)
        token.content = state.src[start:match.end()]
        token.meta = {"start": start, "groups": match.groups()}
        state.pos = match.end()
        return True

    def loose_link(state: StateInline, silent: bool) -> bool:
        """What Python-Markdown reads as a link and CommonMark does not: `[a](dest with spaces)`,
        `[text] [ref]`, `[text]` defined only by Python-Markdown's rules. Consumed whole, so
        nothing in it is taken for a reference."""
        match = LOOSE_LINK.match(state.src, state.pos, state.posMax)
        if match is None or not (match.group("dest") is not None or _defined(state, match.group("ref"))):
            match = SHORTCUT.match(state.src, state.pos, state.posMax)
            if match is None or not _defined(state, match.group(1)):
                return False
        return _as_text(state, match, silent)

    def loose_html(state: StateInline, silent: bool) -> bool:
        """What Python-Markdown reads as an inline tag, an autolink or an e-mail address, which
        CommonMark may read as text: raw HTML to every stage, so nothing in it is a reference."""
        match = LOOSE_HTML.match(state.src, state.pos, state.posMax)
        if match is None:
            return False
        if not silent:
            token = state.push("html_inline", "", 0)
            token.content = match.group(0)
        state.pos = match.end()
        return True

    def attribute_list(state: StateInline, silent: bool) -> bool:
        """An attr_list `{: title="…" }` is markup the page never shows: nothing in it is a reference."""
        match = ATTR_LIST.match(state.src, state.pos, state.posMax)
        return match is not None and _as_text(state, match, silent)

    def text(state: StateInline, silent: bool) -> bool:
        """CommonMark's text rule, but a run of text also ends where a citation begins
        (a citation may go on past the line's end: "as in Strategy⏎Note 12")."""
        terminator = state.md.inline.terminator_re.search(state.src, state.pos)
        end = terminator.start() if terminator else state.posMax
        if end == state.pos:
            return False
        ahead = pattern.search(state.src, state.pos + 1, state.posMax)
        end = ahead.start() if ahead and ahead.start() < end else end
        if not silent:
            state.append_pending(state.src[state.pos:end])
        state.pos = end
        return True

    md.inline.ruler.at("text", text)
    md.inline.ruler.before("text", "caucus_citation", citation)
    md.inline.ruler.before("link", "caucus_wikilink", wikilink)
    md.inline.ruler.after("link", "caucus_loose_link", loose_link)
    md.inline.ruler.before("text", "caucus_attr_list", attribute_list)
    md.inline.ruler.before("autolink", "caucus_loose_html", loose_html)
    return md


# Python-Markdown's link forms beyond CommonMark: a destination with spaces, and a reference
# link with one space or line break between its two brackets.
SHORTCUT = re.compile(r"\[([^\[\]]*)\]")
LOOSE_LINK = re.compile(r"\[(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*\]"
                        r"(?:\((?P<dest>[^()\n]*)\)|\s?\[(?P<ref>[^\[\]]*)\])")
_ATTR = r"(?:[#.][\w-]+|[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s}]+)|[^\s=}'\"]+)"
ATTR_LIST = re.compile(rf"\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}")


LOOSE_HTML = re.compile("|".join(f"(?:{p})" for p in (AUTOLINK_RE, AUTOMAIL_RE, HTML_RE)), re.S)


def _as_text(state: StateInline, match: re.Match[str], silent: bool) -> bool:
    """Consume what `match` found as plain text, which no later rule reads again."""
    if not silent:
        state.pending += match.group(0)
    state.pos = match.end()
    return True


def _defined(state: StateInline, label: str | None) -> bool:
    """Whether a reference label is defined in the document, by CommonMark's rules or
    Python-Markdown's (which also reads a definition inside a paragraph)."""
    if label is None or not label.strip():
        return False
    return (normalizeReference(label) in state.env.get("references", {})
            or " ".join(label.split()).casefold() in state.env.get(LOOSE_DEFINITIONS, ()))


def _is_link_text(state: StateInline, end: int) -> bool:
    """Whether brackets ending at `end` may be a link's text: `[[1]](url)` is a link with text "[1]",
    `[[1]][ref]` and (in Python-Markdown, whose definitions also differ) `[[1]] [ref]` may be
    reference links, and `[[1]]` with `[1]` defined is a link inside brackets."""
    return bool(FOLLOWING_LABEL.match(state.src, end)) or _defined(state, state.src[state.pos + 2:end - 2])


FOLLOWING_LABEL = re.compile(r"\(|\s?\[(?!\[)")  # another wikilink after a space is no label


def _content_positions(content: str, source_lines: Sequence[str], first_line: int):
    """offset in an inline token's content -> (line, column) in the source, or None if unmappable.

    Each content line is the end of its source line less the indentation, which the parser may
    have rewritten (a tab read as spaces), so lines are matched without their leading white space;
    in a table cell the parser has also read `\\|` as `|`.
    """
    pieces = content.split("\n")
    starts = [0]
    for piece in pieces[:-1]:
        starts.append(starts[-1] + len(piece) + 1)
    places = [_place(piece, source_lines[first_line + k] if first_line + k < len(source_lines) else "")
              for k, piece in enumerate(pieces)]

    def position(offset: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(starts, offset) - 1
        place = places[k]
        if place is None:
            return None
        lead, columns = place
        at = offset - starts[k] - lead
        return (first_line + k, columns[at]) if 0 <= at < len(columns) else None

    return position


def _place(piece: str, line: str) -> tuple[int, Sequence[int]] | None:
    """(leading white space of the content line, source column of each following character), or None.

    The line as written is tried first; only a table row with `\\|` in it is read again unescaped.
    """
    core = piece.strip(" \t")
    lead = len(piece) - len(piece.lstrip(" \t"))
    if not core:
        return None
    at = _found(line, core)
    if at >= 0:
        return lead, range(at, at + len(core) + 1)
    if "\\|" in line:
        text, columns = _pipes_unescaped(line)
        at = _found(text, core)
        if at >= 0:
            return lead, columns[at:at + len(core) + 1]
    return None


def _found(line: str, core: str) -> int:
    """Where a content line stands in its source line: at its end, else its first place."""
    stripped = line.rstrip()
    return len(stripped) - len(core) if stripped.endswith(core) else line.find(core)


def _pipes_unescaped(line: str) -> tuple[str, list[int]]:
    """The line with `\\|` read as `|`, and where each of its characters stands in the line."""
    text, columns, i = [], [], 0
    while i < len(line):
        skip = line.startswith("\\|", i)
        i += skip
        text.append(line[i])
        columns.append(i - skip)
        i += 1
    columns.append(len(line))
    return "".join(text), columns


def _span(position, start: int, end: int) -> Span | None:
    a, b = position(start), position(end)
    return Span(a[0], a[1], b[0], b[1]) if a and b else None


class Paragraph:
    """The words of the inline piece that holds references, as a reader sees them, and where each
    reference stands in them: its sentence is worked out only for the pages that quote it."""

    def __init__(self, inline: Token) -> None:
        parts: list[str] = []
        self.offsets: dict[int, int] = {}  # id of a reference token -> where it starts in `text`
        length = 0
        for child in inline.children or ():
            if child.type in ("caucus_citation", "caucus_wikilink"):
                self.offsets[id(child)] = length
            piece = _reader_text(child)
            parts.append(piece)
            length += len(piece)
        self.text = "".join(parts)
        self._ends: list[int] | None = None
        self._contexts: dict[int, str] = {}  # each once: the live preview keeps the paragraph between rebuilds

    def context(self, offset: int) -> str:
        """The sentence that holds the reference at `offset`, shortened around it when very long."""
        context = self._contexts.get(offset)
        if context is None:
            context = self._contexts[offset] = self._sentence(offset)
        return context

    def _sentence(self, offset: int) -> str:
        if self._ends is None:
            self._ends = list(_sentence_ends(self.text))
        start = 0
        for end in self._ends:
            if end > offset:
                return _around(self.text[start:end], offset - start)
            start = end
        return _around(self.text[start:], offset - start)


def _reader_text(child: Token) -> str:
    if child.type in ("text", "code_inline", "caucus_citation"):
        return child.content
    if child.type in ("math_inline", "math_inline_double"):
        return child.markup + child.content + child.markup  # as written: the quoting page shows it as math
    if child.type == "caucus_wikilink":
        target, label = child.meta["groups"]
        name, _, fragment = target.removesuffix("\\").partition("#")
        shown = f"{name.strip()} > {fragment.strip()}" if name.strip() and fragment else (fragment or name)
        return (label or shown).strip()
    return " " if child.type in ("softbreak", "hardbreak") else ""


# A sentence ends at . ! or ? (and any closing quote or bracket) before white space and a capital
# or a digit, but not after the abbreviations people write mid-sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {"e.g", "i.e", "etc", "cf", "vs", "no", "nos", "mr", "mrs", "ms", "dr", "st", "p", "pp", "vol",
                  "ch", "sec", "fig", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                  "oct", "nov", "dec", "u.s", "ca", "al"}
CONTEXT_LIMIT = 400


def _sentence_ends(text: str):
    for match in _SENTENCE_END.finditer(text):
        if text[match.start()] == ".":
            word = _last_word(text, match.start()).casefold()
            if word.strip("(\"'“") in _ABBREVIATIONS or len(word) == 1:
                continue
        yield match.end()


def _last_word(text: str, end: int) -> str:
    """text[:end].rsplit(None, 1)[-1] ("" when it is all white space), without copying text[:end]."""
    stop = end
    while stop and text[stop - 1].isspace():
        stop -= 1
    start = stop
    while start and not text[start - 1].isspace():
        start -= 1
    return text[start:stop]


def _around(sentence: str, offset: int) -> str:
    """The sentence with white space folded; a long one cut to the words around the reference."""
    if len(sentence) > CONTEXT_LIMIT:
        low = max(0, offset - CONTEXT_LIMIT // 2)
        high = low + CONTEXT_LIMIT
        sentence = ("…" if low else "") + sentence[low:high].strip() + ("…" if high < len(sentence) else "")
    return " ".join(sentence.split())


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
    return Found("citation", tuple(parts), tuple(unwritten), problem=problem, written=text, paragraph=paragraph,
                 offset=paragraph.offsets.get(id(token), 0))


def _wikilink(token: Token, position, paragraph: Paragraph) -> Found | None:
    target, label = (g.strip() if g else None for g in token.meta["groups"])
    target = target.removesuffix("\\").strip() if target else target
    span = _span(position, token.meta["start"], token.meta["start"] + len(token.content))
    if span is None:
        return None
    return Found("wikilink", ((span, target),), label=label, written=token.content, paragraph=paragraph,
                 offset=paragraph.offsets.get(id(token), 0))


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
    raw = None
    for piece in document.inlines:
        if piece.kind in NOT_TEXT or not could_hold_reference(piece.content, words):
            continue
        raw = _raw_html_lines(document, lines) if raw is None else raw
        if piece.line in raw:
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


NOT_TEXT = {"admonition_title"}  # made up by the parser from the marker line, not the words written there
# The tags Python-Markdown reads as the start of a raw HTML block, which runs to the matching end tag
# (CommonMark ends most HTML blocks at a blank line, and reads the rest as Markdown).
BLOCK_TAGS = frozenset(
    "address article aside blockquote body canvas colgroup dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main map math menu nav "
    "noscript object ol output p pre progress script section style summary table tbody td textarea tfoot th "
    "thead tr ul video".split())
_OPEN_TAG = re.compile(r"<([A-Za-z][\w-]*)([^>]*)>")


def _raw_html_lines(document: Document, lines: Sequence[str]) -> set[int]:
    """Lines the site's renderer keeps as raw HTML: from a block-level tag that opens an HTML block
    to its end tag, unless the tag asks for Markdown inside (md_in_html's `markdown` attribute)."""
    raw: set[int] = set()
    for block in document.blocks:
        opening = _OPEN_TAG.match(block.text) if block.kind == "html_block" else None
        if opening is None or opening.group(1).lower() not in BLOCK_TAGS or "markdown" in opening.group(2):
            continue
        tag = opening.group(1).lower()
        depth, line = _depth(block.text, tag), block.end
        while depth > 0 and line < len(lines):
            depth += _depth(lines[line], tag)
            line += 1
        raw.update(range(block.start, line))
    return raw


def _depth(text: str, tag: str) -> int:
    lowered = text.lower()
    return len(re.findall(rf"<{tag}(?=[\s>/])", lowered)) - len(re.findall(rf"</{tag}\s*>", lowered))


@dataclass(frozen=True)
class Target:
    """What a written reference resolves to: a page (src_uri) and the words to show for it."""

    src_uri: str | None
    text: str
    missing: str = ""  # why it does not resolve, for the reader's tooltip and the finding
    fragment: str = ""  # a heading's id or a ^block-id on that page
    here: bool = False  # the page the reference is on: the link is its fragment alone
    problem: str = ""  # what is wrong though it resolves (a heading the note does not have)

    def href(self, link: Callable[[str], str]) -> str | None:
        """The link from the page (`link` makes a relative link to a src_uri), or None."""
        if self.here:
            return f"#{self.fragment}" if self.fragment else ""
        if not self.src_uri:
            return None
        return link(self.src_uri) + (f"#{self.fragment}" if self.fragment else "")


@dataclass(frozen=True)
class Anchor:
    """One reference as the reader gets it: a link, or text marked with why it is not one."""

    href: str | None  # relative Markdown link from the page; None when the reference does not resolve
    text: str | None = None  # shown instead of what is written (a wikilink's label); None: as written
    missing: str = ""  # why it does not resolve
    embed: bool = False  # written ![[…]]: an image or a note is shown in place
    src_uri: str | None = None  # the page it leads to

    @property
    def shows_image(self) -> bool:
        return self.embed and bool(self.href) and self.href.split("#", 1)[0].lower().endswith(IMAGES)


IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
SIZE = re.compile(r"^(\d+)(?:x(\d+))?$")  # ![[image.png|300]], ![[image.png|300x200]]


def anchors_at(found: Iterable[Found], resolve: Callable[[Found, int | str], Target],
               link: Callable[[str], str]) -> list[tuple[Span, Anchor]]:
    """Where each written reference is and what the reader should get for it."""
    placed = []
    for ref in found:
        for span, target in ref.parts:
            resolved = resolve(ref, target)
            shown = (ref.label or resolved.text) if ref.kind == "wikilink" else None
            embed = ref.kind == "wikilink" and ref.written.startswith("!")
            placed.append((span, Anchor(resolved.href(link), shown, resolved.missing, embed, resolved.src_uri)))
    return placed


def _insert(markdown: str, placed: Sequence[tuple[Span, Anchor]],
            around: Callable[[int, Anchor, str], tuple[str, str, str | None]]) -> str:
    """Text inserted before and after each reference (`around` may also replace what is written)."""
    lines = markdown.split("\n")
    edits: list[tuple[int, int, int, str]] = []  # (line, col, end_col, replacement) within one line
    for index, (span, anchor) in enumerate(placed):
        written = _written(lines, span)
        before, after, replaced = around(index, anchor, written)
        if replaced is not None and span.line == span.end_line:
            edits.append((span.line, span.col, span.end_col, before + replaced + after))
            continue
        edits.append((span.end_line, span.end_col, span.end_col, after))
        edits.append((span.line, span.col, span.col, before))
    for line, col, end, text in sorted(edits, key=lambda e: (e[0], e[1], e[2]), reverse=True):
        lines[line] = lines[line][:col] + text + lines[line][end:]
    return "\n".join(lines)


def _written(lines: Sequence[str], span: Span) -> str:
    if span.line == span.end_line:
        return lines[span.line][span.col:span.end_col]
    return "\n".join([lines[span.line][span.col:], *lines[span.line + 1:span.end_line],
                      lines[span.end_line][:span.end_col]])


# Marks around a reference in the Markdown the site's renderer gets. They are characters of
# Unicode's private use planes that no Markdown syntax reads, so the renderer treats the text
# exactly as it would unmarked; the renderer's own view then decides (markdown_ext): marked text
# in prose becomes the link, marked text in code, a link, an attribute or raw HTML stays as written.
OPEN, OPEN_END, CLOSE, CLOSE_END = "\U000F1A00", "\U000F1A01", "\U000F1A02", "\U000F1A03"
_DIGIT0 = 0xF1A10
_DIGITS = "[\U000F1A10-\U000F1A19]+"
MARK_CODES = range(ord(OPEN), _DIGIT0 + 10)  # every character a mark is made of
MARKED = re.compile(f"{OPEN}({_DIGITS}){OPEN_END}(.*?){CLOSE}\\1{CLOSE_END}", re.S)
MARKS = re.compile(f"{OPEN}{_DIGITS}{OPEN_END}|{CLOSE}{_DIGITS}{CLOSE_END}")


def mark_code(index: int) -> str:
    """The digits a mark carries for anchor number `index`."""
    return "".join(chr(_DIGIT0 + int(d)) for d in str(index))


def mark_number(digits: str) -> int:
    """The anchor number written in a mark's digits."""
    return int("".join(str(ord(c) - _DIGIT0) for c in digits))


def mark_links(markdown: str, found: Iterable[Found], resolve: Callable[[Found, int | str], Target],
               link: Callable[[str], str]) -> tuple[str, list[Anchor]]:
    """Mark each reference for the renderer; the marks are all that is added (every line and word kept)."""
    placed = anchors_at(found, resolve, link)
    return marked(markdown, placed), [anchor for _, anchor in placed]


def marked(markdown: str, placed: Sequence[tuple[Span, Anchor]]) -> str:
    """The Markdown with the marks of mark_links: they depend on where each reference is, not on
    what it leads to, so the text is the same for the same body and references."""
    return _insert(markdown, placed, _mark)


def _mark(index: int, anchor: Anchor, written: str) -> tuple[str, str, None]:
    code = mark_code(index)
    return f"{OPEN}{code}{OPEN_END}", f"{CLOSE}{code}{CLOSE_END}", None


def strip_marks(text: str) -> str:
    """The text as written: every mark taken out."""
    return MARKS.sub("", text) if OPEN in text or CLOSE in text else text


_BANG_MARKED = re.compile(f"(!?){OPEN}({_DIGITS}){OPEN_END}(.*?){CLOSE}\\2{CLOSE_END}", re.S)


def markdown_links(marked: str, anchors: Sequence[Anchor]) -> str:
    """Marked Markdown with its marks written as Markdown links: for another engine (export)."""
    def link(match: re.Match[str]) -> str:
        bang, anchor, written = match.group(1), anchors[mark_number(match.group(2))], match.group(3)
        shown = _escape_label(anchor.text) if anchor.text is not None else written
        if anchor.shows_image:  # the width of ![[image.png|300]] needs the renderer: here, the image
            return ("\\!" if bang else "") + f"![{'' if SIZE.match(anchor.text or '') else shown}]({anchor.href})"
        markup = f"[{shown}]({anchor.href})" if anchor.href else _unresolved(shown, anchor.missing)
        return ("\\!" if bang else "") + markup  # "!" before a link would make it an image

    return _BANG_MARKED.sub(link, marked)


def apply_links(markdown: str, found: Iterable[Found], resolve: Callable[[Found, int | str], Target],
                link: Callable[[str], str]) -> str:
    """Insert Markdown link markup at each reference; keep every word and every line break."""
    marked, anchors = mark_links(markdown, found, resolve, link)
    return markdown_links(marked, anchors)


def _escape_label(text: str) -> str:
    return re.sub(r"([\\\[\]`*_])", r"\\\1", text.replace("<", "&lt;"))


def _unresolved(text: str, why: str) -> str:
    title = why.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return f'<span class="caucus-unresolved" title="{title}">{text}</span>'
