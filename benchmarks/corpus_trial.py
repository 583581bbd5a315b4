"""How the generator treats text written by others: one table of figures for a folder of notes.

The repository's site (mkdocs.yml, docs/, overrides/) is copied into a
temporary folder with CORPUS_DIR's files as its notes/, and the copy is
checked, de-duplicated, built (`mkdocs build --strict`) and fixed
(`caucus-site dedup --fix`, on a further copy). Nothing is written into the
repository or into CORPUS_DIR. A command that fails is a row of the table,
never a traceback.

    python -m benchmarks.corpus_trial CORPUS_DIR [--citation-words RFC RFCs] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the project's .venv/bin when run with .venv/bin/python
MKDOCS = str(BIN / "mkdocs")
CAUCUS_SITE = str(BIN / "caucus-site")
ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "0"}
SITE_PARTS = ("mkdocs.yml", "docs", "overrides")
TIMEOUT = 900  # seconds, for any one command
try:
    import lxml  # noqa: F401  (only to choose the faster parser)
    PARSER = "lxml"
except ImportError:
    PARSER = "html.parser"

_LEADING_NUMBER = re.compile(r"^(\d+)(?:[-_.\s]+|$)")  # as generator/sources.py reads a file name
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_PATH = re.compile(r"[\w./-]+\.md\b")
_RAW_LINK = re.compile(r"\]\([^()\s]*\.md\)")


@dataclass
class Result:
    """One command's outcome: never raises, whatever the command did."""

    args: list[str]
    code: int | None  # None: it could not be run or timed out
    output: str
    seconds: float
    stderr: str = ""

    def failure(self) -> str:
        tail = (self.stderr or self.output).strip().splitlines()[-1:] or [""]
        status = "did not run" if self.code is None else f"exit {self.code}"
        return f"{status}: {shorten(tail[0], 100)}"


def run(args: list[str], cwd: Path, merge: bool = False) -> Result:
    start = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=cwd, env={**os.environ, **ENV}, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge else subprocess.PIPE,
                              timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        return Result(args, None, "", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    return Result(args, done.returncode, done.stdout.decode("utf-8", "replace"), time.perf_counter() - start,
                  (done.stderr or b"").decode("utf-8", "replace"))


def parse_json(result: Result) -> dict | None:
    try:
        data = json.loads(result.output)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def shorten(text: str, width: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def shape(message: str) -> str:
    return shorten(re.sub(r"\d+", "N", message), 110)


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str]] = []

    def section(self, title: str) -> None:
        self.rows.append((f"[{title}]", ""))

    def add(self, figure: str, value: object = "") -> None:
        self.rows.append((f"  {figure}", str(value)))

    def items(self, figure: str, counted: list[tuple[str, int]] | Counter, limit: int) -> None:
        pairs = counted.most_common(limit) if isinstance(counted, Counter) else counted[:limit]
        self.add(figure, "none" if not pairs else "")
        for text, count in pairs:
            self.rows.append(("", f"{count:>5} × {text}"))

    def lines(self, figure: str, texts: list[str]) -> None:
        self.add(figure, "none" if not texts else "")
        for text in texts:
            self.rows.append(("", text))

    def render(self) -> str:
        width = max((len(f) for f, _ in self.rows), default=0)
        width = min(width, 60)
        return "\n".join(f"{f:<{width}}  {v}".rstrip() for f, v in self.rows) + "\n"


# --- the site copy -------------------------------------------------------------------------------

def copy_site(root: Path) -> None:
    """A new folder with the repository's site around no notes: mkdocs.yml, docs/, overrides/."""
    root.mkdir(parents=True)
    for part in SITE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.exists():
            shutil.copy2(source, root / part)


