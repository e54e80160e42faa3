"""Excel (.xlsx, .xls) and Word (.docx) files → text with one table row per line, cells
between `|`, exactly like a saved web page (html.py), so one set of parsers reads them all.

Budget systems export the 绩效目标表 as workbooks and Word files. Their merged cells are read
as the merged cells they are: a merged range gives its value once, where the range starts
(its first row, its first column), and nothing for the rest of the range — the parsers carry
a merged 一级/二级 label down as they do for a web page's rowspan. No value is repeated into
the covered cells, and none is invented.

Cell values are shown as the sheet displays them where that matters: `#,##0` numbers with
their thousands separators (44,561), percentages as percentages (95%), date cells as dates
(2021-12-31); a plain number stays the number written (44561 stays 44561: the parsers and the
validator flag an Excel date serial, nothing converts it silently).

`office_text` is the one entry point: the input limits (importer/source.py) guard it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .errors import EXIT_TOO_LARGE, InputRefused
from .sheetview import (
    FAINT,
    CellLook,
    chinese_numerals,
    contrast,
    format_sections,
    fraction,
    scientific,
    shows_nothing,
    text_section,
    text_shown,
    theme_colours,
)

XLSX, XLS, DOCX = "xlsx", "xls", "docx"
# Cells a sheet may span, counted from its dimensions and its merged ranges before any is
# read: a published 绩效目标表 has a few thousand. A 300-byte file can declare a cell at
# XFD1048576 or a range merged over 10^10 cells; reading it would take all the memory and time
# the limits allow (source.run_limited) before failing, so it is refused at once, by size.
MAX_SHEET_CELLS = 2_000_000
_OLE = b"\xd0\xcf\x11\xe0"
_SS_NS = "urn:schemas-microsoft-com:office:spreadsheet"


def office_kind(raw: bytes) -> str | None:
    """Which office format the bytes are, if any (by content, never by file name)."""
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        return None
    if raw.startswith(_OLE) or _spreadsheet_xml(raw):
        return XLS  # or an old .doc: xlrd tells (see _xls_rows); or Excel 2003 XML
    return None


def _spreadsheet_xml(raw: bytes) -> bool:
    """Excel 2003 XML (SpreadsheetML): what many budget systems export as `.xls`."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") and _SS_NS.encode() in head


def office_text(path: Path, raw: bytes, kind: str) -> str:
    """The text of an office file, tables as `| a | b |` lines. Raises InputRefused."""
    try:
        if kind == XLSX:
            return _lines(_xlsx_sheets(path, raw))
        if kind == XLS and _spreadsheet_xml(raw):
            return _lines(_xml_sheets(path, raw))
        if kind == XLS:
            return _lines(_xls_sheets(path, raw))
        return _docx_text(path, raw)
    except (InputRefused, MemoryError):  # MemoryError: the reader's limit (source.run_limited)
        raise
    except Exception as exc:  # the readers raise many types for damaged files
        raise InputRefused(
            f"{path}：无法读取这个 {kind} 文件（{type(exc).__name__}），文件可能已损坏。"
            "请在 Excel/Word 中打开后另存一次，或另存为 PDF 后导入",
            f"{path}: cannot read this {kind} file ({type(exc).__name__}: {exc}); it may be "
            "damaged. Open and save it again, or save it as PDF, then import",
        ) from None


# -- shared -------------------------------------------------------------------------------
Grid = list[list[str | None]]  # None: a cell covered by a merged range (not shown)


def _fits(path: Path, part: str, cells: int, word: bool = False) -> None:
    """Refuse a sheet (or a Word file's tables) spanning more than MAX_SHEET_CELLS cells."""
    if cells > MAX_SHEET_CELLS:
        if word:
            where_zh, where_en = "Word 文件中的表格", "the Word file's tables span"
            fix_zh, fix_en = "把表格复制到新的 Word 文件", "Copy the table into a new Word file"
        else:
            where_zh, where_en = f"工作表“{part}”", f"sheet “{part}” spans"
            fix_zh = "只把表格所在的区域复制到新的工作簿"
            fix_en = "Copy only the table's area into a new workbook"
        raise InputRefused(
            f"{path}：{where_zh}的范围或合并单元格共约 {cells:,} 个单元格"
            f"（上限 {MAX_SHEET_CELLS:,}），不像一张绩效目标表。请{fix_zh}，另存后再导入",
            f"{path}: {where_en} about {cells:,} cells in dimensions or merged ranges "
            f"(limit {MAX_SHEET_CELLS:,}); that is not a target table. {fix_en}, save it "
            "and import that",
            EXIT_TOO_LARGE,
        )


