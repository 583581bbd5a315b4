"""How the site's links compare with Obsidian's own: three generated vaults, one table each.

Three small vaults are written into a temporary folder, in the manner of (a) Obsidian's help
vault, (b) Quartz's documentation garden and (c) a personal garden with folders, same-named
files, aliases, daily notes, headings, block ids, attachments, embeds, code and tables. The
text is this script's own. Every link in them is resolved twice:

- by an oracle written from Obsidian's documented rules: a wikilink or Markdown link names a
  file by its path or by its name, with or without `.md`, in any case; a path is tried from the
  vault's root, then as the end of any file's path (a Markdown link, or a path starting with
  `./` or `../`, first from the linking note's folder); of several files with that name the one
  nearest the root wins, as "Shortest path when possible" writes links (a tie between folders
  equally deep is broken by path, and counted apart: Obsidian documents no rule for it);
  files other than notes need their extension;
  `#Heading` (`#A#B`: the last), `#^block-id`, `[[#Heading]]` in the same note; `|label`
  (`\\|` inside a table), `![[...]]` embeds, `|300` an image's width; titles and aliases are
  not link targets; nothing inside code is a link. Its answer: a file, plus a heading or block
  (or a PDF's `#page=N`), or "unresolved", or "not a link".
- by the site: each vault becomes the notes/ of a copy of this repository's site (mkdocs.yml,
  docs/, overrides/), built with `mkdocs build` (not strict), and each note's page is read:
  every link is written between two marker words (`q007a` … `q007z`), and the first `<a href>`
  or `<img src>` between them is what the site made of it, mapped back to a file through
  notes.json (url ↔ source) or the attachment's own path; a `#fragment` must name, on the
  target page, the heading or the block Obsidian would open.

Nothing is written into the repository. A step that fails is a row of the table, never a
traceback.

    python -m benchmarks.vault_trial [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from benchmarks.corpus_trial import copy_site

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the project's .venv/bin when run with .venv/bin/python
MKDOCS = str(BIN / "mkdocs")
ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0"}
TIMEOUT = 900  # seconds, for the build
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"}
try:
    import lxml  # noqa: F401  (only to choose the faster parser)
    PARSER = "lxml"
except ImportError:
    PARSER = "html.parser"

# ⟪⟫ in a vault's template marks one link: ⟪⟫[[Note]]⟪/⟫ becomes `q007a [[Note]] q007z`.
_TEMPLATE = re.compile(r"⟪⟫(.*?)⟪/⟫")
_MARKER = re.compile(r"q(\d{3})([az])")
_WIKILINK = re.compile(r"^(!?)\[\[(.*?)\]\]$", re.S)
_MDLINK = re.compile(r"^(!?)\[(.*?)\]\((.*)\)$", re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)\s*$")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)

OUTCOMES = ("agrees", "wrong target", "  of which another file", "  of which right file, wrong or no #fragment",
            "not linked (Obsidian links)", "linked (Obsidian does not)")


# --- small files for attachments ----------------------------------------------------------------

def png(width: int = 2, height: int = 2) -> bytes:
    """A valid, tiny grey PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf() -> bytes:
    """A minimal two-page PDF (enough for a file named .pdf; nothing here opens it)."""
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R 4 0 R]/Count 2>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
            b"4 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


# --- vaults ---------------------------------------------------------------------------------------

@dataclass
class Link:
    """One link as written in a vault, and what became of it."""

    vault: str
    source: str  # the note's path in the vault
    line: int
    marker: int
    written: str
    form: str = ""
    expect: tuple | None = None  # ("file", path, kind, value) | ("unresolved",) | None: not a link
    ambiguous: bool = False  # several files fit the name: the oracle's tie rule decided
    site: str = ""  # what the site made of it, for the report
    outcome: str = ""
    fragment_only: bool = False
    tag: str = ""
    line_text: str = ""  # the source line as the vault has it, without the markers
    site_target: tuple[str | None, str] | None = None  # (vault file or None, #fragment) when the site links


