"""Series: notes meant to be read in order ("An introductory overview": notes 1-13), as archives are
organised. A note's front matter may name its series (`series:`, and `series_order:` when its place is
not the order of numbers), and `notes/series.yml` may map each series' title to its notes and summary:

    An introductory overview:
      summary: Where to start.
      notes: [1-13]        # numbers and ranges, in reading order; `An introductory overview: 1-13` says the same

Each series gets a page (`Series.url`). Every problem in the file is a Finding at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .model import Corpus, Finding, Note, Series, Settings
from .sources import SERIES_FILE, _FrontMatterLoader, decode, slugify, yaml_error_line

_RANGE = re.compile(r"(\d+)\s*(?:-|–|—|\.\.)\s*(\d+)")
SERIES_KEYS = ("notes", "summary")
EXAMPLE = "'An introductory overview: {notes: [1-13], summary: Where to start.}'"


@dataclass
class Declared:
    """A series as the series file writes it: its title, summary and note numbers with their lines."""

    title: str
    line: int
    summary: str = ""
    numbers: list[tuple[int, int]] = field(default_factory=list)  # (number, line) in reading order
    ranges: list[tuple[int, int, int]] = field(default_factory=list)  # (first, last, line); -k in numbers is the k-th


def read_series_file(settings: Settings) -> tuple[str, list[Declared], list[Finding]]:
    """The series file's series, or none (with Findings) when it cannot be read."""
    root = Path(settings.root)
    file = root / settings.notes_dir / SERIES_FILE
    rel = file.relative_to(root).as_posix()
    if not file.is_file():
        return rel, [], []
    try:
        text, findings = decode(file.read_bytes(), rel)
    except OSError as exc:
        return rel, [], [Finding(rel, 1, "error", f"cannot be read: {exc.strerror}")]
    if text is None:
        return rel, [], findings
    loader = _FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return rel, [], [Finding(rel, yaml_error_line(exc, text) + 1, "error",
                                 f"is not valid YAML: {exc.problem or exc.context}; check indentation, "
                                 "brackets and quotes")]
    finally:
        loader.dispose()
    if node is None:
        return rel, [], []
    if not isinstance(node, yaml.MappingNode):
        return rel, [], [Finding(rel, node.start_mark.line + 1, "error",
                                 f"must map each series' title to its notes, e.g. {EXAMPLE}")]
    declared = []
    for key, value in node.value:
        series = _declared(rel, key, value, findings)
        if series is not None:
            declared.append(series)
    return rel, declared, findings


def _declared(rel: str, key: yaml.Node, value: yaml.Node, findings: list[Finding]) -> Declared | None:
    line = key.start_mark.line + 1
    title = str(key.value).strip() if isinstance(key, yaml.ScalarNode) else ""
    if not title:
        findings.append(Finding(rel, line, "error", f"a series needs a title as its key, e.g. {EXAMPLE}"))
        return None
    series, notes = Declared(title, line), value
    if isinstance(value, yaml.MappingNode):
        fields = {str(k.value): v for k, v in value.value}
        for name, field_node in fields.items():
            if name not in SERIES_KEYS:
                findings.append(Finding(rel, field_node.start_mark.line + 1, "warning",
                                        f"series '{title}': unknown key '{name}' is ignored (a series has "
                                        "'notes' and 'summary')"))
        summary = fields.get("summary")
        if isinstance(summary, yaml.ScalarNode):
            series.summary = str(summary.value).strip()
        elif summary is not None:
            findings.append(Finding(rel, summary.start_mark.line + 1, "error",
                                    f"series '{title}': 'summary' must be text"))
        notes = fields.get("notes")
        if notes is None:
            findings.append(Finding(rel, line, "error", f"series '{title}' names no notes; add e.g. 'notes: [1-13]'"))
            return None
    items = notes.value if isinstance(notes, yaml.SequenceNode) else [notes]
    for item in items:
        _read_item(rel, series, item, findings)
    return series