def _lines(sheets: list[tuple[str, Grid]]) -> str:
    out: list[str] = []
    for _name, grid in sheets:
        for row in grid:
            cells = [c for c in row if c is not None]
            if any(c.strip() for c in cells):
                out.append("| " + " | ".join(c.replace("|", "｜") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


def _clean(text: str) -> str:
    """One cell's text on one line: a cell's own line breaks are wraps, as on a web page."""
    return " ".join(part.strip() for part in text.replace("\r", "\n").split("\n") if part.strip())


def _number(value: float | int | Decimal, number_format: str = "General") -> str:
    """The number as the cell shows it, with the text the format adds around it (`0"辆"` →
    `10辆`) or puts in its place (`"≥500吨"`, `[>3]"明显";"一般"`): an importer that read 10
    where Excel shows 10辆 lost the unit (red-team, seventh session). A format's decimals
    round the value as Excel does (half away from zero: `0.0` shows 12.345 as 12.3) and its
    trailing commas divide by a thousand each (`0,"千辆"` shows 5000000 as 5000千辆): the
    value imported was 1,000 times what the table says (red-team, eighth session). General
    shows the value exactly."""
    section, negative = _format_section(number_format or "General", value)
    general = _GENERAL.search(section) is not None
    section = _GENERAL.sub("0", section)  # `G/通用格式"辆"` (Chinese Excel's General) → 10辆
    core = _LITERAL.sub("", section)
    placeholder = _PLACEHOLDER.search(core)
    literal = _literal_text(section)
    if placeholder is None and literal:
        return literal  # the format shows its own text, not the number
    number = Decimal(str(value))
    if negative:
        number = abs(number)
    if "%" in section:
        number *= 100
    chinese = _DBNUM.search(section)
    if chinese is not None:
        # `[DBNum1]` 一百二十三, `[DBNum2]` 壹佰贰拾叁 (ninth session: imported 123)
        shown = chinese_numerals(number, int(chinese.group(1)))
    elif "E" in core.upper() and placeholder is not None:
        shown = scientific(number, core)  # 123456 as 1.23E+05 (ninth session: 123456)
    elif "/" in core and (as_fraction := fraction(number, core)) is not None:
        shown = as_fraction  # 0.5 as 1/2 (ninth session: 1)
    elif general or placeholder is None:
        shown = _plain(number)
        if "#,##0" in section and number == number.to_integral_value():
            shown = f"{int(number):,}"
    else:
        shown = _shown_digits(number, core)
    if "%" in section and placeholder is None:
        return f"{shown}%"
    if placeholder is None:
        return shown
    before, after = _around_number(section)
    return f"{before}{shown}{after}"


_DIGITS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def _shown_digits(number: Decimal, core: str) -> str:
    """`number` written as the digit placeholders of a format section (literals removed)."""
    found = _DIGITS.search(core)
    digits = found.group() if found else "0"
    integer, _, decimals = digits.partition(".")
    scale = len(integer) - len(integer.rstrip(","))  # `0,`: thousands, `0,,`: millions
    number = number.scaleb(-3 * scale)
    places = len(decimals)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    grouped = "," in integer.rstrip(",")
    text = f"{rounded:,.{places}f}" if grouped else f"{rounded:.{places}f}"
    if places:
        required = len(decimals.rstrip("#?"))  # `0.0#`: one decimal always, a second if any
        whole, _, fraction = text.partition(".")
        fraction = fraction[:required] + fraction[required:].rstrip("0")
        text = f"{whole}.{fraction}" if fraction else whole
    if integer.strip(",") and set(integer.strip(",")) <= {"#"} and text.startswith("0."):
        text = text[1:]  # `#.00` shows 0.5 as .50
    return text


# Number formats: quoted text, an escaped character, colours/conditions/locales in brackets,
# `_x` (a space as wide as x) and `*x` (fill with x) are text or layout, not digits.
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_PLACEHOLDER = re.compile(r"[0#?]")
_GENERAL = re.compile(r"General|G/通用格式", re.I)
_DBNUM = re.compile(r"\[DBNum([123])\]", re.I)
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?[0-9.]+)\]")


