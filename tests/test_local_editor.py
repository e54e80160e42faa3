"""`make edit`'s local mode without a browser: Decap's requests, as the editor sends them,
through local_editor.LocalEditor to the real decap-server, in a temporary git checkout."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from disclosures.commands.serve import validate_text
from disclosures.local_editor import LocalEditor
from support import REPO

DECAP_SERVER = REPO / "admin" / "node_modules" / ".bin" / "decap-server"
NEW = """\
form: national
year: "2024"
name: 社区居家养老服务补助
unit: 某某区民政局
indicators:
  - level1: 产出指标
    name: 服务老人人数
    target: "≥1200人"
"""


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[LocalEditor]:
    if not DECAP_SERVER.is_file():
        pytest.fail(f"{DECAP_SERVER} missing: run `make admin-deps`. Never skipped.")
    shutil.copytree(REPO / "data", tmp_path / "data")
    _git(tmp_path, "init", "--quiet", "--initial-branch", "main")
    _git(tmp_path, "config", "user.name", "测试编辑")
    _git(tmp_path, "config", "user.email", "editor@example.invalid")
    _git(tmp_path, "add", "data")
    _git(tmp_path, "commit", "--quiet", "--message", "data as bundled")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proxy = subprocess.Popen(
        [str(DECAP_SERVER)],
        env={**os.environ, "PORT": str(port), "GIT_REPO_DIRECTORY": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url.replace("/api/v1", "/"), timeout=2)
            break
        except urllib.error.HTTPError:
            break  # answering (404 on /): up
        except OSError:
            time.sleep(0.3)
    try:
        yield LocalEditor(upstream=url, root=tmp_path, validate=validate_text)
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)


def _persist(editor: LocalEditor, path: str, raw: str) -> tuple[int, dict]:
    request = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"path": path, "slug": "2024", "raw": raw}],
            "assets": [],
            "options": {
                "collectionName": "national",
                "commitMessage": "添加：2024（项目，网页编辑器）",
                "useWorkflow": False,
                "status": "draft",
            },
        },
    }
    return editor.handle(json_bytes(request))


def json_bytes(value) -> bytes:
    import json

    return json.dumps(value, ensure_ascii=False).encode()


def _log(root: Path) -> list[str]:
    return _git(root, "log", "--format=%s").splitlines()


def test_a_new_file_is_named_in_pinyin_and_committed_alone(editor: LocalEditor):
    root = editor.root
    (root / "notes.txt").write_text("别人的改动\n", encoding="utf-8")
    _git(root, "add", "notes.txt")
    decap_path = "data/2024/某某区民政局/社区居家养老服务补助.yaml"
    status, answer = _persist(editor, decap_path, NEW)
    assert status == 200, answer
    written = "data/2024/mou-mou-qu-min-zheng-ju/she-qu-ju-jia-yang-lao-fu-wu-bu-zhu.yaml"
    assert (root / written).read_text(encoding="utf-8") == NEW
    assert not (root / decap_path).exists()
    assert _log(root)[0] == "添加：某某区民政局“社区居家养老服务补助”（2024年度，网页编辑器）"
    assert _git(root, "show", "--name-only", "--format=", "HEAD").split() == [written]
    assert _git(root, "diff", "--cached", "--name-only").split() == ["notes.txt"]

    # Decap still holds its own path for the entry it created: the next save goes to the
    # pinyin file, as a change.
    status, answer = _persist(editor, decap_path, NEW.replace("≥1200人", "≥1300人"))
    assert status == 200, answer
    assert "≥1300人" in (root / written).read_text(encoding="utf-8")
    assert _log(root)[0] == "修改：某某区民政局“社区居家养老服务补助”（2024年度，网页编辑器）"
    assert len(list((root / "data/2024").rglob("*.yaml"))) == 1
    # And reading it by that path finds the file.
    status, entry = editor.handle(
        json_bytes({"action": "getEntry", "params": {"branch": "main", "path": decap_path}})
    )
    assert status == 200 and "≥1300人" in entry["data"]


def test_a_unit_with_a_folder_keeps_it(editor: LocalEditor):
    raw = NEW.replace("某某区民政局", "区卫生健康局").replace('"2024"', '"2021"')
    status, answer = _persist(editor, "data/2021/区卫生健康局/社区居家养老服务补助.yaml", raw)
    assert status == 200, answer
    assert (
        editor.root / "data/2021/zhaohua-weijian/she-qu-ju-jia-yang-lao-fu-wu-bu-zhu.yaml"
    ).is_file()


def test_a_save_with_errors_is_refused_and_nothing_is_written(editor: LocalEditor):
    before = _log(editor.root)
    raw = NEW.replace("indicators:", 'start: "2024-01-01"\nperiod: "202401-202412"\nindicators:')
    status, answer = _persist(editor, "data/2024/某某区民政局/社区居家养老服务补助.yaml", raw)
    assert status == 422
    assert answer["error"].startswith("没有保存：数据有错误")
    assert "项目起止时间（文件第 6 行）：“项目起止时间”与“计划开始日期”" in answer["error"]
    assert not list((editor.root / "data/2024").rglob("*.yaml"))
    assert _log(editor.root) == before


def test_other_requests_pass_through(editor: LocalEditor):
    status, entries = editor.handle(
        json_bytes(
            {
                "action": "entriesByFolder",
                "params": {"branch": "main", "folder": "data", "extension": "yaml", "depth": 3},
            }
        )
    )
    assert status == 200
    assert len(entries) == len(list((REPO / "data").rglob("*.yaml")))
    assert editor.handle(b"not json")[0] == 400
