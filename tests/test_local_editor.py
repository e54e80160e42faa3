"""`make edit`'s local mode without a browser: Decap's requests, as the editor sends them, to
local_editor.LocalEditor (the development server is the editor's backend) in a temporary git
checkout; and the real `disclosures serve --edit`: one listener, and nothing reaches the
checkout except a checked save from the editor's own page."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from disclosures.commands.serve import validate_text
from disclosures.local_editor import LocalEditor
from support import DISCLOSURES, REPO

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


def _checkout(root: Path) -> Path:
    shutil.copytree(REPO / "data", root / "data")
    _git(root, "init", "--quiet", "--initial-branch", "main")
    _git(root, "config", "user.name", "测试编辑")
    _git(root, "config", "user.email", "editor@example.invalid")
    _git(root, "add", "data")
    _git(root, "commit", "--quiet", "--message", "data as bundled")
    return root


@pytest.fixture
def editor(tmp_path: Path) -> LocalEditor:
    return LocalEditor(root=_checkout(tmp_path), validate=validate_text)


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
    # The same advice as the publishing door gives after a push (editor_messages.what_to_do).
    assert "只能二选一。怎么改：在“项目起止时间”一栏按表上所写填写或改正（例如 " in answer["error"]
    assert not list((editor.root / "data/2024").rglob("*.yaml"))
    assert _log(editor.root) == before


def test_reads_list_and_read_the_data_folder(editor: LocalEditor):
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
    first = entries[0]
    assert first["data"] == (editor.root / first["file"]["path"]).read_text(encoding="utf-8")
    assert len(first["file"]["id"]) == 64
    assert editor.handle(b"not json")[0] == 400
    for malformed in (
        {"action": "entriesByFolder", "params": {"folder": "data", "depth": "deep"}},
        {"action": "entriesByFiles", "params": {"files": ["data/x.yaml"]}},
        {"action": "persistEntry", "params": {"dataFiles": "data/x.yaml"}},
    ):
        assert editor.handle(json_bytes(malformed))[0] == 400, malformed
    status, info = editor.handle(json_bytes({"action": "info", "params": {}}))
    assert status == 200 and info["type"] == "local_fs"
    status, missing = editor.handle(
        json_bytes({"action": "getEntry", "params": {"path": "data/2024/none.yaml"}})
    )
    assert status == 200 and missing["data"] is None


@pytest.mark.parametrize(
    "path",
    [
        "pelicanconf.py",
        "data/../pelicanconf.py",
        "data/2024/x.py",
        "/etc/passwd.yaml",
        "content/pages/x.yaml",
        "data/2024/a\\b.yaml",
        "data/linked/x.yaml",
    ],
)
def test_nothing_outside_the_data_folder_is_read_or_written(editor: LocalEditor, path: str):
    (editor.root / "data" / "linked").symlink_to(editor.root / "content", target_is_directory=True)
    (editor.root / "content").mkdir()
    before = _log(editor.root)
    status, answer = _persist(editor, path, NEW)
    assert status == 403, answer
    status, entry = editor.handle(json_bytes({"action": "getEntry", "params": {"path": path}}))
    assert entry["data"] is None
    status, _ = editor.handle(json_bytes({"action": "deleteFile", "params": {"path": path}}))
    assert status == 403
    assert _log(editor.root) == before
    assert not list((editor.root / "content").iterdir())


def test_the_editors_delete_commits_a_saved_file_and_only_deletes_a_draft(editor: LocalEditor):
    """Decap's "delete entry": a committed project's deletion is one commit; a draft the
    importer wrote and nobody saved has no history, so it is deleted and nothing committed
    (git could not add a path it never knew: the editor would see an error)."""
    saved = "data/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"
    draft = "data/2024/dao-ru/cao-gao.yaml"
    (editor.root / draft).parent.mkdir(parents=True)
    (editor.root / draft).write_text(NEW, encoding="utf-8")
    before = _log(editor.root)
    assert editor.drafts() == {draft: "new"}
    status, answer = editor.handle(json_bytes({"action": "deleteFile", "params": {"path": draft}}))
    assert status == 200, answer
    assert not (editor.root / draft).exists() and not (editor.root / "data/2024").exists()
    assert _log(editor.root) == before

    status, answer = editor.handle(
        json_bytes({"action": "deleteFiles", "params": {"paths": [saved]}})
    )
    assert status == 200, answer
    assert _log(editor.root) == [f"删除：{saved}（网页编辑器）", *before]
    assert _git(editor.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_uploads_and_the_editorial_workflow_are_refused(editor: LocalEditor):
    upload = {"action": "persistMedia", "params": {"asset": {"path": "content/images/x.png"}}}
    assert editor.handle(json_bytes(upload))[0] == 422
    assert editor.handle(json_bytes({"action": "unpublishedEntries", "params": {}}))[0] == 422
    assert not (editor.root / "content").exists()


def test_a_renamed_project_keeps_its_file(editor: LocalEditor):
    """Decap moves an entry whose name changed to a path built from the new Chinese name; the
    file keeps its name (the page's address comes from the name) and one commit changes it."""
    path = "data/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"
    raw = (editor.root / path).read_text(encoding="utf-8").replace("name: 特困", "name: 新特困")
    request = {
        "action": "persistEntry",
        "params": {
            "dataFiles": [
                {"path": path, "raw": raw, "newPath": "data/2021/区卫生健康局/新特困.yaml"}
            ],
            "assets": [],
            "options": {"commitMessage": "修改"},
        },
    }
    status, answer = editor.handle(json_bytes(request))
    assert status == 200, answer
    assert (editor.root / path).read_text(encoding="utf-8") == raw
    assert not (editor.root / "data/2021/区卫生健康局").exists()
    assert _git(editor.root, "show", "--name-only", "--format=", "HEAD").split() == [path]
    status, entry = editor.handle(
        json_bytes({"action": "getEntry", "params": {"path": "data/2021/区卫生健康局/新特困.yaml"}})
    )
    assert entry["data"] == raw


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _save_request(path: str, raw: str) -> bytes:
    params = {"dataFiles": [{"path": path, "raw": raw}], "assets": []}
    return json_bytes({"action": "persistEntry", "params": params})


def test_make_edit_has_one_door(tmp_path: Path):
    """`disclosures serve --edit` (what `make edit` runs) listens on its one port, starts no
    other process (decap-server listened on a port of its own and wrote whatever reached it),
    and refuses what does not come from the editor's own page: another origin, another host
    name (DNS rebinding), a body a cross-site form could send; a save with errors writes
    nothing; a good save is one commit."""
    root = _checkout(tmp_path)
    port = _free_port()
    server = subprocess.Popen(
        [DISCLOSURES, "serve", "--data", str(root / "data"), "--output", str(root / "output"),
         "--port", str(port), "--no-watch", "--edit"],
        cwd=REPO,
        env={**os.environ, "DISCLOSURES_CACHE_PATH": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    api = f"http://127.0.0.1:{port}/api/v1"
    own = {"Content-Type": "application/json; charset=utf-8", "Origin": f"http://127.0.0.1:{port}"}
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/", timeout=5)
                break
            except OSError:
                time.sleep(0.5)
        listening = subprocess.run(
            ["ss", "-ltnpH"], capture_output=True, text=True, check=True
        ).stdout
        ours = [line for line in listening.splitlines() if f"pid={server.pid}," in line]
        assert len(ours) == 1 and f"127.0.0.1:{port} " in ours[0], ours
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert children == [], "serve --edit started another process"

        before = _log(root)
        body = _save_request("data/2024/某某区民政局/社区居家养老服务补助.yaml", NEW)
        for headers in (
            {**own, "Origin": "http://evil.example"},
            {**own, "Host": "evil.example"},
            {**own, "Content-Type": "text/plain"},
            {**own, "Sec-Fetch-Site": "cross-site"},
        ):
            status, text = _post(api, body, headers)
            assert status == 403, (headers, status, text)
        bad = _save_request("data/2024/x.yaml", NEW.replace("name:", "naem:"))
        status, text = _post(api, bad, own)
        assert status == 422 and "没有保存" in text
        assert _log(root) == before and not (root / "data/2024").exists()

        status, text = _post(api, body, own)
        assert status == 200, text
        assert _log(root)[0].startswith("添加：某某区民政局“社区居家养老服务补助”")
    finally:
        server.terminate()
        server.wait(timeout=30)
