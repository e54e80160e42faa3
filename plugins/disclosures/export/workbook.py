"""disclosures-YEAR.xlsx: a year's projects and indicators tables as typed sheets, reproducible.

Written with XlsxWriter, which streams rows (constant memory) and is several times faster
than building the workbook in openpyxl: the workbook is the largest download of a big site.
XlsxWriter stamps its zip entries with a fixed date; the document's creation date is taken
from the data, so the same data always gives the same file. Strings are always written as
strings, never turned into formulas, numbers or links, and carry no guard character.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import xlsxwriter

from .tables import INTEGER, STRING, Table, plain_number

# Integer columns that are counts or years, not money: no thousands separator.
_PLAIN_INTEGERS = frozenset({"year", "row", "indicator_count"})
_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "constant_memory": False,  # in_memory already avoids temp files; rows are written in order
}


def _cell(value: Any) -> Any:
    # Text goes in as a text cell (write_string, strings_to_formulas off): Excel never
    # evaluates it, so it needs no formula guard and is stored exactly as written.
    if isinstance(value, Decimal):
        return plain_number(value)
    return value  # text goes in as a string cell (write_string): no program evaluates it


def workbook_bytes(sheets: list[tuple[Table, list[list[Any]]]], stamp: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _OPTIONS)
    book.set_properties({"author": "disclosures", "created": stamp})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "#,##0"})
    for table, rows in sheets:
        sheet = book.add_worksheet(table.title)
        sheet.write_row(0, 0, table.header(), bold)
        formats = [
            money if column.type == INTEGER and column.key not in _PLAIN_INTEGERS else None
            for column in table.columns
        ]
        write_string, write_number = sheet.write_string, sheet.write_number
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                cell = _cell(value)
                if cell is None or cell == "":
                    continue
                if isinstance(cell, str):
                    write_string(number, column, cell)
                else:
                    write_number(number, column, cell, formats[column])
        sheet.freeze_panes(1, 0)
        _readable(sheet, table, len(rows))
    _add_key_sheet(book, bold, [table for table, _ in sheets])
    book.close()
    return buffer.getvalue()


def _width(title: str, text: bool) -> int:
    """Columns wide enough for their Chinese header (a Han character is two Excel width
    units), text columns at least 16 and numbers 10, none over 40: the header is readable
    without widening anything."""
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in title)
    return max(16 if text else 10, min(40, units + 2))


def _readable(sheet: Any, table: Table, row_count: int) -> None:
    """Filter buttons on the header row and header-wide columns, as a reader opening the
    sheet in Excel or WPS expects; the data is unchanged."""
    for index, column in enumerate(table.columns):
        sheet.set_column(index, index, _width(column.title, column.type == STRING))
    sheet.autofilter(0, 0, row_count, len(table.columns) - 1)


def _add_key_sheet(book: xlsxwriter.Workbook, bold: Any, tables: list[Table]) -> None:
    """A sheet mapping each Chinese header to its English key and meaning."""
    sheet = book.add_worksheet("字段说明")
    sheet.write_row(0, 0, ["表", "列名", "英文键 (key)", "类型 (type)", "说明 (description)"], bold)
    number = 1
    for table in tables:
        for column in table.columns:
            values = [table.title, column.title, column.key, column.type, column.description]
            for index, value in enumerate(values):
                sheet.write_string(number, index, value or "")
            number += 1
    for index, width in enumerate((10, 16, 18, 14, 60)):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
