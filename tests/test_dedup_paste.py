"""Inside a note only paste accidents are left out; a repeat the author meant stays and is reported."""

from __future__ import annotations

from generator.dedup import find_in_note, without_repeats
from test_dedup import PARAGRAPH, SEED, corpus_result

DEFINITION = ("A caucus is an organized group of members inside a union or other organization that works "
              "to change its policies and leadership.")
OTHER = "Caucuses grow when members see them win small fights at work and in the neighbourhood together."
SHORT = "Remake our organizations."


def page(body: str) -> str:
    return without_repeats(body, find_in_note(body, 12).removals)[0]


def test_the_whole_note_pasted_twice_without_a_heading_is_left_out_once():
    half = f"{DEFINITION}\n\n{OTHER}\n\n{SHORT}\n"
    assert page(f"{half}\n{half}") == half


def test_a_run_pasted_three_times_keeps_one_copy():
    run = f"{PARAGRAPH}\n\n{SHORT}\n\n"
    assert page(run * 3) == run.removesuffix("\n")


def test_a_definition_quoted_again_later_stays_and_is_reported():
    body = (f"{DEFINITION}\n\n{OTHER}\n\nThe following definition:\n\n{DEFINITION}\n\nMore text after it.\n")
    found = find_in_note(body, 12)
    assert found.removals == ()
    assert [(k.start, k.first_start, k.unique_line) for k in found.kept] == [(6, 0, -1)]
    assert page(body) == body


def test_an_appendix_restating_paragraphs_under_another_heading_stays():
    body = (f"## Argument\n\n{DEFINITION}\n\n{OTHER}\n\n## Appendix: summary\n\n{DEFINITION}\n\n{OTHER}\n")
    found = find_in_note(body, 12)
    assert found.removals == () and len(found.kept) == 2
    assert page(body) == body


def test_a_short_block_twice_in_a_row_stays():
    body = f"{OTHER}\n\n{SHORT}\n\n{SHORT}\n"
    assert find_in_note(body, 12) == find_in_note(body, 12).__class__()


def test_kept_repeats_are_info_findings_and_pasted_ones_still_go(tmp_path):
    result = corpus_result(tmp_path, {
        "seed.md": SEED,
        "quote.md": f"{DEFINITION}\n\n{OTHER}\n\nThe following definition:\n\n{DEFINITION}\n",
    })
    assert [(r.kind, str(r.finding)) for r in result.repeats if r.locations[0].path == "notes/quote.md"] == [
        ("in-note-kept", "notes/quote.md:7: info: line 7 repeats line 1 and stays: it does not follow its "
                         "first copy, so it is taken as meant")]
    assert DEFINITION in result.bodies["notes/quote/"].split("definition:")[1]
    assert result.bodies["notes/seed/"].count(
        "## What caucuses should work for") == 1


def test_subsections_restated_under_an_appendix_heading_stay():
    body = (f"## Design\n\n### Definition\n\n{DEFINITION}\n\n## Appendix: full text\n\n"
            f"### Definition\n\n{DEFINITION}\n")
    found = find_in_note(body, 12)
    assert found.removals == () and [(k.start, k.first_start) for k in found.kept] == [(10, 4)]
