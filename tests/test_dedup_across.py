"""Across notes, content counts, not shape: templates, citations and boilerplate are not repeats."""

from __future__ import annotations

from generator.dedup import ALSO_IN_LINKS, annotate, content_words
from generator.model import Note
from test_dedup import PARAGRAPH, corpus_result

NAMES = ["tenant_union", "night_shift", "strike_fund", "steward_training", "shop_floor_map", "rent_strike",
         "phone_tree", "grievance_log", "union_hall", "member_survey", "picket_roster", "wage_table"]


def header(i: int) -> str:
    """A templated header: the same labels, other names, numbers and dates."""
    return (f"- Feature Name: `{NAMES[i % len(NAMES)]}`\n- Start Date: 2014-03-{i % 28 + 1:02d}\n"
            f"- Caucus PR: [caucus/notes#{100 + i}](https://example.org/caucus/notes/pull/{100 + i})\n"
            f"- Tracking Issue: [caucus/work#{400 + i}](https://example.org/caucus/work/issues/{400 + i})")


def body(i: int, *extra: str) -> str:
    tag = "".join("abcdefghij"[int(d)] for d in str(i))
    own = f"Note {i} argues its own case about {tag}work and {tag}pay, in its own words and with its own figures."
    return "\n\n".join([header(i), own, *extra]) + "\n"


def test_templated_headers_are_not_repeats(tmp_path):
    result = corpus_result(tmp_path, {f"{i:04d}-n.md": body(i) for i in range(1, 31)})
    assert [r for r in result.repeats if r.kind in ("near", "exact")] == []
    assert result.also_in == {}


def test_headers_differing_only_in_numbers_are_not_repeats(tmp_path):
    same_name = {f"{i:04d}-n.md": body(i).replace(NAMES[i % len(NAMES)], "not_applicable") for i in range(1, 6)}
    assert [r.kind for r in corpus_result(tmp_path, same_name).repeats] == []


def test_a_line_of_citations_is_not_a_repeat(tmp_path):
    citations = "See Strategy Note 257 Strategy Note 569, Strategy Notes 12, 14 and 15 and Strategy Note {i} too."
    notes = {f"{i:04d}-n.md": f"# N{i}\n\n{citations.format(i=i)}\n" for i in range(1, 5)}
    assert corpus_result(tmp_path, notes).repeats == ()
    assert content_words(citations.format(i=7), ("Strategy Note", "Strategy Notes")) == ["see", "and", "too"]


def test_boilerplate_in_every_note_is_not_reported(tmp_path):
    footer = ("This note is part of the caucus strategy series and is open for comment by every member "
              "at the weekly meeting of the organizing committee.")
    result = corpus_result(tmp_path, {f"{i:04d}-n.md": body(i, footer) for i in range(1, 31)})
    assert result.repeats == ()


def test_an_exact_repeat_in_k_notes_gives_k_minus_one_findings_against_the_first(tmp_path):
    notes = {f"{i:04d}-n.md": body(i, PARAGRAPH) for i in range(1, 6)}
    notes |= {f"{i:04d}-n.md": body(i) for i in range(6, 31)}
    result = corpus_result(tmp_path, notes)
    assert [(r.kind, r.locations[0].path, r.locations[1].path) for r in result.repeats] == [
        ("exact", f"notes/{i:04d}-n.md", "notes/0001-n.md") for i in range(2, 6)]
    assert result.also_in["notes/1/"] == [(8, ["notes/2/", "notes/3/", "notes/4/", "notes/5/"])]


def test_a_real_near_repeat_is_still_found_among_templates(tmp_path):
    near = PARAGRAPH.replace("again and again", "over and over")
    notes = {f"{i:04d}-n.md": body(i) for i in range(1, 31)}
    notes["0003-n.md"] = body(3, PARAGRAPH)
    notes["0017-n.md"] = body(17, near)
    result = corpus_result(tmp_path, notes)
    assert [(r.kind, r.locations[0].path, r.locations[1].path) for r in result.repeats] == [
        ("near", "notes/0017-n.md", "notes/0003-n.md")]


def test_at_most_three_also_in_links_per_passage():
    notes = {f"notes/{i}/": Note(path=f"notes/{i:04d}.md", slug=str(i), title=f"N{i}", body="", number=i)
             for i in range(1, 7)}
    page = annotate("Passage.\n", [(1, [f"notes/{i}/" for i in range(2, 7)])], "notes/1.md", notes)
    assert ALSO_IN_LINKS == 3
    assert page.split("\n")[2] == ('<span class="caucus-also-in">This passage also appears in [Strategy Note 2](2.md), '
                                   "[Strategy Note 3](3.md), [Strategy Note 4](4.md) and 2 other notes.</span>")


def test_same_words_are_not_the_same_text(tmp_path):
    result = corpus_result(tmp_path, {"0001-a.md": f"# Same\n\n{PARAGRAPH}\n",
                                      "0002-b.md": f"# same\n\n{PARAGRAPH.upper()}\n",
                                      "0003-c.md": "# Short\n\nMoved to [the other note](0001-a.md).\n",
                                      "0004-d.md": "# Short\n\nMoved to [the other note](0001-a.md).\n"})
    assert [r for r in result.repeats if r.kind == "identical-note"] == []
