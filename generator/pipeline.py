"""load -> dedup -> link -> pages: the whole generator as one pure call.

The MkDocs plugin and the CLI both call `build_site`, so `caucus-site check`
reports exactly what a build would, and a test can run the whole pipeline
on a folder in `tmp_path` without MkDocs.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

from . import dedup, headers, join, neighbourhood, pages, redirects
from .series import with_series
from .graph import Citations, Links, docs_pages, find_citations, link_corpus, references_key
from .blocks import first_paragraph
from .feed import FEED, atom_feed, fallback_time
from .embeds import Embeddable, expand
from .markdown_ext import PageLinks
from .references import Anchor, find_references
from .urls import SourceLinks
from . import rendered
from .memo import KeptOnDisk, Memo, remembered
from .model import Corpus, Finding, Note, Settings
from .sources import NoteCache, load_corpus

MAX_WORKERS = 8
START_PAGE = "start.md"
TAGS_PAGE = "tags.md"  # Material's tags page, by the name its documentation gives it
LATEST_NOTES_MARKER = "<!-- caucus:latest-notes -->"


@dataclass(frozen=True)
class Site:
    """What the generator adds to a site: generated pages and files, and every finding."""

    settings: Settings
    corpus: Corpus
    links: Links | None = None
    pages: dict[str, str] = field(default_factory=dict)  # src_uri -> Markdown
    files: dict[str, str] = field(default_factory=dict)  # dest path -> text (notes.json)
    findings: tuple[Finding, ...] = ()
    # src_uri -> the references marked in that page's Markdown, in mark order (the renderer links them)
    anchors: dict[str, Sequence[Anchor]] = field(default_factory=dict)
    # src_uri -> the HTML that takes the place of the page's `pages.APPENDIX_MARKER` once it is rendered
    appendices: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "error")

    @cached_property
    def source_links(self) -> SourceLinks:
        """Every note's, project's and hand-written page's file, and the page it became."""
        docs = self.settings.docs_dir.rstrip("/")
        by_source = {f"{docs}/{page}": page for page in docs_pages(self.settings)}
        by_source.update({note.path: note.src_uri for note in self.corpus.notes})
        by_source.update({project.path: project.src_uri for project in self.corpus.projects})
        by_source.update({path: path for path in self.corpus.attachments})
        return SourceLinks(by_source, frozenset(by_source.values()) | frozenset(self.pages) | frozenset(self.files),
                           self.heading_id)

    def heading_id(self, src_uri: str, fragment: str) -> str | None:
        """The id of the heading a #fragment names by its text on a note's page."""
        note = self.notes_by_src_uri.get(src_uri)
        if note is None or self.links is None or self.links.resolver is None:
            return None
        return self.links.resolver.fragments(note).heading(fragment)

    @cached_property
    def notes_by_src_uri(self) -> dict[str, Note]:
        """A note page's src_uri -> the note (whose `path` is the member's file)."""
        return {note.src_uri: note for note in self.corpus.notes}

    def page_links(self, src_uri: str) -> PageLinks:
        """What the renderer needs of one page: its marked references and where its file is."""
        note = self.notes_by_src_uri.get(src_uri)
        source = note.path if note else f"{self.settings.docs_dir.rstrip('/')}/{src_uri}"
        return PageLinks(tuple(self.anchors.get(src_uri, ())), source, src_uri, self.source_links)

    def hand_written(self, src_uri: str, markdown: str) -> str:
        """A page of `docs/` with the generator's placeholders filled in and references marked
        (its anchors kept for the renderer in `anchors`)."""
        if self.links is not None:
            markdown, self.anchors[src_uri] = self.links.link_page(src_uri, markdown)
        if LATEST_NOTES_MARKER in markdown:
            listing = pages.latest_notes(self.corpus.notes, self.settings.latest_notes, src_uri)
            markdown = markdown.replace(LATEST_NOTES_MARKER, listing)
        return join.fill_join_markers(markdown, self.settings, src_uri)


def describe(meta: dict, markdown: str) -> str:
    """A hand-written page's description: as given, else its summary, else its first paragraph.

    Escaped here because the theme writes it into an HTML attribute as it is.
    """
    return html.escape(str(meta.get("description") or meta.get("summary") or first_paragraph(markdown)))


def config_text(settings: Settings) -> str:
    """mkdocs.yml as text, so findings about plugin options can name their line ('' without one)."""
    path = Path(settings.root) / settings.config_file
    return path.read_text(encoding="utf-8-sig") if path.is_file() else ""


@dataclass(frozen=True)
class Analysis:
    """Everything read and resolved, before any page is made: all `check` needs."""

    corpus: Corpus
    cleaned: dedup.Dedup
    citations: Citations
    redirects: dict[str, str]  # dest path -> redirect page: aliases are checked by making them
    findings: tuple[Finding, ...]


