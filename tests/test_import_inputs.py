"""`disclosures import` on the inputs editors receive and the patterns real tables hold.

Real .xlsx, .xls and .docx files are written here with merged cells (openpyxl, xlwt,
python-docx) and imported through the command; text tables exercise the patterns the importer
must handle by structure, not by the strings of one file: a code before the unit's name, form
placeholders, 完成时间 as an end date, the year in 项目期 or only in the file name, rows
without their 一级指标, a unit named without its place, an Excel date serial in a target.
Each draft that the source fully states must validate and build without hand edits.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
import xlwt
from disclosures.load import load_file
from support import build_site, run_cli

ROWS: list[list[Any]] = [
    ["项目支出绩效目标表（2023年度）", None, None, None],
    ["项目名称", "城区垃圾清运服务", None, None],
    ["预算部门", "(433001)湘潭市环境卫生管理处", None, None],
    ["主管部门", "湘潭市城市管理和综合执法局", None, None],
    ["资金总额（万元）", 250, None, None],
    ["年度目标", "完成城区生活垃圾日产日清", None, None],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    ["产出指标", "数量指标", "清运量", "≥500吨"],
    [None, None, "清运车辆", "10辆"],
    [None, "时效指标", "完成时间", "2023年12月31日前"],
    ["效益指标", "社会效益指标", "市容改善", "明显"],
    ["满意度指标", "服务对象满意度指标", "市民满意度", 0.95],
]
MERGED = ["A1:D1", "B2:D2", "B3:D3", "B4:D4", "B5:D5", "B6:D6", "A8:A10", "B8:B9"]
EXPECTED = {
    "form": "national",
    "year": "2023",
    "name": "城区垃圾清运服务",
    "unit": "湘潭市环境卫生管理处",
    "unit_code": "433001",
    "department": "湘潭市城市管理和综合执法局",
    "sections": {"annual_goal": "完成城区生活垃圾日产日清"},
    "budget": {"total": "2500000"},
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "清运量", "target": "≥500吨"},
        {"level1": "产出指标", "level2": "数量指标", "name": "清运车辆", "target": "10辆"},
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "完成时间",
            "target": "2023年12月31日前",
        },
        {"level1": "效益指标", "level2": "社会效益指标", "name": "市容改善", "target": "明显"},
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "市民满意度",
            "target": "95%",
        },
    ],
    "labels": {"unit": "预算部门", "department": "主管部门"},
}


def write_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    for cells in MERGED:
        sheet.merge_cells(cells)
    sheet["D12"].number_format = "0%"
    book.save(path)
    return path


def write_xls(path: Path) -> Path:
    """The same sheet as an Excel 97-2003 workbook (BIFF8), as older budget systems export it:
    merged cells are ranges over blank cells, the satisfaction target a number shown as 0%."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("项目支出绩效目标表")
    merged = {}
    for cells in MERGED:
        first, last = cells.split(":")
        merged[first] = last
    covered = set()
    for first, last in merged.items():
        for r in range(int(first[1:]), int(last[1:]) + 1):
            for c in range(ord(first[0]), ord(last[0]) + 1):
                if f"{chr(c)}{r}" != first:
                    covered.add(f"{chr(c)}{r}")
    percent = xlwt.easyxf(num_format_str="0%")
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            ref = f"{chr(ord('A') + c)}{r + 1}"
            if ref in covered:
                continue
            style = percent if ref == "D12" else xlwt.Style.default_style
            if ref in merged:
                last = merged[ref]
                sheet.write_merge(r, int(last[1:]) - 1, c, ord(last[0]) - ord("A"), value, style)
            elif value is not None:
                sheet.write(r, c, value, style)
    book.save(str(path))
    return path