@dataclass
class Vault:
    name: str
    notes: dict[str, str] = field(default_factory=dict)  # path -> text with ⟪⟫ templates
    files: dict[str, bytes] = field(default_factory=dict)  # attachments
    links: list[Link] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # path -> NoteFacts, filled by the oracle

    def note(self, path: str, text: str) -> None:
        self.notes[path] = text.lstrip("\n")

    def write(self, folder: Path, counter: list[int]) -> None:
        """Write the vault with markers in place of the templates; record every link."""
        for path, template in self.notes.items():
            out_lines = []
            for number, line in enumerate(template.split("\n"), 1):
                def place(match: re.Match[str]) -> str:
                    counter[0] += 1
                    n = counter[0]
                    self.links.append(Link(self.name, path, number, n, match.group(1)))
                    return f"q{n:03d}a {match.group(1)} q{n:03d}z"
                out_lines.append(_TEMPLATE.sub(place, line))
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(out_lines), encoding="utf-8")
        for path, data in self.files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def help_vault() -> Vault:
    """In the manner of Obsidian's help vault: spaced names, folders by topic, aliases with paths."""
    v = Vault("obsidian-help")
    v.note("Start here.md", """
# Start here

Welcome. Read ⟪⟫[[Making links]]⟪/⟫ first, then ⟪⟫[[Pasting pictures|how pictures get in]]⟪/⟫.
The page on tags lives in a folder: ⟪⟫[[Organizing/Tags]]⟪/⟫, and so does ⟪⟫[[Organizing/Folders.md]]⟪/⟫.

## What a block is

A block is a paragraph, a quote or one list item; a caret and a name after it give it an id. ^block-intro

- Jump back to ⟪⟫[[#What a block is]]⟪/⟫ any time.
- Or to this very paragraph: ⟪⟫[[#^block-intro|the block above]]⟪/⟫.
- A sub-section elsewhere: ⟪⟫[[Making links#Heading links#Several levels deep]]⟪/⟫.
- A page nobody wrote yet: ⟪⟫[[Sync troubleshooting]]⟪/⟫.
""")
    v.note("Linking/Making links.md", """
---
aliases:
  - How to/Make a link
  - Connecting pages
---

Two spellings exist, the double bracket and the ordinary one, and both open the same page:
⟪⟫[[Start here]]⟪/⟫ and ⟪⟫[start page](../Start%20here.md)⟪/⟫.

## Heading links

Put a number sign after the page name: ⟪⟫[[Pasting pictures#Sizing a picture]]⟪/⟫, or lower case: ⟪⟫[[pasting pictures#sizing a picture]]⟪/⟫.

### Several levels deep

Chain the headings with more number signs; the last one is the target. ^deep-levels

## Blocks

Point at a block of another page: ⟪⟫[[Start here#^block-intro]]⟪/⟫, or show it here:

⟪⟫![[Start here#^block-intro]]⟪/⟫

## Renamed pages

An alias is only a suggestion in the link menu: ⟪⟫[[Connecting pages]]⟪/⟫ opens nothing, while
⟪⟫[[Making links|Connecting pages]]⟪/⟫ is how the menu writes it. An old address is no name either:
⟪⟫[[How to/Make a link]]⟪/⟫.

> [!tip] Writing the brackets
> Type two brackets and pick a page, e.g. ⟪⟫[[Tags]]⟪/⟫; a bracket can be shown as code: ⟪⟫`[[Tags]]`⟪/⟫.

```md
⟪⟫[[Making links#Blocks]]⟪/⟫ inside a fence is only text
```
""")
    v.note("Editing/Pasting pictures.md", """
Drop a file in and a link to it appears.

⟪⟫![[Screenshot 1.png]]⟪/⟫

## Sizing a picture

A width after a bar resizes it: ⟪⟫![[Screenshot 1.png|320]]⟪/⟫, both sides too: ⟪⟫![[Screenshot 1.png|320x200]]⟪/⟫.
A picture without its extension is not found: ⟪⟫![[Screenshot 1]]⟪/⟫.
A link, not an embed: ⟪⟫[[Screenshot 1.png]]⟪/⟫. The ordinary way: ⟪⟫![a screenshot](../Attachments/Screenshot%201.png)⟪/⟫.

## Other files

A manual opens on a page of its own choosing: ⟪⟫![[User manual.pdf#page=3]]⟪/⟫, or whole: ⟪⟫![[User manual.pdf]]⟪/⟫.
A whole page can be shown inside this one: ⟪⟫![[Organizing/Tags]]⟪/⟫, or one section of it: ⟪⟫![[Tags#Nested tags]]⟪/⟫.

| Syntax | Shows |
| --- | --- |
| ⟪⟫[[Making links\\|links]]⟪/⟫ | a link with other words |
| ⟪⟫![[Screenshot 1.png\\|100]]⟪/⟫ | a small picture |
| ⟪⟫[[Tags#Nested tags\\|nesting]]⟪/⟫ | a section |
""")
    v.note("Organizing/Tags.md", """
# Tags

A tag is a word after a number sign. See also ⟪⟫[[Folders]]⟪/⟫ and ⟪⟫[folders, the other way](Folders.md)⟪/⟫.

## Nested tags

A slash inside a tag makes a family of tags. Back to ⟪⟫[Making links](<../Linking/Making links.md>)⟪/⟫.
""")
    v.note("Organizing/Folders.md", """
Folders group files on disk; links ignore them unless two files share a name.
Compare ⟪⟫[[Making links.md]]⟪/⟫ with ⟪⟫[[Linking/Making links]]⟪/⟫ and ⟪⟫[[MAKING LINKS]]⟪/⟫.
A URL-encoded link to a heading: ⟪⟫[sizing](../Editing/Pasting%20pictures.md#Sizing%20a%20picture)⟪/⟫.
""")
    v.files["Attachments/Screenshot 1.png"] = png()
    v.files["Attachments/User manual.pdf"] = pdf()
    return v


