"""Indicator names: the one place that decides when two written names are the same indicator.

Rules, in order (each tested in tests/test_indicator_index.py):
1. NFKC: full-width letters, digits, brackets and % become half-width; traditional, variant
   and rare look-alike Han characters are written as the common one (`textpolicy.fold_han`:
   `滿意度`, `靑年` fold to `满意度`, `青年`, so one indicator is not split in two);
2. all white space goes (PDF line wraps and table padding put spaces inside names);
3. trailing annotations in brackets such as (必填), (选填) go;
4. a trailing bracket holding a unit, `项目计划完成率（%）`, `保障在职职工人数(人)`, gives the
   unit and goes from the key.
The name as written is never changed: only the grouping key and the unit come from here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .textpolicy import fold_han

ANNOTATIONS = frozenset({"必填", "选填", "可选", "必选", "备选", "自定义", "参考"})
# Characters units are made of; a bracket of at most 4 of them (and /) is a unit.
_UNIT_CHARS = set(
    "%‰℃°人个次天日月年周时分秒元万亿千百户辆台项件所家座间套张册本场期批吨斤克升米亩公里平方"
    "立方千瓦度株棵头只处条篇份位名例课节学时小kmgtKMGTwWhHlLsS²³"
)
_TRAILING_BRACKET = re.compile(r"\(([^()]*)\)$")


@dataclass(frozen=True, slots=True)
class NameKey:
    key: str  # grouping key
    unit: str  # unit written into the name ('' when none)


def _is_unit(text: str) -> bool:
    bare = text.replace("/", "")
    return 0 < len(bare) <= 4 and all(char in _UNIT_CHARS for char in bare)


# Both functions are pure and called for every indicator row of every build (index, lint,
# comparison): a site has far fewer distinct names than rows. Bounded memo, same answers.
@lru_cache(maxsize=1 << 16)
def normalise_name(written: str) -> NameKey:
    text = fold_han(written)  # NFKC, then the Han characters drawn alike
    text = re.sub(r"\s+", "", text)
    unit = ""
    while True:
        match = _TRAILING_BRACKET.search(text)
        if not match:
            break
        inner = match.group(1)
        if inner in ANNOTATIONS:
            text = text[: match.start()]
        elif not unit and _is_unit(inner):
            unit = inner
            text = text[: match.start()]
        else:
            break
    return NameKey(text or unicodedata.normalize("NFKC", written).strip(), unit)


@lru_cache(maxsize=1 << 12)
def normalise_level(written: str) -> str:
    """Level labels compare after NFKC and without white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", written or ""))
