"""An import as a caucus's first day: one archive page of many notes, in the archive's own format.

`python -m benchmarks.import_trial [--notes N]` composes a web page of N notes (default 24), each
headed "date, Strategy Note N:" with its title on the next line and citing earlier notes, with a
page's chrome around them (navigation, scripts, a tracking pixel, a footer); imports it into a copy
of the site, then runs `check --strict` and a strict build, and prints what was written and the
time each step took.
"""

from __future__ import annotations

import argparse
import datetime
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus_trial import copy_site

TOPICS = ["rank-and-file caucuses", "tenant unions", "reading groups", "union democracy", "dues",
          "shop-floor committees", "strike funds", "elections of officers", "solidarity across shifts",
          "newcomers and oldtimers", "campaigns", "one-on-one conversations"]


def archive_page(count: int, seed: int = 7) -> str:
    """An archive page of `count` notes, one a week from 7 May 2019."""
    rng = random.Random(seed)
    start = datetime.date(2019, 5, 7)
    parts = ["<!doctype html><html><head><title>Strategy Notes</title><script>track()</script>"
             "<style>p{margin:0}</style></head><body><nav><a href='/'>Home</a></nav><main>"]
    for number in range(1, count + 1):
        day = start + datetime.timedelta(weeks=number - 1)
        topic = TOPICS[(number - 1) % len(TOPICS)]
        cited = sorted(rng.sample(range(1, number), min(2, number - 1))) if number > 1 else []
        citing = (f"<p>As Strategy Note {cited[0]} argued, {topic} matter"
                  + (f", and Strategy Notes {' and '.join(map(str, cited[1:]))} show how.</p>" if cited[1:] else ".</p>")
                  if cited else "<p>This is where the series starts.</p>")
        parts.append(f"<p><strong>{day:%B} {day.day}, {day.year}, Strategy Note {number}:</strong></p>"
                     f"<h2>On {topic} ({number})</h2>{citing}"
                     f"<p>Members of a caucus organize <em>within</em> their union around {topic}.</p>"
                     f"<ul><li>Talk to every member</li><li>Meet every week</li></ul>")
    parts.append("<img src='https://tracker.example/p.gif' width='1' height='1'></main>"
                 "<footer>Subscribe</footer></body></html>")
    return "".join(parts)


def timed(args: list[str], cwd: Path) -> tuple[int, float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    return done.returncode, time.perf_counter() - start, done.stdout + done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_trial")
    parser.add_argument("--notes", type=int, default=24)
    count = parser.parse_args(argv).notes
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as work:
        root = Path(work) / "site"
        copy_site(root)
        (root / "notes").mkdir(exist_ok=True)
        page = Path(work) / "archive.html"
        page.write_text(archive_page(count), encoding="utf-8")
        rows = []
        for name, args in (("import", [str(bin_dir / "caucus-site"), "import", str(page)]),
                           ("import again", [str(bin_dir / "caucus-site"), "import", str(page)]),
                           ("check --strict", [str(bin_dir / "caucus-site"), "check", "--strict"]),
                           ("mkdocs build --strict", [str(bin_dir / "mkdocs"), "build", "--strict", "-q"])):
            code, seconds, output = timed(args, root)
            rows.append((name, code, seconds, output))
        written = sorted(p.name for p in (root / "notes").glob("*.md"))
        print(f"archive page: {count} notes, {page.stat().st_size:,} bytes")
        for name, code, seconds, output in rows:
            print(f"  {name:<24} exit {code}  {seconds:5.2f} s  {output.strip().splitlines()[-1] if output.strip() else ''}")
        print(f"  files in notes/: {len(written)}, first {written[0]}, last {written[-1]}")
        print((root / "notes" / written[1]).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
