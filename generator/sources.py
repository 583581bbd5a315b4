"""Files -> Note and Project records plus Findings: the only stage that reads the disk.

Members paste notes by hand, so this stage is forgiving where it can be (no
front matter, a BOM, CRLF, a single tag written as a string) and exact where
it cannot (every problem is a Finding naming the file and line, never a
traceback, and a file it cannot read is reported, not skipped in silence).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from rapidfuzz.distance import OSA

from .blocks import leading_heading, parse, plain_text
from .memo import Memo
from .model import Corpus, Finding, Note, Project, Settings
from .obsidian import inline_tags, merge_tags, strip_comments
from .rendering import MONTHS

NOTE_KEYS = ("number", "title", "date", "tags", "summary", "projects", "aliases", "draft", "series", "series_order")
SERIES_FILE = "series.yml"  # in the notes folder: series and the notes in each (generator/series.py)
# Keys Obsidian, Quartz and Material write, read as the site's own (`tag`, `alias`, `description`,
# `publish`, `created`, `permalink`) or accepted as they are: a vault's notes build without a warning.
VAULT_KEYS = ("tag", "alias", "description", "publish", "permalink", "created", "modified", "updated",
              "lastmod", "cssclasses", "cssclass", "enableToc", "comments", "lang", "hide", "search",
              "template", "icon", "status", "subtitle")
# Keys MkDocs and Material read from any page; a project page may use them.
PAGE_KEYS = ("title", "kind", "category", "summary", "description", "tags", "hide", "template",
             "icon", "status", "search", "subtitle")
PROJECT_KINDS = ("idea", "real")

_LEADING_NUMBER = re.compile(r"^(\d+)(?:[-_.\s]+|$)")
_LEADING_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_.\s]+|$)")
# An `aliases:` entry ending like a published file is an old address, as is one with a '/'; others are
# names. Not '.md': a site publishes no Markdown file, so 'old-name.md' names a former file, not a URL.
_FILE_ENDING = re.compile(r"\.(?:html?|xml|json|rss|atom|txt|php|aspx?|js|css|gz)$", re.IGNORECASE)


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
    item_lines: dict[str, list[int]] = field(default_factory=dict)  # key -> the line of each list item
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)
    text: str = ""  # the whole file, for what a message must quote from a line

    def file_line(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def item_line(self, key: str, index: int) -> int:
        """The line of a list value's item (an alias is reported where it is written)."""
        lines = self.item_lines.get(key, [])
        return lines[index] if index < len(lines) else self.line_of(key)

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
    src = Source(path=path, body=text, text=text)
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


def yaml_error_line(exc: yaml.MarkedYAMLError, text: str) -> int:
    """The 0-based line of `text` to name for a YAML error: an unclosed bracket or quote is only
    noticed at the end, so point at where it opened."""
    at_end = (exc.context_mark is not None and exc.problem_mark is not None
              and exc.problem_mark.index >= len(text.rstrip()))
    mark = exc.context_mark if at_end else (exc.problem_mark or exc.context_mark)
    return mark.line if mark else 0


def _parse_yaml(src: Source, fm: str, first_line: int) -> None:
    loader = _FrontMatterLoader(fm)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line = first_line + yaml_error_line(exc, fm)
        problem = exc.problem or exc.context or "not valid YAML"
        hint = " (use spaces, not tabs, to indent)" if "\\t" in problem or "tab" in problem else ""
        if re.search(r"[\[,]\s*#", "\n".join(src.file_line(n) for n in range(first_line, line + 1))):
            hint += f" ({_HASH_HINT})"  # 'tags: [#housing]': the rest of the line is a comment
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
    src.item_lines = {str(k.value): [first_line + item.start_mark.line
                                     for item in (v.value if isinstance(v, yaml.SequenceNode) else [v])]
                      for k, v in node.value}


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


def _string_items(src: Source, key: str, example: str) -> list[tuple[str, int]]:
    """A list of words (or one word) with the line of each, so a bad item is reported where it is."""
    value = src.meta.get(key)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in items):
        return [(str(v).strip(), src.item_line(key, i)) for i, v in enumerate(items) if str(v).strip()]
    src.report("error", f"'{key}' must be a list of words, e.g. '{key}: {example}'", key=key)
    return []