def write_xml_spreadsheet(path: Path) -> Path:
    """The same sheet as Excel 2003 XML (SpreadsheetML) saved as `.xls`, as many budget
    systems export it: a merged cell spans with ss:MergeAcross / ss:MergeDown, the next cell of
    its row says where it stands (ss:Index), 0.95 carries a Percent style; a hidden scratch
    sheet comes first."""
    import xml.etree.ElementTree as ET

    ns = "urn:schemas-microsoft-com:office:spreadsheet"
    ET.register_namespace("ss", ns)
    book = ET.Element(f"{{{ns}}}Workbook")
    styles = ET.SubElement(book, f"{{{ns}}}Styles")
    percent = ET.SubElement(styles, f"{{{ns}}}Style", {f"{{{ns}}}ID": "pc"})
    ET.SubElement(percent, f"{{{ns}}}NumberFormat", {f"{{{ns}}}Format": "0%"})
    scratch = ET.SubElement(book, f"{{{ns}}}Worksheet", {f"{{{ns}}}Name": "数据源"})
    scratch_row = ET.SubElement(ET.SubElement(scratch, f"{{{ns}}}Table"), f"{{{ns}}}Row")
    for text in ("项目名称", "往年草稿项目"):  # would be a second project if it were read
        cell = ET.SubElement(scratch_row, f"{{{ns}}}Cell")
        ET.SubElement(cell, f"{{{ns}}}Data", {f"{{{ns}}}Type": "String"}).text = text
    options = ET.SubElement(scratch, "{urn:schemas-microsoft-com:office:excel}WorksheetOptions")
    ET.SubElement(options, "{urn:schemas-microsoft-com:office:excel}Visible").text = "SheetHidden"
    sheet = ET.SubElement(book, f"{{{ns}}}Worksheet", {f"{{{ns}}}Name": "项目支出绩效目标表"})
    table = ET.SubElement(sheet, f"{{{ns}}}Table")
    spans = {}
    for cells in MERGED:
        first, last = cells.split(":")
        spans[first] = (ord(last[0]) - ord(first[0]), int(last[1:]) - int(first[1:]))
    covered = {
        f"{chr(ord(first[0]) + a)}{int(first[1:]) + d}"
        for first, (across, down) in spans.items()
        for a in range(across + 1)
        for d in range(down + 1)
    } - set(spans)
    for r, values in enumerate(ROWS, start=1):
        row = ET.SubElement(table, f"{{{ns}}}Row")
        skipped = False
        for c, value in enumerate(values, start=1):
            ref = f"{chr(ord('A') + c - 1)}{r}"
            if ref in covered or (value is None and ref not in spans):
                skipped = True
                continue
            attrs = {f"{{{ns}}}Index": str(c)} if skipped else {}
            skipped = False
            across, down = spans.get(ref, (0, 0))
            if across:
                attrs[f"{{{ns}}}MergeAcross"] = str(across)
            if down:
                attrs[f"{{{ns}}}MergeDown"] = str(down)
            if ref == "D12":
                attrs[f"{{{ns}}}StyleID"] = "pc"
            cell = ET.SubElement(row, f"{{{ns}}}Cell", attrs)
            kind = "Number" if isinstance(value, (int, float)) else "String"
            data = ET.SubElement(cell, f"{{{ns}}}Data", {f"{{{ns}}}Type": kind})
            data.text = str(value)
    xml = ET.tostring(book, encoding="unicode")
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n' + xml, "utf-8"
    )
    return path


