"""Linking changes nothing on a page but the links it adds, in the site's own renderer.

Every CommonMark spec example (from the pinned markdown-it-py's source package, which
`make test` fetches) is tried with references put into it at many places, and so is every
block type the site's extensions add. Each variant is rendered by Python-Markdown with the
site's extensions twice, without and with linking: with the added links unwrapped to the
words they were made from, the two pages must be identical, and no added link may sit in
code, in another link or in an image.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_ROOT, require
from generator.markdown_ext import PageLinks, ReferenceLinksExtension, SITE_EXTENSIONS
from generator.references import OPEN, CLOSE, Target, find_references, mark_links

SPEC = PROJECT_ROOT / ".cache" / "commonmark.json"
WORDS = ("Strategy Note", "Strategy Notes")
EXTENSIONS = [*SITE_EXTENSIONS, "attr_list", "md_in_html", "pymdownx.highlight", "toc"]
CITATION, WIKILINK = "Strategy Note 12", "[[12]]"
ADDED_LINK = re.compile(r'<a class="caucus-ref" href="[^"]*">([^<]*)</a>')  # as Python-Markdown writes it


def resolve(ref, target):
    """Every reference resolves, shown as written, so an unwrapped link is the text it came from."""
    if ref.kind == "wikilink":
        return Target("notes/12.md", ref.written)
    return Target(f"notes/{target}.md", "")


class Renderer:
    """One Python-Markdown instance with the site's extensions, reset between pages (building one is slow)."""

    def __init__(self) -> None:
        self.anchors: list = []
        self.md = markdown.Markdown(extensions=[*EXTENSIONS,
                                                ReferenceLinksExtension(lambda: PageLinks(self.anchors))])

    def __call__(self, text: str, anchors=()) -> str:
        self.anchors = list(anchors)
        self.md.reset()
        return self.md.convert(text)


@lru_cache(maxsize=1)
def renderer() -> Renderer:
    return Renderer()


def variants(example: str) -> list[str]:
    """The example with a reference at the end and the start of each line, and in place of a word."""
    lines = example.split("\n")
    found = []
    for i, line in enumerate(lines[:-1] if example.endswith("\n") else lines):
        for reference in (CITATION, WIKILINK):
            found.append("\n".join(lines[:i] + [line + " " + reference] + lines[i + 1:]))
            found.append("\n".join(lines[:i] + [reference + " " + line] + lines[i + 1:]))
    for word in sorted(set(re.findall(r"\b(?:foo|bar|baz|aaa|bbb|hi|link|code)\b", example))):
        found.append(example.replace(word, CITATION))
        found.append(example.replace(word, WIKILINK))
        found.append(example.replace(word, "as in Strategy\nNote 12"))
    return found


def check(text: str) -> None:
    """The rendered page with links equals the page without them, links unwrapped; no link where none may be."""
    render = renderer()
    plain = render(text)
    marked, anchors = mark_links(text, find_references(text, WORDS), resolve, lambda uri: uri)
    linked = render(marked, anchors)
    assert OPEN not in linked and CLOSE not in linked, text
    for link in BeautifulSoup(linked, "html.parser").select("a.caucus-ref"):
        assert not link.find_parent(["code", "pre", "a"]) and not link.find("img"), (text, linked)
    assert ADDED_LINK.sub(r"\1", linked) == plain, (text, plain, linked)


@lru_cache(maxsize=1)
def spec_examples() -> list[dict]:
    return json.loads(SPEC.read_text(encoding="utf-8")) if SPEC.is_file() else []


def spec_variants(section_filter=None):
    require(SPEC.is_file(), "the CommonMark spec examples come with `make test` (.cache/commonmark.json)")
    return [(example["example"], text) for example in spec_examples() for text in variants(example["markdown"])]


def test_every_commonmark_example_with_references_renders_the_same_but_for_the_links():
    failures = []
    cases = spec_variants()
    assert len(cases) > 5000  # the examples were read
    for number, text in cases:
        try:
            check(text)
        except AssertionError:
            failures.append((number, text))
    assert not failures, f"{len(failures)} of {len(cases)} variants differ, e.g. {failures[:5]}"


def test_every_commonmark_example_inside_a_callout_agrees_wherever_it_does_inside_a_quote():
    """A callout's body is read as a quote's is: a variant may differ inside a callout only where it
    also differs inside a plain quote (lazy lines that open raw HTML, which both parsers read apart)."""
    failures = []
    cases = spec_variants()
    for number, text in cases[::3]:  # a third of them: the whole set takes three times as long
        quoted = "".join(f"> {line}\n" for line in text.rstrip("\n").split("\n"))
        try:
            check("> [!note] Title\n" + quoted)
        except AssertionError:
            try:
                check("> Title\n" + quoted)
            except AssertionError:
                continue
            failures.append((number, text))
    assert not failures, f"{len(failures)} variants differ only inside a callout, e.g. {failures[:5]}"


