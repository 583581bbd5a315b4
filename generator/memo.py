"""Results of pure per-note work, kept between rebuilds of the live preview.

Parsing, in-note de-duplication and finding references depend only on a
note's text and a setting or two, so a rebuild after one note was edited
can reuse what was worked out for every other note. A build outside the
preview runs without one and keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
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


def remembered(memo: Memo | None, key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, through the memo when there is one."""
    return make() if memo is None else memo.get(key, make)
