"""Properties of in-note de-duplication that hold for every note a member could paste."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.blocks import split_blocks
from generator.dedup import SEPARATOR, in_note_repeats, normalize, without_repeats

MIN_WORDS = 12
LONG = [("Caucuses should organize members to do most of the union's work and "
         "build solidarity across lines of division in every workplace."),
        ("Inquiry must become an ongoing tool used for building organizations "
         "and advancing politics, not a survey done once and filed away."),
        ("Remake our organizations to remake our society, starting with the unions "
         "we already belong to and the congregations around them.")]
SHORT = ["Solidarity forever.", "Yes.", "Remake our organizations.", "- a short item"]
HEADINGS = ["## What caucuses should work for", "## Inquiry", "### Detail"]

blocks_strategy = st.lists(st.sampled_from(LONG + SHORT + HEADINGS + [LONG[0].replace(" ", "\n", 3),
                                                                       "- " + LONG[1], "> " + LONG[2]]),
                           max_size=14)
notes = blocks_strategy.map(lambda blocks: "\n\n".join(blocks) + "\n")
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dedup(text: str) -> str:
    return without_repeats(text, in_note_repeats(text, MIN_WORDS))[0]


def distinct(text: str) -> list[str]:
    """Distinct normalised blocks in order of first occurrence (the invisible separator is not text)."""
    return list(dict.fromkeys(normalize(b.text) for b in split_blocks(text) if b.text != SEPARATOR))


@SETTINGS
@given(notes)
def test_no_unique_passage_is_lost_and_first_occurrences_keep_their_order(text):
    assert distinct(dedup(text)) == distinct(text)


@SETTINGS
@given(notes)
def test_dedup_is_idempotent(text):
    once = dedup(text)
    assert dedup(once) == once


@SETTINGS
@given(notes)
def test_a_short_block_goes_only_with_a_removal_that_holds_a_block_of_substance(text):
    blocks = split_blocks(text)
    for removal in in_note_repeats(text, MIN_WORDS):
        inside = [b for b in blocks if removal.start <= b.start < removal.end]
        assert any(b.words >= MIN_WORDS and b.kind != "heading" for b in inside), removal


@given(st.text())
def test_normalizing_folds_every_run_of_white_space_to_one_space(text):
    assert normalize(text) == re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
