"""Links between pages by their source paths: used by de-duplication, linking and the pages alike.

A page is named by its `src_uri` (`notes/12.md`, `projects/tenant-union.md`),
and links between pages are relative `.md` links, which MkDocs checks and turns
into URLs.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
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

    @cached_property
    def by_file_name(self) -> dict[str, str | None]:
        """File name (any case) -> src_uri, or None where two files share the name."""
        found: dict[str, str | None] = {}
        for source, src_uri in self.by_source.items():
            name = posixpath.basename(source).casefold()
            found[name] = src_uri if name not in found else None
        return found

    def target(self, href: str, source: str, src_uri: str) -> str | None:
        """The src_uri a written link leads to, when it must be rewritten to get there; else None."""
        path = _local_path(href)
        if path is None:
            return None
        if posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)) in self.pages:
            return None
        written = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        return self.by_source.get(written) or self.by_file_name.get(posixpath.basename(path).casefold())

    def rewrite(self, href: str, source: str, src_uri: str) -> str | None:
        """The href to write instead, relative to the page (the #fragment kept); None to keep it."""
        target = self.target(href, source, src_uri)
        if target is None:
            return None
        fragment = href[href.index("#"):] if "#" in href else ""
        return relative_to(target, src_uri) + fragment


def _local_path(href: str) -> str | None:
    """The file path a relative link names (unquoted, without #fragment or ?query), or None."""
    if not href or href.startswith(("#", "/")) or ":" in href.split("/", 1)[0]:
        return None
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    return path or None
