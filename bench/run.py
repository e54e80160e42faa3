"""Benchmark the site build at scale (issue 9). `make bench` runs this.

For each N (default 1,000 and 10,000) it generates N synthetic projects (bench/generate.py)
and measures, as separate processes, the median of --runs runs of:
  cold       `disclosures build` with no cache and no previous output
  edit       rebuild after editing one project file
  nochange   rebuild after changing nothing
  builder    the long-lived builder: one edit, pages live and caught up (builder-pages,
             builder-caught-up), and a build with nothing changed (builder-nochange)
  floor      libyaml parse + Jinja2 render of every project page, nothing else (bench/floor.py)
  pelican    plain Pelican on N Markdown articles of the same text (own venv in bench/work/)
  hugo       Hugo on the same YAML data files with equivalent templates (bench/hugo/)
Wall seconds, CPU seconds (user+sys of the child and the children it waited for) and peak
RSS (the largest single process, from wait4) are reported, and the peak of the summed PSS of
the whole process tree (sampled every 0.25 s from /proc: what the machine must hold at once,
forked helpers and Pagefind included). Work files go to bench/work/.

    .venv/bin/python bench/run.py --sizes 1000 --runs 3 [--skip pelican,hugo]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(BENCH))

from generate import generate  # noqa: E402

KINDS = (
    "cold",
    "edit",
    "nochange",
    "pelican-nochange",
    "builder-pages",
    "builder-caught-up",
    "builder-nochange",
    "floor",
    "pelican",
    "hugo",
)


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float  # the largest single process (wait4)
    tree_mb: float = 0.0  # the most the whole process tree held at once (sum of PSS)


def _pss_kib(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[str]:
    """`root` and every process below it, from /proc (Linux)."""
    children: dict[str, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = stat.read().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(entry)
    found, todo = [], [str(root)]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process tree (shared pages counted once, in shares):
    the memory a build needs of the machine, its forked helpers and Pagefind included."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_kib, self.done = root, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.25):
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(p) for p in _tree(self.root)))


def measure(
    cmd: list[str], env: dict | None = None, cwd: Path = REPO, log: Path | None = None
) -> Run:
    """Run one command to completion; wall, CPU and peak RSS of that command alone."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
    )
    sampler = TreeMemory(proc.pid) if os.path.exists("/proc/self/smaps_rollup") else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if sampler:
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if log:
        out.close()
    if proc.returncode != 0:
        detail = log.read_text(encoding="utf-8")[-3000:] if log else ""
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}\n{detail}")
    tree = sampler.peak_kib / 1024 if sampler else 0.0
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tree)


def data_for(n: int) -> Path:
    """Generated once per N and generator version; reused by later runs."""
    folder = WORK / f"data-{n}"
    stamp = folder / ".stamp"
    version = f"{n}:{(BENCH / 'generate.py').stat().st_mtime_ns}"
    if not (stamp.exists() and stamp.read_text() == version):
        print(f"  generating {n} projects …", flush=True)
        generate(n, folder)
        stamp.write_text(version)
    return folder


# --- ours --------------------------------------------------------------------------------


