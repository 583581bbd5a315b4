"""How fast and how heavy a whole site build is, on synthetic sites of 1,000 and 3,000 notes of both
corpora (benchmarks/site_corpus.py: the varied one, and the small-vocabulary one with boilerplate).

Every build runs `mkdocs build --strict` in a subprocess, as CI does, so the
figures include start-up and everything MkDocs and Material do. At 1,000 notes
three builds of the same notes are compared, best of three, run in turns so
that a slow moment of the machine does not fall on one of them only:

- plain: Material alone building the notes' text as plain pages outside the sidebar;
- floor: Material alone building exactly what the generator hands it (the
  `caucus-site export` of the site: note pages with their backlinks, cites,
  related notes and indexes), the engine's cost of the generator's output;
- generator: the real build. generator / floor is what the plugin itself
  costs; floor / plain is what rendering its extra content costs the engine.

At 3,000 notes the generator and plain builds run once each (in turns), to
keep `make bench` bearable; the rows say so. Growth from 1,000 to 3,000 notes
and `caucus-site check` at 3,000 notes are measured on each corpus too.

    python -m benchmarks.site_build            # prints the table (about ten minutes on 2 cores)
    python -m benchmarks.site_build 200 400    # a small trial of the same figures
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from posixpath import join as url_join, normpath

from bs4 import BeautifulSoup

from benchmarks.site_corpus import KIND_LABELS, KINDS, write_site

BIN = Path(sys.executable).parent  # the project's .venv/bin when run with .venv/bin/python
MKDOCS = str(BIN / "mkdocs")
CAUCUS_SITE = str(BIN / "caucus-site")
ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0"}
REPEATS = 3  # best of three: the least disturbed run is the closest to the code's own cost
LARGE_REPEATS = 1  # the 3,000-note builds run once each: three times would double `make bench`
CHECK_REPEATS = 2
KB = 1024
MB = 1024 * 1024

BUILD_RATIO_TARGET = 1.5  # generator build / plain Material pages with the same text
BUILD_RATIO_STRETCH = 1.15
NOTE_PAGE_TARGET = 60 * KB
CHECK_SECONDS_TARGET = 3.0  # caucus-site check at 3,000 notes, strictly below


class BenchmarkFailed(Exception):
    """A build the figures depend on did not succeed; the message carries its output."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_bytes: int = 0


