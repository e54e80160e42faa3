"""The web editor (/admin/, local mode) on a phone's screen, 390 × 844 CSS pixels: what a
budget-office editor meets first — open a project, find 发布, look at the preview, add a
project, read a refusal — with nothing beyond the screen's right edge.

Decap's editor keeps a minimum width of 800px: on a phone the page scrolled sideways and 发布
stood beyond the right edge, the form and the preview squeezed side by side. editor.css gives
a narrow screen one column (the eye button switches between the form and the preview) and
editor.js opens the form first. Fixtures from test_admin.py: a checkout and a server of this
module's own. At a phone's and a desktop's width, Decap's controls that do nothing here are
not offered, and a new entry is not said to be saved.
"""

from __future__ import annotations

import pytest
from browser_support import SCREENSHOTS
from support import run_cli
from test_admin import (  # noqa: F401 - editor is a fixture
    WCAG_TAGS,
    Editor,
    _publish,
    _written,
    editor,
    fill_new_project,
    logged_in,
)

PHONE = {"width": 390, "height": 844}
ENTRY = "collections/national/entries/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu"


@pytest.fixture
def phone(browser, editor: Editor, request: pytest.FixtureRequest):  # noqa: F811
    yield from logged_in(browser, editor, request, viewport=PHONE, is_mobile=True, has_touch=True)


def _on_screen(page, locator) -> None:
    """`locator` is visible and lies within the screen's width (no sideways scrolling)."""
    box = locator.bounding_box()
    assert box is not None, "not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box


def _no_sideways_scrolling(page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"the page is {widths[0]}px wide on a {widths[1]}px screen"


def test_a_phone_shows_the_form_then_the_preview_and_publish_on_screen(
    phone,
    editor: Editor,  # noqa: F811
    axe_source,
):
    page = phone
    page.goto(f"{editor.base}/admin/#/{ENTRY}")
    year = page.get_by_label("年度", exact=True)
    year.wait_for()
    _no_sideways_scrolling(page)
    _on_screen(page, year)
    publish = page.get_by_role("button", name="已发布", exact=True)
    _on_screen(page, publish)  # 已发布 here; 发布 once something is changed
    # The eye button, named by its own title (not “展开或折叠”), shows the preview instead of
    # the form, over the whole width; pressed again, the form is back.
    eye = page.get_by_role("button", name="打开/关闭预览", exact=True)
    _on_screen(page, eye)
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    assert result["passes"], "axe ran no check"
    assert [v["id"] for v in result["violations"]] == [], result["violations"]
    eye.click()
    frame = page.locator("#preview-pane")
    frame.wait_for()
    page.frame_locator("#preview-pane").frame_locator("iframe").locator(
        "h1", has_text="特困家庭再扶助"
    ).wait_for(timeout=30_000)
    box = frame.bounding_box()
    assert box is not None and box["width"] >= PHONE["width"] - 2, box
    assert not year.is_visible()
    _no_sideways_scrolling(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-phone-preview.png"))
    eye.click()
    year.wait_for()
    _on_screen(page, year)
    assert not page.errors, page.errors


def test_a_project_is_added_and_a_refusal_read_on_a_phone(phone, editor: Editor):  # noqa: F811
    page = phone
    name = "手机上添加的项目"
    fill_new_project(page, editor.base, name)
    page.get_by_label("计划开始日期 (可选)", exact=True).fill("2024-01-01")
    page.get_by_label("项目起止时间 (可选)", exact=True).fill("202401-202412")
    _no_sideways_scrolling(page)
    _on_screen(page, page.get_by_role("button", name="发布", exact=True))
    _publish(page)
    dialog = page.get_by_role("alertdialog", name="没有保存：数据有错误")
    dialog.wait_for(timeout=90_000)
    _on_screen(page, dialog)
    assert "“项目起止时间”与“计划开始日期”/“计划完成日期”只能二选一" in dialog.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "admin-phone-refused.png"))
    dialog.get_by_role("button", name="知道了，去改正").click()
    dialog.wait_for(state="hidden")
    assert _written(editor, name) is None
    start = page.get_by_label("计划开始日期 (可选)", exact=True)
    start.click()
    start.press("Control+a")
    start.press("Delete")
    _publish(page)
    for _ in range(200):
        if _written(editor, name) is not None:
            break
        page.wait_for_timeout(300)
    path = _written(editor, name)
    assert path is not None, "the project was not saved"
    assert run_cli("validate", str(path)).returncode == 0
    _no_sideways_scrolling(page)
    assert set(page.errors) <= {"Object"}, page.errors


@pytest.mark.parametrize("width", [390, 1280])
def test_what_does_nothing_here_is_not_offered(browser, editor: Editor, width: int):  # noqa: F811
    """The login page says what /admin/ is and where the guide is. 媒体 (Decap's media
    library: the format has no files to upload, and an upload is refused) and 点击以预览 (a
    deploy preview no site has) are not shown; a new, empty entry is not “修改已保存”
    (nothing saved it)."""
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(editor.base + "/admin/")
    # The login page says what this is (Decap's shows its logo and a button only).
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text().startswith("编辑绩效目标表")
    if width == PHONE["width"]:
        _on_screen(page, heading)
    assert page.get_by_text("见本站“编辑指南”").is_visible()
    page.get_by_role("button", name="登录").click()
    page.get_by_text("项目支出绩效目标表（全国通行表式）").first.wait_for()
    header = page.get_by_role("banner").get_by_role("navigation").get_by_role("listitem")
    header.filter(has_text="内容").wait_for()
    shown = [item.inner_text().strip() for item in header.all() if item.is_visible()]
    assert shown == ["内容"], shown
    assert not page.get_by_text("媒体", exact=True).is_visible()
    page.goto(f"{editor.base}/admin/#/{ENTRY}")
    page.get_by_label("年度", exact=True).wait_for()
    page.get_by_text("没有未保存的修改").wait_for()
    assert not page.get_by_text("点击以预览").is_visible()
    page.goto(f"{editor.base}/admin/#/collections/national/new")
    page.get_by_label("年度", exact=True).wait_for()
    assert page.get_by_text("没有未保存的修改").is_visible()
    assert not page.get_by_text("修改已保存").is_visible()
    page.get_by_label("年度", exact=True).fill("2024")
    page.get_by_text("含未保存的修改").wait_for()
    context.close()
