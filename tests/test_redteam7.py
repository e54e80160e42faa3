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