def ours(n: int, data: Path, runs: int) -> dict[str, list[Run]]:
    output = WORK / f"out-{n}"
    cache = WORK / f"cache-{n}"
    env = {"DISCLOSURES_CACHE_PATH": str(cache)}
    cmd = [
        str(BIN / "disclosures"),
        "build",
        "--settings",
        "pelicanconf.py",
        "--output",
        str(output),
        "--data",
        str(data),
    ]
    results: dict[str, list[Run]] = {"cold": [], "edit": [], "nochange": []}
    edited = sorted(data.rglob("*.yaml"))[n // 2]
    original = edited.read_bytes()
    try:
        for i in range(runs):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            results["cold"].append(measure(cmd, env, log=WORK / f"cold-{n}.log"))
            print(f"    cold {i + 1}: {results['cold'][-1].wall:.2f} s", flush=True)
        for i in range(runs):
            results["nochange"].append(measure(cmd, env, log=WORK / f"nochange-{n}.log"))
            print(f"    no change {i + 1}: {results['nochange'][-1].wall:.2f} s", flush=True)
        for i in range(runs):
            # A real one-line correction: the first indicator's target changes.
            text = original.decode("utf-8").replace('target: "', f'target: "{90 + i}', 1)
            edited.write_text(text.replace(f'"{90 + i}=', '"=', 1), encoding="utf-8")
            results["edit"].append(measure(cmd, env, log=WORK / f"edit-{n}.log"))
            print(f"    one edit {i + 1}: {results['edit'][-1].wall:.2f} s", flush=True)
    finally:
        edited.write_bytes(original)
    results["pelican-nochange"] = ours_pelican(n, data, runs)
    return results


def ours_pelican(n: int, data: Path, runs: int) -> list[Run]:
    """This site with the plain `pelican` command (in place): one build, then no change."""
    output = WORK / f"out-pelican-{n}"
    env = {"DISCLOSURES_CACHE_PATH": str(WORK / f"cache-{n}"), "PYTHONPATH": str(REPO)}
    settings = WORK / f"pelican-{n}.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"DISCLOSURES_DATA_PATH = {str(data)!r}\n"
        f"THEME = {str(REPO / 'themes' / 'budget')!r}\n"
        f"PLUGIN_PATHS = [{str(REPO / 'plugins')!r}]\n",
        encoding="utf-8",
    )
    cmd = [str(BIN / "pelican"), str(REPO / "content"), "-s", str(settings), "-o", str(output)]
    measure(cmd, env, log=WORK / f"pelican-first-{n}.log")  # builds it (the cache is warm)
    runs_: list[Run] = []
    for i in range(runs):
        runs_.append(measure(cmd, env, log=WORK / f"pelican-nochange-{n}.log"))
        print(f"    pelican, no change {i + 1}: {runs_[-1].wall:.2f} s", flush=True)
    return runs_


