"""What the live preview keeps of the pages it rendered, so a rebuild renders only the pages that changed.

After a member saves one note, most pages of the site come out exactly as before: MkDocs' `--dirty`
mode skips a page whose file reports itself unmodified, and this module decides which pages those
are. A page is rendered again when anything its HTML is made from changed:

- its Markdown (which holds its links, "Also in" lines, embeds and front matter), its appendix (the
  connections and graph), its marked references, and the notes before and after it (the footer
  names them);
- the result of any link between members' files it followed (a heading it links to was renamed);
- anything every page shows or depends on (`site_key`): mkdocs.yml, the theme's overrides, the
  hand-written pages (the navigation is made from them), and the set of pages and files. A change
  there renders the whole site again, as a full build would.

What a skipped page gave the last build is kept and given again: its search index entries, the
hashes of its inline scripts (for the Content-Security-Policy), and its front matter, which the
tags page lists. Hand-written pages are always rendered (there are few, and they list notes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .memo import digest
from .urls import SourceLinks

LinkCall = tuple[tuple[str, str, str], "str | None"]  # (href, source, src_uri) and what rewrite returned


def files_signature(folder: Path, pattern: str = "*") -> list[tuple[str, int, int]]:
    """(path, size, modification time) of every file under `folder` matching `pattern`."""
    if not folder.is_dir():
        return []
    return sorted((p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
                  for p in folder.rglob(pattern) if p.is_file())


def site_key(config_text: str, overrides: Path | None, docs: Path, published: Iterable[str],
             by_source: Mapping[str, str]) -> str:
    """What every page depends on: a change here renders every page again."""
    return digest(config_text, files_signature(overrides) if overrides else (), files_signature(docs, "*.md"),
                  sorted(published), sorted(by_source.items()))


def page_key(markdown: str, appendix: str, anchors: Sequence[object], neighbours: object) -> str:
    """What one generated page's HTML is made from, besides what `site_key` covers."""
    return digest(markdown, appendix, repr(tuple(anchors)), repr(neighbours))


@dataclass
class RecordedLinks:
    """The site's `SourceLinks` for one page, remembering every link it was asked to lead somewhere,
    so a later build can tell whether that page would now render a link differently."""

    links: SourceLinks
    calls: list[LinkCall] = field(default_factory=list)

    def rewrite(self, href: str, source: str, src_uri: str) -> str | None:
        result = self.links.rewrite(href, source, src_uri)
        self.calls.append(((href, source, src_uri), result))
        return result


@dataclass
class KeptPage:
    """One page as the last build rendered it."""

    key: str
    links: tuple[LinkCall, ...] = ()
    search: tuple[dict, ...] = ()  # its entries in the search index, in order
    scripts: frozenset[str] = frozenset()  # hashes of its inline scripts
    source: tuple[str, dict] | None = None  # its Markdown as read and its front matter


@dataclass
class KeptPages:
    """Every page the preview rendered, by src_uri, and the site-wide key they were rendered under."""

    site: str = ""
    pages: dict[str, KeptPage] = field(default_factory=dict)

    def start(self, site: str) -> bool:
        """Begin a build under `site`; False (and nothing kept) when it differs from the last one's."""
        if site != self.site:
            self.site, self.pages = site, {}
            return False
        return True

    def unchanged(self, src_uri: str, key: str, links: SourceLinks) -> bool:
        """Whether the page would render as last time: same key, and every link it followed leads
        where it led."""
        kept = self.pages.get(src_uri)
        return (kept is not None and kept.key == key
                and all(links.rewrite(*args) == result for args, result in kept.links))

    def search_index(self, order: Iterable[str]) -> list[dict]:
        """The search entries of every page, in the order a full build adds them (its page order)."""
        return [entry for src_uri in order if src_uri in self.pages for entry in self.pages[src_uri].search]

    def scripts(self) -> set[str]:
        return {h for page in self.pages.values() for h in page.scripts}