def quartz_vault() -> Vault:
    """In the manner of Quartz's docs: index pages per folder, titles unlike file names, relative links."""
    v = Vault("quartz-docs")
    v.note("index.md", """
---
title: Welcome to the garden
---

This garden publishes a folder of notes. Begin with ⟪⟫[[setting up]]⟪/⟫, then read about
⟪⟫[[features/wikilinks|wikilinks]]⟪/⟫ and the ⟪⟫[[plugins/index|plugin list]]⟪/⟫.
The page titled "Making it yours" is the file `configuration`: ⟪⟫[[Making it yours]]⟪/⟫ against ⟪⟫[[configuration]]⟪/⟫.
""")
    v.note("setting up.md", """
---
title: Getting started
tags: [setup]
---

## Install

Clone the repository and install its packages. Then see ⟪⟫[configuration](./configuration.md)⟪/⟫ and
⟪⟫[the features](features/index.md)⟪/⟫. Links to the folder itself: ⟪⟫[[features]]⟪/⟫.

## Build

Run the build command and open the output folder. The top page: ⟪⟫[[index]]⟪/⟫; a folder's page: ⟪⟫[[features/index]]⟪/⟫.
""")
    v.note("configuration.md", """
---
title: Making it yours
aliases: [config, settings]
---

Change the site's name and colours in one file. An alias is no target: ⟪⟫[[config]]⟪/⟫.
For the link strategy see ⟪⟫[[CrawlLinks#Options]]⟪/⟫ and ⟪⟫[[plugins/CrawlLinks#options|its options]]⟪/⟫.
""")
    v.note("features/index.md", """
---
title: Features
---

Every feature has a page: ⟪⟫[[wikilinks]]⟪/⟫, ⟪⟫[[transclusions]]⟪/⟫, ⟪⟫[[backlinks]]⟪/⟫ (not written yet).
Up one level: ⟪⟫[home](../index.md)⟪/⟫.
""")
    v.note("features/wikilinks.md", """
---
title: Wikilinks
---

## Syntax

A name in double brackets links to the file of that name: ⟪⟫[[Obsidian compatibility]]⟪/⟫.
A heading inside another page: ⟪⟫[[transclusions#Embedding part of a page]]⟪/⟫.
A block of a page: ⟪⟫[[transclusions#^whole-page]]⟪/⟫.

## Matching

Case does not matter: ⟪⟫[[OBSIDIAN COMPATIBILITY]]⟪/⟫. The index of this folder is also ⟪⟫[[features/index|the features]]⟪/⟫.
Inline code stays code: ⟪⟫`[[wikilinks#Syntax]]`⟪/⟫.

    ⟪⟫[[wikilinks#Matching]]⟪/⟫ in an indented code block
""")
    v.note("features/transclusions.md", """
---
title: Transclusions
---

A page can be shown inside another one, whole or in part. ^whole-page

## Embedding part of a page

⟪⟫![[wikilinks#Syntax]]⟪/⟫

⟪⟫![[Obsidian compatibility]]⟪/⟫

⟪⟫![[features/wikilinks#^no-such-block]]⟪/⟫
""")
    v.note("features/Obsidian compatibility.md", """
---
title: Obsidian compatibility
---

Most vault syntax works unchanged. The parsing is done by ⟪⟫[[plugins/ObsidianFlavoredMarkdown|the markdown plugin]]⟪/⟫
and links are found by ⟪⟫[[CrawlLinks]]⟪/⟫.
""")
    v.note("plugins/index.md", """
---
title: Plugins
---

All plugins: ⟪⟫[[CrawlLinks]]⟪/⟫, ⟪⟫[[ObsidianFlavoredMarkdown]]⟪/⟫. Back to the ⟪⟫[[index|front page]]⟪/⟫.
""")
    v.note("plugins/CrawlLinks.md", """
---
title: CrawlLinks
---

Finds the links of every page and rewrites them to the page they lead to.

## Options

- `markdownLinkResolution`: how a bare name is matched; see ⟪⟫[[features/wikilinks#Matching|matching]]⟪/⟫.
- Folder pages are ⟪⟫[[plugins/index]]⟪/⟫ and ⟪⟫[plugins](index.md)⟪/⟫.
""")
    v.note("plugins/ObsidianFlavoredMarkdown.md", """
---
title: ObsidianFlavoredMarkdown
---

Reads callouts, highlights and links the vault's way. Picture: ⟪⟫![[static/quartz-layout.png|400]]⟪/⟫,
the same by name: ⟪⟫![[quartz-layout.png]]⟪/⟫.
""")
    v.files["static/quartz-layout.png"] = png()
    return v


