"""The Atom feed of notes (feed.xml), serialized by feedgen.

Every date in the feed comes from the notes themselves (or SOURCE_DATE_EPOCH
for undated ones), never from the clock, so two builds of the same notes give
the same bytes.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence

from feedgen.feed import FeedGenerator

from .model import Note
from .pages import latest

FEED = "feed.xml"


def fallback_time() -> datetime.datetime:
    """The time given to undated notes: SOURCE_DATE_EPOCH if set, else the Unix epoch."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "0")
    seconds = int(epoch) if epoch.isdigit() else 0
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)


def _time(note: Note, fallback: datetime.datetime) -> datetime.datetime:
    if note.date is None:
        return fallback
    return datetime.datetime.combine(note.date, datetime.time(), tzinfo=datetime.timezone.utc)


def atom_feed(notes: Sequence[Note], site_name: str, site_url: str = "") -> str:
    """Newest first, each with title, date, summary and link; absolute links when site_url is set."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    fallback = fallback_time()
    ordered = latest(notes, len(notes))
    feed = FeedGenerator()
    feed.id(base + FEED if base else "urn:caucus-site:notes")
    feed.title(f"{site_name}: strategy notes" if site_name else "Strategy notes")
    feed.link(href=base + "notes/", rel="alternate")
    feed.link(href=base + FEED, rel="self")
    feed.language("en")
    feed.updated(max((_time(n, fallback) for n in ordered), default=fallback))
    # feedgen prepends entries, so add them oldest first to get newest first in the file.
    for note in reversed(ordered):
        entry = feed.add_entry()
        entry.id(base + note.url if base else f"urn:caucus-site:{note.url}")
        entry.title(note.label + ": " + note.title if note.number is not None else note.title)
        entry.link(href=base + note.url, rel="alternate")
        entry.updated(_time(note, fallback))
        if note.date is not None:
            entry.published(_time(note, fallback))
        if note.summary:
            entry.summary(note.summary)
        for tag in note.tags:
            entry.category(term=tag)
    return feed.atom_str(pretty=True).decode("utf-8")
