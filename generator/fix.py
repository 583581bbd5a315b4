"""`caucus-site dedup --fix`: take in-note repeats out of the source files, and nothing else.

Works on the file's bytes, line by line, so front matter, line endings (LF,
CRLF or CR), a byte-order mark, the encoding and the presence or absence of
a final newline are kept exactly; only whole repeated lines go. The new
file is written beside the old one and renamed over it, so an interrupted
fix never leaves half a note.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .dedup import Removal, in_note_repeats, without_repeats
from .sources import decode, split_source


def fixed_bytes(data: bytes, path: str, min_words: int) -> tuple[bytes, list[Removal], int]:
    """(new bytes, what was removed, the body's first file line); unchanged data when nothing repeats.

    The result is the page's text: the original line bytes that the page keeps, a blank line
    where a removal would leave two blocks touching, and an empty HTML comment where taking a
    passage out would otherwise join its neighbours into one block.
    """
    text, _ = decode(data, path)
    if text is None:
        return data, [], 1
    source = split_source(text, path)
    if source.findings:  # broken front matter: the body's position is not certain, touch nothing
        return data, [], source.body_line
    removals = in_note_repeats(source.body, min_words)
    if not removals:
        return data, [], source.body_line
    body_lines = source.body.split("\n")
    cleaned, kept = without_repeats(source.body, removals)
    raw = data.splitlines(keepends=True)
    eol = b"\r\n" if b"\r\n" in data else (b"\r" if b"\r" in data and b"\n" not in data else b"\n")
    offset = source.body_line - 1
    if offset and kept[:1] != [0]:
        kept, cleaned = [0, *kept], "\n" + cleaned  # body line 0 is the rest of the closing '---' line
    out = raw[:offset]
    for j, line in enumerate(cleaned.split("\n")):
        original = kept[j] if j < len(kept) else None
        if original is None or offset + original >= len(raw):
            continue
        if line == body_lines[original]:
            out.append(raw[offset + original])
        elif not line.strip() and not body_lines[original].strip():
            out.append(raw[offset + original])
        else:  # what without_repeats puts in a gap: a blank line or the separator
            out.append(line.encode() + eol)
    new = b"".join(out)
    if not data.endswith((b"\n", b"\r")):
        new = new.removesuffix(eol)
    return new, removals, source.body_line


def write_atomically(file: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        shutil.copymode(file, tmp)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fix_file(file: Path, path: str, min_words: int) -> tuple[list[Removal], int]:
    """Rewrite one note without its in-note repeats; (removals, body's first file line)."""
    data = file.read_bytes()
    new, removals, body_line = fixed_bytes(data, path, min_words)
    if removals and new != data:
        write_atomically(file, new)
    return removals, body_line
