"""De-duplication: repeated passages inside a note are left out of its page; repeats across
notes are reported and become "also in" cross-links.

Members paste, and a pasted note often holds its text twice. Inside a note, a
section (a heading and what follows it) or a block of substance that repeats
an earlier one, after normalising Unicode (NFC) and white space, is left out
of the page; the first occurrence stays. Short blocks (a refrain, "Yes.") are
never removed on their own, only with a whole repeated section. Source files
are never changed here (`caucus-site dedup --fix` does that, on request).

Across notes nothing is removed. Passages are compared after also folding
case and punctuation: identical ones by hashing; near-identical ones (a few
words changed) by candidates that share one of a few word-shingle
fingerprints, confirmed by rapidfuzz's edit-distance ratio, so no two
unrelated passages are ever compared.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from .blocks import Block, Document, parse, sections, split_blocks
from .memo import Memo, remembered
from .model import Corpus, Finding, Note, Settings
from .pages import relative_to

NEAR_RATIO = 90.0  # rapidfuzz ratio (0–100) at which two passages count as the same text
FINGERPRINTS = 6  # smallest shingle hashes kept per passage
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


def in_note_repeats(body: str, min_words: int, blocks: Sequence[Block] | None = None,
                    keys: Sequence[str] | None = None) -> list[Removal]:
    """Whole repeated sections, then repeated blocks of at least `min_words` words, until none is left.

    Removing a block can make two sections equal, so the passes repeat until
    nothing more repeats; that is what makes de-duplication idempotent.
    `keys` are the blocks' block_key()s, when the caller has them already.
    """
    blocks = split_blocks(body) if blocks is None else blocks
    keys = [block_key(b) for b in blocks] if keys is None else keys
    alive = list(range(len(blocks)))
    removals: list[Removal] = []
    while True:
        found = _repeated_sections(blocks, keys, alive) or _repeated_blocks(blocks, keys, alive, min_words)
        if not found:
            return sorted(removals)
        for removal, indexes in found:
            removals.append(removal)
            alive = [i for i in alive if i not in indexes]


def _repeated_sections(blocks: Sequence[Block], keys: Sequence[str],
                       alive: Sequence[int]) -> list[tuple[Removal, set[int]]]:
    current = [blocks[i] for i in alive]
    seen: dict[tuple[str, ...], tuple[int, int]] = {}
    found: list[tuple[Removal, set[int]]] = []
    gone: set[int] = set()
    for first, end in sections(current):
        if alive[first] in gone:
            continue
        key = tuple(keys[i] for i in alive[first:end])
        if key not in seen:
            seen[key] = (first, end)
            continue
        a, b = seen[key]
        heading = keys[alive[first]].lstrip("#").strip()
        found.append((Removal(current[first].start, current[end - 1].end, current[a].start, current[b - 1].end,
                              heading), set(alive[first:end])))
        gone.update(alive[first:end])
    return found


def _repeated_blocks(blocks: Sequence[Block], keys: Sequence[str], alive: Sequence[int],
                     min_words: int) -> list[tuple[Removal, set[int]]]:
    seen: dict[str, Block] = {}
    found = []
    for i in alive:
        block = blocks[i]
        earlier = seen.setdefault(keys[i], block)
        if earlier is not block and block.words >= min_words and block.kind != "heading":
            found.append((Removal(block.start, block.end, earlier.start, earlier.end), {i}))
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


def without_repeats(body: str, removals: Sequence[Removal]) -> tuple[str, list[int]]:
    """The body without the removed lines, and for each kept line its line in the original body.

    If taking a passage out would join its neighbours into one block (two
    lists around it), an empty HTML comment stands in its place.
    """
    lines = body.split("\n")
    drop = lines_to_drop(lines, removals)
    kept = [i for i in range(len(lines)) if i not in drop]
    text = "\n".join(lines[i] for i in kept)
    if joins_blocks(body, text, removals):
        kept = [i for i in range(len(lines)) if i not in drop or any(r.start == i for r in removals)]
        text = "\n".join(SEPARATOR if any(r.start == i for r in removals) else lines[i] for i in kept)
    if body.endswith("\n") and not text.endswith("\n"):
        text += "\n"
    return text, kept


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
        return f"{self.path}:{self.start_line}-{self.end_line}"


@dataclass(frozen=True)
class Repeat:
    """One repeated passage, for `caucus-site dedup` and its JSON."""

    kind: str  # in-note-repeat, exact, near, identical-note
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


@dataclass(frozen=True)
class Dedup:
    documents: dict[str, Document]  # note URL -> its cleaned body, parsed
    also_in: dict[str, list[tuple[int, list[str]]]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    repeats: tuple[Repeat, ...] = ()
    removals: dict[str, list[Removal]] = field(default_factory=dict)

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


def clean_body(body: str, min_words: int) -> CleanBody:
    """Parse once (twice if there are repeats to take out), normalise each block once."""
    document = parse(body)
    keys = [block_key(b) for b in document.blocks]
    found = in_note_repeats(body, min_words, document.blocks, keys)
    kept: Sequence[int] = range(body.count("\n") + 1)
    if found:
        cleaned, kept = without_repeats(body, found)
        document = parse(cleaned)
        keys = [block_key(b) for b in document.blocks]
    return CleanBody(tuple(found), document, kept, tuple(words_of(key) for key in keys))


def dedupe_corpus(corpus: Corpus, settings: Settings, memo: Memo | None = None) -> Dedup:
    """Clean every note's body, then compare passages across notes.

    The parsed cleaned bodies are passed on to linking, so no stage parses a note again.
    """
    documents: dict[str, Document] = {}
    removals: dict[str, list[Removal]] = {}
    repeats: list[Repeat] = []
    passages: list[Passage] = []
    texts: dict[str, str] = {}
    for note in corpus.notes:
        clean = remembered(memo, ("clean", note.body, settings.dedup_min_words),
                           lambda: clean_body(note.body, settings.dedup_min_words))
        if clean.removals:
            removals[note.url] = list(clean.removals)
            repeats += [_in_note_repeat(note, r) for r in clean.removals]
        documents[note.url] = clean.document
        texts[note.url] = " ".join(t for t in clean.texts if t)
        passages += _passages(note, clean.document.blocks, clean.texts, clean.kept, settings.dedup_min_words)
    repeats += _identical_notes(corpus.notes, texts, documents)
    cross, also_in = _across_notes(passages)
    repeats += cross
    repeats.sort(key=lambda r: r.finding)
    return Dedup(documents=documents, also_in=also_in, findings=tuple(r.finding for r in repeats),
                 repeats=tuple(repeats), removals=removals)


def _file_lines(note: Note, start: int, end: int) -> tuple[int, int]:
    return note.body_line + start, note.body_line + end - 1


def _in_note_repeat(note: Note, removal: Removal) -> Repeat:
    here = Location(note.path, *_file_lines(note, removal.start, removal.end))
    first = Location(note.path, *_file_lines(note, removal.first_start, removal.first_end))
    what = f"the section “{removal.section}”" if removal.section else "a passage"
    message = (f"lines {here.start_line}-{here.end_line} repeat {what} of lines {first.start_line}-{first.end_line} "
               "and are left out of the page (caucus-site dedup --fix removes them from the file)")
    body_lines = note.body.split("\n")[removal.start:removal.end]
    return Repeat("in-note-repeat", 1.0, (here, first), excerpt("\n".join(body_lines)),
                  Finding(note.path, here.start_line, "info", message))


def _passages(note: Note, blocks: Sequence[Block], texts: Sequence[str], kept: Sequence[int],
              min_words: int) -> list[Passage]:
    """The blocks of substance of a cleaned body, located in the source file through `kept`.

    `texts` holds each block's comparable() text.
    """
    found = []
    for block, text in zip(blocks, texts):
        if block.kind in PASSAGE_KINDS and block.words >= min_words:
            start, end = _file_lines(note, kept[block.start], kept[block.end - 1] + 1)
            found.append(Passage(note, block, Location(note.path, start, end), text))
    return found


def _identical_notes(notes: Sequence[Note], texts: Mapping[str, str],
                     documents: Mapping[str, Document]) -> list[Repeat]:
    """Whole notes with the same words (`texts`: each cleaned body's comparable() text, block by block)."""
    first_with: dict[str, Note] = {}
    repeats = []
    for note in notes:
        key = texts[note.url]
        if not key:
            continue
        other = first_with.setdefault(key, note)
        if other is not note:
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


def fingerprint(text: str) -> list[int]:
    """The smallest hashes of the passage's 3-word shingles: near-identical passages share some.

    Words are hashed with crc32, not hash(), whose value for strings changes from run to run;
    hash() of a tuple of integers does not, so the same notes give the same candidates every time.
    """
    words = list(map(_WORD_HASHES.__getitem__, text.split()))
    shingles = set(map(hash, zip(words, words[1:], words[2:])))
    return sorted(shingles or {zlib.crc32(text.encode())})[:FINGERPRINTS]


def _across_notes(passages: Sequence[Passage]) -> tuple[list[Repeat], dict[str, list[tuple[int, list[str]]]]]:
    """Exact repeats by hash, near repeats by shared fingerprints confirmed with rapidfuzz."""
    pairs: list[tuple[Passage, Passage, float]] = []
    firsts: dict[str, Passage] = {}
    for passage in passages:
        first = firsts.setdefault(passage.text, passage)
        if first is not passage and first.note is not passage.note:
            pairs.append((passage, first, 100.0))
    by_print: dict[int, list[Passage]] = defaultdict(list)
    for passage in firsts.values():
        candidates: dict[int, Passage] = {}
        for value in fingerprint(passage.text):
            for other in by_print[value]:
                candidates[id(other)] = other
            by_print[value].append(passage)
        for other in candidates.values():
            if other.note is passage.note:
                continue
            score = fuzz.ratio(passage.text, other.text, score_cutoff=NEAR_RATIO)
            if score:
                pairs.append((passage, other, score))
    also_in: dict[str, dict[int, list[str]]] = defaultdict(dict)
    repeats = []
    for here, there, score in pairs:
        kind = "exact" if score >= 100.0 else "near"
        message = (f"lines {here.location.start_line}-{here.location.end_line} "
                   f"{'also appear' if kind == 'exact' else 'nearly repeat'} {there.location} "
                   f"(similarity {score / 100:.2f})")
        repeats.append(Repeat(kind, score / 100, (here.location, there.location), excerpt(here.block.text),
                              Finding(here.note.path, here.location.start_line, "info", message)))
        for a, b in ((here, there), (there, here)):
            also_in[a.note.url].setdefault(a.block.end, [])
            if b.note.url not in also_in[a.note.url][a.block.end]:
                also_in[a.note.url][a.block.end].append(b.note.url)
    return repeats, {url: sorted(ends.items()) for url, ends in also_in.items()}


def annotate(body: str, also_in: Sequence[tuple[int, Sequence[str]]], from_src_uri: str,
             notes_by_url: Mapping[str, Note]) -> str:
    """After each passage found in other notes, a plain-Markdown line linking them: "Also in …"."""
    if not also_in:
        return body
    lines = body.split("\n")
    for end, urls in sorted(also_in, reverse=True):
        notes = [notes_by_url[u] for u in urls if u in notes_by_url]
        links = ", ".join(f"[{n.label}]({relative_to(n.src_uri, from_src_uri)})" for n in notes)
        lines[end:end] = ["", f"*Also in {links}.*", ""]
    return "\n".join(lines)
