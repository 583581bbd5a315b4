"""Fixture sites: small caucus sites written into tmp_path and built with real MkDocs.

`fixture_site` writes files; `SiteFolder.build()` runs MkDocs in-process and
returns the built folder with helpers to read pages as a reader gets them.
Any warning a test did not expect fails that test (as in mkdocs-section-index).
"""

from __future__ import annotations

import json
import logging
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

BASE_CONFIG = """\
site_name: Test caucus
use_directory_urls: true
theme:
  name: material
  font: false
plugins:
  - search
  - tags
  - caucus:
      notes_dir: notes
{plugin_options}
nav:
  - Home: index.md
  - Notes: notes/index.md
  - Projects: projects/index.md
  - Tags: tags.md
"""


def require(available: bool, reason: str) -> None:
    """Skip a test whose tool is missing here, but fail it in CI, where .ci/run installs everything."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run should have installed it)")
    pytest.skip(reason)


class BuildFailed(Exception):
    """MkDocs stopped; `.message` is what the member sees."""

    def __init__(self, message: str, records: list[logging.LogRecord]):
        super().__init__(message)
        self.message = message
        self.records = records


@dataclass
class SiteFolder:
    root: Path
    records: list[logging.LogRecord] = field(default_factory=list)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def build(self, strict: bool = False) -> Path:
        """Build with MkDocs in-process; raise BuildFailed with MkDocs' message on failure."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, MkDocsException

        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            config = load_config(str(self.root / "mkdocs.yml"), strict=strict)
            # As `mkdocs build` does: MkDocs keeps a plugin with on_startup between configs of one
            # process, so a test that previewed (command="serve") must not leave it previewing.
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
        except (MkDocsException, Abort) as exc:
            # MkDocs logs the plugin's error message, then aborts with a generic one.
            logged = [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR]
            raise BuildFailed("\n".join(logged) or str(exc), handler.records) from exc
        finally:
            logger.removeHandler(handler)
            self.records = handler.records
        return self.site

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    def html(self, url: str) -> BeautifulSoup:
        """The page at a site-relative URL such as 'notes/12/'."""
        path = self.site / url / "index.html" if url.endswith("/") or not url else self.site / url
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def article(self, url: str) -> BeautifulSoup:
        return self.html(url).select_one("article")

    def notes_json(self) -> dict:
        return json.loads((self.site / "notes.json").read_text(encoding="utf-8"))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="session")
def project_site(tmp_path_factory) -> Path:
    """The project's own site, built once per test run exactly as `make site` builds it."""
    import subprocess
    import sys

    site = tmp_path_factory.mktemp("project") / "site"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAUCUS_JOIN_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(site)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def fixture_site(tmp_path: Path):
    """A factory: fixture_site(notes={...}, docs={...}, options="...") -> SiteFolder."""

    def make(notes: dict[str, str] | None = None, docs: dict[str, str] | None = None,
             options: str = "", config: str | None = None) -> SiteFolder:
        folder = SiteFolder(tmp_path)
        indented = textwrap.indent(textwrap.dedent(options).strip("\n"), "      ") if options else ""
        folder.write("mkdocs.yml", config if config is not None else BASE_CONFIG.format(plugin_options=indented))
        pages = {"index.md": "# Home\n\n<!-- caucus:latest-notes -->\n",
                 "tags.md": "# Tags\n\n<!-- material/tags -->\n"}
        pages.update(docs or {})
        for rel, text in pages.items():
            folder.write(f"docs/{rel}", text)
        (tmp_path / "notes").mkdir(exist_ok=True)
        for rel, text in (notes or {}).items():
            folder.write(f"notes/{rel}", text)
        return folder

    return make


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium through Playwright, once per run (see tests/browser.py)."""
    from browser import launched_chromium

    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def browser_page(chromium):
    """A fresh tab; `.errors` collects its script and console errors."""
    from browser import opened_page

    with opened_page(chromium) as tab:
        yield tab


@pytest.fixture
def serve():
    """serve(handler) -> base URL of a server on 127.0.0.1, stopped after the test."""
    from contextlib import ExitStack

    from browser import serving

    with ExitStack() as stack:
        yield lambda handler: stack.enter_context(serving(handler))