def _string_list(src: Source, key: str, example: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value, _ in _string_items(src, key, example)))


@dataclass(frozen=True)
class FileName:
    """What a note's file name says: '0300-tenant-power' is note 300, '2024-05-21 Meeting' is dated."""

    stem: str  # as written, without '.md'
    words: str  # the stem without its leading number or date
    number: int | None = None
    date: datetime.date | None = None
    dated: bool = False  # starts with a YYYY-MM-DD (a date, even when not a real one, is never a number)

    @property
    def slug(self) -> str:
        """A date stays in the slug, a number prefix does not (the number is the URL)."""
        if self.number is not None and not self.words:
            return str(self.number)
        return slugify(self.stem if self.dated or not self.words else self.words)

    @property
    def title(self) -> str:
        """The name as written; '-' and '_' read as spaces only in a name without spaces."""
        words = self.words if " " in self.words else self.words.replace("-", " ").replace("_", " ")
        if self.dated:
            return f"{self.stem[:10]} {words.strip()}".strip()
        return words.strip() or self.stem


def read_file_name(stem: str) -> FileName:
    """A leading date is read before a leading number: '2024-05-21' is a day, not note 2024."""
    dated = _LEADING_DATE.match(stem)
    if dated:
        return FileName(stem, stem[dated.end():], date=_real_date(dated.group(1)), dated=True)
    numbered = _LEADING_NUMBER.match(stem)
    if numbered:
        return FileName(stem, stem[numbered.end():], number=int(numbered.group(1)) or None)
    return FileName(stem, stem)


def _real_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class PastedHeader:
    """'2019-05-07, Strategy Note 1:' with the title on the next line: how archived notes start."""

    line: int  # the header's file line
    text: str
    number: int
    date: datetime.date | None
    title: str


_MONTH = r"[A-Za-z]{3,9}\.?"
_HEADER_DATE = rf"\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}}"


@lru_cache(maxsize=8)
def header_pattern(word: str) -> re.Pattern[str]:
    """The header line for a site's citation word ('Strategy Note', 'RFC')."""
    spelled = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(rf"(?P<date>{_HEADER_DATE}),?\s+{spelled}\s+(?P<number>0*[1-9]\d*)\s*:?", re.IGNORECASE)


def header_date(text: str) -> datetime.date | None:
    """'2019-05-07', 'May 7, 2019' or '7 May 2019' (None when it is no real date)."""
    if "-" in text:
        return _real_date(text)
    parts = text.replace(",", " ").split()
    day, month, year = parts if parts[0].isdigit() else (parts[1], parts[0], parts[2])
    name = month.rstrip(".").casefold()
    number = next((i + 1 for i, full in enumerate(MONTHS) if full.casefold().startswith(name)), None)
    try:
        return datetime.date(int(year), number, int(day)) if number else None
    except ValueError:
        return None


def line_text(line: str) -> str:
    """A line's words without Markdown: '# **Title**' -> 'Title'."""
    document = parse(line.strip())
    inline = document.inlines[0] if document.inlines else None
    return (plain_text(document.inline_tokens(inline)) if inline else "") or line.strip()


def pasted_header(src: Source, word: str) -> PastedHeader | None:
    """Read a pasted header and cut it and its title line from the body.

    The body then starts after the title line (`body_line` moves with it), so no later
    stage sees the two lines, every line number stays right, and the note never links
    to itself from its own header.
    """
    lines = src.body.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    match = header_pattern(word).fullmatch(lines[first].strip()) if first is not None else None
    if match is None:
        return None
    title_at = next((i for i in range(first + 1, len(lines)) if lines[i].strip()), first)
    header = PastedHeader(src.body_line + first, lines[first].strip(), int(match["number"]),
                          header_date(match["date"]), line_text(lines[title_at]) if title_at > first else "")
    src.body = "\n" + "\n".join(lines[title_at + 1:])
    src.body_line += title_at
    date = header.date.isoformat() if header.date else f"none ('{match['date']}' is not a real date)"
    src.report("info", f"the pasted header '{header.text}' gives number {header.number}, date {date} and the "
                       "title on the next line; write them as front matter (number, date, title) instead",
               line=header.line)
    return header


