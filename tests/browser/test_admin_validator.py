"""The site's validator refuses a save from the web editor (local mode), in a checkout of its
own: fixtures from test_admin.py, a fresh copy of data/ and a fresh server for this module.

Waits go through Playwright (locator waits), never time.sleep: sync Playwright hands the page's
events (a dialog, a console message) to the test only while a Playwright call runs, and a page
blocked on an unhandled dialog never finishes. That was why this test failed intermittently
when the refusal was a window.alert and the test slept in a loop.
"""

from __future__ import annotations

import time

from test_admin import (  # noqa: F401 - editor and page are fixtures
    WCAG_TAGS,
    Editor,
    _fill_new_project,
    _publish,
    _written,
    editor,
    page,
)


def test_the_site_validator_refuses_a_save_with_errors(page, editor: Editor):  # noqa: F811
    """What only the real validator knows (period and start/end together) stops the save."""
    _fill_new_project(page, editor, "有错误的项目")
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2024-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202401-202412")
    _publish(page)
    dialog = page.get_by_role("alertdialog", name="没有保存：数据有错误")
    dialog.wait_for(timeout=90_000)
    text = dialog.inner_text()
    # The form's words and the line, no YAML keys: what an editor can act on.
    assert "文件没有写入" in text
    assert "项目起止时间（文件第 7 行）" in text
    assert "“项目起止时间”与“计划开始日期”/“计划完成日期”只能二选一" in text
    assert "period" not in text and "start/end" not in text
    # Decap's own notice says the save failed, too.
    page.get_by_text("保存内容失败").first.wait_for(timeout=10_000)
    dialog.get_by_role("button", name="知道了，去改正").click()
    dialog.wait_for(state="hidden")
    page.wait_for_timeout(1000)
    assert _written(editor, "有错误的项目") is None
    # The editor can correct the entry and save it: the refusal kept what was typed.
    start = page.get_by_label("计划开始日期 (可选)", exact=True)
    start.click()
    start.press("Control+a")
    start.press("Delete")
    assert start.input_value() == ""
    _publish(page)
    deadline = time.monotonic() + 60
    while _written(editor, "有错误的项目") is None and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert _written(editor, "有错误的项目") is not None, "the corrected entry was not saved"


def test_the_refusal_dialog_passes_axe(page, editor: Editor, axe_source):  # noqa: F811
    _fill_new_project(page, editor, "另一个有错误的项目")
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2024-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202401-202412")
    _publish(page)
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for(timeout=90_000)
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run('#disclosure-refusal', {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    assert result["passes"], "axe ran no check"
    assert not result["violations"], result["violations"]
    assert page.evaluate("document.activeElement.textContent") == "知道了，去改正"
