"""The release layout alone (no build): what making and removing a release costs, a whole tree
of hard links (the seed's `cp -al`, the hooks' `rm -rf`) against a thin release that shares
its folders through the release store (plugins/disclosures/store.py).

    .venv/bin/python bench/release_layout.py RELEASE [WORK]

RELEASE: a built site (for example a release of `make bench`'s 10,000 projects under
bench/work/); it is read, never changed. WORK (default bench/work/layout) is emptied first.
An edit is simulated: the files one target edit makes (a project's three files, its unit,
year and units pages, the home page, status.json and 16 indicator pages) are replaced.
Prints wall and CPU seconds (self + children) of each step; no assertion on time.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
from disclosures import store  # noqa: E402


def cpu() -> float:
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(name: str, step: Callable[[], object]) -> object:
    wall, used = time.perf_counter(), cpu()
    result = step()
    print(
        f"{name}: {time.perf_counter() - wall:.2f} s wall / {cpu() - used:.2f} CPU s"
        f" (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    return result


def main(release: Path, work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    releases = work / "releases"
    releases.mkdir(parents=True)
    shelf = releases / store.STORE
    files = [p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()]
    ours = {f for f in files if not f.startswith(("theme/", "pages/"))}  # Pelican's own: not
    print(f"{release}: {len(files)} files, {len(ours)} of the plan", flush=True)

    def copy(name: str) -> None:
        subprocess.run(["cp", "-al", f"{release}/.", str(releases / name)], check=True)

    timed("whole tree: cp -al of the release (the seed)", lambda: copy("r0"))
    timed(
        "once: intern it (the first thin release)",
        lambda: store.intern(releases / "r0", shelf, ours),
    )
    pages = sorted(f for f in ours if f.count("/") == 3 and f.endswith("/index.html"))
    project = pages[len(pages) // 3]
    year, unit = project.split("/")[:2]
    indicators = sorted(f for f in ours if f.startswith("indicators/") and f.endswith(".html"))
    folder = project.rsplit("/", 1)[0]
    made = [
        f"{folder}/index.html",
        f"{folder}/project.json",
        f"{folder}/indicators.csv",
        f"{year}/{unit}/index.html",
        f"{year}/index.html",
        f"units/{unit}/index.html",
        "index.html",
        "status.json",
        *indicators[:16],
    ]
    made = [name for name in made if name in ours]

    def remove(path: Path) -> None:  # as the hooks' prune does
        subprocess.run(["rm", "-rf", "--", str(path)], check=True)

    def edit(previous: Path, name: str) -> Path:
        site = releases / name
        site.mkdir()
        assert store.LayeredSeed(site, previous, ours).wait() is not None
        store.remove_files(site, made)
        for path in made:
            store.unshare(str(site), os.path.dirname(path))
            (site / path).write_bytes(b"made again")
        store.intern(site, shelf, ours)
        return site

    first = timed(
        f"thin: one edit's release ({len(made)} files made)", lambda: edit(releases / "r0", "r1")
    )
    second = timed("thin: the next edit's, from a thin one", lambda: edit(first, "r2"))
    own = sum(len(d) + len(f) for _, d, f in os.walk(second))
    print(f"entries of the last release's own (not in the store): {own}", flush=True)
    copy("whole")
    timed(
        "whole tree: rm -rf of a release (the hooks' prune)",
        lambda: remove(releases / "whole"),
    )
    timed("thin: rm -rf of a release", lambda: remove(first))
    timed(
        "thin: collect the store (kept, removed)",
        lambda: print(store.collect(releases, now=time.time() + 2 * store.GRACE_SECONDS)),
    )
    shutil.rmtree(work)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    here = Path(__file__).resolve().parent
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else here / "work" / "layout")
