"""Dates as real tables write them, kept to the precision written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from .pickling import quick_pickle
from .problems import ValueProblem
from .text import fold

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)


@quick_pickle
@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date to the precision written: year-month or year-month-day."""

    year: int
    month: int
    day: int | None = None
    written: str = field(default="", compare=False)  # as the editor wrote it

    def iso(self) -> str:
        base = f"{self.year:04d}-{self.month:02d}"
        return base if self.day is None else f"{base}-{self.day:02d}"

    def zh(self) -> str:
        base = f"{self.year}年{self.month}月"
        return base if self.day is None else f"{base}{self.day}日"


_SEP = r"[-./]"
# Matched whole (fullmatch) and ASCII digits only (re.ASCII: \d would take other scripts').
_DATE_PATTERNS = [
    re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})", re.ASCII),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?", re.ASCII),
    re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})", re.ASCII),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?", re.ASCII),
]
_EXCEL_SERIAL = re.compile(r"(?P<n>\d{2},?\d{3})", re.ASCII)
# The longest real period is ~30 characters (`2021年01月01日至2021年12月31日`); a longer one
# is refused before the split below, which tries every hyphen (quadratic: 0.5 s for 32,000).
MAX_PERIOD = 60

_RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|–|－)\s*")
_YEAR_LESS = re.compile(r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?", re.ASCII)

_INVALID = (
    "日期“{w}”无法识别（可写 2020-01-01、2020-01、202001、2020.07 或 2020年1月）",
    "unreadable date {w!r} (write 2020-01-01, 2020-01, 202001, 2020.07 or 2020年1月)",
)


def _bad(written: str) -> ValueProblem:
    return ValueProblem(_INVALID[0].format(w=written), _INVALID[1].format(w=written))


def _make(year: int, month: int, day: int | None, written: str) -> PartialDate:
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        raise ValueProblem(f"日期“{written}”不存在", f"date {written!r} does not exist") from None
    if not 1900 <= year <= 2200:
        raise ValueProblem(f"日期“{written}”的年份不合理", f"implausible year in {written!r}")
    return PartialDate(year, month, day)


def parse_date(written: str) -> PartialDate:
    text = fold(written)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            day = match.groupdict().get("d")
            date = _make(int(match["y"]), int(match["m"]), int(day) if day else None, written)
            return replace(date, written=written)
    match = _EXCEL_SERIAL.fullmatch(text)
    if match:
        serial = int(match["n"].replace(",", ""))
        if 20_000 <= serial <= 80_000:  # 1954..2118: Excel serials that real tables carry
            day = _EXCEL_EPOCH + dt.timedelta(days=serial)
            return PartialDate(day.year, day.month, day.day, written)
    raise _bad(written)


@quick_pickle
@dataclass(frozen=True, slots=True)
class Period:
    written: str
    start: PartialDate
    end: PartialDate


def parse_period(written: str) -> Period:
    """`202001-202012`, `2023.07-2024.01`, `2020-01-01至2020-12-31`, `2021年1月-12月`."""
    if len(written) > MAX_PERIOD:
        raise ValueProblem(
            f"起止时间过长（{len(written)} 字，上限 {MAX_PERIOD}）",
            f"period too long ({len(written)} characters, limit {MAX_PERIOD})",
        )
    text = fold(written)
    parts = _RANGE_SPLIT.split(text)
    if len(parts) != 2:
        # A hyphen both separates dates and sits inside them: try every hyphen as the split.
        parts = []
        for i, char in enumerate(text):
            if char == "-":
                head, tail = text[:i].strip(), text[i + 1 :].strip()
                try:
                    start = parse_date(head)
                except ValueProblem:
                    continue
                end = _end_of_range(tail, start, written)
                if end is not None:
                    return Period(written, *_ordered(start, end, written))
        raise ValueProblem(
            f"起止时间“{written}”无法识别（如 202001-202012、2023.07-2024.01）",
            f"unreadable period {written!r} (e.g. 202001-202012, 2023.07-2024.01)",
        )
    start = parse_date(parts[0])
    end = _end_of_range(parts[1], start, written)
    if end is None:
        raise _bad(parts[1])
    return Period(written, *_ordered(start, end, written))


def _end_of_range(text: str, start: PartialDate, written: str) -> PartialDate | None:
    match = _YEAR_LESS.fullmatch(text)
    if match:  # "2021年1月-12月": the end inherits the start's year
        day = match["d"]
        return _make(start.year, int(match["m"]), int(day) if day else None, written)
    try:
        return parse_date(text)
    except ValueProblem:
        return None


def _ordered(start: PartialDate, end: PartialDate, written: str) -> tuple[PartialDate, PartialDate]:
    if (end.year, end.month, end.day or 31) < (start.year, start.month, start.day or 1):
        raise ValueProblem(
            f"起止时间“{written}”结束早于开始", f"period {written!r} ends before it starts"
        )
    return start, end
