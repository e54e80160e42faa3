"""What a saved web page shows: the CSS cascade, reduced to what hides text, colours it or
adds text of its own.

The importer reads what a reader of the page sees (red-team, sixth to ninth sessions). A row
or a digit the page hides is not imported; a digit CSS draws (`::after { content: "0" }`) is.
Before the ninth session only inline styles and simple `<style>` rules were followed; a
colour set by a rule, `<font color>`, `transparent`, `rgba(…, 0)`, near-white, 1-pixel type,
rules inside `@supports`/`@layer`/`@import`, a linked stylesheet saved beside the page, a
column collapsed by `<col>`, a closed `<details>`, an element covering the text, `var()` …
each let a hidden row through, and a later rule (or `<style media="print">`) that shows a
row again made the importer drop a row the reader sees.

The cascade here is the real one for the properties that matter: rules in document order,
specificity, `!important`, inline styles, presentational attributes, inheritance (colour,
visibility, font size, custom properties), `@media` (print-only left out), `@supports`,
`@layer`, `@container` and `@import` followed. Stylesheets are parsed with tinycss2,
selectors matched with soupsieve, colours read with tinycss2's CSS Color 4 parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Properties the cascade keeps (everything else is dropped at parse time).
_KEPT = {
    "display", "visibility", "content-visibility", "opacity", "filter", "color",
    "-webkit-text-fill-color", "background", "background-color", "background-image",
    "font", "font-size", "line-height", "overflow", "overflow-x", "overflow-y", "height",
    "max-height", "width", "max-width", "position", "left", "top", "right", "bottom", "inset",
    "text-indent", "margin-left", "margin-top", "clip", "clip-path", "transform", "z-index",
    "content", "direction", "unicode-bidi", "mso-hide",
}  # fmt: skip
_INHERITED = {
    "visibility", "color", "-webkit-text-fill-color", "font-size", "direction", "line-height",
}  # fmt: skip
_PSEUDO = re.compile(r"::?(before|after)\s*$", re.I)
_OTHER_PSEUDO_ELEMENT = re.compile(
    r"::?(first-line|first-letter|selection|marker|placeholder|"
    r"backdrop|file-selector-button|cue|part|slotted)|::",
    re.I,
)
_MAX_SHEET = 2_000_000  # characters of CSS read from one page (its own and linked sheets)
_MAX_IMPORTS = 20
_TEXT_MIN_PX = 8 / 3  # under 2 points: no reader reads it (the office readers use 2 pt too)
_ROOT_PX = 16.0


@dataclass
class _Declared:
    """Every declaration that applies to one element (or one of its pseudo-elements)."""

    values: dict[str, tuple[tuple, str]] = field(default_factory=dict)  # name → (rank, value)

    def add(self, name: str, value: str, rank: tuple) -> None:
        held = self.values.get(name)
        if held is None or rank >= held[0]:
            self.values[name] = (rank, value)

    def get(self, name: str) -> str | None:
        held = self.values.get(name)
        return None if held is None else held[1]


@dataclass
class Rule:
    selector: str
    pseudo: str | None
    specificity: tuple[int, int, int]
    order: int
    declarations: list[tuple[str, str, bool]]  # (name, value, important)


@dataclass
class Styles:
    """The cascaded declarations of every element of one page, and what could not be read."""

    declared: dict[int, _Declared]
    pseudo: dict[tuple[int, str], _Declared]
    notes: list[str]


def _serialize(tokens: list) -> str:  # noqa: ANN401
    import tinycss2

    return " ".join(tinycss2.serialize(tokens).strip().lower().split())


def _declarations(tokens: Any) -> list[tuple[str, str, bool]]:  # noqa: ANN401
    import tinycss2

    found = []
    for item in tinycss2.parse_blocks_contents(tokens, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            name = item.lower_name
            if name in _KEPT or name.startswith("--"):
                value = tinycss2.serialize(item.value).strip()
                found.append(
                    (
                        name,
                        value if name.startswith("--") else _serialize(item.value),
                        item.important,
                    )
                )
    return found


def inline_declarations(style: str) -> list[tuple[str, str, bool]]:
    return _declarations(style)


def _specificity(selector: str) -> tuple[int, int, int]:
    text = re.sub(r'"[^"]*"|\'[^\']*\'', "", selector)
    text = re.sub(r":where\([^)]*\)", "", text, flags=re.I)
    ids = len(re.findall(r"#[\w-]+", text))
    classes = len(re.findall(r"\.[\w-]+|\[[^\]]*\]|(?<!:):(?!not\(|is\()[\w-]+", text))
    types = len(re.findall(r"(?:^|[\s>+~(,])([a-zA-Z][\w-]*)", text)) + len(
        re.findall(r"::[\w-]+", text)
    )
    return ids, classes, types


def _print_only(query: str) -> bool:
    words = re.findall(r"[a-z-]+", query.lower())
    return ("print" in words and "not" not in words) or "speech" in words


def _rules(
    sheet: str,
    base: Path | None,
    order: list[int],
    rules: list[Rule],
    notes: list[str],
    depth: int = 0,
) -> None:
    import tinycss2

    for node in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        _rule(node, base, order, rules, notes, depth)


def _rule(
    node: Any,
    base: Path | None,
    order: list[int],
    rules: list[Rule],  # noqa: ANN401
    notes: list[str],
    depth: int,
) -> None:
    import tinycss2

    if node.type == "qualified-rule":
        declarations = _declarations(node.content)
        if not declarations:
            return
        order[0] += 1
        for selector in _split_selectors(tinycss2.serialize(node.prelude)):
            pseudo = _PSEUDO.search(selector)
            plain = _PSEUDO.sub("", selector).strip() if pseudo else selector
            if _OTHER_PSEUDO_ELEMENT.search(plain):
                continue  # ::first-line, ::selection …: not a whole element's text
            rules.append(
                Rule(
                    plain or "*",
                    pseudo.group(1).lower() if pseudo else None,
                    _specificity(selector),
                    order[0],
                    declarations,
                )
            )
        return
    if node.type != "at-rule":
        return
    keyword = node.lower_at_keyword
    prelude = tinycss2.serialize(node.prelude)
    if keyword == "import":
        if depth < 3:
            text = _imported(prelude, base, notes)
            if text is not None and not _print_only(
                re.sub(r"url\([^)]*\)|\"[^\"]*\"|'[^']*'", "", prelude)
            ):
                _rules(text, base, order, rules, notes, depth + 1)
        return
    if (
        keyword
        in ("media", "supports", "layer", "container", "document", "scope", "starting-style")
        and node.content is not None
    ):
        if keyword == "media" and _print_only(prelude):
            return
        for child in tinycss2.parse_blocks_contents(
            node.content, skip_comments=True, skip_whitespace=True
        ):
            if child.type in ("qualified-rule", "at-rule"):
                _rule(child, base, order, rules, notes, depth)
            # declarations directly in a block are nested CSS: left to their parents


def _split_selectors(prelude: str) -> list[str]:
    out, depth, current = [], 0, ""
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += char
    out.append(current.strip())
    return [s for s in out if s]


_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|^\s*(['"])(.*?)\3""", re.S)


