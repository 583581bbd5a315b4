"""Findings as people read them: one line each, and one summary listing every bad file."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .model import Finding


def error_summary(errors: Sequence[Finding]) -> str:
    """The single message a failed build shows: every error, grouped by file, nothing dropped."""
    files = sorted({f.path for f in errors})
    lines = [f"{len(errors)} error{'s' if len(errors) != 1 else ''} in {len(files)} "
             f"file{'s' if len(files) != 1 else ''} ({', '.join(files)}); the site was not built:"]
    lines += [f"  {f}" for f in sorted(errors)]
    return "\n".join(lines)


def as_text(findings: Sequence[Finding]) -> str:
    return "".join(f"{f}\n" for f in findings)


def as_json(findings: Sequence[Finding]) -> str:
    counts = {level: sum(1 for f in findings if f.level == level) for level in ("error", "warning", "info")}
    return json.dumps({"findings": [f.as_dict() for f in findings], "counts": counts},
                      ensure_ascii=False, indent=2) + "\n"
