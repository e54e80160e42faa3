"""What an .xlsx cell shows a reader: its colours against its fill (theme, tint, palette,
the number format's own `[White]`, conditional formats) and the number formats Excel writes
in other notations (scientific `0.00E+00`, Chinese numerals `[DBNum1]`, fractions `# ?/?`),
and text formats (`@"吨"`, a text section).

Red-team, ninth session: each of these imported something other than what Excel shows. A row
in white by a conditional format or the number format's `[White]`, a theme colour tinted to
near white, a palette white (`indexed="9"`), red on a red fill: a sixth indicator nobody
sees. 123456 as `1.23E+05`, 123 as `一百二十三`, 0.5 as `1/2`, `500` shown `500吨`: another
value in the draft than in the table.
"""

from __future__ import annotations

import colorsys
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from .errors import InputRefused

WHITE = "FFFFFF"
BLACK = "000000"
# Excel's default theme (Office 2013+), in the order a colour's `theme` index counts:
# lt1, dk1, lt2, dk2, accent1–6, hlink, folHlink.
_DEFAULT_THEME = [
    "FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000",
    "5B9BD5", "70AD47", "0563C1", "954F72",
]  # fmt: skip
_FORMAT_COLOURS = {
    "black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00",
    "blue": "0000FF", "yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF",
}  # fmt: skip
_SMALLEST_POINTS = 2
# Contrast under which text is not read (WCAG ratio; #E6E6E6 on white is 1.25, text needs 4.5)
FAINT = 1.25


def theme_colours(book: Any) -> list[str]:  # noqa: ANN401 - an openpyxl Workbook
    """The workbook's theme colours in `theme` index order, Excel's default where none."""
    raw = getattr(book, "loaded_theme", None)
    if not raw:
        return list(_DEFAULT_THEME)
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    scheme = re.search(r"<(?:\w+:)?clrScheme\b.*?</(?:\w+:)?clrScheme>", text, re.S)
    if scheme is None:
        return list(_DEFAULT_THEME)
    found: dict[str, str] = {}
    for name, body in re.findall(r"<(?:\w+:)?(\w+)>(.*?)</(?:\w+:)?\1>", scheme.group(0), re.S):
        value = re.search(r'(?:srgbClr val|lastClr)="([0-9A-Fa-f]{6})"', body)
        if value:
            found[name] = value.group(1).upper()
    order = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4",
             "accent5", "accent6", "hlink", "folHlink"]  # fmt: skip
    return [found.get(name, default) for name, default in zip(order, _DEFAULT_THEME, strict=True)]


