"""Attacks of the eighth red-team pass (docs/security.md, "Red-team pass, eighth session",
letter R8), build and validator side. Each failed (got through) before the defence it names
(checked with the fix reverted); the held ones are listed in the table only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import MINIMAL_PROJECT, build_site, run_cli, write_project
from test_import_inputs import import_one, loaded


def _site(tmp_path: Path, pages: dict[str, str]) -> tuple[Path, Path]:
    write_project(tmp_path / "data" / "2020")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    for rel, text in pages.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "data", content


def _build(tmp_path: Path, data: Path, content: Path):
    return build_site(tmp_path / "out", data=data, content=content, check=False)


# --- Files under content/ that no reader reads were left out without a word.

UNREAD = {
    "html": "pages/notice.html",  # Pelican's HTML reader is off
    "rst": "pages/notice.rst",  # so is reStructuredText
    "upper-case": "pages/notice.MD",  # the Markdown reader matches `.md` only
    "text": "pages/notice.txt",
    "image": "images/seal.png",  # no static paths: never copied
    "outside-pages": "notice.md",  # PAGE_PATHS is pages/ only
    "folder-case": "Pages/notice.md",  # …and `Pages/` is not `pages/`
}


@pytest.mark.parametrize("rel", UNREAD.values(), ids=UNREAD.keys())
def test_a_file_the_build_would_not_publish_is_named(tmp_path: Path, rel: str) -> None:
    """Before: the build published the site without the file and said nothing (`validate
    --pages` counted only the pages it read), so an editor's notice never appeared."""
    data, content = _site(tmp_path, {rel: "Title: 通知\n\n请于月底前报送。\n"})
    result = _build(tmp_path, data, content)
    assert result.returncode != 0, result.stdout
    assert f"{rel}:1:1: 不会发布" in result.stdout + result.stderr, result.stderr
    assert "would not be published" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
    checked = run_cli("validate", str(data), "--pages", str(content))
    assert checked.returncode == 1 and f"{rel}:1:1:" in checked.stdout, checked.stdout


def test_pages_and_dot_files_are_still_read(tmp_path: Path) -> None:
    data, content = _site(
        tmp_path,
        {
            "pages/notice.md": "Title: 通知\nSlug: notice\n\n月底前报送\n",
            ".gitattributes": "* -text\n",
            "pages/b.markdown": "Title: 乙\n\n乙\n",
        },
    )
    _build(tmp_path, data, content).check_returncode()
    assert "月底前报送" in (tmp_path / "out/pages/notice/index.html").read_text(encoding="utf-8")


# --- Output names that differ only in case are one file on Windows, macOS and IIS.


@pytest.mark.parametrize(
    "pages, taken",
    [
        ({"pages/e.md": "Title: 首页\nSave_as: INDEX.HTML\n\n假首页\n"}, "INDEX.HTML"),
        ({"pages/e.md": "Title: 术语\nSave_as: Glossary/index.html\n\n假\n"}, "Glossary"),
        (
            {
                "pages/a.md": "Title: 甲\nSlug: notice\n\n甲\n",
                "pages/b.md": "Title: 乙\nSlug: Notice\n\n乙\n",
            },
            "pages/Notice/index.html",
        ),
    ],
    ids=["home", "generated-folder", "two-pages"],
)
def test_an_editorial_page_differing_only_in_case_is_refused(
    tmp_path: Path, pages: dict[str, str], taken: str
) -> None:
    """`Save_as: INDEX.HTML` was published beside index.html: on a server or a computer that
    ignores case (IIS, Windows, macOS) it is the home page. Two pages `notice`/`Notice`:
    one overwrote the other there."""
    data, content = _site(tmp_path, pages)
    result = _build(tmp_path, data, content)
    assert result.returncode != 0, result.stdout
    assert taken in result.stderr and "an editorial page cannot take it" in result.stderr


