"""Corrections to the theme's own markup that no template block reaches.

Material writes `autocomplete="off"` on its two toggle checkboxes (not allowed
on checkboxes by the HTML standard), a search dialog without a name (screen
readers announce just "dialog"), and a table-of-contents label pointing at a
toggle that exists only for pages in the sidebar, which notes are not.
Each fix is an exact replacement: if the theme changes its markup, the fix
does nothing and the HTML validity test says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

TOGGLES = ('id="__drawer" autocomplete="off"', 'id="__search" autocomplete="off"')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_SEARCH_DIALOG = SEARCH_DIALOG.replace('role="dialog"', 'role="dialog" aria-label="Search"')
TOC_LABEL = '<label class="md-nav__title" for="__toc">'
TOC_TOGGLE = 'id="__toc"'


def conform(html: str) -> str:
    for toggle in TOGGLES:
        html = html.replace(toggle, toggle.removesuffix(' autocomplete="off"'))
    html = html.replace(SEARCH_DIALOG, NAMED_SEARCH_DIALOG)
    if TOC_LABEL in html and TOC_TOGGLE not in html:
        before, _, after = html.partition(TOC_LABEL)
        inside, _, rest = after.partition("</label>")
        html = f'{before}<div class="md-nav__title">{inside}</div>{rest}'
    return html


# The 404 page is served for a missing address anywhere on the site, so links relative to its own
# place would break; MkDocs writes them from the site's root ("/assets/..."), right only when the site
# is at the root of its host or `site_url` names the folder. Without `site_url`, the page finds the
# site's folder itself: the part of the address before the last of the site's top-level folders
# (/sub/notes/999/ -> /sub/), else the host's root, and makes it the page's <base>.
ROOTED = re.compile(r'\b(href|src)="/(?!/)')
CHARSET = '<meta charset="utf-8">'
SCOPE, SCOPE_FROM_BASE = '__md_scope=new URL("/",location)', "__md_scope=new URL(document.baseURI)"
FIND_ROOT = ('(function(){var names=%s,parts=location.pathname.split("/"),i=parts.length-2;'
             'while(i>0&&names.indexOf(parts[i])<0)i--;'
             'document.write(\'<base href="\'+(i>0?parts.slice(0,i).join("/"):"")+\'/">\')})()')


def relocatable_404(html: str, folders: Iterable[str]) -> str:
    """The 404 page with links relative to a <base> its inline script sets to the site's folder."""
    script = f"<script>{FIND_ROOT % json.dumps(sorted(set(folders)))}</script>"
    html = html.replace(SCOPE, SCOPE_FROM_BASE)  # the reader's colour scheme, as the site's pages keep it
    return ROOTED.sub(r'\1="', html).replace(CHARSET, CHARSET + script, 1)
