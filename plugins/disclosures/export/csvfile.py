"""CSV files: UTF-8 with a BOM (Excel in Chinese locales needs it), Chinese headers, CRLF."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from .cells import csv_cell
from .tables import Table


def csv_bytes(table: Table, rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header())
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