def test_a_page_over_a_file_the_site_writes_is_refused_in_both_languages(tmp_path: Path) -> None:
    """`Save_as: robots.txt` failed with Pelican's English-only "Failed to overwrite" and no
    line; now the page's file, line, the owner, in Chinese and English."""
    data, content = _site(
        tmp_path, {"pages/r.md": "Title: 机器人\nSave_as: robots.txt\n\nUser-agent: *\n"}
    )
    result = _build(tmp_path, data, content)
    assert result.returncode != 0
    assert "pages/r.md:2:1: save_as “robots.txt” 属于 /robots.txt" in result.stderr, result.stderr
    assert "an editorial page cannot take it" in result.stderr


def test_a_draft_page_is_not_published(tmp_path: Path) -> None:
    """`Status: draft` was written to /drafts/pages/<slug>.html, public and in the search
    index: an unreviewed text on the official site."""
    data, content = _site(
        tmp_path, {"pages/d.md": "Title: 草稿\nStatus: draft\n\n未审核的草稿 DRAFT7731\n"}
    )
    _build(tmp_path, data, content).check_returncode()
    out = tmp_path / "out"
    assert not (out / "drafts").exists()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            assert "DRAFT7731" not in path.read_text(encoding="utf-8", errors="replace"), path


# --- Links whose text or host says another site than the one they go to.

LINKS = {
    "text-is-another-address": "见 [https://www.hunan.gov.cn/](https://evil.example/x)",
    "text-is-another-host": "见 [www.hunan.gov.cn](https://evil.example/)",
    "user-part": "见 <https://www.hunan.gov.cn@evil.example/>",
    "look-alike-host": "见 [湖南省政府网](https://www.hun\u0430n.gov.cn/)",
    "mail-to-another": "请发邮件至 [czt@hunan.gov.cn](mailto:x@evil.example)",
    "data-image": "![公章](data:image/png;base64,iVBORw0KGgo=)",
    "image-from-another-site": "![表](//evil.example/table.png)",
}


