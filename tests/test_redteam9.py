"""Red-team pass, ninth session: attacks never tried before, run through the real CLI
(`disclosures import` on crafted web pages and workbooks, `validate`, builds). Each test failed
before its fix (checked by reverting the fix); the table is in docs/security.md ("Red-team
pass, ninth session", R9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import run_cli
from test_import_inputs import import_one, loaded

HIDDEN_ROW = ["产出指标", "数量指标", "看不见的指标", "≥99999吨"]


def _page(tmp_path: Path, row: str, head: str = "", wrap: str = "{}", table: str = "") -> Path:
    """The test table as a saved web page with one more row (`row` opens it, each cell's
    text put in `wrap`), `head` in the page's head and `table` right after `<table>`."""
    from test_import_inputs import write_html_xls

    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    cells = "".join(f"<td>{wrap.format(value)}</td>" for value in HIDDEN_ROW)
    at = page.index("<tr><td", page.index("清运车辆") - 200)
    page = page[:at] + row + cells + "</tr>" + page[at:]
    page = page.replace("</head>", head + "</head>", 1).replace("<table>", "<table>" + table, 1)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    return tmp_path / "page.html"


# --- Web pages: the cascade (W) -----------------------------------------------------------

HIDING = {
    "rule-colour": ('<tr class="w">', "<style>.w{color:#fff}</style>", "{}", ""),
    "rule-colour-on-rule-paper": (
        '<tr class="w">',
        "<style>.w{color:#123456} table{background:#123456}</style>",
        "{}",
        "",
    ),
    "font-color": ("<tr>", "", '<font color="white">{}</font>', ""),
    "font-color-on-bgcolor": ('<tr bgcolor="#ff0000">', "", '<font color="#FF0000">{}</font>', ""),
    "transparent": ('<tr style="color:transparent">', "", "{}", ""),
    "rgba-alpha-0": ('<tr style="color:rgba(0,0,0,0)">', "", "{}", ""),
    "hex8-alpha-0": ('<tr style="color:#00000000">', "", "{}", ""),
    "near-white": ('<tr style="color:#fefefe">', "", "{}", ""),
    "hsl-white": ('<tr style="color:hsl(0,0%,100%)">', "", "{}", ""),
    "rgb-percent-white": ('<tr style="color:rgb(100%,100%,100%)">', "", "{}", ""),
    "text-fill-transparent": ('<tr style="-webkit-text-fill-color:transparent">', "", "{}", ""),
    "font-1px": ('<tr style="font-size:1px">', "", "{}", ""),
    "font-0.01em": ('<tr style="font-size:0.01em">', "", "{}", ""),
    "font-shorthand-0": ('<tr style="font:0/0 a">', "", "{}", ""),
    "supports": (
        '<tr class="h">',
        "<style>@supports (display:grid){.h{display:none}}</style>",
        "{}",
        "",
    ),  # fmt: skip
    "layer": ('<tr class="h">', "<style>@layer x{.h{display:none}}</style>", "{}", ""),
    "import-data-url": (
        '<tr class="h">',
        "<style>@import url('data:text/css,.h{display:none}');</style>",
        "{}",
        "",
    ),
    "linked-stylesheet": (
        '<tr class="h">',
        '<link rel="stylesheet" href="page_files/s.css">',
        "{}",
        "",
    ),  # fmt: skip
    "css-variable": ('<tr style="--c:none;display:var(--c)">', "", "{}", ""),
    "content-visibility": ('<tr style="content-visibility:hidden">', "", "{}", ""),
    "max-height-0": ('<tr style="display:block;max-height:0;overflow:hidden">', "", "{}", ""),
    "height-1px": ('<tr style="display:block;height:1px;overflow:hidden">', "", "{}", ""),
    "line-height-0": ('<tr style="display:block;line-height:0;overflow:hidden">', "", "{}", ""),
    "filter-opacity-0": ('<tr style="filter:opacity(0)">', "", "{}", ""),
    "covered": (
        '<tr style="position:relative">',
        "",
        '{}<div style="position:absolute;inset:0;background:#fff"></div>',
        "",
    ),
    "details-closed": ("<tr>", "", "<details><summary></summary>{}</details>", ""),
    "col-collapse": (
        "<tr>",
        "",
        "{}",
        '<colgroup><col span="3"><col style="visibility:collapse"></colgroup>',
    ),
}


