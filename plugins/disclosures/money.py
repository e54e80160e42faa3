"""Money: exact integer 元 (yuan), parsed from what editors write, formatted for readers."""

from __future__ import annotations

import re
from decimal import Decimal, Inexact, InvalidOperation, localcontext

from .problems import ValueProblem
from .text import fold, shorten

# ASCII digits only (\d would take ١٢٣ and other scripts' digits); matched whole.
_AMOUNT = re.compile(
    r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>万元|万|元)?"
)
_SCALE = {None: 1, "元": 1, "万": 10_000, "万元": 10_000}
MAX_YUAN = 10**15  # a thousand trillion yuan: beyond any real budget line
# Digits written in one amount: 10^15 yuan has 16; decimals of 万元 add a few. Longer amounts
# are refused by their length, before any arithmetic.
MAX_DIGITS = 24


def parse_yuan(written: str) -> int:
    """`9900000`, `9,900,000`, `9,900,000元`, `250万`, `6.30万元` → integer yuan.

    Decimal arithmetic only: an amount that is not a whole number of yuan is refused
    rather than rounded.
    """
    text = fold(written)
    shown = shorten(written)
    digits = sum(char.isdigit() for char in text)
    if digits > MAX_DIGITS:
        raise ValueProblem(
            f"金额“{shown}”有 {digits} 位数字，上限 {MAX_DIGITS} 位",
            f"amount {shown!r} has {digits} digits; at most {MAX_DIGITS}",
        )
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise ValueProblem(
            f"金额应写成元的整数（如 9900000）或带单位（如 250万、6.30万元），而不是“{shown}”",
            f"amount must be whole yuan (e.g. 9900000) or carry a unit (250万, 6.30万元), "
            f"not {shown!r}",
        )
    # Exact: enough precision for MAX_DIGITS digits times 10,000, and any rounding trapped.
    with localcontext() as context:
        context.prec = MAX_DIGITS + 8
        context.traps[Inexact] = True
        try:
            value = Decimal(match["number"].replace(",", "")) * _SCALE[match["unit"]]
        except (InvalidOperation, Inexact) as exc:  # pragma: no cover - digits are capped
            raise ValueProblem(f"无法识别的金额“{shown}”", f"unreadable amount {shown!r}") from exc
    if value != value.to_integral_value():
        raise ValueProblem(
            f"金额“{shown}”换算后不是整数元（{value} 元）",
            f"amount {shown!r} is not a whole number of yuan ({value})",
        )
    if value > MAX_YUAN:
        raise ValueProblem(f"金额“{shown}”大得不合理", f"amount {shown!r} is implausibly large")
    return int(value)


# 分 (fen, 0.01 元) per unit a self-evaluation prints its funds in: its amounts are exact to
# the 分 (215,457.6 元, 387664.62 元), not to the 元 like a target table's budget.
FEN_PER_UNIT = {"元": 100, "万元": 1_000_000}


def to_fen(amount: Decimal, unit: str) -> int:
    """An amount as printed in `unit` (元 or 万元) → exact integer 分.

    An amount finer than 1 分 (0.001 元, 0.0000001 万元) is refused rather than rounded.
    """
    # Exact: parse_number allows 24 + 12 digits; a context of 50 digits with rounding trapped.
    with localcontext() as context:
        context.prec = 50
        context.traps[Inexact] = True
        fen = amount * FEN_PER_UNIT[unit]
        yuan = format((fen / 100).normalize(), "f")
    if fen != fen.to_integral_value():
        shown = f"{amount}{unit}" if unit == "元" else f"{amount}{unit}（{yuan} 元）"
        raise ValueProblem(
            f"金额 {shown} 比 1 分还细：金额最多精确到分（元最多两位小数，万元最多六位小数）",
            f"amount {amount} {unit} is finer than 1 fen ({yuan} yuan): amounts are exact to "
            "the fen at most (2 decimals of 元, 6 of 万元)",
        )
    return int(fen)


def format_yuan(yuan: int) -> str:
    """9900000 → '9,900,000'."""
    return f"{yuan:,}"


def format_wan(yuan: int) -> str:
    """9900000 → '990.00' (万元, two decimals, rounded half up)."""
    wan = (Decimal(yuan) / 10_000).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    return f"{wan:,}"


def ratio_percent(part: int, whole: int) -> str | None:
    """part / whole as a percentage with one decimal, or None when whole is 0."""
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding="ROUND_HALF_UP"
    )
    return f"{value}%"


def change_percent(new: int, old: int) -> str | None:
    """Signed change of new against old, e.g. '+11.2%', or None when old is 0."""
    if not old:
        return None
    value = ((Decimal(new) - old) * 100 / Decimal(old)).quantize(
        Decimal("0.1"), rounding="ROUND_HALF_UP"
    )
    return f"{value:+}%"