def builder(n: int, data: Path, runs: int) -> dict[str, list[Run]]:
    """The long-lived builder (`disclosures builder`), as the deploy hooks use it: releases
    in a folder, a live symlink, one edit published pages first (`builder-pages`: the
    request's wall time, until the release can be switched in), then caught up
    (`builder-caught-up`: from the edit until the complete release is live). The builder's
    own memory is sampled over the whole run (its tree's PSS) and reported on each row."""
    import socket as sockets

    work = WORK / f"builder-{n}"
    shutil.rmtree(work, ignore_errors=True)
    releases, live, lock = work / "releases", work / "live", work / "publish.lock"
    releases.mkdir(parents=True)
    lock.touch()
    sock = work / "builder.sock"
    env = {**os.environ, "DISCLOSURES_CACHE_PATH": str(WORK / f"cache-{n}")}
    server = subprocess.Popen(
        [str(BIN / "disclosures"), "builder", "--socket", str(sock)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(WORK / f"builder-{n}.log", "w"),  # noqa: SIM115
    )
    memory = TreeMemory(server.pid)
    memory.start()
    while True:  # until it listens (a second or so: importing Pelican)
        with sockets.socket(sockets.AF_UNIX) as probe:
            try:
                probe.connect(str(sock))
                break
            except OSError:
                time.sleep(0.05)

    def cpu() -> float:
        """The builder's CPU seconds so far, its waited-for workers included (/proc)."""
        with open(f"/proc/{server.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def client(*args: str, log: str) -> Run:
        cmd = [str(BIN / "disclosures"), *args]
        before = cpu()
        run_ = measure(cmd, {"DISCLOSURES_CACHE_PATH": env["DISCLOSURES_CACHE_PATH"]}, log=log)
        run_.cpu += cpu() - before  # the client's and the builder's
        return run_

    def release(number: int) -> Path:
        return releases / f"20260101T000000.{number:09d}Z-{number:012x}"

    def build(number: int, previous: bool, name: str) -> Run:
        args = ["build", "--settings", "pelicanconf.py", "--data", str(data)]
        args += ["--output", str(release(number)), "--builder", str(sock), "--trail"]
        if previous:
            args += ["--previous", str(live)]
        return client(*args, log=WORK / f"builder-{name}-{n}.log")

    def switch(target: Path) -> None:
        temporary = live.with_name(".live.new")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(target)
        os.replace(temporary, live)

    results: dict[str, list[Run]] = {"builder-pages": [], "builder-caught-up": []}
    edited = sorted(data.rglob("*.yaml"))[n // 3]
    original = edited.read_bytes()
    try:
        build(0, False, "first")  # the builder loads everything (from the warm cache)
        switch(release(0))
        results["builder-nochange"] = [build(1, True, "nochange")]
        switch(release(1))
        for i in range(runs):
            text = original.decode("utf-8").replace('target: "', f'target: "{80 + i}', 1)
            edited.write_text(text.replace(f'"{80 + i}=', '"=', 1), encoding="utf-8")
            pages = build(2 + i, True, "pages")
            switch(release(2 + i))
            catch = client(
                "builder", "--socket", str(sock), "--catch-up", str(release(2 + i)),
                "--live", str(live), "--lock", str(lock), log=WORK / f"builder-catch-{n}.log",
            )  # fmt: skip
            wait = client("builder", "--socket", str(sock), "--wait", log=WORK / "wait.log")
            caught = Run(
                pages.wall + catch.wall + wait.wall,
                pages.cpu + catch.cpu + wait.cpu,
                pages.rss_mb,
            )
            if live.resolve() == release(2 + i).resolve():
                print("    builder: the catch-up was dropped", flush=True)
            results["builder-pages"].append(pages)
            results["builder-caught-up"].append(caught)
            print(
                f"    builder edit {i + 1}: pages live {pages.wall:.2f} s, caught up "
                f"{caught.wall:.2f} s",
                flush=True,
            )
    finally:
        edited.write_bytes(original)
        server.terminate()
        server.wait()
        memory.done.set()
        memory.join()
    tree = memory.peak_kib / 1024
    for kind in results.values():
        for run_ in kind:
            run_.tree_mb = tree
    return results


def floor(n: int, data: Path, runs: int) -> list[Run]:
    output = WORK / f"floor-{n}"
    found = []
    for _ in range(runs):
        shutil.rmtree(output, ignore_errors=True)
        found.append(measure([sys.executable, str(BENCH / "floor.py"), str(data), str(output)]))
    return found


# --- plain Pelican -----------------------------------------------------------------------

PELICAN_VENV = WORK / "pelican-venv"
PELICAN_CONF = """\
SITENAME = "bench"
PATH = "content"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
RELATIVE_URLS = True
"""


def pelican_python() -> Path | None:
    """A separate venv with Pelican and its Markdown reader (`markdown`), never the site's."""
    python = PELICAN_VENV / "bin" / "python"
    if not (PELICAN_VENV / ".ready").exists():
        print("  making bench/work/pelican-venv (pelican + markdown) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        pins = [
            line
            for line in (REPO / "requirements.txt").read_text().splitlines()
            if line.lower().startswith(("pelican==", "jinja2==", "markupsafe=="))
        ]
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *pins, "markdown==3.11.3"]
        )
        if done.returncode != 0:
            return None
        (PELICAN_VENV / ".ready").write_text("ok")
    return python


def markdown_site(n: int, data: Path) -> Path:
    """N Markdown articles holding the same text as the N YAML files."""
    import yaml

    site = WORK / f"pelican-{n}"
    stamp = site / ".stamp"
    version = (data / ".stamp").read_text()
    if stamp.exists() and stamp.read_text() == version:
        return site
    shutil.rmtree(site, ignore_errors=True)
    content = site / "content"
    content.mkdir(parents=True)
    for number, path in enumerate(sorted(data.rglob("*.yaml"))):
        p = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        lines = [
            f"Title: {p['name']}（{p['year']}）",
            f"Date: {p['year']}-01-01",
            f"Category: {p['unit']}",
            f"Slug: p{number}",
            "",
        ]
        for key, text in p["sections"].items():
            lines += [f"## {key}", "", text, ""]
        lines += ["| 一级 | 二级 | 三级 | 目标值 |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {r['level1']} | {r['level2']} | {r['name']} | {r['target']} |"
            for r in p["indicators"]
        ]
        (content / f"p{number}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (site / "pelicanconf.py").write_text(PELICAN_CONF)
    stamp.write_text(version)
    return site


def plain_pelican(n: int, data: Path, runs: int) -> list[Run] | str:
    python = pelican_python()
    if python is None:
        return "skipped: could not install pelican + markdown into bench/work/pelican-venv"
    site = markdown_site(n, data)
    found = []
    for _ in range(runs):
        shutil.rmtree(site / "output", ignore_errors=True)
        found.append(
            measure(
                [
                    str(python),
                    "-m",
                    "pelican",
                    "content",
                    "-o",
                    "output",
                    "-s",
                    "pelicanconf.py",
                    "-q",
                ],
                cwd=site,
                log=WORK / f"pelican-{n}.log",
            )
        )
    return found


# --- Hugo --------------------------------------------------------------------------------


def hugo_site(n: int, data: Path) -> Path:
    """bench/hugo/ plus the data files (as Hugo's data/) and one stub page per project."""
    site = WORK / f"hugo-{n}"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(BENCH / "hugo", site)
    (site / "data").symlink_to(data.resolve())
    content = site / "content"
    content.mkdir()
    (content / "units").mkdir()
    (content / "units" / "_index.md").write_text('---\ntitle: "单位"\n---\n')
    import yaml

    for path in sorted(data.rglob("*.yaml")):
        year, unit, slug = path.relative_to(data).with_suffix("").parts
        folder = content / year / unit
        if not folder.exists():
            folder.mkdir(parents=True)
            head = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            (folder / "_index.md").write_text(
                f'---\ntitle: "{head["unit"]} {year}年度"\n---\n', encoding="utf-8"
            )
            if not (content / year / "_index.md").exists():
                (content / year / "_index.md").write_text(
                    f'---\ntitle: "{year}年度"\n---\n', encoding="utf-8"
                )
        (folder / f"{slug}.md").write_text(
            f'---\ny: "{year}"\nu: "{unit}"\ns: "{slug}"\nunits: ["{unit}"]\n---\n',
            encoding="utf-8",
        )
    return site


def hugo(n: int, data: Path, runs: int) -> list[Run] | str:
    if shutil.which("hugo") is None:
        return "skipped: hugo not installed (apt-get install -y hugo)"
    site = hugo_site(n, data)
    found = []
    for _ in range(runs):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)
        found.append(
            measure(
                ["hugo", "--quiet", "--ignoreCache", "--cacheDir", str(site / ".hugo-cache")],
                cwd=site,
                log=WORK / f"hugo-{n}.log",
            )
        )
    return found


# --- report ------------------------------------------------------------------------------


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.rss_mb for r in runs),
        max(r.tree_mb for r in runs),
    )


