"""Results of pure work, kept by the inputs they were made from.

Parsing, in-note de-duplication and finding references depend only on a
note's text and a setting or two, so a rebuild of the live preview after one
note was edited reuses what was worked out for every other note (`Memo`).
Between builds, what a build keeps on disk (the site graph's layout here, the
rendered pages in `rendered.py`) is written and read by `keep`/`read_kept`.
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


def digest(*parts: object) -> str:
    """A short fingerprint of text and reprs (the same across processes: no `hash()`)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def read_kept(path: Path) -> object | None:
    """What `keep` wrote at `path`; None when there is nothing there or it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep(path: Path, value: object) -> None:
    """`value` as JSON at `path`, whole or not at all (written beside it, then moved in place). Only a
    cache is kept so: a read-only checkout, or a value JSON cannot hold, is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
    except (OSError, TypeError, ValueError):
        pass


class KeptOnDisk:
    """The one value of a kind that takes long to make (the site graph's layout), kept in a folder
    between builds under a fingerprint of its key, as JSON; a value made for another key replaces it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        path = self.folder / f"{digest(repr(key))}.json"
        kept = read_kept(path)
        if kept is not None:
            return kept  # type: ignore[return-value]
        value = make()
        if self.folder.is_dir():
            for old in self.folder.glob("*.json"):
                old.unlink(missing_ok=True)
        keep(path, value)
        return value
