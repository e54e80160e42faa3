"""修改记录 in a reader's words (issue 16): each entry of a page's change history says what
the commit changed in the data (plugins/disclosures/datadiff.py), in Chinese; the editor's
commit message, often English, is only a note beside it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from disclosures import datadiff
from disclosures.history import file_histories, write_history
from support import MINIMAL_PROJECT
from test_history import ENV, git

TWO_ROWS = (
    MINIMAL_PROJECT
    + """\
  - level1: 效益目标
    level2: 社会效益
    name: 受益人数
    target: ">=100人"
"""
)


def test_list_fields_are_counted_item_by_item() -> None:
    edited = TWO_ROWS.replace('"=100%"', '">=95%"').replace("100人", "120人") + (
        '  - level1: 满意度目标\n    level2: 满意度\n    name: 满意度\n    target: ">=90%"\n'
    )
    action, parts = datadiff.compare(TWO_ROWS, edited)
    assert action == datadiff.CHANGED
    assert parts == (datadiff.Part("indicators", changed=2, added=1),)
    assert datadiff.words(action, parts) == "修改了绩效指标（改 2 行、增 1 行）"
    shorter = TWO_ROWS.split("  - level1: 效益目标")[0]
    assert datadiff.words(*datadiff.compare(TWO_ROWS, shorter)) == "修改了绩效指标（删 1 行）"


def test_fields_are_named_in_the_files_order_and_unknown_keys_are_not_echoed() -> None:
    before = MINIMAL_PROJECT
    after = MINIMAL_PROJECT.replace("测试单位", "另一单位").replace(
        "current_year: 100", "current_year: 90"
    )
    after += "<script>alert(1)</script>: x\nevil_key: 1\n"
    action, parts = datadiff.compare(before, after)
    said = datadiff.words(action, parts)
    assert said == "修改了单位、项目资金、其他内容"
    assert "script" not in said and "evil" not in said


def test_comments_and_layout_are_not_called_a_data_change() -> None:
    commented = "# 已对照原文核对\n" + MINIMAL_PROJECT.replace(
        "name: 测试项目", "name: 测试项目   # 照录"
    )
    action, parts = datadiff.compare(MINIMAL_PROJECT, commented + "\n\n")
    # A trailing comment after a value is part of the line: only whole comment lines and
    # blanks are layout.
    assert (action, parts) == (datadiff.CHANGED, (datadiff.Part("name"),))
    action, parts = datadiff.compare(MINIMAL_PROJECT, "# 已对照原文核对\n" + MINIMAL_PROJECT + "\n")
    assert datadiff.words(action, parts) == "只改了文件中的注释或排版，数据未变"
    assert datadiff.words(*datadiff.compare(None, MINIMAL_PROJECT)) == "录入本表"


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_each_commit_of_a_file_says_what_it_changed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    data = repo / "data"
    (data / "2020").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    path = data / "2020" / "p.yaml"
    path.write_text(MINIMAL_PROJECT, encoding="utf-8")
    commit(repo, "Add the transcribed table")
    path.write_text(TWO_ROWS, encoding="utf-8")
    commit(repo, "Add missing indicator row")
    path.write_text("# checked\n" + TWO_ROWS, encoding="utf-8")
    commit(repo, "Note the check")
    git(repo, "mv", "data/2020/p.yaml", "data/2020/q.yaml")
    commit(repo, "rename")
    (data / "2020" / "q.yaml").write_text(
        "# checked\n" + TWO_ROWS.replace("测试单位", "更正单位"), encoding="utf-8"
    )
    commit(repo, "更正单位名称")

    history = file_histories(data, ["2020/q.yaml"])["2020/q.yaml"]
    assert [c.words for c in history] == [
        "修改了单位",
        "数据文件改名，内容未变",
        "只改了文件中的注释或排版，数据未变",
        "修改了绩效指标（增 1 行）",
        "录入本表",
    ]
    # The English subjects are marked as English for screen readers; Chinese ones are not.
    assert [c.subject_lang for c in history] == ["", "en", "en", "en", "en"]

    # The hooks' way (a history file from the bare repository) says the same.
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(bare)], env=ENV, check=True)
    stored = tmp_path / "history.json"
    write_history(bare, "main", "data", stored)
    assert file_histories(tmp_path / "nowhere", ["2020/q.yaml"], stored)["2020/q.yaml"] == history


def test_a_history_file_cannot_put_its_own_words_on_the_page(tmp_path: Path) -> None:
    """A history file's parts are checked against the format's keys: anything else makes
    the entry's words unknown (the page then says only 修改了本表)."""
    entry = {"commit": "a" * 40, "date": "2024-01-01T00:00:00+08:00", "subject": "x"}
    forged = [
        {**entry, "action": "changed", "parts": [{"key": "<b>假</b>"}]},
        {**entry, "action": "hacked", "parts": []},
        {**entry, "action": "changed", "parts": [{"key": "name", "changed": "9; drop"}]},
        {**entry, "action": "changed", "parts": "name"},
        entry,  # a file written before actions existed
    ]
    stored = tmp_path / "history.json"
    stored.write_text(json.dumps({"format": 1, "files": {"p.yaml": forged}}), encoding="utf-8")
    history = file_histories(tmp_path, ["p.yaml"], stored)["p.yaml"]
    assert [c.words for c in history] == [""] * len(forged)
    good = {**entry, "action": "changed", "parts": [{"key": "indicators", "changed": 2}]}
    stored.write_text(json.dumps({"format": 1, "files": {"p.yaml": [good]}}), encoding="utf-8")
    (change,) = file_histories(tmp_path, ["p.yaml"], stored)["p.yaml"]
    assert change.words == "修改了绩效指标（改 2 行）"
