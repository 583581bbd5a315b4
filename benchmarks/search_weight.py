"""What a reader downloads to search the site: Material's whole-index search against Pagefind's fragments.

Material's search worker fetches the whole `search/search_index.json` as soon
as any page loads, so every first visit would pay for every note; the site's
chrome holds that request back until a reader opens search. Pagefind splits
its index into chunks and fetches only those a query needs. Both are measured
in Chromium on the same synthetic site, served from 127.0.0.1 with the
headers its `_headers` declares and without compression: each figure gives
the bytes as sent and what gzip (level 6) would make of each response body.

    python -m benchmarks.search_weight [notes]     # 3,000 notes unless told
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.site_build import (KB, MB, MKDOCS, BenchmarkFailed, Run, markdown_table, row, run_command,
                                   typical_note_page)
from benchmarks.site_corpus import write_site

TESTS = Path(__file__).resolve().parent.parent / "tests"
QUERY = "union strike"
RESULTS = 5
WAIT_MS = 120_000
PAGEFIND = [sys.executable, "-m", "pagefind"]
PAGEFIND_OPTIONS = ["--root-selector", "article", "--exclude-selectors", ".headerlink", "--quiet"]
PROBE = "pagefind-probe/index.html"
CSP = "Content-Security-Policy"
PAGEFIND_SEARCH = """async ([query, count]) => {
    const pagefind = await import("/pagefind/pagefind.js");
    await pagefind.init();
    const search = await pagefind.search(query);
    await Promise.all(search.results.slice(0, count).map(result => result.data()));
    return search.results.length;
}"""


def size(n: int) -> str:
    """KB for a page, MB for an index: each figure readable at a glance."""
    return f"{n / MB:,.2f} MB" if n >= MB else f"{n / KB:,.1f} KB"


@dataclass
class Traffic:
    """Response bodies a browser received: bytes as sent uncompressed, and as gzip would send them."""

    paths: list[str] = field(default_factory=list)
    raw: int = 0
    zipped: int = 0

    def add(self, url: str, body: bytes) -> None:
        self.paths.append(url.split("/", 3)[-1])
        self.raw += len(body)
        self.zipped += len(gzip.compress(body, 6, mtime=0))

    def __str__(self) -> str:
        return f"{size(self.raw)} ({size(self.zipped)} gzip) in {len(self.paths)} files"


def traffic(responses: list, keep=lambda url: True) -> Traffic:
    """Sum what the browser received, read after the fact so no body is fetched twice."""
    total = Traffic()
    for response in responses:
        if keep(response.url):
            total.add(response.url, response.body())
    return total


def recorded_tab(browser) -> tuple:
    """A fresh context (empty cache, as on a first visit) that records every response, workers' too."""
    context, responses = browser.new_context(), []
    context.on("response", lambda response: responses.append(response))
    return context, context.new_page(), responses


def chromium_missing() -> str | None:
    """Why the browser figures cannot be measured here, if they cannot."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    try:
        from browser import CHROMIUM
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed"
    return None if CHROMIUM.is_file() else f"no Chromium at {CHROMIUM}"


def pagefind_missing() -> str | None:
    """Why Pagefind cannot index here, if it cannot: the package or its binary is absent."""
    found = subprocess.run([*PAGEFIND, "--version"], capture_output=True, text=True)
    return None if found.returncode == 0 else f"`python -m pagefind` failed: {found.stderr.strip()[-200:]}"


def handler(site: Path, wasm: bool) -> type:
    """The site with its declared headers; with `wasm`, the policy also lets WebAssembly compile,
    which Pagefind's search needs and the declared policy does not allow."""
    from browser import static_site

    class Site(static_site(site)):
        def send_header(self, name: str, value: str) -> None:
            if wasm and name == CSP:
                value = value.replace("script-src ", "script-src 'wasm-unsafe-eval' ", 1)
            super().send_header(name, value)

    return Site