def _imported(prelude: str, base: Path | None, notes: list[str]) -> str | None:
    match = _URL.search(prelude)
    if match is None:
        return None
    return fetch_sheet(match.group(2) or match.group(4) or "", base, notes)


def fetch_sheet(href: str, base: Path | None, notes: list[str]) -> str | None:
    """A stylesheet the page links: a `data:` URL, or a file saved beside the page (Ctrl+S
    puts them in `<page>_files/`), inside the page's own folder. Anything else (another
    host, outside the folder, missing) is named in `notes`: rules it holds are not known."""
    from urllib.parse import unquote, urlsplit

    href = href.strip()
    if href.lower().startswith("data:"):
        head, _, body = href.partition(",")
        if ";base64" in head.lower():
            import base64

            try:
                return base64.b64decode(body).decode("utf-8", "replace")[:_MAX_SHEET]
            except ValueError:
                return None
        return unquote(body)[:_MAX_SHEET]
    parts = urlsplit(href)
    if base is not None and not parts.scheme and not parts.netloc and parts.path:
        folder = base.resolve()
        target = (folder / unquote(parts.path)).resolve()
        if target.is_relative_to(folder) and target.is_file():
            with target.open("rb") as handle:
                return handle.read(_MAX_SHEET).decode("utf-8", "replace")
    notes.append(href)
    return None


