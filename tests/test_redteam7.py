"""Attacks of the seventh red-team pass (docs/security.md, "Red-team pass, seventh session",
letter R7). Each failed (got through) before the defence it names; the held ones are listed in
the table only.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
import xlwt
from docx.oxml.ns import qn
from support import MINIMAL_PROJECT, build_site, run_cli, soup, write_project
from test_import_inputs import (
    ROWS,
    import_one,
    loaded,
    write_docx,
    write_xls,
    write_xml_spreadsheet,
)

ROOT = Path(__file__).resolve().parent.parent
HIDDEN_ROW = ["产出指标", "数量指标", "看不见的指标", "≥99999吨"]


def _indicators(draft: Path) -> dict[str, str]:
    return {row["name"]: row.get("target", "") for row in loaded(draft)["indicators"]}


def _nothing_hidden_was_read(draft: Path) -> None:
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text and "看不见" not in text and "隐藏列" not in text, text
    assert "不显示" not in text, text
    found = _indicators(draft)
    assert found["清运量"] == "≥500吨" and found["清运车辆"] == "10辆", found
    assert found["市容改善"] == "明显", found
    assert len(found) == 5, found


# --- A. What an office file does not show is not imported (.xls, Excel 2003 XML, .docx).


def _xls_with_hidden_parts(path: Path, hide: bool = True) -> Path:
    write_xls(path)
    import xlrd

    source = xlrd.open_workbook(str(path), formatting_info=True).sheet_by_index(0)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(source.name)
    covered = set()
    for rlo, rhi, clo, chi in source.merged_cells:
        sheet.write_merge(rlo, rhi - 1, clo, chi - 1, source.cell_value(rlo, clo))
        covered |= {(r, c) for r in range(rlo, rhi) for c in range(clo, chi)}
    percent = xlwt.easyxf(num_format_str="0%")
    for r in range(source.nrows):
        for c in range(source.ncols):
            value = source.cell_value(r, c)
            if (r, c) not in covered and value != "":
                sheet.write(r, c, value, percent if value == 0.95 else xlwt.Style.default_style)
    for c, value in enumerate(HIDDEN_ROW):
        sheet.write(len(ROWS), c, value)
    sheet.row(len(ROWS)).hidden = hide
    sheet.write(7, 4, "隐藏列")
    sheet.col(4).hidden = hide
    sheet.write(10, 5, "不显示的值", xlwt.easyxf(num_format_str=";;;"))
    book.save(str(path))
    return path


def test_hidden_rows_columns_and_cells_of_an_xls_are_not_imported(tmp_path: Path) -> None:
    """The .xls reader (xlrd) read every row and column: a hidden row (an indicator nobody
    sees in Excel), a hidden column and a `;;;` cell were imported as data."""
    _, _, draft = import_one(_xls_with_hidden_parts(tmp_path / "hidden.xls"), tmp_path / "out")
    _nothing_hidden_was_read(draft)


def _xml_with_hidden_parts(path: Path, hide: bool = True) -> Path:
    write_xml_spreadsheet(path)
    ns = "urn:schemas-microsoft-com:office:spreadsheet"
    text = path.read_text(encoding="utf-8")
    cells = "".join(
        f'<ss:Cell><ss:Data ss:Type="String">{value}</ss:Data></ss:Cell>' for value in HIDDEN_ROW
    )
    table_end = text.rindex("</ss:Table>")
    text = text[:table_end] + f'<ss:Row ss:Hidden="1">{cells}</ss:Row>' + text[table_end:]
    # A hidden fifth column (declared before the rows, as Excel writes it) with a value in row 8.
    table_start = text.rindex("<ss:Table>") + len("<ss:Table>")
    text = text[:table_start] + '<ss:Column ss:Index="5" ss:Hidden="1"/>' + text[table_start:]
    row8 = [m for m in range(len(text)) if text.startswith("<ss:Row", m)][-6]  # 一级指标…
    row8_end = text.index("</ss:Row>", row8)
    text = (
        text[:row8_end]
        + '<ss:Cell ss:Index="5"><ss:Data ss:Type="String">隐藏列</ss:Data></ss:Cell>'
        + text[row8_end:]
    )
    assert ns in text
    if not hide:
        text = text.replace(' ss:Hidden="1"', "")
    path.write_text(text, encoding="utf-8")
    return path


def test_hidden_rows_and_columns_of_an_excel_2003_xml_file_are_not_imported(
    tmp_path: Path,
) -> None:
    """Excel 2003 XML (`.xls` written by budget systems): `ss:Hidden="1"` on a Row or a Column
    was ignored, so the hidden row became a sixth indicator."""
    _, _, draft = import_one(_xml_with_hidden_parts(tmp_path / "hidden.xls"), tmp_path / "out")
    _nothing_hidden_was_read(draft)


def _docx_with_hidden_parts(path: Path, hide: bool = True) -> Path:
    def _vanish(run) -> None:  # noqa: ANN001 - python-docx Run
        run.font.hidden = hide  # <w:rPr><w:vanish/></w:rPr>

    write_docx(path)
    document = docx.Document(str(path))
    table = document.tables[0]
    # A table row hidden in Word (<w:trPr><w:hidden/></w:trPr>) holding a sixth indicator.
    last = table.rows[-1]._tr
    hidden = copy.deepcopy(last)
    last.addnext(hidden)
    row = table.rows[-1]
    for cell, value in zip(row.cells, HIDDEN_ROW, strict=True):
        cell.text = value
    if hide:
        row._tr.get_or_add_trPr().append(row._tr.makeelement(qn("w:hidden"), {}))
    # A digit in a hidden run: Word shows 10辆, the text holds 1 0 0辆.
    for cell in table.columns[3].cells:
        if cell.text == "10辆":
            paragraph = cell.paragraphs[0]
            paragraph.clear()
            paragraph.add_run("1")
            _vanish(paragraph.add_run("0"))
            paragraph.add_run("0辆")
        if cell.text == "明显":
            paragraph = cell.paragraphs[0]
            paragraph.clear()
            # Hidden through a character style, not the run's own properties.
            style = document.styles.add_style("批注隐藏", docx.enum.style.WD_STYLE_TYPE.CHARACTER)
            style.font.hidden = hide
            paragraph.add_run("不", style=style)
            paragraph.add_run("明显")
    # A paragraph of hidden text before the table (a note the author hid).
    _vanish(document.paragraphs[0].insert_paragraph_before().add_run("看不见的指标说明"))
    document.save(str(path))
    return path


def test_hidden_text_and_rows_of_a_word_file_are_not_imported(tmp_path: Path) -> None:
    """Word's hidden text (`<w:vanish/>`, directly or through a style) and hidden table rows
    were read as text: an extra indicator, and `1 0 0辆` where Word shows `10辆`."""
    _, _, draft = import_one(_docx_with_hidden_parts(tmp_path / "hidden.docx"), tmp_path / "out")
    _nothing_hidden_was_read(draft)


@pytest.mark.parametrize("kind", ["xls", "xls-xml", "docx"])
def test_the_same_files_without_hiding_import_everything(tmp_path: Path, kind: str) -> None:
    """The check above is not vacuous: unhidden, the sixth indicator is imported."""
    writer = {
        "xls": _xls_with_hidden_parts,
        "xls-xml": _xml_with_hidden_parts,
        "docx": _docx_with_hidden_parts,
    }[kind]
    path = writer(tmp_path / ("shown.docx" if kind == "docx" else "shown.xls"), hide=False)
    _, _, draft = import_one(path, tmp_path / "out")
    found = _indicators(draft)
    assert found.get("看不见的指标") == "≥99999吨", found


# --- A. Names that look like one: a rare character drawn like a common one.


def _project(unit: str, name: str, indicators: list[str]) -> str:
    rows = "".join(
        f'  - level1: 产出指标\n    level2: 数量指标\n    name: {ind}\n    target: "=100人"\n'
        for ind in indicators
    )
    text = MINIMAL_PROJECT.replace("测试单位", unit).replace("测试项目", name)
    return text[: text.index("indicators:")] + "indicators:\n" + rows


def test_an_indicator_written_with_look_alike_characters_is_one_indicator(tmp_path: Path) -> None:
    """`靑年培训人数` (U+9751) beside `青年培训人数`, `滿意度` beside `满意度`: the site's
    indicator index listed each twice, two pages that read the same (names.py grouped after
    NFKC only)."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", _project("甲单位", "甲项目", ["青年培训人数", "满意度"]))
    write_project(data, "b.yaml", _project("乙单位", "乙项目", ["靑年培训人数", "滿意度"]))
    build_site(tmp_path / "out", data=tmp_path / "data")
    page = soup(tmp_path / "out" / "indicators" / "as-written" / "index.html")
    names = [tr.th.get_text(strip=True) for tr in page.select("table.index-table tbody tr")]
    counts = [
        int(tr.select_one("td.num").get_text(strip=True))
        for tr in page.select("table.index-table tbody tr")
    ]
    assert len(names) == 2 and counts == [2, 2], (names, counts)
    assert not {"靑年培训人数", "滿意度"} & set(names), names