# Files MkDocs, Material and its plugins write whatever the content: an alias must not replace them.
ENGINE_FILES = ("sitemap.xml", "sitemap.xml.gz", "404.html", "tags/index.html")


def published_files(settings: Settings, corpus: Corpus) -> dict[str, str]:
    """Every file the site will publish (but redirects), by destination, with what it is: the pages and
    files of `docs/`, the note and project pages, and the generated ones."""
    taken = {name: f"the site's {name}" for name in ENGINE_FILES}
    docs = Path(settings.root) / settings.docs_dir
    for file in sorted(docs.rglob("*")) if docs.is_dir() else ():
        rel = file.relative_to(docs).as_posix()
        if file.is_file():
            dest = redirects.page_destination(rel) if file.suffix == ".md" else rel
            taken[dest] = file.relative_to(settings.root).as_posix()
    for generated in (pages.NOTES_INDEX, pages.PROJECTS_INDEX):
        taken[redirects.page_destination(generated)] = f"the generated {generated.split('/')[0]} index"
    taken[redirects.page_destination(neighbourhood.GRAPH_PAGE)] = "the generated graph of the notes"
    for name in (pages.NOTES_JSON, FEED, join.SCRIPT, headers.HEADERS_FILE):
        taken[name] = f"the site's {name}"
    for item in (*corpus.notes, *corpus.projects):
        taken[redirects.page_destination(item.src_uri)] = item.path
    for series in corpus.series:
        taken[redirects.page_destination(series.src_uri)] = f"the page of the series '{series.title}'"
    return taken


def analyse(settings: Settings, cache: NoteCache | None = None, prune: bool = True) -> Analysis:
    """load -> dedup -> find references, and every finding a build would report; never raises for bad content.

    This is all `caucus-site check` runs: the graph and the pages add no findings. With `prune`, the
    cache then forgets what this run did not use (`build_site` prunes once its pages are made).
    """
    corpus = with_series(load_corpus(settings, cache), settings)
    memo = cache.memo if cache is not None else per_note_work(corpus.notes, settings)
    cleaned = dedup.dedupe_corpus(corpus, settings, memo)
    citations = find_citations(corpus, cleaned.bodies, settings, cleaned.documents, memo, cleaned.kept)
    if memo is not None and prune:
        memo.prune()
    redirect_files, redirect_findings = redirects.redirect_pages(corpus.notes, published_files(settings, corpus))
    findings = (corpus.findings + cleaned.findings + citations.findings + tuple(redirect_findings)
                + tuple(join.join_findings(settings, config_text(settings))))
    return Analysis(corpus, cleaned, citations, redirect_files, tuple(sorted(findings)))


def note_appendix(note: Note, graph, links: Links, directory_urls: bool,
                  memo: Memo | None = None) -> str:
    """A note's connections and neighbourhood graph, as HTML (see `pages.with_appendix`).

    The preview keeps them by what they show: the notes tied to this one (with each tie) and the
    citations among its neighbours, so editing a note's text redraws no other note's."""
    if graph is None:
        return ""
    neighbours = (*graph.cites, *(source for source, _ in graph.backlinks))
    key = ("appendix", note, tuple(graph.connections), tuple(graph.cites),
           tuple(source for source, _ in graph.backlinks),
           tuple(tuple(links.references.get(other.url, ())) for other in neighbours), directory_urls)
    return remembered(memo, key, lambda: pages.note_sections(note, graph, directory_urls)
                      + neighbourhood.neighbourhood_svg(note, links, directory_urls))


PARALLEL_FROM = 400  # notes: below this, starting worker processes costs more than it saves


def _note_work(bodies: Sequence[str], min_words: int, words: tuple[str, ...]) -> list[tuple[dedup.NoteDedup, list]]:
    """In a worker process: what de-duplication and reference finding work out from each body alone."""
    done = []
    for body in bodies:
        work = dedup.dedupe_note(body, min_words, words)
        done.append((work, find_references(work.clean.document, words)))
    return done