def write_html_xls(path: Path) -> Path:
    """The same sheet as an HTML table saved as `.xls` (the other thing budget systems call an
    Excel export): colspan/rowspan for the merged cells, the percentage as text."""
    spans = {}
    for cells in MERGED:
        first, last = cells.split(":")
        spans[first] = (ord(last[0]) - ord(first[0]) + 1, int(last[1:]) - int(first[1:]) + 1)
    covered = {
        f"{chr(ord(first[0]) + a)}{int(first[1:]) + d}"
        for first, (across, down) in spans.items()
        for a in range(across)
        for d in range(down)
    } - set(spans)
    rows = []
    for r, values in enumerate(ROWS, start=1):
        cells = []
        for c, value in enumerate(values):
            ref = f"{chr(ord('A') + c)}{r}"
            if ref in covered:
                continue
            across, down = spans.get(ref, (1, 1))
            text = "95%" if value == 0.95 else ("" if value is None else str(value))
            cells.append(f'<td colspan="{across}" rowspan="{down}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    page = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8">'
        "</head><body><table>" + "".join(rows) + "</table></body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path


def write_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(ROWS[0][0])
    body = ROWS[1:]
    table = document.add_table(rows=len(body), cols=4)
    for i, row in enumerate(body):
        for j, value in enumerate(row):
            if value is not None:
                table.cell(i, j).text = "95%" if value == 0.95 else str(value)

    def at(ref: str) -> tuple[int, int]:
        return int(ref[1:]) - 2, ord(ref[0]) - ord("A")

    for cells in MERGED[1:]:
        first, last = cells.split(":")
        table.cell(*at(first)).merge(table.cell(*at(last)))
    document.save(path)
    return path


def write_csv(path: Path, encoding: str = "utf-8-sig") -> Path:
    """The sheet saved as CSV, as Excel writes it: the text each cell shows (95%), a merged
    range's value in its first cell and the cells it covers empty, a cell with a comma or a
    line break quoted, a BOM before UTF-8 (or GBK, Excel's "CSV" on Chinese Windows)."""
    rows = [["" if v is None else "95%" if v == 0.95 else str(v) for v in row] for row in ROWS]
    rows[5][1] = "完成城区生活垃圾日产日清,\n全年无积存"  # a comma and a line break inside a cell
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def import_one(source: Path, out: Path) -> tuple[int, str, Path]:
    result = run_cli("import", str(source), "--out", str(out))
    drafts = sorted(out.rglob("*.yaml"))
    assert len(drafts) == 1, result.stderr
    return result.returncode, result.stderr, drafts[0]


def loaded(path: Path) -> dict[str, Any]:
    doc, problems = load_file(path)
    assert doc is not None and not [p for p in problems if p.is_error], problems
    return doc.data


@pytest.mark.parametrize(
    "writer",
    [write_xlsx, write_xls, write_xml_spreadsheet, write_html_xls, write_docx],
    ids=["xlsx", "xls", "xls-xml", "xls-html", "docx"],
)
def test_office_files_with_merged_cells(writer, tmp_path: Path) -> None:  # noqa: ANN001
    suffix = {"write_xml_spreadsheet": "xls", "write_html_xls": "xls"}.get(
        writer.__name__, writer.__name__[6:]
    )
    source = writer(tmp_path / f"table.{suffix}")
    status, stderr, draft = import_one(source, tmp_path / "drafts")
    assert status == 0, stderr
    assert loaded(draft) == EXPECTED
    # No hand edits: the draft folder builds as a site.
    build_site(tmp_path / "site", data=tmp_path / "drafts")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_sheet_saved_as_csv_is_read_as_its_table(encoding: str, tmp_path: Path) -> None:
    """A .csv (named so: its commas are the cells) gives the draft the workbook gives; a cell
    holding a comma and a line break stays one cell."""
    source = write_csv(tmp_path / "table.csv", encoding)
    extra = ["--encoding", "gb18030"] if encoding == "gb18030" else []
    result = run_cli("import", str(source), "--out", str(tmp_path / "drafts"), *extra)
    assert result.returncode == 0, result.stderr
    (draft,) = sorted((tmp_path / "drafts").rglob("*.yaml"))
    goal = {"annual_goal": "完成城区生活垃圾日产日清, 全年无积存"}
    assert loaded(draft) == {**EXPECTED, "sections": goal}


def test_xls_merged_cells_are_read_as_merged(tmp_path: Path) -> None:
    """A merged range of an .xls is one cell, printed once on its first row, as the sheet
    shows it; the blank cells it covers are not empty cells of their own (read as blanks,
    they would shift 清运车辆 into the 一级 column)."""
    from disclosures.importer.office import XLS, office_text

    path = write_xls(tmp_path / "table.xls")
    lines = office_text(path, path.read_bytes(), XLS).splitlines()
    assert lines[:2] == ["| 项目支出绩效目标表（2023年度） |", "| 项目名称 | 城区垃圾清运服务 |"]
    assert "| 产出指标 | 数量指标 | 清运量 | ≥500吨 |" in lines
    assert "| 清运车辆 | 10辆 |" in lines  # A9 (产出指标) and B9 (数量指标) are merged above
    assert "| 时效指标 | 完成时间 | 2023年12月31日前 |" in lines
    assert "| 满意度指标 | 服务对象满意度指标 | 市民满意度 | 95% |" in lines  # 0.95 shown as 0%


def test_zip_that_is_no_office_file_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "table.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    result = run_cli("import", str(path), "--out", str(tmp_path / "drafts"))
    assert result.returncode == 2
    assert "ZIP" in result.stderr
    assert not (tmp_path / "drafts").exists()


def _with_cell_xml(path: Path, ref: str, xml: bytes) -> None:
    """Rewrite one cell of the first sheet as Excel or a program would have saved it."""
    import re
    import zipfile

    members = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = re.sub(
        rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', xml, members[sheet]
    )
    assert xml in members[sheet]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_formulas_without_a_saved_result_are_refused_not_read_as_blanks(tmp_path: Path) -> None:
    """Only saved results are read (no formula is evaluated). A workbook written by a program
    may hold formulas without results: read as blanks, 清运量's target vanished from a draft
    that validated (exit 0). Now the file is refused, naming the cells and what to do; a saved
    result, and Excel's saved empty text (`t="str"`, `<v></v>`), import as before."""
    path = write_xlsx(tmp_path / "formula.xlsx")
    _with_cell_xml(path, "D8", b'<c r="D8"><f>CONCATENATE("\xe2\x89\xa5",500,"t")</f><v></v></c>')
    result = run_cli("import", str(path), "--out", str(tmp_path / "drafts"))
    assert result.returncode == 2, result.stderr
    assert "D8" in result.stderr and "公式" in result.stderr and "WPS" in result.stderr
    assert "formula cell(s) (D8) have no saved result" in result.stderr
    assert not (tmp_path / "drafts").exists()

    _with_cell_xml(
        path,
        "D8",
        b'<c r="D8" t="str"><f>CONCATENATE("\xe2\x89\xa5",500,"\xe5\x90\xa8")</f>'
        b"<v>\xe2\x89\xa5500\xe5\x90\xa8</v></c>",  # ≥500吨 saved
    )
    status, stderr, draft = import_one(path, tmp_path / "saved")
    assert status == 0, stderr
    assert loaded(draft) == EXPECTED

    _with_cell_xml(path, "D9", b'<c r="D9" t="str"><f>IF(1,"","x")</f><v></v></c>')
    result = run_cli("import", str(path), "--out", str(tmp_path / "empty-text"))
    assert result.returncode in (0, 3), result.stderr  # an empty text result is a result
    assert len(list((tmp_path / "empty-text").rglob("*.yaml"))) == 1


PATTERNS = """\
项目支出绩效目标表
| 项目名称 | 社区居家养老服务补贴 |
| 实施单位 | 区民政局 |
| 主管部门 | [101]成都市青羊区民政局 |
| 项目期 | 2022年 |
| 完成时间 | 2022-12-31 |
| 填报单位 | (盖章) |
| 单位 | 万元 |
| 资金总额 | 12 |
| 年度目标 | 为辖区失能老人提供居家养老服务 |
| 一级指标 | 二级指标 | 三级指标 | 指标值 |
|  | 数量指标 | 服务人次 | ≥500人次 |
|  | 时效指标 | 补贴发放时间 | 44,561 |
| 满意度指标 | 服务对象满意度指标 | 老人满意度 | ≥90% |
"""


@pytest.fixture(scope="module")
def pattern_draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, dict]:
    folder = tmp_path_factory.mktemp("patterns")
    source = folder / "pattern.txt"
    source.write_text(PATTERNS, encoding="utf-8")
    status, stderr, draft = import_one(source, folder / "drafts")
    return status, stderr, draft.read_text(encoding="utf-8"), loaded(draft)


