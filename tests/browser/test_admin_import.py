"""Importing a published table from the browser, in local mode (`make edit`): a real table of
the corpus is pasted into /__import/ (a real paste from the clipboard), the importer writes its
draft into data/, the page lists its unplaced lines and its problems in the form's words
(Chinese and English), and the link opens the draft in /admin/, where the missing field is
filled in and the first save commits it. A real self-evaluation uploaded as a file goes the
same way. A draft with errors, which stops the local rebuild, is removed from the page after a
confirmation, and the preview rebuilds. Fixtures from test_admin.py: a checkout and a server
of this module's own (each test imports a table of its own: none relies on another's)."""

from __future__ import annotations

import json
import subprocess

import pytest
from browser_support import REPO, SCREENSHOTS
from playwright.sync_api import expect
from test_admin import (  # noqa: F401 - editor is a fixture
    WCAG_TAGS,
    Editor,
    _get,
    _git,
    _publish,
    _wait,
    editor,
)

# 湖南 南岳 2023 (pipe cells; contact person and phone in the header; no budget unit named).
SOURCE = REPO / "tests/corpus/sources/039_nanyue_xiangcunzhenxing_2023_yulu_jihua.txt"
DRAFT = "data/2023/dan-wei-wei-zhi/2023-nian-yu-lu-ji-hua-jiu-xue-bu-zhu-xiang-mu.yaml"
TITLE = "2023年雨露计划就学补助项目"
# 安徽 金寨 2024 (a web page's text, its indicator rows not read): the draft has an error (no
# indicators), so the local rebuild fails while it is in data/.
BROKEN = REPO / "tests/corpus/sources/048_jinzhai_sifa_2024_fazhi_xuanchuan.txt"
BROKEN_DRAFT = (
    "data/2024/jin-zhai-xian-si-fa-ju/fa-zhi-xuan-chuan-jing-fei-fa-zhi-jian-she-jing-fei.yaml"
)
BROKEN_TITLE = "法治宣传经费、法治建设经费"
# 安徽 萧县 2023, a 绩效目标自评表 published alone (no target table): the importer writes a
# project whose targets come from the self-evaluation's 年度指标值 column.
SELFEVAL = (
    REPO / "tests/corpus_selfeval/sources/s01_xiaoxian_zhangzhuangzhai_2023_tese_zhongyang.txt"
)
SELFEVAL_DRAFT = (
    "data/2023/zhang-zhuang-zhai-zhen-ren-min-zheng-fu/"
    "he-xi-cun-te-se-zhong-yang-bu-tie-dao-hu-xiang-mu.yaml"
)
SELFEVAL_TITLE = "河西村特色种养补贴到户项目"


@pytest.fixture
def import_page(browser, editor: Editor, request: pytest.FixtureRequest):  # noqa: F811
    inject = "axe_source" in request.fixturenames
    context = browser.new_context(
        locale="zh-CN", bypass_csp=inject, viewport={"width": 1280, "height": 1000}
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=editor.base)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(editor.base + "/admin/")
    yield page
    context.close()


def _committed(editor: Editor, path: str) -> bool:  # noqa: F811
    try:
        return bool(_git(editor.root, "ls-files", "--error-unmatch", path).strip())
    except subprocess.CalledProcessError:
        return False


