"""A new note's file name and starting text: what `caucus-site new` writes."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

import yaml

from .rendering import render
from .sources import slugify


class NumberTaken(ValueError):
    """The number asked for already belongs to another note."""


def next_number(claimed: Mapping[int, str]) -> int:
    return max(claimed, default=0) + 1


def new_note(title: str, claimed: Mapping[int, str], notes_dir: str, date: datetime.date,
             number: int | None = None, tags: Sequence[str] = ()) -> tuple[str, str]:
    """(path relative to the root, file text) for a note; refuses a number that is taken."""
    if number is not None and number in claimed:
        raise NumberTaken(f"number {number} is already used by {claimed[number]}; "
                          f"the next free number is {next_number(claimed)}")
    number = number if number is not None else next_number(claimed)
    meta = {"title": title, "date": date.isoformat(), "tags": list(tags), "summary": ""}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=1000)
    path = f"{notes_dir.rstrip('/')}/{number:04d}-{slugify(title)}.md"
    return path, render("new_note.md.j2", front_matter=front.strip(), title=title)
