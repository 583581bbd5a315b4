"""The reference graph: what each note cites, what cites it (with the citing sentence),
previous and next by number, related notes, and projects.

Built after every note has been read (references form a graph, not a tree);
every lookup is a dict or an inverted index, so it stays linear in the notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
import posixpath
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from .model import Corpus, Finding, Note, Project, Settings, fields_hash
from .blocks import Document, parse
from .fragments import Fragments, fragments
from .memo import Memo, remembered
from .references import Anchor, Found, Target, anchors_at, find_references, mark_links, marked
from .sources import read_source
from .rendering import render
from .urls import relative_to

DOCS_PAGES = {"statement": "statement.md", "join": "join.md", "start": "start.md"}
LEVELS = {"info": "info", "warn": "warning", "error": "error"}
RELATED = 3
CROWD = 200  # a tag or target shared by more notes than this says little about relatedness


@dataclass(frozen=True)
class Backlink:
    source: Note
    context: str


@dataclass
class Resolver:
    """Written reference -> page, for one corpus and one site's hand-written pages.

    A number is a note's number. A name is a note's title, else its file name (with or without
    its folders and `.md`), else one of its alias names, each compared without regard to case;
    a name that fits two notes at the first level that has any is linked to neither, and said so.
    """

    corpus: Corpus
    docs_pages: frozenset[str]
    words: tuple[str, ...] = ("Strategy Note", "Strategy Notes")
    notes_dir: str = "notes"
    documents: Mapping[str, Document] = field(default_factory=dict)  # note URL -> its body, parsed
    by_number: dict[int, Note] = field(init=False)
    by_name: tuple[dict[str, list[Note]], ...] = field(init=False)  # titles, file names, alias names
    projects: dict[str, Project] = field(init=False)

    def __post_init__(self) -> None:
        self.by_number = {n.number: n for n in self.corpus.notes if n.number is not None}
        titles, files, aliases = defaultdict(list), defaultdict(list), defaultdict(list)
        for note in self.corpus.notes:
            titles[note.title.casefold()].append(note)
            for name in file_names(note, self.notes_dir):
                files[name].append(note)
            for name in note.names:  # alias entries that are names, not old addresses
                aliases[name.casefold()].append(note)
        self.by_name = (titles, files, aliases)
        self.projects = {p.slug: p for p in self.corpus.projects}
        self.by_attachment: dict[str, str] = {}
        for path in sorted(self.corpus.attachments, key=lambda p: (p.count("/"), p.casefold())):  # nearest the top
            self.by_attachment.setdefault(_under(path, self.notes_dir).casefold(), path)
            self.by_attachment.setdefault(posixpath.basename(path).casefold(), path)
        self._fragments: dict[str, Fragments] = {}
        # (target, source's path and URL) -> Target: checking and linking a note resolve the same references
        self._resolved: dict[tuple, Target] = {}

    @property
    def word(self) -> str:
        """How one note is cited on this site: "Strategy Note", "RFC"."""
        return self.words[0] if self.words else "Strategy Note"

    @property
    def plural(self) -> str:
        return self.words[1] if len(self.words) > 1 else self.word + "s"

    def candidates(self, target: str, source: Note | None = None) -> list[Note]:
        """The notes a name fits, at the first level (title, file name, alias name) where any does.

        Of several notes with one title, the one whose file has that name; of several files with
        one name, the one nearest the top of the notes folder, as Obsidian and Quartz read it.
        A path written from the linking note's folder (`./Rosa`, `../People/Rosa`) is a file name.
        """
        name = _name(target)
        if name.startswith(("./", "../")) and source is not None:
            folder = posixpath.dirname(_under(source.path, self.notes_dir)).casefold()
            return self.by_name[1].get(posixpath.normpath(posixpath.join(folder, name)), [])
        titles, files, aliases = (index.get(name, []) for index in self.by_name)
        if len(titles) > 1:
            titles = _nearest_top([n for n in titles if n in files]) or titles
        return titles or _nearest_top(files) or aliases

    def shadowed(self, target: str) -> Note | None:
        """The note whose file has this name when the name leads to another note by its title:
        Obsidian would open that file, so the member is told."""
        name = _name(target)
        titles, files = self.by_name[0].get(name, []), self.by_name[1].get(name, [])
        if len(titles) == 1 and len(files) == 1 and files[0] is not titles[0]:
            return files[0]
        return None

    def note(self, ref: Found, target: int | str, source: Note | None = None) -> Note | None:
        if isinstance(target, int) or target.isdigit():
            return self.by_number.get(int(target))
        if target.startswith("#"):
            return source
        matches = self.candidates(target, source)
        return matches[0] if len(matches) == 1 else None

    def for_note(self, source: Note):
        """This resolver for the references of one note (`[[#Heading]]` names a heading of its own)."""
        return lambda ref, target: self(ref, target, source)

    def fragments(self, note: Note) -> Fragments:
        if note.url not in self._fragments:
            document = self.documents.get(note.url)
            self._fragments[note.url] = fragments(document or parse(note.body), note.title)
        return self._fragments[note.url]

    def __call__(self, ref: Found, target: int | str, source: Note | None = None) -> Target:
        """What a reference's target leads to, from the note it is written in (None: a hand-written page);
        worked out once per target and note (what is written around the target plays no part)."""
        key = (target, None) if source is None else (target, source.path, source.url)
        resolved = self._resolved.get(key)
        if resolved is None:
            resolved = self._resolved[key] = self._resolve(target, source)
        return resolved

    def _resolve(self, target: int | str, source: Note | None) -> Target:
        if isinstance(target, int) or target.isdigit():
            note = self.by_number.get(int(target))
            label = f"{self.word} {int(target)}"
            return Target(note.src_uri, label) if note else Target(None, label, f"{label} is not on this site")
        name, _, fragment = target.partition("#")
        if not name.strip() and fragment and source is not None:
            return self._into(source, Target(source.src_uri, fragment.strip(), here=True), fragment)
        shown = f"{name.strip()} > {fragment.strip()}" if fragment.strip() else target  # as Obsidian shows it
        if target.startswith("projects/"):
            project = self.projects.get(target.removeprefix("projects/"))
            return (Target(project.src_uri, project.title) if project
                    else Target(None, target, f"the project page {target} is not on this site"))
        if target in DOCS_PAGES:
            page = DOCS_PAGES[target]
            return Target(page, target) if page in self.docs_pages else Target(None, target, f"{page} is not on this site")
        attachment = self.attachment(name)
        if attachment:  # its #fragment (a PDF's #page=3) is the reader's program's to read
            return Target(attachment, posixpath.basename(attachment), fragment=fragment.strip())
        matches = self.candidates(target, source)
        if len(matches) == 1:
            return self._into(matches[0], Target(matches[0].src_uri, shown), fragment)
        if matches:
            return Target(None, target, f"“{target}” could mean {_either(n.label for n in matches)}")
        return Target(None, target, f"no note is titled or named “{target}”")

    def _into(self, note: Note, found: Target, fragment: str) -> Target:
        """The link to a heading or block of the note, or to the note with a problem when it has none."""
        fragment = fragment.rsplit("#", 1)[-1].strip()  # [[Note#Section#Sub-section]]: the last one
        if not fragment:
            return found
        known = self.fragments(note)
        if fragment.startswith("^"):
            if fragment[1:] in known.blocks:
                return replace(found, fragment=fragment)
            return replace(found, problem=f"{note.path} has no block ^{fragment[1:]}")
        anchor = known.heading(fragment)
        if anchor is not None:
            return replace(found, fragment=anchor)
        return replace(found, problem=f"{note.path} has no heading “{fragment}”")

    def attachment(self, name: str) -> str | None:
        """The file (root-relative path) a name gives, when it names an attachment, not a note."""
        name = name.strip()
        if not name or posixpath.splitext(name)[1].lower() in ("", ".md"):
            return None
        key = name.strip("/").casefold()
        return self.by_attachment.get(key) or self.by_attachment.get(posixpath.basename(key))


def _nearest_top(notes: list[Note]) -> list[Note]:
    """Of notes sharing a name, those in the fewest folders."""
    if len(notes) < 2:
        return notes
    depth = min(n.path.count("/") for n in notes)
    return [n for n in notes if n.path.count("/") == depth]


def _name(target: str) -> str:
    """A wikilink's target as a name: no #fragment, no `.md`, any case."""
    return target.split("#", 1)[0].strip().removesuffix(".md").strip("/").casefold()


