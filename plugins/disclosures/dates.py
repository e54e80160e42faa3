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
@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date to the precision written: a year (`项目期：2024年`, `起始年度 2024`), a year and
    month, or a day. Nothing finer than the table says is made up: `2024年` is the year 2024,
    never 2024-01-01. Not ordered: a year and a day in it have no order."""

    year: int
    month: int | None = None
    day: int | None = None
    written: str = field(default="", compare=False)  # as the editor wrote it

    def iso(self) -> str:
        """ISO 8601 to the precision written: `2024`, `2024-07`, `2024-07-15`."""
        if self.month is None:
            return f"{self.year:04d}"
        base = f"{self.year:04d}-{self.month:02d}"
        return base if self.day is None else f"{base}-{self.day:02d}"

    def zh(self) -> str:
        if self.month is None:
            return f"{self.year}年"
        base = f"{self.year}年{self.month}月"
        return base if self.day is None else f"{base}{self.day}日"

    def first_day(self) -> dt.date:
        """The first day the date covers, for what needs a calendar day (a feed's timestamp,
        a workbook's stamp); never shown or stored as the date."""
        return dt.date(self.year, self.month or 1, self.day or 1)


_SEP = r"[-./]"
# Matched whole (fullmatch) and ASCII digits only (re.ASCII: \d would take other scripts').
_DATE_PATTERNS = [
    re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<d>\d{{1,2}})", re.ASCII),
    # PDF text often spaces the characters out: `2024 年 1 月 1 日`.
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?", re.ASCII),
    re.compile(rf"(?P<y>\d{{4}}){_SEP}(?P<m>\d{{1,2}})", re.ASCII),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?", re.ASCII),
    # A year alone, as forms print a one-year term or 起始年度 (`2024`, `2024年`, `2024年度`).
    re.compile(r"(?P<y>\d{4})(?:\s*年度?)?", re.ASCII),
]
_EXCEL_SERIAL = re.compile(r"(?P<n>\d{2},?\d{3})", re.ASCII)
# The longest real period is ~30 characters (`2021年01月01日至2021年12月31日`); a longer one
# is refused before the split below, which tries every hyphen (quadratic: 0.5 s for 32,000).
MAX_PERIOD = 60

_ONE_YEAR = re.compile(r"\d{4}(?:\s*年度?)?", re.ASCII)
_RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|～|—|–|－)\s*")
_YEAR_LESS = re.compile(r"(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?", re.ASCII)

_INVALID = (
    "日期“{w}”无法识别（可写 2020-01-01、2020-01、202001、2020.07、2020年1月 或 2020年）",
    "unreadable date {w!r} (write 2020-01-01, 2020-01, 202001, 2020.07, 2020年1月 or 2020年)",
)


def _bad(written: str) -> ValueProblem:
    return ValueProblem(_INVALID[0].format(w=written), _INVALID[1].format(w=written))


def _make(year: int, month: int | None, day: int | None, written: str) -> PartialDate:
    try:
        dt.date(year, month or 1, day or 1)
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
            month, day = match.groupdict().get("m"), match.groupdict().get("d")
            date = _make(
                int(match["y"]), int(month) if month else None, int(day) if day else None, written
            )
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
    """`202001-202012`, `2023.07-2024.01`, `2020-01-01至2020-12-31`, `2021年1月-12月`,
    `2020年-2022年`; a term of one year written as that year (`2022年`, `2021年度`) starts and
    ends in it (both ends kept at year precision)."""
    if len(written) > MAX_PERIOD:
        raise ValueProblem(
            f"起止时间过长（{len(written)} 字，上限 {MAX_PERIOD}）",
            f"period too long ({len(written)} characters, limit {MAX_PERIOD})",
        )
    text = fold(written)
    if _ONE_YEAR.fullmatch(text):
        year = parse_date(written)
        return Period(written, year, year)
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
    # A coarse end covers its whole year or month: 2024 does not end before 2024-03.
    if (end.year, end.month or 12, end.day or 31) < (start.year, start.month or 1, start.day or 1):
        raise ValueProblem(
            f"起止时间“{written}”结束早于开始", f"period {written!r} ends before it starts"
        )
    return start, end