def _format_section(fmt: str, value: float | int | Decimal) -> tuple[str, bool]:
    """The section of `fmt` Excel uses for `value`, and whether it is the negative one
    (which shows the number without its sign)."""
    sections = format_sections(fmt)
    number = float(value)
    conditions = [_CONDITION.search(section) for section in sections]
    if any(conditions):
        for index, (section, condition) in enumerate(zip(sections, conditions, strict=True)):
            if condition is None:
                return section, False  # the section for what no condition took
            op, limit = condition.group(1), float(condition.group(2))
            if {
                "<": number < limit, "<=": number <= limit, ">": number > limit,
                ">=": number >= limit, "=": number == limit, "<>": number != limit,
            }[op]:  # fmt: skip
                return section, index == 1 and number < 0
        return sections[-1], False
    if number < 0 and len(sections) > 1:
        return sections[1], True
    if number == 0 and len(sections) > 2:
        return sections[2], False
    return sections[0], False


def _literal_text(section: str) -> str:
    out = []
    for piece in re.findall(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.', section):
        if piece.startswith('"'):
            out.append(piece[1:-1])
        elif piece.startswith("\\"):
            out.append(piece[1:])
        elif piece[0] in "[_*":
            continue
        elif piece not in "0#?,.%Ee+-@ ":
            out.append(piece)
    return "".join(out).strip()


def _around_number(section: str) -> tuple[str, str]:
    """The text the section shows before its first digit placeholder and after its last."""
    pieces = re.findall(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.', section)
    digits = [i for i, piece in enumerate(pieces) if piece in ("0", "#", "?")]
    return (
        _literal_text("".join(pieces[: digits[0]])),
        _literal_text("".join(pieces[digits[-1] + 1 :]).replace("%", '"%"')),
    )


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text[:-2] if text.endswith(".0") else text


def _date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return value.isoformat(sep=" ", timespec="minutes")
    return value.strftime("%Y-%m-%d")


# -- .xlsx (openpyxl) ------------------------------------------------------------------------
def _xlsx_sheets(path: Path, raw: bytes) -> list[tuple[str, Grid]]:
    import openpyxl

    _xlsx_merges_fit(path, raw)  # openpyxl makes a cell object for every merged cell on load
    book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    theme = theme_colours(book)
    sheets = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue  # hidden sheets are the system's scratch, not the published table
        _fits(path, sheet.title, sheet.max_row * sheet.max_column)
        _fits(
            path,
            sheet.title,
            sum(m.size["rows"] * m.size["columns"] for m in sheet.merged_cells.ranges),
        )
        covered: set[tuple[int, int]] = set()
        for merged in sheet.merged_cells.ranges:
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    if (row, col) != (merged.min_row, merged.min_col):
                        covered.add((row, col))
        hidden_rows = _hidden_rows(sheet)
        hidden_columns = _hidden_columns(sheet)
        look = CellLook(sheet, theme)
        grid: Grid = []
        for row in sheet.iter_rows():
            if row and row[0].row in hidden_rows:
                continue  # not shown to a reader, as a hidden sheet (red-team, sixth session)
            line: list[str | None] = []
            for cell in row:
                if cell.column in hidden_columns:
                    continue
                if (cell.row, cell.column) in covered:
                    line.append(None)
                elif shows_nothing(cell.number_format) or look.unseen(cell, _section(cell)):
                    line.append("")  # `;;;`, white on white: the cell holds a value, shows none
                else:
                    line.append(_xlsx_value(cell.value, cell.number_format))
            grid.append(line)
        look.refuse_undecided(path, sheet.title)
        sheets.append((sheet.title, grid))
    _xlsx_formulas_have_results(path, raw, book)
    return sheets


def _xlsx_formulas_have_results(path: Path, raw: bytes, book) -> None:  # noqa: ANN001
    """Refuse a workbook whose shown formulas have no saved result.

    Only saved results are read (a formula is never evaluated here). A file written by a
    program rather than Excel or WPS may hold formulas without results: read as blank, a
    target computed by a formula would vanish from the draft without a word."""
    import openpyxl
    from openpyxl.utils.cell import get_column_letter

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        if not any(
            _FORMULA.search(archive.read(member))
            for member in archive.namelist()
            if member.startswith("xl/worksheets/") and member.endswith(".xml")
        ):
            return
    formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        hidden_rows = _hidden_rows(sheet)
        hidden_columns = _hidden_columns(sheet)
        missing = [
            f"{get_column_letter(cell.column)}{cell.row}"
            for row in formulas[sheet.title].iter_rows()
            for cell in row
            if cell.data_type == "f"
            and cell.row not in hidden_rows
            and cell.column not in hidden_columns
            and _no_result(sheet.cell(cell.row, cell.column))
        ]
        if missing:
            cells = "、".join(missing[:5]) + (" 等" if len(missing) > 5 else "")
            raise InputRefused(
                f"{path}：工作表“{sheet.title}”的单元格 {cells} 共 {len(missing)} 处是公式，"
                "文件里没有保存计算结果（多为软件导出的文件），导入会把它们读成空白。"
                "请在 Excel 或 WPS 中打开后保存一次，再导入",
                f"{path}: sheet “{sheet.title}”: {len(missing)} formula cell(s) "
                f"({', '.join(missing[:5])}) have no saved result (typical of files written by "
                "a program); they would import as blanks. Open the file in Excel or WPS, save it, "
                "then import",
            )


def _no_result(cell) -> bool:  # noqa: ANN001 - openpyxl Cell, read with data_only
    """No saved result: blank and not typed. Excel saves a formula's empty text as a typed
    string (`t="str"`, `<v></v>`): a result, blank on the sheet too."""
    return cell.value is None and cell.data_type == "n"


# A formula element in a worksheet's XML (`<f>`, `<f t="shared" …/>`, or with a prefix).
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _hidden_rows(sheet) -> set[int]:  # noqa: ANN001 - openpyxl Worksheet
    """Rows Excel does not show: hidden, or of height 0 (seventh session)."""
    return {n for n, d in sheet.row_dimensions.items() if d.hidden or d.ht == 0}


def _hidden_columns(sheet) -> set[int]:  # noqa: ANN001 - openpyxl Worksheet
    """Column numbers a reader does not see (a dimension may cover a range min..max)."""
    hidden: set[int] = set()
    for dimension in sheet.column_dimensions.values():
        zero_wide = dimension.width == 0  # (openpyxl defaults an unset width to 13)
        if (dimension.hidden or zero_wide) and dimension.min and dimension.max:
            hidden.update(range(dimension.min, min(dimension.max, sheet.max_column) + 1))
    return hidden


def _section(cell) -> str:  # noqa: ANN001 - openpyxl Cell
    """The number-format section Excel draws the cell's value with (its `[White]` counts)."""
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return _format_section(cell.number_format or "General", cell.value)[0]
    return text_section(cell.number_format) if isinstance(cell.value, str) else ""


_MERGE_REF = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z$]+[$0-9]+(?::[A-Za-z$]+[$0-9]+)?)\""
)


