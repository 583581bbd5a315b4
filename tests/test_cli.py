"""`caucus-site check`: output a member can act on, and exit codes CI can trust."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import load_settings, main


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


BAD_OPTIONS = {  # option -> the message `check` gave when it validated with the plugin's MkDocs schema
    "unresolved_references: loudly": "plugins.caucus.unresolved_references: Expected one of: "
                                     "('ignore', 'info', 'warn', 'error') but received: 'loudly'",
    "latest_notes: ten": "plugins.caucus.latest_notes: Expected type: <class 'int'> but received: <class 'str'>",
    "dedup_min_words: 2.5": "plugins.caucus.dedup_min_words: Expected type: <class 'int'> but received: <class 'float'>",
    "notes_dir: 5": "plugins.caucus.notes_dir: Expected type: <class 'str'> but received: <class 'int'>",
    "citation_words: Strategy Note": "plugins.caucus.citation_words: Expected a list of items, "
                                    "but a <class 'str'> was given.",
    "citation_words: [Strategy Note, 3]": "plugins.caucus.citation_words: Expected type: <class 'str'> "
                                         "but received: <class 'int'>",
    "join_password: [a]": "plugins.caucus.join_password: Expected type: <class 'str'> but received: <class 'list'>",
}


@pytest.mark.parametrize("option", BAD_OPTIONS)
def test_bad_plugin_option_names_the_key_and_the_problem(fixture_site, option):
    site = fixture_site(options=option)
    result = run(site)
    assert result.exit_code == 2
    assert result.output == f"Error: {site.root / 'mkdocs.yml'}: {BAD_OPTIONS[option]}\n"


@pytest.mark.parametrize("option", BAD_OPTIONS)
def test_the_plugin_rejects_a_bad_option_with_the_same_message(option):
    from generator.plugin import CaucusPlugin

    errors, _ = CaucusPlugin().load_config(yaml.safe_load(option))
    assert [f"plugins.caucus.{key}: {error}" for key, error in errors] == [BAD_OPTIONS[option]]


def test_every_bad_option_is_named_at_once(fixture_site):
    result = run(fixture_site(options="notes_dir: 5\nlatest_notes: ten"))
    assert result.exit_code == 2
    assert "plugins.caucus.notes_dir:" in result.output and "plugins.caucus.latest_notes:" in result.output


def test_options_left_out_or_null_take_their_defaults(fixture_site):
    site = fixture_site(options="notes_dir: null\ncitation_words: null")
    settings = load_settings(site.root / "mkdocs.yml")
    assert (settings.notes_dir, settings.citation_words) == ("notes", ("Strategy Note", "Strategy Notes"))
    assert settings.latest_notes == 10 and settings.unresolved_references == "warn"


def test_the_command_line_does_not_load_the_plugin():
    """`caucus-site` validates options with the core's table, not by importing the MkDocs plugin."""
    code = "import sys, generator.cli; print(sorted(m for m in sys.modules if m.startswith('generator.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = result.stdout.strip()
    assert "generator.options" in loaded and "generator.plugin" not in loaded


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