def garden_vault() -> Vault:
    """A personal garden: folders, same names in several folders, case, aliases, daily notes, embeds."""
    v = Vault("personal-garden")
    v.note("index.md", """
# My garden

Where things are: ⟪⟫[[Projects/Tenant union]]⟪/⟫, ⟪⟫[[Reading list]]⟪/⟫, ⟪⟫[[2024-05-21]]⟪/⟫, ⟪⟫[[People/Rosa]]⟪/⟫.
Budgets: ⟪⟫[[Budget]]⟪/⟫ is ambiguous, ⟪⟫[[Projects/Budget]]⟪/⟫ and ⟪⟫[[Archive/Budget]]⟪/⟫ are not.
The old reading list: ⟪⟫[[Archive/Reading list]]⟪/⟫. Ideas: ⟪⟫[[ideas]]⟪/⟫ and ⟪⟫[[People/ideas]]⟪/⟫.
""")
    v.note("Reading list.md", """
---
aliases: [Books to read]
---

- ⟪⟫[[1984]]⟪/⟫, then ⟪⟫[[12 rules for organizers]]⟪/⟫; a bare number is no file name: ⟪⟫[[12]]⟪/⟫.
- An alias of this page: ⟪⟫[[Books to read]]⟪/⟫.
""")
    v.note("Ideas.md", """
Loose ideas. The union's demands, shown here: ⟪⟫![[Tenant union#Demands]]⟪/⟫
""")
    v.note("People/ideas.md", """
Rosa's ideas, not mine. Hers: ⟪⟫[[Rosa]]⟪/⟫. Mine: ⟪⟫[[Ideas]]⟪/⟫. A sibling file by path: ⟪⟫[[./Rosa]]⟪/⟫.
""")
    v.note("People/Rosa.md", """
---
aliases: [R.]
---

Organizer on Elm Street. Photo: ⟪⟫![[portrait.png|120]]⟪/⟫. See ⟪⟫[[R.]]⟪/⟫ (her alias) and ⟪⟫[[rosa]]⟪/⟫.
""")
    v.note("Projects/Tenant union.md", """
---
aliases: [TU, Union drive]
tags: [housing]
---

# Tenant union

Started after the meeting of ⟪⟫[[2024-05-21#Evening]]⟪/⟫. The acronym: ⟪⟫[[TU]]⟪/⟫; the proper way: ⟪⟫[[Tenant union|TU]]⟪/⟫.

## Demands

1. Repairs within a week.
2. No rent rise this year.

^demands-list

Quote from the first meeting, linked from elsewhere. ^first-quote

## Money

Costs are in ⟪⟫[[Projects/Budget#Costs]]⟪/⟫; the map: ⟪⟫![[map.png]]⟪/⟫; the flyer: ⟪⟫![[Flyer draft.pdf]]⟪/⟫.

| Item | Where |
| --- | --- |
| budget | ⟪⟫[[Projects/Budget\\|this year's]]⟪/⟫ |
| list | ⟪⟫[[Tenant union#^demands-list\\|the demands]]⟪/⟫ |
| code | ⟪⟫`[[Budget]]`⟪/⟫ |

```
⟪⟫[[Reading list]]⟪/⟫ in a fence
⟪⟫![[map.png]]⟪/⟫ in a fence
```
""")
    v.note("Projects/Budget.md", """
## Costs

Paper and printing. The union: ⟪⟫[Tenant union](Tenant%20union.md)⟪/⟫; the photo shared by two folders: ⟪⟫![[photo.png]]⟪/⟫.
""")
    v.note("Archive/Budget.md", """
Last year's numbers, kept for comparison with ⟪⟫[[Projects/Budget|this year]]⟪/⟫ and ⟪⟫[[budget]]⟪/⟫.
""")
    v.note("Archive/Reading list.md", """
## Reading list

An old list; the current one is ⟪⟫[[Reading list]]⟪/⟫, the demands block ⟪⟫[[Tenant union#^demands-list]]⟪/⟫.
""")
    v.note("Daily/2024-05-21.md", """
## Budget

We talked money first, see ⟪⟫[[Projects/Budget]]⟪/⟫; the quote: ⟪⟫![[Tenant union#^first-quote]]⟪/⟫.

## Evening

Door-knocking on Elm Street with ⟪⟫[[Rosa|Rosa]]⟪/⟫. A Markdown link by name only: ⟪⟫[union](Tenant%20union.md)⟪/⟫,
angle brackets: ⟪⟫[union](<Tenant union.md>)⟪/⟫, a heading: ⟪⟫[demands](../Projects/Tenant%20union.md#Demands)⟪/⟫.
""")
    v.note("Projects/Canvassing.md", """
# Door-knocking plan

Two evenings a week, Elm Street first. Our route map: ⟪⟫[[map.png]]⟪/⟫.
""")
    v.note("Daily/2024-06-02.md", """
## Canvassing

Sixty doors, eleven sign-ups. The plan: ⟪⟫[[Canvassing]]⟪/⟫, or by its heading: ⟪⟫[[Door-knocking plan]]⟪/⟫.
Tomorrow's note does not exist yet: ⟪⟫[[2024-06-03]]⟪/⟫.
""")
    v.note("Books/1984.md", """
A novel. Filed next to ⟪⟫[[12 rules for organizers|the other book]]⟪/⟫.
""")
    v.note("Books/12 rules for organizers.md", """
A handbook. Back to ⟪⟫[[reading list]]⟪/⟫.
""")
    v.files["attachments/map.png"] = png()
    v.files["attachments/portrait.png"] = png()
    v.files["attachments/photo.png"] = png()
    v.files["People/photo.png"] = png(3, 3)
    v.files["attachments/Flyer draft.pdf"] = pdf()
    return v


