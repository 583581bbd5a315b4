"""Corrections to the theme's own markup that no template block reaches.

Material writes `autocomplete="off"` on its two toggle checkboxes (not allowed
on checkboxes by the HTML standard), a search dialog without a name (screen
readers announce just "dialog"), and a table-of-contents label pointing at a
toggle that exists only for pages in the sidebar, which notes are not.
Each fix is an exact replacement: if the theme changes its markup, the fix
does nothing and the HTML validity test says so.
"""

from __future__ import annotations

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
