"""What a cell's value looks like: a target, an operator, a unit, a weight, an amount."""

from __future__ import annotations

import re

from ..money import parse_yuan
from ..problems import ValueProblem
from .textutil import fold, squash

OPERATORS = (
    "=",
    "==",
    ">=",
    "<=",
    ">",
    "<",
    "≥",
    "≤",
    "≠",
    "≈",
    "大于",
    "小于",
    "等于",
    "大于等于",
    "小于等于",
    "不低于",
    "不高于",
    "不少于",
    "不超过",
    "不大于",
    "不小于",
)
_OPERATOR_START = re.compile(
    r"^(>=|<=|==|[=<>≥≤≈≠]|大于|小于|等于|不低于|不高于|不少于|不超过|"
    r"不大于|不小于|至少|达到|高于|低于|超过)"
)
_NUMBER_START = re.compile(r"^[+-]?\d")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
# Words that qualitative targets are made of (是/否, 健全, 稳步提高, 有效提升, 明显改善 …).
_QUALITATIVE = re.compile(
    r"(^(是|否|有|无|高|好|优|良|优秀|优良|良好|合格|达标|长期|中期|短期|及时|按时|准时|完成|"
    r"全部|全覆盖|正常|规范|健全|完善|合理|稳定|安全|明显|显著|满意|较好|较高|持续)$)|"
    r"(提高|提升|改善|增长|增加|扩大|减少|降低|下降|规范|健全|完善|合理|稳定|良好|优良|明显|显著|"
    r"达标|合格|完成|到位|及时|有效|长期|持续|加强|增强|巩固|保障|落实|推进|改进|促进|满意)$"
)
_UNIT = re.compile(r"^(%|‰|[^\d\s,.]{1,4}(/[^\d\s,.]{1,3})?)$")
_NATURE = re.compile(r"^(正向|反向|中性|定量|定性|正向指标|反向指标|越大越好|越小越好)$")
_WEIGHT = re.compile(r"^\d{1,3}(\.\d+)?(分|%)?$")


def is_operator(text: str) -> bool:
    return fold(text) in OPERATORS or squash(text) in {"＝", "═", "≧", "≦"}


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(fold(text)))


# An indicator's name that opens with a number (`7 岁以下儿童健康管理率`, `0-6 岁儿童…覆盖率`):
# many words after the number, ending in what names measure, not in a unit or a deadline.
_NAME_AFTER_NUMBER = re.compile(
    r"^[+-]?\d+(\.\d+)?([-~～—至]\d+(\.\d+)?)?\s*[\u4e00-\u9fff]{1,3}"
    r"[\u4e00-\u9fff、（）()]{4,}(率|数|量|度|比例|比重|指数|人数|次数|面积|长度|占比)$"
)


def target_score(text: str) -> int:
    """3: plainly a target (operator, number, percent, qualitative word); 1: could be one."""
    key = squash(text)
    if not key:
        return 0
    if _NUMBER_START.match(key) and _NAME_AFTER_NUMBER.match(key):
        return 1
    if _OPERATOR_START.match(key) or _NUMBER_START.match(key) or key.endswith("%"):
        return 3
    if len(key) <= 8 and _QUALITATIVE.search(key):
        return 3
    return 1


def is_unit(text: str) -> bool:
    return bool(_UNIT.match(squash(text)))


def is_nature(text: str) -> bool:
    return bool(_NATURE.match(squash(text)))


def weight_score(text: str) -> int:
    key = squash(text)
    if _WEIGHT.match(key):
        return 3
    return 1 if is_number(key) else 0


def amount_in_yuan(written: str, scale_wan: bool) -> int | None:
    """`9,900,000` → 9900000; `250万` → 2500000; `3` in a 万元 table → 30000; None if not money."""
    text = squash(written)
    if not text:
        return None
    if scale_wan and re.fullmatch(r"[\d,.]+", text):
        text += "万元"
    try:
        return parse_yuan(text)
    except ValueProblem:
        return None


def has_explicit_unit(written: str) -> bool:
    return bool(re.search(r"(万元|万|元)$", squash(written)))


# How a page declares the unit of its money: 单位:万元, 金额单位:万元, (万元) over a column.
_PAGE_WAN = re.compile(r"[（(]\s*万元\s*[)）]|单位\s*[:：]\s*万元")
_PAGE_YUAN = re.compile(r"[（(]\s*元\s*[)）]|单位\s*[:：]\s*元")
# A bare amount in a form: a number not followed by a unit, a percent or a date part.
_BARE_AMOUNT = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?![\d.,]|\s*(?:万|元|%|％|年|月|日|号))")


def page_unit(page: str, header: str) -> str | None:
    """The unit of a form's bare amounts when the form names none (`年度资金总额: | 500`), read
    from the page the form is published on: 元 when the page declares 元 anywhere
    (`金额单位:元`); 万元 when a notice over the form prints one of the same amounts in 万元
    (`现将产业建设资金500万元下达你们`) or the page's other tables are declared in 万元 (`单位:万元`
    over the allocation table); None when nothing on the page says it. A None is not 元: the
    amount is kept as written and the editor asked (see HeaderReader.bare_amounts)."""
    if _PAGE_YUAN.search(page):
        return "元"
    if _PAGE_WAN.search(page):
        return "万元"
    for bare in {m.group() for m in _BARE_AMOUNT.finditer(header)}:
        if re.search(rf"(?<![\d.,]){re.escape(bare)}\s*万元", page):
            return "万元"
    return None
