"""Links between pages by their source paths: used by de-duplication, linking and the pages alike.

A page is named by its `src_uri` (`notes/12.md`, `projects/tenant-union.md`),
and links between pages are relative `.md` links, which MkDocs checks and turns
into URLs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import unquote


def relative_to(target_src_uri: str, from_src_uri: str) -> str:
    """A relative Markdown link from one page's source path to another's.

    Most links join two notes in one folder: those are just the file name,
    without the work (and the working directory lookup) of posixpath.relpath.
    """
    here, (there, name) = posixpath.dirname(from_src_uri), posixpath.split(target_src_uri)
    if here == there:
        return name
    return posixpath.relpath(target_src_uri, here or ".")


@dataclass(frozen=True)
class SourceLinks:
    """Links members write between their files (`[x](0123-foo.md)`, `[x](Other note.md)`, a docs
    page linking `../notes/0123-foo.md`), led to the pages those files became.

    A note's page is not where its file is (`notes/0123-foo.md` is published as `notes/123.md`),
    so such a link is read as the member meant it: relative to the file it is written in, else,
    as Obsidian reads it, by the file's name alone when one file has it. A link that already
    names a page of the site is left as it is.
    """

    by_source: Mapping[str, str]  # root-relative source path -> src_uri of its page
    pages: frozenset[str]  # every src_uri of the site
    # (src_uri, a #fragment as written) -> the id of the heading it names on that page, if any
    heading_id: Callable[[str, str], str | None] = field(default=lambda src_uri, fragment: None, compare=False)

    @cached_property
    def by_file_name(self) -> dict[str, str | None]:
        """File name (any case) -> src_uri, or None where two files share the name."""
        found: dict[str, str | None] = {}
        for source, src_uri in self.by_source.items():
            name = posixpath.basename(source).casefold()
            found[name] = src_uri if name not in found else None
        return found

    def target(self, href: str, source: str, src_uri: str) -> tuple[str, bool] | None:
        """The src_uri a written link leads to, and whether the link must be rewritten to get there."""
        path = _local_path(href)
        if path is None:
            return None
        as_page = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
        if as_page in self.pages:
            return as_page, False
        written = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        found = self.by_source.get(written) or self.by_file_name.get(posixpath.basename(path).casefold())
        return (found, True) if found else None

    def rewrite(self, href: str, source: str, src_uri: str) -> str | None:
        """The href to write instead, relative to the page; None to keep it. A #fragment that names a
        heading by its text (`#Sizing%20a%20picture`, as Obsidian writes it) becomes that heading's id."""
        found = self.target(href, source, src_uri)
        if found is None:
            return None
        target, moved = found
        fragment = unquote(href.split("#", 1)[1]) if "#" in href else ""
        anchor = self.heading_id(target, fragment) if fragment else None
        if not moved and (anchor is None or anchor == fragment):
            return None
        fragment = anchor or fragment
        return relative_to(target, src_uri) + (f"#{fragment}" if fragment else "")


def _local_path(href: str) -> str | None:
    """The file path a relative link names (unquoted, without #fragment or ?query), or None."""
    if not href or href.startswith(("#", "/")) or ":" in href.split("/", 1)[0]:
        return None
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    return path or None