def test_a_pasted_table_is_imported_then_opened_and_saved_in_the_editor(
    import_page,
    editor: Editor,  # noqa: F811
    axe_source,
):
    page = import_page
    # Reached from the editor: its link to the import page, a landmark of its own.
    tools = page.get_by_role("navigation", name="本机编辑工具")
    tools.get_by_role("link", name="导入表格（粘贴或上传）").click()
    page.wait_for_url("**/__import/")
    page.evaluate("text => navigator.clipboard.writeText(text)", SOURCE.read_text("utf-8"))
    page.get_by_label("粘贴表格 / Paste the table").focus()
    page.keyboard.press("Control+V")
    assert "雨露计划" in page.get_by_label("粘贴表格 / Paste the table").input_value()
    page.get_by_role("button", name="导入 / Import").click()

    result = page.locator("#import-result")
    result.locator(".import-draft").wait_for(timeout=60_000)
    assert "已导入，但有没识别的文字或缺少的栏目" in result.locator(".import-summary").inner_text()
    draft = result.locator(".import-draft")
    assert draft.get_by_role("heading", level=3).inner_text() == TITLE
    assert DRAFT in draft.locator(".import-file").inner_text()
    # The problem in the form's words, both languages: the form calls the unit 实施单位.
    errors = draft.locator(".import-errors li").all_inner_texts()
    assert len(errors) == 1 and "实施单位" in errors[0] and "(Budget unit)" in errors[0], errors
    notes = draft.locator(".import-draft-notes").first.inner_text()
    assert "第 9 行 / line 9: 专项负责人" in notes and "联系人及电话" in notes
    assert (editor.root / DRAFT).is_file() and not _committed(editor, DRAFT)

    # The page passes axe (WCAG 2.1 AA) with its result shown.
    page.add_script_tag(path=str(axe_source))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))",
        WCAG_TAGS,
    )
    assert found == [], found
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-import-page.png"), full_page=True)

    # Opened in the editor: the draft's values and the importer's notes, read-only.
    draft.get_by_role("link", name="在编辑器中打开、核对并保存 / open it in the editor").click()
    page.wait_for_url("**/admin/**")
    login = page.get_by_role("button", name="登录")
    name = page.get_by_label("项目名称", exact=True)
    name.or_(login).first.wait_for(timeout=30_000)
    if login.is_visible():
        login.click()
    name.wait_for(timeout=30_000)
    assert name.input_value() == TITLE
    assert "专项负责人" in page.locator(".import-notes").inner_text()

    # The missing field filled in, saved: the save is checked and commits the draft.
    page.get_by_label("实施单位", exact=True).fill("南岳区乡村振兴局")
    _publish(page)
    assert _wait(lambda: _committed(editor, DRAFT), 30), "the draft was not committed"
    message = _git(editor.root, "log", "-1", "--format=%s").strip()
    assert message == f"添加：南岳区乡村振兴局“{TITLE}”（2023年度，网页编辑器）", message
    assert "unit: 南岳区乡村振兴局" in (editor.root / DRAFT).read_text("utf-8")
    assert page.errors == []


def _axe(page, axe_source) -> list[str]:
    page.add_script_tag(path=str(axe_source))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))",
        WCAG_TAGS,
    )


def _build_state(editor: Editor) -> dict:  # noqa: F811
    return json.loads(_get(editor.base + "/__build/state"))


def test_a_draft_with_errors_is_removed_from_the_page_and_the_preview_rebuilds(
    import_page,
    editor: Editor,  # noqa: F811
    axe_source,
):
    page = import_page
    page.goto(editor.base + "/__import/")
    history = _git(editor.root, "log", "--format=%H")
    page.get_by_label("或选择文件 / or pick a file").set_input_files(str(BROKEN))
    page.get_by_role("button", name="导入 / Import").click()
    imported = page.locator("#import-result .import-draft")
    imported.wait_for(timeout=60_000)
    assert imported.get_by_role("heading", level=3).inner_text() == BROKEN_TITLE
    assert "(Performance indicators)" in imported.locator(".import-errors").inner_text()
    # While the draft is in data/ the rebuild fails: the page says so, at the top.
    state = page.locator("#build-state")
    expect(state).to_have_attribute("data-state", "failed", timeout=180_000)
    assert "本机预览没有更新" in state.inner_text()
    built = _build_state(editor)["build"]

    # Reopened later, the page lists the drafts not saved yet, with their problems.
    page.reload()
    listed = page.locator("#import-drafts .import-draft", has_text=BROKEN_TITLE)
    listed.wait_for(timeout=30_000)
    assert BROKEN_DRAFT in listed.locator(".import-file").inner_text()
    remove = listed.get_by_role("button", name="删除草稿… / remove the draft…")

    # Asked first, saying how: never committed, so the file alone goes and nothing is
    # committed. Cancelled: nothing happens.
    remove.click()
    dialog = page.get_by_role("dialog", name="删除草稿？ / Remove the draft?")
    expect(dialog).to_be_visible()
    asked = dialog.inner_text()
    assert BROKEN_DRAFT in asked and "不产生提交" in asked and "nothing is committed" in asked
    assert _axe(page, axe_source) == []  # the page with its dialog open
    dialog.get_by_role("button", name="取消 / cancel").click()
    expect(dialog).to_be_hidden()
    assert (editor.root / BROKEN_DRAFT).is_file()

    remove.click()
    dialog.get_by_role("button", name="删除草稿 / remove it").click()
    said = page.locator("#import-drafts .import-removed")
    expect(said).to_contain_text("没有新的提交", timeout=30_000)
    assert not (editor.root / BROKEN_DRAFT).exists()
    assert _git(editor.root, "log", "--format=%H") == history  # no commit
    # The preview recovers: the next rebuild works and the page says so.
    expect(state).to_have_attribute("data-state", "ok", timeout=180_000)
    assert _build_state(editor)["build"] > built
    # Said where it was, and no longer listed (nor in the import's result, reloaded away).
    assert BROKEN_TITLE in said.inner_text() and BROKEN_DRAFT in said.inner_text()
    expect(page.locator("#import-drafts .import-draft", has_text=BROKEN_TITLE)).to_have_count(0)
    assert page.get_by_role("button", name="删除草稿… / remove the draft…").count() == 0
    assert page.errors == []


