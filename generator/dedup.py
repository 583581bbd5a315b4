"""De-duplication: paste accidents inside a note are left out of its page; repeats across
notes are reported and become "also in" cross-links.

Members paste, and a pasted note often holds its text twice; but text written by
others also repeats itself on purpose. Inside a note only a paste accident is
left out of the page: a whole section repeated under the same headings, or a run
of blocks with substance that directly follows its first copy. Any other repeat
stays and is reported. Prose is compared after Unicode NFC and white-space
folding; code, tables and math exactly. No removal may drop a line whose text is
kept nowhere else, and the blocks around a removal never merge under the site's
renderer. Source files are never changed here (`caucus-site dedup --fix` does
that, on request).

Across notes nothing is removed, and content counts, not shape: numbers, dates,
URLs and citations are not content, and words found in many notes weigh little.
Identical passages are found by hashing and grouped; near-identical ones by
candidates sharing rare sampled shingles, confirmed by rapidfuzz's ratio and by
the rarity-weighted share of content words they have in common, so no two
unrelated passages are ever compared and the scan grows linearly.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from functools import cached_property, lru_cache
from itertools import groupby

from rapidfuzz import fuzz

from .blocks import Block, Document, parse, sections, split_blocks
from .memo import Memo, remembered
from .model import Corpus, Finding, Note, Settings
from .urls import relative_to

NEAR_RATIO = 90.0  # rapidfuzz ratio (0–100) at which two passages count as the same text
NEAR_CONTENT = 0.6  # ... and the weighted share of content words they must have in common
MIN_SHARED_WEIGHT = 3.0  # ... and how much those shared words must weigh (a template's weigh ~0)
SAMPLE = 8  # smallest shingle hashes kept per passage, counted across notes
FINGERPRINTS = 4  # the rarest of them (found in 2..FREQUENT_NOTES notes) are the passage's buckets
FREQUENT_NOTES = 20  # a shingle in more notes is common phrasing: no fingerprint, no bucket
ALSO_IN_LINKS = 3  # at most this many "Also in" notes after a passage on a page
PASSAGE_KINDS = {"paragraph", "blockquote", "bullet_list", "ordered_list", "table"}
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Same prose for a reader: Unicode NFC, white space and line wrapping folded.

    NFC, not NFKC: NFKC would make "10²" and "102" the same text. str.split()
    splits on exactly the characters the regex \\s matches, and faster.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def exact_text(text: str) -> str:
    """Code, tables and math as written (NFC, trailing spaces dropped): their layout is content."""
    return "\n".join(line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n"))


def block_key(block: Block) -> str:
    """What must be equal for two blocks to be the same: the exact text of code, tables and math
    (and of any block holding one), the folded text of prose."""
    return "\0" + exact_text(block.text) if block.exact else normalize(block.text)


def comparable(text: str) -> str:
    """Same words: also case and punctuation folded, for comparing passages across notes."""
    return words_of(normalize(text))


def words_of(normalized: str) -> str:
    """comparable() of text already normalized: the words alone, case folded."""
    return " ".join(_WORD.findall(normalized.casefold()))


@dataclass(frozen=True, order=True)
class Removal:
    """Body lines [start, end) left out because they repeat lines [first_start, first_end)."""

    start: int
    end: int
    first_start: int
    first_end: int
    section: str = ""  # the heading, when a whole section repeats


@dataclass(frozen=True, order=True)
class KeptRepeat:
    """Body lines [start, end) that repeat lines [first_start, first_end) and stay on the page.

    Either the author repeated them on purpose (a definition quoted again, an
    appendix restating a paragraph), or taking them out would lose a line found
    nowhere else in the note (`unique_line`, 0-based, else -1).
    """

    start: int
    end: int
    first_start: int
    first_end: int
    unique_line: int = -1


@dataclass(frozen=True)
class InNote:
    """What repeats inside one note: paste accidents to leave out, and repeats that stay."""

    removals: tuple[Removal, ...] = ()
    kept: tuple[KeptRepeat, ...] = ()


def in_note_repeats(body: str, min_words: int, blocks: Sequence[Block] | None = None,
                    keys: Sequence[str] | None = None) -> list[Removal]:
    """The paste accidents of a note, safe to take out (see find_in_note)."""
    return list(find_in_note(body, min_words, blocks, keys).removals)


def find_in_note(body: str, min_words: int, blocks: Sequence[Block] | None = None,
                 keys: Sequence[str] | None = None) -> InNote:
    """Paste accidents (a whole section again, or a run of blocks right after its first copy),
    until none is left; every other repeat of a block of substance is kept and reported.

    Removing a run can make two sections equal or two runs adjacent, so the passes
    repeat until nothing more is found; that is what makes de-duplication idempotent.
    Each removal is accepted only if every line it drops has its text elsewhere
    among the kept lines, so no line that exists once is ever lost.
    `keys` are the blocks' block_key()s, when the caller has them already.
    """
    blocks = split_blocks(body) if blocks is None else blocks
    keys = [block_key(b) for b in blocks] if keys is None else keys
    if len(set(keys)) == len(keys):
        return InNote()  # no block repeats: most notes
    guard: _LineGuard | None = None  # made at the first candidate: most notes have none
    alive = list(range(len(blocks)))
    removals: list[Removal] = []
    refused: dict[tuple[int, int], KeptRepeat] = {}
    while True:
        accepted = False
        for removal, indexes in _repeated_sections(blocks, keys, alive, min_words) + _runs(blocks, keys, alive,
                                                                                            min_words):
            if not indexes <= set(alive):
                continue  # overlaps one taken out in this pass; the next pass looks again
            guard = guard or _LineGuard(body.split("\n"))
            lost = guard.lost_by(removal)
            if lost >= 0:
                refused[(removal.start, removal.end)] = KeptRepeat(*astuple(removal)[:4], lost)
                continue
            guard.drop(removal)
            removals.append(removal)
            alive = [i for i in alive if i not in indexes]
            accepted = True
        if not accepted:
            break
    kept = {*refused.values(), *_restated(blocks, keys, alive, min_words, refused)}
    return InNote(tuple(sorted(removals)), tuple(sorted(kept)))


class _LineGuard:
    """The text of every line still kept (trailing white space ignored), counted."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.kept = Counter(line.rstrip() for line in lines)
        self.dropped: set[int] = set()

    def _going(self, removal: Removal) -> list[int]:
        return [i for i in range(removal.start, removal.end) if i not in self.dropped]

    def lost_by(self, removal: Removal) -> int:
        """The first line whose text would be kept nowhere if `removal` went, else -1."""
        going = Counter(self.lines[i].rstrip() for i in self._going(removal))
        for i in self._going(removal):
            text = self.lines[i].rstrip()
            if text.strip() and self.kept[text] <= going[text]:
                return i
        return -1

    def drop(self, removal: Removal) -> None:
        going = self._going(removal)
        self.kept.subtract(self.lines[i].rstrip() for i in going)
        self.dropped.update(going)


