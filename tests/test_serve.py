"""`make serve` (disclosures serve): builds, serves, rebuilds on a change under data/ and makes
open pages reload; the reload script exists only in what the dev server sends."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from support import DISCLOSURES, MINIMAL_PROJECT, REPO, write_project


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait(predicate, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_and_reloads_on_data_change(tmp_path: Path, data_dir: Path):
    project = write_project(data_dir, "2020/p.yaml")
    output = tmp_path / "out"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            DISCLOSURES,
            "serve",
            "--data",
            str(data_dir),
            "--output",
            str(output),
            "--port",
            str(port),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "DISCLOSURES_CACHE_PATH": ""},
    )
    try:
        page = f"{base}/2020/ce-shi-dan-wei/ce-shi-xiang-mu/"
        assert _wait(lambda: "测试项目" in _get(page)), "the site was not served"
        html = _get(page)
        assert "/__build" in html  # the dev server adds its reload script ...
        on_disk = (output / "2020/ce-shi-dan-wei/ce-shi-xiang-mu/index.html").read_text("utf-8")
        assert "/__build" not in on_disk  # ... which never reaches the built files
        first = _get(f"{base}/__build")

        time.sleep(1.1)  # a distinct mtime for the watcher
        project.write_text(MINIMAL_PROJECT.replace("完成率", "改过的指标"), encoding="utf-8")
        assert _wait(lambda: _get(f"{base}/__build") != first), "no rebuild after the edit"
        assert "改过的指标" in _get(page)

        time.sleep(1.1)
        project.write_text(MINIMAL_PROJECT.replace("total: 100", "total: x"), encoding="utf-8")
        time.sleep(4)
        assert "改过的指标" in _get(page)  # an invalid edit keeps the last good site
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=30)
    assert "p.yaml:6:10: budget.total:" in log  # and says why, with file and line
