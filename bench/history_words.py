"""Cost of the change history in readers' words (修改记录, datadiff.py) at N projects.

Makes a git repository of N synthetic projects (bench/generate.py) with three commits: all
files added; a tenth of them with one indicator target changed; a twentieth with a comment
added; packed, as a push or a clone leaves them. Then times `file_histories` (one
`git log --raw` plus the blobs of every modified file's two versions) and, for comparison,
the same log alone. At 10,000 (ninth session, load ~11): 1.3 s wall / 0.5 s CPU, against
0.2 s / 0.05 s for the history without words (the code before datadiff.py).

    python bench/history_words.py --count 10000
Prints figures; it asserts nothing (speed targets are benchmarks, never tests).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from disclosures import history  # noqa: E402

ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "b@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "b@example.org",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def make_repo(count: int, where: Path) -> tuple[Path, list[str]]:
    data = where / "data"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--count",
            str(count),
            "--out",
            str(data),
        ],
        check=True,
        capture_output=True,
    )
    git(where, "init", "-q", "-b", "main")
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", "Add the synthetic tables")
    files = sorted(p for p in data.rglob("*.yaml") if not p.name.startswith("_"))
    for path in files[::10]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('target: "', 'target: "≥', 1), encoding="utf-8")
    git(where, "commit", "-q", "-am", "Correct one target in a tenth of the files")
    for path in files[::20]:
        path.write_text("# 已核对\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    git(where, "commit", "-q", "-am", "Note the checks")
    git(where, "repack", "-adq")  # objects arrive packed by a push or a clone, not loose
    return data, [p.relative_to(data).as_posix() for p in files]


def timed(call):  # noqa: ANN001, ANN201
    start, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = call()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    return result, time.perf_counter() - start, time.process_time() - cpu + child_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="history-words-") as tmp:
        data, sources = make_repo(args.count, Path(tmp))
        root = Path(tmp)
        log, wall, cpu = timed(lambda: history._log([], root, "HEAD", "data"))
        print(f"{len(sources)} files: git log --raw alone: {wall:.2f} s wall, {cpu:.2f} s CPU")
        found, wall, cpu = timed(lambda: history.file_histories(data, sources))
        entries = sum(len(v) for v in found.values())
        said = sum(1 for v in found.values() for c in v if c.words)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"file_histories with words: {wall:.2f} s wall, {cpu:.2f} s CPU (with git), "
            f"{entries} entries, {said} with words, peak RSS {peak:.0f} MiB"
        )
        sample = next(v for v in found.values() if len(v) == 3)
        for change in sample:
            print(f"  {change.day} {change.words} | {change.subject}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