def _positive(src: Source, key: str, example: int) -> int | None:
    """A positive whole number under `key` ('12' as well as 12), None when absent or wrong (reported)."""
    value = src.meta.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    src.report("error", f"'{key}' must be a positive whole number such as '{key}: {example}', not {value!r}",
               key=key)
    return None


def _number(src: Source, fallback: int | None) -> int | None:
    """Front matter's number, else `fallback` (the pasted header's, else the file name's)."""
    return fallback if src.meta.get("number") is None else _positive(src, "number", 12)


def read_date(text: str) -> datetime.date | None:
    """The day of a date as Obsidian, Quartz and Material write it, None when it is none.

    '2024-05-21', '2024-05-21T14:03:00+02:00', '2024-05-21 14:03', '2024/05/21', 'May 21, 2024'
    and '21 May 2024' are all 21 May 2024: the day as written, whatever the time and zone.
    """
    text = text.strip()
    for read in (datetime.date.fromisoformat, lambda s: datetime.datetime.fromisoformat(s).date()):
        try:
            return read(text)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", text):
        return _real_date("-".join(part.zfill(2) for part in text.split("/")))
    return header_date(text) if re.fullmatch(_HEADER_DATE, text) else None


def _date(src: Source, fallback: datetime.date | None = None) -> datetime.date | None:
    """`date`, else `created` (Obsidian's and Quartz's), else `fallback` (the file name's or header's)."""
    key = "date" if src.meta.get("date") is not None else "created"
    value = src.meta.get(key)
    if value is None:
        return fallback
    text = str(value).strip()
    day = read_date(text)
    if day is None:
        src.report("error", f"'{key}' {text!r} is not a real date; write it as YYYY-MM-DD, "
                            f"e.g. '{key}: 2024-05-01'", key=key)
    return day


def _flag(src: Source, key: str, default: bool) -> bool:
    value = src.meta.get(key, default)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, bool):
        return value
    src.report("error", f"'{key}' must be true or false", key=key)
    return default


def _draft(src: Source) -> bool:
    """`draft: true`, or Obsidian Publish's and Quartz's `publish: false`: not published."""
    return _flag(src, "draft", False) or not _flag(src, "publish", True)