def _xlsx_merges_fit(path: Path, raw: bytes) -> None:
    """The merged ranges each worksheet declares, counted from its XML before openpyxl loads it
    (the archive's unpacked size is already bounded by importer/source.py)."""
    from openpyxl.utils.cell import range_boundaries

    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for member in archive.namelist():
            if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
                continue
            spanned = 0
            for ref in _MERGE_REF.findall(archive.read(member)):
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
                spanned += (max_row - min_row + 1) * (max_col - min_col + 1)
            _fits(path, member.rsplit("/", 1)[-1], spanned)


def _xlsx_value(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.datetime, dt.date)):
        return _date(value)
    if isinstance(value, (int, float)):
        return _number(value, number_format)
    if isinstance(value, str) and (shown := text_shown(value, number_format)) is not None:
        return _clean(shown)  # `@"吨"` shows 500 as 500吨; a text section its own text
    return _clean(str(value))


# -- .xls (xlrd) -------------------------------------------------------------------------------
def _xls_sheets(path: Path, raw: bytes) -> list[tuple[str, Grid]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw, formatting_info=True)
    except xlrd.XLRDError as exc:
        if "Workbook" in str(exc) or "CFB" in str(exc) or "not supported" in str(exc):
            raise InputRefused(
                f"{path}：这是旧版 Word（.doc）或其他 Office 文件，不是 Excel 表格。"
                "请在 Word 中另存为 .docx 或 PDF 后导入",
                f"{path}: an old Word (.doc) or other Office file, not a workbook. Save it as "
                ".docx or PDF, then import",
            ) from None
        raise
    sheets = []
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0):
            continue
        _fits(path, sheet.name, sheet.nrows * sheet.ncols)
        _fits(
            path,
            sheet.name,
            sum((rhi - rlo) * (chi - clo) for rlo, rhi, clo, chi in sheet.merged_cells),
        )
        covered: set[tuple[int, int]] = set()
        for rlo, rhi, clo, chi in sheet.merged_cells:
            for row in range(rlo, rhi):
                for col in range(clo, chi):
                    if (row, col) != (rlo, clo):
                        covered.add((row, col))
        # What Excel does not show is not read: hidden (or zero-high) rows, hidden (or
        # zero-wide) columns, `;;;` cells, as for .xlsx (red-team, seventh session).
        hidden_rows = {r for r, info in sheet.rowinfo_map.items() if info.hidden or not info.height}
        hidden_columns = {
            c for c, info in sheet.colinfo_map.items() if info.hidden or not info.width
        }
        grid: Grid = []
        for r in range(sheet.nrows):
            if r in hidden_rows:
                continue
            line: list[str | None] = []
            for c in range(sheet.ncols):
                if c in hidden_columns:
                    continue
                if (r, c) in covered:
                    line.append(None)
                    continue
                line.append(_xls_value(book, sheet.cell(r, c)))
            grid.append(line)
        sheets.append((sheet.name, grid))
    return sheets