def _substance(blocks: Sequence[Block], indexes: Sequence[int], min_words: int) -> bool:
    """Whether the blocks hold one of at least `min_words` words that is not a heading."""
    return any(blocks[i].kind != "heading" and blocks[i].words >= min_words for i in indexes)


def _repeated_sections(blocks: Sequence[Block], keys: Sequence[str], alive: Sequence[int],
                       min_words: int) -> list[tuple[Removal, set[int]]]:
    """Sections (a heading and its content) equal to an earlier one under the same headings.

    The headings above count: an appendix that restates subsections of the body
    under its own heading is meant; a note pasted twice repeats them all.
    """
    current = [blocks[i] for i in alive]
    seen: dict[tuple[tuple[str, ...], ...], tuple[int, int]] = {}
    found: list[tuple[Removal, set[int]]] = []
    gone: set[int] = set()
    parents = _parent_headings(current, [keys[i] for i in alive])
    for first, end in sections(current):
        if alive[first] in gone or not _substance(blocks, alive[first:end], min_words):
            continue
        key = (parents[first], tuple(keys[i] for i in alive[first:end]))
        if key not in seen:
            seen[key] = (first, end)
            continue
        a, b = seen[key]
        heading = keys[alive[first]].lstrip("#").strip()
        found.append((Removal(current[first].start, current[end - 1].end, current[a].start, current[b - 1].end,
                              heading), set(alive[first:end])))
        gone.update(alive[first:end])
    return found


def _parent_headings(blocks: Sequence[Block], keys: Sequence[str]) -> list[tuple[str, ...]]:
    """For each block, the keys of the headings it sits under (outermost first)."""
    stack: list[tuple[int, str]] = []
    parents = []
    for block, key in zip(blocks, keys):
        if block.kind == "heading":
            while stack and stack[-1][0] >= block.level:
                stack.pop()
        parents.append(tuple(k for _, k in stack))
        if block.kind == "heading":
            stack.append((block.level, key))
    return parents


