"""The web editor's preview in local mode (page_preview.py): the entry being edited rendered
by the site itself, compared with the page a real build writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from disclosures.page_preview import PagePreview
from support import REPO

ZHAOHUA = "data/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"
WUHAI = "data/2021/wuhai-gongxiaoshe/zaisheng-ziyuan-huishou-shichang-guanli.yaml"


@pytest.fixture(scope="module")
def preview() -> PagePreview:
    return PagePreview(
        str(REPO / "pelicanconf.py"), str(REPO / "content"), (REPO / "data").resolve()
    )


def _page(preview: PagePreview, url: str) -> BeautifulSoup:
    html = preview.page(url.partition("?__preview=")[2])
    assert html is not None
    return BeautifulSoup(html.decode("utf-8"), "html.parser")


def test_an_unchanged_entry_is_the_built_page(preview: PagePreview, site: Path):
    text = (REPO / ZHAOHUA).read_text(encoding="utf-8")
    shown = preview.render(text, ZHAOHUA)
    address, _, token = shown.url.partition("?__preview=")
    assert token and shown.errors == 0
    built = BeautifulSoup(
        (site / address.strip("/") / "index.html").read_text("utf-8"), "html.parser"
    )
    page = _page(preview, shown.url)
    # The site's template, stylesheet and whole page: the article is the built one, byte for byte.
    assert str(page.select_one("article.disclosure")) == str(built.select_one("article.disclosure"))
    assert (
        page.select_one("nav.breadcrumbs").get_text()
        == built.select_one("nav.breadcrumbs").get_text()
    )
    assert [link["href"] for link in page.select("link[rel=stylesheet]")] == [
        link["href"] for link in built.select("link[rel=stylesheet]")
    ]
    # The banner comes first in <main>, and only there.
    banner = page.select_one("main > section.draft-problems")
    assert banner is page.select_one("main").find(True)
    assert "尚未保存" in banner.get_text() and "检查通过" in banner.get_text()
    assert ZHAOHUA in banner.get_text()
    assert built.select_one("#h-preview") is None


def test_a_change_is_in_the_page(preview: PagePreview):
    text = (REPO / ZHAOHUA).read_text(encoding="utf-8").replace('target: "63人"', 'target: "65人"')
    page = _page(preview, preview.render(text, ZHAOHUA).url)
    targets = [cell.get_text() for cell in page.select("table.indicators td.target")]
    assert any("65人" in t for t in targets) and not any("63人" in t for t in targets)


def test_warnings_are_listed_in_the_forms_words(preview: PagePreview):
    text = (REPO / WUHAI).read_text(encoding="utf-8")
    shown = preview.render(text, WUHAI)
    banner = _page(preview, shown.url).select_one("main > section.draft-problems")
    assert shown.errors == 0 and shown.warnings >= 2
    assert "提醒" in banner.get_text()
    assert "Excel 日期序号" in banner.get_text()
    assert "指标值" in banner.get_text()  # the form's label, not indicators[3].target


def test_a_file_with_errors_is_shown_as_a_draft_with_its_problems(preview: PagePreview):
    text = (REPO / ZHAOHUA).read_text(encoding="utf-8").replace("\nname: ", "\nnaem: ")
    shown = preview.render(text, ZHAOHUA)
    assert shown.errors >= 1 and shown.url.startswith("/__preview/?__preview=")
    page = _page(preview, shown.url)
    assert "需要改正的问题" in page.select_one("#h-problems").get_text()
    assert "naem" in page.select_one(".draft-problems").get_text()


def test_an_entry_with_errors_is_said_in_the_forms_words(preview: PagePreview):
    """The web editor's preview of an unsaved entry with errors: what is missing is named by
    its label on the form and what to do, not by YAML key and file line; it says "preview,
    not saved", not "draft file to move into data/"; a new entry has no made-up file name."""
    shown = preview.render("form: national\nbudget:\n  total: 九百万\n", None)
    assert shown.errors >= 4
    page = _page(preview, shown.url)
    problems = page.select_one(".draft-problems").get_text()
    said = "错误：项目名称（文件第 1 行）：缺少必填字段“项目名称”。怎么改：在“项目名称”一栏"
    assert said in problems
    assert "项目资金 · 资金总额" in problems and "金额应写成" in problems
    for key in ("name", "budget.total", "year", ".yaml", "data/"):
        assert key not in problems, key
    banner = page.select_one(".draft-banner").get_text()
    assert "预览" in banner and "尚未保存" in banner and "草稿" not in banner
    assert page.select_one("h1").get_text() == "（还没有填写项目名称）"
    assert page.find("a", href="/__drafts/") is None
    assert page.title.get_text().startswith("预览：")


def test_a_new_project_taking_another_ones_address_is_an_error(preview: PagePreview):
    """A whole-site check the single file cannot make: the same unit and name as another
    project of that year gives the same address."""
    text = (REPO / ZHAOHUA).read_text(encoding="utf-8")
    shown = preview.render(text, None)
    banner = _page(preview, shown.url).select_one("main > section.draft-problems")
    assert shown.errors == 1
    assert "已被" in banner.get_text() and "tekun-jiating-zai-fuzhu.yaml" in banner.get_text()


def test_nothing_is_written_and_old_previews_are_forgotten(preview: PagePreview, tmp_path: Path):
    before = sorted(p.as_posix() for p in (REPO / "data").rglob("*"))
    text = (REPO / ZHAOHUA).read_text(encoding="utf-8")
    first = preview.render(text, ZHAOHUA).url
    for _ in range(16):
        preview.render("form: national\n", None)
    assert preview.page(first.partition("?__preview=")[2]) is None
    assert sorted(p.as_posix() for p in (REPO / "data").rglob("*")) == before
    assert preview.render(text, "../../etc/passwd").url.startswith("/2021/")  # not a path out


def test_a_changed_data_folder_is_read_again(seed_copy: Path):
    """The other projects are kept between previews and read again when a file changes: the
    same project filed for the next year since the last preview is in the page's history."""
    preview = PagePreview(str(REPO / "pelicanconf.py"), str(REPO / "content"), seed_copy)
    text = (REPO / ZHAOHUA).read_text(encoding="utf-8")
    assert _page(preview, preview.render(text, ZHAOHUA).url).select_one("#h-history") is None
    assert preview.loaded is not None
    next_year = seed_copy / "2022/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"
    next_year.parent.mkdir(parents=True)
    next_year.write_text(text.replace('year: "2021"', 'year: "2022"'), encoding="utf-8")
    page = _page(preview, preview.render(text, ZHAOHUA).url)
    assert "2022" in page.select_one("#h-history").find_parent("section").get_text()