def make_site(root: Path, corpus: Path, citation_words: list[str] | None) -> None:
    copy_site(root)
    shutil.copytree(corpus, root / "notes", ignore=shutil.ignore_patterns(".git"))
    if citation_words:
        config = root / "mkdocs.yml"
        config.write_text(with_citation_words(config.read_text(encoding="utf-8"), citation_words),
                          encoding="utf-8")


def with_citation_words(config: str, words: list[str]) -> str:
    """mkdocs.yml with the caucus plugin's citation_words set, edited as text (it holds !ENV tags)."""
    lines = config.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*caucus:\s*$", line)), None)
    if start is None:
        raise ValueError("mkdocs.yml has no 'caucus:' plugin entry")
    value = "[" + ", ".join(json.dumps(w, ensure_ascii=False) for w in words) + "]"
    indent = None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        this = len(line) - len(line.lstrip())
        if indent is None:
            indent = this
        if this < indent or (this <= len(lines[start]) - len(lines[start].lstrip())):
            break
        if this == indent and line.lstrip().startswith("citation_words:"):
            lines[i] = " " * indent + f"citation_words: {value}"
            return "\n".join(lines)
    indent = indent if indent is not None else len(lines[start]) - len(lines[start].lstrip()) + 4
    lines.insert(start + 1, " " * indent + f"citation_words: {value}")
    return "\n".join(lines)


def configured_words(root: Path) -> str:
    """The citation_words the copy's mkdocs.yml now holds, as the CLI reads them."""
    try:
        from generator.cli import load_settings
        return ", ".join(load_settings(root / "mkdocs.yml").citation_words)
    except Exception as exc:  # a report, not a crash
        return f"cannot read: {shorten(exc, 80)}"


# --- figures -------------------------------------------------------------------------------------

def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def front_matter_title(text: str) -> str | None:
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None
    title = meta.get("title") if isinstance(meta, dict) else None
    return str(title).strip() if title not in (None, "") else None


def file_name_title(path: str) -> str:
    stem = Path(path).stem
    rest = _LEADING_NUMBER.sub("", stem, count=1) if _LEADING_NUMBER.match(stem) else stem
    return rest.replace("-", " ").replace("_", " ").strip() or stem


def title_origin(note: dict, root: Path) -> str:
    title = str(note.get("title") or "")
    source = str(note.get("source") or "")
    text = read_text(root / source)
    if front_matter_title(text) == title:
        return "front matter"
    if title == file_name_title(source):
        return "file name"
    body = _FRONT_MATTER.sub("", text, count=1)
    headings = [h.strip() for h in _HEADING.findall(body)]
    if headings and title in (headings[0], headings[0].replace("`", ""), re.sub(r"[`*]", "", headings[0])):
        return "the first heading"
    return "other (a later heading, or changed)"


