"""`caucus-site check`: output a member can act on, and exit codes CI can trust."""

from __future__ import annotations

import json

from click.testing import CliRunner

from generator.cli import main


def run(site, *args):
    return CliRunner().invoke(main, ["check", "-f", str(site.root / "mkdocs.yml"), *args])


def test_clean_site_exits_zero(fixture_site):
    result = run(fixture_site(notes={"0001-a.md": "# A\n\nText.\n"}))
    assert result.exit_code == 0
    assert result.stdout == ""


def test_errors_print_path_line_level_message_and_exit_one(fixture_site):
    site = fixture_site(notes={"a.md": "---\nnumber: 0\n---\n# A\n", "b.md": "---\ntitel: B\n---\n# B\n"})
    result = run(site)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "notes/a.md:2: error: 'number' must be a positive whole number such as 'number: 12', not 0",
        "notes/b.md:2: warning: unknown front matter key 'titel' is ignored; did you mean 'title'?",
    ]


def test_warnings_fail_only_with_strict(fixture_site):
    site = fixture_site(notes={"b.md": "---\ntitel: B\n---\n# B\n"})
    assert run(site).exit_code == 0
    assert run(site, "--strict").exit_code == 1


def test_json_format(fixture_site):
    site = fixture_site(notes={"b.md": "---\ntitel: B\n---\n# B\n"})
    data = json.loads(run(site, "--format", "json").stdout)
    assert data["findings"] == [{"path": "notes/b.md", "line": 2, "level": "warning",
                                 "message": "unknown front matter key 'titel' is ignored; did you mean 'title'?"}]
    assert data["counts"] == {"error": 0, "warning": 1, "info": 0}


def test_usage_error_exits_two(fixture_site):
    site = fixture_site()
    assert run(site, "--format", "xml").exit_code == 2


def test_bad_plugin_option_is_a_usage_error(fixture_site):
    site = fixture_site(options="unresolved_references: loudly")
    result = run(site)
    assert result.exit_code == 2
    assert "plugins.caucus.unresolved_references" in result.output


def new(site, *args):
    return CliRunner().invoke(main, ["new", "-f", str(site.root / "mkdocs.yml"), *args])


def test_new_creates_the_next_numbered_note_that_builds(fixture_site):
    site = fixture_site(notes={"0007-a.md": "# A\n", "d.md": "---\nnumber: 9\ndraft: true\n---\n# D\n"})
    result = new(site, "Tenant power: a first look", "--tags", "housing, inquiry")
    assert result.exit_code == 0, result.output
    assert result.stdout == "notes/0010-tenant-power-a-first-look.md\n"
    text = (site.root / "notes/0010-tenant-power-a-first-look.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 'Tenant power: a first look'\ndate: '")
    assert "tags: [housing, inquiry]\n" in text and text.endswith("---\n\n# Tenant power: a first look\n")
    site.build(strict=True)
    assert site.article("notes/10/").find("h1").get_text(strip=True) == "Tenant power: a first look"
    assert [t.get_text(strip=True) for t in site.article("notes/10/").select(".md-tag")] == ["housing", "inquiry"]


def test_new_with_a_taken_number_is_refused_and_writes_nothing(fixture_site):
    site = fixture_site(notes={"0007-a.md": "# A\n"})
    before = sorted(p.name for p in (site.root / "notes").iterdir())
    result = new(site, "Other", "--number", "7")
    assert result.exit_code == 1
    assert "number 7 is already used by notes/0007-a.md; the next free number is 8" in result.output
    assert sorted(p.name for p in (site.root / "notes").iterdir()) == before


def test_new_with_a_free_number(fixture_site):
    site = fixture_site(notes={"0007-a.md": "# A\n"})
    result = new(site, "Older", "--number", "3")
    assert (result.exit_code, result.stdout) == (0, "notes/0003-older.md\n")