def _runs(blocks: Sequence[Block], keys: Sequence[str], alive: Sequence[int],
          min_words: int) -> list[tuple[Removal, set[int]]]:
    """Runs of blocks that directly follow an equal run ("A B C A B C", a paragraph twice in a row).

    The shortest such run at each place is taken; the passes that follow take the
    next copy when something was pasted three times.
    """
    ids = [keys[i] for i in alive]
    where: dict[str, list[int]] = defaultdict(list)
    found: list[tuple[Removal, set[int]]] = []
    pos = 0
    while pos < len(ids):
        run = next((pos - p for p in reversed(where[ids[pos]])
                    if ids[p:pos] == ids[pos:2 * pos - p] and _substance(blocks, alive[p:pos], min_words)), 0)
        where[ids[pos]].append(pos)
        if not run:
            pos += 1
            continue
        first, copy = alive[pos - run:pos], alive[pos:pos + run]
        found.append((Removal(blocks[copy[0]].start, blocks[copy[-1]].end, blocks[first[0]].start,
                              blocks[first[-1]].end), set(copy)))
        pos += run
    return found


def _restated(blocks: Sequence[Block], keys: Sequence[str], alive: Sequence[int], min_words: int,
              refused: Mapping[tuple[int, int], KeptRepeat]) -> list[KeptRepeat]:
    """Blocks of substance that repeat an earlier one and stay: the author meant them."""
    seen: dict[str, Block] = {}
    found = []
    for i in alive:
        block = blocks[i]
        earlier = seen.setdefault(keys[i], block)
        if (earlier is not block and _substance(blocks, [i], min_words)
                and not any(start <= block.start < end for start, end in refused)):
            found.append(KeptRepeat(block.start, block.end, earlier.start, earlier.end))
    return found


def lines_to_drop(lines: Sequence[str], removals: Sequence[Removal]) -> set[int]:
    """The removed lines, plus the blank lines the removal leaves doubled (after it, or before it at the end)."""
    drop: set[int] = set()
    for removal in removals:
        drop.update(range(removal.start, removal.end))
        after = removal.end
        while after < len(lines) and not lines[after].strip():
            drop.add(after)
            after += 1
        if after >= len(lines):
            before = removal.start - 1
            while before >= 0 and not lines[before].strip() and before not in drop:
                drop.add(before)
                before -= 1
    return drop


SEPARATOR = "<!-- -->"  # an empty HTML comment: invisible, and it keeps two lists from becoming one
_LISTS = {"bullet_list", "ordered_list"}
_CONTAINERS = ("!!!", "???")  # admonitions and details: an indented block after one goes into it


def merge_in_python_markdown(before: Block | None, after: Block | None) -> bool:
    """Whether the site's renderer (Python-Markdown, not CommonMark) would make the two blocks one
    when only blank lines part them.

    Two block quotes become one quote; a list and any list after it become one
    list, bullet or numbered; an indented block after a list, an admonition or a
    code block goes into it.
    """
    if before is None or after is None:
        return False
    indented = after.text.startswith(("    ", "\t"))
    return ((before.kind == after.kind == "blockquote")
            or (before.kind in _LISTS and (after.kind in _LISTS or indented))
            or (indented and (before.kind == "code_block" or before.text.lstrip().startswith(_CONTAINERS))))


def without_repeats(body: str, removals: Sequence[Removal]) -> tuple[str, list[int]]:
    """The body without the removed lines, and for each line of it its line in the original body.

    Where a passage was taken out, at least one blank line parts its neighbours,
    and an empty HTML comment stands between them when they would otherwise
    become one block (under Python-Markdown, which renders the site, or CommonMark).
    """
    lines = body.split("\n")
    drop = lines_to_drop(lines, removals)
    blocks = split_blocks(body)
    pairs = _joined(lines, drop, blocks, force=False)
    text = "\n".join(line for _, line in pairs)
    if joins_blocks(body, text, removals):
        pairs = _joined(lines, drop, blocks, force=True)
        text = "\n".join(line for _, line in pairs)
    if body.endswith("\n") and not text.endswith("\n"):
        text += "\n"
    return text, [i for i, _ in pairs]


def _joined(lines: Sequence[str], drop: set[int], blocks: Sequence[Block],
            force: bool) -> list[tuple[int, str]]:
    """(original line, text) of each line kept, with what each gap needs between its neighbours.

    A line added in a gap carries the number of the gap's first line.
    """
    by_line = {i: b for b in blocks for i in range(b.start, b.end)}
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if i not in drop:
            out.append((i, lines[i]))
            i += 1
            continue
        end = i
        while end < len(lines) and end in drop:
            end += 1
        before = next((j for j, text in reversed(out) if text.strip()), None)
        if before is not None and end < len(lines):
            separate = force or merge_in_python_markdown(by_line.get(before), by_line.get(end))
            blank_before = not out[-1][1].strip()
            filler = (([] if blank_before else [""]) + [SEPARATOR, ""]) if separate else \
                ([] if blank_before or not lines[end].strip() else [""])
            out += [(i, text) for text in filler]
        i = end
    return out


