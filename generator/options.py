"""The `caucus` plugin's options, declared once as data, and their validation: no MkDocs.

Both faces read this table: the MkDocs plugin builds its config schema from it,
and `caucus-site` validates mkdocs.yml's `plugins: - caucus:` mapping with
`settings_from` without loading the plugin. Each option is checked by the same
code either way, so a bad value gets the same message from `mkdocs build` and
from `caucus-site check`; the messages keep MkDocs' wording.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .applications import public_key_problem
from .model import Settings

ATTR_LIST = ("attr_list", "markdown.extensions.attr_list")


class InvalidOption(ValueError):
    """One option's value is not allowed; the message says what was expected and what was given."""


class InvalidOptions(ValueError):
    """Options that cannot make Settings: every problem as `plugins.caucus.<key>: message`."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(self.lines))

    @property
    def lines(self) -> list[str]:
        return [f"plugins.caucus{'.' + key if key else ''}: {message}" for key, message in self.problems]


@dataclass(frozen=True)
class Option:
    """One option under `plugins: - caucus:`; a missing or null value means the default."""

    name: str
    type: type  # str or int, or list (of `item` values)
    default: object
    choices: tuple[str, ...] = ()
    item: type = str  # the type of a list's items
    problem: Callable[[object], str | None] | None = None  # what is wrong with a value of the right type

    def validate(self, value: object) -> object:
        """The value to use, or InvalidOption; a list comes back as a new list."""
        if value is None:
            value = self.default
        if self.choices:
            if value not in self.choices:
                raise InvalidOption(f"Expected one of: {self.choices} but received: {value!r}")
            return value
        if self.type is list:
            if not isinstance(value, list):
                raise InvalidOption(f"Expected a list of items, but a {type(value)} was given.")
            return [_typed(item, self.item) for item in value]
        value = _typed(value, self.type)
        message = self.problem(value) if self.problem else None
        if message:
            raise InvalidOption(message)
        return value


def _typed(value: object, expected: type) -> object:
    if not isinstance(value, expected):
        raise InvalidOption(f"Expected type: {expected} but received: {type(value)}")
    return value


OPTIONS: tuple[Option, ...] = (  # in this order MkDocs checks them (it stops at the first bad one)
    Option("notes_dir", str, "notes"),
    Option("citation_words", list, ["Strategy Note", "Strategy Notes"]),
    Option("unresolved_references", str, "warn", choices=("ignore", "info", "warn", "error")),
    Option("latest_notes", int, 10),
    Option("dedup_min_words", int, 12),
    Option("contact_email", str, Settings.contact_email),
    # Secrets: set them with `!ENV [CAUCUS_JOIN_ACTION, ""]` so they live in CI, never in Git.
    Option("join_action", str, ""),
    Option("join_password", str, ""),
    # Not a secret (it may live in Git): applications are sealed to it in the browser; see README.
    Option("join_public_key", str, "", problem=public_key_problem),
)


def validate(options: Mapping[str, object]) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """Every option's value (defaults filled in) and every problem as (key, message).

    Keys the table does not declare are left alone (MkDocs warns about them itself).
    """
    values: dict[str, object] = {}
    problems: list[tuple[str, str]] = []
    for option in OPTIONS:
        try:
            values[option.name] = option.validate(options.get(option.name))
        except InvalidOption as exc:
            problems.append((option.name, str(exc)))
    return values, problems


def settings_from(options: Mapping[str, object] | None, root: Path | str, docs_dir: str, site_name: str = "",
                  site_url: str = "", config_file: str = "mkdocs.yml", use_directory_urls: bool = True,
                  attr_list: bool = False) -> Settings:
    """The core's Settings from the plugin's options (raw from mkdocs.yml, or validated by MkDocs)
    and the site's own settings; InvalidOptions names each bad `plugins.caucus.<key>`."""
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise InvalidOptions([("", f"Expected a mapping of options, but a {type(options)} was given.")])
    values, problems = validate(options)
    if problems:
        raise InvalidOptions(problems)
    values["citation_words"] = tuple(values["citation_words"])
    return Settings(root=str(root), site_name=site_name, site_url=site_url or "", docs_dir=docs_dir,
                    config_file=config_file, use_directory_urls=use_directory_urls, attr_list=attr_list,
                    **values)


def reads_attr_list(markdown_extensions) -> bool:
    """Whether mkdocs.yml's markdown_extensions (names, or one-key mappings with options) has attr_list."""
    names = [next(iter(e)) if isinstance(e, dict) and e else e for e in markdown_extensions or ()]
    return any(name in ATTR_LIST for name in names if isinstance(name, str))
