"""The site's validator refuses a save from the web editor (local mode), in a checkout of its
own: fixtures from test_admin.py, a fresh copy of data/ and a fresh server for this module."""

from __future__ import annotations

import time

import pytest
from test_admin import (  # noqa: F401 - editor and page are fixtures
    Editor,
    _fill_new_project,
    _publish,
    _wait,
    _written,
    editor,
    page,
)


@pytest.mark.xfail(
    strict=False,
    reason="known defect, open: the local-mode save validator's refusal dialog does not appear "
    "(seen alone and under load on 2026-11-30); issue 18's note says so",
)
def test_the_site_validator_refuses_a_save_with_errors(page, editor: Editor):  # noqa: F811
    """What only the real validator knows (period and start/end together) stops the save."""
    messages: list[str] = []
    page.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    _fill_new_project(page, editor, "有错误的项目")
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2024-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202401-202412")
    _publish(page)
    assert _wait(lambda: bool(messages), 90), "no message shown"
    assert "没有保存" in messages[0]
    assert "项目起止时间" in messages[0] and "只能二选一" in messages[0]
    time.sleep(1)
    assert _written(editor, "有错误的项目") is None
