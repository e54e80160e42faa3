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


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_ZERO = re.compile(r"[+-]?0*\.?0+(?:[a-z%]+)?")


def _declarations(text: str) -> dict[str, str]:
    said: dict[str, str] = {}
    for declaration in _CSS_COMMENT.sub("", text).split(";"):
        name, sep, value = declaration.partition(":")
        if sep:
            value = value.lower().replace("!important", "")
            said[name.strip().lower()] = " ".join(value.split())
    return said


# Eighth session: moved off screen (`left: -9999px`, `text-indent: -9999px`), clipped away
# (`clip: rect(0 0 0 0)`, `clip-path: inset(50%)`), scaled to nothing (`scale(0)`).
_FAR = re.compile(r"-\s*([0-9]+(?:\.[0-9]+)?)\s*(px|pt|em|rem|%|vw|vh)?")
_FAR_ENOUGH = {"px": 500, "pt": 400, "em": 50, "rem": 50, "%": 100, "vw": 100, "vh": 100}
_CLIPPED = re.compile(r"rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)")
_INSET = re.compile(r"inset\(\s*(?:50|[5-9][0-9]|100)(?:\.[0-9]+)?%")
_SCALED_AWAY = re.compile(r"scale[xy]?\(\s*0(?:\.0*)?\s*[,)]")


def _far_off(value: str) -> bool:
    match = _FAR.match(value)
    return match is not None and float(match.group(1)) >= _FAR_ENOUGH.get(match.group(2), 500)


def _hides(declarations: str) -> bool:
    """Whether CSS declarations (a `style` attribute or a rule's body) hide what they apply
    to, as a browser draws it: `display: none`, `visibility: hidden` or `collapse` (rows),
    `font-size: 0`, `opacity: 0`, or `height: 0` with `overflow: hidden`; placed far off
    screen, clipped or scaled to nothing; text in the colour of its own background. Comments,
    `!important`, case and white space as CSS reads them."""
    said = _declarations(declarations)
    ink = said.get("color")
    ink = "white" if ink in _WHITE else ink
    return (
        said.get("display") == "none"
        or said.get("visibility") in ("hidden", "collapse")
        or any(_ZERO.fullmatch(said.get(key, "x")) for key in ("font-size", "opacity"))
        or (
            _ZERO.fullmatch(said.get("height", "x")) is not None
            and "hidden" in said.get("overflow", "")
        )
        or any(
            _far_off(said.get(key, ""))
            for key in ("left", "top", "right", "text-indent", "margin-left", "margin-top")
        )
        or _CLIPPED.search(said.get("clip", "")) is not None
        or _INSET.match(said.get("clip-path", "")) is not None
        or _SCALED_AWAY.search(said.get("transform", "")) is not None
        or (ink is not None and ink == _colour(said))
    )


_WHITE = {"white", "#fff", "#ffffff", "rgb(255,255,255)", "rgb(255, 255, 255)"}


def _colour(said: dict[str, str]) -> str | None:
    """The background colour the declarations set (`background-color`, or the first word of
    `background`), white written one way, or None."""
    value = said.get("background-color") or (said.get("background", "").split(" ") or [""])[0]
    return "white" if value in _WHITE else (value or None)


def _unseen_ink(tag) -> bool:  # noqa: ANN001 - a bs4 Tag
    """Text coloured like the background it is drawn on: the nearest background an element
    or its ancestors set, the page's white where none does (white on white)."""
    said = _declarations(tag.get("style") or "")
    ink = said.get("color")
    if ink is None:
        return False
    ink = "white" if ink in _WHITE else ink
    for element in [tag, *tag.parents]:
        paper = _colour(_declarations(element.get("style") or "")) if element.name else None
        if paper is not None:
            return ink == paper
    return ink == "white"


def _is_hidden(tag) -> bool:  # noqa: ANN001 - a bs4 Tag
    return tag.has_attr("hidden") or _hides(tag.get("style") or "") or _unseen_ink(tag)


_MEDIA = re.compile(r"@media([^{;]*)\{((?:[^{}]*\{[^{}]*\})*[^{}]*)\}", re.I)


def _print_only(query: str) -> bool:
    words = query.lower().split()
    return "print" in words and "not" not in words or "speech" in words


def _hidden_by_stylesheets(soup) -> list:  # noqa: ANN001 - a BeautifulSoup
    """Elements the page's own `<style>` rules hide (`.h { display: none }`): what a reader
    of the page does not see, matched with the rules' selectors (soupsieve). Rules inside
    `@media` for print only, other at-rules and selectors soupsieve cannot read are left
    alone."""
    hidden = []
    for style in soup.find_all("style"):
        sheet = _CSS_COMMENT.sub("", style.get_text())
        # Rules inside `@media` for the screen (not print-only) apply to what a reader sees
        # (eighth session); other at-rules are left out.
        sheet = _MEDIA.sub(lambda m: "" if _print_only(m.group(1)) else m.group(2), sheet)
        depth_free = re.sub(r"@[^{;]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", sheet)
        for selector, body in _CSS_RULE.findall(depth_free):
            if not _hides(body) or selector.strip().startswith("@"):
                continue
            try:
                hidden.extend(soup.select(selector.strip()))
            except Exception:  # noqa: BLE001 - soupsieve's errors for selectors it lacks
                continue
    return hidden


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
    by_stylesheet = _hidden_by_stylesheets(soup)
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    # What the page does not show is not read either: a row or a character hidden with
    # `hidden` or an inline `display: none` / `visibility: hidden` (anti-copy spans put a
    # digit there: `1<span style="display:none">0</span>0辆` read as `1 0 0辆`; a hidden
    # row added an indicator nobody saw). Red-team, sixth session.
    # Seventh session: hidden as CSS reads it (comments, `visibility: collapse`, a zero font
    # size) and by the page's own stylesheet rules.
    for tag in [*by_stylesheet, *soup.find_all(_is_hidden)]:
        if not tag.decomposed:
            tag.decompose()
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
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n", dammit.original_encoding or "utf-8"


def _cell_text(cell) -> str:  # noqa: ANN001 - a bs4 Tag
    text = cell.get_text(" ", strip=True)
    return re.sub(r"\s+", " ", text).replace("|", "｜")
