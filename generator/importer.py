"""`caucus-site import`: notes kept elsewhere become numbered note files.

A caucus adopting the site has its notes in one long archive page ("2019-05-07, Strategy
Note 1:" then the title on the next line), in web pages of one note each, in the weekly
e-mails they were sent as, or in Word documents. Each reader here turns one kind of source
into `Imported` notes with clean Markdown bodies (markdownify for HTML, mammoth for Word,
the standard library for mail); `plan` then decides which files to write, and every problem
is a Finding naming the source and its line. The CLI writes nothing unless the whole import
is free of errors, and never overwrites a note.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import mailbox
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePath

import yaml
from bs4 import BeautifulSoup
from markdownify import markdownify

from .model import Finding
from .sources import header_date, header_pattern, line_text, read_file_name, slugify

CHROME = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|sv)\s*:\s*|\[[^\]]*\]\s*)+", re.IGNORECASE)
QUOTE_INTRO = re.compile(r"^(?:On .+ wrote:|-+\s*Original Message\s*-+|Le .+ a écrit\s*:)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Imported:
    """One note read from a source, before it is given a file."""

    source: str  # the source's name, as the member gave it
    line: int  # where the note starts in it (1-based; a message's or paragraph's place for mail and Word)
    number: int | None
    title: str
    body: str  # clean Markdown
    date: datetime.date | None = None
    tags: tuple[str, ...] = ()


@dataclass
class Reading:
    """What one source gave: notes, and every problem with it."""

    notes: list[Imported] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def report(self, source: str, line: int, level: str, message: str) -> None:
        self.findings.append(Finding(source, line, level, message))  # type: ignore[arg-type]

    def extend(self, other: Reading) -> None:
        self.notes += other.notes
        self.findings += other.findings


# --- HTML ------------------------------------------------------------------------------------------

def html_to_markdown(html: str) -> str:
    """A web page's content as Markdown: headings, lists, links, emphasis and tables kept; scripts,
    styles, tracking pixels and the page's chrome (navigation, header, footer, forms) dropped."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(CHROME):
        tag.decompose()
    for image in soup.find_all("img"):
        if _is_pixel(image):
            image.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    text = markdownify(str(root), heading_style="ATX", bullets="-", strip=["span", "div", "font"])
    return _tidy(text)


def _is_pixel(image) -> bool:
    """A tracking pixel: a 0 or 1 pixel image, or one hidden."""
    sizes = [str(image.get(a, "")).strip().removesuffix("px") for a in ("width", "height")]
    return any(s in ("0", "1") for s in sizes) or "display:none" in str(image.get("style", "")).replace(" ", "")


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line between blocks, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip("\n") + "\n"


# --- an archive of many notes ----------------------------------------------------------------------

def split_archive(text: str, source: str, word: str, first_line: int = 1) -> Reading:
    """Notes from text holding many, each opened by a "date, Strategy Note N:" line and its title."""
    reading = Reading()
    pattern = header_pattern(word)
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if pattern.fullmatch(_bare(line))]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        match = pattern.fullmatch(_bare(lines[start]))
        title_at = next((i for i in range(start + 1, end) if lines[i].strip()), None)
        title = line_text(lines[title_at]) if title_at is not None else ""
        date = header_date(match["date"])
        where = first_line + start
        if date is None:
            reading.report(source, where, "error", f"'{match['date']}' in '{_bare(lines[start])}' is not a real date")
        if not title:
            reading.report(source, where, "error", f"'{_bare(lines[start])}' has no title on the line after it")
        body = "\n".join(lines[(title_at or start) + 1:end])
        reading.notes.append(Imported(source, where, int(match["number"]), title, _tidy(body), date))
    return reading


def _bare(line: str) -> str:
    """A line without the Markdown a web page's header may wear: '**2019-05-07, Strategy Note 1:**'."""
    return line.strip().lstrip("#").strip().strip("*_").strip()


# --- one note per page, message or document --------------------------------------------------------