def rgb(color: Any, theme: list[str], default: str | None) -> str | None:  # noqa: ANN401
    """RRGGBB an openpyxl Color draws: explicit, theme (with its tint), palette; `default`
    for automatic."""
    if color is None:
        return default
    base: str | None = None
    if (
        color.type == "rgb"
        and isinstance(color.rgb, str)
        and re.fullmatch(r"[0-9A-Fa-f]{6,8}", color.rgb)
    ):
        base = color.rgb[-6:].upper()
    elif color.type == "theme" and isinstance(color.theme, int) and 0 <= color.theme < len(theme):
        base = theme[color.theme]
    elif color.type == "indexed" and isinstance(color.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if color.indexed < len(COLOR_INDEX):
            base = COLOR_INDEX[color.indexed][-6:].upper()
        elif color.indexed == 65:
            base = WHITE  # the system background
        else:
            return default  # 64: the system foreground, automatic
    if base is None:
        return default
    tint = float(color.tint or 0)
    return _tinted(base, tint) if tint else base


def _tinted(hex6: str, tint: float) -> str:
    """Excel's tint: the colour's HLS lightness moved toward black (< 0) or white (> 0)."""
    r, g, b = (int(hex6[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, lightness, s)
    return "".join(f"{round(c * 255):02X}" for c in (r, g, b))


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two RRGGBB colours (1: the same, 21: black on white)."""

    def luminance(hex6: str) -> float:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(int(hex6[i : i + 2], 16) / 255) for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def format_colour(section: str) -> str | None:
    """The colour a number format's section sets (`[White]`, `[Red]`, `[Color2]`)."""
    from openpyxl.styles.colors import COLOR_INDEX

    for word in re.findall(r"\[([^\]]*)\]", section):
        word = word.strip().lower()
        if word in _FORMAT_COLOURS:
            return _FORMAT_COLOURS[word]
        numbered = re.fullmatch(r"color\s*([0-9]{1,2})", word)
        if numbered and 1 <= int(numbered.group(1)) <= 56:
            return COLOR_INDEX[int(numbered.group(1)) + 7][-6:].upper()
    return None


class CellLook:
    """Ink and paper of the cells of one sheet, conditional formats included."""

    def __init__(self, sheet: Any, theme: list[str]) -> None:  # noqa: ANN401
        self.theme = theme
        self.rules: list[tuple[Any, Any]] = []  # (cell ranges, rule), by priority
        for formatting in sheet.conditional_formatting:
            for rule in formatting.rules:
                self.rules.append((formatting.sqref, rule))
        self.rules.sort(key=lambda pair: pair[1].priority or 0)
        self.undecided: list[str] = []

    def base(self, cell: Any, section: str) -> dict[str, Any]:  # noqa: ANN401
        font, fill = cell.font, cell.fill
        look: dict[str, Any] = {
            "ink": format_colour(section) or rgb(font.color if font else None, self.theme, BLACK),
            "paper": _paper(fill, self.theme),
            "hide": False,
            "small": bool(
                font is not None and font.sz is not None and float(font.sz) < _SMALLEST_POINTS
            ),
        }
        return look

    def unseen(self, cell: Any, section: str) -> bool:  # noqa: ANN401
        """The cell holds a value a reader does not see."""
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            return False
        look = self.base(cell, section)
        applied: dict[str, Any] = {}
        for ranges, rule in self.rules:
            if cell.coordinate not in ranges:
                continue
            effect = _dxf_effect(rule.dxf, self.theme)
            if not effect:
                continue
            verdict = _condition(rule, cell.value)
            if verdict is None:
                with_rule = {**look, **effect, **applied}
                if _hidden(with_rule) != _hidden({**look, **applied}):
                    self.undecided.append(cell.coordinate)
                continue
            if verdict:
                for key, value in effect.items():
                    applied.setdefault(key, value)
                if rule.stopIfTrue:
                    break
        return _hidden({**look, **applied})

    def refuse_undecided(self, path: Any, sheet: str) -> None:  # noqa: ANN401
        if not self.undecided:
            return
        cells = "、".join(self.undecided[:5]) + (" 等" if len(self.undecided) > 5 else "")
        raise InputRefused(
            f"{path}：工作表“{sheet}”的单元格 {cells} 有条件格式，条件成立时文字与底色相同"
            "（看不见），导入无法判断条件是否成立。请在 Excel 或 WPS 中删除这些条件格式"
            "（开始 → 条件格式 → 清除规则）后保存，再导入",
            f"{path}: sheet “{sheet}”: cells {', '.join(self.undecided[:5])} have conditional "
            "formats that hide their text when a condition holds, and the importer cannot "
            "tell whether it does. Clear those rules in Excel or WPS (Home → Conditional "
            "Formatting → Clear Rules), save, then import",
        )


def _paper(fill: Any, theme: list[str]) -> str | None:  # noqa: ANN401
    if fill is None or getattr(fill, "fill_type", None) in (None, "none"):
        return WHITE
    if fill.fill_type == "solid":
        return rgb(fill.fgColor, theme, WHITE)
    return None  # patterns and gradients: not decided here


def _dxf_effect(dxf: Any, theme: list[str]) -> dict[str, Any]:  # noqa: ANN401
    """What a conditional format's style changes: ink, paper, a format showing nothing."""
    effect: dict[str, Any] = {}
    if dxf is None:
        return effect
    if dxf.font is not None and dxf.font.color is not None:
        colour = rgb(dxf.font.color, theme, None)
        if colour:
            effect["ink"] = colour
    fill = dxf.fill
    if fill is not None and getattr(fill, "fill_type", None) not in ("none",):
        # A conditional format's solid fill keeps its colour in bgColor (Excel writes it so).
        colour = None
        for attr in ("bgColor", "fgColor"):
            value = getattr(fill, attr, None)
            if value is not None and (value.rgb not in (None, "00000000") or value.type != "rgb"):
                colour = rgb(value, theme, None)
                if colour:
                    break
        if colour:
            effect["paper"] = colour
    if dxf.numFmt is not None and shows_nothing(dxf.numFmt.formatCode):
        effect["hide"] = True
    return effect


def _hidden(look: dict[str, Any]) -> bool:
    if look["hide"] or look["small"]:
        return True
    ink, paper = look["ink"], look["paper"]
    return ink is not None and paper is not None and contrast(ink, paper) < FAINT


def shows_nothing(number_format: str | None) -> bool:
    """A number format whose sections are all empty (`;;;`, `;;`): the value is not shown."""
    return bool(number_format) and ";" in number_format and not number_format.strip("; ")


_CONSTANT = re.compile(
    r'\s*(?:"((?:[^"]|"")*)"|([+-]?[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)|'
    r"(TRUE|FALSE))\s*",
    re.I,
)


def _constant(formula: str) -> object:
    match = _CONSTANT.fullmatch(formula or "")
    if match is None:
        return _UNKNOWN
    if match.group(1) is not None:
        return match.group(1).replace('""', '"')
    if match.group(2) is not None:
        return float(match.group(2))
    return match.group(3).upper() == "TRUE"


_UNKNOWN = object()


def _condition(rule: Any, value: object) -> bool | None:  # noqa: ANN401
    """Whether a conditional format's condition holds for `value`; None when it depends on
    more than the cell and constants (a formula, other cells, ranks)."""
    kind = rule.type
    text = "" if value is None else str(value)
    if kind == "expression":
        constant = _constant((rule.formula or [""])[0])
        if constant is _UNKNOWN or isinstance(constant, str):
            return None
        return bool(constant)
    if kind in ("containsText", "notContainsText", "beginsWith", "endsWith"):
        needle = (rule.text or "").lower()
        hay = text.lower()
        return {
            "containsText": needle in hay, "notContainsText": needle not in hay,
            "beginsWith": hay.startswith(needle), "endsWith": hay.endswith(needle),
        }[kind]  # fmt: skip
    if kind == "containsBlanks":
        return not text.strip()
    if kind == "notContainsBlanks":
        return bool(text.strip())
    if kind == "notContainsErrors":
        return not text.startswith("#")
    if kind == "containsErrors":
        return text.startswith("#")
    if kind == "cellIs":
        limits = [_constant(f) for f in rule.formula or []]
        if not limits or any(limit is _UNKNOWN for limit in limits):
            return None
        return _compare(rule.operator, value, limits)
    return None  # ranks, averages, duplicates, dates: not decided here


def _compare(operator: str | None, value: object, limits: list) -> bool | None:
    def key(item: object) -> tuple:
        if isinstance(item, bool):
            return (2, item)
        if isinstance(item, (int, float)):
            return (0, float(item))
        return (1, str(item).lower())

    if value is None:
        value = 0.0
    v, first = key(value), key(limits[0])
    if operator in ("between", "notBetween"):
        if len(limits) < 2:
            return None
        low, high = sorted([first, key(limits[1])])
        inside = low <= v <= high
        return inside if operator == "between" else not inside
    return {
        "equal": v == first, "notEqual": v != first, "greaterThan": v > first,
        "greaterThanOrEqual": v >= first, "lessThan": v < first, "lessThanOrEqual": v <= first,
    }.get(operator or "", None)  # fmt: skip


# --- notations: scientific, Chinese numerals, fractions, text sections ------------------------

_LOWER = "零一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"
_FULL = "０１２３４５６７８９"


def chinese_numerals(number: Decimal, style: int) -> str:
    """`[DBNum1]` (一百二十三), `[DBNum2]` (壹佰贰拾叁), `[DBNum3]` (１百２十３) as Excel
    writes a number in Chinese: units 十百千 within each group of four digits, 万 and 亿."""
    digits = {1: _LOWER, 2: _UPPER, 3: _FULL}[style]
    units = ("", "十", "百", "千") if style != 2 else ("", "拾", "佰", "仟")
    sign = "负" if number < 0 else ""
    number = abs(number)
    whole = int(number)
    fraction = format(number - whole, "f").partition(".")[2].rstrip("0")

    def group(n: int) -> str:
        out, zero = "", False
        for place in (3, 2, 1, 0):
            d = n // 10**place % 10
            if d:
                if zero and out:
                    out += digits[0]
                out += digits[d] + units[place]
                zero = False
            else:
                zero = True
        return out

    parts, n, index = [], whole, 0
    big = ("", "万", "亿", "万亿")
    while n:
        n, chunk = divmod(n, 10_000)
        if chunk:
            text = group(chunk) + big[min(index, 3)]
            if parts and chunk < 1000:
                text += digits[0]
            parts.append(text)
        elif parts and not parts[-1].startswith(digits[0]):
            parts.append(digits[0])
        index += 1
    text = "".join(reversed(parts)).rstrip(digits[0]) or digits[0]
    if style == 1 and text.startswith("一十"):
        text = text[1:]  # 十二, not 一十二 (Excel's [DBNum1])
    if fraction:
        text += "." + "".join(digits[int(d)] for d in fraction)
    return sign + text


def scientific(number: Decimal, core: str) -> str:
    """`0.00E+00` on 123456 → 1.23E+05; `##0.0E+0` (engineering) keeps the exponent a
    multiple of the integer placeholders."""
    mantissa_part, _, exponent_part = core.upper().partition("E")
    integer, _, decimals = mantissa_part.partition(".")
    places = len(re.sub(r"[^0#?]", "", decimals))
    exponent_digits = max(1, len(re.sub(r"[^0#?]", "", exponent_part)))
    sign_always = exponent_part.startswith("+")
    step = len(re.sub(r"[^0#?]", "", integer)) if "#" in integer else 1
    step = max(1, step)
    if number == 0:
        exponent = 0
    else:
        exponent = number.adjusted()
        exponent -= exponent % step
    mantissa = (number.scaleb(-exponent)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    if step == 1 and abs(mantissa) >= 10:
        exponent += 1
        mantissa = (number.scaleb(-exponent)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    sign = "-" if exponent < 0 else ("+" if sign_always else "")
    return f"{mantissa:.{places}f}E{sign}{abs(exponent):0{exponent_digits}d}"


def fraction(number: Decimal, core: str) -> str | None:
    """`# ?/?` on 0.5 → 1/2; `# ??/??`; a fixed denominator `# ?/8`."""
    match = re.search(
        r"([#0?]*)\s+([#0?]+)\s*/\s*([#0?]+|[0-9]+)|([#0?]+)\s*/\s*([#0?]+|[0-9]+)", core
    )
    if match is None:
        return None
    whole_part = match.group(1) is not None and match.group(1) != ""
    denominator_spec = match.group(3) or match.group(5)
    value = Fraction(number)
    negative = value < 0
    value = abs(value)
    if denominator_spec.isdigit():
        denominator = int(denominator_spec)
        approx = Fraction(round(value * denominator), denominator)
        approx = Fraction(approx.numerator, approx.denominator)
        numerator, denominator = round(value * denominator), denominator
    else:
        approx = value.limit_denominator(10 ** len(denominator_spec) - 1)
        numerator, denominator = approx.numerator, approx.denominator
    sign = "-" if negative else ""
    if whole_part:
        whole, numerator = divmod(numerator, denominator)
        if numerator == 0:
            return f"{sign}{whole}"
        return (
            f"{sign}{whole} {numerator}/{denominator}"
            if whole
            else f"{sign}{numerator}/{denominator}"
        )
    return f"{sign}{numerator}/{denominator}"


def format_sections(number_format: str) -> list[str]:
    """A number format's `;`-separated sections; a `;` inside quotes is a literal."""
    sections, current, quoted = [], "", False
    for char in number_format:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    sections.append(current)
    return sections


def text_shown(value: str, number_format: str | None) -> str | None:
    """A text cell as its format shows it: the text section (the fourth, or the only one
    holding `@`) with `@` replaced by the text and its literals around; None when the
    format leaves text as written."""
    if not number_format or number_format in ("General", "@"):
        return None
    sections = format_sections(number_format)
    if len(sections) >= 4:
        section = sections[3]
    elif "@" in re.sub(r'"[^"]*"', "", sections[0]):
        section = sections[0]
    else:
        return None
    out = []
    for piece in re.findall(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.', section):
        if piece.startswith('"'):
            out.append(piece[1:-1])
        elif piece.startswith("\\"):
            out.append(piece[1:])
        elif piece == "@":
            out.append(value)
        elif piece[0] in "[_*":
            continue
        else:
            out.append(piece)
    return "".join(out).strip()


def text_section(number_format: str | None) -> str:
    """The section a text value is drawn with (for its colour)."""
    if not number_format:
        return ""
    sections = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', number_format)
    if len(sections) >= 4:
        return sections[3]
    return sections[0] if "@" in sections[0] else ""
