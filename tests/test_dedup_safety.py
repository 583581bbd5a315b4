"""No line whose text exists only once in a note is ever lost, by the page or by `dedup --fix`."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.dedup import find_in_note, without_repeats
from generator.fix import fixed_bytes

MIN_WORDS = 12
VOCABULARY = "caucus union members strike shift wages hours rent tenants meeting vote local steward".split()
BOILERPLATE = ["Comments welcome at the weekly meeting.", "---", "Solidarity forever."]


def sentence(words: list[str]) -> str:
    return " ".join(words).capitalize() + "."


words = st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=16)
paragraph = st.one_of(words.map(sentence), st.sampled_from(BOILERPLATE))
code = st.tuples(words, st.sampled_from(["", "    ", "  "])).map(
    lambda wi: "```rust\nfn main() {\n" + wi[1] + "let " + "_".join(wi[0][:3]) + " = 1;\n}\n```")
table = words.map(lambda w: "| a | b |\n| --- | --- |\n| " + " ".join(w[:6]) + " | " + " ".join(w[6:]) + " |")
bullets = st.lists(words.map(lambda w: "- " + " ".join(w)), min_size=1, max_size=3).map("\n".join)
reference = st.sampled_from(["[r]: https://example.org/r", "[s]: https://example.org/s \"S\"", "[r]: https://x.org"])
heading = st.sampled_from(["## Demands", "## Appendix", "### Detail"])
block = st.one_of(paragraph, paragraph, code, table, bullets, reference, heading)


@st.composite
def documents(draw) -> str:
    """Blocks from a small vocabulary, with runs and sections pasted again, sometimes changed a little:
    another block, other line breaks, other spaces."""
    blocks = draw(st.lists(block, min_size=1, max_size=8))
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(blocks) - 1))
        end = draw(st.integers(start + 1, len(blocks)))
        copy = list(blocks[start:end])
        change = draw(st.sampled_from(["none", "none", "replace", "rewrap", "space"]))
        where = draw(st.integers(0, len(copy) - 1))
        if change == "replace":
            copy[where] = draw(block)
        elif change == "rewrap":  # the same words, wrapped elsewhere: equal prose, other lines
            copy[where] = copy[where].replace(" ", "\n", 1)
        elif change == "space":  # code or a table laid out differently
            copy[where] = copy[where].replace(" ", "  ", 1)
        at = draw(st.sampled_from([end, len(blocks)]))
        blocks[at:at] = copy
    return "\n\n".join(blocks) + draw(st.sampled_from(["\n", "", "\n\n"]))


def texts(text: str) -> set[str]:
    return {line.rstrip() for line in text.split("\n") if line.strip()}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_no_unique_line_is_lost(text):
    page = without_repeats(text, find_in_note(text, MIN_WORDS).removals)[0]
    fixed = fixed_bytes(text.encode(), "notes/x.md", MIN_WORDS)[0].decode()
    assert texts(text) <= texts(page)
    assert texts(text) <= texts(fixed)


def test_a_reference_definition_only_in_the_copy_keeps_its_section():
    paragraph = "The caucus meets every week to plan the next steps of the campaign with [the union][r] members."
    body = f"## Plan\n\n{paragraph}\n\n## Plan\n\n[r]: https://example.org/union\n\n{paragraph}\n"
    found = find_in_note(body, MIN_WORDS)
    assert found.removals == ()
    assert [(k.start, k.unique_line) for k in found.kept] == [(4, 6)]
    assert fixed_bytes(body.encode(), "notes/x.md", MIN_WORDS)[0].decode() == body
