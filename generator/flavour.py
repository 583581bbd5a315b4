"""Obsidian-flavoured Markdown, rendered as Obsidian shows it, with nothing fetched from elsewhere.

- Callouts: a blockquote whose first line is `[!type]` (optionally `-` or `+`, then a title)
  becomes the theme's admonition (`<div class="admonition TYPE">`), or, when foldable, a
  `<details class="TYPE">` as pymdownx.details writes it (`+`: open). Obsidian's types and
  aliases name the class; an unknown type is a note; the title is the type when none is given.
- Math: `$…$` inline and `$$…$$` display (on one line or several) become MathML at build time
  (latex2mathml), which browsers show without a script. The dollar rules are those of the core's
  parser (mdit_py_plugins' dollarmath in `blocks.site_markdown`), so both read the same text as
  math: no space after the opening `$` or before the closing one, no digit before the opening or
  after the closing one ("$5 and $10" stays text).

Highlights (`==text==`) are pymdownx.mark's; `markdown_ext.SITE_EXTENSIONS` adds both to every site.
"""

from __future__ import annotations

import html
import re
from xml.etree.ElementTree import Element, SubElement

from latex2mathml.converter import convert_to_element
from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor, BlockQuoteProcessor
from markdown.inlinepatterns import AUTOLINK_RE, HTML_RE, InlineProcessor
from markdown.util import AtomicString, nearing_recursion_limit

from .references import OPEN, strip_marks

# Obsidian's callout types and their aliases (each a class Material's admonitions style).
CALLOUT_TYPES = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}
CALLOUT_HEADER = re.compile(r"^[ ]{0,3}\[!([\w-]+)\]([+-]?)[ \t]*(.*)$")
MATH_CLASS = "caucus-math"
MATH_ERROR_CLASS = "caucus-math-error"


def callout_type(written: str) -> str:
    return CALLOUT_TYPES.get(written.lower(), "note")


def default_title(written: str) -> str:
    return written[:1].upper() + written[1:].lower()