def test_an_uploaded_self_evaluation_is_opened_and_saved_in_the_editor(
    import_page,
    editor: Editor,  # noqa: F811
):
    page = import_page
    page.goto(editor.base + "/__import/")
    page.get_by_label("或选择文件 / or pick a file").set_input_files(str(SELFEVAL))
    page.get_by_role("button", name="导入 / Import").click()
    draft = page.locator("#import-result .import-draft")
    draft.wait_for(timeout=60_000)
    assert draft.get_by_role("heading", level=3).inner_text() == SELFEVAL_TITLE
    assert SELFEVAL_DRAFT in draft.locator(".import-file").inner_text()
    assert draft.locator(".import-ok").count() == 1  # no errors
    # What the importer could not place is listed with its line in the file, as for a
    # target table (the funds line's own points and score; the table cut after 满意).
    notes = draft.locator(".import-draft-notes").inner_text()
    assert "第 10 行 / line 10: 其中:本年财政拨款: 分值 10，得分 10" in notes, notes
    written = (editor.root / SELFEVAL_DRAFT).read_text(encoding="utf-8")

    draft.get_by_role("link", name="在编辑器中打开、核对并保存 / open it in the editor").click()
    page.wait_for_url("**/admin/**")
    login = page.get_by_role("button", name="登录")
    name = page.get_by_label("项目名称", exact=True)
    name.or_(login).first.wait_for(timeout=30_000)
    if login.is_visible():
        login.click()
    name.wait_for(timeout=30_000)
    assert name.input_value() == SELFEVAL_TITLE
    # The self-evaluation's block in the form: each indicator's target row and result row.
    rows = page.locator("[class*=ListItem]", has_text="★补助各类瓜果蔬菜种植面积")
    expect(rows).to_have_count(2)
    assert "其中:本年财政拨款: 分值 10，得分 10" in page.locator(".import-notes").inner_text()
    # Checked against the original, nothing to change. Decap shows a file on disk as published
    # with nothing to save; the editor is told it is a draft, and where to save it as it is.
    note = page.locator(".disclosure-draft-note")
    expect(note).to_contain_text("还没保存的草稿", timeout=30_000)
    assert page.get_by_role("button", name="已发布").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-import-draft-note.png"))
    note.get_by_role("link", name="导入页面").click()
    page.wait_for_url("**/__import/")
    listed = page.locator("#import-drafts .import-draft", has_text=SELFEVAL_TITLE)
    listed.get_by_role(
        "button", name="核对无误，保存（检查后提交）/ checked: save it as it is"
    ).click()
    said = page.locator("#import-drafts .import-saved")
    expect(said).to_contain_text("已检查并提交", timeout=30_000)
    assert _committed(editor, SELFEVAL_DRAFT), "the draft was not committed"
    message = _git(editor.root, "log", "-1", "--format=%s").strip()
    assert message == f"添加：张庄寨镇人民政府“{SELFEVAL_TITLE}”（2023年度，网页编辑器）", message
    assert _git(editor.root, "show", "--name-only", "--format=", "HEAD").split() == [SELFEVAL_DRAFT]
    assert (editor.root / SELFEVAL_DRAFT).read_text(encoding="utf-8") == written  # as imported
    expect(listed).to_have_count(0)
    # Back in the editor: a saved project, no longer a draft.
    page.go_back()
    page.wait_for_url("**/admin/**")
    name.wait_for(timeout=30_000)
    expect(page.locator(".disclosure-draft-note")).to_be_hidden(timeout=30_000)
    assert page.errors == []
