"""Generated pages as Markdown, plus the machine-readable notes.json.

Pages are rendered by the core from Jinja2 templates in `templates/` (see
`rendering.py`), not by theme templates, so the site would build the same under another Markdown
engine. Links between generated pages are relative `.md` links, which MkDocs
checks and turns into URLs (a broken one fails a strict build).
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import yaml
from pymdownx.slugs import slugify

from .blocks import Document, first_paragraph, leading_heading
from .markdown_ext import APPENDIX_MARKER, CONNECTIONS_ID
from .model import Note, Project, Series
from .neighbourhood import href
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


def note_sections(note: Note, graph: NoteGraph | None, directory_urls: bool = True) -> str:
    """The other notes tied to this one, each once with what ties them, as HTML (see
    `graph.connections`). It holds only literal text and links, so it is written as the HTML the page
    shows and joins the page after the engine has rendered the note (`APPENDIX_MARKER`): the engine
    spends nothing on it. Its heading carries `data-search-exclude`: a search for some words should
    find the note that says them, not every note that quotes or lists it."""
    if graph is None or not graph.connections:
        return ""
    page = note.src_uri
    return render("note_sections.html.j2", connections=graph.connections, heading_id=CONNECTIONS_ID,
                  href=lambda other: href(other.src_uri, page, directory_urls))


def with_appendix(text: str, appendix: str) -> str:
    """The page (Markdown or HTML) with its appendix in place of the marker: an HTML comment every engine
    passes through, replaced by the plugin after rendering, or by the export. The last marker is the
    generator's: one a member wrote in a note comes before it and stays a comment."""
    before, marker, after = text.rpartition(APPENDIX_MARKER)
    return before + appendix + after if marker else text


def note_page(note: Note, body: str | None = None, appendix: bool = False, document: Document | None = None,
              projects: Sequence[Project] = ()) -> str:
    """The whole Markdown of one note's page: header, body, then (with `appendix`) the marker where
    the generated sections go."""
    front = page_front_matter(note.title, description_of(note, document), note.tags)
    text = render("note.md.j2", note=note, front_matter=front, body=page_body(note, body, document),
                  notes_index=NOTES_INDEX, projects=projects)
    return text + ("\n" + APPENDIX_MARKER + "\n" if appendix else "")


def latest(notes: Iterable[Note], count: int) -> list[Note]:
    """Newest first: by date, then by number; undated notes after dated ones."""
    return sorted(notes, key=lambda n: (n.date is not None, n.date or 0, n.number or 0, n.slug),
                  reverse=True)[:count]


UNDATED = "Undated"


def by_year(notes: Sequence[Note]) -> list[tuple[str, list[Note]]]:
    """Newest year first, newest note first in each (by date, then number); undated notes last.

    A thousand notes in one list is a wall; a year is how members remember when something was argued.
    """
    years: dict[str, list[Note]] = {}
    for note in latest(notes, len(notes)):
        years.setdefault(str(note.date.year) if note.date else UNDATED, []).append(note)
    return list(years.items())


def tag_anchor(tag: str) -> str:
    """The fragment of a tag's listing on Material's tags page ('tag:' and its slug, as the tags plugin
    writes it from the escaped tag in the note page's front matter)."""
    return "tag:" + slugify(case="lower")(html.escape(tag), "-")


def tag_counts(notes: Iterable[Note]) -> list[tuple[str, int, str]]:
    """Every tag with how many notes carry it and its anchor on the tags page, alphabetically."""
    counts = Counter(tag for note in notes for tag in note.tags)
    return [(tag, counts[tag], tag_anchor(tag)) for tag in sorted(counts, key=lambda t: (t.casefold(), t))]


def notes_index(notes: Sequence[Note], tags_page: str | None = None, series: Sequence[Series] = ()) -> str:
    """Every note by year, newest first, with number, date and summary; the series first; the tags, each
    leading to its listing on the tags page (when the site has one), filter the notes without a script
    or a server."""
    by_url = {note.url: note for note in notes}
    return render("notes_index.md.j2", groups=by_year(notes), count=len(notes), tags=tag_counts(notes),
                  tags_page=tags_page, page=NOTES_INDEX, undated=UNDATED,
                  series=[(s, series_span(s, by_url)) for s in series])


def series_span(series: Series, by_url: Mapping[str, Note]) -> str:
    """'13 notes (1–13)', or '3 notes' when they are not one run of numbers."""
    numbers = [by_url[url].number for url in series.notes if url in by_url]
    count = f"{len(numbers)} {'note' if len(numbers) == 1 else 'notes'}"
    if not numbers or None in numbers or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return count
    return f"{count} ({numbers[0]})" if len(numbers) == 1 else f"{count} ({numbers[0]}–{numbers[-1]})"


def series_page(series: Series, by_url: Mapping[str, Note]) -> str:
    """A series' own page: its summary, then its notes in reading order with date and summary."""
    members = [by_url[url] for url in series.notes if url in by_url]
    description = series.summary or f"{series_span(series, by_url)}, in reading order."
    return render("series.md.j2", series=series, notes=members, span=series_span(series, by_url),
                  front_matter=page_front_matter(series.title, description), page=series.src_uri,
                  index=NOTES_INDEX)


def latest_notes(notes: Sequence[Note], count: int, page: str) -> str:
    """The newest notes, with number, date and summary, for the home page."""
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