def describe(value: list[Run] | str) -> str:
    return value if isinstance(value, str) else f"{median(value).wall:.2f} s"


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("pelican", "jinja2", "yaml", "markdown_it"):
        module = __import__(name)
        found[name] = getattr(module, "__version__", "?")
    if shutil.which("hugo"):
        found["hugo"] = subprocess.run(
            ["hugo", "version"], capture_output=True, text=True
        ).stdout.split()[1]
    return found


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{mem_kb / 2**20:.1f} GiB",
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _wall(kinds: dict[str, list[Run] | str], kind: str) -> float | None:
    value = kinds.get(kind)
    return median(value).wall if isinstance(value, list) and value else None


def _ratio(cold: float | None, other: float | None) -> str:
    return f"{cold / other:.2f}" if cold and other else "—"


def _seconds(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "—"


def table(results: dict[int, dict[str, list[Run] | str]]) -> str:
    lines = [
        "| N | measurement | wall s | CPU s | peak RSS MiB | peak tree PSS MiB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, kinds in results.items():
        for kind in KINDS:
            value = kinds.get(kind)
            if value is None:
                continue
            if isinstance(value, str):
                lines.append(f"| {n} | {kind} | {value} | | | |")
                continue
            m = median(value)
            lines.append(
                f"| {n} | {kind} | {m.wall:.2f} | {m.cpu:.2f} | {m.rss_mb:.0f} | {m.tree_mb:.0f} |"
            )
    lines += [
        "",
        "| N | cold/floor | cold/plain Pelican | cold/Hugo | edit s | no-change s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for n, kinds in results.items():
        cold = _wall(kinds, "cold")
        lines.append(
            f"| {n} | {_ratio(cold, _wall(kinds, 'floor'))} | "
            f"{_ratio(cold, _wall(kinds, 'pelican'))} | "
            f"{_ratio(cold, _wall(kinds, 'hugo'))} | "
            f"{_seconds(_wall(kinds, 'edit'))} | {_seconds(_wall(kinds, 'nochange'))} |"
        )
    lines += ["", *targets(results)]
    return "\n".join(lines)


def targets(results: dict[int, dict[str, list[Run] | str]]) -> list[str]:
    """Issue 17's targets, for the largest N measured."""
    n = max(results)
    kinds = results[n]
    cold, hugo_ = _wall(kinds, "cold"), _wall(kinds, "hugo")
    peak = max(
        (
            median(v).tree_mb
            for k, v in kinds.items()
            if k in ("cold", "edit", "builder-pages") and isinstance(v, list) and v
        ),
        default=None,
    )
    rows = [
        (
            "one edit, pages live (long-lived builder)",
            f"{_seconds(_wall(kinds, 'builder-pages'))} s",
            "≤ 1 s",
        ),
        (
            "one edit, caught up (long-lived builder)",
            f"{_seconds(_wall(kinds, 'builder-caught-up'))} s",
            "≤ 15 s",
        ),
        (
            "one edit, search and downloads caught up",
            f"{_seconds(_wall(kinds, 'edit'))} s",
            "≤ 15 s",
        ),
        ("cold build / Hugo (same run)", _ratio(cold, hugo_), "≤ 1.0"),
        ("no change, `disclosures build`", f"{_seconds(_wall(kinds, 'nochange'))} s", "≤ 0.5 s"),
        ("no change, `pelican`", f"{_seconds(_wall(kinds, 'pelican-nochange'))} s", "≤ 0.5 s"),
        ("peak memory, whole process tree", f"{peak:.0f} MiB" if peak else "—", "≤ 1024 MiB"),
    ]
    return [
        f"| {n} projects | measured | target |",
        "| --- | --- | --- |",
        *(f"| {what} | {value} | {target} |" for what, value, target in rows),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the site build (issue 9).")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--skip", default="", help="comma-separated: ours,builder,floor,pelican,hugo"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    WORK.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, list[Run] | str]] = {}
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"N = {n}", flush=True)
        data = data_for(n)
        kinds: dict[str, list[Run] | str] = {}
        results[n] = kinds
        if "ours" not in skip:
            kinds.update(ours(n, data, args.runs))
        if "builder" not in skip:
            kinds.update(builder(n, data, args.runs))
        if "floor" not in skip:
            kinds["floor"] = floor(n, data, args.runs)
            print(f"    floor: {median(kinds['floor']).wall:.2f} s", flush=True)
        if "pelican" not in skip:
            kinds["pelican"] = plain_pelican(n, data, args.runs)
            print(f"    plain Pelican: {describe(kinds['pelican'])}", flush=True)
        if "hugo" not in skip:
            kinds["hugo"] = hugo(n, data, args.runs)
            print(f"    Hugo: {describe(kinds['hugo'])}", flush=True)
    report = table(results)
    print()
    print(report)
    print()
    print("machine:", json.dumps(machine(), ensure_ascii=False))
    print("versions:", json.dumps(versions(), ensure_ascii=False))
    (WORK / "last-run.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