def test_year_from_the_project_period(pattern_draft) -> None:  # noqa: ANN001
    _status, _stderr, _text, data = pattern_draft
    assert data["year"] == "2022"
    assert "period" not in data


def test_completion_time_is_the_end_date(pattern_draft) -> None:  # noqa: ANN001
    data = pattern_draft[3]
    assert data["end"] == "2022-12-31" and "start" not in data
    assert data["labels"]["end"] == "完成时间"


def test_placeholders_are_not_data(pattern_draft) -> None:  # noqa: ANN001
    _status, _stderr, text, data = pattern_draft
    assert all(e.get("value") not in ("(盖章)", "万元") for e in data.get("extra") or [])
    assert data["budget"]["total"] == "120000"  # 单位：万元 set the scale of the amounts
    assert "(盖章)" in text.split("\nform:")[-1]  # shown to the editor, outside the data


def test_rows_without_level1_take_it_from_level2(pattern_draft) -> None:  # noqa: ANN001
    _status, _stderr, text, data = pattern_draft
    levels = [(row.get("level1"), row.get("level2")) for row in data["indicators"]]
    assert levels == [
        ("产出指标", "数量指标"),
        ("产出指标", "时效指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    assert text.count("按二级指标") == 2  # each inferred row says so


def test_placeless_unit_takes_the_department_region(pattern_draft) -> None:  # noqa: ANN001
    data = pattern_draft[3]
    assert data["unit"] == "区民政局" and data["region"] == "成都市青羊区"


def test_date_serial_in_a_target_is_flagged(pattern_draft) -> None:  # noqa: ANN001
    status, stderr, text, data = pattern_draft
    assert data["indicators"][1]["target"] == "44,561"  # kept as written
    assert "Excel 日期序号（2021-12-31？）" in text
    assert "indicators[1].target" in stderr and "Excel" in stderr
    assert status == 0, stderr  # a warning: the draft is complete


def test_year_from_the_file_name_and_missing_fields_named(tmp_path: Path) -> None:
    source = tmp_path / "某局2024年项目支出绩效目标.txt"
    source.write_text(
        "| 项目名称 | 农机购置补贴 |\n| 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "| 产出指标 | 数量指标 | 补贴台数 | ≥100台 |\n",
        encoding="utf-8",
    )
    status, stderr, draft = import_one(source, tmp_path / "drafts")
    data = loaded(draft)
    assert data["year"] == "2024"
    assert "年度：据文件名" in draft.read_text(encoding="utf-8")
    # No unit on the table: the draft and the messages name exactly what is missing.
    assert status == 3
    assert "缺少 missing: unit" in draft.read_text(encoding="utf-8")
    assert "unit" in stderr and "缺少必填字段 unit" in stderr


RUN_TOGETHER = """\
绩效目标表
(2021年度)
项目名称乡村道路养护补助资金
项目主管部门某县交通运输局项目执行单位某县公路养护中心
资金情况
(万元)
年度资金总额:20
总体目标年度目标
完成县乡道路日常养护。
绩效指标一级指标二级指标指标内容指标值
产出指标数量指标养护里程≥120公里
质量指标道路优良率≥85%
满意度指标服务对象满意度指标群众满意度≥90%
"""


def test_cells_that_ran_together_are_separated(tmp_path: Path) -> None:
    """OCR text and some pages lose every cell boundary: the form's labels put them back."""
    source = tmp_path / "ran.txt"
    source.write_text(RUN_TOGETHER, encoding="utf-8")
    status, stderr, draft = import_one(source, tmp_path / "drafts")
    data = loaded(draft)
    assert (data["year"], data["name"]) == ("2021", "乡村道路养护补助资金")
    assert (data["department"], data["unit"]) == ("某县交通运输局", "某县公路养护中心")
    assert data["budget"]["current_year"] == "200000"
    assert [(r["level1"], r["level2"], r["name"], r["target"]) for r in data["indicators"]] == [
        ("产出指标", "数量指标", "养护里程", "≥120公里"),
        ("产出指标", "质量指标", "道路优良率", "≥85%"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