def cascade(soup: Any, base: Path | None) -> Styles:  # noqa: ANN401 - a BeautifulSoup
    """Every element's cascaded declarations: presentational attributes first, then the
    page's rules in order of specificity and appearance, inline styles, `!important`."""
    import soupsieve

    rules: list[Rule] = []
    notes: list[str] = []
    order = [0]
    read = 0
    for sheet in soup.find_all(["style", "link"]):
        media = sheet.get("media") or ""
        if _print_only(media):
            continue
        if sheet.name == "style":
            text = sheet.get_text()
        else:
            relations = [r.lower() for r in (sheet.get("rel") or [])]
            if "stylesheet" not in relations or "alternate" in relations:
                continue
            text = fetch_sheet(sheet.get("href") or "", base, notes)
            if text is None:
                continue
        read += len(text)
        if read > _MAX_SHEET:
            break
        _rules(text, base, order, rules, notes)
    declared: dict[int, _Declared] = {}
    pseudo: dict[tuple[int, str], _Declared] = {}
    for element in soup.find_all(True):
        _presentational(element, declared)
    for rule in rules:
        try:
            matched = soupsieve.select(rule.selector, soup)
        except Exception:  # noqa: BLE001 - a selector soupsieve cannot read matches nothing
            continue
        for element in matched:
            target = (
                declared.setdefault(id(element), _Declared())
                if rule.pseudo is None
                else pseudo.setdefault((id(element), rule.pseudo), _Declared())
            )
            for name, value, important in rule.declarations:
                target.add(name, value, (int(important), 0, *rule.specificity, rule.order))
    for element in soup.find_all(style=True):
        target = declared.setdefault(id(element), _Declared())
        for name, value, important in inline_declarations(element.get("style") or ""):
            target.add(name, value, (int(important), 1, 0, 0, 0, 0))
    return Styles(declared, pseudo, notes)


def _presentational(element: Any, declared: dict[int, _Declared]) -> None:  # noqa: ANN401
    """HTML attributes browsers map to CSS below every rule: `<font color size>`,
    `bgcolor`, `hidden`."""
    hints = []
    if element.name == "font":
        if element.get("color"):
            hints.append(("color", element["color"].strip().lower()))
        size = (element.get("size") or "").strip()
        if re.fullmatch(r"[+-]?[1-7]", size):
            px = {1: 10, 2: 13, 3: 16, 4: 18, 5: 24, 6: 32, 7: 48}
            hints.append(
                (
                    "font-size",
                    f"{px[max(1, min(7, 3 + int(size) if size[0] in '+-' else int(size)))]}px",
                )
            )
    if element.get("bgcolor"):
        hints.append(("background-color", element["bgcolor"].strip().lower()))
    if element.has_attr("hidden"):
        hints.append(("display", "none"))
    if hints:
        target = declared.setdefault(id(element), _Declared())
        for name, value in hints:
            target.add(name, value, (0, 0, -1, 0, 0, 0))


# --- what a reader sees ---------------------------------------------------------------------

_FAR = re.compile(r"-\s*([0-9]+(?:\.[0-9]+)?)\s*(px|pt|em|rem|%|vw|vh)?")
_FAR_ENOUGH = {"px": 500, "pt": 400, "em": 50, "rem": 50, "%": 100, "vw": 100, "vh": 100}
_CLIPPED = re.compile(r"rect\(\s*0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?[\s,]+0(?:px)?\s*\)")
_INSET = re.compile(r"inset\(\s*(?:50|[5-9][0-9]|100)(?:\.[0-9]+)?%|circle\(\s*0")
_SCALED_AWAY = re.compile(r"scale[xy3d]*\(\s*0(?:\.0*)?\s*[,)]")
_LENGTH = re.compile(r"([+-]?[0-9]*\.?[0-9]+)\s*(px|pt|pc|em|rem|ex|ch|%|vw|vh|cm|mm|in|q)?$")
_SIZE_WORDS = {
    "xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
    "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0,
}  # fmt: skip
_VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)")


