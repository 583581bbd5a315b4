"""Hugo building the same synthetic notes: a reference figure from outside MkDocs.

The site build figures compare the generator with Material alone, which says
what the plugin costs but not whether a whole MkDocs build is slow by the
standards of static site generators. Hugo, a compiled generator known for its
speed, builds the same notes here with minimal templates, so the MkDocs figures
can be read against it. It is a reference, not a target: Hugo renders far
smaller pages (no theme, no navigation, no search index) and uses every core.

    python -m benchmarks.hugo_reference
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from benchmarks.site_build import MB, REPEATS, BenchmarkFailed, Run, best_of, markdown_table, row, run_command
from benchmarks.site_corpus import SyntheticNote, synthetic_notes

CONFIG = """\
baseURL = "/"
title = "Benchmark caucus"
languageCode = "en"
disableKinds = ["RSS"]
buildFuture = true
enableGitInfo = false

[taxonomies]
tag = "tags"
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ "/" | relURL }}">Home</a> · <a href="{{ "/notes/" | relURL }}">Notes</a> · <a href="{{ "/tags/" | relURL }}">Tags</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

SINGLE = """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<p>{{ .Summary }}</p>
{{ .Content }}
</article>
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ if not .Date.IsZero }} · {{ .Date.Format "2 January 2006" }}{{ end }}</li>
{{ end }}</ul>
{{ end }}
"""

INSTALL_HINT = "apt-get install hugo"


def front_matter(note: SyntheticNote) -> str:
    """The note's Markdown with the fields a Hugo page reads: title, date, tags, summary."""
    fields = {"title": note.title, "date": note.date, "tags": list(note.tags), "summary": note.summary}
    return f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n\n{note.body}"


def write_hugo_site(root: Path, n: int) -> Path:
    """Write a self-contained Hugo site of n notes into `root`; return root.

    The output matches what the MkDocs build produces where Hugo has an
    equivalent: one page per note rendered from its Markdown by Goldmark, the
    notes list, the home page, a page per tag and the tags index, and
    sitemap.xml. RSS is off because the MkDocs site has no feed; future dates
    are built because the later synthetic notes are dated years ahead, and
    Hugo would otherwise leave them out. No theme or module is used, so the
    build reads only local files.
    """
    layouts = root / "layouts" / "_default"
    notes = root / "content" / "notes"
    layouts.mkdir(parents=True, exist_ok=True)
    notes.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in (("baseof.html", BASEOF), ("single.html", SINGLE), ("list.html", LIST)):
        (layouts / name).write_text(text, encoding="utf-8")
    (notes / "_index.md").write_text("---\ntitle: Notes\n---\n", encoding="utf-8")
    for note in synthetic_notes(n):
        (notes / note.file_name).write_text(front_matter(note), encoding="utf-8")
    return root


def hugo_version() -> str:
    """The version word of `hugo version` (v0.111.3+extended → 0.111.3)."""
    output = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=True).stdout
    return output.split()[1].removeprefix("v").split("+")[0]


def hugo_build(root: Path) -> Run:
    """One build from an empty public/, with the cache inside the site so no run warms the next."""
    shutil.rmtree(root / "public", ignore_errors=True)
    return run_command(["hugo", "--quiet", "--cacheDir", str(root / ".cache")], root)


def check_pages(root: Path, n: int) -> None:
    """A build that quietly skipped notes would look fast; refuse its figures."""
    built = len(list((root / "public" / "notes").glob("*/index.html")))
    if built != n:
        raise BenchmarkFailed(f"hugo built {built} note pages in {root / 'public'}, expected {n}")


def run(sizes=(1000, 3000)) -> list[dict]:
    """Best-of-REPEATS Hugo builds of each size, or one row saying why there are none."""
    if shutil.which("hugo") is None:
        return [row("Hugo outside reference", f"skipped: hugo is not installed ({INSTALL_HINT})")]
    version, rows = hugo_version(), []
    with tempfile.TemporaryDirectory(prefix="caucus-hugo-") as tmp:
        for n in sizes:
            root = write_hugo_site(Path(tmp, f"hugo-{n}"), n)
            best = best_of(REPEATS, lambda: hugo_build(root))
            check_pages(root, n)
            rows.append(row(f"Hugo {version} building the same {n:,} synthetic notes "
                            f"(outside reference; hugo --quiet, best of {REPEATS})",
                            f"{best.seconds:.2f} s, {best.peak_bytes / MB:,.0f} MB peak"))
    return rows


if __name__ == "__main__":
    print(markdown_table(run()))
