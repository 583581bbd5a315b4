"""Rendering generated Markdown from the Jinja2 templates in `templates/`.

One environment, compiled once per process, with the filters the templates
use to write members' text as literal Markdown and to link pages relatively.
Pages, the graph's project listings, the join page, redirects and new notes
all render through it; it depends on no stage, so none of them depends on
another to render.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import jinja2

from .model import Note
from .urls import relative_to

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


@lru_cache(maxsize=4096)
def md_text(text: str) -> str:
    """Member-written text made literal in Markdown: HTML is escaped, emphasis, links and math
    (`$`, as a character reference every engine reads) are not read."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)).replace("$", "&#36;")


def note_name(note: Note) -> str:
    """How the site names a note: 'Strategy Note 12: Title', or the title of an unnumbered note."""
    return f"{note.label}: {note.title}" if note.number is not None else note.title


def link_text(note: Note) -> str:
    """A note's name as the text of a generated Markdown link."""
    return md_text(note_name(note))


def html_name(note: Note) -> str:
    """A note's name in generated HTML."""
    return html.escape(note_name(note), quote=False)


def table_cell(text: str) -> str:
    return text.replace("|", "&#124;").replace("\n", " ")


def long_date(date) -> str:
    """'1 May 2024', the same whatever the machine's locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates are compiled once per process, not once per page."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=False,  # the output is Markdown; text goes through the `md` filter instead
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # no stat() of the template file on every page
    )
    env.filters.update(
        md=md_text,
        html_text=lambda text: html.escape(str(text), quote=False),  # text in the HTML templates
        link_text=link_text,
        html_name=html_name,
        cell=table_cell,
        long_date=long_date,
        relative_to=relative_to,
        link_from=lambda item, from_uri: relative_to(item.src_uri, from_uri),
    )
    return env


def render(template: str, **context: object) -> str:
    return environment().get_template(template).render(**context)
