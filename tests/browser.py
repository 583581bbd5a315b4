"""Browser tests: Debian's Chromium, driven by Playwright, reading a built site served from 127.0.0.1.

Everything a reader's browser does that the HTML alone cannot show (scripts,
focus, the Content-Security-Policy) is tested through these helpers. The
site is served with the headers its `_headers` file declares, so a script
the policy would block fails here as it would in production. Without
/usr/bin/chromium the tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from conftest import require

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> None:
    require(CHROMIUM.is_file(), f"browser tests need Debian's Chromium at {CHROMIUM} "
                                "(apt-get install --no-install-recommends chromium)")


@contextmanager
def launched_chromium():
    """One headless Chromium for many tests; starting it is the slow part."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class BrowserPage:
    """A fresh tab, and every script error and console error it has shown so far."""

    page: Page
    errors: list[str] = field(default_factory=list)


@contextmanager
def opened_page(browser, javascript: bool = True, **options) -> Iterator[BrowserPage]:
    """A tab in a fresh context; `options` are Playwright's (viewport, color_scheme, ...)."""
    context = browser.new_context(java_script_enabled=javascript, **options)
    tab = BrowserPage(context.new_page())
    tab.page.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))
    tab.page.on("console", lambda message: tab.errors.append(f"console: {message.text}")
                if message.type == "error" else None)
    try:
        yield tab
    finally:
        context.close()


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on a free port of 127.0.0.1, in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def declared_headers(site: Path) -> dict[str, str]:
    """The headers `_headers` declares for every path ('/*'), as a static host would send them."""
    path = site / "_headers"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    pairs = (line.strip().partition(": ") for line in lines if line.startswith((" ", "\t")))
    return {name: value for name, _, value in pairs if value}


def static_site(site: Path) -> type[BaseHTTPRequestHandler]:
    """Serves a built site folder with its declared headers."""
    headers = declared_headers(site)

    class StaticSite(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args) -> None:
            """Quiet: pytest shows failures, not every request."""

    return StaticSite


def recording_endpoint(posts: list[dict[str, list[str]]]) -> type[BaseHTTPRequestHandler]:
    """A form endpoint that records each urlencoded POST body and thanks the sender."""

    class RecordingEndpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
            posts.append(parse_qs(body, keep_blank_values=True))
            # The page names no icon, so Chromium asks this POST-only server for none with a GET.
            reply = b'<!doctype html><title>Received</title><link rel="icon" href="data:,"><p>Received.</p>'

            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args) -> None:
            """Quiet, like StaticSite."""

    return RecordingEndpoint


AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21aa"]


def axe_violations(page: Page, selector: str = "body", tags: list[str] | None = WCAG_AA,
                   rules: list[str] | None = None) -> list[str]:
    """axe-core's violations inside `selector` as 'rule: selectors' lines: WCAG A/AA, or every rule
    (best practices included) with tags=None, or only the named `rules`.

    axe is evaluated through the browser's debugging protocol, not added as a
    script element, so the page's Content-Security-Policy does not block it.
    """
    require(AXE.is_file(), "accessibility checks need axe-core from `npm ci`")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {"runOnly": tags} if tags else {}
    found = page.evaluate("""([selector, options]) => axe.run(selector, options)
        .then(result => result.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", ")))""",
                          [selector, options])
    return list(found)