def joins_blocks(body: str, cleaned: str, removals: Sequence[Removal]) -> bool:
    """Whether the cleaned text has other blocks than the original minus the removed ones."""
    gone = [(r.start, r.end) for r in removals]
    expected = [normalize(b.text) for b in split_blocks(body)
                if not any(start <= b.start < end for start, end in gone)]
    return [normalize(b.text) for b in split_blocks(cleaned) if b.text != SEPARATOR] != expected


@dataclass(frozen=True)
class Location:
    path: str
    start_line: int  # file lines, 1-based, inclusive
    end_line: int

    def __str__(self) -> str:
        end = f"-{self.end_line}" if self.end_line != self.start_line else ""
        return f"{self.path}:{self.start_line}{end}"

    @property
    def lines(self) -> str:
        return line_span(self.start_line, self.end_line)


def line_span(start: int, end: int) -> str:
    """ "line 28" or "lines 28-30": messages never say "lines 28-28"."""
    return f"line {start}" if start == end else f"lines {start}-{end}"


def _verb(location: Location, singular: str, plural: str) -> str:
    return singular if location.start_line == location.end_line else plural


def describe_fix(item: Mapping[str, object]) -> str:
    """The line `caucus-site dedup --fix` prints for one removal (an item of its JSON "fixed" list)."""
    first, _, last = str(item["repeats"]).partition("-")
    return (f"{item['path']}: removed {line_span(int(item['start_line']), int(item['end_line']))} "
            f"(a repeat of {line_span(int(first), int(last or first))})")


@dataclass(frozen=True)
class Repeat:
    """One repeated passage, for `caucus-site dedup` and its JSON."""

    kind: str  # in-note-repeat (left out), in-note-kept (stays), exact, near, identical-note
    similarity: float
    locations: tuple[Location, Location]  # the repeat, then the other occurrence
    excerpt: str
    finding: Finding

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "similarity": round(self.similarity, 3), "level": self.finding.level,
                "message": self.finding.message,
                "locations": [{"path": loc.path, "start_line": loc.start_line, "end_line": loc.end_line}
                              for loc in self.locations],
                "excerpt": self.excerpt}


@dataclass(frozen=True)
class Passage:
    note: Note
    block: Block  # in the cleaned body
    location: Location  # in the source file
    text: str  # comparable()
    content: tuple[str, ...] = ()  # content_words(): no numbers, dates, URLs or citations
    sample: tuple[int, ...] | None = field(default=None, compare=False, repr=False)  # see _Corpus; None: not yet


