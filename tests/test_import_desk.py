"""Importing a table from the browser in `make edit` (import_desk.py, /__import/ of
`disclosures serve --edit`): a real published table pasted as text, a workbook uploaded, the
same table twice, names and requests an editor's browser should never send, drafts listed and
removed by what git knows of them, and the one door of the development server (another
origin, a cross-site form, no --edit)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from disclosures.commands.serve import validate_text
from disclosures.import_desk import ImportDesk, ImportRefused, safe_name, upload_from
from disclosures.local_editor import LocalEditor
from support import DISCLOSURES, REPO
from test_import_inputs import write_xlsx
from test_local_editor import _checkout, _free_port, _git

# A real published table (湖南 南岳, 2023; pipe cells), its contact person and phone in the
# header and no budget unit named: the draft is written with those lines unplaced.
NANYUE = REPO / "tests/corpus/sources/039_nanyue_xiangcunzhenxing_2023_yulu_jihua.txt"
NANYUE_DRAFT = "data/2023/dan-wei-wei-zhi/2023-nian-yu-lu-ji-hua-jiu-xue-bu-zhu-xiang-mu.yaml"


@pytest.fixture
def desk(tmp_path: Path) -> ImportDesk:
    root = _checkout(tmp_path)
    return ImportDesk(root / "data", LocalEditor(root=root, validate=validate_text))


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


def _log(root: Path) -> list[str]:
    return _git(root, "log", "--format=%s").splitlines()


def test_a_draft_never_committed_is_removed_as_a_file_and_nothing_is_committed(desk: ImportDesk):
    root = desk.data.parent
    history = _log(root)
    answer = desk.run(upload_from(_paste(NANYUE.read_text(encoding="utf-8"))))
    assert answer["drafts"][0]["state"] == "new"
    listed = desk.drafts()
    assert listed["git"] and [d["file"] for d in listed["drafts"]] == [NANYUE_DRAFT]
    assert listed["drafts"][0]["errors"]  # listed with its problems, as after the import

    # The state the editor confirmed must still hold: nothing is done otherwise.
    for wrong in ("saved", "changed", "", None):
        with pytest.raises(ImportRefused) as refused:
            desk.remove({"file": NANYUE_DRAFT, "state": wrong})
        assert refused.value.status == 409 and "reload" in str(refused.value)
    assert (root / NANYUE_DRAFT).is_file()

    done = desk.remove({"file": NANYUE_DRAFT, "state": "new"})
    assert "没有新的提交" in done["done"] and "nothing to commit" in done["done"]
    assert not (root / NANYUE_DRAFT).exists()
    assert not (root / "data/2023/dan-wei-wei-zhi").exists()  # the folder it made, empty
    assert _log(root) == history
    assert _git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert desk.drafts()["drafts"] == []
    with pytest.raises(ImportRefused) as refused:  # removed twice: said, not an error 500
        desk.remove({"file": NANYUE_DRAFT, "state": "new"})
    assert refused.value.status == 409


def test_a_project_the_import_changed_gets_its_committed_text_back(desk: ImportDesk):
    root = desk.data.parent
    history = _log(root)
    project = sorted(desk.data.glob("2021/*/*.yaml"))[0]
    relative = project.relative_to(root).as_posix()
    committed = project.read_bytes()
    project.write_bytes(committed + b"selfeval:\n  score: 90\n")
    (listed,) = desk.drafts()["drafts"]
    assert listed["file"] == relative and listed["state"] == "changed"
    done = desk.remove({"file": relative, "state": "changed"})
    assert "恢复为上次提交的内容" in done["done"]
    assert project.read_bytes() == committed and _log(root) == history


def test_a_saved_project_is_no_draft_and_is_not_removed_here(desk: ImportDesk):
    """Removing a published table is a decision for git (the collections offer no delete):
    a project as committed is not removed, even when asked for in its own state."""
    root = desk.data.parent
    history = _log(root)
    project = sorted(desk.data.glob("2021/*/*.yaml"))[0]
    relative = project.relative_to(root).as_posix()
    assert desk.drafts()["drafts"] == []  # not a draft: not listed
    with pytest.raises(ImportRefused) as refused:
        desk.remove({"file": relative, "state": "saved"})
    assert refused.value.status == 409 and "decision for git" in str(refused.value)
    assert project.is_file() and _log(root) == history


@pytest.mark.parametrize(
    "file",
    ["data/../pyproject.toml", "/etc/passwd", "data/2021", "output/index.html", "data/x.txt"],
)
def test_nothing_but_a_yaml_file_in_data_is_removed(desk: ImportDesk, file: str):
    with pytest.raises(ImportRefused) as refused:
        desk.remove({"file": file, "state": "new"})
    assert refused.value.status == 403


def test_a_draft_that_needs_no_change_is_saved_as_it_is_and_one_with_errors_is_not(
    desk: ImportDesk, tmp_path: Path
):
    """Decap shows a draft on disk as published, with nothing to save: the page saves it as it
    is, checked like every save, in one commit of that file alone."""
    root = desk.data.parent
    history = _log(root)
    broken = desk.run(upload_from(_paste(NANYUE.read_text(encoding="utf-8"))))["drafts"][0]
    with pytest.raises(ImportRefused) as refused:
        desk.save({"file": broken["file"], "state": "new"})
    assert refused.value.status == 422 and "缺少必填字段“实施单位”" in str(refused.value)
    assert _log(root) == history

    book = write_xlsx(tmp_path / "绩效目标表.xlsx").read_bytes()
    request = {"name": "绩效目标表.xlsx", "base64": base64.b64encode(book).decode()}
    (draft,) = desk.run(upload_from(request))["drafts"]
    with pytest.raises(ImportRefused) as refused:
        desk.save({"file": draft["file"], "state": "changed"})
    assert refused.value.status == 409
    done = desk.save({"file": draft["file"], "state": "new"})
    assert "已检查并提交" in done["done"]
    assert _log(root)[1:] == history and _log(root)[0].startswith("添加：")
    assert _git(root, "show", "--name-only", "--format=", "HEAD").split() == [draft["file"]]
    assert [d["file"] for d in desk.drafts()["drafts"]] == [NANYUE_DRAFT]  # the other stays


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


def test_an_uploaded_self_evaluation_keeps_its_unplaced_text_beside_the_draft(desk: ImportDesk):
    """A real 项目支出绩效自评表 published alone (安徽 萧县 2023, pipe cells): the project is
    written with targets from its 年度指标值 column, and the text the importer could not place
    is in the draft's comment block, which the page and the editor's form show."""
    source = (
        REPO / "tests/corpus_selfeval/sources/s01_xiaoxian_zhangzhuangzhai_2023_tese_zhongyang.txt"
    )
    request = {"name": source.name, "base64": base64.b64encode(source.read_bytes()).decode()}
    answer = desk.run(upload_from(request))
    assert answer["status"] == 3, answer["said"]
    (draft,) = answer["drafts"]
    assert draft["title"] == "河西村特色种养补贴到户项目" and draft["errors"] == []
    assert draft["state"] == "new"
    (unplaced,) = [n for n in draft["notes"] if n["title"].startswith("导入时未识别的文字")]
    assert unplaced["lines"] == [
        "第 10 行 / line 10: 其中:本年财政拨款: 分值 10，得分 10",
        "第 41 行 / line 41: 满意",
    ]


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
        # Listing and removing drafts: the same door.
        remove = json.dumps({"file": NANYUE_DRAFT, "state": "new"}).encode()
        for path, body in (
            ("/__import/drafts", b"{}"),
            ("/__import/remove", remove),
            ("/__import/save", remove),
        ):
            for headers in (
                {**own, "Origin": "http://evil.example"},
                {**own, "Host": "evil.example"},
                {**own, "Content-Type": "text/plain"},
                {**own, "Sec-Fetch-Site": "cross-site"},
            ):
                assert _post(base + path, body, headers)[0] == 403, (path, headers)
        assert (root / NANYUE_DRAFT).is_file()
        status, text = _post(base + "/__import/drafts", b"{}", own)
        assert status == 200 and [d["file"] for d in json.loads(text)["drafts"]] == [NANYUE_DRAFT]
        status, text = _post(base + "/__import/remove", remove, own)
        assert status == 200 and not (root / NANYUE_DRAFT).exists(), text
        status, state, _ = _get(base + "/__build/state")
        assert status == 200 and set(json.loads(state)) == {"build", "failed", "building"}
    finally:
        server.terminate()
        server.wait(timeout=30)

    server, base = _serve(_checkout(tmp_path / "plain"))
    try:  # `make serve`: no import page, nothing written
        assert _get(base + "/__import/")[0] == 404
        own = {"Content-Type": "application/json", "Origin": base}
        assert _post(base + "/__import", b"{}", own)[0] == 404
        assert _post(base + "/__import/remove", b"{}", own)[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
