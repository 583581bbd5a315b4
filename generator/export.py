"""The Markdown tree the plugin gives MkDocs, as plain files: the site without the plugin.

Material for MkDocs reaches end of life in 2027 and its successor runs no
MkDocs plugins, so a caucus must be able to take its site elsewhere: every
hand-written page as MkDocs would receive it (placeholders filled, references
written as Markdown links), every generated page and file, and the site's own assets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .pipeline import Site
from .references import markdown_links


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
            yield rel, markdown_links(text, site.anchors.get(rel, ())).encode("utf-8")
        else:
            yield rel, file.read_bytes()
    for rel, text in site.pages.items():
        yield rel, markdown_links(text, site.anchors.get(rel, ())).encode("utf-8")
    for rel, text in site.files.items():
        yield rel, text.encode("utf-8")
