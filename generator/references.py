"""References between notes (placeholder: links nothing yet).

Interface used by the pipeline:
  link_corpus(corpus, bodies, settings) -> Links
    Links.bodies: url -> body with references turned into Markdown links
                  (line count unchanged, so line numbers stay valid)
    Links.references / Links.referenced_by: url -> [site-relative urls]
    Links.findings
    Links.link_page(src_uri, markdown) -> markdown of a hand-written docs page, linked
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Corpus, Finding, Settings


@dataclass(frozen=True)
class Links:
    bodies: dict[str, str]
    references: dict[str, list[str]] = field(default_factory=dict)
    referenced_by: dict[str, list[str]] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()

    def link_page(self, src_uri: str, markdown: str) -> str:
        return markdown

    def sections(self, url: str) -> str:
        """Markdown of the graph sections under a note (referenced by, cites, ...)."""
        return ""


def link_corpus(corpus: Corpus, bodies: dict[str, str], settings: Settings) -> Links:
    return Links(bodies=dict(bodies))
