"""De-duplication of repeated note content (placeholder: passes notes through unchanged).

Interface used by the pipeline:
  dedupe_corpus(corpus, settings) -> Dedup
    Dedup.bodies: url -> the note's body with in-note repeats left out
    Dedup.also_in: url -> [(end_line, [other note urls])], 0-based lines of the
                   cleaned body after which an "also in Strategy Note N" link goes
    Dedup.findings
  annotate(body, also_in, from_src_uri, notes_by_url) -> body with the "also in" links
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Corpus, Finding, Note, Settings


@dataclass(frozen=True)
class Dedup:
    bodies: dict[str, str]
    also_in: dict[str, list[tuple[int, list[str]]]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()


def dedupe_corpus(corpus: Corpus, settings: Settings) -> Dedup:
    return Dedup(bodies={note.url: note.body for note in corpus.notes})


def annotate(body: str, also_in: list[tuple[int, list[str]]], from_src_uri: str,
             notes_by_url: dict[str, Note]) -> str:
    return body