EXTENSION_BLOCKS = [
    '```ts title="a.ts"\nconst a = 1 // See [[12]] and Strategy Note 12\n```\n\nSee [[12]]\n\n```ts\nb\n```\n',
    "- item\n\n    ```python\n    x = 'Strategy Note 12'\n    ```\n\n    Strategy Note 12 in the item\n",
    '!!! note "Strategy Note 12"\n    Strategy Note 12 inside [[12]]\n\n    ```\n    Strategy Note 12 in code\n    ```\n',
    "??? tip\n    Folded Strategy Note 12\n\n???+ warning\n    Open [[12]]\n",
    "Text[^1] Strategy Note 12\n\n[^1]: A footnote citing Strategy Note 12\n    and [[12]] on a second line\n",
    "| a | b |\n|---|---|\n| Strategy Note 12 | [[12]] |\n| `Strategy Note 12` | x |\n",
    'A paragraph\n{: title="see Strategy Note 12" }\n',
    "## Heading on Strategy Note 12 { #anchor }\n\nText\n",
    '<div markdown>\nStrategy Note 12 inside md_in_html\n</div>\n',
    "<details>\n<summary>More</summary>\n\nStrategy Note 12 inside\n\n</details>\n",
    "<div>\n\n[[12]] in a raw block\n\n</div>\n\nafter Strategy Note 12\n",
    "Euclidean[[1]](https://example.org/paper) and Strategy Note 12",
    "[scan](files/Strategy Note 12.pdf) and ![pic](my Strategy Note 12.png)",
    "![[12]] and It worked!Strategy Note 12",
    "[Strategy Note 12] [1]\n\n[1]: https://example.org/\n",
    "[Strategy Note 12]\n[1]\n\n[1]: https://example.org/\n",
    "as in Strategy\nNote 12 and on Strategy Note\n12\n",
    "- a list\n\n\tcontinued on Strategy Note 12, tab-indented\n",
    "1. one\n2. two Strategy Note 12\n\n        code Strategy Note 12\n",
    "Term\n\n:   Strategy Note 12\n",
    "> quote Strategy Note 12\n> > nested [[12]]\n",
    "*emphasis Strategy Note 12* and __strong [[12]]__ and `code [[12]]`",
    "<span>Strategy Note 12</span> and <a href='x'>[[12]]</a>",
    "Strategy Note 12<br>next",
    "> [!note] On Strategy Note 12\n> Body citing Strategy Note 12 and [[12]]\n>\n> - a list Strategy Note 12\n",
    "> [!tip]- Folded\n> Strategy Note 12\n>\n> ```\n> Strategy Note 12 in code\n> ```\n\n> [!faq]+\n> Open [[12]]\n",
    "> [!question] Outer\n> > [!bogus] Inner Strategy Note 12\n> > Nested [[12]]\n\n> a quote Strategy Note 12\n",
    "text\n> [!warning]\n> Strategy Note 12\nlazy Strategy Note 12\n",
    "Prices $5 and $10 for Strategy Note 12, and $x^2$ with $Strategy Note 12$ and $$[[12]]$$",
    "$$\nStrategy Note 12 \\frac{a}{b}\n$$\nafter Strategy Note 12\n\n$$x = [[12]]$$\n",
    "Strategy Note 12$x$ and [[12]]$5$ and $a$Strategy Note 12 and \\$[[12]]$ and `$[[12]]$`",
    "> [!note]\n> $$\n> Strategy Note 12\n> $$\n\n- $Strategy Note 12$ in a list\n",
    "==Strategy Note 12== and ==[[12]]==",
    '<span title="$x$ Strategy Note 12">$y$ [[12]]</span> <https://example.org/$a$> $b$ Strategy Note 12',
]


@pytest.mark.parametrize("text", EXTENSION_BLOCKS)
def test_each_block_type_the_site_adds_renders_the_same_but_for_the_links(text):
    check(text)
    for variant in variants(text):
        check(variant)


def test_links_are_made_where_the_reader_reads_prose():
    text = '!!! note\n    See Strategy Note 12\n\n- item [[12]]\n\nText[^1]\n\n[^1]: Strategy Note 12\n'
    marked, anchors = mark_links(text, find_references(text, WORDS), resolve, lambda uri: uri)
    soup = BeautifulSoup(renderer()(marked, anchors), "html.parser")
    links = soup.select("a.caucus-ref")
    assert len(links) == 3
    assert soup.select_one(".admonition a.caucus-ref")["href"] == "notes/12.md"
    assert soup.select_one("li a.caucus-ref").get_text() == "[[12]]"
    assert soup.select_one(".footnote a.caucus-ref")


def test_references_in_callouts_are_links_and_in_math_stay_as_written():
    text = ("> [!note] Title\n> See Strategy Note 12\n\n> [!tip]-\n> Folded [[12]]\n\n"
            "Math $Strategy Note 12$ and\n\n$$\n[[12]]\n$$\n")
    marked, anchors = mark_links(text, find_references(text, WORDS), resolve, lambda uri: uri)
    soup = BeautifulSoup(renderer()(marked, anchors), "html.parser")
    assert soup.select_one(".admonition.note a.caucus-ref").get_text() == "Strategy Note 12"
    assert soup.select_one("details.tip a.caucus-ref").get_text() == "[[12]]"
    assert len(soup.select("a.caucus-ref")) == 2 and len(soup.select("math")) == 2
