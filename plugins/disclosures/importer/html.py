"""A saved web page → text with one table row per line and cells between `|`.

Editors often have the table as a web page. Saving it (Ctrl+S) and importing the .html keeps
what flattening loses: where each cell starts and ends. Merged cells stay merged (a rowspan
cell appears once), exactly as in the `|`-flattened text the parsers already read.
"""

from __future__ import annotations

import re
from pathlib import Path

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


def html_text(raw: bytes, base: Path | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding used, stylesheets not read). The page's own charset (meta or BOM) is
    honoured: GBK pages too. `base` is the folder the page was saved in: stylesheets saved
    beside it are read; one that is not there (another host's) is named, not guessed."""
    from bs4 import BeautifulSoup, UnicodeDammit

    from .css import Seen, cascade

    dammit = UnicodeDammit(raw, ["utf-8", "gb18030"], is_html=True)
    markup = dammit.unicode_markup or raw.decode("utf-8", "replace")
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "noscript", "template"]):
        tag.decompose()
    styles = cascade(soup, base)
    for tag in soup(["style", "link"]):
        tag.decompose()
    # What the page does not show is not read either, and what CSS draws is (red-team,
    # sixth to ninth sessions): `1<span style="display:none">0</span>0辆` reads `10辆`; a
    # row in white, collapsed, covered or clipped away adds no indicator; `::after
    # { content: "0" }` adds its 0. Decided on the whole tree first, then applied.
    _show_as_drawn(soup, Seen(styles))
    soup.smooth()  # `1` and `0辆` either side of a removed span are one text again: `10辆`
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
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text, dammit.original_encoding or "utf-8", styles.notes


_SUPER = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


def _show_as_drawn(soup, seen) -> None:  # noqa: ANN001 - a BeautifulSoup and a css.Seen
    from bs4 import NavigableString
    from bs4.element import Comment, Doctype, ProcessingInstruction

    elements = [e for e in soup.find_all(True) if e.name not in ("html", "head", "title")]
    gone = [e for e in elements if seen.box_hidden(e) and not seen.box_hidden(e.parent)]
    gone += _collapsed_cells(soup, seen)
    covered: set[int] = set()
    for element in elements:
        if seen.covering(element):
            block = next(
                (
                    a
                    for a in element.parents
                    if a.name
                    and seen.value(a, "position") in ("relative", "absolute", "fixed", "sticky")
                ),
                soup,
            )
            mine = {id(s) for s in element.find_all(string=True)}
            covered |= {id(s) for s in block.find_all(string=True)} - mine
    blanked, reversed_, added = [], [], []
    for string in soup.find_all(string=True):
        if isinstance(string, (Comment, Doctype, ProcessingInstruction)) or not string.strip():
            continue
        parent = string.parent
        if parent is None or parent.name in ("html", "head", "title", "[document]"):
            continue
        if seen.box_hidden(parent):
            continue
        if id(string) in covered or seen.ink_unseen(parent) or seen.hides_contents(parent, string):
            blanked.append(string)
        elif seen.reversed_text(parent):
            reversed_.append(string)
    for element in elements:
        if seen.box_hidden(element) or seen.ink_unseen(element):
            continue
        for which in ("before", "after"):
            text = seen.pseudo_text(element, which)
            if text:
                added.append((element, which, text))
    # Form controls show their value, not their markup: the chosen option of a list, the
    # text in a box (`<input value>`).
    controls = [e for e in soup.find_all(["select", "input"]) if not seen.box_hidden(e)]
    rows_before = {id(row): bool(row.get_text(strip=True)) for row in soup.find_all("tr")}
    for element in gone:
        if not element.decomposed:
            element.decompose()
    for string in blanked:
        string.replace_with("")
    for string in reversed_:
        string.replace_with(str(string)[::-1])
    for element, which, text in added:
        if which == "before":
            element.insert(0, NavigableString(text))
        else:
            element.append(NavigableString(text))
    for control in controls:
        if control.decomposed:
            continue
        if control.name == "select":
            options = control.find_all("option")
            chosen = next(
                (o for o in options if o.has_attr("selected")), options[0] if options else None
            )
            control.replace_with(chosen.get_text() if chosen else "")
        elif (control.get("type") or "text").lower() in ("text", "number", "", "search"):
            control.replace_with(control.get("value") or "")
        else:
            control.decompose()
    for tag in soup.find_all(["sup", "sub"]):
        text = tag.get_text()
        if text and re.fullmatch(r"[0-9+\-=()]+", text):
            tag.replace_with(text.translate(_SUPER if tag.name == "sup" else _SUB))
    for row in soup.find_all("tr"):
        if rows_before.get(id(row)) and not row.get_text(strip=True):
            row.decompose()  # every text of the row was hidden: the row is not there


def _collapsed_cells(soup, seen) -> list:  # noqa: ANN001
    """Cells of columns a `<col>`/`<colgroup>` collapses (`visibility: collapse`): the
    browser draws the table without that column."""
    gone = []
    for table in soup.find_all("table"):
        collapsed: set[int] = set()
        index = 0
        for group in table.find_all("colgroup", recursive=False):
            cols = group.find_all("col", recursive=False)
            for col in cols or [group]:
                span = int(col.get("span") or 1) if str(col.get("span") or "1").isdigit() else 1
                span = min(span, 1000)
                if seen.value(col, "visibility") == "collapse" or (
                    seen.value(group, "visibility") == "collapse"
                ):
                    collapsed.update(range(index, index + span))
                index += span
        for col in table.find_all("col", recursive=False):
            span = int(col.get("span") or 1) if str(col.get("span") or "1").isdigit() else 1
            if seen.value(col, "visibility") == "collapse":
                collapsed.update(range(index, index + min(span, 1000)))
            index += min(span, 1000)
        if not collapsed:
            continue
        taken: dict[tuple[int, int], bool] = {}
        for r, row in enumerate(
            tr for tr in table.find_all("tr") if tr.find_parent("table") is table
        ):
            c = 0
            for cell in row.find_all(["td", "th"], recursive=False):
                while taken.get((r, c)):
                    c += 1
                across = _span(cell.get("colspan"))
                down = _span(cell.get("rowspan"))
                for dr in range(down):
                    for dc in range(across):
                        taken[(r + dr, c + dc)] = True
                if all(c + dc in collapsed for dc in range(across)):
                    gone.append(cell)
                c += across
    return gone


def _span(value) -> int:  # noqa: ANN001
    text = str(value or "1").strip()
    return max(1, min(int(text), 1000)) if text.isdigit() else 1


def _cell_text(cell) -> str:  # noqa: ANN001 - a bs4 Tag
    text = cell.get_text(" ", strip=True)
    return re.sub(r"\s+", " ", text).replace("|", "｜")