def _under(path: str, notes_dir: str) -> str:
    return path.removeprefix(notes_dir.rstrip("/") + "/").removesuffix(".md")


def file_names(note: Note, notes_dir: str) -> set[str]:
    """The names a wikilink may give a note's file: its stem, and its path under the notes folder."""
    path = _under(note.path, notes_dir)
    return {path.casefold(), path.rsplit("/", 1)[-1].casefold()}


def _either(names) -> str:
    names = sorted(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class NoteGraph:
    """One note's place in the graph: what a reader finds at the end of its page."""

    backlinks: list[tuple[Note, list[str]]]  # citing note, with each sentence that cites this one
    cites: list[Note]
    related: list[Note]
    projects: list[Project]
    previous: Note | None = None
    next: Note | None = None
    connections: list[Connection] = field(default_factory=list)  # every other note above, once, most tied first


@dataclass(frozen=True)
class Connection:
    """Another note and everything that ties it to this one, as the note's page lists it once."""

    note: Note
    quotes: tuple[str, ...] = ()  # its sentences that cite this note
    cites_this: bool = False
    cited_here: bool = False
    tags: tuple[str, ...] = ()  # tags both notes carry
    projects: tuple[Project, ...] = ()  # projects both notes are about
    both_cite: tuple[Note, ...] = ()  # notes both cite

    def __hash__(self) -> int:  # a key of the live preview's memo: hashed once
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return fields_hash(self)

    @property
    def score(self) -> int:
        """Citing either way counts most, then each shared tag, project or cited note."""
        return 4 * self.cites_this + 4 * self.cited_here + len(self.tags) + len(self.projects) + len(self.both_cite)


def connections(note: Note, backlinks: Sequence[tuple[Note, list[str]]], cites: Mapping[str, Sequence[Note]],
                related: Sequence[Note], projects: Mapping[str, Project]) -> list[Connection]:
    """Each note that cites this one, that it cites, or that is related to it, once, with what ties
    them; the most tied first, then by number."""
    quotes = {source.url: contexts for source, contexts in backlinks}
    cited = {other.url for other in cites.get(note.url, ())}
    others: dict[str, Note] = {}
    for other in (*(source for source, _ in backlinks), *cites.get(note.url, ()), *related):
        others.setdefault(other.url, other)
    tags = {tag.casefold() for tag in note.tags}
    found = []
    for other in others.values():  # what most pairs do not share is not looked for
        both = [n for n in cites.get(other.url, ()) if n.url in cited and n.url != other.url and n.url != note.url] \
            if cited else ()
        found.append(Connection(
            note=other, quotes=tuple(quotes.get(other.url, ())), cites_this=other.url in quotes,
            cited_here=other.url in cited, tags=tuple([t for t, f in zip(other.tags, _folded(other.tags)) if f in tags])
            if tags else (),
            projects=tuple(projects[s] for s in other.projects if s in note.projects and s in projects)
            if note.projects else (),
            both_cite=tuple(both)))
    return sorted(found, key=lambda c: (-c.score, c.note.sort_key))


@lru_cache(maxsize=1 << 14)
def _folded(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Tags compared without regard to case: each note's, once."""
    return tuple(tag.casefold() for tag in tags)


@dataclass(frozen=True)
class Links:
    """The link stage's result: linked bodies and the graph (its findings are in Citations)."""

    bodies: dict[str, str]
    references: dict[str, list[str]] = field(default_factory=dict)
    referenced_by: dict[str, list[str]] = field(default_factory=dict)
    graph: dict[str, NoteGraph] = field(default_factory=dict)
    project_notes: dict[str, list[Note]] = field(default_factory=dict)
    resolver: Resolver | None = None
    words: tuple[str, ...] = ()
    anchors: dict[str, list[Anchor]] = field(default_factory=dict)  # note URL -> its references, as marked

    def link_page(self, src_uri: str, markdown: str) -> tuple[str, list[Anchor]]:
        """A hand-written page with its references marked, and a project page with its notes listed."""
        if self.resolver is None:
            return markdown, []
        linked, anchors = mark_links(markdown, find_references(markdown, self.words), self.resolver,
                                     lambda target: relative_to(target, src_uri))
        slug = src_uri.removeprefix("projects/").removesuffix(".md")
        if src_uri.startswith("projects/") and slug != "index":  # its notes, and the way back to the list
            linked += "\n\n" + render("project_notes.md.j2", notes=self.project_notes.get(slug, []),
                                        page=src_uri, projects="projects/index.md")
        return linked, anchors


def docs_pages(settings: Settings) -> frozenset[str]:
    docs = Path(settings.root) / settings.docs_dir
    return frozenset(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if docs.is_dir() else frozenset()


@dataclass(frozen=True)
class Citations:
    """Every reference found in the notes and resolved, and what is wrong with them: all `check` needs."""

    found: dict[str, list[Found]]  # note URL -> its references, in order
    resolver: Resolver
    findings: tuple[Finding, ...]
    memo: Memo | None = field(default=None, compare=False, repr=False)  # the live preview's, to link with


def references_key(body: str, citation_words: tuple[str, ...]) -> tuple:
    """The memo's key for the references found in a cleaned body (workers fill the memo under it too)."""
    return ("references", body, citation_words)


def find_citations(corpus: Corpus, bodies: Mapping[str, str], settings: Settings,
                   documents: Mapping[str, Document] | None = None, memo: Memo | None = None,
                   kept: Mapping[str, Sequence[int]] | None = None) -> Citations:
    """Find and resolve the references of every note and hand-written page; report the bad ones.

    `documents` are the bodies already parsed (by de-duplication), so no note is parsed twice;
    `memo` keeps what was found in each body between rebuilds of the live preview; `kept` maps
    the lines of a body that lost repeats back to its file's lines, so findings name the right line.
    """
    resolver = Resolver(corpus, docs_pages(settings), tuple(settings.citation_words), settings.notes_dir,
                        documents or {})
    level = LEVELS.get(settings.unresolved_references)
    documents = documents or {}
    found: dict[str, list[Found]] = {}
    findings: list[Finding] = []
    for note in corpus.notes:
        document = documents.get(note.url) or bodies[note.url]
        found[note.url] = remembered(memo, references_key(bodies[note.url], tuple(settings.citation_words)),
                                     lambda: find_references(document, settings.citation_words))
        lines = SourceLines(note.body_line, (kept or {}).get(note.url))
        findings += _problems(note.path, lines, found[note.url], resolver, level, note)
    findings += _docs_problems(settings, resolver, level)
    findings += _unknown_projects(corpus)
    findings += _embed_cycles(corpus, found, resolver, kept or {})
    return Citations(found, resolver, tuple(findings), memo)


def _embed_cycles(corpus: Corpus, found: Mapping[str, Sequence[Found]], resolver: Resolver,
                  kept: Mapping[str, Sequence[int]]) -> list[Finding]:
    """An embed that would show a note already being shown (A shows B, B shows A): it stays a
    link there, and the member is told where, never left with a page that never ends."""
    notes = {note.url: note for note in corpus.notes}
    edges: dict[str, list[tuple[Found, Note]]] = {}
    for url, refs in found.items():
        edges[url] = [(ref, other) for ref in refs if ref.kind == "wikilink" and ref.written.startswith("!")
                      for other in [resolver.note(ref, ref.targets[0], notes[url])] if other is not None]
    findings, state = [], {}  # url -> 1 while being walked, 2 when done

    def walk(url: str, path: list[str]) -> None:
        state[url] = 1
        for ref, other in edges.get(url, ()):
            if state.get(other.url) == 1:
                chain = " → ".join(notes[u].path for u in path[path.index(other.url):] + [url, other.url])
                line = SourceLines(notes[url].body_line, kept.get(url))(ref.line)
                findings.append(Finding(notes[url].path, line, "warning",
                                        f"{ref.written} shows a note that shows this one ({chain}); "
                                        "it is a link here instead"))
            elif other.url not in state:
                walk(other.url, path + [url])
        state[url] = 2

    for url in edges:
        if url not in state:
            walk(url, [])
    return findings


def link_corpus(corpus: Corpus, bodies: Mapping[str, str], settings: Settings,
                documents: Mapping[str, Document] | None = None, citations: Citations | None = None,
                memo: Memo | None = None) -> Links:
    """Link every reference, and build the graph from the citations (found here unless given).

    `memo` (by default the one the citations were found with) keeps each body's marked text
    between rebuilds of the live preview: it depends on the body alone.
    """
    citations = citations or find_citations(corpus, bodies, settings, documents)
    memo = citations.memo if memo is None else memo
    words = tuple(settings.citation_words)
    resolver = citations.resolver
    linked: dict[str, str] = {}
    anchors: dict[str, list[Anchor]] = {}
    cites: dict[str, list[Note]] = {}
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    for note in corpus.notes:
        found, body = citations.found[note.url], bodies[note.url]
        placed = anchors_at(found, resolver.for_note(note), lambda target, note=note: _relative_to(target, note.src_uri))
        linked[note.url] = remembered(memo, ("marked", body, words), lambda: marked(body, placed))
        anchors[note.url] = [anchor for _, anchor in placed]
        resolved = [(ref, [resolver.note(ref, target) for target in ref.targets]) for ref in found]  # once each
        targets = _cited_notes(note, resolved)
        cites[note.url] = targets
        for target in targets:
            backlinks[target.url].extend(Backlink(note, ref.context) for ref, notes in resolved
                                         if any(other is target for other in notes))
    related = related_notes(corpus.notes, cites)
    numbered = [n for n in corpus.notes if n.number is not None]
    neighbours = {n.url: (numbered[i - 1] if i else None, numbered[i + 1] if i + 1 < len(numbered) else None)
                  for i, n in enumerate(numbered)}
    projects = {p.slug: p for p in corpus.projects}
    grouped = {note.url: _grouped(backlinks[note.url]) for note in corpus.notes}
    graph = {
        note.url: NoteGraph(backlinks=grouped[note.url], cites=cites[note.url], related=related[note.url],
                            projects=[projects[s] for s in note.projects if s in projects],
                            previous=neighbours.get(note.url, (None, None))[0],
                            next=neighbours.get(note.url, (None, None))[1],
                            connections=connections(note, grouped[note.url], cites, related[note.url], projects))
        for note in corpus.notes
    }
    return Links(
        bodies=linked,
        references={url: sorted({n.url for n in notes}) for url, notes in cites.items()},
        referenced_by={url: sorted({b.source.url for b in links}) for url, links in backlinks.items()},
        graph=graph, project_notes=_project_notes(corpus),
        resolver=resolver, words=tuple(settings.citation_words), anchors=anchors,
    )


_relative_to = lru_cache(maxsize=1 << 16)(relative_to)  # a note is linked from many: each link worked out once


def resolver_hits(resolver: Resolver, ref: Found, target: Note) -> bool:
    return any(resolver.note(ref, t) is target for t in ref.targets)


def _cited_notes(note: Note, resolved: Sequence[tuple[Found, Sequence[Note | None]]]) -> list[Note]:
    """The notes a note cites, in order of first mention, itself excluded (not a backlink);
    `resolved` holds each reference with the note of each of its targets (None: no note)."""
    cited: dict[str, Note] = {}
    for _, notes in resolved:
        for other in notes:
            if other is not None and other.url != note.url:
                cited.setdefault(other.url, other)
    return list(cited.values())


@dataclass(frozen=True)
class SourceLines:
    """Body line -> file line, through the lines de-duplication kept when it took repeats out."""

    first: int  # the file line the body starts on
    kept: Sequence[int] | None = None

    def __call__(self, line: int) -> int:
        return self.first + (self.kept[line] if self.kept is not None and line < len(self.kept) else line)


def _problems(path: str, lines: SourceLines, found: Sequence[Found], resolver: Resolver, level,
              source: Note | None = None) -> list[Finding]:
    """One finding per reference that does not resolve (at the configured level; a name that fits
    two notes always, as a warning: it must never be linked to the wrong one); unexpanded ranges;
    a heading or block the linked note does not have (the link goes to the note)."""
    findings = []
    for ref in found:
        line = lines(ref.line)
        if ref.problem:
            findings.append(Finding(path, line, "warning", f"{ref.problem}; write the numbers out"))
        resolved = {target: resolver(ref, target, source) for target in ref.targets}
        findings += [Finding(path, line, "warning", f"{ref.written}: {t.problem}; the link goes to the note")
                     for t in resolved.values() if t.problem]
        shadowed = resolver.shadowed(str(ref.targets[0])) if ref.kind == "wikilink" else None
        if shadowed is not None:
            findings.append(Finding(path, line, "warning",
                                    f"{ref.written} leads to the note titled so, not to {shadowed.path}, whose file "
                                    "has that name (Obsidian opens the file): write the file's path or retitle one"))
        missing = [target for target, t in resolved.items() if t.missing]
        if not missing:
            continue
        fits = resolver.candidates(str(missing[0]), source) if ref.kind == "wikilink" else []
        if fits:
            findings.append(Finding(path, line, "warning",
                                    f"[[{missing[0]}]] could mean {_either(n.path for n in fits)}; not linked: "
                                    "link by number or by the file's path instead"))
        elif level:
            what = (_numbers(resolver, [int(t) for t in missing]) if ref.kind == "citation"
                    else resolver(ref, missing[0]).missing)
            findings.append(Finding(path, line, level, f"{what}: shown as text, not a link"))
    return findings


def _numbers(resolver: Resolver, numbers: Sequence[int]) -> str:
    """"RFC 33 is not on this site", "Strategy Notes 12, 14 and 201–227 are not on this site"."""
    numbers = sorted(set(numbers))
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs]
    if len(numbers) == 1:
        return f"{resolver.word} {numbers[0]} is not on this site"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{resolver.plural} {listed} are not on this site"


def _docs_problems(settings: Settings, resolver: Resolver, level) -> list[Finding]:
    """References in hand-written pages are checked by the same rules as notes."""
    docs = Path(settings.root) / settings.docs_dir
    findings: list[Finding] = []
    for page in sorted(resolver.docs_pages):
        src = read_source(docs / page, f"{settings.docs_dir}/{page}")
        findings += _problems(src.path, SourceLines(src.body_line), find_references(src.body, settings.citation_words),
                              resolver, level)
    return findings


def _unknown_projects(corpus: Corpus) -> list[Finding]:
    known = {p.slug for p in corpus.projects}
    return [Finding(n.path, 1, "warning", f"projects: '{slug}' is not a page in docs/projects/; "
                                          f"known: {', '.join(sorted(known)) or 'none'}")
            for n in corpus.notes for slug in n.projects if slug not in known]


def _project_notes(corpus: Corpus) -> dict[str, list[Note]]:
    about: dict[str, list[Note]] = defaultdict(list)
    for note in corpus.notes:
        for slug in note.projects:
            about[slug].append(note)
    return dict(about)


def _grouped(backlinks: Sequence[Backlink]) -> list[tuple[Note, list[str]]]:
    """One entry per citing note, in note order, with each distinct citing sentence."""
    by_source: dict[str, tuple[Note, list[str]]] = {}
    for link in backlinks:
        entry = by_source.setdefault(link.source.url, (link.source, []))
        if link.context and link.context not in entry[1]:
            entry[1].append(link.context)
    return sorted(by_source.values(), key=lambda e: e[0].sort_key)


def related_notes(notes: Sequence[Note], cites: Mapping[str, Sequence[Note]]) -> dict[str, list[Note]]:
    """Up to three notes sharing the most references, tags and projects (as Hugo's .Related weighs them).

    Score: 2 per shared cited note, 1 per shared tag or project, 2 if one cites the other.
    Candidates come from inverted indexes, so no pair of unrelated notes is compared.
    """
    by_key: dict[tuple[str, str], list[Note]] = defaultdict(list)
    for note in notes:
        for target in cites.get(note.url, ()):
            by_key[("cites", target.url)].append(note)
        for tag in note.tags:
            by_key[("tag", tag.casefold())].append(note)
        for slug in note.projects:
            by_key[("project", slug)].append(note)
    weights = {"cites": 2, "tag": 1, "project": 1}
    by_url = {n.url: n for n in notes}
    neighbours: dict[str, set[str]] = defaultdict(set)  # cites or is cited by
    for url, targets in cites.items():
        for target in targets:
            neighbours[url].add(target.url)
            neighbours[target.url].add(url)
    sort_keys = {url: note.sort_key for url, note in by_url.items()}
    related: dict[str, list[Note]] = {}
    for note in notes:
        scores: dict[str, int] = {}  # a plain dict: a Counter's missing key is a call to Python
        keys = ([("cites", t.url) for t in cites.get(note.url, ())] + [("tag", t.casefold()) for t in note.tags]
                + [("project", slug) for slug in note.projects])
        for key in keys:
            sharing = by_key[key]
            if len(sharing) <= CROWD:
                weight = weights[key[0]]
                for other in sharing:
                    scores[other.url] = scores.get(other.url, 0) + weight
        for other in neighbours[note.url]:
            scores[other] = scores.get(other, 0) + 2
        scores.pop(note.url, None)
        ranked = sorted(scores, key=lambda url: (-scores[url], sort_keys[url]))
        related[note.url] = [by_url[url] for url in ranked[:RELATED]]
    return related
