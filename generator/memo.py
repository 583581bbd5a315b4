"""Results of pure per-note work, kept between rebuilds of the live preview.

Parsing, in-note de-duplication and finding references depend only on a
note's text and a setting or two, so a rebuild after one note was edited
can reuse what was worked out for every other note. A build outside the
preview runs without one and keeps nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class Memo:
    """Values by key (the inputs they were made from), forgetting what the last build did not use."""

    def __init__(self) -> None:
        self._values: dict[Hashable, object] = {}
        self._used: set[Hashable] = set()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        self._used.add(key)
        if key not in self._values:
            self._values[key] = make()
        return self._values[key]  # type: ignore[return-value]

    def prune(self) -> None:
        """After a build: drop what it did not ask for (notes deleted or edited since)."""
        self._values = {k: v for k, v in self._values.items() if k in self._used}
        self._used = set()

    def __len__(self) -> int:
        return len(self._values)


def remembered(memo: Memo | KeptOnDisk | None, key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, through the memo when there is one."""
    return make() if memo is None else memo.get(key, make)


class KeptOnDisk:
    """The one value of a kind that takes long to make (the site graph's layout), kept in a folder
    between builds under a fingerprint of its key, as JSON; a value made for another key replaces it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        path = self.folder / f"{hashlib.blake2b(repr(key).encode('utf-8'), digest_size=16).hexdigest()}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        value = make()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for old in self.folder.glob("*.json"):
                old.unlink(missing_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_text(json.dumps(value), encoding="utf-8")
            temporary.replace(path)
        except OSError:  # a read-only checkout builds as well, only without keeping it
            pass
        return value
