"""Redirect pages for `aliases:`, so a note that moves or changes number keeps its old URLs.

Static hosts cannot send HTTP redirects from a file tree, so each old URL
gets a tiny HTML page (canonical link + meta refresh + a visible link).
Written as `<alias>/index.html`, which is what directory URLs resolve to.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Sequence

from .model import Finding, Note
from .rendering import render


def alias_destination(alias: str) -> str:
    """'notes/old/' -> 'notes/old/index.html'; 'old/page.html' stays as it is."""
    alias = alias.strip("/")
    return alias if alias.endswith(".html") else f"{alias}/index.html"


def redirect_pages(notes: Sequence[Note], taken_urls: Collection[str]) -> tuple[dict[str, str], list[Finding]]:
    """dest path -> HTML for every alias; an alias that would hide a page or another alias is an error."""
    pages: dict[str, str] = {}
    owners: dict[str, Note] = {}
    findings: list[Finding] = []
    for note in notes:
        for alias in note.aliases:
            dest = alias_destination(alias)
            clash = alias in taken_urls or dest in owners
            if clash:
                other = owners[dest].path if dest in owners else "an existing page"
                findings.append(Finding(note.path, 1, "error",
                                        f"alias '{alias}' is already used by {other}; remove it or pick another"))
                continue
            owners[dest] = note
            target = posixpath.relpath(note.url, posixpath.dirname(dest)) + "/"
            pages[dest] = render("redirect.html.j2", note=note, target=target)
    return pages, findings