def notes_json_rows(table: Table, root: Path) -> list[dict]:
    data = None
    try:
        data = json.loads((root / "site" / "notes.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        table.section("notes (site/notes.json)")
        table.add("site/notes.json", f"cannot be read: {shorten(exc, 80)}")
        return []
    notes = [n for n in (data.get("notes") if isinstance(data, dict) else None) or [] if isinstance(n, dict)]
    table.section("notes and titles (site/notes.json)")
    table.add("notes loaded", len(notes))
    titles = Counter(str(n.get("title")) for n in notes)
    table.add('notes titled "Summary"', titles.get("Summary", 0))
    shared = [(f'"{shorten(t, 60)}"', c) for t, c in titles.most_common() if c > 5]
    table.items("titles shared by more than 5 notes (top 3)", shared, 3)
    origins = Counter(title_origin(n, root) for n in notes)
    for origin in ("front matter", "the first heading", "file name", "other (a later heading, or changed)"):
        table.add(f"titles from {origin}", origins.get(origin, 0))
    table.section("references")
    table.add("references resolved (sum of len(references))",
              sum(len(n.get("references") or []) for n in notes))
    table.add("notes with at least one backlink (referenced_by)", sum(1 for n in notes if n.get("referenced_by")))
    return notes


def json_findings(table: Table, result: Result, command: str) -> list[dict] | None:
    """The findings a command printed as JSON, under a section of its own; None (said in the table) if none."""
    data = parse_json(result)
    table.section(f"caucus-site {command} --format json")
    if data is None or not isinstance(data.get("findings"), list):
        table.add(command, f"no JSON ({result.failure()})")
        return None
    table.add("exit code, wall time", f"{result.code}, {result.seconds:.1f} s")
    return [f for f in data["findings"] if isinstance(f, dict)]


def check_rows(table: Table, result: Result) -> None:
    findings = json_findings(table, result, "check")
    if findings is None:
        return
    by_level = Counter(str(f.get("level")) for f in findings)
    table.add("findings by level", ", ".join(f"{level} {n}" for level, n in by_level.most_common()) or "none")
    table.items("most common message shapes (digits → N)", Counter(shape(str(f.get("message"))) for f in findings), 5)
    table.items("… the same with file paths → PATH",
                Counter(shape(_PATH.sub("PATH", str(f.get("message")))) for f in findings), 5)


def unresolved_rows(table: Table, result: Result) -> None:
    data = parse_json(result)
    if data is None or not isinstance(data.get("findings"), list):
        table.add("unresolved-reference findings (check)", f"no JSON ({result.failure()})")
        return
    unresolved = [f for f in data["findings"] if isinstance(f, dict) and "not on this site" in str(f.get("message"))]
    levels = Counter(str(f.get("level")) for f in unresolved)
    table.add("unresolved-reference findings (check)", f"{len(unresolved)}"
              + (f" ({', '.join(f'{lv} {n}' for lv, n in levels.most_common())})" if unresolved else ""))
    table.lines("  first 5", [shorten(f"{f.get('path')}:{f.get('line')}: {f.get('message')}", 110)
                              for f in unresolved[:5]])


def error_files(result: Result) -> list[str]:
    """The notes with error findings (which stop a build), as paths in the copy."""
    data = parse_json(result)
    if data is None or not isinstance(data.get("findings"), list):
        return []
    return sorted({str(f.get("path")) for f in data["findings"] if isinstance(f, dict) and f.get("level") == "error"
                   and str(f.get("path")).startswith("notes/") and ".." not in str(f.get("path"))})


def dedup_rows(table: Table, result: Result) -> None:
    findings = json_findings(table, result, "dedup")
    if findings is None:
        return
    kinds = Counter(str(r.get("kind")) for r in findings)
    for kind in ("in-note-repeat", "in-note-kept", "exact", "near", "identical-note"):
        table.add(f"reports: {kind}", kinds.pop(kind, 0))
    for kind, count in kinds.items():
        table.add(f"reports: {kind} (unexpected kind)", count)


def build_rows(table: Table, result: Result, title: str = "mkdocs build --strict") -> None:
    table.section(title)
    table.add("exit code", result.code if result.code is not None else result.failure())
    table.add("wall time", f"{result.seconds:.1f} s")
    warnings = [line for line in result.output.splitlines() if line.startswith("WARNING")]
    table.add("WARNING lines", len(warnings))
    table.items("most common warning shapes (digits → N)",
                Counter(shape(re.sub(r"^WARNING\s*-?\s*", "", w)) for w in warnings), 10)
    if result.code:
        last = [line for line in result.output.splitlines() if line.strip()][-1:] or [""]
        table.add("last line of output", shorten(last[0], 100))


def visible_text(soup: BeautifulSoup) -> str:
    for tag in soup(["script", "style", "template", "noscript"]):
        tag.decompose()
    return soup.get_text(" ")


ALSO_IN = "caucus-also-in"  # the class of a passage's "also appears in" line


def html_rows(table: Table, root: Path, notes: list[dict]) -> None:
    site = root / "site"
    table.section("built HTML (site/)")
    if not site.is_dir():
        table.add("site/", "not built")
        return
    pages = sorted(site.rglob("*.html"))
    table.add("HTML pages", len(pages))
    also_pages, also_most, also_where = 0, 0, ""
    for page in pages:  # "This passage also appears in …" lines (generator/dedup.py annotate)
        html = read_text(page)
        if ALSO_IN not in html:
            continue
        also_pages += 1
        for block in BeautifulSoup(html, PARSER).select(f"span.{ALSO_IN}"):
            links = len(block.find_all("a"))
            if links > also_most:
                also_most, also_where = links, page.parent.relative_to(site).as_posix() + "/"
    table.add('pages with an "also appears in" line', also_pages)
    table.add('most links in one "also appears in" line', f"{also_most} ({also_where})" if also_where else also_most)
    sources = {str(n.get("url") or "").strip("/"): str(n.get("source") or "") for n in notes}
    note_pages = [site / url / "index.html" for url in sources if url]
    note_pages = [p for p in note_pages if p.is_file()]
    in_code, raw_pages, raw_new, examples = 0, 0, 0, []
    for page in note_pages:
        soup = BeautifulSoup(read_text(page), PARSER)
        in_code += len(soup.select("code a, pre a"))
        found = _RAW_LINK.findall(visible_text(soup))
        if found:
            raw_pages += 1
            source = read_text(root / sources.get(page.parent.relative_to(site).as_posix(), ""))
            made = [m for m in found if m not in source]
            raw_new += bool(made)
            if made and len(examples) < 3:
                examples.append(f"{page.parent.relative_to(site).as_posix()}/: {shorten(made[0], 80)}")
    table.add("note pages parsed", len(note_pages))
    table.add("<a> inside <code> or <pre> in note pages (must be 0)", in_code)
    table.add('note pages whose visible text shows "](….md)"', raw_pages)
    table.add("  of which the markup is not in the note's source", raw_new)
    if examples:
        table.lines("  examples", examples)


def line_count(data: bytes) -> int:
    return len(data.splitlines())


def fix_rows(table: Table, root: Path, result: Result, before: dict[str, bytes]) -> None:
    table.section("caucus-site dedup --fix (on a further copy of notes)")
    data = parse_json(result)
    table.add("exit code, wall time", f"{result.code}, {result.seconds:.1f} s"
              if result.code is not None else result.failure())
    if data is not None and isinstance(data.get("fixed"), list):
        table.add("repeats removed (its JSON 'fixed')", len(data["fixed"]))
    elif result.code != 0:
        table.add("output", result.failure())
    removed, changed, lost, words_lost = 0, 0, [], 0
    for rel, old in sorted(before.items()):
        try:
            new = (root / rel).read_bytes()
        except OSError:
            new = b""
        if new == old:
            continue
        changed += 1
        removed += line_count(old) - line_count(new)
        new_text = new.decode("utf-8", "replace")
        new_lines = {line.rstrip() for line in new_text.splitlines()}
        new_words = " ".join(new_text.split())
        for number, line in enumerate(old.decode("utf-8", "replace").splitlines(), 1):
            if line.strip() and line.rstrip() not in new_lines:
                lost.append(f"{rel}:{number}: {shorten(line.strip(), 70)}")
                words_lost += " ".join(line.split()) not in new_words
    table.add("lines removed (net, old − new, summed over files)", removed)
    table.add("files changed", changed)
    table.add("unique lines lost (in the old file, nowhere in the new)", len(lost))
    table.add("  of which nowhere in the new file, spacing ignored", words_lost)
    table.lines("  first 5", lost[:5])


def note_files(root: Path) -> dict[str, bytes]:
    notes = root / "notes"
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(notes.rglob("*")) if path.is_file()}


# --- main ----------------------------------------------------------------------------------------

def inside(path: Path, folder: Path) -> bool:
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def trial(corpus: Path, citation_words: list[str] | None, work: Path) -> Table:
    table = Table()
    site, fix_site = work / "site-copy", work / "fix-copy"
    table.section("setup")
    table.add("corpus", corpus)
    table.add("files in the corpus (.md / other)",
              f"{sum(1 for p in corpus.rglob('*.md') if p.is_file())} / "
              f"{sum(1 for p in corpus.rglob('*') if p.is_file() and p.suffix != '.md')}")
    try:
        make_site(site, corpus, citation_words)
        make_site(fix_site, corpus, citation_words)
    except (OSError, ValueError, shutil.Error) as exc:
        table.add("copying the site", f"failed: {shorten(exc, 100)}")
        return table
    table.add("citation_words in the copy's mkdocs.yml", configured_words(site))
    before = note_files(fix_site)
    print("checking, de-duplicating and fixing…", file=sys.stderr, flush=True)
    with ThreadPoolExecutor(max_workers=3) as pool:  # short commands; the build below runs alone
        check = pool.submit(run, [CAUCUS_SITE, "check", "--format", "json"], site)
        dedup = pool.submit(run, [CAUCUS_SITE, "dedup", "--format", "json"], site)
        fix = pool.submit(run, [CAUCUS_SITE, "dedup", "--fix", "--format", "json"], fix_site)
        check, dedup, fix = check.result(), dedup.result(), fix.result()
    print("building…", file=sys.stderr, flush=True)
    build = run([MKDOCS, "build", "--strict"], site, merge=True)
    fallback = None
    set_aside = [] if (site / "site").is_dir() else error_files(check)
    if set_aside:
        print(f"building again without {len(set_aside)} file(s) with errors…", file=sys.stderr, flush=True)
        for rel in set_aside:
            target = work / "set-aside" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(site / rel, target)
        fallback = run([MKDOCS, "build", "--strict"], site, merge=True)
    print("reading the built site…", file=sys.stderr, flush=True)
    if fallback:
        table.section("NOTE: the build made no site; the figures from site/ below come from a second build")
        table.lines(f"without the {len(set_aside)} note(s) that have errors", set_aside)
    try:
        notes = notes_json_rows(table, site)
    except Exception as exc:  # a report, not a crash
        table.add("notes.json", f"failed: {type(exc).__name__}: {shorten(exc, 80)}")
        notes = []
    steps = ((unresolved_rows, (table, check)), (check_rows, (table, check)), (dedup_rows, (table, dedup)),
             (build_rows, (table, build)),
             *([(build_rows, (table, fallback, "mkdocs build --strict again, without the files with errors"))]
               if fallback else []),
             (html_rows, (table, site, notes)), (fix_rows, (table, fix_site, fix, before)))
    for step, args in steps:
        try:
            step(*args)
        except Exception as exc:  # a report, not a crash
            table.add(step.__name__, f"failed: {type(exc).__name__}: {shorten(exc, 80)}")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus_trial", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR", help="a folder of notes written by others")
    parser.add_argument("--citation-words", nargs="+", metavar="WORD",
                        help="the caucus plugin's citation_words for the copy, e.g. RFC RFCs")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR (new or empty) and keep the copies there, instead of a temporary folder")
    args = parser.parse_args(argv)
    corpus = args.corpus
    if not corpus.is_dir():
        parser.error(f"{corpus} is not a folder")
    if args.keep is not None:
        if inside(args.keep, REPO) or inside(args.keep, corpus):
            parser.error("--keep must be outside the repository and the corpus")
        if args.keep.exists() and (not args.keep.is_dir() or any(args.keep.iterdir())):
            parser.error(f"{args.keep} is not a new or empty folder")
    start = time.perf_counter()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        table = trial(corpus.resolve(), args.citation_words, args.keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix="caucus-corpus-trial-") as tmp:
            table = trial(corpus.resolve(), args.citation_words, Path(tmp))
    print(table.render(), end="")
    print(f"measured in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
