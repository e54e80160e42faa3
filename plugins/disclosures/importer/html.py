"""A saved web page → text with one table row per line and cells between `|`.

Editors often have the table as a web page. Saving it (Ctrl+S) and importing the .html keeps
what flattening loses: where each cell starts and ends. Merged cells stay merged (a rowspan
cell appears once), exactly as in the `|`-flattened text the parsers already read.
"""

from __future__ import annotations

import re

_BLOCKS = (
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "header",
    "footer",
    "title",
)


def looks_like_html(raw: bytes) -> bool:
    head = raw[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<table" in raw[:200_000].lower()
    )


def html_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding used). The page's own charset (meta or BOM) is honoured: GBK pages too."""
    from bs4 import BeautifulSoup, UnicodeDammit

    dammit = UnicodeDammit(raw, ["utf-8", "gb18030"], is_html=True)
    markup = dammit.unicode_markup or raw.decode("utf-8", "replace")
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for table in soup.find_all("table"):
        lines = []
        for row in table.find_all("tr"):
            if row.find_parent("table") is not table:
                continue  # a table nested in a cell is read with that cell
            cells = [_cell_text(c) for c in row.find_all(["td", "th"], recursive=False)]
            lines.append("| " + " | ".join(cells) + " |")
        table.replace_with(soup.new_string("\n" + "\n".join(lines) + "\n"))
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    text = re.sub(r"[ \t\r\f\v\xa0]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", dammit.original_encoding or "utf-8"


def _cell_text(cell) -> str:  # noqa: ANN001 - a bs4 Tag
    text = cell.get_text(" ", strip=True)
    return re.sub(r"\s+", " ", text).replace("|", "｜")
