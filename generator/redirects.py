"""Redirect pages for `aliases:`, so a note that moves or changes number keeps its old URLs.

Static hosts cannot send HTTP redirects from a file tree, so each old URL
gets a tiny HTML page (canonical link + meta refresh + a visible link).
Written as `<alias>/index.html`, which is what directory URLs resolve to.
An alias may not take the place of anything the site publishes: that is an
error at the alias's own line, never a half-written site.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence

from .model import Finding, Note
from .rendering import render

# Folders the theme and the search plugin fill; an alias inside them would overwrite their files.
THEME_FOLDERS = ("assets/", "search/")


def alias_destination(alias: str) -> str:
    """'notes/old/' -> 'notes/old/index.html'; 'old/page.html' and 'feed.xml' stay as they are."""
    return alias if alias and not alias.endswith("/") else f"{alias}index.html"


def page_destination(src_uri: str) -> str:
    """Where MkDocs writes a Markdown page with directory URLs: 'join.md' -> 'join/index.html'."""
    folder, name = posixpath.split(src_uri.removesuffix(".md"))
    if name in ("index", "README"):
        return posixpath.join(folder, "index.html")
    return posixpath.join(folder, name, "index.html")


def _user(dest: str, taken: Mapping[str, str], owners: Mapping[str, Note]) -> str | None:
    """What already publishes a file at `dest`, in words; None when it is free."""
    if dest in owners:
        return f"an alias of {owners[dest].path}"
    if dest in taken:
        return taken[dest]
    return next((f"the theme's {folder} folder" for folder in THEME_FOLDERS if dest.startswith(folder)), None)


def redirect_pages(notes: Sequence[Note], taken: Mapping[str, str]) -> tuple[dict[str, str], list[Finding]]:
    """dest path -> HTML for every alias; an alias that would hide a page, a file or another alias is an error.

    `taken` maps each file the site publishes (e.g. 'notes/12/index.html', 'feed.xml') to what it is.
    """
    pages: dict[str, str] = {}
    owners: dict[str, Note] = {}
    findings: list[Finding] = []
    for note in notes:
        for alias, line in zip(note.aliases, note.alias_lines or (1,) * len(note.aliases)):
            dest = alias_destination(alias)
            user = _user(dest, taken, owners)
            if user is not None:
                findings.append(Finding(note.path, line, "error",
                                        f"alias '{alias}' is already used by {user}; remove it or pick another"))
                continue
            owners[dest] = note
            target = posixpath.relpath(note.url, posixpath.dirname(dest) or ".") + "/"
            pages[dest] = render("redirect.html.j2", note=note, target=target)
    return pages, findings