class CalloutProcessor(BlockQuoteProcessor):
    """A blockquote opening with `[!type]`: the callout takes the quote's lines, as a quote would."""

    def test(self, parent: Element, block: str) -> bool:
        match = self.RE.search(block)
        if not match or nearing_recursion_limit():
            return False
        return bool(CALLOUT_HEADER.match(self.clean(block[match.start():].lstrip("\n").split("\n", 1)[0])))

    def run(self, parent: Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.RE.search(block)
        self.parser.parseBlocks(parent, [block[:match.start()]])  # the lines before the quote
        lines = [self.clean(line) for line in block[match.start():].lstrip("\n").split("\n")]
        written, fold, title = CALLOUT_HEADER.match(lines[0]).groups()
        kind = callout_type(written)
        if fold:
            callout = SubElement(parent, "details", {"class": kind})
            if fold == "+":
                callout.set("open", "open")
            heading = SubElement(callout, "summary")
        else:
            callout = SubElement(parent, "div", {"class": f"admonition {kind}"})
            heading = SubElement(callout, "p", {"class": "admonition-title"})
        heading.text = title.strip() or default_title(written)
        self.parser.state.set("blockquote")
        self.parser.parseChunk(callout, "\n".join(lines[1:]))
        self.parser.state.reset()


# Characters the reference marks use (generator.references): invisible to the dollar rules, so
# the renderer reads math where the core read it on the unmarked text.
def _is_mark(char: str) -> bool:
    return OPEN <= char <= "\U000F1A19"


def _neighbour(text: str, index: int, step: int) -> str:
    while 0 <= index < len(text) and _is_mark(text[index]):
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index > 0 and text[index - 1] == "\\":
        backslashes += 1
        index -= 1
    return backslashes % 2 == 1


PLACEHOLDER = ("\x02", "\x03")  # Python-Markdown's stand-ins for code spans and other inline results


def find_inline_math(text: str, start: int) -> tuple[int, str, bool] | None:
    """(end, TeX, display) of math opening with the `$` at `start`, by dollarmath's inline rule with
    allow_space=False, allow_digits=False, double_inline=True; None where that rule finds none."""
    after = _neighbour(text, start + 1, 1)
    if not after or after.isspace() or _neighbour(text, start - 1, -1).isdigit() or _escaped(text, start):
        return None
    double = after == "$"
    pos = start + 2 if double else start + 1
    while True:
        end = text.find("$", pos)
        if end < 0:
            return None
        if _escaped(text, end):
            pos = end + 1
            continue
        if double:
            if end + 1 >= len(text):
                return None
            if text[end + 1] != "$":
                pos = end + 1
                continue
            end += 1
        break
    if (_neighbour(text, end - 1, -1) or " ").isspace() or _neighbour(text, end + 1, 1).isdigit():
        return None
    tex = text[start + 2:end - 1] if double else text[start + 1:end]
    if not tex or any(p in tex for p in PLACEHOLDER):
        return None
    return end + 1, tex, double


def math_element(tex: str, display: bool, tag: str) -> Element:
    """The TeX as MathML (marks taken out: nothing is linked inside math), or as written, in code,
    when it is not TeX the converter reads."""
    tex = strip_marks(tex).strip()
    wrapper = Element(tag, {"class": MATH_CLASS})
    try:
        math = convert_to_element(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises its own errors, and others on what it cannot read
        code = SubElement(wrapper, "code", {"class": MATH_ERROR_CLASS, "title": "Math the site cannot show"})
        code.text = AtomicString(tex)
        return wrapper
    for element in math.iter():
        if element.text:
            element.text = AtomicString(html.unescape(element.text))
        if element.tail:
            element.tail = AtomicString(html.unescape(element.tail))
    wrapper.append(math)
    return wrapper


# Raw HTML tags and autolinks as Python-Markdown reads them, after math: a dollar inside one is part
# of the tag (the core's parser reads such a tag before any math in it, too).
RAW_TAG = re.compile(f"{HTML_RE}|{AUTOLINK_RE}", re.S)


class InlineMath(InlineProcessor):
    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 (Python-Markdown's name)
        if "<" in data and any(tag.start() < m.start() < tag.end() for tag in RAW_TAG.finditer(data)):
            return None, None, None
        found = find_inline_math(data, m.start())
        if found is None:
            return None, None, None
        end, tex, display = found
        return math_element(tex, display, "span"), m.start(), end


class BlockMath(BlockProcessor):
    """`$$` at the start of a block up to the first line that ends with `$$` (dollarmath's block rule,
    without labels or blank lines): display math; the block's lines after it are read on."""

    START = re.compile(r"^[ ]{0,3}\$\$")

    def test(self, parent: Element, block: str) -> bool:
        return self._split(block) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        tex, rest = self._split(blocks.pop(0))
        parent.append(math_element(tex, True, "div"))
        if rest.strip():
            blocks.insert(0, rest)

    def _split(self, block: str) -> tuple[str, str] | None:
        if not self.START.match(block):
            return None
        lines = block.split("\n")
        first = lines[0].strip()
        if len(first) > 3:
            if first.endswith("$$"):
                return first[2:-2], "\n".join(lines[1:])
            if "$$" in first[2:]:
                return None
        for index, line in enumerate(lines[1:], start=1):
            if line.strip().endswith("$$"):
                body = [first[2:], *lines[1:index], line.rstrip()[:-2]]
                return "\n".join(body), "\n".join(lines[index + 1:])
        return None


class FlavourExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        # Just before blockquotes (20), which would otherwise take the callout.
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "caucus_callout", 21)
        # Before indented code (80), as pymdownx.arithmatex does; inline after code spans (190),
        # before backslash escapes (180), which would take the backslashes out of the TeX.
        md.parser.blockprocessors.register(BlockMath(md.parser), "caucus_math_block", 79.9)
        md.inlinePatterns.register(InlineMath(r"\$", md), "caucus_math", 185)
        if "$" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("$")  # `\$` is a dollar sign, as in CommonMark


def makeExtension(**kwargs) -> FlavourExtension:  # noqa: N802 (Python-Markdown's loader)
    return FlavourExtension(**kwargs)
