"""Near-duplicate scan across notes: recall, precision and time on planted pairs.

A deterministic corpus of 5,000 notes x 8 paragraphs (~60 words). 3% of the
paragraphs are planted copies of a paragraph of another note: exact, with
white space/punctuation/case changed, or with one to three words changed.
Planted non-duplicates: heavy rewrites (40% of words changed) and paragraphs
quoting one sentence of another. Recall and precision are measured on pairs
of notes' passages, against the planted ground truth.
"""

from __future__ import annotations

import random
import time

from generator.blocks import split_blocks
from generator.dedup import Passage, _across_notes, _passages, comparable
from generator.model import Note

NOTES, PARAGRAPHS, WORDS = 5000, 8, 60
PLANTED_SHARE = 0.03
SEED = 20261123


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def paragraph(rng: random.Random, words: list[str]) -> str:
    chosen = [rng.choice(words) for _ in range(WORDS)]
    sentences = [" ".join(chosen[i:i + 12]).capitalize() + "." for i in range(0, WORDS, 12)]
    return " ".join(sentences)


def small_edit(rng: random.Random, text: str, words: list[str]) -> str:
    kind = rng.choice(["exact", "format", "words"])
    if kind == "exact":
        return text
    if kind == "format":
        text = text.replace(". ", ".\n", 2).upper() if rng.random() < 0.5 else text.replace(".", ";").lower()
        return "  ".join(text.split(" ", 3)) if rng.random() < 0.5 else text
    tokens = text.split()
    for _ in range(rng.randint(1, 3)):
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
    return " ".join(tokens)


def heavy_rewrite(rng: random.Random, text: str, words: list[str]) -> str:
    tokens = text.split()
    for i in rng.sample(range(len(tokens)), int(len(tokens) * 0.4)):
        tokens[i] = rng.choice(words)
    return " ".join(tokens)


def corpus() -> tuple[list[Note], set[frozenset[tuple[int, int]]]]:
    """Notes, and the planted duplicate pairs as {(note, paragraph), (note, paragraph)}."""
    rng = random.Random(SEED)
    words = vocabulary(rng)
    texts = [[paragraph(rng, words) for _ in range(PARAGRAPHS)] for _ in range(NOTES)]
    planted: set[frozenset[tuple[int, int]]] = set()
    slots = rng.sample([(n, p) for n in range(NOTES) for p in range(PARAGRAPHS)],
                       int(NOTES * PARAGRAPHS * PLANTED_SHARE * 1.5))
    duplicates, decoys = slots[: int(len(slots) * 2 / 3)], slots[int(len(slots) * 2 / 3):]
    planted_slots = set(slots)

    def untouched() -> tuple[int, int]:
        """A source paragraph no plant overwrites, so the ground truth stays true."""
        while (spot := (rng.randrange(NOTES), rng.randrange(PARAGRAPHS))) in planted_slots:
            pass
        return spot

    for n, p in duplicates:
        source = untouched()
        if source[0] == n:
            continue
        texts[n][p] = small_edit(rng, texts[source[0]][source[1]], words)
        planted.add(frozenset({(n, p), source}))
    for i, (n, p) in enumerate(decoys):
        source = texts[untouched()[0]][untouched()[1]]
        if i % 2:
            texts[n][p] = heavy_rewrite(rng, source, words)
        else:
            quoted = " ".join(source.split()[12:24])  # one sentence's worth of another paragraph
            texts[n][p] = " ".join(paragraph(rng, words).split()[:48]) + f' "{quoted}"'
    notes = [Note(path=f"notes/{n + 1:04d}.md", slug=str(n + 1), title=f"Note {n + 1}", number=n + 1,
                  body="\n\n".join(texts[n]) + "\n") for n in range(NOTES)]
    return notes, planted


def found_pairs(notes: list[Note]) -> tuple[set[frozenset[tuple[int, int]]], float]:
    start = time.perf_counter()
    passages: list[Passage] = []
    for note in notes:
        blocks = split_blocks(note.body)
        passages += _passages(note, blocks, [comparable(b.text) for b in blocks],
                              range(note.body.count("\n") + 1), 12)
    repeats, _ = _across_notes(passages)
    elapsed = time.perf_counter() - start

    def where(location) -> tuple[int, int]:
        """(note, paragraph) of a reported location: count the paragraphs that start before its line."""
        n = int(location.path[6:10]) - 1
        starts, line = [], 1
        for text in notes[n].body.split("\n\n"):
            starts.append(line)
            line += text.count("\n") + 2
        return n, sum(1 for start in starts if start <= location.start_line) - 1

    return {frozenset(where(loc) for loc in r.locations) for r in repeats}, elapsed


def clusters(pairs) -> dict[tuple[int, int], tuple[int, int]]:
    """Union-find over pairs: passage -> representative of its group of copies."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        a, b = tuple(pair)
        parent[root(a)] = root(b)
    return {x: root(x) for x in list(parent)}


def run() -> list[dict]:
    """Scored by groups of copies: a paragraph pasted into three notes is one group, and the
    scan reporting each copy against the first occurrence finds all of it."""
    notes, planted = corpus()
    found, elapsed = found_pairs(notes)
    truth, seen = clusters(planted), clusters(found)
    true_found = [p for p in found if len({truth.get(x, x) for x in p}) == 1 and all(x in truth for x in p)]
    recall = sum(1 for p in planted if len({seen.get(x, x) for x in p}) == 1 and all(x in seen for x in p)) / len(planted)
    precision = len(true_found) / len(found) if found else 1.0
    return [
        {"figure": f"near-duplicate scan, {NOTES:,} notes × {PARAGRAPHS} paragraphs ({len(planted)} planted pairs)",
         "value": f"{elapsed:.2f} s", "target": "≤ 5 s", "ok": elapsed <= 5},
        {"figure": "  recall on planted pairs", "value": f"{recall:.3f}", "target": "≥ 0.95", "ok": recall >= 0.95},
        {"figure": "  precision on planted pairs", "value": f"{precision:.3f}", "target": "≥ 0.99",
         "ok": precision >= 0.99},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
