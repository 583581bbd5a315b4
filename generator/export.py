"""The Markdown tree the plugin gives MkDocs, as plain files: the site without the plugin.

Material for MkDocs reaches end of life in 2027 and its successor runs no
MkDocs plugins, so a caucus must be able to take its site elsewhere: every
hand-written page as MkDocs would receive it (placeholders filled, references
written as Markdown links), every generated page and file, and the site's own assets.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from .blocks import parse
from .markdown_ext import PageLinks
from .neighbourhood import page_url
from .pages import with_appendix
from .pipeline import Site
from .references import markdown_links

LINK_DESTINATION = re.compile(r"(?<=\]\()(<[^>\n]*>|[^)\s]+)")
CODE = {"fence", "code_block", "html_block"}
ENGINES = ("mkdocs", "zensical")
HTML_LINK = re.compile(r"""(?<=\s)((?:href|src)=)("[^"]*"|'[^']*')""", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+).*?(?<!`)\1(?!`)")
PATH_AND_REST = re.compile(r"([^?#]*)(.*)", re.DOTALL)
NOT_A_PATH = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[/#?]|$")  # a scheme, the root, a fragment, a query, nothing


def exported_files(site: Site, engine: str = "mkdocs") -> Iterator[tuple[str, bytes]]:
    """(path inside the exported docs folder, content) for every file of the site's source.

    engine "zensical": raw HTML's links are written for Zensical, which reads them as it reads
    Markdown links, relative to the Markdown file (see `for_zensical`).
    """
    def page(rel: str, text: str) -> bytes:
        exported = with_appendix(as_markdown(text, site.page_links(rel)), site.appendices.get(rel, ""))
        if engine == "zensical":
            exported = for_zensical(exported, rel, site.settings.use_directory_urls)
        return exported.encode("utf-8")

    docs = Path(site.settings.root) / site.settings.docs_dir
    for file in sorted(docs.rglob("*")):
        if not file.is_file():
            continue
        rel = file.relative_to(docs).as_posix()
        if file.suffix == ".md":
            text = file.read_text(encoding="utf-8-sig")
            text = site.hand_written(rel, text)
            yield rel, page(rel, text)
        else:
            yield rel, file.read_bytes()
    for rel, text in site.pages.items():
        yield rel, page(rel, text)
    for rel, text in site.files.items():
        yield rel, text.encode("utf-8")
    for path in site.corpus.attachments:  # published where they are, as the plugin publishes them
        yield path, (Path(site.settings.root) / path).read_bytes()


def as_markdown(marked: str, page: PageLinks) -> str:
    """A page's Markdown for another engine: references as Markdown links, and links written
    between members' files led to the pages those files became (the renderer does both on the site)."""
    text = markdown_links(marked, page.anchors)
    if page.files is None or "](" not in text:
        return text
    lines = text.split("\n")
    code = {i for block in parse(text).blocks if block.kind in CODE for i in range(block.start, block.end)}
    for i, line in enumerate(lines):
        if i not in code and "](" in line:
            lines[i] = LINK_DESTINATION.sub(lambda m: _led(m.group(0), page), line)
    return "\n".join(lines)


def _led(destination: str, page: PageLinks) -> str:
    bare = destination[1:-1] if destination.startswith("<") else destination
    rewritten = page.files.rewrite(bare, page.source, page.src_uri) if page.files else None
    return destination if rewritten is None else rewritten


def for_zensical(text: str, rel: str, directory_urls: bool = True) -> str:
    """A page's raw HTML with its relative links made relative to the Markdown file, not the page.

    MkDocs copies raw HTML as written, so the generator writes its links (the note graph, the
    site graph, the join page's script) relative to the page's URL: from notes/1.md, published
    at notes/1/, the note 59 is "../59/". Zensical reads every relative link in a page, raw HTML
    included, from the Markdown file's folder (notes/) and rewrites it for the page, so "../59/"
    would lead to /59/; written "59/", it leads to notes/59/ as it does under MkDocs. Links
    beginning with a scheme, "/", "#" or "?" and code are left alone; so is a page whose URL is
    its file's folder (index.md, or any page without directory URLs).
    """
    url = page_url(rel, directory_urls)
    here = (url if url.endswith("/") else posixpath.dirname(url)).rstrip("/")  # the page's folder, "" at the root
    folder = posixpath.dirname(rel)
    if here == folder or "=" not in text:
        return text

    def relinked(match: re.Match) -> str:
        quote, value = match.group(2)[0], match.group(2)[1:-1]
        if NOT_A_PATH.match(html.unescape(value)):
            return match.group(0)
        path, rest = PATH_AND_REST.match(value).groups()
        target = posixpath.normpath(posixpath.join(here, html.unescape(path)))
        if target == ".." or target.startswith("../"):
            return match.group(0)
        moved = posixpath.relpath(target, folder or ".")
        if path.endswith("/") or path in (".", ".."):
            moved = "./" if moved == "." else moved + "/"
        return f"{match.group(1)}{quote}{html.escape(moved)}{rest}{quote}"

    def outside_code_spans(line: str) -> str:
        pieces, start = [], 0
        for span in CODE_SPAN.finditer(line):
            pieces += [HTML_LINK.sub(relinked, line[start:span.start()]), span.group(0)]
            start = span.end()
        return "".join(pieces) + HTML_LINK.sub(relinked, line[start:])

    lines = text.split("\n")
    code = {i for block in parse(text).blocks if block.kind in {"fence", "code_block"}
            for i in range(block.start, block.end)}
    return "\n".join(line if i in code or "=" not in line else outside_code_spans(line)
                     for i, line in enumerate(lines))