def per_note_work(notes: Sequence[Note], settings: Settings) -> Memo | None:
    """A build or `check` of a big site parses and scans its notes on every processor the machine has.

    Each note's de-duplication and references depend on its body and the settings alone, so they are
    worked out in worker processes (forked: they start with everything loaded) and handed to the stages
    through a memo under the keys the stages ask for, which is what they would make themselves.
    Elsewhere than on Linux (where fork is safe and cheap), on one processor, or for a small site: None,
    and each stage works alone.
    """
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(notes) < PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        return None
    min_words, words = settings.dedup_min_words, tuple(settings.citation_words)
    bodies = list(dict.fromkeys(note.body for note in notes))
    chunks = [bodies[i::workers * 4] for i in range(workers * 4)]  # interleaved: long notes spread out
    memo = Memo()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for chunk, done in zip(chunks, pool.map(_note_work, chunks, [min_words] * len(chunks),
                                                    [words] * len(chunks))):
                for body, (work, found) in zip(chunk, done):
                    memo.get(dedup.note_work_key(body, min_words, words), lambda work=work: work)
                    memo.get(references_key(work.clean.document.text, words), lambda found=found: found)
    except (OSError, BrokenProcessPool):  # no process semaphores here, or a worker was killed: work alone
        return None
    return memo


LAYOUT_DIR = ".cache/caucus/layout"


def kept_layout(settings: Settings) -> KeptOnDisk | None:
    """Where `mkdocs build` keeps the site graph's layout between builds: most builds change no
    citation, and laying out a thousand notes takes a fifth of a second (see `rendered.enabled`)."""
    return KeptOnDisk(Path(settings.root) / LAYOUT_DIR) if rendered.enabled() else None


def build_site(settings: Settings, cache: NoteCache | None = None) -> Site:
    """Read everything, then make every generated page; never raises for bad content.

    `cache` (kept by the live preview between rebuilds) spares re-reading, re-parsing and
    re-linking the notes that did not change.
    """
    found = analyse(settings, cache, prune=False)
    corpus, cleaned = found.corpus, found.cleaned
    memo = cache.memo if cache is not None else None
    links = link_corpus(corpus, cleaned.bodies, settings, citations=found.citations)
    notes = corpus.notes
    by_url = {note.url: note for note in notes}
    directory_urls = settings.use_directory_urls
    generated, anchors, appendices = {}, {}, {}
    embeddable = {note.src_uri: Embeddable(note.src_uri, note.title, links.bodies[note.url], links.anchors[note.url],
                                           cleaned.documents.get(note.url)) for note in notes}
    for note in notes:
        body = dedup.annotate(links.bodies[note.url], cleaned.also_in.get(note.url, []), note.src_uri, by_url)
        body, anchors[note.src_uri] = expand(body, links.anchors[note.url], note.src_uri, embeddable)
        graph = links.graph.get(note.url)
        appendix = note_appendix(note, graph, links, directory_urls, memo)
        if appendix:
            appendices[note.src_uri] = appendix
        projects = tuple(graph.projects) if graph else ()
        generated[note.src_uri] = remembered(
            memo, ("page", note, body, bool(appendix), cleaned.bodies.get(note.url), projects),
            lambda: pages.note_page(note, body, bool(appendix), cleaned.documents.get(note.url), projects))
    docs = Path(settings.root) / settings.docs_dir
    generated[pages.NOTES_INDEX] = pages.notes_index(notes, TAGS_PAGE if (docs / TAGS_PAGE).is_file() else None,
                                                     corpus.series)
    # The graph shows the notes by number and title and their citations: a change to a note's text
    # alone leaves it as it was.
    graph_key = ("graph", tuple((n.url, n.src_uri, n.label, n.title, n.sort_key) for n in notes),
                 tuple(sorted((url, tuple(targets)) for url, targets in links.references.items())), directory_urls)
    generated[neighbourhood.GRAPH_PAGE], appendices[neighbourhood.GRAPH_PAGE] = remembered(
        memo, graph_key, lambda: neighbourhood.site_graph_page(notes, links.references, directory_urls,
                                                               memo=memo if memo is not None else kept_layout(settings)))
    generated[pages.NOTES_INDEX] += neighbourhood.graph_link(pages.NOTES_INDEX)
    for series in corpus.series:
        generated[series.src_uri] = pages.series_page(series, by_url)
    start_page = START_PAGE if (docs / START_PAGE).is_file() else None
    generated[pages.PROJECTS_INDEX] = pages.projects_index(corpus.projects, start_page)
    files = {pages.NOTES_JSON: pages.notes_json(notes, links.references, links.referenced_by),
             FEED: remembered(memo, ("feed", tuple((n.url, n.label, n.title, n.date, n.summary, n.tags, n.sort_key)
                                                   for n in notes), settings.site_name, settings.site_url,
                                     fallback_time()),
                              lambda: atom_feed(notes, settings.site_name, settings.site_url)),
             join.SCRIPT: join.script()}
    files.update(found.redirects)
    if memo is not None:  # what the edited notes' old text gave is forgotten
        memo.prune()
    return Site(settings=settings, corpus=corpus, links=links, pages=generated, files=files,
                findings=found.findings, anchors=anchors, appendices=appendices)