class Seen:
    """Decides, element by element, what of a page a reader sees."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self._memo: dict[tuple[int, str], Any] = {}

    # -- cascaded and computed values
    def value(self, element: Any, name: str) -> str | None:  # noqa: ANN401
        """The cascaded value of `name` on `element` (inherited when the property is), with
        `var()` resolved; None when nothing sets it."""
        key = (id(element), name)
        if key in self._memo:
            return self._memo[key]
        declared = self.styles.declared.get(id(element))
        said = declared.get(name) if declared else None
        if name == "background-color" and said is None and declared:
            said = _colour_in(declared.get("background"))
        if name == "font-size" and said is None and declared:
            said = _size_in(declared.get("font"))
        if said is not None and "var(" in said:
            said = self._resolve(element, said)
        if said in ("inherit", "unset") and name in _INHERITED or said == "inherit":
            said = None if element.parent is None else self._parent(element, name)
        elif said is None and name in _INHERITED:
            said = self._parent(element, name)
        elif said in ("initial", "unset", "revert", "revert-layer"):
            said = None
        self._memo[key] = said
        return said

    def _parent(self, element: Any, name: str) -> str | None:  # noqa: ANN401
        parent = element.parent
        return None if parent is None or parent.name is None else self.value(parent, name)

    def _resolve(self, element: Any, text: str, depth: int = 0) -> str:  # noqa: ANN401
        def one(match: re.Match) -> str:
            custom = self._custom(element, match.group(1))
            return custom if custom is not None else (match.group(2) or "").strip()

        for _ in range(8):  # nested var() and fallbacks; a cycle ends here
            if "var(" not in text:
                break
            text = _VAR.sub(one, text)
        return " ".join(text.lower().split())

    def _custom(self, element: Any, name: str) -> str | None:  # noqa: ANN401
        for node in [element, *element.parents]:
            declared = self.styles.declared.get(id(node)) if node.name else None
            if declared and declared.get(name) is not None:
                return declared.get(name)
        return None

    def font_px(self, element: Any) -> float:  # noqa: ANN401
        key = (id(element), "#font-px")
        if key in self._memo:
            return self._memo[key]
        parent = element.parent
        inherited = _ROOT_PX if parent is None or parent.name is None else self.font_px(parent)
        declared = self.styles.declared.get(id(element))
        said = declared.get("font-size") if declared else None
        if said is None and declared:
            said = _size_in(declared.get("font"))
        if said is not None and "var(" in said:
            said = self._resolve(element, said)
        px = _px(said, inherited) if said else inherited
        self._memo[key] = px
        return px

    # -- decisions
    def box_hidden(self, element: Any) -> bool:  # noqa: ANN401
        """The element and all it holds are not drawn where a reader sees them."""
        key = (id(element), "#box")
        if key in self._memo:
            return self._memo[key]
        parent = element.parent
        hidden = self._own_box_hidden(element) or (
            parent is not None
            and parent.name is not None
            and (self.box_hidden(parent) or self.hides_contents(parent, element))
        )
        self._memo[key] = hidden
        return hidden

    def _own_box_hidden(self, element: Any) -> bool:  # noqa: ANN401
        get = self.styles.declared.get(id(element))
        if get is None:
            return False

        def said(name: str) -> str:
            value = get.get(name)
            if value is not None and "var(" in value:
                value = self._resolve(element, value)
            return value or ""

        opacity = _number(said("opacity"))
        filtered = re.search(r"opacity\(\s*([0-9.]+)(%?)", said("filter"))
        overflow = " ".join(said(n) for n in ("overflow", "overflow-x", "overflow-y"))
        clipping = "hidden" in overflow or "clip" in overflow
        return (
            said("display") == "none"
            or said("mso-hide") == "all"
            or (opacity is not None and opacity <= 0.05)
            or (
                filtered is not None
                and float(filtered.group(1)) / (100 if filtered.group(2) else 1) <= 0.05
            )
            or (
                clipping
                and any(_tiny(said(n)) for n in ("height", "max-height", "width", "max-width"))
            )
            or (clipping and _tiny(said("line-height")) and not said("height"))
            or any(
                _far_off(said(n))
                for n in ("left", "top", "right", "text-indent", "margin-left", "margin-top")
            )
            or _CLIPPED.search(said("clip")) is not None
            or _INSET.match(said("clip-path")) is not None
            or _SCALED_AWAY.search(said("transform")) is not None
        )

    def hides_contents(self, parent: Any, child: Any) -> bool:  # noqa: ANN401
        """`content-visibility: hidden`; a closed `<details>` (its summary shows); an
        element laid over the others of its containing block."""
        if self.value(parent, "content-visibility") == "hidden":
            return True
        if parent.name == "details" and not parent.has_attr("open"):
            summary = parent.find("summary", recursive=False)
            return child is not summary
        return False

    def ink_unseen(self, element: Any) -> bool:  # noqa: ANN401
        """Text of `element` a reader does not see though its box is drawn: hidden by
        `visibility`, under 2 points, or in a colour too close to what it is drawn on."""
        if self.value(element, "visibility") in ("hidden", "collapse"):
            return True
        if self.font_px(element) < _TEXT_MIN_PX:
            return True
        ink = self.value(element, "-webkit-text-fill-color")
        if ink in (None, "currentcolor", "inherit"):
            ink = self.value(element, "color")
        ink_rgba = _rgba(ink) if ink else (0.0, 0.0, 0.0, 1.0)
        if ink_rgba is None:
            return False  # a colour we cannot read: taken as seen
        if ink_rgba[3] <= 0.05:
            return True
        paper = self.paper(element)
        if paper is None:
            return False  # drawn on an image or a gradient: not decided here
        return _contrast(_over(ink_rgba, paper), paper) < 1.25  # as the office readers

    def paper(self, element: Any) -> tuple[float, float, float] | None:  # noqa: ANN401
        """The opaque colour an element's text is drawn on: the nearest background set on
        it or its ancestors (the page's white where none), None under an image."""
        layers = []
        for node in [element, *element.parents]:
            if node.name is None:
                break
            image = self.value(node, "background-image") or ""
            background = self.value(node, "background") or ""
            if (
                "url(" in image
                or "gradient(" in image
                or "url(" in background
                or ("gradient(" in background)
            ):
                return None
            colour = self.value(node, "background-color")
            rgba = _rgba(colour) if colour else None
            if rgba is not None and rgba[3] > 0:
                layers.append(rgba)
                if rgba[3] >= 0.999:
                    break
        paper = (1.0, 1.0, 1.0)
        for rgba in reversed(layers):
            paper = _over(rgba, paper)
        return paper

    def covering(self, element: Any) -> bool:  # noqa: ANN401
        """An element laid over the whole of its containing block, painted opaque: what the
        block holds beneath it is not seen."""
        position = self.value(element, "position")
        if position not in ("absolute", "fixed"):
            return False
        z = self.value(element, "z-index") or ""
        if z.startswith("-"):
            return False
        colour = self.value(element, "background-color")
        rgba = _rgba(colour) if colour else None
        if rgba is None or rgba[3] < 0.95 or self.box_hidden(element):
            return False
        get = self.styles.declared[id(element)].get

        def zero(name: str) -> bool:
            return (get(name) or "").strip() in ("0", "0px", "0%")

        inset = (get("inset") or "").split()
        full = (get("width") or "") == "100%" and (get("height") or "") == "100%"
        return (bool(inset) and all(part in ("0", "0px", "0%") for part in inset)) or (
            zero("top") and zero("left") and (full or (zero("right") and zero("bottom")))
        )

    def reversed_text(self, element: Any) -> bool:  # noqa: ANN401
        """Drawn in the opposite order: `<bdo dir="rtl">` or `unicode-bidi: bidi-override`
        with `direction: rtl` (`%59` shows as `95%`)."""
        for node in [element, *element.parents]:
            if node.name is None:
                break
            direction = (node.get("dir") or "").lower() if node.name == "bdo" else None
            override = node.name == "bdo" or (self.value(node, "unicode-bidi") or "") in (
                "bidi-override",
                "isolate-override",
            )
            if override:
                return (direction or self.value(node, "direction") or "ltr") == "rtl"
        return False

    def pseudo_text(self, element: Any, which: str) -> str:  # noqa: ANN401
        """The text `::before`/`::after` draws into the element (strings and `attr()`)."""
        declared = self.styles.pseudo.get((id(element), which))
        content = declared.get("content") if declared else None
        if not content or content in ("none", "normal", '""', "''"):
            return ""
        if declared.get("display") == "none" or declared.get("visibility") in ("hidden",):
            return ""
        ink = declared.get("color")
        rgba = _rgba(ink) if ink else None
        if rgba is not None and rgba[3] <= 0.05:
            return ""
        import tinycss2

        out = []
        for token in tinycss2.parse_component_value_list(content):
            if token.type == "string":
                out.append(token.value)
            elif token.type == "function" and token.lower_name == "attr":
                name = tinycss2.serialize(token.arguments).strip()
                out.append(str(element.get(name) or ""))
        return "".join(out)


def _colour_in(background: str | None) -> str | None:
    """The colour of a `background` shorthand (its last colour-like word)."""
    if not background:
        return None
    import tinycss2

    colour = None
    for token in tinycss2.parse_component_value_list(background):
        if token.type in ("ident", "hash", "function") and _rgba_token(token) is not None:
            colour = tinycss2.serialize([token])
    return colour


def _size_in(font: str | None) -> str | None:
    """The size of a `font` shorthand (`bold 12px/1.5 宋体`, `0/0 a`)."""
    if not font:
        return None
    for word in re.split(r"[\s/]+", font):
        if (
            word in _SIZE_WORDS
            or _LENGTH.fullmatch(word)
            and (not re.fullmatch(r"[0-9]+", word) or word == "0")
        ):
            return word
    return None


def _number(value: str) -> float | None:
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(%?)\s*", value or "")
    if match is None:
        return None
    return float(match.group(1)) / (100 if match.group(2) else 1)


def _px(value: str, inherited: float) -> float:
    value = value.strip()
    if value in _SIZE_WORDS:
        return _SIZE_WORDS[value]
    if value == "smaller":
        return inherited / 1.2
    if value == "larger":
        return inherited * 1.2
    match = _LENGTH.fullmatch(value)
    if match is None:
        return inherited  # calc(), clamp() …: not decided here
    number, unit = float(match.group(1)), (match.group(2) or "px")
    factor = {
        "px": 1, "pt": 4 / 3, "pc": 16, "em": inherited, "rem": _ROOT_PX, "ex": inherited / 2,
        "ch": inherited / 2, "%": inherited / 100, "vw": 19.2, "vh": 10.8, "cm": 96 / 2.54,
        "mm": 96 / 25.4, "in": 96, "q": 96 / 101.6,
    }[unit]  # fmt: skip
    if unit == "px" and match.group(2) is None and number != 0:
        return inherited  # a bare number is no length (quirks aside)
    return number * factor


def _tiny(value: str) -> bool:
    """A length of at most one pixel (0, 0px, 0.5px, 0%)."""
    match = _LENGTH.fullmatch((value or "").strip())
    return match is not None and float(match.group(1)) <= (1 if match.group(2) == "px" else 0)


def _far_off(value: str) -> bool:
    match = _FAR.match(value or "")
    return match is not None and float(match.group(1)) >= _FAR_ENOUGH.get(match.group(2), 500)


def _rgba_token(token: Any) -> tuple[float, float, float, float] | None:  # noqa: ANN401
    import tinycss2.color4 as color4

    try:
        parsed = color4.parse_color(token)
    except Exception:  # noqa: BLE001 - a value no colour parser reads
        return None
    if parsed is None or isinstance(parsed, str):
        return None
    try:
        srgb = parsed.to("srgb")
    except Exception:  # noqa: BLE001
        return None
    r, g, b = (min(1.0, max(0.0, float(c))) for c in srgb.coordinates)
    return r, g, b, float(parsed.alpha)


def _rgba(text: str) -> tuple[float, float, float, float] | None:
    text = text.strip()
    if re.fullmatch(r"[0-9a-f]{6}|[0-9a-f]{3}", text):
        text = "#" + text  # `bgcolor="ffffff"`: browsers read it so
    return _rgba_token(text)


def _over(top: tuple[float, float, float, float], under: tuple[float, float, float]) -> tuple:
    alpha = top[3]
    return tuple(top[i] * alpha + under[i] * (1 - alpha) for i in range(3))


def _luminance(rgb: tuple) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple, b: tuple) -> float:
    """WCAG contrast ratio: 1 for the same colour, 21 for black on white."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
