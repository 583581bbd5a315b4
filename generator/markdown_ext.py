"""Python-Markdown extensions the site's pages are rendered with.

- References become links in the renderer's own view of the page. The core marks
  each reference it found (`references.mark_links`) with characters no Markdown
  syntax reads; here, after Python-Markdown has parsed the page, marked text in
  prose becomes the link, and marked text anywhere else (code, a link's text or
  address, an image, an attribute, raw HTML) is left exactly as written. So where
  the core's parser and the renderer disagree about what is code or a link, the
  page is still right: never link markup shown as text, never a link in code.
- Links to other hosts leak nothing about the reader: every `<a>` whose href is
  an absolute http(s) URL gets rel="noopener noreferrer".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .references import CLOSE, MARK_CODES, MARKED, OPEN, SIZE, Anchor, mark_number, strip_marks
from .fragments import BLOCK_ID
from .urls import SourceLinks

PRIVATE_REL = ("noopener", "noreferrer")
LINKING = {"a": "href", "img": "src"}  # the attribute that names another file
NOT_PROSE = frozenset({"code", "pre", "a", "script", "style", "kbd", "samp", "abbr"})
REFERENCE_CLASS = "caucus-ref"
UNRESOLVED_CLASS = "caucus-unresolved"
CONNECTIONS_ID = "caucus-connections"  # the heading of a note's Connections area (templates/note_sections.html.j2)
# Where a page's generated HTML goes once it is rendered (pages.with_appendix): after the footnotes
APPENDIX_MARKER = "<!-- caucus:appendix -->"


def is_external(href: str) -> bool:
    return href.lower().startswith(("http://", "https://", "//"))


class ExternalLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            if is_external(link.get("href", "")):
                rel = link.get("rel", "").split()
                link.set("rel", " ".join(rel + [r for r in PRIVATE_REL if r not in rel]))


class PrivateLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Low priority: run after every other treeprocessor has made its links.
        md.treeprocessors.register(ExternalLinks(md), "caucus_external_links", 1)


def _marked(text: str | None) -> bool:
    return bool(text) and (OPEN in text or CLOSE in text)


def anchor_element(anchor: Anchor, written: str) -> Element:
    """The element a reader gets for one reference: a link, an image shown in place, or text
    saying why it is not a link."""
    if anchor.shows_image:
        return image_element(anchor)
    text = anchor.text if anchor.text is not None else strip_marks(written)
    if anchor.href:
        element = Element("a", {"href": anchor.href, "class": REFERENCE_CLASS})
        element.text = text
        return element
    return unresolved_element(text, anchor.missing or "")


def unresolved_element(text: str, why: str) -> Element:
    """A reference that is not a link, saying why in its own text: screen readers read it, and the
    stylesheet shows it beside the words when they are hovered, tapped or reached by the keyboard
    (`tabindex`), not only in a mouse's tooltip. Search leaves the reason out."""
    element = Element("span", {"class": UNRESOLVED_CLASS, "tabindex": "0"})
    element.text = text
    reason = Element("span", {"class": UNRESOLVED_CLASS + "__why", "data-search-exclude": ""})
    reason.text = f" ({why})"
    element.append(reason)
    return element


@dataclass(frozen=True)
class PageLinks:
    """What the renderer needs to know of the page it renders: its references, and where its
    source file is, so that links written between files lead to the right pages."""

    anchors: Sequence[Anchor] = ()
    source: str = ""  # the page's file, relative to the site's root ('notes/0012-unions.md')
    src_uri: str = ""
    files: SourceLinks | None = None


def image_element(anchor: Anchor) -> Element:
    """`![[diagram.png]]`, `![[diagram.png|300]]` (a width), `![[diagram.png|A caption]]` (its text)."""
    label = anchor.text or ""
    size = SIZE.match(label.strip())
    image = Element("img", {"src": anchor.href or "", "alt": "" if size else label, "loading": "lazy"})
    if size:
        image.set("width", size.group(1))
        if size.group(2):
            image.set("height", size.group(2))
    return image


def block_ids(root: Element) -> None:
    """A paragraph or list item ending with ` ^block-id` (Obsidian's block reference) gets that id,
    and the marker leaves the text; a paragraph of the marker alone names the block before it."""
    for parent in [e for e in root.iter() if len(e)]:
        for before, element in zip(list(parent), list(parent)[1:]):
            alone = BLOCK_ID.fullmatch(" " + (element.text or "").strip()) if element.tag == "p" and not len(element) else None
            if alone and "id" not in before.attrib:
                before.set("id", "^" + alone.group(1))
                parent.remove(element)
    for element in [e for e in root.iter() if e.tag in ("p", "li")]:
        last = element[-1] if len(element) else None
        text = (last.tail if last is not None else element.text) or ""
        match = BLOCK_ID.search(text)
        if match is None or "id" in element.attrib:
            continue
        cut = text[:match.start()].rstrip(" ")
        if last is not None:
            last.tail = cut
        else:
            element.text = cut
        element.set("id", "^" + match.group(1))


