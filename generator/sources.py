"""Files -> Note and Project records plus Findings: the only stage that reads the disk.

Members paste notes by hand, so this stage is forgiving where it can be (no
front matter, a BOM, CRLF, a single tag written as a string) and exact where
it cannot (every problem is a Finding naming the file and line, never a
traceback, and a file it cannot read is reported, not skipped in silence).
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .blocks import first_heading
from .memo import Memo
from .model import Corpus, Finding, Note, Project, Settings

NOTE_KEYS = ("number", "title", "date", "tags", "summary", "projects", "aliases", "draft")
# Keys MkDocs and Material read from any page; a project page may use them.
PAGE_KEYS = ("title", "kind", "category", "summary", "description", "tags", "hide", "template",
             "icon", "status", "search", "subtitle")
PROJECT_KINDS = ("idea", "real")

_LEADING_NUMBER = re.compile(r"^(\d+)(?:[-_.\s]+|$)")


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it


class _FrontMatterLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader without implicit timestamps.

    Dates stay strings so that an impossible date such as 2024-02-30 becomes
    a Finding at its line instead of an exception inside PyYAML.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """A Markdown file split into front matter and body, with line bookkeeping."""

    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def report(self, level: str, message: str, line: int | None = None, key: str | None = None) -> None:
        where = line if line is not None else (self.line_of(key) if key else 1)
        self.findings.append(Finding(self.path, where, level, message))  # type: ignore[arg-type]


def decode(data: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """Bytes -> text with LF line endings; invalid UTF-8 is a Finding at its line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Finding(path, line, "error",
                              f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                              "re-save the file as UTF-8 in your editor")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_source(text: str, path: str) -> Source:
    """Separate YAML front matter (python-frontmatter's boundary rule) from the body."""
    src = Source(path=path, body=text)
    boundary = YAMLHandler.FM_BOUNDARY
    opening = boundary.match(text)
    if not opening:
        return src
    closing = boundary.search(text, opening.end())
    if closing is None:
        src.report("error", "front matter opened with '---' on line 1 is never closed; "
                            "add a line '---' after the last front matter line", line=1)
        return src
    fm_first_line = text.count("\n", 0, opening.end()) + 1
    src.body = text[closing.end():]
    src.body_line = text.count("\n", 0, closing.end()) + 1
    _parse_yaml(src, text[opening.end():closing.start()], fm_first_line)
    return src


def _parse_yaml(src: Source, fm: str, first_line: int) -> None:
    loader = _FrontMatterLoader(fm)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is only noticed at the end; point at where it opened.
        at_end = (exc.context_mark is not None and exc.problem_mark is not None
                  and exc.problem_mark.index >= len(fm.rstrip()))
        mark = exc.context_mark if at_end else (exc.problem_mark or exc.context_mark)
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or "not valid YAML"
        hint = " (use spaces, not tabs, to indent)" if "\\t" in problem or "tab" in problem else ""
        src.report("error", f"front matter is not valid YAML: {problem}{hint}; check indentation, "
                            "brackets and quotes", line=line)
        return
    except yaml.YAMLError as exc:
        src.report("error", f"front matter is not valid YAML: {exc}", line=first_line)
        return
    finally:
        loader.dispose()
    if data is None:
        return
    if not isinstance(data, dict):
        src.report("error", "front matter must be 'key: value' lines, e.g. 'title: My note'",
                   line=first_line)
        return
    src.meta = {str(k): v for k, v in data.items()}
    src.key_lines = {str(k.value): first_line + k.start_mark.line for k, _ in node.value}


def read_source(file: Path, path: str) -> Source | None:
    """Read one file; None (with a Finding) when there is nothing to build from it."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        return Source(path=path, findings=[Finding(path, 1, "error", f"cannot be read: {exc.strerror}")])
    text, findings = decode(data, path)
    if text is None:
        return Source(path=path, findings=findings)
    return split_source(text, path)


def slugify(text: str) -> str:
    """File stem -> URL segment: lower case, words joined by '-', letters of any script kept."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w]+", "-", text).strip("-_") or "note"


