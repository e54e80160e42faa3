"""Faults: a build killed at any moment, or one that runs out of disk, never leaves a
half-written output folder in place of the last good one (see commands/build.py: staging
folder + renameat2 exchange)."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from support import DISCLOSURES, REPO, build_args, build_site


def tree_hash(root: Path) -> str:
    """Names, link targets and bytes of every file under `root` (not times)."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_symlink():
            digest.update(b"L" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _changed_data(tmp_path: Path, marker: str) -> Path:
    """A copy of the bundled data with one project renamed, so a rebuild has work to do."""
    data = tmp_path / f"data-{marker}"
    shutil.copytree(REPO / "data", data)
    path = data / "2020" / "shanghai-kexue-huitang" / "kexie-dayuan-yunxing-weihu.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "name: 科协大院日常运行与维护",
            f"name: 科协大院日常运行与维护{marker}\nid: kexie-dayuan",
        ),
        encoding="utf-8",
    )
    return data


def _build_args(output: Path, data: Path) -> list[str]:
    return [DISCLOSURES, *build_args(output, data)]


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("faults")
    output = root / "output"
    build_site(output, data=REPO / "data")
    return output


@pytest.mark.parametrize("seed", range(5))
def test_killed_build_keeps_last_good_output(tmp_path: Path, good_site: Path, seed: int) -> None:
    output = tmp_path / "site" / "output"
    shutil.copytree(good_site, output, symlinks=True)
    before = tree_hash(output)
    data = _changed_data(tmp_path, f"甲{seed}")
    delay = random.Random(seed).uniform(0.05, 3.0) if seed else 0.05
    process = subprocess.Popen(
        _build_args(output, data), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    after = tree_hash(output)
    if after != before:
        # The build won the race (it may finish between any check and the kill): then the
        # output must be the whole new site, never a mixture of old and new.
        page = output / "2020" / "shang-hai-ke-xue-hui-tang" / "kexie-dayuan" / "index.html"
        assert f"科协大院日常运行与维护甲{seed}" in page.read_text(encoding="utf-8"), (
            f"output changed by a build killed after {delay:.2f} s"
        )
        assert not (
            output
            / "2020"
            / "shang-hai-ke-xue-hui-tang"
            / "ke-xie-da-yuan-ri-chang-yun-xing-yu-wei-hu"
        ).exists()
    # What a killed build leaves is a hidden staging folder beside the output, never in it.
    assert {p.name for p in output.parent.iterdir() if not p.name.startswith(".")} == {"output"}
    # The next build recovers and produces the new site.
    rebuilt = build_site(output, data=data, check=False)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert tree_hash(output) != before


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    return result.returncode == 0


def test_full_disk_fails_cleanly(
    tmp_path: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = tmp_path / "disk"
    size = sum(p.stat().st_size for p in good_site.rglob("*") if p.is_file())
    mounted = _mount_tmpfs(disk, f"{size // 1024 + 4096}k")
    try:
        if mounted:
            _full_disk_real(disk, tmp_path, good_site)
        else:  # no tmpfs (not root): a writer that fails the way a full disk does
            _full_disk_simulated(disk, tmp_path, good_site, monkeypatch)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill the file system until only about `leave` bytes are free."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with (disk / "filler").open("wb") as handle:
        chunk = b"\0" * (1 << 20)
        remaining = max(0, free - leave)
        while remaining > 0:
            try:
                handle.write(chunk[: min(len(chunk), remaining)])
                handle.flush()
            except OSError:
                break
            remaining -= min(len(chunk), remaining)


def _full_disk_real(disk: Path, tmp_path: Path, good_site: Path) -> None:
    output = disk / "output"
    shutil.copytree(good_site, output, symlinks=True)
    before = tree_hash(output)
    _fill(disk, leave=64 * 1024)
    data = _changed_data(tmp_path, "满")
    result = subprocess.run(
        _build_args(output, data), cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "build failed" in result.stderr and "left untouched" in result.stderr, result.stderr
    assert "No space left on device" in result.stderr, result.stderr[-2000:]
    assert tree_hash(output) == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "output"]  # staging removed


def _full_disk_simulated(
    disk: Path, tmp_path: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from disclosures import writer
    from disclosures.commands import build

    output = disk / "output"
    shutil.copytree(good_site, output, symlinks=True)
    before = tree_hash(output)
    calls = {"n": 0}
    original = writer._Pending.close

    def failing_close(self) -> None:
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.filename)
        original(self)

    monkeypatch.setattr(writer._Pending, "close", failing_close)
    monkeypatch.chdir(REPO)
    args = argparse.Namespace(
        settings="pelicanconf.py",
        output=output,
        content="content",
        data=str(_changed_data(tmp_path, "满")),
    )
    assert build.run(args) == 1
    assert calls["n"] > 5 and tree_hash(output) == before


def test_failing_writer_fails_cleanly(
    tmp_path: Path, good_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same fault in-process (the fallback above), exercised whether or not tmpfs mounts."""
    _full_disk_simulated(tmp_path / "disk", tmp_path, good_site, monkeypatch)