# --- the oracle: Obsidian's documented rules ------------------------------------------------------

@dataclass
class NoteFacts:
    headings: list[str]
    blocks: dict[str, str]  # block id -> the block's text
    aliases: list[str]
    titles: list[str]  # front matter's title, the first heading: what other tools take for its name


def note_facts(text: str) -> NoteFacts:
    meta, body = {}, text
    match = _FRONT.match(text)
    if match:
        try:
            import yaml
            loaded = yaml.safe_load(match.group(1))
            meta = loaded if isinstance(loaded, dict) else {}
        except Exception:
            meta = {}
        body = text[match.end():]
    aliases = meta.get("aliases") or meta.get("alias") or []
    aliases = [aliases] if isinstance(aliases, str) else [str(a) for a in aliases]
    headings, blocks, fence, previous = [], {}, None, ""
    for line in body.split("\n"):
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        heading = _HEADING.match(line)
        if heading:
            headings.append(_MARKER_WORDS.sub("", heading.group(2)).strip())
        block = _BLOCK_ID.search(line)
        if block:
            text_part = line[:block.start()].strip() or previous
            blocks[block.group(1)] = _MARKER_WORDS.sub("", text_part).strip()
        if line.strip():
            previous = line.strip()
    title = meta.get("title")
    names = [str(title)] if title else []
    return NoteFacts(headings, blocks, aliases, names + headings[:1])


_MARKER_WORDS = re.compile(r"q\d{3}[az] ?")


