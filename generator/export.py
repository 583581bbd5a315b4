"""The Markdown tree the plugin gives MkDocs, as plain files: the site without the plugin.

Material for MkDocs reaches end of life in 2027 and its successor runs no
MkDocs plugins, so a caucus must be able to take its site elsewhere: every
hand-written page as MkDocs would receive it (placeholders filled, references
written as Markdown links), every generated page and file, and the site's own assets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .blocks import parse
from .markdown_ext import PageLinks
from .pages import with_appendix
from .pipeline import Site
from .references import markdown_links

LINK_DESTINATION = re.compile(r"(?<=\]\()(<[^>\n]*>|[^)\s]+)")
CODE = {"fence", "code_block", "html_block"}


def exported_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """(path inside the exported docs folder, content) for every file of the site's source."""
    docs = Path(site.settings.root) / site.settings.docs_dir
    for file in sorted(docs.rglob("*")):
        if not file.is_file():
            continue
        rel = file.relative_to(docs).as_posix()
        if file.suffix == ".md":
            text = file.read_text(encoding="utf-8-sig")
            text = site.hand_written(rel, text)
            yield rel, as_markdown(text, site.page_links(rel)).encode("utf-8")
        else:
            yield rel, file.read_bytes()
    for rel, text in site.pages.items():
        markdown = as_markdown(text, site.page_links(rel))
        yield rel, with_appendix(markdown, site.appendices.get(rel, "")).encode("utf-8")
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
