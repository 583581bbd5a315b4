"""How long the live preview takes to show an edit: `mkdocs serve` on a synthetic site, one note changed.

MkDocs rebuilds the whole site after any change; the plugin keeps every
unchanged note's parsing, de-duplication and references, so its own share of
a rebuild is small. Both figures come from the preview's log: MkDocs'
"Documentation built in N seconds" and the plugin's "generated in N s".

    python -m benchmarks.preview        # prints the table (about half a minute)
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.site_build import ENV, MKDOCS, BenchmarkFailed, markdown_table, row
from benchmarks.site_corpus import write_site

NOTES = 1000
TIMEOUT = 180  # seconds for a build to appear in the log before the benchmark gives up
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")
GENERATED = re.compile(r"caucus: \d+ notes \((\d+) read from disk\), generated in ([\d.]+) s")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(log: Path, pattern: re.Pattern[str], count: int) -> list[re.Match[str]]:
    """The first `count` matches in the log, waiting for them as the server writes it."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        matches = list(pattern.finditer(log.read_text(encoding="utf-8", errors="replace")))
        if len(matches) >= count:
            return matches[:count]
        time.sleep(0.2)
    raise BenchmarkFailed(f"no {pattern.pattern!r} in the preview's log after {TIMEOUT} s:\n{log.read_text()[-3000:]}")


def edit_one_note(root: Path) -> None:
    """A member adds a sentence to one note in the middle of the corpus."""
    note = sorted((root / "notes").glob("*.md"))[NOTES // 2]
    with note.open("a", encoding="utf-8") as fh:
        fh.write("\nOne more sentence, added while the preview runs.\n")


def rebuild_after_one_edit(root: Path) -> tuple[float, float, float, int]:
    """(first build, rebuild, generator's share of the rebuild, notes read again) from the log."""
    log = root / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{free_port()}"], cwd=root,
                                  env={**os.environ, **ENV}, stdout=out, stderr=subprocess.STDOUT)
        try:
            first = wait_for(log, BUILT, 1)[0]
            time.sleep(1)  # let the watcher settle before the edit
            edit_one_note(root)
            rebuilt = wait_for(log, BUILT, 2)[1]
            generated = wait_for(log, GENERATED, 2)[1]
        finally:
            server.terminate()
            server.wait(timeout=30)
    return float(first.group(1)), float(rebuilt.group(1)), float(generated.group(2)), int(generated.group(1))


def run(notes: int = NOTES) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="caucus-preview-") as tmp:
        first, rebuild, generated, read = rebuild_after_one_edit(write_site(Path(tmp, "site"), notes))
    return [
        row(f"`make serve` at {notes:,} notes: rebuild after editing one note (MkDocs' own figure; first build)",
            f"{rebuild:.1f} s (first build {first:.1f} s)"),
        row("  … of which the generator (notes read again from disk; the rest is kept between rebuilds)",
            f"{generated:.2f} s ({read} note read again)"),
    ]


if __name__ == "__main__":
    print(markdown_table(run()))