class Oracle:
    """Where Obsidian would take each link of one vault (see the module's docstring)."""

    def __init__(self, vault: Vault) -> None:
        self.paths = sorted(list(vault.notes) + list(vault.files))
        self.facts = {p: note_facts(t) for p, t in vault.notes.items()}
        self.alias_names = {a.casefold() for f in self.facts.values() for a in f.aliases}
        self.title_names = {t.casefold() for f in self.facts.values() for t in f.titles}

    def _key(self, path: str) -> str:
        return (path[:-3] if path.endswith(".md") else path).casefold()

    def lookup(self, linkpath: str, source: str, relative_first: bool = False) -> tuple[str | None, bool]:
        """The file a link path names, and whether the tie rule chose it among files as near the root."""
        wanted = linkpath.strip()
        keyed = {self._key(p): p for p in self.paths}
        keyed.update({p.casefold(): p for p in self.paths})
        if relative_first or wanted.startswith(("./", "../")):
            relative = posixpath.normpath(posixpath.join(posixpath.dirname(source), wanted)).casefold()
            if relative in keyed:
                return keyed[relative], False
        wanted = wanted.strip("/")
        absolute = posixpath.normpath(wanted).casefold()
        if absolute in keyed:
            return keyed[absolute], False
        name = posixpath.normpath(wanted).casefold()
        fits = self.fitting(name)
        if not fits:
            return None, False
        fits.sort(key=lambda p: (p.count("/"), p.casefold()))
        return fits[0], len(fits) > 1 and fits[0].count("/") == fits[1].count("/")

    def fitting(self, name: str) -> list[str]:
        """Every file whose path, with or without `.md`, is `name` or ends with `/name`."""
        name = name.casefold().strip("/")
        return [p for p in self.paths if any(k == name or k.endswith("/" + name)
                                             for k in (self._key(p), p.casefold()))]

    def resolve(self, link: Link, line_text: str, in_fence: bool) -> None:
        written = link.written
        code_span = written.startswith("`")
        written = written.strip("`")
        embed, target, label, kind = False, "", None, "wikilink"
        wiki, md = _WIKILINK.match(written), _MDLINK.match(written)
        if wiki:
            embed, inner = bool(wiki.group(1)), wiki.group(2)
            parts = re.split(r"\\?\|", inner, maxsplit=1)
            target, label = parts[0], parts[1] if len(parts) > 1 else None
        elif md:
            embed, label, kind = bool(md.group(1)), md.group(2), "markdown"
            dest = md.group(3).strip()
            target = dest[1:-1] if dest.startswith("<") and dest.endswith(">") else unquote(dest)
        in_code = in_fence or code_span or line_text.startswith("    ")
        in_table = line_text.lstrip().startswith("|")
        path_part, _, subpath = target.partition("#")
        path_part = path_part.strip()
        if path_part:
            found, ambiguous = self.lookup(path_part, link.source, relative_first=kind == "markdown")
        else:
            found, ambiguous = link.source, False
        link.ambiguous = ambiguous and not in_code
        shared = bool(path_part) and "/" not in path_part.strip("./") and len(self.fitting(path_part)) > 1
        ext = posixpath.splitext(found or path_part)[1].casefold()
        # the form
        if in_code:
            link.form = "in a code block" if (in_fence or line_text.startswith("    ")) else "in inline code"
        elif in_table:
            link.form = "in a table ([[a\\|b]])"
        elif kind == "markdown":
            link.form = ("markdown image" if embed else
                         "markdown link, <…>" if md.group(3).strip().startswith("<") else
                         "markdown link, #heading" if subpath else
                         "markdown link, ../ or ./" if target.startswith(".") else "markdown link")
        elif embed:
            link.form = ("embed image, sized" if ext in IMAGE_TYPES and label else
                         "embed image" if ext in IMAGE_TYPES else
                         "embed PDF" if ext == ".pdf" else
                         "embed block" if subpath.startswith("^") else
                         "embed heading" if subpath else "embed note")
        elif subpath.startswith("^"):
            link.form = "block ^id"
        elif subpath and not path_part:
            link.form = "heading in the same note"
        elif "#" in subpath:
            link.form = "heading, nested (#A#B)"
        elif subpath:
            link.form = "heading"
        elif found is None and path_part.casefold() in self.alias_names:
            link.form = "alias (not a file name)"
        elif found is None and path_part.casefold() in self.title_names:
            link.form = "title or 1st heading, no such file"
        elif found is None and path_part.isdigit():
            link.form = "digits, no such file"
        elif found is None:
            link.form = "no such file"
        elif shared:
            link.form = "name several files share"
        elif posixpath.splitext(path_part)[1] and not path_part.endswith(".md"):
            link.form = "attachment link"
        elif path_part.startswith(("./", "../")):
            link.form = "relative path (./, ../)"
        elif "/" in path_part:
            link.form = "folder path"
        elif path_part.casefold().endswith(".md"):
            link.form = "name with .md"
        elif posixpath.basename(self._key(found)) != posixpath.basename(found)[:-3] and \
                path_part != posixpath.basename(found)[:-3]:
            link.form = "name, other case"
        else:
            link.form = "plain name" + (", labelled" if label else "")
        # the target
        if in_code:
            link.expect = None
        elif found is None:
            link.expect = ("unresolved",)
        elif ext == ".pdf" and subpath.startswith("page="):
            link.expect = ("file", found, "page", subpath)
        elif subpath.startswith("^") and found in self.facts:
            block = subpath[1:].strip()
            link.expect = (("file", found, "block", block) if block in self.facts[found].blocks
                           else ("file", found, None, None))
        elif subpath and found in self.facts:
            heading = subpath.split("#")[-1].strip()
            known = {h.casefold(): h for h in self.facts[found].headings}
            link.expect = (("file", found, "heading", known[heading.casefold()]) if heading.casefold() in known
                           else ("file", found, None, None))
        else:
            link.expect = ("file", found, None, None)


def run_oracle(vault: Vault) -> None:
    oracle = Oracle(vault)
    for path, template in vault.notes.items():
        fence = None
        raw_lines = template.split("\n")
        fences = []
        for line in raw_lines:
            opener = _FENCE.match(line)
            if fence:
                fences.append(True)
                if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                    fence = None
                continue
            if opener:
                fence = opener.group(1)
            fences.append(bool(opener))
        for link in (lk for lk in vault.links if lk.source == path):
            line = _TEMPLATE.sub(lambda m: m.group(1), raw_lines[link.line - 1])
            link.line_text = line
            try:
                oracle.resolve(link, line, fences[link.line - 1])
            except Exception as exc:  # a report, not a crash
                link.form, link.expect = "oracle failed", ("unresolved",)
                link.site = f"oracle: {type(exc).__name__}: {exc}"
    vault.facts = oracle.facts


# --- the site ------------------------------------------------------------------------------------

def run(args: list[str], cwd: Path) -> tuple[int | None, str, float]:
    start = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=cwd, env={**os.environ, **ENV}, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"{type(exc).__name__}: {exc}", time.perf_counter() - start
    return done.returncode, done.stdout.decode("utf-8", "replace"), time.perf_counter() - start


def make_site(root: Path, vault: Vault, counter: list[int]) -> None:
    copy_site(root)
    (root / "notes").mkdir()
    vault.write(root / "notes", counter)


