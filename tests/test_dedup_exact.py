"""Code, tables and math are compared exactly: there white space and layout are content."""

from __future__ import annotations

from generator.blocks import parse
from generator.dedup import block_key, in_note_repeats, normalize

RUST = """\
```rust
fn main() {
    let total = items.iter().map(|item| item.price * item.quantity).sum::<u64>();
    println!("{total}");
}
```"""
RUST_RELAID = RUST.replace("    let", "let").replace("    println", "        println")
TABLE = "| demand | members | share |\n| --- | --- | --- |\n| wages and hours at the plant | 120 | 40 % of the shop |"
TABLE_RELAID = TABLE.replace("| 120 |", "|   120 |")


def removed(body: str) -> list[tuple[int, int]]:
    return [(r.start, r.end) for r in in_note_repeats(body, 12)]


def test_code_blocks_differing_only_in_layout_are_different():
    assert removed(f"{RUST}\n\n{RUST_RELAID}\n") == []
    assert removed(f"{RUST}\n\n{RUST}\n") == [(7, 13)]


def test_indented_code_and_tables_keep_their_layout():
    code = "    let total = items.iter().map(|item| item.price * item.quantity).sum::<u64>(); // all of it"
    assert removed(f"{code}\n\nbetween\n\n{code.replace('    let', '    let ', 1)}\n") == []
    assert removed(f"{TABLE}\n\n{TABLE_RELAID}\n") == []


def test_math_is_compared_exactly():
    math = "$$\n\\sum_{i=1}^{n} wage_i \\cdot hours_i = total\\ paid\\ to\\ every\\ member\\ of\\ the\\ shop\n$$"
    assert removed(f"{math}\n\n{math.replace('= total', '=  total')}\n") == []


def test_a_list_or_quote_holding_code_is_compared_exactly():
    item = RUST.replace("\n", "\n  ")
    relaid = RUST_RELAID.replace("\n", "\n  ")
    intro = "- The loop that sums every order the caucus members placed during the week:\n\n  "
    assert removed(f"{intro}{item}\n\n{intro}{relaid}\n") == []
    quote = "> " + TABLE.replace("\n", "\n> ")
    assert parse(quote).blocks[0].exact
    assert removed(f"{quote}\n\n{'> ' + TABLE_RELAID.replace(chr(10), chr(10) + '> ')}\n") == []


def test_prose_is_still_folded():
    [block] = parse("Some prose\nwrapped   here.").blocks
    assert not block.exact and block_key(block) == "Some prose wrapped here."


def test_nfc_not_nfkc():
    assert normalize("10²") != normalize("102")
    assert normalize("caf\u00e9") == normalize("cafe\u0301")
    paragraph = "Our local grew from 10² members to many more in a year of patient organizing at every shift."
    assert removed(f"{paragraph}\n\n{paragraph.replace('10²', '102')}\n") == []