def one_note(text: str, source: str, word: str, title: str = "", date: datetime.date | None = None,
             line: int = 1) -> Reading:
    """A source that holds one note: its number from a header, its title or the file name."""
    reading = split_archive(text, source, word, line)
    if len(reading.notes) > 1 or reading.findings:
        return reading
    if reading.notes:
        note = reading.notes[0]
        return _with(reading, Imported(source, note.line, note.number, note.title or title, note.body,
                                       note.date or date))
    named = _numbered_title(title, word)
    name = read_file_name(PurePath(source).stem)
    number = named[0] if named else name.number
    body = _without_leading_title(text, named[1] if named else title)
    if number is None:
        reading.report(source, line, "error", f"no number found: write '{word} N: Title' as its title or "
                                              f"heading, or put the number first in the file name")
    return _with(reading, Imported(source, line, number, (named[1] if named else title) or name.title, body, date))


def _with(reading: Reading, note: Imported) -> Reading:
    reading.notes = [note]
    return reading


def _numbered_title(title: str, word: str) -> tuple[int, str] | None:
    """'Strategy Note 12: Tenant power' -> (12, 'Tenant power')."""
    spelled = r"\s+".join(re.escape(part) for part in word.split())
    match = re.match(rf"^\s*{spelled}\s+#?0*([1-9]\d*)\s*[:.–—-]?\s*(.*)$", title, re.IGNORECASE)
    return (int(match.group(1)), match.group(2).strip()) if match else None


def _without_leading_title(markdown: str, title: str) -> str:
    """The body without a first heading that only repeats the title."""
    lines = markdown.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("#") and title and title in lines[first]:
        return _tidy("\n".join(lines[first + 1:]))
    return _tidy(markdown)


def read_html_page(html: str, source: str, word: str) -> Reading:
    """A web page of many notes (an archive) or of one; a page's keywords are a lone note's tags."""
    markdown = html_to_markdown(html)
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find("h1") or soup.find("title")
    reading = one_note(markdown, source, word, heading.get_text(" ", strip=True) if heading else "")
    keywords = soup.find("meta", attrs={"name": "keywords"})
    if keywords is not None and len(reading.notes) == 1:
        reading.notes = [replace(reading.notes[0], tags=_tags(str(keywords.get("content", ""))))]
    return _located(reading, html)


def _tags(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip().lstrip("#") for t in re.split(r"[,;]", text) if t.strip().lstrip("#")))


def _located(reading: Reading, original: str) -> Reading:
    """Lines counted in the converted text, moved to the source's own lines where the header is found."""
    lines = original.split("\n")

    def line_of(note: Imported) -> int:
        needle = note.title[:40]
        found = next((i + 1 for i, line in enumerate(lines) if needle and needle in line), None)
        return found or note.line

    reading.notes = [replace(n, line=line_of(n)) for n in reading.notes]
    return reading


# --- mail --------------------------------------------------------------------------------------------

def read_message(message: EmailMessage, source: str, word: str, line: int) -> Reading:
    """One e-mail: its subject is the title (a number in it is the note's), its date the note's,
    its text the body without quoted replies and the signature."""
    subject = SUBJECT_PREFIX.sub("", str(message.get("subject", "") or "")).strip()
    date = _message_date(message)
    part = message.get_body(preferencelist=("plain", "html"))
    content = part.get_content() if part is not None else ""
    text = html_to_markdown(content) if part is not None and part.get_content_type() == "text/html" else content
    reading = one_note(_own_words(text), source, word, subject, date, line)
    if message.get("keywords") and len(reading.notes) == 1:
        reading.notes = [replace(reading.notes[0], tags=_tags(str(message["keywords"])))]
    return reading


def _message_date(message: EmailMessage) -> datetime.date | None:
    try:
        return parsedate_to_datetime(str(message["date"])).date() if message["date"] else None
    except (TypeError, ValueError):
        return None


def _own_words(text: str) -> str:
    """A message's text without quoted replies, the line that introduces them, or the signature."""
    kept = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.rstrip() == "--":  # "-- " opens a signature, by convention
            break
        if line.lstrip().startswith(">") or QUOTE_INTRO.match(line.strip()):
            continue
        kept.append(line)
    return _tidy("\n".join(kept))


