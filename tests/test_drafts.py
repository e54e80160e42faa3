"""Draft preview (issue 13): `disclosures serve --drafts DIR` shows drafts that do not validate
yet, marked 草稿 with their problems at the top; a build never contains them."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from disclosures.editor_messages import field_words, for_editors, message_words
from disclosures.problems import Problem
from support import DISCLOSURES, REPO, build_site, run_cli, write_project

BROKEN_DRAFT = """\
# yaml-language-server: $schema=../../../schema/disclosure.schema.json
# 导入自 某表.html
# 未识别 / unplaced:
#   某表.html:12: 绩效目标申报表（盖章）
form: national
year: "2024"
name: 草稿里的养老项目
unit: 某某区民政局
budget:
  total: 九百万
indicators:
  - level1: 产出指标
    name: 服务人数
    target: "≥1200人"
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return _get(url)
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    raise AssertionError(f"{url} was not served")


def _drafts(tmp_path: Path) -> Path:
    drafts = tmp_path / "drafts"
    write_project(drafts, "2024/mou-mou-qu/cao-gao.yaml", BROKEN_DRAFT)
    return drafts


def test_a_build_never_contains_a_draft(tmp_path: Path, seed_copy: Path):
    _drafts(tmp_path)  # beside data/, as `make serve` finds drafts/ beside data/
    output = tmp_path / "out"
    build_site(output, seed_copy)
    for page in output.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".csv", ".xml"):
            text = page.read_text(encoding="utf-8", errors="replace")
            assert "草稿里的养老项目" not in text, page
            assert 'href="/__drafts/' not in text, page  # (the guide names the URL)


def test_serve_with_drafts_shows_the_draft_banner_and_problems(tmp_path: Path, seed_copy: Path):
    drafts = _drafts(tmp_path)
    output = tmp_path / "out"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            DISCLOSURES, "serve", "--data", str(seed_copy), "--output", str(output),
            "--port", str(port), "--no-watch", "--drafts", str(drafts),
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "DISCLOSURES_CACHE_PATH": ""},
    )  # fmt: skip
    try:
        index = _wait_for(f"{base}/__drafts/")
        assert "草稿" in index and "草稿里的养老项目" in index
        assert "/__drafts/2024/mou-mou-qu/cao-gao.yaml" in index
        page = _get(f"{base}/__drafts/2024/mou-mou-qu/cao-gao.yaml")
        banner = page.index('class="draft-banner"')
        problems = page.index("需要改正的问题")
        assert banner < problems < page.index("绩效指标（1 项）")  # problems at the top
        assert "drafts/2024/mou-mou-qu/cao-gao.yaml:10:" in page  # file:line of total
        assert "九百万" in page  # the value, and the validator's message about it
        assert "某表.html:12: 绩效目标申报表（盖章）" in page  # what the importer left unplaced
        # Nothing of it was written into the site.
        assert not any("草稿里的养老项目" in p.read_text("utf-8") for p in output.rglob("*.html"))
        try:
            _get(f"{base}/__drafts/../data/2020")
        except urllib.error.HTTPError as error:
            assert error.code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_validate_speaks_the_form_s_words_for_editors(tmp_path: Path):
    """`disclosures validate --format editor`: what a hook shows an editor of the web editor."""
    path = write_project(tmp_path, "2024/x.yaml", BROKEN_DRAFT)
    result = run_cli("validate", "--format", "editor", str(path))
    assert result.returncode == 1
    assert f"{path}:10:10: 项目资金 · 项目总预算 / 资金总额: 金额应写成" in result.stdout
    assert "九百万" in result.stdout


def test_problems_are_named_with_the_form_labels():
    assert field_words("indicators[1].target") == "绩效指标 第 2 行 · 指标目标值 / 指标值"
    assert field_words("budget.total") == "项目资金 · 项目总预算 / 资金总额"
    assert field_words("nonsense") == "nonsense"
    assert field_words("budget.total", "national") == "项目资金 · 资金总额"


def _problem(field: str, zh: str) -> Problem:
    return Problem("x.yaml", 3, 1, field, zh, "en")


def test_keys_named_in_a_message_are_said_as_labels():
    """The editor never sees the YAML keys, so the message names the fields as the form does."""
    both = _problem("period", "period 与 start/end 只能二选一")
    assert message_words(both) == "“项目起止时间 / 实施期”与“计划开始日期”/“计划完成日期”只能二选一"
    assert "“项目起止时间”与" in for_editors(both, "national")
    missing = _problem("", "缺少必填字段 indicators（绩效指标）")
    assert message_words(missing) == "缺少必填字段“绩效指标”"
    row = _problem("indicators[0]", "缺少必填字段 level1（一级指标）")
    assert message_words(row) == "缺少必填字段“一级目标 / 一级指标”"
    assert message_words(row, "national") == "缺少必填字段“一级指标”"
    # The parser's own words and keys the format does not know stay as written.
    parser = _problem("", "YAML 语法错误：expected <block end>, but found '-'")
    assert message_words(parser) == parser.zh
    unknown = _problem("frobnicate", "未知字段 frobnicate（不会被发布）")
    assert message_words(unknown) == unknown.zh