@dataclass(frozen=True)
class Dedup:
    documents: dict[str, Document]  # note URL -> its cleaned body, parsed
    also_in: dict[str, list[tuple[int, list[str]]]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    repeats: tuple[Repeat, ...] = ()
    removals: dict[str, list[Removal]] = field(default_factory=dict)
    kept: dict[str, Sequence[int]] = field(default_factory=dict)  # note URL -> source line of each cleaned line

    @cached_property
    def bodies(self) -> dict[str, str]:
        """note URL -> its cleaned body, as text."""
        return {url: document.text for url, document in self.documents.items()}


def excerpt(text: str, words: int = 12) -> str:
    parts = normalize(text).split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


@dataclass(frozen=True)
class CleanBody:
    """One body after in-note de-duplication: all the cross-note scan and linking need of it.

    A pure function of the body and `dedup_min_words`, so the live preview keeps it between rebuilds.
    """

    removals: tuple[Removal, ...]
    document: Document  # the cleaned body, parsed
    kept: Sequence[int]  # for each line of the cleaned body, its line in the original
    texts: tuple[str, ...]  # comparable() text of each block of the cleaned body
    repeats_kept: tuple[KeptRepeat, ...] = ()  # repeats that stay on the page, reported


def clean_body(body: str, min_words: int) -> CleanBody:
    """Parse once (twice if there are repeats to take out), normalise each block once."""
    document = parse(body)
    keys = [block_key(b) for b in document.blocks]
    found = find_in_note(body, min_words, document.blocks, keys)
    kept: Sequence[int] = range(body.count("\n") + 1)
    if found.removals:
        cleaned, kept = without_repeats(body, found.removals)
        document = parse(cleaned)
        keys = [block_key(b) for b in document.blocks]
    return CleanBody(found.removals, document, kept, tuple(words_of(key) for key in keys), found.kept)


@dataclass(frozen=True)
class NoteScan:
    """What the scan across notes needs of one cleaned body, worked out from it alone: its passages
    as (block, first body line, end body line, comparable() text, content words, sampled shingles),
    every content word and sampled shingle of them, and the whole text normalize()d."""

    passages: tuple[tuple[int, int, int, str, tuple[str, ...], tuple[int, ...]], ...]
    words: frozenset[str]
    sampled: frozenset[int]
    normalized: str


def scan_body(clean: CleanBody, min_words: int, citation_words: Sequence[str] = ()) -> NoteScan:
    found = [(index, clean.kept[block.start], clean.kept[block.end - 1] + 1, text, content,
              tuple(sorted(shingles(content))[:SAMPLE]))
             for index, block, text, content in _of_substance(clean.document.blocks, clean.texts, min_words,
                                                             citation_words)]
    words: set[str] = set()
    sampled: set[int] = set()
    for item in found:
        words.update(item[4])
        sampled.update(item[5])
    return NoteScan(tuple(found), frozenset(words), frozenset(sampled), normalize(clean.document.text))


@dataclass(frozen=True)
class NoteDedup:
    """Everything de-duplication works out from one note's body and the settings alone: what the
    live preview keeps between rebuilds, so a rebuild after an edit works on that note only."""

    clean: CleanBody
    scan: NoteScan
    # [note, its passages]: the Passages last made for a note with this body, made again only for
    # another note (a note whose front matter changed is another Note, its passages on other lines)
    located: list = field(default_factory=list, compare=False, repr=False)

    def passages(self, note: Note) -> list[Passage]:
        if not self.located or self.located[0] is not note:
            blocks = self.clean.document.blocks
            self.located[:] = [note, [
                Passage(note, blocks[index], Location(note.path, *_file_lines(note, start, end)), text, content,
                        sample) for index, start, end, text, content, sample in self.scan.passages]]
        return self.located[1]


def note_work_key(body: str, min_words: int, citation_words: tuple[str, ...]) -> tuple:
    """The memo's key for `dedupe_note` of a body (workers fill the memo under it too)."""
    return ("clean", body, min_words, citation_words)


def dedupe_note(body: str, min_words: int, citation_words: Sequence[str] = ()) -> NoteDedup:
    clean = clean_body(body, min_words)
    return NoteDedup(clean, scan_body(clean, min_words, citation_words))


def dedupe_corpus(corpus: Corpus, settings: Settings, memo: Memo | None = None) -> Dedup:
    """Clean every note's body, then compare passages across notes.

    The parsed cleaned bodies are passed on to linking, so no stage parses a note again;
    what each note gives alone comes through the live preview's `memo`.
    """
    documents: dict[str, Document] = {}
    normalized: dict[str, str] = {}
    removals: dict[str, list[Removal]] = {}
    kept: dict[str, Sequence[int]] = {}
    repeats: list[Repeat] = []
    passages: list[Passage] = []
    per_note: list[tuple[str, frozenset[str], frozenset[int]]] = []
    min_words, citation_words = settings.dedup_min_words, tuple(settings.citation_words)
    for note in corpus.notes:
        work = remembered(memo, note_work_key(note.body, min_words, citation_words),
                          lambda: dedupe_note(note.body, min_words, citation_words))
        clean, scan = work.clean, work.scan
        if clean.removals:
            removals[note.url] = list(clean.removals)
            kept[note.url] = clean.kept
            repeats += [_in_note_repeat(note, r) for r in clean.removals]
        repeats += [_kept_repeat(note, r) for r in clean.repeats_kept]
        documents[note.url] = clean.document
        normalized[note.url] = scan.normalized
        passages += work.passages(note)
        if scan.passages:
            per_note.append((note.url, scan.words, scan.sampled))
    repeats += _identical_notes(corpus.notes, documents, min_words, citation_words, normalized)
    cross, also_in = _across_notes(passages, per_note)
    repeats += cross
    repeats.sort(key=lambda r: r.finding)
    return Dedup(documents=documents, also_in=also_in, findings=tuple(r.finding for r in repeats),
                 repeats=tuple(repeats), removals=removals, kept=kept)


def _file_lines(note: Note, start: int, end: int) -> tuple[int, int]:
    return note.body_line + start, note.body_line + end - 1


def _in_note_repeat(note: Note, removal: Removal) -> Repeat:
    """A paste accident, left out of the page."""
    what = f"the section “{removal.section}”" if removal.section else "a passage"
    return _note_repeat(note, "in-note-repeat", removal, lambda here, first: (
        f"{here.lines} {_verb(here, 'repeats', 'repeat')} {what} of {first.lines} and {_verb(here, 'is', 'are')} "
        "left out of the page (caucus-site dedup --fix removes them from the file)"))


def _kept_repeat(note: Note, repeat: KeptRepeat) -> Repeat:
    """A repeat that stays on the page: meant by the author, or holding a line found nowhere else."""
    why = (f"it holds line {note.body_line + repeat.unique_line}, found nowhere else in the note"
           if repeat.unique_line >= 0 else "it does not follow its first copy, so it is taken as meant")
    return _note_repeat(note, "in-note-kept", repeat, lambda here, first: (
        f"{here.lines} {_verb(here, 'repeats', 'repeat')} {first.lines} and {_verb(here, 'stays', 'stay')}: {why}"))


def _note_repeat(note: Note, kind: str, lines: Removal | KeptRepeat,
                 message: Callable[[Location, Location], str]) -> Repeat:
    """The report of a repeat inside a note, located in its file (`lines` are body lines)."""
    here = Location(note.path, *_file_lines(note, lines.start, lines.end))
    first = Location(note.path, *_file_lines(note, lines.first_start, lines.first_end))
    body_lines = note.body.split("\n")[lines.start:lines.end]
    return Repeat(kind, 1.0, (here, first), excerpt("\n".join(body_lines)),
                  Finding(note.path, here.start_line, "info", message(here, first)))


# What is not content, each with a substring it cannot match without (a cheap test first).
_NOT_CONTENT = (
    ("](", re.compile(r"\]\([^)]*\)")),  # link targets
    ("://", re.compile(r"<?\b[a-z][a-z0-9+.-]*://[^\s>]*>?", re.IGNORECASE)),  # URLs, autolinks
    ("www.", re.compile(r"\bwww\.\S+", re.IGNORECASE)),
    ("]:", re.compile(r"^ {0,3}\[[^\]]+\]:.*$", re.MULTILINE)),  # reference definitions
    ("#", re.compile(r"\b[\w.-]+/[\w.-]+#\d+\b|#\d+\b")),  # issue references: rust-lang/rfcs#123, #123
)


@lru_cache(maxsize=8)
def citation_pattern(citation_words: tuple[str, ...]) -> re.Pattern[str]:
    """ "Strategy Note 12", "Strategy Notes 12, 14 and 15", "RFC 1234": citations, not content."""
    words = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(citation_words, key=len, reverse=True))
    number = r"#?\d[\w.-]*"
    return re.compile(rf"\b(?:{words})\s*{number}(?:\s*(?:,|and|&|or|to|–|—|-)?\s*{number})*" if words else r"(?!)",
                      re.IGNORECASE)