def read_mailbox(path: Path, source: str, word: str) -> Reading:
    reading = Reading()
    starts = [i + 1 for i, line in enumerate(path.read_bytes().split(b"\n")) if line.startswith(b"From ")]
    box = mailbox.mbox(str(path), factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default),
                       create=False)
    try:
        for index, message in enumerate(box):
            line = starts[index] if index < len(starts) else 1
            reading.extend(read_message(message, source, word, line))
    finally:
        box.close()
    return reading


def read_eml(path: Path, source: str, word: str) -> Reading:
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, policy=email.policy.default)
    return read_message(message, source, word, 1)


# --- Word ----------------------------------------------------------------------------------------------

def read_docx(path: Path, source: str, word: str) -> Reading:
    """A Word document: one note, or one per heading 1 when it has several."""
    import mammoth  # only an import of Word documents needs it

    with path.open("rb") as handle:
        html = mammoth.convert_to_html(handle).value
    markdown = html_to_markdown(html)
    sections = _by_heading_one(markdown)
    if len(sections) < 2:
        title = sections[0][0] if sections else read_file_name(path.stem).title
        return one_note(markdown, source, word, title)
    reading = Reading()
    for index, (title, body) in enumerate(sections, start=1):
        reading.extend(one_note(body, source, word, title, line=index))
    return reading


def _by_heading_one(markdown: str) -> list[tuple[str, str]]:
    """(title, body) for each '# ' heading: a document of several notes, one per heading 1."""
    parts = re.split(r"(?m)^# +(.+?)\s*#*\s*$", markdown)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


# --- reading any source ------------------------------------------------------------------------------

def read_source(path: Path, source: str, word: str) -> Reading:
    """The notes of one source, by its kind; a source that cannot be read is a finding."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".html", ".htm"):
            return read_html_page(path.read_text(encoding="utf-8", errors="replace"), source, word)
        if suffix in (".mbox", ".mbx"):
            return read_mailbox(path, source, word)
        if suffix == ".eml":
            return read_eml(path, source, word)
        if suffix == ".docx":
            return read_docx(path, source, word)
        if suffix in (".txt", ".md", ".markdown", ""):
            return one_note(path.read_text(encoding="utf-8", errors="replace"), source, word,
                            read_file_name(path.stem).title)
    except (OSError, ValueError, KeyError, LookupError, TypeError) as exc:
        reading = Reading()
        reading.report(source, 1, "error", f"cannot be read: {exc}")
        return reading
    reading = Reading()
    reading.report(source, 1, "error", "is not a kind of source import reads (.html, .txt, .md, .mbox, .eml, .docx)")
    return reading


# --- the files to write ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Planned:
    """A note file import would write: where, and its text."""

    path: str  # relative to the site's root, e.g. notes/0012-tenant-power.md
    text: str
    note: Imported


def plan(notes: Sequence[Imported], claimed: dict[int, str], existing: Iterable[str],
         notes_dir: str) -> tuple[list[Planned], list[Finding]]:
    """The files to write; a number or file already there is skipped and said (a second run writes
    nothing new), two sources giving one number are an error naming both."""
    findings: list[Finding] = []
    planned: list[Planned] = []
    seen: dict[int, Imported] = {}
    existing = set(existing)
    for note in notes:
        if note.number is None:
            continue
        if note.number in seen:
            first = seen[note.number]
            findings.append(Finding(note.source, note.line, "error",
                                    f"number {note.number} is also given by {first.source}:{first.line}"))
            continue
        seen[note.number] = note
        path = f"{notes_dir.rstrip('/')}/{note.number:04d}-{slugify(note.title or str(note.number))}.md"
        if note.number in claimed or path in existing:
            findings.append(Finding(note.source, note.line, "info", f"number {note.number} is already "
                                    f"{claimed.get(note.number, path)}: skipped"))
            continue
        planned.append(Planned(path, note_file(note), note))
    return planned, findings


def note_file(note: Imported) -> str:
    """The note's file: front matter (number, title, date, tags), then its body."""
    meta: dict[str, object] = {"number": note.number, "title": note.title}
    if note.date:
        meta["date"] = note.date.isoformat()
    if note.tags:
        meta["tags"] = list(note.tags)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000).strip()
    return f"---\n{front}\n---\n\n{note.body.strip()}\n"
