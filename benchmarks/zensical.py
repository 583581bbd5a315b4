"""Zensical building the exported site: how the engine that follows Material compares with MkDocs.

Material for MkDocs reaches end of life in 2027; its successor, Zensical, reads mkdocs.yml but
runs no MkDocs plugin, so it builds the site as `caucus-site export --engine zensical` writes it.
Here the 1,000-note synthetic site is exported twice (for MkDocs, for Zensical) and built by each:

- MkDocs: `mkdocs build --strict` on the plain export, as site_build's "floor";
- Zensical cold: `zensical build` in a fresh copy of its export (no site/, no .cache/);
- Zensical warm: `zensical build` again in the same copy, which reuses its .cache/.

Rounds run in turns (MkDocs, cold, warm), best of three each. A report, not a target: the
caucus builds with MkDocs until it moves.

    python -m benchmarks.zensical
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.site_build import (BIN, CAUCUS_SITE, MB, MKDOCS, REPEATS, BenchmarkFailed, Run, markdown_table,
                                   note_pages, row, run_command)
from benchmarks.site_corpus import write_site

ZENSICAL = str(BIN / "zensical")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The exported mkdocs.yml names `generator.flavour`: both engines import it from this checkout.
PYTHONPATH = {"PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}


def export(site: Path, target: Path, engine: str) -> Path:
    run_command([CAUCUS_SITE, "export", "--engine", engine, str(target)], site, PYTHONPATH)
    return target


def mkdocs_build(root: Path) -> Run:
    return run_command([MKDOCS, "build", "--strict"], root, PYTHONPATH)


def zensical_build(root: Path) -> Run:
    return run_command([ZENSICAL, "build"], root, PYTHONPATH)


def zensical_rounds(source: Path, work: Path) -> tuple[Run, Run]:
    """A cold build in a fresh copy of the export, then a warm one in the same copy."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(source, work)
    cold = zensical_build(work)
    warm = zensical_build(work)
    return cold, warm


def check_pages(site: Path, n: int, engine: str) -> None:
    """A build that quietly left notes out would look fast; refuse its figures."""
    built = len(note_pages(site))
    if built != n:
        raise BenchmarkFailed(f"{engine} built {built} note pages in {site}, expected {n}")


def version(program: str) -> str:
    """The first version number `program --version` prints ("mkdocs, version 1.6.1 from …" → 1.6.1)."""
    output = subprocess.run([program, "--version"], capture_output=True, text=True, check=True).stdout
    return re.search(r"\d+(\.\d+)+", output).group(0)


def run(notes: int = 1000) -> list[dict]:
    if not Path(ZENSICAL).exists():
        return [row("Zensical building the export", f"skipped: {ZENSICAL} not found (requirements.lock pins zensical)")]
    with tempfile.TemporaryDirectory(prefix="caucus-zensical-") as tmp:
        site = write_site(Path(tmp, f"generator-{notes}"), notes)
        for_mkdocs = export(site, Path(tmp, "export-mkdocs"), "mkdocs")
        for_zensical = export(site, Path(tmp, "export-zensical"), "zensical")
        mkdocs, cold, warm = [], [], []
        for _ in range(REPEATS):  # in turns, so that a slow moment of the machine does not fall on one only
            mkdocs.append(mkdocs_build(for_mkdocs))
            first, second = zensical_rounds(for_zensical, Path(tmp, "zensical-build"))
            cold.append(first)
            warm.append(second)
        check_pages(for_mkdocs / "site", notes, "mkdocs")
        check_pages(Path(tmp, "zensical-build", "site"), notes, "zensical")
    best = {name: min(runs, key=lambda r: r.seconds) for name, runs in
            (("mkdocs", mkdocs), ("cold", cold), ("warm", warm))}
    base = best["mkdocs"].seconds

    def figures(run: Run) -> str:
        return f"{run.seconds:.2f} s, {run.peak_bytes / MB:,.0f} MB peak"

    return [
        row(f"MkDocs {version(MKDOCS)} building the export of {notes:,} notes "
            f"(caucus-site export; mkdocs build --strict, best of {REPEATS})", figures(best["mkdocs"])),
        row(f"  Zensical {version(ZENSICAL)} building the same export, cold (caucus-site export --engine zensical; "
            f"zensical build in a fresh copy, best of {REPEATS}; {os.cpu_count()} cores)",
            f"{figures(best['cold'])}: ratio {best['cold'].seconds / base:.2f} to MkDocs"),
        row("  Zensical warm (zensical build again in the same copy, with its .cache)",
            f"{figures(best['warm'])}: ratio {best['warm'].seconds / base:.2f} to MkDocs"),
    ]


if __name__ == "__main__":
    print(markdown_table(run()))
