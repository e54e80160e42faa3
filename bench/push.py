"""Push to live with the self-hosting hooks (deploy/), with and without the long-lived builder.

Makes an operator's checkout of this repository's HEAD, a bare repository with the hooks
installed by deploy/install-hooks (`--venv`: this venv's packages, no PyPI), an editor's
clone, then pushes one-line data edits and measures, per push:
  push       `git push` until it returns: the live symlink shows the pushed commit
  caught up  with the builder, until its catch-up has switched in the complete release
             (`disclosures builder --wait`, which returns once the builder is idle)
The first push of each mode warms the fixed folders and caches and is not counted.

    .venv/bin/python bench/push.py --pushes 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EDITED = "data/2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pushes", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="disclosures-push-"))
    root.chmod(0o755)
    server = None
    try:
        operator = root / "operator"
        run("git", "clone", "-q", REPO, operator)
        bare, live, work = root / "site.git", root / "www" / "live", root / "work"
        run("git", "init", "-q", "--bare", "-b", "main", bare)
        run(
            operator / "deploy" / "install-hooks", bare, live, "--venv", sys.prefix,
            "--python", os.path.realpath(sys.executable), "--preview",
        )  # fmt: skip
        run("git", "clone", "-q", bare, work)
        trusted = run("git", "--git-dir", bare, "config", "disclosures.trusted").stdout.strip()
        trusted = Path(trusted)
        disclosures = trusted / "venv" / "bin" / "disclosures"
        sock = bare / "disclosures-builder.sock"
        text = (work / EDITED).read_text(encoding="utf-8")
        number = 0
        results: dict[str, list[tuple[float, float | None]]] = {}
        for mode in ("hooks alone", "long-lived builder"):
            if mode == "long-lived builder":
                server = subprocess.Popen(
                    [disclosures, "builder", "--socket", sock],
                    cwd=bare / "disclosures-build",
                    env={**ENV, "DISCLOSURES_CACHE_PATH": str(bare / "disclosures-cache")},
                    stderr=subprocess.PIPE,
                    text=True,
                )
                assert server.stderr is not None and "ready" in server.stderr.readline()
            results[mode] = []
            for push in range(args.pushes + 1):
                number += 1
                (work / EDITED).write_text(
                    text.replace('"=100%"', f'"={50 + number}%"', 1), encoding="utf-8"
                )
                run("git", "commit", "-qam", f"edit {number}", cwd=work)
                started = time.monotonic()
                out = run("git", "push", "origin", "main", cwd=work).stderr
                pushed = time.monotonic() - started
                assert "published" in out, out
                caught = None
                if server is not None:
                    run(disclosures, "builder", "--socket", sock, "--wait")
                    caught = time.monotonic() - started
                if push:  # the first push warms the folders and caches
                    results[mode].append((pushed, caught))
                print(
                    f"{mode}, push {push}: live after {pushed:.2f} s"
                    + (f", caught up after {caught:.2f} s" if caught is not None else ""),
                    flush=True,
                )
        print()
        print("| the bundled site, one-line data edit | push to live s | caught up s |")
        print("| --- | --- | --- |")
        for mode, found in results.items():
            live_s = statistics.median(p for p, _ in found)
            caught = [c for _, c in found if c is not None]
            shown = f"{statistics.median(caught):.2f}" if caught else "(the same)"
            print(f"| {mode} | {live_s:.2f} | {shown} |")
        print("load:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