def _xls_value(book, cell) -> str:  # noqa: ANN001 - xlrd's Book and Cell
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        return _date(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
    fmt = "General"
    xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
    if xf is not None and xf.format_key in book.format_map:
        fmt = book.format_map[xf.format_key].format_str
    if shows_nothing(fmt):
        return ""  # `;;;`: the cell holds a value and shows none
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return _number(cell.value, fmt)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "是" if cell.value else "否"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return _clean(str(cell.value))


# -- Excel 2003 XML (SpreadsheetML) ---------------------------------------------------------
def _xml_sheets(path: Path, raw: bytes) -> list[tuple[str, Grid]]:
    """Worksheets of an Excel 2003 XML file. A cell may skip columns (ss:Index) and span
    others (ss:MergeAcross, ss:MergeDown): a merged cell is one cell, as in .xls/.xlsx.
    ElementTree resolves no external entities; expat bounds entity expansion."""
    import xml.etree.ElementTree as ET

    ns = "{" + _SS_NS + "}"
    root = ET.fromstring(raw)
    formats = {  # style id → number format (Percent is Excel's name for 0.00%)
        style.get(ns + "ID"): (fmt.get(ns + "Format") or "").replace("Percent", "0.00%")
        for style in root.iter(ns + "Style")
        for fmt in style.findall(ns + "NumberFormat")
    }
    sheets = []
    for sheet in root.iter(ns + "Worksheet"):
        options = [e for e in sheet if e.tag.endswith("}WorksheetOptions")]  # x: namespace
        if any("Hidden" in (e.text or "") for o in options for e in o.iter()):
            continue  # a hidden sheet (x:Visible SheetHidden): the system's scratch
        name = sheet.get(ns + "Name", "")
        cells: dict[tuple[int, int], str] = {}
        covered: set[tuple[int, int]] = set()
        spanned = 0  # cells the merged ranges cover so far
        r = 0
        for row in sheet.iter(ns + "Row"):
            r = int(row.get(ns + "Index", r + 1))
            c = 0
            for cell in row.findall(ns + "Cell"):
                c = int(cell.get(ns + "Index", c + 1))
                data = cell.find(ns + "Data")
                text = "".join(data.itertext()) if data is not None else ""
                number_format = formats.get(cell.get(ns + "StyleID"), "")
                if shows_nothing(number_format):
                    text = ""  # `;;;`: the cell holds a value and shows none
                elif data is not None and data.get(ns + "Type") == "Number":
                    text = _number(Decimal(text), number_format)
                cells[r, c] = _clean(text)
                across = int(cell.get(ns + "MergeAcross", 0))
                down = int(cell.get(ns + "MergeDown", 0))
                spanned += (across + 1) * (down + 1)
                _fits(path, name, spanned)
                for rr in range(r, r + down + 1):
                    for cc in range(c, c + across + 1):
                        if (rr, cc) != (r, c):
                            covered.add((rr, cc))
                c += across
            r += int(row.get(ns + "Span", 0))  # the row repeated: the next one comes after
        rows = max((k[0] for k in cells | dict.fromkeys(covered, "")), default=0)
        cols = max((k[1] for k in cells | dict.fromkeys(covered, "")), default=0)
        _fits(path, name, rows * cols)  # ss:Index can place one cell far away
        hidden_rows, hidden_columns = _xml_hidden(sheet, ns, rows, cols)
        grid: Grid = [
            [
                None if (i, j) in covered else cells.get((i, j), "")
                for j in range(1, cols + 1)
                if j not in hidden_columns
            ]
            for i in range(1, rows + 1)
            if i not in hidden_rows
        ]
        sheets.append((name, grid))
    return sheets


def _xml_hidden(sheet, ns: str, rows: int, cols: int) -> tuple[set[int], set[int]]:  # noqa: ANN001
    """Rows and columns Excel does not show (`ss:Hidden="1"`, or a height or width of 0), as
    for .xls and .xlsx (red-team, seventh session), within the table's `rows` × `cols`. A Row
    or Column stands at its ss:Index or after the one before, and ss:Span repeats it."""
    hidden: list[set[int]] = []
    for tag, size, last in (("Row", "Height", rows), ("Column", "Width", cols)):
        found: set[int] = set()
        at = 0
        for element in sheet.iter(ns + tag):
            at = int(element.get(ns + "Index", at + 1))
            span = int(element.get(ns + "Span", 0))
            if element.get(ns + "Hidden") in ("1", "true") or element.get(ns + size) in (
                "0",
                "0.0",
            ):
                found.update(range(at, min(at + span, last) + 1))
            at += span
        hidden.append(found)
    return hidden[0], hidden[1]


# -- .docx (python-docx) -----------------------------------------------------------------------
_GRID_SPAN = re.compile(rb"<(?:\w+:)?gridSpan\b[^>]*?\bval=\"(\d{1,12})\"")


def _docx_text(path: Path, raw: bytes) -> str:
    """Paragraphs and tables in document order; a table's merged cells once each."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    # python-docx lists a cell once per grid column it spans: count the spans before it does.
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        body = (
            archive.read("word/document.xml") if "word/document.xml" in archive.namelist() else b""
        )
    _fits(path, "", sum(int(span) for span in _GRID_SPAN.findall(body)), word=True)
    document = docx.Document(io.BytesIO(raw))
    shown = _ShownText(document)
    out: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = _clean(shown.paragraph(Paragraph(block, document)))
            if text:
                out.append(text)
        elif tag == "tbl":
            out.append("")
            out.extend(_docx_table(Table(block, document), shown))
            out.append("")
    return "\n".join(out) + "\n"


# Word's highlight colours (w:highlight) and theme inks (w:themeColor without an RGB value).
_HIGHLIGHTS = {
    "white": "FFFFFF", "black": "000000", "yellow": "FFFF00", "green": "00FF00",
    "cyan": "00FFFF", "magenta": "FF00FF", "blue": "0000FF", "red": "FF0000",
    "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000", "darkMagenta": "800080",
    "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0",
}  # fmt: skip
_THEME_INK = {"background1": "FFFFFF", "light1": "FFFFFF", "text1": "000000", "dark1": "000000"}


class _ShownText:
    """The text Word shows: hidden text (`<w:vanish/>` on a run, through its character
    style, its paragraph's style or the document's defaults, each style through the ones it
    is based on) is left out, as hidden rows of a workbook are (red-team, seventh session);
    so is text in the colour of its shading or under 2 points (eighth session)."""

    def __init__(self, document) -> None:  # noqa: ANN001 - python-docx Document
        from docx.oxml.ns import qn

        self._qn = qn
        root = document.styles.element
        self._styles = {s.get(qn("w:styleId")): s for s in root.iterchildren(qn("w:style"))}
        self._default_paragraph = next(
            (
                sid
                for sid, s in self._styles.items()
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )
        self._root = root
        defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._default = bool(self._vanish(defaults))
        self._cache: dict[str | None, bool | None] = {}

    def _vanish(self, rpr) -> bool | None:  # noqa: ANN001 - an rPr element or None
        mark = None if rpr is None else rpr.find(self._qn("w:vanish"))
        if mark is None:
            return None
        return mark.get(self._qn("w:val"), "true").lower() not in ("0", "false", "off")

    def _style(self, style_id: str | None) -> bool | None:
        if style_id not in self._cache:
            self._cache[style_id] = None  # a loop of basedOn ends here
            style = self._styles.get(style_id)
            said = None
            if style is not None:
                said = self._vanish(style.find(self._qn("w:rPr")))
                based = style.find(self._qn("w:basedOn"))
                if said is None and based is not None:
                    said = self._style(based.get(self._qn("w:val")))
            self._cache[style_id] = said
        return self._cache[style_id]

    def _style_prop(self, style_id: str | None, tag: str, kind: str = "w:rPr"):  # noqa: ANN201
        """The `tag` element a style (or one it is based on) sets in its run properties."""
        seen: set[str | None] = set()
        while style_id is not None and style_id not in seen:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                return None
            props = style.find(self._qn(kind))
            found = None if props is None else props.find(self._qn(tag))
            if found is not None:
                return found
            based = style.find(self._qn("w:basedOn"))
            style_id = None if based is None else based.get(self._qn("w:val"))
        return None

    def _run_prop(self, run, paragraph_style: str | None, tag: str):  # noqa: ANN001, ANN201
        """A run property as Word resolves it: the run's own, its character style's, its
        paragraph style's, the document's defaults (ninth session: colour and size set by a
        style were not followed)."""
        qn = self._qn
        rpr = run.find(qn("w:rPr"))
        found = None if rpr is None else rpr.find(qn(tag))
        if found is not None:
            return found
        rstyle = None if rpr is None else rpr.find(qn("w:rStyle"))
        if rstyle is not None:
            found = self._style_prop(rstyle.get(qn("w:val")), tag)
            if found is not None:
                return found
        found = self._style_prop(paragraph_style, tag)
        if found is not None:
            return found
        defaults = self._root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        return None if defaults is None else defaults.find(qn(tag))

    def _unseen(self, run, paragraph_style: str | None = None) -> bool:  # noqa: ANN001 - w:r
        """A run in a colour too close to what it is drawn on (white on an unshaded cell,
        black on black, red on a red shading or highlight) or smaller than 2 points, its
        colour and size followed through styles and defaults: Word shows nothing a reader
        can see (red-team, eighth and ninth sessions). White on a dark shading is seen;
        Word's automatic colour always is."""
        qn = self._qn
        size = self._run_prop(run, paragraph_style, "w:sz")
        if size is not None and (size.get(qn("w:val")) or "x").isdigit():
            if int(size.get(qn("w:val"))) < 4:  # half-points
                return True
        color = self._run_prop(run, paragraph_style, "w:color")
        if color is None:
            return False
        ink = (color.get(qn("w:val")) or "").upper()
        if re.fullmatch(r"[0-9A-F]{6}", ink) is None:
            ink = _THEME_INK.get(color.get(qn("w:themeColor")) or "", "")
        if not ink:
            return False  # automatic: Word draws it dark or light against its background
        paper = None
        highlight = self._run_prop(run, paragraph_style, "w:highlight")
        if highlight is not None and highlight.get(qn("w:val")) not in (None, "none"):
            paper = _HIGHLIGHTS.get(highlight.get(qn("w:val")) or "")
            if paper is None:
                return False
        holders = {qn("w:p"): "w:pPr", qn("w:tc"): "w:tcPr", qn("w:tbl"): "w:tblPr"}
        for element in [run, *run.iterancestors()]:
            if paper is not None:
                break
            props = (
                run.find(qn("w:rPr"))
                if element is run
                else element.find(qn(holders.get(element.tag, "w:x")))
            )
            shading = None if props is None else props.find(qn("w:shd"))
            fill = None if shading is None else (shading.get(qn("w:fill")) or "").upper()
            if fill and fill != "AUTO" and re.fullmatch(r"[0-9A-F]{6}", fill):
                paper = fill
        return contrast(ink, paper or "FFFFFF") < FAINT

    def _hidden(  # noqa: ANN001 - w:r
        self, run, paragraph_style: bool | None, style_id: str | None = None
    ) -> bool:
        if self._unseen(run, style_id):
            return True
        rpr = run.find(self._qn("w:rPr"))
        direct = self._vanish(rpr)
        if direct is not None:
            return direct
        rstyle = None if rpr is None else rpr.find(self._qn("w:rStyle"))
        if rstyle is not None:
            said = self._style(rstyle.get(self._qn("w:val")))
            if said is not None:
                return said
        return self._default if paragraph_style is None else paragraph_style

    def paragraph(self, paragraph) -> str:  # noqa: ANN001 - python-docx Paragraph
        from docx.text.paragraph import Paragraph

        element = paragraph._p
        pstyle = element.find(f"{self._qn('w:pPr')}/{self._qn('w:pStyle')}")
        style_id = pstyle.get(self._qn("w:val")) if pstyle is not None else self._default_paragraph
        style = self._style(style_id)
        runs = list(element.iter(self._qn("w:r")))
        hidden = {n for n, run in enumerate(runs) if self._hidden(run, style, style_id)}
        if not hidden:
            return paragraph.text
        # Decided on the paragraph in its place (a copy has no cell or table around it to
        # take its shading from), removed from the copy.
        element = copy.deepcopy(element)
        for number, run in enumerate(list(element.iter(self._qn("w:r")))):
            if number in hidden:
                run.getparent().remove(run)
        return Paragraph(element, paragraph._parent).text

    def cell(self, cell) -> str:  # noqa: ANN001 - python-docx _Cell
        return "\n".join(self.paragraph(p) for p in cell.paragraphs)

    def row_hidden(self, row) -> bool:  # noqa: ANN001 - python-docx _Row
        mark = row._tr.find(f"{self._qn('w:trPr')}/{self._qn('w:hidden')}")
        return mark is not None and mark.get(self._qn("w:val"), "true").lower() not in (
            "0",
            "false",
            "off",
        )


def _docx_table(table, shown: _ShownText) -> list[str]:  # noqa: ANN001 - python-docx Table
    """`row.cells` gives a merged cell once per grid column it spans and once per row it
    spans (vertical merges): each is kept where it starts only. A hidden row is left out."""
    lines = []
    above: list[object] = []
    for row in table.rows:
        if shown.row_hidden(row):
            continue
        cells = row.cells
        kept: list[str] = []
        seen: set[int] = set()
        for col, cell in enumerate(cells):
            key = id(cell._tc)
            if key in seen:
                continue  # the same cell again: spans several columns
            seen.add(key)
            if col < len(above) and above[col] is cell._tc:
                continue  # continues a cell merged down from the row above
            kept.append(_clean(shown.cell(cell)))
        above = [cell._tc for cell in cells]
        if any(kept):
            lines.append("| " + " | ".join(k.replace("|", "｜") for k in kept) + " |")
    return lines