def run_command(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of one command (with `env` added to the environment).

    `os.wait4` gives the rusage of exactly this child, where RUSAGE_CHILDREN
    would keep the largest of every child waited for so far.
    """
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=cwd, env={**os.environ, **ENV, **(env or {})},
                                   stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            raise BenchmarkFailed(f"{' '.join(args)} failed in {cwd}:\n{output.read().decode()[-3000:]}")
    return Run(seconds, usage.ru_maxrss * KB)  # Linux reports kilobytes


def best_of(repeats: int, measure: Callable[[], Run]) -> Run:
    return min((measure() for _ in range(repeats)), key=lambda run: run.seconds)


def best_in_turns(repeats: int, measures: dict[str, Callable[[], Run]]) -> dict[str, Run]:
    """Best of `repeats` for each measure, run in turns (a, b, c, a, b, c, …)."""
    runs: dict[str, list[Run]] = {name: [] for name in measures}
    for _ in range(repeats):
        for name, measure in measures.items():
            runs[name].append(measure())
    return {name: min(found, key=lambda run: run.seconds) for name, found in runs.items()}


def mkdocs_build(root: Path, kept_pages: bool = False) -> Run:
    """`mkdocs build --strict`; every page rendered anew unless `kept_pages` (the pages the last build
    kept in .cache, see generator/rendered.py)."""
    return run_command([MKDOCS, "build", "--strict"], root, {"CAUCUS_RENDER_CACHE": "on" if kept_pages else "off"})


def warm_build(root: Path) -> Run:
    """A member's next build: one note edited since the last build, the other pages kept in .cache."""
    notes = sorted((root / "notes").glob("*.md"))
    note = notes[len(notes) // 2]
    with note.open("a", encoding="utf-8") as fh:
        fh.write("\nOne more sentence, written between two builds.\n")
    return mkdocs_build(root, kept_pages=True)


def core_build(root: Path) -> Run:
    """The generator alone, in-process: what `on_files` costs before MkDocs renders anything."""
    from generator.cli import load_settings
    from generator.pipeline import build_site

    settings = load_settings(root / "mkdocs.yml")
    start = time.perf_counter()
    site = build_site(settings)
    seconds = time.perf_counter() - start
    if site.errors:
        raise BenchmarkFailed("\n".join(map(str, site.errors)))
    return Run(seconds)


def note_pages(site: Path) -> list[Path]:
    """The built page of every numbered note (site/notes/<N>/index.html)."""
    return [page for page in (site / "notes").glob("*/index.html") if page.parent.name.isdigit()]


def typical_note_page(site: Path) -> Path:
    """The note page of median size, so one odd page does not stand for all of them."""
    pages = sorted(note_pages(site), key=lambda page: page.stat().st_size)
    return pages[len(pages) // 2]


def referenced_files(site: Path, page: Path) -> tuple[list[Path], list[Path]]:
    """What a browser fetches for the page (its stylesheets and scripts, and Material's search
    worker, which starts on page load), then the search index.

    The site's chrome holds the index back until the reader opens search
    (overrides/assets/caucus/search-on-demand.js), so a first visit that does
    not search does not pay for it; benchmarks/search_weight.py checks that in a browser.
    """
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    here = page.parent.relative_to(site).as_posix()
    refs = [link["href"] for link in soup.select('link[rel="stylesheet"][href]')]
    refs += [script["src"] for script in soup.select("script[src]")]
    config = json.loads(soup.select_one("script#__config").string)
    refs += [config["search"]] if config.get("search") else []
    index = [url_join(config["base"], "search/search_index.json")] if config.get("search") else []

    def local(urls: list[str]) -> list[Path]:
        return [site / normpath(url_join(here, url)) for url in urls if "://" not in url]

    return local(refs), local(index)


def transfer(files: list[Path]) -> tuple[int, int]:
    """Bytes as stored, and as sent with gzip (level 6, what web servers use by default)."""
    data = [file.read_bytes() for file in files]
    return sum(map(len, data)), sum(len(gzip.compress(d, compresslevel=6, mtime=0)) for d in data)


def kb(size: float) -> str:
    return f"{size / KB:,.1f} KB"


def row(figure: str, value: str, target: str = "report", ok: bool | None = None) -> dict:
    return {"figure": figure, "value": value, "target": target, "ok": ok}


def export_site(generator_site: Path, target: Path) -> Path:
    """The generator's output as a plain MkDocs site (no plugin), for the floor build."""
    run_command([CAUCUS_SITE, "export", str(target)], generator_site)
    return target


def ratio_target() -> str:
    return f"≤ {BUILD_RATIO_TARGET:g} (stretch {BUILD_RATIO_STRETCH:g})"


def ratio_value(generator: Run, plain: Run) -> str:
    ratio = generator.seconds / plain.seconds
    stretch = "stretch met" if ratio <= BUILD_RATIO_STRETCH else "stretch not met"
    return f"{generator.seconds:.1f} s vs {plain.seconds:.1f} s: ratio {ratio:.2f} ({stretch})"


def times(repeats: int) -> str:
    return f"best of {repeats}, in turns" if repeats > 1 else "one build each, in turns"


def speed_rows(label: str, small: int, core: Run, generator: Run, plain: Run, floor: Run,
               flavoured: Run, warm: Run) -> list[dict]:
    ratio = generator.seconds / plain.seconds
    share = core.seconds / generator.seconds
    return [
        row(f"{label}: build of {small:,} notes, every page rendered anew, generator vs plain Material pages with "
            f"the same text outside the sidebar (mkdocs build --strict, {times(REPEATS)})",
            ratio_value(generator, plain), ratio_target(), ratio <= BUILD_RATIO_TARGET),
        row(f"{label}: the next build of {small:,} notes, one note edited since, with the pages the last build "
            f"kept in .cache (mkdocs build --strict, {times(REPEATS)})",
            ratio_value(warm, plain), ratio_target(), warm.seconds / plain.seconds <= BUILD_RATIO_TARGET),
        row("  the same plain pages read with the Markdown extensions the plugin adds to a site (admonitions, "
            "details, superfences, footnotes, highlights, callouts, math): what the generator adds beyond them",
            f"{flavoured.seconds:.1f} s; generator vs these: ratio {generator.seconds / flavoured.seconds:.2f}"),
        row("  the engine's floor: plain Material building the generator's own output (caucus-site export), "
            "vs the plain pages: what the backlinks, cites, related notes and indexes cost to render",
            f"{floor.seconds:.1f} s: ratio {floor.seconds / plain.seconds:.2f}"),
        row("  generator vs that floor: what the plugin itself adds",
            f"ratio {generator.seconds / floor.seconds:.2f} ({generator.seconds - floor.seconds:+.1f} s)"),
        row(f"  generator core alone at {small:,} notes (build_site in-process, best of {REPEATS})",
            f"{core.seconds:.2f} s = {share:.0%} of the generator build"),
    ]


def growth_rows(label: str, small: int, large: int, generator: Run, plain: Run, larger: Run, larger_plain: Run,
                check: Run) -> list[dict]:
    ratio = larger.seconds / larger_plain.seconds
    growth, limit = larger.seconds / generator.seconds, BUILD_RATIO_TARGET * large / small
    return [
        row(f"{label}: build of {large:,} notes, generator vs plain Material pages "
            f"(mkdocs build --strict, {times(LARGE_REPEATS)})",
            ratio_value(larger, larger_plain), ratio_target(), ratio <= BUILD_RATIO_TARGET),
        row(f"  growth from {small:,} to {large:,} notes (generator build time ratio; {large:,}: "
            f"{times(LARGE_REPEATS)})",
            f"{generator.seconds:.1f} s → {larger.seconds:.1f} s: ratio {growth:.2f} "
            f"(plain pages: {larger_plain.seconds / plain.seconds:.2f})",
            f"≤ {BUILD_RATIO_TARGET:g} × {large / small:g} = {limit:.2f}", growth <= limit),
        row(f"  peak memory of the {large:,}-note build (max RSS of the mkdocs process)",
            f"{larger.peak_bytes / MB:,.0f} MB (plain pages: {larger_plain.peak_bytes / MB:,.0f} MB)"),
        row(f"  caucus-site check on {large:,} notes (wall time, best of {CHECK_REPEATS})", f"{check.seconds:.1f} s",
            f"< {CHECK_SECONDS_TARGET:g} s", check.seconds < CHECK_SECONDS_TARGET),
    ]


def weight_rows(site: Path, notes: int, page_only: bool = False) -> list[dict]:
    """The bytes a reader fetches; with `page_only`, only the note page's own HTML."""
    page = typical_note_page(site)
    size = page.stat().st_size
    largest = max(p.stat().st_size for p in note_pages(site))
    html = row(f"  HTML of one note page at {notes:,} notes (median note page; largest {kb(largest)})",
               kb(size), f"≤ {NOTE_PAGE_TARGET // KB} KB", size <= NOTE_PAGE_TARGET)
    if page_only:
        return [html]
    assets, search = referenced_files(site, page)
    raw, zipped = transfer([page, *assets])
    raw_search, zipped_search = transfer(search)
    index = (site / "search" / "search_index.json").stat().st_size
    return [
        html,
        row(f"  search index bytes per note at {notes:,} notes (search_index.json / notes)",
            f"{kb(index / notes)} ({index / MB:,.1f} MB in all)"),
        row("  first-visit bytes of a note page: HTML + the CSS and JS it references + Material's search worker",
            f"{kb(raw)}; gzip {kb(zipped)}"),
        row("  … plus the search index, fetched when a reader first opens search (search_index.json)",
            f"+{kb(raw_search)}; gzip +{kb(zipped_search)}"),
    ]


def measure_corpus(root: Path, kind: str, small: int, large: int) -> list[dict]:
    """Every build figure of one corpus, in folders under `root`."""
    label = KIND_LABELS[kind]
    generator_site = write_site(root / f"generator-{small}", small, kind=kind)
    plain_site = write_site(root / f"plain-{small}", small, plugin=False, kind=kind)
    flavoured_site = write_site(root / f"flavoured-{small}", small, plugin=False, kind=kind, flavoured=True)
    floor_site = export_site(generator_site, root / f"floor-{small}")
    core = best_of(REPEATS, lambda: core_build(generator_site))
    mkdocs_build(generator_site, kept_pages=True)  # fills .cache for the warm builds
    builds = best_in_turns(REPEATS, {"generator": lambda: mkdocs_build(generator_site),
                                     "warm": lambda: warm_build(generator_site),
                                     "plain": lambda: mkdocs_build(plain_site),
                                     "flavoured": lambda: mkdocs_build(flavoured_site),
                                     "floor": lambda: mkdocs_build(floor_site)})
    larger_site = write_site(root / f"generator-{large}", large, kind=kind)
    larger_plain_site = write_site(root / f"plain-{large}", large, plugin=False, kind=kind)
    larger = best_in_turns(LARGE_REPEATS, {"generator": lambda: mkdocs_build(larger_site),
                                           "plain": lambda: mkdocs_build(larger_plain_site)})
    check = best_of(CHECK_REPEATS, lambda: run_command([CAUCUS_SITE, "check"], larger_site))
    return (speed_rows(label, small, core, builds["generator"], builds["plain"], builds["floor"],
                        builds["flavoured"], builds["warm"])
            + growth_rows(label, small, large, builds["generator"], builds["plain"], larger["generator"],
                          larger["plain"], check)
            + weight_rows(larger_site / "site", large, page_only=kind != KINDS[0]))


def run(sizes=(1000, 3000), kinds=KINDS) -> list[dict]:
    """Measure every figure in one go, corpus by corpus, building in a temporary folder removed after."""
    small, large = sizes[0], sizes[-1]
    rows = []
    with tempfile.TemporaryDirectory(prefix="caucus-benchmark-") as tmp:
        for kind in kinds:
            rows += measure_corpus(Path(tmp, kind), kind, small, large)
            shutil.rmtree(Path(tmp, kind))  # a corpus's sites are not needed once measured
    return rows


def markdown_table(rows: list[dict]) -> str:
    marks = {True: "yes", False: "**no**", None: ""}
    lines = ["| figure | value | target | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {r['figure']} | {r['value']} | {r['target']} | {marks[r['ok']]} |" for r in rows]
    return "\n".join(lines) + "\n\nKB = 1,024 bytes, MB = 1,024 KB.\n"


if __name__ == "__main__":  # sizes may be given for a trial: python -m benchmarks.site_build 200 400
    print(markdown_table(run(tuple(map(int, sys.argv[1:3])) or (1000, 3000))))