def shorten(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def read_site(root: Path, vault: Vault) -> list[str]:
    """Fill in each link's site result and outcome; return problems as rows."""
    problems = []
    site = root / "site"
    try:
        data = json.loads((site / "notes.json").read_text(encoding="utf-8"))
        notes = [n for n in data.get("notes", []) if isinstance(n, dict)]
    except (OSError, ValueError, AttributeError) as exc:
        problems.append(f"notes.json cannot be read: {shorten(exc, 80)}")
        notes = []
    url_to_source = {"/" + str(n.get("url", "")).strip("/") + "/": str(n.get("source", "")) for n in notes}
    source_to_url = {v: k for k, v in url_to_source.items()}
    pages: dict[str, BeautifulSoup | None] = {}

    def page(url: str) -> BeautifulSoup | None:
        if url not in pages:
            file = site / url.strip("/") / "index.html"
            pages[url] = BeautifulSoup(file.read_text(encoding="utf-8"), PARSER) if file.is_file() else None
        return pages[url]

    results: dict[int, tuple[str, str]] = {}  # marker -> (tag name, resolved URL)
    seen: set[int] = set()
    for path in vault.notes:
        url = source_to_url.get(f"notes/{path}")
        soup = page(url) if url else None
        if soup is None:
            problems.append(f"{path}: no page in notes.json or on disk")
            continue
        body = soup.select_one("article") or soup
        own = {link.marker for link in vault.links if link.source == path}  # not those quoted in backlinks
        current = None
        for node in body.descendants:
            if isinstance(node, NavigableString):
                for match in _MARKER.finditer(str(node)):
                    number = int(match.group(1))
                    if number not in own:
                        continue
                    seen.add(number)
                    current = number if match.group(2) == "a" else None
            elif isinstance(node, Tag) and current is not None and current not in results:
                if node.name == "a" and node.get("href") and "headerlink" not in (node.get("class") or []):
                    results[current] = ("a", urljoin(url, node["href"]))
                elif node.name in ("img", "iframe", "embed", "object", "video", "audio", "source"):
                    src = node.get("src") or node.get("data")
                    if src:
                        results[current] = (node.name, urljoin(url, src))
    for link in vault.links:
        if link.marker not in seen:
            link.tag, link.site = "", "its text is not on the page"
            continue
        if link.marker not in results:
            link.site = "not linked"
            continue
        tag, href = results[link.marker]
        parts = urlsplit(href)
        address = unquote(parts.path)
        source = url_to_source.get(address if address.endswith("/") else address + "/")
        if source is None and address.startswith("/notes/") and (site / address.lstrip("/")).is_file():
            source = address.lstrip("/")
        link.tag = tag
        target = source.removeprefix("notes/") if source and source.startswith("notes/") else None
        link.site = (target or (address + " (not a vault file)")) + (f"#{parts.fragment}" if parts.fragment else "")
        link.site_target = (target, unquote(parts.fragment))
    for link in vault.links:
        link.outcome, link.fragment_only = judge(link, vault, source_to_url, page)
    return problems


def judge(link: Link, vault: Vault, source_to_url: dict, page) -> tuple[str, bool]:
    linked = link.site_target is not None
    if link.expect is None or link.expect[0] == "unresolved":
        return ("linked (Obsidian does not)" if linked else "agrees"), False
    if not linked:
        return "not linked (Obsidian links)", False
    target, fragment = link.site_target
    _, path, kind, value = link.expect
    if target is None or target.casefold() != path.casefold():
        return "wrong target", False
    if kind is None:
        return "agrees", False
    if kind == "page":
        return ("agrees", False) if fragment == value else ("wrong target", True)
    if not fragment:
        return "wrong target", True
    url = source_to_url.get(f"notes/{path}")
    soup = page(url) if url else None
    element = soup.find(id=fragment) if soup is not None else None
    if element is None and kind == "block" and soup is not None:
        element = soup.find(id="^" + fragment)
    if element is None:
        return "wrong target", True
    text = " ".join(element.get_text(" ").replace("¶", "").split())
    if kind == "heading":
        ok = element.name in ("h1", "h2", "h3", "h4", "h5", "h6") and text.casefold() == value.casefold()
    else:
        block = vault.facts[path].blocks.get(value, "")
        ok = bool(block) and " ".join(block.split())[:40].casefold() in text.casefold()
    return ("agrees", False) if ok else ("wrong target", True)


# --- the tables ----------------------------------------------------------------------------------

def describe(link: Link) -> str:
    if link.expect is None:
        return "not a link"
    if link.expect[0] == "unresolved":
        return "unresolved"
    _, path, kind, value = link.expect
    return path + (f"#{'^' if kind == 'block' else ''}{value}" if kind else "")


def table(links: list[Link], title: str, problems: list[str]) -> str:
    out = [f"== {title} =="]
    for problem in problems:
        out.append(f"  problem: {problem}")
    counts = Counter(link.outcome for link in links)
    fragment = sum(1 for link in links if link.fragment_only)
    out.append(f"  {'links':<46} {len(links):>4}")
    for outcome in OUTCOMES:
        value = (fragment if outcome.endswith("#fragment") else counts.get("wrong target", 0) - fragment
                 if outcome.endswith("another file") else counts.get(outcome, 0))
        out.append(f"  {outcome:<46} {value:>4}")
    ambiguous = [lk for lk in links if lk.ambiguous]
    if ambiguous:
        out.append(f"  {'decided by the tie rule (folders equally deep)':<46} {len(ambiguous):>4}"
                   f"  (agree: {sum(lk.outcome == 'agrees' for lk in ambiguous)})")
    images = [lk for lk in links if lk.form.startswith("embed image") and lk.outcome == "agrees"]
    if images:
        out.append(f"  {'image embeds agreeing, shown as <img>':<46} {sum(lk.tag == 'img' for lk in images):>4}"
                   f" of {len(images)}")
    by_form: dict[str, Counter] = defaultdict(Counter)
    for link in links:
        by_form[link.form][link.outcome] += 1
    out.append("")
    out.append(f"  {'by form':<34} {'links':>5} {'agree':>5} {'wrong':>5} {'unlnk':>5} {'extra':>5}")
    for form in sorted(by_form, key=lambda f: (-sum(by_form[f].values()), f)):
        c = by_form[form]
        out.append(f"  {form:<34} {sum(c.values()):>5} {c['agrees']:>5} {c['wrong target']:>5} "
                   f"{c['not linked (Obsidian links)']:>5} {c['linked (Obsidian does not)']:>5}")
    out.append("  (wrong: wrong target; unlnk: not linked where Obsidian links; extra: linked where Obsidian does not)")
    return "\n".join(out) + "\n"


def disagreements(links: list[Link], limit: int = 10) -> str:
    bad = [lk for lk in links if lk.outcome != "agrees"]
    out = [f"  first {min(limit, len(bad))} of {len(bad)} disagreements:"]
    for link in bad[:limit]:
        out.append(f"    {link.vault}/{link.source}:{link.line}: {shorten(link.line_text.strip(), 100)}")
        out.append(f"        [{link.form}] {shorten(link.written, 70)}")
        out.append(f"        Obsidian: {describe(link)}{' (tie rule)' if link.ambiguous else ''}; "
                   f"site: {link.site or 'not linked'}")
    return "\n".join(out) + "\n"


# --- main ----------------------------------------------------------------------------------------

def trial(work: Path) -> str:
    output = []
    everything: list[Link] = []
    counter = [0]
    for make in (help_vault, quartz_vault, garden_vault):
        problems: list[str] = []
        try:
            vault = make()
        except Exception as exc:  # a report, not a crash
            output.append(f"== {make.__name__} ==\n  problem: the vault was not made: {type(exc).__name__}: {exc}\n")
            continue
        root = work / vault.name
        try:
            make_site(root, vault, counter)
        except (OSError, shutil.Error) as exc:
            problems.append(f"copying the site failed: {shorten(exc, 100)}")
        run_oracle(vault)
        print(f"building {vault.name}…", file=sys.stderr, flush=True)
        code, log, seconds = run([MKDOCS, "build"], root)
        warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
        if code != 0:
            last = [line for line in log.splitlines() if line.strip()][-1:] or [""]
            problems.append(f"mkdocs build: exit {code}: {shorten(last[0], 100)}")
        try:
            problems += read_site(root, vault)
        except Exception as exc:  # a report, not a crash
            problems.append(f"reading the site failed: {type(exc).__name__}: {shorten(exc, 100)}")
            for link in vault.links:
                link.outcome = link.outcome or ("agrees" if link.expect is None or link.expect[0] == "unresolved"
                                                else "not linked (Obsidian links)")
        title = (f"{vault.name}: {len(vault.notes)} notes, {len(vault.files)} attachments; "
                 f"build exit {code}, {seconds:.1f} s, {len(warnings)} WARNING lines")
        output.append(table(vault.links, title, problems) + disagreements(vault.links))
        everything += vault.links
    output.append(table(everything, "all three vaults", []))
    try:  # every link's record, for reading beyond the first ten disagreements
        rows = [{"vault": lk.vault, "source": lk.source, "line": lk.line, "written": lk.written, "form": lk.form,
                 "obsidian": describe(lk), "tie_rule": lk.ambiguous, "site": lk.site or "not linked",
                 "outcome": lk.outcome} for lk in everything]
        (work / "links.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        output.append(f"  problem: links.json not written: {shorten(exc, 80)}")
    return "\n".join(output)


def inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vault_trial", description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR (new or empty) and keep the vaults, sites and links.json there")
    args = parser.parse_args(argv)
    if args.keep is not None:
        if inside(args.keep, REPO):
            parser.error("--keep must be outside the repository")
        if args.keep.exists() and (not args.keep.is_dir() or any(args.keep.iterdir())):
            parser.error(f"{args.keep} is not a new or empty folder")
    start = time.perf_counter()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        text = trial(args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="caucus-vault-trial-") as tmp:
            text = trial(Path(tmp))
    print(text, end="")
    print(f"measured in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