def _unknown_keys(src: Source, known: tuple[str, ...]) -> None:
    """A key one slip away from a known one is a warning; others are the member's own, kept quietly.

    A vault's notes carry keys for other tools ('author', 'source', 'kanban-plugin'); a strict
    build must not fail on them, but 'titel' is surely 'title'.
    """
    for key in src.meta:
        if key in known:
            continue
        guess = min(known, key=lambda k: (OSA.distance(key.casefold(), k.casefold()), k))
        if OSA.distance(key.casefold(), guess.casefold()) <= max(1, len(guess) // 4):
            src.report("warning", f"unknown front matter key '{key}' is ignored; did you mean '{guess}'?",
                       key=key)


def _title(src: Source, fallback: str, pasted: str = "") -> str:
    """Front matter's title, else a pasted header's, else a heading that opens the text, else `fallback`.

    Only a heading that opens the text (of any level) names it: one further down names a
    section (most RFCs open with a metadata list, then '# Summary').
    """
    title = _text(src, "title")
    if title or pasted:
        return title or pasted
    heading = leading_heading(src.body)
    return heading[0] if heading and heading[0] else fallback


def _aliases(src: Source) -> tuple[dict[str, int], tuple[str, ...]]:
    """Old addresses (each with its line) and other names of the note.

    An entry with a '/' or a file ending is an address that must keep working;
    any other ("Tenant power") is a name wikilinks may use, and gets no page.
    """
    paths: dict[str, int] = {}
    names: dict[str, None] = {}
    entries = _string_items(src, "aliases", "[notes/old-name/]") + _string_items(src, "alias", "Old name")
    permalink = _text(src, "permalink")
    if permalink and permalink.strip("/"):  # Quartz's address for the page: an old address here
        entries.append((permalink if "/" in permalink or _FILE_ENDING.search(permalink) else permalink + "/",
                        src.line_of("permalink")))
    for entry, line in entries:
        if "/" in entry or _FILE_ENDING.search(entry):
            path = entry.strip("/")
            paths.setdefault(path if _FILE_ENDING.search(path) or not path else path + "/", line)
        else:
            names.setdefault(entry, None)
    return paths, tuple(names)


_HASH_HINT = "'#' starts a comment in YAML; write a tag without it (tags: housing) or in quotes (tags: ['#housing'])"


def _commented_tags(src: Source, key: str) -> None:
    """`tags: #housing` (or a list item `- #housing`) is empty to YAML: say why, and drop the empty items."""
    value = src.meta.get(key)
    items = value if isinstance(value, list) else [value]
    lines = src.item_lines.get(key) or [src.line_of(key)]
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else src.line_of(key)
        if item is None and "#" in src.file_line(line):
            src.report("warning", f"the tag on this line is not read: {_HASH_HINT}", line=line)
    if isinstance(value, list):
        src.meta[key] = [item for item in value if item is not None]


def _tags(src: Source) -> tuple[str, ...]:
    """`tags` (or `tag`) as Obsidian, Quartz and Material write them: a list, one word, or words
    separated by commas ('housing, inquiry'); a leading '#' is not part of the tag."""
    found = []
    for key in ("tags", "tag"):
        if key in src.meta:
            _commented_tags(src, key)
        one_line = isinstance(src.meta.get(key), str)
        for item, _ in _string_items(src, key, "[unions, caucus]"):
            found.extend(item.split(",") if one_line else [item])
    return tuple(tag for tag in (item.strip().lstrip("#").strip() for item in found) if tag)


def _in_folder(folder: str, slug: str) -> str:
    """'sub/deep-note' for notes/sub/deep-note.md: a note keeps its folder in its URL."""
    return "/".join([slugify(part) for part in folder.split("/") if part not in ("", ".")] + [slug])


def _uncomment(src: Source) -> None:
    """Take the member's `%%comments%%` out of the body before anything reads it (lines kept)."""
    uncommented = strip_comments(src.body)
    src.body = uncommented.text
    if uncommented.unclosed is not None:
        src.report("warning", "a comment opened with '%%' is never closed, so the rest of the note is hidden "
                              "(as in Obsidian); close it with another '%%'",
                   line=src.body_line + uncommented.unclosed)


def note_from_source(src: Source, stem: str, word: str = "Strategy Note", folder: str = "") -> Note:
    """Validate a note's front matter; a Note even when some fields were bad (all are reported).

    Front matter wins over a pasted header, which wins over the file name.
    """
    _unknown_keys(src, NOTE_KEYS + VAULT_KEYS)
    _uncomment(src)
    header = pasted_header(src, word)
    name = read_file_name(stem)
    if name.dated and name.date is None:
        src.report("warning", f"the file name starts with '{stem[:10]}', which is not a real date; "
                              "the note has no date from it (nor a number)")
    aliases, names = _aliases(src)
    note = Note(
        path=src.path,
        slug=_in_folder(folder, name.slug),
        number=_number(src, header.number if header else name.number),
        title=_title(src, name.title, header.title if header else ""),
        body=src.body,
        body_line=src.body_line,
        date=_date(src, header.date if header and header.date else name.date),
        tags=merge_tags(_tags(src), inline_tags(src.body)),
        summary=_text(src, "summary") or _text(src, "description") or "",
        projects=tuple(slugify(p) for p in _string_list(src, "projects", "[tenant-union]")),
        aliases=tuple(aliases),
        alias_lines=tuple(aliases.values()),
        names=names,
        stem=stem,
        word=word,
        draft=_draft(src),
        series=_text(src, "series") or "",
        series_order=_positive(src, "series_order", 3),  # its place in the series
    )
    if note.series_order is not None and not note.series:
        src.report("warning", "'series_order' places the note in no series; add 'series: <its title>'",
                   key="series_order")
    if note.url in aliases:  # a permalink naming the page's own address
        kept = {path: line for path, line in aliases.items() if path != note.url}
        note = replace(note, aliases=tuple(kept), alias_lines=tuple(kept.values()))
    return note


def project_from_source(src: Source, stem: str) -> Project:
    _unknown_keys(src, PAGE_KEYS)
    kind = _text(src, "kind") or "idea"
    if kind not in PROJECT_KINDS:
        src.report("error", f"'kind' must be 'idea' or 'real', not {kind!r}", key="kind")
        kind = "idea"
    return Project(path=src.path, slug=stem, title=_title(src, read_file_name(stem).title),
                   kind=kind, category=_text(src, "category") or "", summary=_text(src, "summary") or "")


def _inside(file: Path, root: Path) -> bool:
    try:
        file.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def markdown_files(folder: Path, root: Path, findings: list[Finding],
                   attachments: list[Path] | None = None) -> list[Path]:
    """The .md files under `folder`, sorted; links escaping the repository are reported.

    Other files are attachments (a diagram, a scan, a PDF), gathered in `attachments` when given:
    the site publishes them where they are, so a note's links to them work.
    """
    if not folder.is_dir():
        return []
    found = []
    depth = len(folder.parts)  # rglob's paths are the folder's, then the parts below it
    for file in sorted(folder.rglob("*")):
        if any(part.startswith(".") for part in file.parts[depth:]) or file.is_dir():
            continue
        if file.is_symlink() and not _inside(file, root.resolve()):
            findings.append(Finding(file.relative_to(root).as_posix(), 1, "error",
                                    "is a link to a file outside the repository and is "
                                    "refused; copy the note into the repository instead"))
        elif file.suffix.lower() == ".md":
            found.append(file)
        elif attachments is not None:
            attachments.append(file)
    return found


def _distinct_slugs(notes: list[Note], findings: list[Finding]) -> list[Note]:
    """Unnumbered notes whose file names give one slug ('Note.md', 'note.md') all build.

    Slugs stay lower case, so the later file (by path) gets '-2' (or the next free number),
    and a finding names both files, so the member knows which address is which.
    """
    taken = {note.slug for note in notes if note.number is None}
    first: dict[str, Note] = {}
    distinct = []
    for note in notes:
        if note.number is None and note.slug in first:
            slug = next(f"{note.slug}-{n}" for n in range(2, len(notes) + 2) if f"{note.slug}-{n}" not in taken)
            taken.add(slug)
            findings.append(Finding(note.path, 1, "info", f"is published at notes/{slug}/ because "
                                    f"{first[note.slug].path} has notes/{note.slug}/; rename one file to choose"))
            note = replace(note, slug=slug)
        if note.number is None:
            first.setdefault(note.slug, note)
        distinct.append(note)
    return distinct


def _one_number_each(notes: list[Note], findings: list[Finding]) -> list[Note]:
    """Two files claiming one number both build and both are named: the first by path keeps the
    number (citations of it lead there); the other is published by its file name until it has
    its own number, which a warning asks for. Neither page is lost."""
    holders: dict[int, Note] = {}
    kept = []
    for note in sorted(notes, key=lambda n: n.path):
        holder = holders.setdefault(note.number, note) if note.number is not None else note
        if holder is not note:
            note = replace(note, number=None)
            findings.append(Finding(note.path, 1, "warning",
                                    f"number {holder.number} is also claimed by {holder.path}, which keeps it; "
                                    f"this note is published at {note.url} until it has a number of its own"))
        kept.append(note)
    return kept


class NoteCache:
    """Loaded notes by file, and the per-note work done on them, kept between rebuilds of the live preview.

    A file whose size and modification time are unchanged is not read or
    parsed again, so editing one note of a thousand re-reads one file; `memo`
    keeps each body's de-duplication and references for the later stages.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[tuple[int, int, str], Note | None, list[Finding]]] = {}
        self.memo = Memo()
        self.reads = 0  # files read (not found unchanged) since the cache was made

    def load(self, file: Path, rel: str, word: str = "Strategy Note",
             folder: str = "") -> tuple[Note | None, list[Finding]]:
        stat = file.stat()
        signature = (stat.st_mtime_ns, stat.st_size, word)
        cached = self._entries.get(rel)
        if cached is not None and cached[0] == signature:
            return cached[1], cached[2]
        note, findings = _load_note(file, rel, word, folder)
        self._entries[rel] = (signature, note, findings)
        self.reads += 1
        return note, findings

    @property
    def files(self) -> int:
        return len(self._entries)


def load_notes(settings: Settings, cache: NoteCache | None = None,
               attachments: list[Path] | None = None) -> tuple[list[Note], list[Finding]]:
    """Every publishable note, and what is wrong with the files; the other files of the notes
    folder are gathered in `attachments` when given (one walk of the folder for both)."""
    root = Path(settings.root)
    findings: list[Finding] = []
    notes: list[Note] = []
    load = cache.load if cache is not None else _load_note
    folder = root / settings.notes_dir
    for file in markdown_files(folder, root, findings, attachments):
        note, file_findings = load(file, file.relative_to(root).as_posix(), settings.citation_word,
                                   file.parent.relative_to(folder).as_posix())
        findings.extend(file_findings)
        if note is not None:
            notes.append(note)
    notes = _distinct_slugs(_one_number_each(notes, findings), findings)
    return sorted(notes, key=lambda n: n.sort_key), findings


def _load_note(file: Path, rel: str, word: str = "Strategy Note",
               folder: str = "") -> tuple[Note | None, list[Finding]]:
    """One note file -> a publishable Note (or None) and everything wrong with it.

    `word` is the site's citation word (a pasted header and the label use it); `folder` is the
    file's folder inside the notes folder, which an unnumbered note keeps in its URL.
    """
    src = read_source(file, rel)
    if not src.meta and not src.body.strip():
        if not src.findings:
            src.report("warning", "is empty; no page is made for it")
        return None, src.findings
    note = note_from_source(src, file.stem, word, folder)
    if note.draft:
        key = "draft" if str(src.meta.get("draft")).strip().lower() == "true" else "publish"
        src.report("info", f"is a draft ({key}: {str(src.meta[key]).lower()}); not published", key=key)
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


def attachment_files(settings: Settings) -> tuple[str, ...]:
    """Files other than notes under the notes folder, relative to the root: published as they are."""
    root, found = Path(settings.root), []
    markdown_files(root / settings.notes_dir, root, [], found)
    return _published(settings, found)


def _published(settings: Settings, attachments: Sequence[Path]) -> tuple[str, ...]:
    root = Path(settings.root)
    series_file = root / settings.notes_dir / SERIES_FILE  # read by the generator, not published
    return tuple(file.relative_to(root).as_posix() for file in attachments if file != series_file)


def load_corpus(settings: Settings, cache: NoteCache | None = None) -> Corpus:
    """Read every note and project before anything is resolved (references form a graph)."""
    attachments: list[Path] = []
    notes, note_findings = load_notes(settings, cache, attachments)
    projects, project_findings = load_projects(settings)
    return Corpus(notes=tuple(notes), projects=tuple(projects),
                  findings=tuple(note_findings + project_findings), attachments=_published(settings, attachments))


def claimed_numbers(settings: Settings) -> dict[int, str]:
    """number -> file for every note file, drafts and broken files included (a new note must not collide)."""
    root = Path(settings.root)
    claimed: dict[int, str] = {}
    for file in markdown_files(root / settings.notes_dir, root, []):
        src = read_source(file, file.relative_to(root).as_posix())
        _uncomment(src)  # a header inside a comment gives no number, as when the note is built
        header = pasted_header(src, settings.citation_word)
        number = _number(src, header.number if header else read_file_name(file.stem).number)
        if number is not None:
            claimed.setdefault(number, src.path)
    return claimed