def material_rows(browser, base: str, page_url: str, notes: int) -> list[dict]:
    """Open one note page and read it, then open Material's search and type a query.

    The site's chrome holds the index back until the search box is focused
    (overrides/assets/caucus/search-on-demand.js), so the first visit should
    fetch no index; the log says whether it did.
    """
    context, tab, responses = recorded_tab(browser)
    tab.goto(base + page_url)
    tab.wait_for_load_state("networkidle")
    loaded = len(responses)
    visit = traffic(responses)
    fetched = any(url.endswith("search_index.json") for url in visit.paths)
    tab.click(".md-search__input")
    tab.locator(".md-search__input").press_sequentially(QUERY)
    tab.wait_for_selector(".md-search-result__item", timeout=WAIT_MS)
    tab.wait_for_load_state("networkidle")
    found = tab.locator(".md-search-result__meta").inner_text()
    search = traffic(responses[loaded:])
    context.close()
    return [
        row(f"Material search at {notes:,} notes: first visit of a note page (page + CSS/JS + search worker)",
            f"{visit}; " + ("the search index was fetched too" if fetched else "no search index fetched")),
        row(f"Material search at {notes:,} notes: first search ('{QUERY}' typed; the index is fetched "
            "when the search box is focused)", f"+{search}; results: {found}"),
    ]


def pagefind_search(browser, base: str) -> tuple[Traffic, int]:
    """Load Pagefind's JS API on an empty page of the site, search, and read the first results."""
    context, tab, responses = recorded_tab(browser)
    try:
        tab.goto(base + PROBE)
        count = tab.evaluate(PAGEFIND_SEARCH, [QUERY, RESULTS])
        tab.wait_for_load_state("networkidle")
        return traffic(responses, lambda url: "/pagefind/" in url), count
    finally:
        context.close()


def pagefind_rows(browser, site: Path, notes: int) -> list[dict]:
    """Pagefind's first search, and whether the site's own policy lets it run at all."""
    from browser import serving
    from playwright.sync_api import Error

    (site / PROBE).parent.mkdir(exist_ok=True)
    (site / PROBE).write_text("<!doctype html><title>Pagefind probe</title>", encoding="utf-8")
    with serving(handler(site, wasm=False)) as base:
        try:
            pagefind_search(browser, base)
            policy = "runs under it as declared"
        except Error as error:
            policy = ("blocked: its WebAssembly may not compile without 'wasm-unsafe-eval' in script-src"
                      if "WebAssembly" in str(error) else f"fails: {str(error)[:200]}")
    with serving(handler(site, wasm=True)) as base:
        search, count = pagefind_search(browser, base)
    return [
        row(f"Pagefind at {notes:,} notes: first search ('{QUERY}', {RESULTS} results' data)",
            f"{search}; {count} matching pages"),
        row("Pagefind under the site's declared Content-Security-Policy (_headers)", policy),
    ]


def index_row(site: Path, indexed: Run) -> dict:
    """Everything Pagefind writes must be published, so the whole folder counts."""
    files = [file for file in (site / "pagefind").rglob("*") if file.is_file()]
    return row("Pagefind index: size on disk, indexing time (`python -m pagefind --site site "
               f"{' '.join(PAGEFIND_OPTIONS[:4])}`)",
               f"{size(sum(f.stat().st_size for f in files))} in {len(files)} files; {indexed.seconds:.1f} s")


def run(notes: int = 3000) -> list[dict]:
    """Build a site of `notes` notes in a temporary folder, index it with Pagefind, measure both searches.

    A missing Chromium or Pagefind gives rows that say so instead of an error,
    so the rest of a benchmark run still reports.
    """
    browser_gap, pagefind_gap = chromium_missing(), pagefind_missing()
    with tempfile.TemporaryDirectory(prefix="caucus-search-") as tmp:
        root = write_site(Path(tmp), notes)
        run_command([MKDOCS, "build"], root)
        site = root / "site"
        indexed = None if pagefind_gap else run_command([*PAGEFIND, "--site", "site", *PAGEFIND_OPTIONS], root)
        rows = [row("Pagefind figures", f"skipped: {pagefind_gap}")] if pagefind_gap else [index_row(site, indexed)]
        if browser_gap:
            return [row(f"browser figures at {notes:,} notes", f"skipped: {browser_gap}"), *rows]
        from browser import launched_chromium, serving

        page_url = typical_note_page(site).parent.relative_to(site).as_posix() + "/"
        with launched_chromium() as browser:
            with serving(handler(site, wasm=False)) as base:
                material = material_rows(browser, base, page_url, notes)
            if indexed:
                rows = pagefind_rows(browser, site, notes) + rows
        return material + rows


if __name__ == "__main__":
    try:
        print(markdown_table(run(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)))
    except BenchmarkFailed as failure:
        sys.exit(str(failure))
