"""How long a member waits to see an edit in the live preview: from the save to the served page.

The preview is started with the MkDocs command `make serve` runs (SERVE_ARGS) on
a synthetic site of 1,000 notes. After its first build, three edits are saved
one after another, each a sentence a member adds to a note in the middle of the
corpus; the last one cites another note ("As Strategy Note K argued, …"), so
that the cited note's page changes too (it gains a backlink). After each save
the note's page is fetched over HTTP every POLL seconds until it shows the new
sentence (and, for the citation, until the cited note's page shows the link
back): the latency is from just before the write to the first response that
has it, which includes noticing the change, the rebuild and serving the page.

The preview's log gives the rest: MkDocs' "Documentation built in N seconds"
and the plugin's "caucus: N notes (M read from disk), generated in X s" for
each rebuild.

    python -m benchmarks.preview        # prints the table (about a minute)
    python -m benchmarks.preview 300    # a small trial
"""

from __future__ import annotations

import math
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.site_build import ENV, MKDOCS, BenchmarkFailed, markdown_table, row
from benchmarks.site_corpus import write_site

# The MkDocs command `make serve` runs (see the Makefile), with the address filled in; keep the two alike.
SERVE_ARGS = ("serve", "--dirty", "--dev-addr", "{address}")
NOTES = 1000
TIMEOUT = 180  # seconds for the first build, or an edit to show, before the benchmark gives up
POLL = 0.02  # seconds between two requests for the edited page
CITED_WAIT = 30  # seconds the cited note's page may lag behind the edited one before it counts as not updated
SETTLE = 1.0  # seconds of quiet before each edit, so that one rebuild does not run into the next edit
LATENCY_TARGET = 1.0
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
GENERATED = re.compile(r"caucus: \d+ notes \((\d+) read from disk\), generated in ([\d.]+) s")


@dataclass(frozen=True)
class Edit:
    """A sentence added to note `number`; with `cites`, it cites that note, whose page then links back."""

    number: int
    cites: int | None = None

    def sentence(self, marker: str) -> str:
        said = f"the stewards should meet again before the vote ({marker})."
        return f"As Strategy Note {self.cites} argued, {said}" if self.cites else f"We agreed that {said}"


@dataclass(frozen=True)
class Shown:
    """One edit as the reader saw it, and the rebuild that made it, from the log."""

    edit: Edit
    page: float  # seconds from just before the write to the first response of the note's page that shows it
    cited: float | None  # the same for the cited note's page showing the link back; inf if it never did
    built: float  # MkDocs' "Documentation built in"
    generated: float  # the plugin's own share
    read: int  # notes the plugin read again from disk

    @property
    def seconds(self) -> float:
        """Until every page the edit changes shows it (a cited page never updated is reported apart)."""
        return max(self.page, self.cited) if self.cited is not None and math.isfinite(self.cited) else self.page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_command(address: str) -> list[str]:
    return [MKDOCS, *(arg.format(address=address) for arg in SERVE_ARGS)]


def wait_for(log: Path, pattern: re.Pattern[str], count: int) -> list[re.Match[str]]:
    """The first `count` matches in the log, waiting for them as the server writes it."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        matches = list(pattern.finditer(log.read_text(encoding="utf-8", errors="replace")))
        if len(matches) >= count:
            return matches[:count]
        time.sleep(0.1)
    raise BenchmarkFailed(f"no {pattern.pattern!r} in the preview's log after {TIMEOUT} s:\n{log.read_text()[-3000:]}")


def count(log: Path, pattern: re.Pattern[str]) -> int:
    return len(pattern.findall(log.read_text(encoding="utf-8", errors="replace")))


def fetch(url: str) -> str:
    """The page as served, or "" while the server does not answer with it."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def poll_until(url: str, text: str, deadline: float) -> bool:
    """Whether the page showed `text` before the deadline, fetching it every POLL seconds."""
    while text not in fetch(url):
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


def note_file(root: Path, number: int) -> Path:
    return next((root / "notes").glob(f"{number:04d}-*.md"))


def backlink(number: int) -> str:
    """How another note's page links to note `number` (pages are at /notes/<number>/)."""
    return f'href="../{number}/"'