def _text(src: Source, key: str) -> str | None:
    value = src.meta.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    src.report("error", f"'{key}' must be text, e.g. '{key}: Some words'", key=key)
    return None


def _string_list(src: Source, key: str, example: str) -> tuple[str, ...]:
    value = src.meta.get(key)
    if value is None:
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return (str(value).strip(),) if str(value).strip() else ()
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                       for v in value):
        return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
    src.report("error", f"'{key}' must be a list of words, e.g. '{key}: {example}'", key=key)
    return ()


def _number(src: Source, file_stem: str) -> int | None:
    value = src.meta.get("number")
    if value is None:
        match = _LEADING_NUMBER.match(file_stem)
        return int(match.group(1)) if match and int(match.group(1)) > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    src.report("error", f"'number' must be a positive whole number such as 'number: 12', not {value!r}",
               key="number")
    return None


def _date(src: Source) -> datetime.date | None:
    value = src.meta.get("date")
    if value is None:
        return None
    text = str(value).strip()
    for parse in (datetime.date.fromisoformat, lambda s: datetime.datetime.fromisoformat(s).date()):
        try:
            return parse(text)
        except ValueError:
            continue
    src.report("error", f"'date' {text!r} is not a real date; write it as YYYY-MM-DD, e.g. 'date: 2024-05-01'",
               key="date")
    return None


def _draft(src: Source) -> bool:
    value = src.meta.get("draft", False)
    if isinstance(value, bool):
        return value
    src.report("error", "'draft' must be true or false", key="draft")
    return False


def _unknown_keys(src: Source, known: tuple[str, ...]) -> None:
    for key in src.meta:
        if key in known:
            continue
        guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
        src.report("warning", f"unknown front matter key '{key}' is ignored{hint}", key=key)


def _title(src: Source, fallback: str) -> str:
    title = _text(src, "title")
    if title:
        return title
    heading = first_heading(src.body)
    if heading:
        return heading[0]
    return fallback


def _aliases(src: Source) -> tuple[str, ...]:
    return tuple(a.strip("/") + "/" for a in _string_list(src, "aliases", "[notes/old-name/]"))


def note_from_source(src: Source, stem: str) -> Note | None:
    """Validate a note's front matter; a Note even when some fields were bad (all are reported)."""
    _unknown_keys(src, NOTE_KEYS)
    number = _number(src, stem)
    rest = _LEADING_NUMBER.sub("", stem, count=1) if _LEADING_NUMBER.match(stem) else stem
    slug = slugify(rest) if rest else str(number)
    return Note(
        path=src.path,
        slug=slug,
        number=number,
        title=_title(src, rest.replace("-", " ").replace("_", " ").strip() or stem),
        body=src.body,
        body_line=src.body_line,
        date=_date(src),
        tags=_string_list(src, "tags", "[unions, caucus]"),
        summary=_text(src, "summary") or "",
        projects=tuple(slugify(p) for p in _string_list(src, "projects", "[tenant-union]")),
        aliases=_aliases(src),
        draft=_draft(src),
    )


def project_from_source(src: Source, stem: str) -> Project:
    _unknown_keys(src, PAGE_KEYS)
    kind = _text(src, "kind") or "idea"
    if kind not in PROJECT_KINDS:
        src.report("error", f"'kind' must be 'idea' or 'real', not {kind!r}", key="kind")
        kind = "idea"
    return Project(path=src.path, slug=stem, title=_title(src, stem.replace("-", " ")),
                   kind=kind, category=_text(src, "category") or "", summary=_text(src, "summary") or "")


def _inside(file: Path, root: Path) -> bool:
    try:
        file.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def markdown_files(folder: Path, root: Path, findings: list[Finding]) -> list[Path]:
    """The .md files under `folder`, sorted; other files and escaping links are reported."""
    if not folder.is_dir():
        return []
    found = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(root).as_posix()
        if any(part.startswith(".") for part in file.relative_to(folder).parts) or file.is_dir():
            continue
        if file.is_symlink() and not _inside(file, root.resolve()):
            findings.append(Finding(rel, 1, "error", "is a link to a file outside the repository and is "
                                                     "refused; copy the note into the repository instead"))
        elif file.suffix.lower() != ".md":
            findings.append(Finding(rel, 1, "warning", "is not a Markdown file (.md) and is ignored"))
        else:
            found.append(file)
    return found


