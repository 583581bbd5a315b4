"""Each note is parsed once: the pieces parsed on demand read exactly as a whole parse reads them."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.blocks import document_env, parse
from generator.references import could_hold_reference, reference_parser

WORDS = ("Strategy Note", "Strategy Notes", "SN")
PIECES = st.sampled_from(["We", "build", "Strategy Note 12", "Strategy Notes 5 and 14", "SN 3", "[[12]]",
                          "[[On unions|label]]", "*", "_", "`", "[", "]", "(", ")", "<b>", "</b>", "# ", "## ",
                          "-", "|", "---", "\n", "\n\n", "    ", "> ", "1.", "&amp;", "\\[", "[a]: /x", "[a]",
                          "![", "<", ">", "Title\n===", "```", "~~~"])
TEXTS = st.lists(PIECES, max_size=40).map(" ".join)


def shape(tokens):
    """What a stage reads of inline tokens: each child's type and content, nested."""
    return [(t.type, t.content, shape(t.children or [])) for t in tokens]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
@example("[a]: /x\n\nSee [a] and [Strategy Note 12][a].")  # link definitions reach the pieces
@example("\\[[12]] and \\*SN 3\\*")  # escapes joined into the text around them
def test_inline_pieces_parse_as_in_a_whole_parse(text):
    md = reference_parser(WORDS)
    whole = [t for t in md.parse(text, document_env(text)) if t.type == "inline" and t.map is not None]
    document = parse(text)
    pieces = [document.inline_tokens(piece, md) for piece in document.inlines]
    assert [(t.content, t.map[0], shape(t.children)) for t in whole] == \
           [(t.content, t.map[0], shape(t.children)) for t in pieces]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_pieces_skipped_hold_no_reference(text):
    md = reference_parser(WORDS)
    document = parse(text)
    for piece in document.inlines:
        kinds = {t.type for t in document.inline_tokens(piece, md).children}
        if kinds & {"caucus_citation", "caucus_wikilink"}:
            assert could_hold_reference(piece.content, WORDS)
