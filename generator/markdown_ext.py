"""A Python-Markdown extension: links to other hosts leak nothing about the reader.

Every `<a>` whose href is an absolute http(s) URL gets rel="noopener noreferrer",
whether it came from a note, a hand-written page or a generated section, so a
reader who follows it does not tell the other site where they came from.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

PRIVATE_REL = ("noopener", "noreferrer")


def is_external(href: str) -> bool:
    return href.lower().startswith(("http://", "https://", "//"))


class ExternalLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            if is_external(link.get("href", "")):
                rel = link.get("rel", "").split()
                link.set("rel", " ".join(rel + [r for r in PRIVATE_REL if r not in rel]))


class PrivateLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Low priority: run after every other treeprocessor has made its links.
        md.treeprocessors.register(ExternalLinks(md), "caucus_external_links", 1)
