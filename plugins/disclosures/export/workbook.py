"""disclosures.xlsx: the projects and indicators tables as typed sheets, byte-for-byte reproducible.

openpyxl stamps the workbook and every zip entry with the time of saving; both are replaced
by a date taken from the data, so the same data always gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from .cells import neutralise
from .tables import INTEGER, Table, plain_number

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, str):
        return neutralise(value)
    return value


def workbook_bytes(sheets: list[tuple[Table, list[list[Any]]]], stamp: dt.datetime) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table, rows in sheets:
        sheet = book.create_sheet(table.title)
        sheet.append(table.header())
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for number, column in enumerate(table.columns, start=1):
            if column.type == INTEGER and column.key not in ("year", "row", "indicator_count"):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                    cell.number_format = "#,##0"
            elif column.type == "string":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                    if cell.value is not None:
                        cell.data_type = "s"  # never a formula, whatever the text
        sheet.freeze_panes = "A2"
    _add_key_sheet(book, [table for table, _ in sheets])
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "disclosures"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _fixed_times(buffer.getvalue())


def _add_key_sheet(book: Workbook, tables: list[Table]) -> None:
    """A sheet mapping each Chinese header to its English key and meaning."""
    sheet = book.create_sheet("字段说明")
    sheet.append(["表", "列名", "英文键 (key)", "类型 (type)", "说明 (description)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for table in tables:
        for column in table.columns:
            sheet.append([table.title, column.title, column.key, column.type, column.description])


def _fixed_times(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            archive.writestr(fixed, source.read(info.filename))
    return out.getvalue()
