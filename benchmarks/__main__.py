"""`make bench`: every performance figure with its target, measured in one run, as one table."""

from __future__ import annotations

import sys
import time

from benchmarks import dedup_scan, hugo_reference, preview, search_weight, site_build, stages, zensical


def main() -> None:
    start = time.perf_counter()
    rows = []
    for name, measure in (("site builds", site_build.run), ("stages", stages.run), ("live preview", preview.run),
                          ("near-duplicate scans", dedup_scan.run), ("search weight", search_weight.run),
                          ("Hugo reference", hugo_reference.run), ("Zensical", zensical.run)):
        print(f"measuring {name}…", file=sys.stderr, flush=True)
        rows += measure()
    print(site_build.markdown_table(rows))
    print(f"measured in {time.perf_counter() - start:.0f} s on one machine, in one run", file=sys.stderr)


if __name__ == "__main__":
    main()
