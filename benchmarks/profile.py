"""`make profile`: where the generator's own time goes, on a synthetic site of 1,000 notes.

pyinstrument samples `build_site` (everything the plugin does before MkDocs
renders a page) and prints the call tree; with `--mkdocs` it samples the
whole `mkdocs build` instead, to see the engine's share beside ours.

    python -m benchmarks.profile [--mkdocs] [notes]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from benchmarks.site_build import ENV
from benchmarks.site_corpus import write_site

NOTES = 1000


def profile_core(root: Path) -> Profiler:
    from generator.cli import load_settings
    from generator.pipeline import build_site

    settings = load_settings(root / "mkdocs.yml")
    build_site(settings)  # warm: imports and compiled templates are not what is measured
    with Profiler(interval=0.0005) as profiler:
        build_site(settings)
    return profiler


def profile_mkdocs(root: Path) -> Profiler:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.update(ENV)
    config = load_config(str(root / "mkdocs.yml"))
    with Profiler(interval=0.001) as profiler:
        build(config)
    return profiler


def main(argv: list[str]) -> None:
    whole = "--mkdocs" in argv
    notes = int(next((a for a in argv if a.isdigit()), NOTES))
    with tempfile.TemporaryDirectory(prefix="caucus-profile-") as tmp:
        root = write_site(Path(tmp, "site"), notes)
        profiler = profile_mkdocs(root) if whole else profile_core(root)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main(sys.argv[1:])
