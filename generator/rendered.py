"""Note pages as the engine rendered them, kept on disk between builds, by what they were made from.

Python-Markdown is the biggest part of a build, and between two builds of a caucus's site most note
pages are made of exactly what they were made of last time. A page is looked up by a key of
everything its rendering reads (`page_key`): its Markdown, where it is, its marked references, and
the build's `context` (the versions of every library and of the generator, the Markdown extensions
and their settings, the link checks, and the list of every file of the site, since a link's target
existing or not changes the page). A link between members' files is followed again and must lead where
it led (`RecordedLinks`), and what the engine logged while rendering (a warning about a link, say)
is logged again, so a strict build fails on a kept page as it would on a fresh one.

Entries not used by a build are removed after it, so the folder holds one site's pages. With
`CAUCUS_RENDER_CACHE=off` in the environment nothing is read or kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .memo import digest, keep, read_kept

CACHE_DIR = ".cache/caucus/rendered"
SWITCH = "CAUCUS_RENDER_CACHE"
BUILT_IN = {"abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
            "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
            "wikilinks"}  # Python-Markdown's own extensions, by the names mkdocs.yml gives them
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "latex2mathml")


def enabled() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() not in ("off", "0", "no", "false")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def generator_source() -> str:
    """A fingerprint of the generator's own code: a changed renderer extension is another renderer."""
    folder = Path(__file__).parent
    return digest(*(path.read_bytes() for path in sorted(folder.glob("*.py"))))


# Where the extensions a site usually names come from: their versions are in LIBRARIES already.
KNOWN_SOURCES = {"markdown", "pymdownx", "material", "mkdocs", "generator"}


def _distributions(modules: Iterable[str]) -> list[str]:
    """The installed packages that provide some modules (the extensions mkdocs.yml names), with versions.
    Python-Markdown's own extensions go by short names ("toc"); those are the `markdown` package's."""
    tops = {module.split(".", 1)[0] for module in modules if module not in BUILT_IN} - KNOWN_SOURCES
    if not tops:
        return []
    providers = metadata.packages_distributions()  # a tenth of a second: only for other extensions
    return sorted({f"{name}={_version(name)}" for top in tops for name in providers.get(top, ())})


def context_key(extensions: Iterable[object], extension_configs: object, settings: object,
                files: Iterable[str]) -> str:
    """What every page's rendering depends on besides its own Markdown."""
    names = [e if isinstance(e, str) else f"{type(e).__module__}.{type(e).__qualname__}" for e in extensions]
    return digest(*(f"{name}={_version(name)}" for name in LIBRARIES), generator_source(), names,
                  _distributions(names),
                  json.dumps(extension_configs, sort_keys=True, default=repr), settings, sorted(files))


@dataclass
class Rendered:
    """One page as rendered: its HTML and what the engine learnt of it while rendering."""

    content: str
    toc: list  # the table of contents as Python-Markdown's toc tokens (level, id, name, children)
    title: str | None
    anchors: list[str]  # ids present on the page
    links_to_anchors: dict[str, dict[str, str]]  # src_uri of a linked page -> anchor -> link as written
    links: list[list]  # [href, source, src_uri, what SourceLinks.rewrite returned], in order
    log: list[list] = field(default_factory=list)  # [logger name, level, message] logged while rendering


class RenderedPages:
    """The folder of kept pages, one JSON file a key."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        self.used: set[str] = set()

    def get(self, key: str) -> Rendered | None:
        self.used.add(key)
        kept = read_kept(self.folder / f"{key}.json")
        try:
            return Rendered(**kept) if isinstance(kept, dict) else None
        except TypeError:  # written by another version: render it
            return None

    def put(self, key: str, rendered: Rendered) -> None:
        self.used.add(key)
        keep(self.folder / f"{key}.json", rendered.__dict__)

    def prune(self) -> None:
        """Forget the pages this build did not ask for (edited or deleted notes, older settings)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
        self.used = set()


def render_key(context: str, markdown: str, src_uri: str, url: str, anchors: object, source: str) -> str:
    return digest(context, markdown, src_uri, url, repr(anchors), source)