def _read_item(rel: str, series: Declared, item: yaml.Node, findings: list[Finding]) -> None:
    """One entry of a series' notes: a number (12) or a range of them (1-13)."""
    line = item.start_mark.line + 1
    text = str(item.value).strip() if isinstance(item, yaml.ScalarNode) else ""
    bounds = _RANGE.fullmatch(text)
    if text.isdigit() and int(text) > 0:
        series.numbers.append((int(text), line))
    elif bounds and 0 < int(bounds[1]) <= int(bounds[2]):
        series.ranges.append((int(bounds[1]), int(bounds[2]), line))
        series.numbers.append((-len(series.ranges), line))  # the range's place among the numbers
    elif bounds:
        findings.append(Finding(rel, line, "error", f"series '{series.title}': '{text}' is not a range of note "
                                                    f"numbers; write the first number first, e.g. '1-13'"))
    else:
        shown = text or yaml.serialize(item).strip()
        findings.append(Finding(rel, line, "error", f"series '{series.title}': '{shown}' is not a note number or a "
                                                    "range of them such as '1-13'"))


def _members(rel: str, declared: Declared, by_number: dict[int, Note], findings: list[Finding]) -> list[Note]:
    """The declared notes in reading order; numbers not on the site are reported (and skipped)."""
    found: list[Note] = []
    for number, line in declared.numbers:
        if number > 0:
            if number in by_number:
                found.append(by_number[number])
            else:
                findings.append(Finding(rel, line, "warning", f"series '{declared.title}' lists note {number}, "
                                                              "which is not on the site; the series page leaves it out"))
            continue
        first, last, line = declared.ranges[-number - 1]
        inside = [n for n in sorted(by_number) if first <= n <= last]
        found.extend(by_number[n] for n in inside)
        missing = last - first + 1 - len(inside)
        if missing:
            absent = [n for n in range(first, min(last, first + 10_000) + 1) if n not in by_number][:10]
            more = ", …" if missing > len(absent) else ""
            findings.append(Finding(rel, line, "info", f"series '{declared.title}': {missing} of notes {first}-{last} "
                                                       f"are not on the site ({', '.join(map(str, absent))}{more})"))
    return list(dict.fromkeys(found))


def collect_series(settings: Settings, notes: tuple[Note, ...]) -> tuple[tuple[Series, ...], list[Finding]]:
    """Every series of the series file and of the notes' front matter, each with its notes in order and
    a page address no note has."""
    rel, declared, findings = read_series_file(settings)
    by_number = {note.number: note for note in notes if note.number is not None}
    groups: dict[str, tuple[str, str, int, str, list[Note]]] = {}  # folded title -> title, path, line, summary, notes
    for series in declared:
        members = _members(rel, series, by_number, findings)
        key = series.title.casefold()
        if key in groups:
            findings.append(Finding(rel, series.line, "warning", f"series '{series.title}' is declared twice; "
                                                                 "its notes are read as one series"))
            groups[key][4].extend(members)
        else:
            groups[key] = (series.title, rel, series.line, series.summary, members)
    named = sorted((n for n in notes if n.series), key=lambda n: (n.series_order is None, n.series_order or 0, n.sort_key))
    for note in named:
        groups.setdefault(note.series.casefold(), (note.series, note.path, 1, "", []))[4].append(note)
    return _addressed(groups, notes, findings), findings


def _addressed(groups: dict, notes: tuple[Note, ...], findings: list[Finding]) -> tuple[Series, ...]:
    """One Series per group with notes, each at `notes/series/<slug>/`; a note already there keeps its
    address and the series page moves (and says so)."""
    taken = {note.url for note in notes}
    made = []
    for title, path, line, summary, members in groups.values():
        members = list(dict.fromkeys(members))
        if not members:
            findings.append(Finding(path, line, "warning", f"series '{title}' has no note on the site; no page is made"))
            continue
        base = slugify(title)
        slug = next(s for s in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3)))
                    if f"notes/series/{s}/" not in taken)
        if slug != base and f"notes/series/{base}/" in {note.url for note in notes}:
            findings.append(Finding(path, line, "info", f"series '{title}' is published at notes/series/{slug}/ "
                                                        f"because a note has notes/series/{base}/"))
        taken.add(f"notes/series/{slug}/")
        made.append(Series(title, slug, tuple(note.url for note in members), summary, path, line))
    return tuple(made)


def with_series(corpus: Corpus, settings: Settings) -> Corpus:
    series, findings = collect_series(settings, corpus.notes)
    return replace(corpus, series=series, findings=corpus.findings + tuple(findings))