@pytest.mark.parametrize("attack", HIDING.values(), ids=HIDING.keys())
def test_rows_a_web_page_hides_by_its_cascade_are_not_imported(
    tmp_path: Path, attack: tuple[str, str, str, str]
) -> None:
    """Each made a sixth indicator `≥99999吨` that no reader of the page sees (W1–W26)."""
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "s.css").write_text(".h { display: none }", encoding="utf-8")
    source = _page(tmp_path, *attack)
    _, _, draft = import_one(source, tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text, text
    indicators = loaded(draft)["indicators"]
    if "collapse" in attack[3]:  # the whole fourth column is gone, as the browser draws it
        assert not [row for row in indicators if row.get("target")], indicators
    else:
        assert [row["name"] for row in indicators][:2] == ["清运量", "清运车辆"], indicators


def test_white_text_on_a_dark_rule_background_and_ordinary_colours_are_read(
    tmp_path: Path,
) -> None:
    """Controls: white on a dark background set by a rule, grey text, and a light grey
    background are seen and read."""
    source = _page(
        tmp_path,
        '<tr class="d">',
        "<style>.d{background:#1f4e79;color:white} td{color:#666} table{background:#eee}</style>",
    )
    _, _, draft = import_one(source, tmp_path / "out")
    assert "≥99999吨" in draft.read_text(encoding="utf-8")


SHOWN = {
    "print-style-element": '<style media="print">tr{display:none}</style>',
    "later-rule-shows-again": "<style>tr{display:none} tr{display:table-row}</style>",
    "more-specific-rule-shows": "<style>tr{display:none} table tr{display:table-row}</style>",
    "important-wins": "<style>tr{display:table-row !important} tr{display:none}</style>",
}


@pytest.mark.parametrize("head", SHOWN.values(), ids=SHOWN.keys())
def test_rows_a_web_page_shows_are_imported(tmp_path: Path, head: str) -> None:
    """The cascade the other way: a print-only `<style>`, a later or more specific rule:
    the browser shows every row; the importer dropped them all (no table found)."""
    source = _page(tmp_path, '<tr class="x">', head)
    status, stderr, draft = import_one(source, tmp_path / "out")
    assert status == 0, stderr
    assert len(loaded(draft)["indicators"]) == 6


DRAWN = {
    # what the page draws → what the cell shows
    "after-content": ('<style>.n::after{content:"5%"}</style>', ">95%<", ' class="n">9<', "95%"),
    "bdo-rtl": ("", ">95%<", '><bdo dir="rtl">%59</bdo><', "95%"),
    "bidi-override": (
        "",
        ">95%<",
        '><span style="unicode-bidi:bidi-override;direction:rtl">%59</span><',
        "95%",
    ),
    "select-chosen": (
        "",
        ">95%<",
        "><select><option>50%</option><option selected>95%</option></select><",
        "95%",
    ),
    "input-value": ("", ">95%<", '><input value="95%"><', "95%"),
}


@pytest.mark.parametrize("attack", DRAWN.values(), ids=DRAWN.keys())
def test_text_a_web_page_draws_is_imported_as_drawn(
    tmp_path: Path, attack: tuple[str, str, str, str]
) -> None:
    """`::after` text, a reversed `<bdo>`, a list's chosen option, a text box's value: the
    reader sees 95%; the importer read 9, %59, `50% 95%` or nothing (W27–W31)."""
    from test_import_inputs import write_html_xls

    head, old, new, shown = attack
    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    page = page.replace("</head>", head + "</head>", 1).replace(old, new, 1)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    _, _, draft = import_one(tmp_path / "page.html", tmp_path / "out")
    found = {row["name"]: row.get("target") for row in loaded(draft)["indicators"]}
    assert found["市民满意度"] == shown, found


def test_a_superscript_power_is_not_read_as_more_digits(tmp_path: Path) -> None:
    """`≥1×10<sup>4</sup>吨` (ten thousand) was imported `≥1×104吨` (W32)."""
    from test_import_inputs import write_html_xls

    page = write_html_xls(tmp_path / "base.xls").read_text(encoding="utf-8")
    page = page.replace(">≥500吨<", ">≥1×10<sup>4</sup>吨<", 1)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    _, _, draft = import_one(tmp_path / "page.html", tmp_path / "out")
    found = {row["name"]: row.get("target") for row in loaded(draft)["indicators"]}
    assert found["清运量"] == "≥1×10⁴吨", found


def test_a_stylesheet_the_importer_cannot_read_is_named(tmp_path: Path) -> None:
    """A page saved without its stylesheet (on the department's host): what it hides cannot
    be known; the import says so instead of saying nothing (W33)."""
    source = _page(
        tmp_path, "<tr>", '<link rel="stylesheet" href="https://www.example.gov.cn/s.css">'
    )
    status, stderr, _ = import_one(source, tmp_path / "out")
    assert "https://www.example.gov.cn/s.css" in stderr and "was not read" in stderr, stderr
    outside = _page(tmp_path, "<tr>", '<link rel="stylesheet" href="../../etc/s.css">')
    _, stderr, _ = import_one(outside, tmp_path / "out2")
    assert "../../etc/s.css" in stderr, stderr


# --- Workbooks (X) ------------------------------------------------------------------------


def _book_with_row(tmp_path: Path, style) -> Path:  # noqa: ANN001 - a callable
    import openpyxl
    from test_import_inputs import write_xlsx

    book = openpyxl.load_workbook(write_xlsx(tmp_path / "base.xlsx"))
    sheet = book.active
    sheet.insert_rows(9)
    for column, value in zip("ABCD", HIDDEN_ROW, strict=True):
        sheet[f"{column}9"].value = value
    style(sheet, [sheet[f"{column}9"] for column in "ABCD"])
    book.save(tmp_path / "book.xlsx")
    return tmp_path / "book.xlsx"


def _each(attribute: str, make):  # noqa: ANN001, ANN202
    def style(sheet, cells) -> None:  # noqa: ANN001
        for cell in cells:
            setattr(cell, attribute, make())

    return style


def _conditional(rule_maker):  # noqa: ANN001, ANN202
    def style(sheet, cells) -> None:  # noqa: ANN001
        sheet.conditional_formatting.add("A9:D9", rule_maker())

    return style


def _workbook_hiding() -> dict:
    from openpyxl.formatting.rule import CellIsRule, FormulaRule, Rule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.styles.colors import Color
    from openpyxl.styles.differential import DifferentialStyle

    def red_on_red(sheet, cells) -> None:  # noqa: ANN001
        for cell in cells:
            cell.font = Font(color="FFFE0000")
            cell.fill = PatternFill("solid", fgColor="FFFF0000")

    white = Font(color="FFFFFFFF")
    return {
        "format-white": _each("number_format", lambda: "[White]@"),
        "format-color2": _each("number_format", lambda: "[Color2]@"),
        "empty-text-section": _each("number_format", lambda: "0;0;0;"),
        "theme-white-tinted": _each("font", lambda: Font(color=Color(theme=0, tint=-0.02))),
        "palette-white": _each("font", lambda: Font(color=Color(indexed=9))),
        "red-on-almost-red": red_on_red,
        "conditional-not-blank": _conditional(
            lambda: Rule(
                type="notContainsBlanks",
                dxf=DifferentialStyle(font=white),
                formula=["LEN(TRIM(A9))>0"],
            )
        ),
        "conditional-true": _conditional(lambda: FormulaRule(formula=["TRUE"], font=white)),
        "conditional-cell-is": _conditional(
            lambda: CellIsRule(operator="notEqual", formula=['"x"'], font=white)
        ),
        "conditional-fill-as-ink": _conditional(
            lambda: Rule(
                type="containsText",
                operator="containsText",
                text="",
                dxf=DifferentialStyle(
                    font=Font(color="FF00B050"),
                    fill=PatternFill(bgColor="FF00B050", fill_type="solid"),
                ),
            )
        ),
    }


WORKBOOK_HIDING = [
    "format-white",
    "format-color2",
    "empty-text-section",
    "theme-white-tinted",
    "palette-white",
    "red-on-almost-red",
    "conditional-not-blank",
    "conditional-true",
    "conditional-cell-is",
    "conditional-fill-as-ink",
]


@pytest.mark.parametrize("attack", WORKBOOK_HIDING)
def test_a_row_a_workbook_hides_by_format_theme_or_condition_is_not_imported(
    tmp_path: Path, attack: str
) -> None:
    """Excel shows an empty row; each was imported as a sixth indicator (X1–X10)."""
    source = _book_with_row(tmp_path, _workbook_hiding()[attack])
    _, _, draft = import_one(source, tmp_path / "out")
    assert "99999" not in draft.read_text(encoding="utf-8")


def test_a_condition_the_importer_cannot_decide_is_refused(tmp_path: Path) -> None:
    """`=ROW()=9` in white: whether it holds needs a formula engine. Refused with what to
    do, not guessed (X11)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font

    def style(sheet, cells) -> None:  # noqa: ANN001
        sheet.conditional_formatting.add(
            "A1:D20", FormulaRule(formula=["ROW()=9"], font=Font(color="FFFFFFFF"))
        )

    source = _book_with_row(tmp_path, style)
    result = run_cli("import", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "条件格式" in result.stderr and "conditional format" in result.stderr, result.stderr
    assert not list((tmp_path / "out").rglob("*.yaml"))


def test_conditional_formats_that_do_not_hide_keep_the_row(tmp_path: Path) -> None:
    """Controls: a condition that does not hold, and one that colours red on white."""
    from openpyxl.formatting.rule import CellIsRule, FormulaRule
    from openpyxl.styles import Font

    def style(sheet, cells) -> None:  # noqa: ANN001
        white = Font(color="FFFFFFFF")
        sheet.conditional_formatting.add("A9:D9", FormulaRule(formula=["FALSE"], font=white))
        sheet.conditional_formatting.add(
            "A9:D9", CellIsRule(operator="equal", formula=['"x"'], font=white)
        )
        sheet.conditional_formatting.add(
            "A1:D20", FormulaRule(formula=["ROW()=9"], font=Font(color="FFFF0000"))
        )

    _, _, draft = import_one(_book_with_row(tmp_path, style), tmp_path / "out")
    assert "≥99999吨" in draft.read_text(encoding="utf-8")


NOTATIONS = {
    # value, number format, what Excel shows
    "scientific": (123456, "0.00E+00", "1.23E+05"),
    "scientific-rounds": (123456, "0E+00", "1E+05"),
    "dbnum1": (123, "[DBNum1][$-804]G/通用格式", "一百二十三"),
    "dbnum2": (1005, "[DBNum2][$-804]G/通用格式", "壹仟零伍"),
    "dbnum1-with-unit": (12, '[DBNum1]G/通用格式"辆"', "十二辆"),
    "fraction": (0.5, "# ?/?", "1/2"),
    "text-with-unit": ("500", '@"吨"', "500吨"),
    "text-section-text": ("≥500吨", '0;0;0;"≥99999吨"', "≥99999吨"),
}


@pytest.mark.parametrize("case", NOTATIONS.values(), ids=NOTATIONS.keys())
def test_numbers_and_text_import_in_the_notation_excel_shows(
    tmp_path: Path, case: tuple[object, str, str]
) -> None:
    """The eighth pass left these showing the raw value (123456 for 1.23E+05, 123 for
    一百二十三, 1 for 1/2, 500 for 500吨) (X12–X19)."""
    value, number_format, shown = case

    def style(sheet, cells) -> None:  # noqa: ANN001
        cells[3].value = value
        cells[3].number_format = number_format

    _, _, draft = import_one(_book_with_row(tmp_path, style), tmp_path / "out")
    found = {row["name"]: row.get("target") for row in loaded(draft)["indicators"]}
    assert found["看不见的指标"] == shown, found


# --- PDFs: text the page never shows (P) --------------------------------------------------


def _pdf(tmp_path: Path, hide) -> Path:  # noqa: ANN001 - draws the extra row on a canvas
    """The test table as a PDF text layer, one `|` row a line, with one more row drawn by
    `hide(canvas, y)` under the first indicator."""
    import io

    from pdfmaker import FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from test_import_inputs import ROWS

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842), pageCompression=0, invariant=1)
    pdf.setFont(FONT, 9)
    y = 810
    for number, row in enumerate(ROWS):
        cells = ["95%" if v == 0.95 else ("" if v is None else str(v)) for v in row]
        pdf.drawString(30, y, "| " + " | ".join(cells) + " |")
        y -= 12
        if number == 7:
            hide(pdf, y)
            y -= 12
    pdf.showPage()
    pdf.save()
    (tmp_path / "table.pdf").write_bytes(out.getvalue())
    return tmp_path / "table.pdf"


PDF_ROW = "| " + " | ".join(HIDDEN_ROW) + " |"


def _pdf_white(pdf, y) -> None:  # noqa: ANN001
    pdf.setFillColorRGB(1, 1, 1)
    pdf.drawString(30, y, PDF_ROW)
    pdf.setFillColorRGB(0, 0, 0)


def _pdf_gray_white(pdf, y) -> None:  # noqa: ANN001
    pdf.setFillGray(1)
    pdf.drawString(30, y, PDF_ROW)
    pdf.setFillGray(0)


def _pdf_cmyk_white(pdf, y) -> None:  # noqa: ANN001
    pdf.setFillColorCMYK(0, 0, 0, 0)
    pdf.drawString(30, y, PDF_ROW)
    pdf.setFillColorRGB(0, 0, 0)


def _pdf_invisible(pdf, y) -> None:  # noqa: ANN001
    text = pdf.beginText(30, y)
    text.setFont("STSong-Light", 9)
    text.setTextRenderMode(3)
    text.textLine(PDF_ROW)
    text.setTextRenderMode(0)  # the text state outlives the text object: back to filled
    pdf.drawText(text)


def _pdf_tiny(pdf, y) -> None:  # noqa: ANN001
    pdf.setFont("STSong-Light", 0.3)
    pdf.drawString(30, y, PDF_ROW)
    pdf.setFont("STSong-Light", 9)


def _pdf_off_page(pdf, y) -> None:  # noqa: ANN001
    pdf.drawString(30, 900, PDF_ROW)


def _pdf_off_left(pdf, y) -> None:  # noqa: ANN001
    pdf.drawString(-2000, y, PDF_ROW)


def _pdf_transparent(pdf, y) -> None:  # noqa: ANN001
    pdf.setFillAlpha(0)
    pdf.drawString(30, y, PDF_ROW)
    pdf.setFillAlpha(1)


def _pdf_covered(pdf, y) -> None:  # noqa: ANN001
    pdf.drawString(30, y, PDF_ROW)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(25, y - 3, 560, 12, stroke=0, fill=1)  # painted over the row
    pdf.setFillColorRGB(0, 0, 0)


def _pdf_redacted(pdf, y) -> None:  # noqa: ANN001
    pdf.drawString(30, y, PDF_ROW)
    pdf.rect(25, y - 3, 560, 12, stroke=0, fill=1)  # a black bar over the row


PDF_HIDING = {
    "white": _pdf_white,
    "gray-white": _pdf_gray_white,
    "cmyk-white": _pdf_cmyk_white,
    "render-mode-3": _pdf_invisible,
    "0.3-point": _pdf_tiny,
    "above-the-page": _pdf_off_page,
    "left-of-the-page": _pdf_off_left,
    "fill-opacity-0": _pdf_transparent,
    "covered-by-a-white-box": _pdf_covered,
    "under-a-black-bar": _pdf_redacted,
}


@pytest.mark.parametrize("hide", PDF_HIDING.values(), ids=PDF_HIDING.keys())
def test_text_a_pdf_never_shows_is_not_imported(tmp_path: Path, hide) -> None:  # noqa: ANN001
    """Each was imported as a sixth indicator `≥99999吨` (P1–P8)."""
    _, stderr, draft = import_one(_pdf(tmp_path, hide), tmp_path / "out")
    text = draft.read_text(encoding="utf-8")
    assert "99999" not in text and "看不见" not in text, text
    assert len(loaded(draft)["indicators"]) == 5


def test_a_pdf_whose_whole_text_is_invisible_is_read_as_an_ocr_layer(tmp_path: Path) -> None:
    """Control: an OCR'd scan's text layer is all invisible text over the picture; it is the
    only text there is, and it is read. White text on a dark box (a header) is read."""
    import io

    from pdfmaker import FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from test_import_inputs import ROWS

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842), pageCompression=0, invariant=1)
    pdf.setFillGray(0.5)
    pdf.rect(20, 20, 555, 800, stroke=0, fill=1)  # the scanned picture
    text = pdf.beginText(30, 810)
    text.setFont(FONT, 9)
    text.setTextRenderMode(3)
    for row in ROWS:
        cells = ["95%" if v == 0.95 else ("" if v is None else str(v)) for v in row]
        text.textLine("| " + " | ".join(cells) + " |")
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    (tmp_path / "ocr.pdf").write_bytes(out.getvalue())
    _, stderr, draft = import_one(tmp_path / "ocr.pdf", tmp_path / "out")
    assert len(loaded(draft)["indicators"]) == 5, stderr

    def white_on_dark(pdf, y) -> None:  # noqa: ANN001
        pdf.setFillColorRGB(0.1, 0.2, 0.4)
        pdf.rect(25, y - 3, 560, 12, stroke=0, fill=1)
        _pdf_white(pdf, y)

    (tmp_path / "dark").mkdir()
    _, _, draft = import_one(_pdf(tmp_path / "dark", white_on_dark), tmp_path / "out2")
    assert "≥99999吨" in draft.read_text(encoding="utf-8")


# --- Links whose words name another site (L) -----------------------------------------------

LINKS = {
    "address-among-words": "见[湖南省财政厅（www.hunan.gov.cn）](https://evil.example/)",
    "address-in-a-sentence": "见 [财政厅网站 https://czt.hunan.gov.cn 公开栏目](https://evil.example/)",
    "full-width-address": "见 [ｗｗｗ．ｈｕｎａｎ．ｇｏｖ．ｃｎ](https://evil.example/)",
    "ideographic-dots": "见 [www。hunan。gov。cn](https://evil.example/)",
    "title-names-another-site": '见 [官网](https://evil.example/ "https://www.hunan.gov.cn")',
    "scheme-without-slashes": "见 [www.hunan.gov.cn](https:evil.example)",
}


@pytest.mark.parametrize("text", LINKS.values(), ids=LINKS.keys())
def test_a_link_whose_words_name_another_site_is_refused(tmp_path: Path, text: str) -> None:
    """The eighth pass compared the whole text only; each of these showed the official
    address and went to evil.example (L1–L6). `https:evil.example` goes to evil.example
    from a page served over http."""
    import json

    from support import MINIMAL_PROJECT, write_project

    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT + f"notes: {json.dumps(text)}\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1 and "evil.example" in result.stdout, result.stdout


def test_honest_links_with_addresses_in_their_words_are_kept(tmp_path: Path) -> None:
    import json

    from support import MINIMAL_PROJECT, write_project

    text = (
        "见[湖南省财政厅（www.hunan.gov.cn）](https://www.hunan.gov.cn/zw/)、"
        '[官网](https://czt.hunan.gov.cn/ "czt.hunan.gov.cn") 和 [附件1.xlsx](/downloads/a.xlsx)'
    )
    data = tmp_path / "data" / "2020"
    write_project(data, "a.yaml", MINIMAL_PROJECT + f"notes: {json.dumps(text)}\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


# --- Word files: colour and size through styles (O) ---------------------------------------


def _word_with_row(tmp_path: Path, style) -> Path:  # noqa: ANN001 - a callable
    import docx
    from test_import_inputs import write_docx

    document = docx.Document(write_docx(tmp_path / "base.docx"))
    row = document.tables[0].add_row()
    runs = [
        cell.paragraphs[0].add_run(value) for cell, value in zip(row.cells, HIDDEN_ROW, strict=True)
    ]
    style(document, row, runs)
    document.save(tmp_path / "hidden.docx")
    return tmp_path / "hidden.docx"


def _word_hiding() -> dict:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    def character_style(document, row, runs) -> None:  # noqa: ANN001
        ghost = document.styles.add_style("Ghost", WD_STYLE_TYPE.CHARACTER)
        ghost.font.color.rgb = RGBColor(255, 255, 255)
        for run in runs:
            run.style = ghost

    def paragraph_style(document, row, runs) -> None:  # noqa: ANN001
        ghost = document.styles.add_style("GhostP", WD_STYLE_TYPE.PARAGRAPH)
        ghost.font.color.rgb = RGBColor(255, 255, 255)
        for cell in row.cells:
            cell.paragraphs[0].style = ghost

    def one_point_style(document, row, runs) -> None:  # noqa: ANN001
        tiny = document.styles.add_style("Tiny", WD_STYLE_TYPE.CHARACTER)
        tiny.font.size = Pt(1)
        for run in runs:
            run.style = tiny

    def near_white(document, row, runs) -> None:  # noqa: ANN001
        for run in runs:
            run.font.color.rgb = RGBColor(0xFE, 0xFE, 0xFE)

    def shaded(fill: str, ink: RGBColor):  # noqa: ANN202
        def style(document, row, runs) -> None:  # noqa: ANN001
            for cell in row.cells:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), fill)
                cell._tc.get_or_add_tcPr().append(shading)
            for run in runs:
                run.font.color.rgb = ink

        return style

    def white_on_white_highlight(document, row, runs) -> None:  # noqa: ANN001
        for run in runs:
            run.font.color.rgb = RGBColor(255, 255, 255)
            mark = OxmlElement("w:highlight")
            mark.set(qn("w:val"), "white")
            run._r.get_or_add_rPr().append(mark)

    def white_by_default(document, row, runs) -> None:  # noqa: ANN001
        root = document.styles.element
        defaults = root.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), "FFFFFF")
        defaults.append(colour)
        for table_row in document.tables[0].rows[:-1]:
            for cell in table_row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.color.rgb = RGBColor(0, 0, 0)
        for paragraph in document.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(0, 0, 0)

    return {
        "character-style-white": character_style,
        "paragraph-style-white": paragraph_style,
        "character-style-one-point": one_point_style,
        "near-white": near_white,
        "black-on-black": shaded("000000", RGBColor(0, 0, 0)),
        "red-on-almost-red": shaded("FF0000", RGBColor(0xFE, 0, 0)),
        "white-on-white-highlight": white_on_white_highlight,
        "document-default-white": white_by_default,
    }


WORD_HIDING = [
    "character-style-white",
    "paragraph-style-white",
    "character-style-one-point",
    "near-white",
    "black-on-black",
    "red-on-almost-red",
    "white-on-white-highlight",
    "document-default-white",
]


@pytest.mark.parametrize("attack", WORD_HIDING)
def test_a_row_a_word_file_hides_by_style_or_colour_is_not_imported(
    tmp_path: Path, attack: str
) -> None:
    """Word shows an empty row; each was imported as a sixth indicator (O1–O8): colour and
    size were read from the run alone, and compared exactly."""
    _, _, draft = import_one(_word_with_row(tmp_path, _word_hiding()[attack]), tmp_path / "out")
    assert "99999" not in draft.read_text(encoding="utf-8")


def test_white_type_on_a_dark_shading_set_by_style_is_imported(tmp_path: Path) -> None:
    """Control: white by a character style on a dark cell shading, and automatic colour on
    black (Word draws it white), are seen."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import RGBColor

    def style(document, row, runs) -> None:  # noqa: ANN001
        light = document.styles.add_style("Light", WD_STYLE_TYPE.CHARACTER)
        light.font.color.rgb = RGBColor(255, 255, 255)
        for cell in row.cells:
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:fill"), "1F4E79")
            cell._tc.get_or_add_tcPr().append(shading)
        for run in runs:
            run.style = light

    _, _, draft = import_one(_word_with_row(tmp_path, style), tmp_path / "out")
    assert "≥99999吨" in draft.read_text(encoding="utf-8")


# --- YAML: line breaks only the site's reader sees (Y) ------------------------------------

BREAKS = {
    "nel-in-a-comment": "name: 测试项目  # 注释\u0085notes: 藏起来的说明",
    "line-separator-in-a-comment": "name: 测试项目  # 注释\u2028notes: 藏起来的说明",
    "paragraph-separator-in-a-comment": "name: 测试项目  # 注释\u2029notes: 藏起来的说明",
    "lone-cr-in-a-comment": "name: 测试项目  # 注释\rnotes: 藏起来的说明",
    "nel-in-a-value": "name: 测试项目\u0085notes: 藏起来的说明",
    "lone-cr-between-keys": "notes: 藏起来的说明\rname: 测试项目",
}


@pytest.mark.parametrize("line", BREAKS.values(), ids=BREAKS.keys())
def test_a_line_break_only_yaml_1_1_reads_is_refused(tmp_path: Path, line: str) -> None:
    """PyYAML (YAML 1.1) breaks the line at NEL, U+2028, U+2029 and a lone CR; YAML 1.2,
    git's diff, GitHub, editors and the web editor's js-yaml do not. A reviewer saw a
    comment; the site published `notes` (Y1)."""
    from support import MINIMAL_PROJECT

    data = tmp_path / "data" / "2020"
    data.mkdir(parents=True)
    text = MINIMAL_PROJECT.replace("name: 测试项目", line)
    (data / "p.yaml").write_bytes(text.encode("utf-8"))
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "p.yaml:3:" in result.stdout and "U+" in result.stdout, result.stdout


def test_crlf_line_ends_are_still_accepted(tmp_path: Path) -> None:
    from support import MINIMAL_PROJECT

    data = tmp_path / "data" / "2020"
    data.mkdir(parents=True)
    (data / "p.yaml").write_bytes(MINIMAL_PROJECT.replace("\n", "\r\n").encode("utf-8"))
    assert run_cli("validate", "data", cwd=tmp_path).returncode == 0


# --- The development server (C) -----------------------------------------------------------


def test_the_development_server_answers_no_other_host_name(tmp_path: Path) -> None:
    """DNS rebinding: a page of evil.example that rebinds its name to 127.0.0.1 read the
    unpublished drafts at /__drafts/ and the site built from uncommitted data (GET was not
    checked; only writes were) (C1). Addresses and `localhost` are still served."""
    import http.client

    from support import MINIMAL_PROJECT
    from test_import_desk import _checkout, _serve

    root = _checkout(tmp_path)
    drafts = tmp_path / "drafts" / "2023"
    drafts.mkdir(parents=True)
    (drafts / "secret.yaml").write_text(
        MINIMAL_PROJECT.replace("测试项目", "未公开的草稿"), encoding="utf-8"
    )
    server, base = _serve(root, "--edit", "--drafts", str(tmp_path / "drafts"))
    port = int(base.rsplit(":", 1)[1])

    def get(path: str, host: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")

    try:
        for path in ("/__drafts/", "/", "/__import/", "/admin/config.yml"):
            status, body = get(path, f"evil.example:{port}")
            assert status == 403 and "未公开的草稿" not in body, (path, status)
        assert "未公开的草稿" in get("/__drafts/", f"127.0.0.1:{port}")[1]
        assert get("/", f"localhost:{port}")[0] == 200
        assert get("/", f"[::1]:{port}")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- Project names that read the same (N) ----------------------------------------------

PROJECT_TWINS = {
    "ji-yi": ("自己的项目", "自已的项目"),
    "katakana": ("力学实验项目", "カ学实验项目"),
    "ideographic-space": ("测试项目", "测试　项目"),
    "dash": ("测试-项目", "测试‐项目"),
}


@pytest.mark.parametrize("pair", PROJECT_TWINS.values(), ids=PROJECT_TWINS.keys())
def test_two_projects_of_a_unit_that_read_the_same_are_refused(
    tmp_path: Path, pair: tuple[str, str]
) -> None:
    """Each with its own `id`, both were published: two entries of one unit's list no reader
    can tell apart (N1). The unit rule of the eighth pass, for project names."""
    from support import MINIMAL_PROJECT

    data = tmp_path / "data" / "2020"
    data.mkdir(parents=True)
    first, second = pair
    (data / "a.yaml").write_text(
        MINIMAL_PROJECT.replace("name: 测试项目", f"name: {first}"), encoding="utf-8"
    )
    (data / "b.yaml").write_text(
        MINIMAL_PROJECT.replace("name: 测试项目", f"name: {second}\nid: other-one"),
        encoding="utf-8",
    )
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1 and "b.yaml:" in result.stdout, result.stdout
    assert "readers take them for one project" in result.stdout, result.stdout


def test_two_projects_with_different_names_or_years_are_kept(tmp_path: Path) -> None:
    from support import MINIMAL_PROJECT

    data = tmp_path / "data"
    (data / "2020").mkdir(parents=True)
    (data / "2021").mkdir(parents=True)
    (data / "2020" / "a.yaml").write_text(
        MINIMAL_PROJECT.replace("name: 测试项目", "name: 自己的项目"), encoding="utf-8"
    )
    (data / "2020" / "b.yaml").write_text(
        MINIMAL_PROJECT.replace("name: 测试项目", "name: 自己的另一个项目"), encoding="utf-8"
    )
    (data / "2021" / "c.yaml").write_text(
        MINIMAL_PROJECT.replace('year: "2020"', 'year: "2021"').replace(
            "name: 测试项目", "name: 自已的项目"
        ),
        encoding="utf-8",
    )
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