@pytest.mark.parametrize("text", LINKS.values(), ids=LINKS.keys())
def test_a_link_that_reads_as_another_site_is_refused(tmp_path: Path, text: str) -> None:
    """In a data file's notes and in a page: the page showed `https://www.hunan.gov.cn/` and
    went to evil.example; an autolink with a user part; a host with a Cyrillic а; a mailto
    whose text is another address; a data: PNG (a picture of a table the text checks never
    see; markdown-it lets data:image/png through and the CSP allows data: images)."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT + f"notes: {json.dumps(text)}\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1 and "a.yaml:" in result.stdout and "notes" in result.stdout
    page = tmp_path / "content" / "pages" / "p.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"Title: 链接\n\n正文\n\n{text}\n", encoding="utf-8")
    write_project(data, "a.yaml")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1 and "p.md:3:1:" in result.stdout, result.stdout


def test_honest_links_and_images_of_the_site_are_kept(tmp_path: Path) -> None:
    text = (
        "见 [https://www.hunan.gov.cn/](https://www.hunan.gov.cn/zw/) 和 "
        "[www.mof.gov.cn](https://mof.gov.cn/) 和 [湖南省财政厅](https://czt.hunan.gov.cn/) "
        "<https://www.gov.cn/> [附件1.xlsx](https://www.mof.gov.cn/a.xlsx) "
        "[czt@hunan.gov.cn](mailto:czt@hunan.gov.cn) [关于](../pages/about/) "
        "![图标](../theme/favicon.svg)"
    )
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT + f"notes: {json.dumps(text)}\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


# --- Unit names that differ only in what readers cannot see.

ALIKE = {
    "ji-yi": ("武汉市自己区教育局", "武汉市自已区教育局"),  # 己/已
    "wei-mo": ("未来区教育局", "末来区教育局"),  # 未/末
    "tu-shi": ("土地储备中心", "士地储备中心"),  # 土/士
    "ren-ru": ("人口计生局", "入口计生局"),  # 人/入
    "katakana": ("力学研究所", "カ学研究所"),  # katakana KA for 力
    "katakana-ro": ("口岸办", "ロ岸办"),  # katakana RO for 口
    "long-vowel": ("第一中学", "第ー中学"),  # katakana ー for 一
    "dash": ("测试单位-一分部", "测试单位‐一分部"),  # U+2010 for -
    "space": ("测试单位", "测试 单位"),
    "ideographic-space": ("测试单位", "测试\u3000单位"),
}


@pytest.mark.parametrize("pair", ALIKE.values(), ids=ALIKE.keys())
def test_units_that_read_the_same_are_refused(tmp_path: Path, pair: tuple[str, str]) -> None:
    """Each pair was accepted as two units (the second given its own unit_id, as the slug
    message advises): two pages, two rows of every unit list, for what reads as one unit."""
    first, second = pair
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT.replace("测试单位", first))
    other = MINIMAL_PROJECT.replace("测试项目", "乙项目").replace("测试单位", second)
    write_project(data, "b.yaml", other + "unit_id: other-unit\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "b.yaml" in result.stdout and "readers take them for one unit" in result.stdout


def test_units_with_different_names_are_still_two(tmp_path: Path) -> None:
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT.replace("测试单位", "自然资源局"))
    other = MINIMAL_PROJECT.replace("测试项目", "乙项目").replace("测试单位", "自然资源和规划局")
    write_project(data, "b.yaml", other)
    assert run_cli("validate", "data", cwd=tmp_path).returncode == 0


# --- Workbooks: what Excel shows, not what the cell holds.


def test_number_formats_round_and_scale_as_excel_shows(tmp_path: Path) -> None:
    """`0,"千辆"` on 5000000 shows 5000千辆: imported as 5000000千辆 (a thousand times the
    table); `0.0"吨"` on 12.345 shows 12.3吨: imported 12.345吨; `0.0%` on 0.123456 shows
    12.3%: imported 12.3456%."""
    import openpyxl
    from test_import_inputs import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    formats = {
        "清运量": (12.345, '0.0"吨"', "12.3吨"),
        "清运车辆": (5000000, '0,"千辆"', "5000千辆"),
        "市容改善": (0.123456, "0.0%", "12.3%"),
        "完成时间": (1234567.5, '#,##0"元"', "1,234,568元"),
        "市民满意度": (0.95, "0%", "95%"),
    }
    for row in book.active.iter_rows():
        if row[2].value in formats:
            row[3].value, row[3].number_format = formats[row[2].value][:2]
    book.save(tmp_path / "formats.xlsx")
    _, _, draft = import_one(tmp_path / "formats.xlsx", tmp_path / "out")
    found = {row["name"]: row.get("target", "") for row in loaded(draft)["indicators"]}
    assert {name: found[name] for name in formats} == {
        name: shown for name, (_v, _f, shown) in formats.items()
    }


@pytest.mark.parametrize(
    "style",
    ["white", "white-on-white", "one-point"],
)
def test_text_a_workbook_hides_by_colour_or_size_is_not_imported(
    tmp_path: Path, style: str
) -> None:
    """A row in white on no fill, in white on a white fill, or in 1-point type: Excel shows
    an empty row; it was imported as a sixth indicator `≥99999吨`."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from test_import_inputs import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    sheet = book.active
    sheet.insert_rows(9)
    for column, value in zip(
        "ABCD", ["产出指标", "数量指标", "看不见的指标", "≥99999吨"], strict=True
    ):
        cell = sheet[f"{column}9"]
        cell.value = value
        if style == "one-point":
            cell.font = Font(sz=1)
        else:
            cell.font = Font(color="FFFFFFFF")
        if style == "white-on-white":
            cell.fill = PatternFill("solid", fgColor="FFFFFFFF")
    book.save(tmp_path / "hidden.xlsx")
    _, _, draft = import_one(tmp_path / "hidden.xlsx", tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text and "看不见" not in text, text


def test_white_text_on_a_dark_fill_is_imported(tmp_path: Path) -> None:
    """The control: a header in white on a dark fill is seen, and read."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill
    from test_import_inputs import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    for row in book.active.iter_rows():
        for cell in row:
            cell.font = Font(color="FFFFFFFF")
            cell.fill = PatternFill("solid", fgColor="FF1F4E79")
    book.save(tmp_path / "dark.xlsx")
    _, _, draft = import_one(tmp_path / "dark.xlsx", tmp_path / "out")
    assert len(loaded(draft)["indicators"]) == 5


HIDDEN_ROW = ["产出指标", "数量指标", "看不见的指标", "≥99999吨"]


@pytest.mark.parametrize(
    "row",
    [
        '<tr style="color:#FFF">',
        '<tr style="color:white;background-color:#ffffff">',
        '<tr style="position:absolute;left:-9999px">',
        '<tr style="text-indent:-9999px;overflow:hidden">',
        '<tr style="clip-path:inset(100%);position:absolute">',
        '<tr style="transform:scale(0)">',
        '<style>@media screen{.h{display:none}}</style><tr class="h">',
    ],
    ids=["white", "white-on-white", "off-screen", "text-indent", "clip-path", "scale-0", "media"],
)
def test_rows_a_web_page_hides_by_colour_position_or_media_are_not_imported(
    tmp_path: Path, row: str
) -> None:
    """Left by the seventh pass: each hiding row was imported as a sixth indicator."""
    from test_import_inputs import write_html_xls

    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    cells = "".join(f"<td>{value}</td>" for value in HIDDEN_ROW)
    at = page.index("<tr><td", page.index("清运车辆") - 200)
    page = page[:at] + row + cells + "</tr>" + page[at:]
    (tmp_path / "hidden.html").write_text(page, encoding="utf-8")
    _, _, draft = import_one(tmp_path / "hidden.html", tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text and "看不见" not in text, text
    assert len(loaded(draft)["indicators"]) == 5


def test_white_rows_on_a_dark_table_and_print_rules_are_still_read(tmp_path: Path) -> None:
    from test_import_inputs import write_html_xls

    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    page = page.replace("<table", '<table style="background:#1f4e79"', 1)
    page = page.replace("<tr>", '<tr style="color:#fff" class="p">')
    page = page.replace("</head>", "<style>@media print{.p{display:none}}</style></head>", 1)
    (tmp_path / "dark.html").write_text(page, encoding="utf-8")
    _, _, draft = import_one(tmp_path / "dark.html", tmp_path / "out")
    assert len(loaded(draft)["indicators"]) == 5


@pytest.mark.parametrize("style", ["white", "one-point"])
def test_text_a_word_file_hides_by_colour_or_size_is_not_imported(
    tmp_path: Path, style: str
) -> None:
    """A table row in white type on an unshaded cell, or in 1-point type: Word shows an empty
    row; it was imported as a sixth indicator."""
    import docx
    from docx.shared import Pt, RGBColor
    from test_import_inputs import write_docx

    path = write_docx(tmp_path / "base.docx")
    document = docx.Document(path)
    row = document.tables[0].add_row()
    for cell, value in zip(row.cells, HIDDEN_ROW, strict=True):
        run = cell.paragraphs[0].add_run(value)
        if style == "white":
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        else:
            run.font.size = Pt(1)
    document.save(tmp_path / "hidden.docx")
    _, _, draft = import_one(tmp_path / "hidden.docx", tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text and "看不见" not in text, text


INVISIBLE = {
    "hangul-filler": "\u3164",
    "half-width-hangul-filler": "\uffa0",
    "hangul-jungseong-filler": "\u1160",
    "braille-blank": "\u2800",
    "khmer-inherent-aq": "\u17b4",
    "grapheme-joiner": "\u034f",
    "variation-selector-16": "\ufe0f",
    "variation-selector-17": "\U000e0100",
}


@pytest.mark.parametrize("char", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_characters_that_draw_nothing_are_refused(tmp_path: Path, char: str) -> None:
    """Letters and marks that draw nothing but are not format characters passed the text
    policy without a word: `测试单位` + U+3164 beside `测试单位` (with its own unit_id) was a
    second unit that reads the same; the same in a page title went into every menu."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml")
    other = MINIMAL_PROJECT.replace("测试项目", "乙项目").replace("测试单位", f"测试单位{char}")
    write_project(data, "b.yaml", other + "unit_id: other-unit\n")
    page = tmp_path / "content" / "pages" / "p.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"Title: 关于{char}\n\n正文\n", encoding="utf-8")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "b.yaml:4:" in result.stdout and "p.md:1:" in result.stdout, result.stdout
    assert f"U+{ord(char):04X}" in result.stdout
