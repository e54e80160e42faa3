"""Money: exact integer 元 (yuan), parsed from what editors write, formatted for readers."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .problems import ValueProblem
from .text import fold

_AMOUNT = re.compile(
    r"^(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|万|元)?$"
)
_SCALE = {None: 1, "元": 1, "万": 10_000, "万元": 10_000}
MAX_YUAN = 10**15  # a thousand trillion yuan: beyond any real budget line


def parse_yuan(written: str) -> int:
    """`9900000`, `9,900,000`, `9,900,000元`, `250万`, `6.30万元` → integer yuan.

    Decimal arithmetic only: an amount that is not a whole number of yuan is refused
    rather than rounded.
    """
    text = fold(written)
    match = _AMOUNT.match(text)
    if not match:
        raise ValueProblem(
            f"金额应写成元的整数（如 9900000）或带单位（如 250万、6.30万元），而不是“{written}”",
            f"amount must be whole yuan (e.g. 9900000) or carry a unit (250万, 6.30万元), "
            f"not {written!r}",
        )
    try:
        value = Decimal(match["number"].replace(",", "")) * _SCALE[match["unit"]]
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
        raise ValueProblem(f"无法识别的金额“{written}”", f"unreadable amount {written!r}") from exc
    if value != value.to_integral_value():
        raise ValueProblem(
            f"金额“{written}”换算后不是整数元（{value} 元）",
            f"amount {written!r} is not a whole number of yuan ({value})",
        )
    if value > MAX_YUAN:
        raise ValueProblem(f"金额“{written}”大得不合理", f"amount {written!r} is implausibly large")
    return int(value)


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
