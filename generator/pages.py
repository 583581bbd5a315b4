"""Generated pages as Markdown, plus the machine-readable notes.json.

Pages are rendered by the core from Jinja2 templates in `templates/` (see
`rendering.py`), not by theme templates, so the site would build the same under another Markdown
engine. Links between generated pages are relative `.md` links, which MkDocs
checks and turns into URLs (a broken one fails a strict build).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import yaml

from .blocks import Document, first_paragraph, leading_heading
from .markdown_ext import CONNECTIONS_ID
from .model import Note, Project
from .rendering import render

if TYPE_CHECKING:
    from .graph import NoteGraph

NOTES_INDEX = "notes/index.md"
PROJECTS_INDEX = "projects/index.md"
NOTES_JSON = "notes.json"


def page_front_matter(title: str, description: str, tags: Sequence[str] = ()) -> str:
    """YAML front matter MkDocs and Material read: title, description, tags.

    Title, description and tags land in HTML attributes, `<title>` and tag
    chips, which the theme does not escape, so they are escaped here.
    """
    meta: dict[str, object] = {"title": html.escape(title), "description": html.escape(description)}
    if tags:
        meta["tags"] = [html.escape(tag) for tag in tags]
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000).strip()


def description_of(note: Note, document: Document | None = None) -> str:
    """The summary, else the first words of the note: every page gets a description."""
    return note.summary or first_paragraph(document or note.body) or note.title


def page_body(note: Note, body: str | None = None, document: Document | None = None) -> str:
    """The note's Markdown without the heading that became its title (the page header shows it).

    `document` is the body parsed before linking (which keeps every line), when the caller has it.
    """
    body = note.body if body is None else body
    heading = leading_heading(document or body)
    if heading and heading[0] == note.title:
        lines = body.split("\n")
        body = "\n".join(lines[heading[2]:])
    return body.strip("\n") + "\n"


def note_sections(note: Note, graph: NoteGraph | None) -> str:
    """The other notes tied to this one, each once with what ties them, as Markdown (see
    `graph.connections`). Its heading carries `data-search-exclude`: a search for some words should
    find the note that says them, not every note that quotes or lists it."""
    if graph is None:
        return ""
    text = render("note_sections.md.j2", page=note.src_uri, connections=graph.connections,
                  heading_id=CONNECTIONS_ID).strip("\n")
    return text + "\n" if text else ""


def note_page(note: Note, body: str | None = None, sections: str = "", document: Document | None = None,
              projects: Sequence[Project] = ()) -> str:
    """The whole Markdown of one note's page: header, body, then the generated sections."""
    front = page_front_matter(note.title, description_of(note, document), note.tags)
    text = render("note.md.j2", note=note, front_matter=front, body=page_body(note, body, document),
                  notes_index=NOTES_INDEX, projects=projects)
    return text + ("\n" + sections if sections else "")


def latest(notes: Iterable[Note], count: int) -> list[Note]:
    """Newest first: by date, then by number; undated notes after dated ones."""
    return sorted(notes, key=lambda n: (n.date is not None, n.date or 0, n.number or 0, n.slug),
                  reverse=True)[:count]


def notes_index(notes: Sequence[Note]) -> str:
    newest_first = sorted(notes, key=lambda n: (n.number is not None, n.number or 0, n.title),
                          reverse=True)
    return render("notes_index.md.j2", notes=newest_first)


def latest_notes(notes: Sequence[Note], count: int, page: str) -> str:
    return render("latest_notes.md.j2", notes=latest(notes, count), page=page)


def projects_index(projects: Sequence[Project], start_page: str | None = None) -> str:
    """Project examples grouped by kind, then category; links the guidelines page when the site has one."""
    ordered = sorted(projects, key=lambda p: (p.category or "~", p.title.lower()))
    return render("projects_index.md.j2", projects=ordered, start_page=start_page)


def notes_json(notes: Sequence[Note], references: Mapping[str, Sequence[str]],
               referenced_by: Mapping[str, Sequence[str]]) -> str:
    """The public index: sorted by number then slug, no timestamps, so builds are byte-identical."""
    entries = [
        {
            "number": n.number,
            "slug": n.slug,
            "title": n.title,
            "url": n.url,
            "date": n.date.isoformat() if n.date else None,
            "tags": list(n.tags),
            "summary": n.summary,
            "source": n.path,
            "references": list(references.get(n.url, ())),
            "referenced_by": list(referenced_by.get(n.url, ())),
        }
        for n in sorted(notes, key=lambda n: n.sort_key)
    ]
    return json.dumps({"notes": entries}, ensure_ascii=False, indent=2) + "\n"
