"""Importing a table from the browser in `make edit` (import_desk.py, /__import/ of
`disclosures serve --edit`): a real published table pasted as text, a workbook uploaded, the
same table twice, names and requests an editor's browser should never send, and the one door
of the development server (another origin, a cross-site form, no --edit)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from disclosures.import_desk import ImportDesk, ImportRefused, safe_name, upload_from
from support import DISCLOSURES, REPO
from test_import_inputs import write_xlsx
from test_local_editor import _checkout, _free_port, _git

# A real published table (湖南 南岳, 2023; pipe cells), its contact person and phone in the
# header and no budget unit named: the draft is written with those lines unplaced.
NANYUE = REPO / "tests/corpus/sources/039_nanyue_xiangcunzhenxing_2023_yulu_jihua.txt"
NANYUE_DRAFT = "data/2023/dan-wei-wei-zhi/2023-nian-yu-lu-ji-hua-jiu-xue-bu-zhu-xiang-mu.yaml"


@pytest.fixture
def desk(tmp_path: Path) -> ImportDesk:
    return ImportDesk(_checkout(tmp_path).joinpath("data"), threading.Lock())


def _paste(text: str) -> dict:
    return {"name": "粘贴的表格.txt", "text": text}


def test_a_pasted_table_becomes_a_draft_in_data_with_its_gaps_said(desk: ImportDesk):
    root = desk.data.parent
    answer = desk.run(upload_from(_paste(NANYUE.read_text(encoding="utf-8"))))
    assert answer["status"] == 3, answer["said"]
    (draft,) = answer["drafts"]
    assert draft["file"] == NANYUE_DRAFT and (root / NANYUE_DRAFT).is_file()
    assert draft["title"] == "2023年雨露计划就学补助项目"
    assert draft["editor_url"] == (
        "/admin/#/collections/national/entries/2023/dan-wei-wei-zhi/"
        "2023-nian-yu-lu-ji-hua-jiu-xue-bu-zhu-xiang-mu"
    )
    # The door's words: the field as the form labels it, in Chinese and in English.
    (error,) = draft["errors"]
    assert error.startswith(NANYUE_DRAFT + ":") and "(Budget unit)" in error, error
    assert "怎么改" in error and "what to do" in error
    (unplaced,) = [n for n in draft["notes"] if n["title"].startswith("导入时未识别的文字")]
    assert "第 9 行 / line 9: 专项负责人" in unplaced["lines"]  # its line in the paste
    # What the importer said names the pasted table and the file under data/, no temp folder.
    assert any(line.startswith("已写入 wrote data/2023/") for line in answer["said"])
    assert "粘贴的表格.txt:9: 专项负责人" in [line.strip() for line in answer["said"]]
    assert not any("/tmp" in line for line in answer["said"])
    # Written, not committed: the first save in the editor (checked) commits it.
    assert _git(root, "status", "--porcelain", "--untracked-files=all").split() == [
        "??",
        NANYUE_DRAFT,
    ]

    before = (root / NANYUE_DRAFT).read_bytes()
    again = desk.run(upload_from(_paste(NANYUE.read_text(encoding="utf-8"))))
    assert again["status"] == 2 and again["drafts"] == []
    assert any("已存在" in line for line in again["said"]) and "导入过" in again["summary"]
    assert (root / NANYUE_DRAFT).read_bytes() == before


def test_an_uploaded_workbook_is_a_valid_draft(desk: ImportDesk, tmp_path: Path):
    book = write_xlsx(tmp_path / "绩效目标表.xlsx").read_bytes()
    request = {"name": "C:\\报表\\绩效目标表.xlsx", "base64": base64.b64encode(book).decode()}
    answer = desk.run(upload_from(request))
    assert answer["status"] == 0, answer["said"]
    (draft,) = answer["drafts"]
    assert draft["title"] == "城区垃圾清运服务" and draft["errors"] == []
    assert draft["file"].startswith("data/2023/")
    assert draft["editor_url"].startswith("/admin/#/collections/national/entries/2023/")
    text = (desk.data.parent / draft["file"]).read_text(encoding="utf-8")
    assert "disclosures import 绩效目标表.xlsx" in text  # the name the editor picked


def test_what_is_no_table_writes_nothing(desk: ImportDesk):
    answer = desk.run(upload_from(_paste("会议通知\n请各单位于周五前报送材料。\n")))
    assert answer["status"] == 1 and answer["drafts"] == []
    assert "没有找到" in answer["summary"] and "No performance-target table" in answer["summary"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../.git/hooks/表.txt", "表.txt"),
        ("C:\\Users\\编辑\\表.HTML", "表.html"),
        ("\x1b[31m表\x1b[0m.csv", "_[31m表_[0m.csv"),
        ("...xlsx", "粘贴的表格.xlsx"),
    ],
)
def test_a_files_name_keeps_no_folder_and_no_control(given: str, kept: str):
    assert safe_name(given) == kept


@pytest.mark.parametrize(
    ("request_", "status"),
    [
        ({"name": "表.exe", "base64": "TVo="}, 422),
        ({"name": "表.yaml", "base64": "YTogMQ=="}, 422),
        ({"name": "表.txt", "base64": "not base64!"}, 400),
        ({"name": "表.txt", "text": "  \n"}, 422),
        ({"name": "表.txt", "text": "项目名称", "encoding": "utf-7"}, 422),
        (["not", "an", "object"], 400),
        ({"name": "表.txt"}, 400),
    ],
)
def test_requests_no_editor_sends_are_refused(request_: object, status: int):
    with pytest.raises(ImportRefused) as refused:
        upload_from(request_)
    assert refused.value.status == status
    assert " / " in str(refused.value)  # both languages


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _get(url: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, "", {}


def _serve(root: Path, *flags: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    server = subprocess.Popen(
        [DISCLOSURES, "serve", "--data", str(root / "data"), "--output", str(root / "output"),
         "--port", str(port), "--no-watch", *flags],
        cwd=REPO,
        env={**os.environ, "DISCLOSURES_CACHE_PATH": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=5)
            break
        except OSError:
            time.sleep(0.5)
    return server, base


def test_the_import_page_is_the_editors_own_door(tmp_path: Path):
    """/__import/ exists only with --edit, and its POST answers only the editor's own page
    (the same checks as every write of `make edit`): another origin, another host name, a
    cross-site form's body (multipart, text/plain) are refused and write nothing."""
    root = _checkout(tmp_path)
    server, base = _serve(root, "--edit")
    try:
        status, page, _ = _get(base + "/__import/")
        assert status == 200 and "导入一张已公开的表" in page
        assert "script-src 'self'" in page and '<script src="/__import/import.js">' in page
        status, script, headers = _get(base + "/__import/import.js")
        assert status == 200 and headers["Content-Type"].startswith("text/javascript")
        assert "innerHTML" not in script  # the table's text is set as text, never as HTML

        body = json.dumps(_paste(NANYUE.read_text(encoding="utf-8")), ensure_ascii=False)
        own = {"Content-Type": "application/json", "Origin": base}
        for headers in (
            {**own, "Origin": "http://evil.example"},
            {**own, "Host": "evil.example"},
            {**own, "Content-Type": "multipart/form-data; boundary=x"},
            {**own, "Content-Type": "text/plain"},
            {**own, "Sec-Fetch-Site": "cross-site"},
        ):
            status, text = _post(base + "/__import", body.encode(), headers)
            assert status == 403, (headers, status, text)
        assert not (root / NANYUE_DRAFT).exists()

        status, text = _post(base + "/__import", body.encode(), own)
        assert status == 200, text
        assert json.loads(text)["drafts"][0]["file"] == NANYUE_DRAFT
        assert (root / NANYUE_DRAFT).is_file()
        status, text = _post(base + "/__import", b"{not json", own)
        assert status == 400
    finally:
        server.terminate()
        server.wait(timeout=30)

    server, base = _serve(_checkout(tmp_path / "plain"))
    try:  # `make serve`: no import page, nothing written
        assert _get(base + "/__import/")[0] == 404
        own = {"Content-Type": "application/json", "Origin": base}
        assert _post(base + "/__import", b"{}", own)[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
