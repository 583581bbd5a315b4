"""The data every stage passes on: plain frozen records, no I/O.

Stages communicate only through these types, so each stage can be tested
with hand-made values and none of them needs MkDocs to run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Literal

Level = Literal["error", "warning", "info"]

LEVELS: tuple[Level, ...] = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem with the input, located at a file and line.

    Every stage reports through this one type instead of logging, so the CLI,
    the MkDocs plugin and the tests all see the same list.
    """

    path: str
    line: int
    level: Level
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "level": self.level, "message": self.message}


@dataclass(frozen=True)
class Settings:
    """What the plugin config (or the CLI reading mkdocs.yml) tells the core.

    Paths are relative to `root`, the folder holding mkdocs.yml.
    """

    root: str = "."
    site_name: str = ""
    site_url: str = ""
    notes_dir: str = "notes"
    docs_dir: str = "docs"
    projects_dir: str = "projects"
    citation_words: tuple[str, ...] = ("Strategy Note", "Strategy Notes")
    unresolved_references: Literal["ignore", "info", "warn", "error"] = "warn"
    latest_notes: int = 10
    dedup_min_words: int = 12
    config_file: str = "mkdocs.yml"  # relative to root; named in findings about plugin options
    use_directory_urls: bool = True
    # Whether the site's Markdown reads attribute lists ({ ... }): generated sections are then marked
    # to stay out of the search index, which should find a note by its own words, not by quotes of it.
    attr_list: bool = False
    contact_email: str = "onboarding@communistcaucus.com"
    # Secrets from the build's environment: kept out of repr, so no log or traceback shows them.
    join_action: str = field(default="", repr=False)
    join_password: str = field(default="", repr=False)
    # Not a secret: the public key applications are sealed to (x25519:<base64url>), or "" for none.
    join_public_key: str = ""

    @property
    def citation_word(self) -> str:
        """How the site cites one note: 'Strategy Note', or 'RFC' on a site of RFCs."""
        return self.citation_words[0] if self.citation_words else "Strategy Note"


def fields_hash(record: object) -> int:
    """The hash a frozen dataclass would compute, for records that compute it once and keep it."""
    return hash(tuple(getattr(record, f.name) for f in fields(record)))


@dataclass(frozen=True)
class Note:
    """A strategy note as a member wrote it, with front matter resolved.

    `body` is the Markdown after the front matter; `body_line` is the line of
    the source file on which `body` begins, so positions inside the body map
    back to `path:line` for messages.

    `aliases` are old URLs that redirect here (`alias_lines`: the front matter line
    of each); `names` are other names a wikilink may use; `stem` is the file name as
    written, without `.md`; `word` is how the site cites a note ("Strategy Note").
    """

    path: str
    slug: str
    title: str
    body: str
    body_line: int = 1
    number: int | None = None
    date: datetime.date | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    projects: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    draft: bool = False
    alias_lines: tuple[int, ...] = ()
    names: tuple[str, ...] = ()
    stem: str = ""
    word: str = "Strategy Note"
    series: str = ""  # the title of the series the note's front matter puts it in
    series_order: int | None = None  # its place there, when not by number

    def __hash__(self) -> int:  # the live preview keys its memo by notes: each hashes its fields once
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return fields_hash(self)

    @cached_property  # asked for at every turn of the graph; a frozen record can keep it
    def url(self) -> str:
        """Site-relative URL: stable by number, by slug (which keeps the note's folder) otherwise."""
        return f"notes/{self.number if self.number is not None else self.slug}/"

    @cached_property
    def src_uri(self) -> str:
        """The virtual Markdown path MkDocs is given for this note's page.

        MkDocs publishes any `index.md` at its folder's URL, so a note named `index` gets a
        folder of its own (`notes/index/index.md`) instead of hiding behind the notes index.
        """
        path = self.url.rstrip("/")
        return f"{path}/index.md" if path.rsplit("/", 1)[-1] == "index" else f"{path}.md"

    @property
    def label(self) -> str:
        """How a reader cites the note: 'Strategy Note 299' (in the site's word) or its title."""
        return f"{self.word} {self.number}" if self.number is not None else self.title

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (0 if self.number is not None else 1, self.number or 0, self.slug)


@dataclass(frozen=True)
class Project:
    """A project example page from `docs/projects/` (hand-written, described by front matter)."""

    path: str
    slug: str
    title: str
    kind: Literal["idea", "real"] = "idea"
    category: str = ""
    summary: str = ""

    @property
    def url(self) -> str:
        return f"projects/{self.slug}/"

    @property
    def src_uri(self) -> str:
        return f"projects/{self.slug}.md"


@dataclass(frozen=True)
class Series:
    """Notes meant to be read in order ("An introductory overview": notes 1-13), with a page of its own.

    `notes` are the members' URLs in reading order; `path` and `line` say where the series is
    declared (the series file, or the first note naming it), for messages.
    """

    title: str
    slug: str
    notes: tuple[str, ...]
    summary: str = ""
    path: str = ""
    line: int = 1

    @property
    def url(self) -> str:
        return f"notes/series/{self.slug}/"

    @property
    def src_uri(self) -> str:
        return f"notes/series/{self.slug}.md"


@dataclass(frozen=True)
class Corpus:
    """Everything loaded, before any page is made: the input to linking and pages."""

    notes: tuple[Note, ...] = ()
    projects: tuple[Project, ...] = ()
    findings: tuple[Finding, ...] = field(default=())
    attachments: tuple[str, ...] = ()  # other files under the notes folder, relative to the root
    series: tuple[Series, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "error")
