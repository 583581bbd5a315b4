"""`caucus-site dedup` and `--fix`: every finding listed; only in-note repeats ever removed, byte-exact."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import main
from generator.dedup import Location, describe_fix, line_span
from test_dedup import PARAGRAPH, SEED, SEED_HALF


def run(site, *args):
    return CliRunner().invoke(main, ["dedup", "-f", str(site.root / "mkdocs.yml"), *args])


def test_lists_every_finding_with_both_locations(fixture_site):
    site = fixture_site(notes={"0001-a.md": f"# A\n\n{PARAGRAPH}\n", "0002-b.md": f"# B\n\n{PARAGRAPH}\n"})
    (site.root / "notes/seed.md").write_text(SEED, encoding="utf-8")
    result = run(site)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "notes/0002-b.md:3: info: line 3 also appears notes/0001-a.md:3 (similarity 1.00)",
        "notes/seed.md:17: info: lines 17-27 repeat the section “What caucuses should work for” of lines 3-13 "
        "and are left out of the page (caucus-site dedup --fix removes them from the file)",
    ]


def test_json_has_kind_similarity_locations_and_excerpt(fixture_site):
    site = fixture_site(notes={"0001-a.md": f"# A\n\n{PARAGRAPH}\n", "0002-b.md": f"# B\n\n{PARAGRAPH}\n"})
    data = json.loads(run(site, "--format", "json").stdout)
    [finding] = data["findings"]
    assert finding["kind"] == "exact" and finding["similarity"] == 1.0
    assert finding["locations"] == [{"path": "notes/0002-b.md", "start_line": 3, "end_line": 3},
                                    {"path": "notes/0001-a.md", "start_line": 3, "end_line": 3}]
    assert finding["excerpt"].startswith("Organizing the unorganized means")


def test_fix_removes_in_note_repeats_keeping_every_other_byte(fixture_site):
    site = fixture_site()
    crlf = ("\ufeff---\r\ntitle: Pasted\r\n---\r\n" + SEED.replace("\n", "\r\n")).encode("utf-8")
    (site.root / "notes/crlf.md").write_bytes(crlf)
    no_final_newline = (f"{PARAGRAPH}\n\nSolidarity forever.\n\nSolidarity forever.\n\n"
                        f"{PARAGRAPH}\n\n{PARAGRAPH}").encode()
    (site.root / "notes/short.md").write_bytes(no_final_newline)
    shared = f"# Shared\n\n{PARAGRAPH}\n".encode()
    (site.root / "notes/shared.md").write_bytes(shared)
    result = run(site, "--fix")
    assert result.exit_code == 0
    assert "notes/crlf.md: removed lines 20-30 (a repeat of lines 6-16)" in result.stdout
    expected = ("\ufeff---\r\ntitle: Pasted\r\n---\r\n\r\n\r\n" + SEED_HALF.replace("\n", "\r\n")).encode("utf-8")
    assert (site.root / "notes/crlf.md").read_bytes() == expected
    # Short refrains stay; the repeated paragraph goes; no final newline is added.
    assert (site.root / "notes/short.md").read_bytes() == (
        f"{PARAGRAPH}\n\nSolidarity forever.\n\nSolidarity forever.\n\n{PARAGRAPH}").encode()
    # A passage shared with another note is never removed.
    assert (site.root / "notes/shared.md").read_bytes() == shared
    assert sorted(p.name for p in (site.root / "notes").iterdir()) == ["crlf.md", "shared.md", "short.md"]


def test_fix_is_idempotent(fixture_site):
    site = fixture_site()
    (site.root / "notes/seed.md").write_text(SEED, encoding="utf-8")
    run(site, "--fix")
    once = (site.root / "notes/seed.md").read_bytes()
    second = run(site, "--fix")
    assert (site.root / "notes/seed.md").read_bytes() == once
    assert "removed" not in second.stdout


def test_usage_error_exits_two(fixture_site):
    assert run(fixture_site(), "--format", "yaml").exit_code == 2


def test_fix_never_joins_two_lists(fixture_site):
    """CommonMark ends a list where the bullet changes; Python-Markdown, which renders the site, does not."""
    site = fixture_site()
    text = f"{PARAGRAPH}\n\n- first list\n\n{PARAGRAPH}\n\n- first list\n\n* second list\n"
    (site.root / "notes/lists.md").write_text(text, encoding="utf-8")
    run(site, "--fix")
    fixed = (site.root / "notes/lists.md").read_text(encoding="utf-8")
    assert fixed == f"{PARAGRAPH}\n\n- first list\n\n<!-- -->\n\n* second list\n"
    site.build(strict=True)
    lists = site.article("notes/lists/").find_all("ul", recursive=False)
    assert [ul.get_text(strip=True) for ul in lists] == ["first list", "second list"]


def test_messages_never_say_lines_n_to_n():
    assert describe_fix({"path": "notes/a.md", "start_line": 28, "end_line": 28, "repeats": "3-3"}) == (
        "notes/a.md: removed line 28 (a repeat of line 3)")
    assert describe_fix({"path": "notes/a.md", "start_line": 28, "end_line": 30, "repeats": "3-5"}) == (
        "notes/a.md: removed lines 28-30 (a repeat of lines 3-5)")
    assert str(Location("notes/a.md", 3, 3)) == "notes/a.md:3" and line_span(3, 4) == "lines 3-4"
