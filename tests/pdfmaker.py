"""PDFs made in the tests, written by ReportLab (a maintained PDF library, pinned in
requirements.txt) in Adobe's standard Chinese font STSong-Light.

The font is referenced, not embedded, with its standard CMap (UniGB-UCS2-H, Adobe-GB1), as
Acrobat and many budget systems print Chinese PDFs: pdfplumber decodes the text from the CMap
and places each character by the font's real widths (a Chinese character 1 em, Latin letters,
digits and spaces narrower). So the text layer is what a real exported form gives, with no
font file needed on the machine.

(fpdf2 with Noto Sans CJK was tried first: it embeds the CFF font with a custom encoding CMap
that pdfminer cannot decode, so its PDFs have no readable text for pdfplumber.)
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
SIZE = 9  # points, as the budget systems print a form's cells
PAGE = (595, 842)  # A4 in points

Text = tuple[float, float, str]  # x, y (baseline, from the bottom of the page), text
Rule = tuple[float, float, float, float]  # x0, y0, x1, y1: a straight ruling line
Box = tuple[float, float, float, float]  # x, y, width, height: a filled rectangle


def positioned_pdf(
    pages: list[tuple[list[Text], list[Rule]]],
    boxes: Sequence[Box] = (),
    size: tuple[float, float] = PAGE,
) -> bytes:
    """A PDF whose pages hold text at (x, y) and ruling lines; `boxes` are filled grey
    rectangles drawn on every page (a scan-like page: a picture and no text)."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size, pageCompression=0, invariant=1)
    for texts, rules in pages or [([], [])]:
        pdf.setLineWidth(0.5)
        pdf.setFillGray(0.5)
        for x, y, width, height in boxes:
            pdf.rect(x, y, width, height, stroke=0, fill=1)
        pdf.setFillGray(0)
        for x0, y0, x1, y1 in rules:
            pdf.line(x0, y0, x1, y1)
        pdf.setFont(FONT, SIZE)
        for x, y, text in texts:
            pdf.drawString(x, y, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def lines_pdf(pages: list[list[str]], scanned: bool = False) -> bytes:
    """A PDF whose pages hold lines of text, one under the other from the top left (12 points
    apart); with `scanned`, each page also holds a large filled rectangle, and a page with no
    lines is then a scan with no text layer."""
    # A page as tall as its lines: text below the page's edge is not shown, nor imported.
    height = max(PAGE[1], 12 * max((len(page) for page in pages), default=0) + 40)
    top = height - 32
    placed = [([(30, top - 12 * n, line) for n, line in enumerate(page)], []) for page in pages]
    return positioned_pdf(
        placed, boxes=[(40, 40, 500, 700)] if scanned else [], size=(PAGE[0], height)
    )