def show_edit(root: Path, base: str, log: Path, edit: Edit, marker: str) -> Shown:
    """Save the edit, then poll the served pages until they show it; read the rebuild's figures from the log."""
    url = f"{base}/notes/{edit.number}/"
    cited_url = f"{base}/notes/{edit.cites}/" if edit.cites else None
    if cited_url and backlink(edit.number) in fetch(cited_url):
        raise BenchmarkFailed(f"note {edit.cites}'s page links to note {edit.number} already: choose another")
    builds, generations = count(log, BUILT), count(log, GENERATED)
    source = note_file(root, edit.number)
    text = source.read_text(encoding="utf-8")
    start = time.perf_counter()
    source.write_text(f"{text.rstrip()}\n\n{edit.sentence(marker)}\n", encoding="utf-8")  # one save, as an editor does
    if not poll_until(url, marker, time.monotonic() + TIMEOUT):
        raise BenchmarkFailed(f"{url} did not show the edit within {TIMEOUT} s:\n{log.read_text()[-3000:]}")
    page, cited = time.perf_counter() - start, None
    if cited_url:  # a stale page is a finding, not a reason to stop `make bench`
        shown = poll_until(cited_url, backlink(edit.number), time.monotonic() + CITED_WAIT)
        cited = time.perf_counter() - start if shown else math.inf
    built = wait_for(log, BUILT, builds + 1)[builds]
    generated = wait_for(log, GENERATED, generations + 1)[generations]
    return Shown(edit, page, cited, float(built.group(1)), float(generated.group(2)), int(generated.group(1)))


def edits(notes: int) -> list[Edit]:
    """Two sentences added to a note in the middle of the corpus, then one citing a note of the first quarter."""
    middle = notes // 2
    return [Edit(middle), Edit(middle), Edit(middle + 1, cites=notes // 4)]


def preview_edits(root: Path, notes: int) -> tuple[float, list[Shown]]:
    """(the first build's seconds, each edit as shown) with the preview running on the site in `root`."""
    log = root.parent / "serve.log"
    address = f"127.0.0.1:{free_port()}"
    base = f"http://{address}"
    shown = []
    with log.open("w") as out:
        server = subprocess.Popen(serve_command(address), cwd=root, env={**os.environ, **ENV},
                                  stdout=out, stderr=subprocess.STDOUT)
        try:
            first = float(wait_for(log, BUILT, 1)[0].group(1))
            if not poll_until(f"{base}/notes/{notes // 2}/", "</html>", time.monotonic() + TIMEOUT):
                raise BenchmarkFailed(f"the preview serves no /notes/{notes // 2}/:\n{log.read_text()[-3000:]}")
            for k, edit in enumerate(edits(notes), start=1):
                time.sleep(SETTLE)
                shown.append(show_edit(root, base, log, edit, marker=f"previewedit{k}x{os.getpid()}"))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return first, shown


def run(notes: int = NOTES) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="caucus-preview-") as tmp:
        first, shown = preview_edits(write_site(Path(tmp, "site"), notes), notes)
    seconds = [s.seconds for s in shown]
    median = statistics.median(seconds)
    each = ", ".join(f"{s:.2f}" for s in seconds)
    citing = next(s for s in shown if s.edit.cites)
    stale = [] if math.isfinite(citing.cited) else [
        f"Strategy Note {citing.edit.cites}'s page did not show the link back within {CITED_WAIT} s"]
    return [
        row(f"live preview (`mkdocs {' '.join(SERVE_ARGS).format(address='…')}`, as `make serve`) at {notes:,} notes: "
            f"from saving one added sentence to the served note page showing it ({len(shown)} edits in turn; "
            f"the last cites Strategy Note {citing.edit.cites}, whose page must show the link back too)",
            "; ".join([f"median {median:.2f} s, max {max(seconds):.2f} s ({each} s)", *stale]),
            f"median ≤ {LATENCY_TARGET:g} s", median <= LATENCY_TARGET and not stale),
        row("  … the citing edit: its own page, then the cited note's page",
            f"{citing.page:.2f} s, then {citing.cited:.2f} s"),
        row("  … MkDocs' rebuild after each edit (its log's \"Documentation built in\"; first build)",
            f"{', '.join(f'{s.built:.2f}' for s in shown)} s (first build {first:.1f} s)"),
        row("  … of which the generator (its log line; notes read again from disk, the rest is kept between "
            "rebuilds)",
            f"{', '.join(f'{s.generated:.2f}' for s in shown)} s "
            f"({', '.join(str(s.read) for s in shown)} notes read again)"),
    ]


if __name__ == "__main__":  # a size may be given for a trial: python -m benchmarks.preview 300
    print(markdown_table(run(int(sys.argv[1]) if len(sys.argv) > 1 else NOTES)))