def _duplicates(notes: list[Note], findings: list[Finding]) -> None:
    """Two files claiming one number (or one URL) are both named; neither silently wins."""
    by_url: dict[str, list[Note]] = {}
    for note in notes:
        by_url.setdefault(note.url, []).append(note)
    for url, claimants in by_url.items():
        if len(claimants) < 2:
            continue
        what = f"number {claimants[0].number}" if claimants[0].number is not None else f"URL {url}"
        for note in claimants:
            others = ", ".join(n.path for n in claimants if n is not note)
            findings.append(Finding(note.path, 1, "error",
                                    f"{what} is also claimed by {others}; give each note its own"))


class NoteCache:
    """Loaded notes by file, and the per-note work done on them, kept between rebuilds of the live preview.

    A file whose size and modification time are unchanged is not read or
    parsed again, so editing one note of a thousand re-reads one file; `memo`
    keeps each body's de-duplication and references for the later stages.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int], Note | None, list[Finding]]] = {}
        self.memo = Memo()
        self.reads = 0  # files read (not found unchanged) since the cache was made

    def load(self, file: Path, rel: str) -> tuple[Note | None, list[Finding]]:
        stat = file.stat()
        signature = (stat.st_mtime_ns, stat.st_size)
        cached = self._entries.get(rel)
        if cached is not None and cached[0] == signature:
            return cached[1], cached[2]
        note, findings = _load_note(file, rel)
        self._entries[rel] = (signature, note, findings)
        self.reads += 1
        return note, findings

    @property
    def files(self) -> int:
        return len(self._entries)


def load_notes(settings: Settings, cache: NoteCache | None = None) -> tuple[list[Note], list[Finding]]:
    root = Path(settings.root)
    findings: list[Finding] = []
    notes: list[Note] = []
    load = cache.load if cache is not None else _load_note
    for file in markdown_files(root / settings.notes_dir, root, findings):
        note, file_findings = load(file, file.relative_to(root).as_posix())
        findings.extend(file_findings)
        if note is not None:
            notes.append(note)
    _duplicates(notes, findings)
    return sorted(notes, key=lambda n: n.sort_key), findings


def _load_note(file: Path, rel: str) -> tuple[Note | None, list[Finding]]:
    """One note file -> a publishable Note (or None) and everything wrong with it."""
    src = read_source(file, rel)
    if not src.meta and not src.body.strip():
        if not src.findings:
            src.report("warning", "is empty; no page is made for it")
        return None, src.findings
    note = note_from_source(src, file.stem)
    if note.draft:
        src.report("info", "is a draft (draft: true); not published", key="draft")
        return None, src.findings
    return note, src.findings


def load_projects(settings: Settings) -> tuple[list[Project], list[Finding]]:
    root = Path(settings.root)
    findings: list[Finding] = []
    projects = []
    for file in markdown_files(root / settings.docs_dir / settings.projects_dir, root, findings):
        if file.stem == "index" or file.parent != root / settings.docs_dir / settings.projects_dir:
            continue
        src = read_source(file, file.relative_to(root).as_posix())
        project = project_from_source(src, file.stem)
        findings.extend(src.findings)
        projects.append(project)
    return projects, findings


def load_corpus(settings: Settings, cache: NoteCache | None = None) -> Corpus:
    """Read every note and project before anything is resolved (references form a graph)."""
    notes, note_findings = load_notes(settings, cache)
    projects, project_findings = load_projects(settings)
    return Corpus(notes=tuple(notes), projects=tuple(projects),
                  findings=tuple(note_findings + project_findings))


def claimed_numbers(settings: Settings) -> dict[int, str]:
    """number -> file for every note file, drafts and broken files included (a new note must not collide)."""
    root = Path(settings.root)
    claimed: dict[int, str] = {}
    for file in markdown_files(root / settings.notes_dir, root, []):
        src = read_source(file, file.relative_to(root).as_posix())
        number = _number(src, file.stem)
        if number is not None:
            claimed.setdefault(number, src.path)
    return claimed
