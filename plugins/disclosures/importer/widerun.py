"""A wide table whose cells ran together: one target column per county (or other sub-unit),
named by a list the form prints above it (`区域新罗区、永定区、…、漳平市`). The heading row then
reads `新罗区永定区…漳平市` and each row's values `2312222` or `>=95%>=95%…>=95%`.

The heading is cut only where it is exactly that list run together, and a row's values only
where the cut is certain: k single digits for k columns, or one value repeated exactly k times.
Anything else stays as printed (the draft's reader lists what it cannot place, with its line):
`12312222` under seven columns could be read several ways and is never guessed.
"""

from __future__ import annotations

import re

from .runtogether import _UNITS

_NAME = r"[\u4e00-\u9fff]{2,12}"
_LIST = re.compile(rf"{_NAME}(?:、{_NAME}){{1,40}}")
_SIGNS = "=＝≥≤≧≦<>~～-"  # after an operator, k digits are one number (>=1234), not k values
# One printed value: an optional operator, a number, an optional percent sign or short unit.
_VALUE = r"(?:>=|<=|==|[=＝≥≤≧≦<>])?\d+(?:\.\d+)?(?:%|％|‰|[\u4e00-\u9fff]{1,2})?"


def column_lists(text: str) -> list[list[str]]:
    """Every `、`-list of short names in `text` (its first name may carry the words before it)."""
    return [m.group(0).split("、") for m in _LIST.finditer(text)]


def heading_names(cell: str, lists: list[list[str]]) -> list[str] | None:
    """The column names `cell` runs together: one of `lists` exactly, joined. The list's first
    and last items may carry the words printed next to it (`…补助区域新罗区`, `漳平市资金情况`):
    the cell must then start with a tail of the first and end with a head of the last."""
    key = cell.strip()
    for items in lists:
        if len(items) < 3:
            continue
        middle = "".join(items[1:-1])
        at = key.find(middle)
        if at < 2 or key.find(middle, at + 1) >= 0:
            continue
        first, last = key[:at], key[at + len(middle) :]
        if len(last) >= 2 and items[0].endswith(first) and items[-1].startswith(last):
            return [first, *items[1:-1], last]
    return None


def split_values(cell: str, k: int) -> tuple[str, list[str], str] | None:
    """`cell` = words before, k values, words after: (before, values, after), or None when the
    cell holds no such run or the cut is not certain. Certain: the run is k digits (one
    single-digit value per column, no operator before them), or one value printed exactly k
    times (`>=95%` × 7)."""
    text = cell.strip()
    digits = re.fullmatch(rf"(?P<before>.*?[^\d.,%％{_SIGNS}]|)\s*(?P<run>\d{{{k}}})", text)
    if digits:  # k digits end the row: one digit per column (after the row's words, if any)
        return digits["before"].strip(), list(digits["run"]), ""
    for m in re.finditer(rf"(?<![\d.{_SIGNS}])(\d{{{k}}})(?=[\u4e00-\u9fff])", text):
        after = text[m.end() :]
        # k digits, then the next row's name and its 反映… explanation (no unit after them)
        if not after.startswith(_UNITS) and re.match(r"[^\d%％]{2,40}?反映", after):
            return text[: m.start()].strip(), list(m.group(1)), after
    pattern = re.compile(rf"(?P<value>{_VALUE})(?:(?P=value)){{{k - 1}}}")
    found = []
    for m in pattern.finditer(text):
        value = m["value"]
        before, after = text[: m.start()], text[m.end() :]
        if after.startswith(value) or before.endswith(value):
            continue  # more copies than columns: not k values
        if re.search(r"\d$", before) or re.match(r"[\d.]", after):
            continue  # the run starts or ends inside a longer number
        found.append((before, [value] * k, after))
    if len(found) != 1:
        return None
    return found[0]
