"""The MkDocs plugin `caucus`: a thin adapter between MkDocs events and the core.

Only this module and `cli.py` import MkDocs. Each event delegates to a pure
function of the core; the plugin only turns the core's results into MkDocs
objects (generated `File`s) and its findings into log lines or one error.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import re
import posixpath
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup
from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent,
                             FileMovedEvent)
from watchdog.observers import Observer
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import clean_directory

from .chrome import conform, relocatable_404
from .join import contact_link
from .headers import HEADERS_FILE, headers_file, inline_scripts, script_hash
from .markdown_ext import PageLinks, PrivateLinksExtension, ReferenceLinksExtension, missing_extensions
from .model import Finding, Settings
from .options import OPTIONS, InvalidOption, Option, reads_attr_list, settings_from
from .pages import NOTES_INDEX, with_appendix
from .pipeline import Site, build_site, config_text, describe
from .preview import KeptPage, KeptPages, RecordedLinks, page_key, site_key
from .rendered import Rendered, RenderedPages, context_key, enabled, render_key
from .sources import NoteCache
from .report import error_summary

log = get_plugin_logger("caucus")  # log lines read "caucus: path:line: ..."
PREVIEW_LOG = "%d notes (%d read from disk), generated in %.2f s"  # after each build of the live preview
RENDERED_LOG = "%d of %d pages rendered: %s"  # after each build of `mkdocs serve --dirty`
LISTED = 40  # rendered pages named in that line, at most


class CoreOption(c.BaseConfigOption):
    """An option of the core's table, checked by the core's own code (so `caucus-site` agrees)."""

    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option
        self.default = option.default

    def run_validation(self, value: object) -> object:
        try:
            return self.option.validate(value)
        except InvalidOption as exc:
            raise c.ValidationError(str(exc)) from None


# Options under `plugins: - caucus:` in mkdocs.yml: the schema is made from `options.OPTIONS`.
CaucusConfig = type("CaucusConfig", (base.Config,), {option.name: CoreOption(option) for option in OPTIONS})


class CaucusPlugin(BasePlugin[CaucusConfig]):
    """Adds note pages, indexes and notes.json to the site as virtual files."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.site: Site | None = None
        self.script_hashes: set[str] = set()
        self.serving = False
        self.last_good: Site | None = None
        self.cache: NoteCache | None = None
        self.page_links = PageLinks()  # what the renderer needs to know of the page being rendered
        self.folders: set[str] = set()  # the site's top-level folders, for the 404 page
        self.files: Files | None = None
        self.notes_tab: Page | None = None  # the notes index, marked active while a note's page is rendered
        self.kept: KeptPages | None = None  # `mkdocs serve --dirty`: the pages rendered, to skip unchanged ones
        self.rendering: dict[str, tuple[str, tuple[str, dict] | None, RecordedLinks | None]] = {}
        self.search_mark = 0  # entries in the search plugin's index before the page being rendered
        self.rendered: list[str] = []  # the pages this build of the preview rendered
        self.compiled = CompiledTemplates()  # the theme's templates, compiled once for all rebuilds
        self.rendered_pages: RenderedPages | None = None  # `mkdocs build`: note pages kept between builds
        self.render_context = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Having this event keeps one plugin instance for all rebuilds of `mkdocs serve`."""
        self.serving = command == "serve"
        self.cache = NoteCache() if self.serving else None
        self.kept = KeptPages() if self.serving and dirty else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        config.markdown_extensions.extend(missing_extensions(config.markdown_extensions))
        config.markdown_extensions.append(PrivateLinksExtension())
        config.markdown_extensions.append(ReferenceLinksExtension(lambda: self.page_links))
        config_file = Path(config.config_file_path or "mkdocs.yml").name
        self.rendered_pages = RenderedPages(root) if not self.serving and enabled() else None
        self.settings = settings_from(self.config, root, os.path.relpath(config.docs_dir, root),
                                      config.site_name, config.site_url or "", config_file,
                                      config.use_directory_urls, reads_attr_list(config.markdown_extensions))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs' own warnings about a note's page name the member's file, not the page's virtual path."""
        for name in MKDOCS_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(f, MembersFiles) for f in logger.filters):
                logger.addFilter(MembersFiles(self))
        self.rendering, self.search_mark, self.rendered = {}, 0, []

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        reads, start = self.cache.reads if self.cache else 0, time.perf_counter()
        site = without_pauses(build_site, self.settings, self.cache)
        if self.cache is not None:  # the preview says what a rebuild cost the generator
            log.info(PREVIEW_LOG, len(site.corpus.notes), self.cache.reads - reads, time.perf_counter() - start)
        if site.errors and self.serving and self.last_good is not None:
            site = self._keep_last_good(site)
        else:
            report(site.findings)
        self.site = self.last_good = site
        self.files = files
        notes = self.site.notes_by_src_uri
        for src_uri, content in self.site.pages.items():
            file = GeneratedPage.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            if src_uri in notes:
                # "Edit this page" opens the note in notes/, not the virtual path.
                file.edit_uri = posixpath.relpath(notes[src_uri].path, self.settings.docs_dir)
            files.append(file)
        for dest, content in self.site.files.items():
            files.append(File.generated(config, dest, content=content))
        self.folders = {f.dest_uri.split("/")[0] for f in files if "/" in f.dest_uri}
        for path in self.site.corpus.attachments:  # published where they are, beside their notes
            files.append(File(path, src_dir=self.settings.root, dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls, inclusion=InclusionLevel.NOT_IN_NAV))
        if self.kept is not None:
            self._mark_unchanged(files, config)
        if self.rendered_pages is not None:
            self.render_context = context_key(config.markdown_extensions, config.mdx_configs,
                                              (config.use_directory_urls, repr(config.validation)),
                                              [f.src_uri for f in files])
        return files

    def _mark_unchanged(self, files: Files, config: MkDocsConfig) -> None:
        """`mkdocs serve --dirty`: a generated page made of what it was made of last time reports
        itself unmodified, so MkDocs neither renders nor writes it (see `preview.py`). Hand-written
        pages are always rendered. When something every page shows changed, all are rendered again
        into an emptied folder (a deleted note's page must not stay)."""
        assert self.kept is not None and self.site is not None and self.settings is not None
        root = Path(self.settings.root)
        overrides = config.theme.custom_dir
        key = site_key(config_text(self.settings), Path(overrides) if overrides else None,
                       root / self.settings.docs_dir, [f.src_uri for f in files],
                       self.site.source_links.by_source)
        if not self.kept.start(key):
            clean_directory(config.site_dir)
        for file in files.documentation_pages():
            if not isinstance(file, GeneratedPage):
                file.is_modified = _always  # type: ignore[method-assign]  # hand-written: rendered every time
                continue
            src_uri = file.src_uri
            page = page_key(self.site.pages[src_uri], self.site.appendices.get(src_uri, ""),
                            self.site.anchors.get(src_uri, ()), self._neighbours(src_uri))
            file.modified = not self.kept.unchanged(src_uri, page, self.site.source_links)
            file.key = page

    def _neighbours(self, src_uri: str) -> tuple[tuple[str, str, str] | None, ...]:
        """The notes a note's footer names (number, title, page), which its HTML shows."""
        note = self.site.notes_by_src_uri.get(src_uri) if self.site else None
        graph = self.site.links.graph.get(note.url) if note is not None and self.site.links else None
        if graph is None:
            return ()
        return tuple((n.label, n.title, n.src_uri) if n is not None else None for n in (graph.previous, graph.next))

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        """A page the preview does not render again still tells the plugins that collect from every
        page (the tags page lists pages by their tags) what it told them last time."""
        if self.kept is None:
            return nav
        for file in files.documentation_pages():
            if isinstance(file, GeneratedPage) and not file.modified:
                source = self.kept.pages[file.src_uri].source
                page = file.page if file.page is not None else Page(None, file, config)
                if source is not None:
                    page.markdown, page.meta = source[0], dict(source[1])
                    config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        return nav

    def _keep_last_good(self, broken: Site) -> Site:
        """While previewing, a mistake in a note must not stop the server: show the errors, keep
        the notes of the last good build (MkDocs itself would stall until the errors are fixed)."""
        for finding in broken.findings:
            if finding.level == "error":
                log.error(str(finding))
        log.error("%d error(s): the preview keeps the notes of the last good build until they are fixed",
                  len(broken.errors))
        return self.last_good

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """Every page of `mkdocs build` is rendered through the pages kept from the last build."""
        if self.rendered_pages is not None and self.site is not None:
            page.render = partial(self._render, page)  # type: ignore[method-assign]
        return page

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """`Page.render`, or what it gave last time for the same Markdown, place, references and
        build (see `rendered.py`): the HTML, the table of contents, the anchors, and the log lines."""
        assert self.rendered_pages is not None
        links = self.page_links
        key = render_key(self.render_context, page.markdown, page.file.src_uri, page.file.url, links.anchors,
                         links.source)
        kept = self.rendered_pages.get(key)
        if kept is not None and all(links.files is not None and links.files.rewrite(href, source, src_uri) == result
                                    for href, source, src_uri, result in kept.links):
            page.content, page.toc = kept.content, get_toc(kept.toc)
            page._title_from_render = kept.title
            page.present_anchor_ids = set(kept.anchors)
            if kept.links_to_anchors is not None:
                page.links_to_anchors = {files.get_file_from_path(src_uri): anchors
                                         for src_uri, anchors in kept.links_to_anchors.items()
                                         if files.get_file_from_path(src_uri) is not None}
            for name, level, message in kept.log:
                logging.getLogger(name).log(level, "%s", message)
            return
        recorded = RecordedLinks(links.files) if links.files is not None else None
        if recorded is not None:
            self.page_links = replace(links, files=recorded)
        logged = LogLines()
        logging.getLogger("mkdocs").addHandler(logged)
        try:
            Page.render(page, config, files)
        finally:
            logging.getLogger("mkdocs").removeHandler(logged)
            self.page_links = links
        self.rendered_pages.put(key, Rendered(
            page.content, toc_tokens(page.toc), page._title_from_render,
            sorted(anchor for anchor in page.present_anchor_ids or () if isinstance(anchor, str)),
            None if page.links_to_anchors is None else
            {file.src_uri: dict(anchors) for file, anchors in page.links_to_anchors.items()},
            [[*args, result] for args, result in recorded.calls] if recorded is not None else [], logged.lines))

    @event_priority(100)  # first: the preview keeps the page's Markdown as read, before other plugins
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.site is None:
            return markdown
        source = (markdown, dict(page.meta))
        if page.file.generated_by is None:
            page.meta["description"] = describe(page.meta, markdown)
            markdown = self.site.hand_written(page.file.src_uri, markdown)
        self.page_links = self.site.page_links(page.file.src_uri)
        if self.kept is not None:
            recorded = RecordedLinks(self.page_links.files) if self.page_links.files is not None else None
            if recorded is not None:
                self.page_links = replace(self.page_links, files=recorded)
            self.rendering[page.file.src_uri] = (getattr(page.file, "key", ""), source, recorded)
        return markdown

    @event_priority(150)  # before the tags plugin (100) makes its listings from the pages it collected
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """The theme's footer writes the contact address the way the join page does (overrides/).

        In the preview, the pages not rendered again told the tags plugin their tags before the
        others (`on_nav`); its pages are put back in the site's order, as a full build lists them."""
        env.filters["contact_link"] = lambda address: Markup(contact_link(address))
        if self.serving:  # MkDocs makes a new environment for every build: keep the templates compiled
            env.bytecode_cache = self.compiled
        if self.kept is not None:
            in_site_order([f.url for f in files.documentation_pages()], config)
        return env
    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        """A note's page is in the Notes section: its tab is active, and the theme's footer leads to
        the previous and next note by number (notes are not in the nav, so MkDocs gives them neither)."""
        note = self.site.notes_by_src_uri.get(page.file.src_uri) if self.site else None
        if note is None or self.site.links is None:
            return context
        graph = self.site.links.graph.get(note.url)
        if graph is not None:
            page.previous_page, page.next_page = self._page(graph.previous), self._page(graph.next)
        self.notes_tab = next((item for item in nav.pages if item.file.src_uri == NOTES_INDEX), None)
        if self.notes_tab is not None:
            self.notes_tab.active = True  # and its sections: MkDocs sets ancestors too
        return context

    def _page(self, note) -> Neighbour | None:
        file = self.files.get_file_from_path(note.src_uri) if note is not None and self.files else None
        if file is None or file.page is None:
            return None
        # The title is escaped already (pages.page_front_matter); as Markup, the theme's `| e` keeps it so.
        return Neighbour(file.page.url, Markup(f"{html.escape(note.label)}: {file.page.title}"))

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.notes_tab is not None:  # the next page rendered may be anywhere
            self.notes_tab.active, self.notes_tab = False, None
        if self.site is not None and page.file.src_uri in self.site.appendices:
            # after the search plugin has read the page: the appendix is nothing a search should find
            output = with_appendix(output, self.site.appendices[page.file.src_uri])
        output = self._finish_html(output)
        if self.kept is not None:
            self._keep(page, output, config)
        return output

    def _keep(self, page: Page, output: str, config: MkDocsConfig) -> None:
        """What the page gave this build, for the rebuilds that will not render it again."""
        key, source, recorded = self.rendering.pop(page.file.src_uri, ("", None, None))
        entries: list[dict] = []
        index = getattr(search_plugin(config), "search_index", None)
        if index is not None:
            entries, self.search_mark = index.entries[self.search_mark:], len(index.entries)
        self.rendered.append(page.file.src_uri)
        self.kept.pages[page.file.src_uri] = KeptPage(
            key, tuple(recorded.calls) if recorded else (), tuple(entries),
            frozenset(script_hash(body) for body in inline_scripts(output)), source)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Static templates (404.html) carry the theme's markup and inline scripts too."""
        if template_name == "404.html" and not config.site_url:
            output_content = relocatable_404(output_content, self.folders)
        return self._finish_html(output_content) if template_name.endswith(".html") else output_content

    def _finish_html(self, html: str) -> str:
        html = conform(html)
        self.script_hashes.update(script_hash(body) for body in inline_scripts(html))
        return html

    @event_priority(-100)  # last: after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write _headers with a CSP allowing exactly the inline scripts the pages contain.

        In a preview that rendered only the changed pages, the pages it skipped count as they were
        last rendered: their scripts, and their entries in the search index, in the order a full build
        writes them."""
        if self.kept is not None and self.files is not None:
            pages = [f.src_uri for f in self.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
            self.kept.pages = {src_uri: self.kept.pages[src_uri] for src_uri in pages if src_uri in self.kept.pages}
            self.script_hashes |= self.kept.scripts()
            search = search_plugin(config)
            if getattr(search, "search_index", None) is not None:
                search.search_index.entries = self.kept.search_index(pages)
                index = Path(config.site_dir, "search", "search_index.json")
                index.write_text(search.search_index.generate_search_index(None), encoding="utf-8")
            names = ", ".join(sorted(self.rendered)) if len(self.rendered) <= LISTED else "…"
            log.info(RENDERED_LOG, len(self.rendered), len(pages), names)
        Path(config.site_dir, HEADERS_FILE).write_text(headers_file(self.script_hashes), encoding="utf-8")
        self.script_hashes = set()
        if self.rendered_pages is not None:
            self.rendered_pages.prune()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """Live preview: rebuild when notes change (they live outside docs_dir, which MkDocs watches).

        MkDocs looks for changes by reading every watched folder twice a second; the operating
        system's own notice (inotify, FSEvents, ...) comes at once, which is most of a second saved
        between a member's save and the page shown. The watches already made move to that watcher."""
        assert self.settings is not None
        watched = list(getattr(server, "_watched_paths", {}))
        if watched and hasattr(server, "observer") and not server.observer.is_alive():
            for path in watched:
                server.unwatch(path)
            server.observer = ChangesObserver()
            for path in watched:
                server.watch(path)
        server.watch(str(Path(self.settings.root) / self.settings.notes_dir))
        return server


