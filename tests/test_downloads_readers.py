"""The workbooks as a researcher opens them in Excel or WPS (issue 16): filter buttons on
every data sheet's header row and columns wide enough to read their Chinese headers. Read
with openpyxl from the built bundled site."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter


def _units(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _widths(sheet) -> dict[int, float]:
    """Column widths by index: a <col min max> range sets every column in it (openpyxl keys
    the range by its first letter only)."""
    widths: dict[int, float] = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.customWidth:
            for index in range(dimension.min, dimension.max + 1):
                widths[index] = dimension.width
    return widths


def test_every_data_sheet_has_filters_and_readable_headers(site: Path) -> None:
    books = sorted((site / "downloads").glob("disclosures-*.xlsx"))
    assert any(b.name == "disclosures-all.xlsx" for b in books) and len(books) >= 2
    for path in books:
        book = openpyxl.load_workbook(path)
        for sheet in book.worksheets:
            headers = [c.value for c in sheet[1]]
            last = get_column_letter(len(headers))
            if sheet.title != "字段说明":
                assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", (path, sheet.title)
            assert sheet.freeze_panes == "A2", (path.name, sheet.title)
            widths = _widths(sheet)
            for index, header in enumerate(headers, start=1):
                width = widths.get(index, 0)
                assert width >= _units(header), (path.name, sheet.title, header, width)


def test_projects_csv_leads_to_every_full_record(site: Path) -> None:
    """A researcher wanting everything (the form's text parts are in no table) gets every
    project's JSON record from projects.csv, each present and of that project."""
    import csv
    import io
    import json

    text = (site / "downloads" / "projects.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    pages = sorted(site.glob("[0-9][0-9][0-9][0-9]/*/*/index.html"))
    assert len(rows) == len(pages)
    for row in rows:
        record = site / row["完整记录（JSON）"].lstrip("/")
        assert record.is_file(), row["完整记录（JSON）"]
        data = json.loads(record.read_text(encoding="utf-8"))
        assert data["project_key"] == row["项目键"] and "sections" in data


LEADING = ["项目键", "行号", "年度", "单位", "项目名称"]


def test_row_tables_start_with_the_same_columns_in_the_same_order(site: Path) -> None:
    """A researcher joining or stacking the tables finds the project's key, the row, the year,
    the unit and the project's name first, in that order, in every table of rows (CSV and the
    workbook's sheets). results.csv had 项目名称, 单位, 年度."""
    import csv

    for name in ("indicators.csv", "results.csv", "budget_lines.csv"):
        with (site / "downloads" / name).open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        assert header[: len(LEADING)] == LEADING, (name, header[:6])
    with (site / "downloads" / "projects.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["项目键", "年度", "单位"], header[:4]
    book = openpyxl.load_workbook(site / "downloads" / "disclosures-all.xlsx")
    rows = [s for s in book.worksheets if "行号" in [c.value for c in s[1]]]
    assert len(rows) >= 3, [s.title for s in book.worksheets]
    for sheet in rows:
        assert [c.value for c in sheet[1]][: len(LEADING)] == LEADING, sheet.title