def test_a_unit_written_with_a_look_alike_character_is_refused(tmp_path: Path) -> None:
    """`武汉市靑山区教育局` beside `武汉市青山区教育局` with its own unit_id: accepted before
    (OpenCC's tables do not list 靑); now folded by the glyph table and refused."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", _project("武汉市青山区教育局", "甲项目", ["人数"]))
    other = _project("武汉市靑山区教育局", "乙项目", ["人数"]) + "unit_id: qingshan-2\n"
    write_project(data, "b.yaml", other)
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "b.yaml" in result.stdout and "look-alike" in result.stdout


# --- A. Script injection checked in Chromium, not by reading: every page, search results.

# Payloads for the contexts the earlier passes checked by reading: the page <title> and
# og:title, attributes, Pagefind's result titles and excerpts (built with innerHTML by its UI),
# JSON in the page. Each calls alert(): Chromium reports a dialog if any of them runs.
BROWSER_PAYLOADS = [
    "</title><script>alert(1)</script>",
    '" onfocus="alert(1)" autofocus="',
    "'><img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<mark>x</mark><img src=x onerror=alert(1)>",  # Pagefind wraps hits in <mark>
    "&lt;img src=x onerror=alert(1)&gt;",  # decoded once by a careless innerHTML
    "{{7*7}}${alert(1)}",
]
INJECTED = "script:not([src]), [onerror], [onload], [onfocus], [onbegin], img[src='x'], svg animate"


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_hostile import MARKDOWN_PAYLOAD, hostile_project

    root = tmp_path_factory.mktemp("xss7")
    for i, text in enumerate(BROWSER_PAYLOADS):
        write_project(
            root / "data" / "2021",
            f"p{i}.yaml",
            hostile_project(text, MARKDOWN_PAYLOAD, name=f"恶意项目{i}", unit=f"恶意单位{i}"),
        )
    build_site(root / "out", data=root / "data")
    return root / "out"


@pytest.fixture(scope="module")
def xss_server(xss_site: Path):
    from test_search import serving

    with serving(xss_site) as url:
        yield url


def _visit(
    browser,  # noqa: ANN001
    url: str,
    wait_for: str | None = None,
    texts: str | None = None,
) -> tuple[list[str], int]:
    """Open `url` with the Content-Security-Policy switched off (so a payload that reached the
    markup would run) and report the dialogs opened and the injected elements found (and,
    with `texts`, the text of the elements it selects, appended to the dialogs' list)."""
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(url, wait_until="load")
        if wait_for:
            page.wait_for_selector(wait_for, timeout=20_000)
            page.wait_for_timeout(1_500)  # the rest of the results and their excerpts
        page.keyboard.press("Tab")  # autofocus/onfocus payloads
        page.wait_for_timeout(200)
        shown = page.locator(texts).all_text_contents() if texts else []
        return dialogs + shown, page.locator(INJECTED).count()
    finally:
        context.close()


def test_no_payload_runs_in_chromium_on_any_page_or_search_result(
    browser,  # noqa: ANN001
    xss_site: Path,
    xss_server: str,
) -> None:
    """Every built page, then the search results for the hostile projects (Pagefind's UI
    writes result titles and excerpts with innerHTML), opened in Chromium with the CSP off:
    no dialog, no injected element. The sixth pass held titles, og:title, attributes and
    search results by reading the templates and Pagefind's changelog only."""
    pages = sorted(xss_site.rglob("*.html"))
    assert len(pages) > 20
    problems = []
    for path in pages:
        rel = path.relative_to(xss_site).as_posix()
        dialogs, injected = _visit(browser, xss_server + rel)
        if dialogs or injected:
            problems.append(f"{rel}: dialogs {dialogs}, injected elements {injected}")
    assert not problems, "\n".join(problems)
    titles = [soup(path).title.get_text() for path in pages]
    assert any(BROWSER_PAYLOADS[0] in title for title in titles)  # there, as text
    result = "li.pagefind-ui__result .pagefind-ui__result-link"
    for words in ("恶意项目", "恶意单位", "onerror", "script"):
        dialogs, injected = _visit(browser, f"{xss_server}search/?q={words}", wait_for=result)
        assert not dialogs and not injected, (words, dialogs, injected)
    # Pagefind's UI wrote the filter values (单位, 一级指标) as HTML: 12 elements and a dialog
    # per payload; now shown with full-width ＜＞＆ (escaping them twice was not enough).
    filters = ".pagefind-ui__filter-value"
    shown, injected = _visit(browser, f"{xss_server}search/?q=恶意项目", result, filters)
    assert not injected and "1" not in shown, shown
    assert any("恶意单位2'＞＜img src=x onerror=alert(1)＞" in text for text in shown), shown
    # The detector is not blind: the same visit of a page that does carry a payload.
    (xss_site / "control.html").write_text(
        "<p>" + BROWSER_PAYLOADS[2] + BROWSER_PAYLOADS[0] + "</p>", encoding="utf-8"
    )
    dialogs, injected = _visit(browser, xss_server + "control.html")
    assert dialogs == ["1", "1"] and injected == 2, (dialogs, injected)


# --- B. Fresh attacks that got through (docs/security.md, seventh session, the table).


def test_zero_high_rows_and_zero_wide_columns_of_a_workbook_are_not_imported(
    tmp_path: Path,
) -> None:
    """A row of height 0 and a column of width 0 (not flagged hidden): Excel shows neither;
    both were imported (a sixth indicator, a target `≥500吨 零宽列`)."""
    import openpyxl
    from test_import_inputs import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    sheet = book.active
    sheet.insert_rows(9)
    sheet["C9"], sheet["D9"] = "看不见的指标", "≥99999吨"
    sheet["E8"] = "隐藏列"
    book.save(tmp_path / "zero.xlsx")
    # As a program writes them (openpyxl leaves a 0 out): ht="0", a <col> of width 0.
    import zipfile

    with zipfile.ZipFile(tmp_path / "zero.xlsx") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].replace(
        b'<row r="9"', b'<row r="9" ht="0" customHeight="1"'
    )
    xml = xml.replace(
        b"<sheetData>", b'<cols><col min="5" max="5" width="0" customWidth="1"/></cols><sheetData>'
    )
    members["xl/worksheets/sheet1.xml"] = xml
    with zipfile.ZipFile(tmp_path / "zero.xlsx", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    _, _, draft = import_one(tmp_path / "zero.xlsx", tmp_path / "out")
    _nothing_hidden_was_read(draft)


def test_number_formats_import_the_text_the_cell_shows(tmp_path: Path) -> None:
    """A cell holding 99999 whose format is `"≥500吨"` shows ≥500吨; `0"辆"` shows 10辆;
    `[>3]"明显";"不明显"` shows 明显. The importer read 99999, 10 and 5: what was imported was
    not what the editor saw (and real workbooks write units this way)."""
    import openpyxl
    from test_import_inputs import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    sheet = book.active
    formats = {
        "清运量": (99999, '"≥500吨"'),
        "清运车辆": (10, '0"辆"'),
        "市容改善": (5, '[>3]"明显";"不明显"'),
        "完成时间": (-3, 'G/通用格式"天";"提前"0"天"'),
    }
    for row in sheet.iter_rows():
        if row[2].value in formats:
            row[3].value, row[3].number_format = formats[row[2].value]
    book.save(tmp_path / "formats.xlsx")
    _, _, draft = import_one(tmp_path / "formats.xlsx", tmp_path / "out")
    found = _indicators(draft)
    assert found["清运量"] == "≥500吨" and found["清运车辆"] == "10辆", found
    assert found["市容改善"] == "明显" and found["完成时间"] == "提前3天", found
    assert found["市民满意度"] == "95%", found  # 0%: as before


@pytest.mark.parametrize(
    "row",
    [
        '<tr style="visibility:collapse">',
        '<tr style="display:/**/none">',
        '<tr style="font-size:0">',
        '<tr style="height:0;overflow:hidden">',
        '<style>.h{display:none}</style><tr class="h">',
        "<style>@media print{.p{display:block}} td.x, tr.h{ visibility : hidden }</style>"
        '<tr class="h">',
    ],
    ids=["collapse", "comment", "font-size-0", "height-0", "stylesheet", "stylesheet-2"],
)
def test_rows_a_web_page_hides_with_css_are_not_imported(tmp_path: Path, row: str) -> None:
    """The sixth pass left out `hidden` and inline `display: none`; a browser hides a row just
    as well with `visibility: collapse`, a comment inside the value, a zero font size or
    height, or a rule of the page's own stylesheet: each was imported as a sixth indicator."""
    from test_import_inputs import write_html_xls

    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    cells = "".join(f"<td>{value}</td>" for value in HIDDEN_ROW)
    at = page.index("<tr><td", page.index("清运车辆") - 200)
    page = page[:at] + row + cells + "</tr>" + page[at:]
    (tmp_path / "hidden.html").write_text(page, encoding="utf-8")
    _, _, draft = import_one(tmp_path / "hidden.html", tmp_path / "out")
    _nothing_hidden_was_read(draft)


@pytest.mark.parametrize(
    "reference", ["&#x202E;", "&#8238;", "&#x200B;", "&zwj;", "&lrm;", "&#X2066;"]
)
def test_character_references_to_refused_characters_are_refused(
    tmp_path: Path, reference: str
) -> None:
    """Markdown turns `&#x202E;` into U+202E: the text policy saw the ASCII reference, the
    page carried the bidi override (a data file's notes, an editorial page's body alike)."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT + f'notes: "说明{reference}文字"\n')
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "a.md").write_text(f"Title: 说明\n\n正文{reference}反转\n", encoding="utf-8")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "a.yaml" in result.stdout and "a.md" in result.stdout, result.stdout
    assert f"character reference {reference}" in result.stdout, result.stdout


def test_ordinary_character_references_are_still_written(tmp_path: Path) -> None:
    data = tmp_path / "data" / "2020"
    write_project(
        data, "a.yaml", MINIMAL_PROJECT + 'notes: "A&amp;B &lt;C&gt; &#20013; &copy; &#10;"\n'
    )
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("save_as", ["admin/index.html", "admin/config.yml", "pagefind/x.js"])
def test_an_editorial_page_cannot_take_the_editor_or_the_search_index(
    tmp_path: Path, save_as: str
) -> None:
    """A page with `Save_as: admin/index.html` was published at /admin/ by a build without
    the editor's bundle (a server that never ran `make admin-deps`): the editors' address
    showed a page anyone who can push wrote."""
    write_project(tmp_path / "data" / "2021")
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "x.md").write_text(f"Title: 编辑器\nSave_as: {save_as}\n\n请登录\n", encoding="utf-8")
    result = build_site(
        tmp_path / "out", data=tmp_path / "data", content=tmp_path / "content", check=False
    )
    assert result.returncode != 0, result.stdout
    assert f"save_as '{save_as}'" in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


# --- B. Names: a radical for an ideograph; a data file the build skipped without a word.


def test_a_unit_written_with_a_cjk_radical_is_refused(tmp_path: Path) -> None:
    """`武汉市⻘山区教育局` with ⻘ (U+2ED8 CJK RADICAL BLUE, which NFKC leaves alone) beside
    `武汉市青山区教育局`: accepted as a second unit. Unicode's EquivalentUnifiedIdeograph
    table now folds it."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", _project("武汉市青山区教育局", "甲项目", ["人数"]))
    other = _project("武汉市\u2ed8山区教育局", "乙项目", ["人数"]) + "unit_id: qingshan-2\n"
    write_project(data, "b.yaml", other)
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "b.yaml" in result.stdout and "look-alike" in result.stdout


@pytest.mark.parametrize("name", ["b.YAML", "b.Yml", "b.yaml ", "b.yaml."])
def test_a_data_file_the_build_would_skip_is_named(tmp_path: Path, name: str) -> None:
    """`b.YAML` (or `b.yaml ` with a trailing space, which Windows drops): `validate` said
    `checked 1 file(s)` and the build published the site without that project."""
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml")
    write_project(data, name, MINIMAL_PROJECT.replace("测试项目", "另一项目"))
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert name.strip() in result.stdout and "must end in .yaml" in result.stdout