class ChangesObserver(Observer):
    """The operating system's notices of changed files, and only those: a build reading a note
    (opening it) must not look like an edit and start another build."""

    CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent]

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, follow_symlink=follow_symlink,
                                event_filter=event_filter or self.CHANGES)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory between rebuilds of the preview. Jinja checks each
    template's source against the checksum it was compiled from, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class LogLines(logging.Handler):
    """What MkDocs and its plugins log while one page is rendered, to log again when it is not."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[list] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append([record.name, record.levelno, record.getMessage()])


def toc_tokens(toc) -> list[dict]:
    """A table of contents as the tokens MkDocs makes one from (`get_toc`)."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": toc_tokens(item.children)}
            for item in toc]


class GeneratedPage(File):
    """A generated page that says whether it differs from the last build's (what `--dirty` asks)."""

    modified = True
    key = ""

    def is_modified(self) -> bool:
        return self.modified


def without_pauses(work, *args):
    """`work(*args)` with Python's cycle collector held back: building the site makes many objects and
    few cycles, and collections while it runs cost a tenth of a rebuild. It runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return work(*args)
    finally:
        if enabled:
            gc.enable()


def _always() -> bool:
    return True


def in_site_order(urls: list[str], config: MkDocsConfig) -> None:
    """Material's tags plugin keeps the pages of each tag in the order it was told of them (a dict by
    page URL, `mappings.data`); that order becomes the site's page order."""
    rank = {url: i for i, url in enumerate(urls)}
    for plugin in config.plugins.values():
        collected = getattr(getattr(plugin, "mappings", None), "data", None)
        if isinstance(collected, dict):
            ordered = sorted(collected.items(), key=lambda item: rank.get(item[0], len(rank)))
            collected.clear()
            collected.update(ordered)


