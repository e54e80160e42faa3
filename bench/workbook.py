"""Measure the all-years workbook (downloads/disclosures-all.xlsx) at scale (issue 16).

For each N it generates N synthetic projects (bench/generate.py, the data `make bench` uses),
loads them as the build does, and makes the workbook the build makes for the whole site
(export.year_workbook over every project): its size, its rows, the time it takes (median of
--runs, wall and CPU seconds) and the memory it needs (tracemalloc peak during the call, in
a separate run). The figures set DISCLOSURES_WORKBOOK_ALL_ROWS (settings.py; docs/open-data.md).

    .venv/bin/python bench/workbook.py --sizes 2000,10000 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from run import data_for  # noqa: E402


def measure(n: int, runs: int) -> dict[str, float]:
    from disclosures.export import year_workbook
    from disclosures.index import build_index
    from disclosures.pipeline import load_projects

    data = data_for(n)
    loaded = load_projects([data], data_root=data)
    assert not loaded.errors, loaded.errors[:3]
    site = build_index(loaded.projects, loaded.framework)
    projects = site.projects
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        book = year_workbook(projects, site.framework)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    tracemalloc.start()
    year_workbook(projects, site.framework)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    indicators = sum(len(p.indicators) for p in projects)
    lines = sum(len(p.budget) for p in projects)
    return {
        "projects": len(projects),
        "indicator_rows": indicators,
        "all_rows": len(projects) + indicators + lines,
        "mib": len(book) / 2**20,
        "seconds": statistics.median(times),
        "cpu": statistics.median(cpu),
        "peak_mib": peak / 2**20,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| projects | indicator rows | rows, all sheets | size MiB | wall s | CPU s | peak MiB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in (int(s) for s in args.sizes.split(",")):
        m = measure(n, args.runs)
        print(
            f"| {m['projects']:,} | {m['indicator_rows']:,} | {m['all_rows']:,} | "
            f"{m['mib']:.1f} | {m['seconds']:.2f} | {m['cpu']:.2f} | {m['peak_mib']:.0f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