class ReferenceLinks(Treeprocessor):
    """Marked references in prose become links; marks anywhere else are taken out; links written
    between files lead to the pages those files became."""

    def __init__(self, md: Markdown, page: Callable[[], PageLinks]) -> None:
        super().__init__(md)
        self.page = page

    def run(self, root: Element) -> None:
        page = self.page()
        lines = getattr(self.md, "lines", None)  # the page's text after the preprocessors
        if page.anchors or lines is None or any(_marked(line) for line in lines):
            self._walk(root, True, page.anchors)
        if lines is None or any("^" in line for line in lines):  # Obsidian's block ids: `text ^id`
            block_ids(root)
        if page.files is not None:
            for tag, attribute in LINKING.items():
                for element in root.iter(tag):
                    href = page.files.rewrite(element.get(attribute, ""), page.source, page.src_uri)
                    if href is not None:
                        element.set(attribute, href)

    def _walk(self, element: Element, prose: bool, anchors: Sequence[Anchor]) -> None:
        prose = prose and element.tag not in NOT_PROSE
        for key, value in element.attrib.items():
            if _marked(value):
                element.set(key, strip_marks(value))
        if _marked(element.text):
            element.text, made = self._split(element.text, prose, anchors)
            for offset, made_element in enumerate(made):
                element.insert(offset, made_element)
        index = 0
        while index < len(element):
            child = element[index]
            self._walk(child, prose, anchors)
            index += 1
            if _marked(child.tail):
                child.tail, made = self._split(child.tail, prose, anchors)
                for made_element in made:
                    element.insert(index, made_element)
                    index += 1

    @staticmethod
    def _split(text: str, prose: bool, anchors: Sequence[Anchor]) -> tuple[str, list[Element]]:
        """(text before the first link, the links with the text after each as their tail)."""
        if not prose:
            return strip_marks(text), []
        head, made, last = [], [], 0
        for match in MARKED.finditer(text):
            number = mark_number(match.group(1))
            if number >= len(anchors):
                continue
            piece = strip_marks(text[last:match.start()])
            if made:
                made[-1].tail = (made[-1].tail or "") + piece
            else:
                head.append(piece)
            made.append(anchor_element(anchors[number], match.group(2)))
            last = match.end()
        rest = strip_marks(text[last:])
        if made:
            made[-1].tail = (made[-1].tail or "") + rest
        else:
            head.append(rest)
        return "".join(head), made


class TabsAsWritten(Preprocessor):
    """Tabs expanded as if the marks were not there: Python-Markdown expands a tab to the next tab
    stop, and a mark before it on its line would otherwise move that stop."""

    def run(self, lines: list[str]) -> list[str]:
        return [_expand_tabs(line, self.md.tab_length) if "\t" in line and _marked(line) else line
                for line in lines]


def _expand_tabs(line: str, size: int) -> str:
    out, column = [], 0
    for char in line:
        if char == "\t":
            out.append(" " * (size - column % size))
            column += size - column % size
        else:
            out.append(char)
            column += ord(char) not in MARK_CODES
    return "".join(out)


class StrayMarks(Postprocessor):
    """Marks the tree never held (raw HTML and highlighted code are kept aside as text) are taken
    out, and so are marks written as character references (an e-mail address is written so)."""

    def run(self, text: str) -> str:
        return MARK_REFERENCE.sub("", strip_marks(text)) if "&#" in text else strip_marks(text)


class FootnotesBeforeConnections(Postprocessor):
    """A note's footnotes are the author's: they close the note, before its Connections area,
    not after it where the footnotes extension would put them (at the very end of the page)."""

    PAGE = re.compile(rf'(?s)({re.escape(APPENDIX_MARKER)}\s*)(<div class="footnote">.*</div>)(\s*)$')

    def run(self, text: str) -> str:
        return self.PAGE.sub(r"\2\n\1\3", text) if APPENDIX_MARKER in text else text


MARK_REFERENCE = re.compile("|".join(f"&#{code};" for code in MARK_CODES))


class ReferenceLinksExtension(Extension):
    """`page()` tells about the page being rendered (the plugin sets it page by page)."""

    def __init__(self, page: Callable[[], PageLinks], **kwargs) -> None:
        super().__init__(**kwargs)
        self.page = page

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After the inline patterns (20) have made code spans, links and images, prettify (10) has
        # set the white space after line breaks and attribute lists (8) have read the text as
        # written; before the table of contents (5) reads the headings and MkDocs makes its links (0).
        md.treeprocessors.register(ReferenceLinks(md, self.page), "caucus_references", 7)
        md.preprocessors.register(TabsAsWritten(md), "caucus_tabs_as_written", 40)  # before normalize_whitespace (30)
        md.postprocessors.register(StrayMarks(md), "caucus_stray_marks", 1)
        md.postprocessors.register(FootnotesBeforeConnections(md), "caucus_footnotes_first", 2)  # after raw HTML (30)


# The block types a notes site needs, which the core's parser (blocks.site_markdown) reads too: with
# any of them missing the page would show, say, a fence as a paragraph where the core saw code.
# Obsidian's callouts and math (generator.flavour) and highlights (pymdownx.mark) are written by
# members as Obsidian shows them.
SITE_EXTENSIONS = ("tables", "admonition", "pymdownx.details", "pymdownx.superfences", "footnotes",
                   "pymdownx.mark", "generator.flavour")
# Python-Markdown's own fenced_code (which MkDocs always loads) reads no `title="…"` after the language
# and no fence inside a list: superfences replaces it, so it is no stand-in.
SAME_AS = {"tables": ("markdown.extensions.tables", "extra", "markdown.extensions.extra"),
           "footnotes": ("markdown.extensions.footnotes", "extra", "markdown.extensions.extra"),
           "admonition": ("markdown.extensions.admonition",)}


def missing_extensions(configured: Sequence[object]) -> list[str]:
    """The site extensions mkdocs.yml does not already name (entries are names, one-key mappings of
    a name to its options, or Extension objects)."""
    names = {e for e in configured if isinstance(e, str)} | {k for e in configured if isinstance(e, dict) for k in e}
    return [name for name in SITE_EXTENSIONS if name not in names and not names & set(SAME_AS.get(name, ()))]