def search_plugin(config: MkDocsConfig):
    """Material's search plugin, when the site has it (found by what it holds: the index)."""
    return next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)


@dataclass(frozen=True)
class Neighbour:
    """All the theme reads of a previous or next page (footer, `<link rel>`): a note's title with its number."""

    url: str
    title: str


MKDOCS_LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.files", "mkdocs.commands.build")
DOC_FILE = re.compile(r"(?<=Doc file ')[^']+(?=')")
DIRTY_WARNING = "A 'dirty' build is being performed"  # MkDocs' caution, which the kept pages answer


class MembersFiles(logging.Filter):
    """Rewrites "Doc file 'notes/12.md'" in MkDocs' messages to the note's own file, and leaves out
    MkDocs' caution about `--dirty` builds in a preview that keeps pages as a full build makes them."""

    def __init__(self, plugin: CaucusPlugin) -> None:
        super().__init__()
        self.plugin = plugin

    def filter(self, record: logging.LogRecord) -> bool:
        if self.plugin.kept is not None and str(record.msg).startswith(DIRTY_WARNING):
            return False  # the preview renders what changed and keeps the rest as a full build makes it
        if self.plugin.site is not None and record.levelno >= logging.INFO:
            message = record.getMessage()
            rewritten = DOC_FILE.sub(self._members_file, message)
            if rewritten != message:
                record.msg, record.args = rewritten, ()
        return True

    def _members_file(self, match: re.Match[str]) -> str:
        note = self.plugin.site.notes_by_src_uri.get(match.group(0)) if self.plugin.site else None
        return note.path if note is not None else match.group(0)


def report(findings: tuple[Finding, ...]) -> None:
    """Warnings go to MkDocs' log (so --strict counts them); errors stop the build at once, all listed."""
    for finding in findings:
        if finding.level == "warning":
            log.warning(str(finding))
        elif finding.level == "info":
            log.info(str(finding))
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise PluginError(error_summary(errors))
