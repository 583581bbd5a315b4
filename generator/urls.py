"""Links between pages by their source paths: used by de-duplication, linking and the pages alike.

A page is named by its `src_uri` (`notes/12.md`, `projects/tenant-union.md`),
and links between pages are relative `.md` links, which MkDocs checks and turns
into URLs.
"""

from __future__ import annotations

import posixpath


def relative_to(target_src_uri: str, from_src_uri: str) -> str:
    """A relative Markdown link from one page's source path to another's.

    Most links join two notes in one folder: those are just the file name,
    without the work (and the working directory lookup) of posixpath.relpath.
    """
    here, (there, name) = posixpath.dirname(from_src_uri), posixpath.split(target_src_uri)
    if here == there:
        return name
    return posixpath.relpath(target_src_uri, here or ".")