def content_words(text: str, citation_words: Sequence[str] = (), words: str | None = None) -> list[str]:
    """The words that say something: no URLs or link targets, no citations, no numbers or dates
    (nor any word holding a digit), case folded.

    A templated header ("- Start Date: 2014-03-20", "- RFC PR: [rust-lang/rfcs#123](…)") or a
    line of citations has few of them, however long it looks. `words` is the text's
    comparable() form, when the caller has it: text without links is then not tokenized again.
    """
    if words is None or any(needle in text for needle, _ in _NOT_CONTENT):
        for needle, pattern in _NOT_CONTENT:
            if needle in text:
                text = pattern.sub(" ", text)
        words = comparable(text)
    pattern = citation_pattern(tuple(citation_words))
    if any(first in words for first in _first_words(tuple(citation_words))):
        words = pattern.sub(" ", words)
    return list(filter(None, map(_CONTENT_WORDS.__getitem__, words.split())))


@lru_cache(maxsize=8)
def _first_words(citation_words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple({w.split()[0].casefold() for w in citation_words if w.split()})


class _ContentWords(dict):
    """word -> the one shared copy of it, or "" when it holds a digit (a number, a date, a version).

    Notes use the same few thousand words again and again: one string each, however many passages.
    """

    def __missing__(self, word: str) -> str:
        value = self[word] = "" if any(c.isdigit() for c in word) else word
        return value


_CONTENT_WORDS = _ContentWords()


def _passages(note: Note, blocks: Sequence[Block], texts: Sequence[str], kept: Sequence[int],
              min_words: int, citation_words: Sequence[str] = ()) -> list[Passage]:
    """The blocks of substance of a cleaned body, located in the source file through `kept`:
    prose kinds with at least `min_words` content words.

    `texts` holds each block's comparable() text.
    """
    found = []
    for _, block, text, content in _of_substance(blocks, texts, min_words, citation_words):
        start, end = _file_lines(note, kept[block.start], kept[block.end - 1] + 1)
        found.append(Passage(note, block, Location(note.path, start, end), text, content))
    return found


def _of_substance(blocks: Sequence[Block], texts: Sequence[str], min_words: int,
                  citation_words: Sequence[str] = ()) -> list[tuple[int, Block, str, tuple[str, ...]]]:
    """(index, block, comparable() text, content words) of each block of substance."""
    found = []
    for index, (block, text) in enumerate(zip(blocks, texts)):
        if block.kind not in PASSAGE_KINDS or block.words < min_words:
            continue
        content = content_words(block.text, citation_words, text)
        if len(content) >= min_words:
            found.append((index, block, text, tuple(content)))
    return found


def _identical_notes(notes: Sequence[Note], documents: Mapping[str, Document], min_words: int,
                     citation_words: Sequence[str], normalized: Mapping[str, str] | None = None) -> list[Repeat]:
    """Whole notes whose text is the same (NFC, white space folded), among notes with substance.

    `normalized` holds each document's text normalize()d, when the caller has it."""
    first_with: dict[str, Note] = {}
    repeats = []
    for note in notes:
        key = normalized[note.url] if normalized is not None else normalize(documents[note.url].text)
        other = first_with.setdefault(key, note)
        if other is not note and len(content_words(key, citation_words)) >= min_words:
            here, there = Location(note.path, 1, 1), Location(other.path, 1, 1)
            message = (f"has the same text as {other.path}; keep one, and list the other's address "
                       "under the kept note's aliases")
            repeats.append(Repeat("identical-note", 1.0, (here, there), excerpt(documents[note.url].text),
                                  Finding(note.path, 1, "warning", message)))
    return repeats


class _WordHashes(dict):
    """crc32 of each word, remembered: a corpus uses the same few thousand words again and again."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode()) or 1
        return value


_WORD_HASHES = _WordHashes()


def shingles(content: Sequence[str]) -> set[int]:
    """The passage's 3-word shingles of content words, hashed.

    Words are hashed with crc32, not hash(), whose value for strings changes from run to run;
    hash() of a tuple of integers does not, so the same notes give the same candidates every time.
    """
    words = list(map(_WORD_HASHES.__getitem__, content))
    return set(map(hash, zip(words, words[1:], words[2:])))


class _Corpus:
    """How many notes hold each content word and each sampled shingle: what makes a passage count.

    A word or shingle found in many notes is the corpus's template or common phrasing
    and weighs little; a rare one (a name, a claim) weighs a lot. Each passage keeps
    only its SAMPLE smallest shingle hashes (a min-hash sample: near-identical passages
    share most of theirs), so the counts stay small whatever the corpus.
    """

    def __init__(self, passages: Sequence[Passage],
                 per_note: Sequence[tuple[str, frozenset[str], frozenset[int]]] | None = None) -> None:
        """`per_note`, when the caller has it: (URL, content words, sampled shingles) of each note
        with passages, in the passages' order (and each passage then carries its sample)."""
        self.sample: dict[int, Sequence[int]] = {}
        self.word_notes: Counter[str] = Counter()
        self.shingle_notes: Counter[int] = Counter()
        self.notes = 0
        if per_note is not None:
            for passage in passages:
                self.sample[id(passage)] = passage.sample
            for _, of_note in groupby(per_note, key=lambda entry: entry[0]):
                words: set[str] = set()
                sampled: set[int] = set()
                for _, note_words, note_sampled in of_note:
                    words.update(note_words)
                    sampled.update(note_sampled)
                self.word_notes.update(words)
                self.shingle_notes.update(sampled)
                self.notes += 1
            return
        for _, of_note in groupby(passages, key=lambda p: p.note.url):  # a note's passages come together
            words = set()
            sampled = set()
            for passage in of_note:
                sample = self.sample[id(passage)] = sorted(shingles(passage.content))[:SAMPLE]
                words.update(passage.content)
                sampled.update(sample)
            self.word_notes.update(words)
            self.shingle_notes.update(sampled)
            self.notes += 1

    def boilerplate(self, passage: Passage) -> bool:
        """Whether every sampled shingle is in more than FREQUENT_NOTES notes: common phrasing only."""
        return all(self.shingle_notes[value] > FREQUENT_NOTES for value in self.sample[id(passage)])

    def prints(self, passage: Passage) -> list[int]:
        """The FINGERPRINTS rarest sampled shingles that another note has too (and at most
        FREQUENT_NOTES do): those a near-identical passage elsewhere most likely shares, in the
        smallest buckets."""
        counted = ((self.shingle_notes[value], value) for value in self.sample[id(passage)])
        return [value for _, value in sorted(c for c in counted if 2 <= c[0] <= FREQUENT_NOTES)[:FINGERPRINTS]]

    def weight(self, word: str) -> float:
        """Inverse document frequency: about 0 for a word in every note."""
        return math.log((self.notes + 1) / self.word_notes[word])

    def shared_content(self, a: Passage, b: Passage) -> tuple[float, float]:
        """(weighted share of the two passages' content words they have in common, its weight)."""
        words_a, words_b = set(a.content), set(b.content)
        shared = sum(map(self.weight, words_a & words_b))
        union = shared + sum(map(self.weight, words_a ^ words_b))
        return (shared / union if union else 0.0), shared


def _across_notes(passages: Sequence[Passage],
                  per_note: Sequence[tuple[str, frozenset[str], frozenset[int]]] | None = None
                  ) -> tuple[list[Repeat], dict[str, list[tuple[int, list[str]]]]]:
    """Exact repeats by hash, grouped; near repeats by shared rare fingerprints, confirmed by
    rapidfuzz on the text and by the weight of the content words the two have in common.

    A passage whose sampled shingles are all in more than FREQUENT_NOTES notes is the
    corpus's boilerplate and is not reported. Candidates share at least two rare
    fingerprints (near-identical passages share most of theirs), and a bucket only
    holds passages sharing a rare one, so the scan grows linearly whatever the text.
    """
    corpus = _Corpus(passages, per_note)
    pairs: list[tuple[Passage, Passage, float]] = []
    firsts: dict[str, Passage] = {}
    for passage in passages:
        first = firsts.setdefault(passage.text, passage)
        if first is not passage and first.note is not passage.note and not corpus.boilerplate(first):
            pairs.append((passage, first, 100.0))
    by_print: dict[int, list[Passage]] = defaultdict(list)
    for passage in firsts.values():
        mine = [] if corpus.boilerplate(passage) else corpus.prints(passage)
        best = max(((_near_score(corpus, passage, other), -i, other)
                    for i, other in enumerate(_candidates(passage, mine, by_print))),
                   key=lambda t: t[:2], default=None)
        for value in mine:
            by_print[value].append(passage)
        if best and best[0]:
            pairs.append((passage, best[2], best[0]))
    return _reported(pairs)


def _candidates(passage: Passage, prints: Sequence[int], by_print: Mapping[int, list[Passage]]) -> list[Passage]:
    """Earlier passages of other notes sharing at least two of the passage's fingerprints (one if
    it has only one): a chance match of a single common-ish shingle is not worth comparing."""
    shared: Counter[int] = Counter()
    found: dict[int, Passage] = {}
    for value in prints:
        for other in by_print.get(value, ()):
            if other.note is not passage.note:
                shared[id(other)] += 1
                found[id(other)] = other
    needed = min(2, len(prints))
    return [other for key, other in found.items() if shared[key] >= needed]


def _near_score(corpus: _Corpus, a: Passage, b: Passage) -> float:
    """rapidfuzz's ratio of the two texts, or 0 when they are not the same passage: too different,
    or alike only in what many notes say (a template around other names)."""
    score = fuzz.ratio(a.text, b.text, score_cutoff=NEAR_RATIO)
    if not score:
        return 0.0
    share, weight = corpus.shared_content(a, b)
    return score if share >= NEAR_CONTENT and weight >= MIN_SHARED_WEIGHT else 0.0


def _reported(pairs: Sequence[tuple[Passage, Passage, float]]
              ) -> tuple[list[Repeat], dict[str, list[tuple[int, list[str]]]]]:
    """A finding for each pair (the later passage against the other), and the "Also in" links both ways."""
    also_in: dict[str, dict[int, list[str]]] = defaultdict(dict)
    repeats = []
    for here, there, score in pairs:
        kind = "exact" if score >= 100.0 else "near"
        verb = ("also appears", "also appear") if kind == "exact" else ("nearly repeats", "nearly repeat")
        message = (f"{here.location.lines} {_verb(here.location, *verb)} {there.location} "
                   f"(similarity {score / 100:.2f})")
        repeats.append(Repeat(kind, score / 100, (here.location, there.location), excerpt(here.block.text),
                              Finding(here.note.path, here.location.start_line, "info", message)))
        for a, b in ((here, there), (there, here)):
            also_in[a.note.url].setdefault(a.block.end, [])
            if b.note.url not in also_in[a.note.url][a.block.end]:
                also_in[a.note.url][a.block.end].append(b.note.url)
    return repeats, {url: sorted(ends.items()) for url, ends in also_in.items()}


ALSO_IN_CLASS = "caucus-also-in"


def annotate(body: str, also_in: Sequence[tuple[int, Sequence[str]]], from_src_uri: str,
             notes_by_url: Mapping[str, Note]) -> str:
    """After each passage found in other notes, a line linking at most ALSO_IN_LINKS of them:
    "This passage also appears in …" (`check` and `dedup` list them all). It is the site's words,
    not the author's: a paragraph whose text is in a `caucus-also-in` span (Markdown links inside
    an inline HTML element, which every engine reads), styled apart."""
    if not also_in:
        return body
    lines = body.split("\n")
    for end, urls in sorted(also_in, reverse=True):
        notes = [notes_by_url[u] for u in urls if u in notes_by_url]
        links = ", ".join(f"[{n.label}]({relative_to(n.src_uri, from_src_uri)})" for n in notes[:ALSO_IN_LINKS])
        more = len(notes) - ALSO_IN_LINKS
        if more > 0:
            links += f" and {more} other note{'s' if more > 1 else ''}"
        lines[end:end] = ["", f'<span class="{ALSO_IN_CLASS}">This passage also appears in {links}.</span>', ""]
    return "\n".join(lines)
