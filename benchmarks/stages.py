"""What each stage of the generator costs at 1,000 notes, against the whole build.

Loading, de-duplication and linking are timed in-process (best of three) on
the same synthetic site that site_build.py builds, and set against the wall
time of `mkdocs build` of that site, measured in this run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.site_build import best_of, mkdocs_build, row
from benchmarks.site_corpus import write_site
from generator.cli import load_settings
from generator.dedup import dedupe_corpus, in_note_repeats
from generator.graph import link_corpus
from generator.sources import load_corpus

NOTES = 1000
REPEATS = 3


def best_seconds(work) -> tuple[float, object]:
    results = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        value = work()
        results.append((time.perf_counter() - start, value))
    return min(results, key=lambda r: r[0])


def run(notes: int = NOTES) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="caucus-stages-") as tmp:
        root = write_site(Path(tmp, "site"), notes)
        settings = load_settings(root / "mkdocs.yml")
        load_s, corpus = best_seconds(lambda: load_corpus(settings))
        dedup_s, cleaned = best_seconds(lambda: dedupe_corpus(corpus, settings))
        in_note_s, _ = best_seconds(lambda: [in_note_repeats(n.body, settings.dedup_min_words) for n in corpus.notes])
        link_s, _ = best_seconds(lambda: link_corpus(corpus, cleaned.bodies, settings))
        build = best_of(2, lambda: mkdocs_build(root)).seconds
    share = in_note_s / build
    return [
        row(f"`mkdocs build` of {notes:,} notes (this run)", f"{build:.2f} s"),
        row("  loading notes (front matter, titles)", f"{load_s:.3f} s ({load_s / build:.1%})"),
        row("  in-note de-duplication", f"{in_note_s:.3f} s ({share:.1%})", "≤ 5% of the build", share <= 0.05),
        row("  de-duplication stage in all (in-note, then across notes for the “also in” links)",
            f"{dedup_s:.3f} s ({dedup_s / build:.1%})"),
        row("  reference linking and the graph", f"{link_s:.3f} s ({link_s / build:.1%})"),
    ]
