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
