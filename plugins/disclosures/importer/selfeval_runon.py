"""Self-evaluation tables whose cells ran together: `项目(工程)验收合格率20100%100%20`,
`年度资金总额:202010100.00%10`. Document-sharing sites, news aggregators and OCR lose every
cell boundary of a 项目支出绩效自评表, numbers included: the cells of a row run into one another
with nothing between them. What is left is enough to put the boundaries back without guessing:

- the form's labels (项目名称, 主管部门, 年度资金总额, 一级指标 …, the indicator levels) are
  fixed words; the text between two labels is the first one's value;
- the column headings, in the order printed, say what each row is made of
  (三级指标 分值 年度指标值 全年实际值 得分 …);
- the values of a row have a form: points and scores are numbers of at most 100, a score not
  above its points; targets and actual values are a number with an optional sign and unit, or
  a word printed twice (target and actual, 显著提升显著提升, 高高); numbers carry no leading
  zero; an amount's execution rate is executed / budget and its score points × rate.

A run is cut only where exactly one reading fits every rule (among readings, the one with the
most rows: a name holding a whole row's values is not a name). A run with no such reading is
not guessed: it is listed with its line. The result is the table as a pipe table (one table
row a line) that the self-evaluation reader then reads; each of its lines remembers the source
line it came from.

Reused from the target-table importer (runtogether.py, engineer i13): the operators and units
that end a target; nothing there is changed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .runtogether import _OPERATOR
from .runtogether import _UNITS as _TARGET_UNITS
from .source import Text

# Units a target's number is measured in: the target table's, and those self-evaluations print
# more often (厘米, 起, 例 …).
_UNITS = tuple(
    sorted(
        set(_TARGET_UNITS)
        | {"厘米", "毫米", "千米", "公斤", "千克", "起", "例", "种", "万人", "课时", "学时", "分"},
        key=len,
        reverse=True,
    )
)
_ALL_UNITS = tuple(dict.fromkeys(("%", "％", "‰", *_UNITS)))
_CJK = r"\u4e00-\u9fff"
_OPEN, _CLOSE, _COLON = r"[(（]", r"[)）]", r"[:：]"

# Indicator table's column headings printed with nothing between them, as ran-on text shows it
# (a space may be left where the document wrapped a heading: 一级 指标二级 指标).
_RUN_ON = re.compile(
    rf"一级\s?指标二级\s?指标|全年预算数{_OPEN}A{_CLOSE}全年执行数|一级\s?指标\s?二级\s?指标三级"
)


def runs_on(text: str) -> bool:
    """The self-evaluation's headings ran together: its cells lost their boundaries."""
    return bool(_RUN_ON.search(text))


@dataclass
class Cut:
    text: str  # the table as a pipe table, one table row a line
    origin: list[int]  # the source line of each of its lines
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # runs not cut, listed
    # Rows a reader paired itself (selfeval_scored): Row fields by name, lines the source's.
    rows: list[dict] = field(default_factory=list)
    total: str = ""  # a 总分 printed in the header (自评总分: 95), read with the rows

    def line(self, number: int) -> int:
        return self.origin[number - 1] if 0 < number <= len(self.origin) else number


# -- the stream of the table's characters, each with its source line ------------------------


_PAGE_MARK = re.compile(r"^\s*(\d{1,3})、")  # a document-sharing site's page numbers: 1、 2、
_TABLE_START = re.compile(r"项目名称|专项资金名称|专项[(（]项目[)）]名称|专项名称")


def _page_marks(lines: list[str]) -> set[int]:
    """Lines opening with 1、, 2、, 3、 … in order: the page markers a document-sharing site
    leaves in a document's text (the first one at least 1、, then each the next number)."""
    marked = [(k, int(m.group(1))) for k, line in enumerate(lines) if (m := _PAGE_MARK.match(line))]
    out: set[int] = set()
    expect = 1
    for k, number in marked:
        if number == expect:
            out.add(k)
            expect += 1
    return out if len(out) >= 2 else set()


@dataclass
class _Stream:
    chars: str
    lines: list[int]  # source line of each character

    def at(self, offset: int) -> int:
        return self.lines[min(offset, len(self.lines) - 1)] if self.lines else 1


def _squeezable(a: str, b: str) -> bool:
    """A space between these two characters is where a document wrapped a cell, no boundary."""
    return bool(re.match(rf"[{_CJK}（）()、，,：:%]", a) or re.match(rf"[{_CJK}（）()、，,：:]", b))


def _stream(t: Text, start_line: int) -> _Stream:
    """The text from line `start_line` (0-based) on as one run: line breaks and the page
    markers of document-sharing sites dropped, spaces left where a document wrapped a cell
    dropped too (a space between two numbers is kept: it separates them)."""
    lines = t.text.split("\n")
    marks = _page_marks(lines)
    chars: list[str] = []
    origin: list[int] = []
    offset = sum(len(line) + 1 for line in lines[:start_line])
    for k in range(start_line, len(lines)):
        line = lines[k]
        number = t.line_of(offset)
        offset += len(line) + 1
        if k in marks:
            line = _PAGE_MARK.sub("", line, count=1)
        for ch in line:
            chars.append(ch)
            origin.append(number)
    # spaces: dropped where they only wrap a word, kept (one) between two numbers
    out: list[str] = []
    out_lines: list[int] = []
    k = 0
    while k < len(chars):
        ch = chars[k]
        if ch.isspace():
            end = k
            while end < len(chars) and chars[end].isspace():
                end += 1
            before = out[-1] if out else ""
            after = chars[end] if end < len(chars) else ""
            if before and after and not _squeezable(before, after):
                out.append(" ")
                out_lines.append(origin[k])
            k = end
            continue
        out.append(ch)
        out_lines.append(origin[k])
        k += 1
    return _Stream("".join(out), out_lines)


# -- numbers ---------------------------------------------------------------------------------


def _numbers_at(s: str, q: int, decimals: int = 6) -> Iterator[tuple[str, int]]:
    """Every number that can start at q: digits with no leading zero (0 alone, or 0.5), an
    optional fraction of up to `decimals` digits."""
    m = re.match(r"\d+", s[q:])
    if not m:
        return
    digits = m.group(0)
    for n in range(1, len(digits) + 1):
        whole = digits[:n]
        if len(whole) > 1 and whole[0] == "0":
            break
        end = q + n
        if end < len(s) and s[end] == "." and n == len(digits):
            frac = re.match(r"\d+", s[end + 1 :])
            if frac:
                for f in range(1, min(len(frac.group(0)), decimals) + 1):
                    yield whole + "." + frac.group(0)[:f], end + 1 + f
            continue
        if end < len(s) and s[end] == ".":
            continue
        yield whole, end


def _value(text: str) -> Decimal | None:
    try:
        return Decimal(text.rstrip("%％"))
    except InvalidOperation:
        return None


def _precision(text: str) -> Decimal:
    """Half a unit of the last digit printed: 100.00 → 0.005, 86 → 0.5."""
    number = text.rstrip("%％")
    places = len(number.split(".")[1]) if "." in number else 0
    return Decimal(5) / (Decimal(10) ** (places + 1))


# -- the funds block ---------------------------------------------------------------------------

_FUNDS_LABEL = re.compile(
    rf"(?:资金情况|项目资金|预算执行情况)(?:{_OPEN}(?:万元|元|\d+分){_CLOSE})?"
    rf"(?:年度预算数{_OPEN}(?:万元|元){_CLOSE})?"
)
_FUNDS_HEADS = (
    (r"年初预算数?", "initial"),
    (rf"全年预算数(?:{_OPEN}A{_CLOSE})?", "budget"),
    (r"调整后预算数", "budget"),
    (rf"全年执行数(?:{_OPEN}B{_CLOSE})?", "executed"),
    (r"预算执行数", "executed"),
    (rf"(?:预算)?执行率(?:{_OPEN}B/A{_CLOSE})?", "rate"),
    (r"分值|权重", "points"),
    (r"得分", "score"),
    (r"原因", "reason"),  # the Sichuan form's 原因 cell (it prints the form's instructions)
)
_FUNDS_LINE = re.compile(
    rf"(?:年度资金总额{_COLON}?|年度财政资金总额{_COLON}?|总额|其中{_COLON}?|当年财政拨款|本年财政拨款|"
    rf"上年结转资金|其他资金|县级资金|财政专户管理资金|财政资金|单位资金)(?!包括)"
)


_MAX_AMOUNTS = 60  # characters of one funds line's run of amounts at most
_FUNDS_HEAD = re.compile("|".join(pattern for pattern, _ in _FUNDS_HEADS))


def _funds_label(s: str, start: int) -> re.Match[str] | None:
    """The funds block's label: one with its 万元 / 分, or followed by a funds heading
    (项目资金 inside a goal's words, …完成项目资金支付, is none); else the first found."""
    found = list(_FUNDS_LABEL.finditer(s, start))
    marked = (m for m in found if re.search(_OPEN, m.group()) or _FUNDS_HEAD.match(s, m.end()))
    return next(marked, found[0] if found else None)


def _funds_split(run: str, roles: list[str], total: dict[str, str] | None) -> dict[str, str] | None:
    """The amounts of a funds line that ran together (202010100.00%10), one per role; None when
    no reading, or more than one, fits. A line under the total may leave columns blank: its
    readings are tried with each run of its amount columns, with and without its rate."""
    if len(run) > _MAX_AMOUNTS:
        return None  # no funds line is this long: listed, not solved
    amounts = [r for r in roles if r in ("initial", "budget", "executed")]
    if total is None:  # the total: each column, or a blank amount cell dropped
        rest = [r for r in roles if r not in amounts]
        shapes = [roles] + [amounts[first:] + rest for first in range(1, len(amounts))]
        if rest and rest[-1] == "score":  # a blank 得分 left out
            shapes.append([r for r in roles if r != "score"])
        if "rate" in rest:  # a blank 执行率 left out (880 880 880 10 10)
            shapes.append([r for r in roles if r != "rate"])
    else:  # a line: no points or score of its own
        shapes = [roles]  # a line that repeats the total's columns
        for first in range(len(amounts)):
            for rated in ("rate" in roles, False):
                shape = amounts[first:] + (["rate"] if rated else [])
                if shape and shape not in shapes:
                    shapes.append(shape)
    readings: list[dict[str, str]] = []
    for shape in shapes:
        found = [dict(zip(shape, r, strict=True)) for r in _splits(run.strip(), 0, shape)]
        if total is None and "rate" in roles and "rate" not in shape:
            found = [r for r in found if _unrated_total(r)]
        readings += found
    # Only what the printed figures bear out narrows the readings: the rate and score the
    # amounts give (_consistent, _exact, _verified), a line within its total or printed again as
    # it (_within, _as_total). A reading is never taken because it looks likelier (less spent
    # than budgeted, budgets of one order, more cells filled): several left is listed.
    for check in (
        _plausible,
        _consistent,
        lambda r: _within(r, total),
        _verified,
        _exact,
        lambda r: _as_total(r, total),
    ):
        kept = [r for r in readings if check(r)]
        if len(kept) == 1:
            readings = kept
            break
        if kept:
            readings = kept
    return readings[0] if len(readings) == 1 else None


_AMOUNTS = ("initial", "budget", "executed")


def _splits(run: str, q: int, shape: list[str]) -> Iterator[list[str]]:
    if not shape:
        if q == len(run):
            yield []
        return
    role = shape[0]
    if run[q : q + 1] in ("—", "-", "/"):  # a blank printed as a dash
        for rest in _splits(run, q + 1, shape[1:]):
            yield ["", *rest]
    for number, end in _numbers_at(run, q, decimals=6 if role in _AMOUNTS else 2):
        if role == "rate":
            if run[end : end + 1] not in ("%", "％"):
                continue
            number, end = number + "%", end + 1
        elif run[end : end + 1] in ("%", "％"):
            continue
        if end < len(run) and run[end] == " ":
            end += 1
        for rest in _splits(run, end, shape[1:]):
            yield [number, *rest]


def _plausible(reading: dict[str, str]) -> bool:
    points, score = _value(reading.get("points") or "0"), _value(reading.get("score") or "0")
    if points is None or score is None or points > 100 or score > max(points, Decimal(100)):
        return False
    return not (reading.get("points") and reading.get("score") and score > points)


def _consistent(reading: dict[str, str]) -> bool:
    """The printed rate is executed / budget, the score points × rate (to the printed digits)."""
    rate = _value(reading["rate"]) if reading.get("rate") else None
    budget, executed = reading.get("budget"), reading.get("executed")
    if rate is not None and budget and executed:
        a, b = _value(budget), _value(executed)
        if a is None or b is None:
            return False
        share = (b / a * 100) if a else Decimal(0)
        if abs(share - rate) > _precision(reading["rate"]) + Decimal("0.0001"):
            return False
    if rate is None and budget and executed:  # no rate printed: the one B/A gives
        a, b = _value(budget), _value(executed)
        rate = b / a * 100 if a and b is not None else None
    if rate is not None and reading.get("points") and reading.get("score"):
        points, score = _value(reading["points"]), _value(reading["score"])
        if points is None or score is None:
            return False
        expected = points * min(rate, Decimal(100)) / 100
        if abs(expected - score) > _precision(reading["score"]) + Decimal("0.0001"):
            return False
    return True


def _unrated_total(reading: dict[str, str]) -> bool:
    """A total read with its rate cell blank, only as the form allows it: its points a part of
    the 100 (a rate printed without its %, 0001000 = 0 | 0 | 0 | 10 | 0 | 0, is no 100-point
    block), its score points × B/A to the printed digits, and not 0 when something was spent
    (11110 is no 11 | 1 | 1 | 0: a score rounded away to nothing)."""
    points = _value(reading.get("points") or "")
    score = _value(reading.get("score") or "")
    executed = _value(reading.get("executed") or "")
    return (
        _plausible(reading)
        and points is not None
        and points < 100
        and _consistent(reading)
        and not (score == 0 and executed)
    )


def _exact(reading: dict[str, str]) -> bool:
    """The printed rate is executed / budget exactly (a preference: most rates are)."""
    rate, budget, executed = (reading.get(k) for k in ("rate", "budget", "executed"))
    a, b, r = _value(budget or ""), _value(executed or ""), _value(rate or "")
    return bool(a and b is not None and r is not None and b / a * 100 == r)


def _as_total(reading: dict[str, str], total: dict[str, str] | None) -> bool:
    """A line's amounts are the total's (a preference: a line often is the whole of it)."""
    return bool(total) and all(
        reading.get(role) == total.get(role)
        for role in ("initial", "budget", "executed")
        if reading.get(role)
    )


def _verified(reading: dict[str, str]) -> bool:
    """A printed rate is borne out by the amounts printed beside it."""
    return not reading.get("rate") or bool(reading.get("budget") and reading.get("executed"))


def _within(reading: dict[str, str], total: dict[str, str] | None) -> bool:
    """A line's amounts are parts of the total's."""
    if not total:
        return True
    for role in ("initial", "budget", "executed"):
        mine, whole = _value(reading.get(role) or "0"), _value(total.get(role) or "")
        if mine is not None and whole is not None and mine > whole:
            return False
    return True


# -- the indicator rows ------------------------------------------------------------------------

_HEADINGS = (
    ("一级指标", "level1"),
    ("二级指标", "level2"),
    ("三级指标|指标名称", "name"),
    ("年度指标值|年初目标值|指标值|目标值", "target"),
    ("实际完成值|全年实际值|全年完成值|完成值|实际值", "actual"),
    ("分值|指标权重|权重", "points"),
    ("指标得分|得分", "score"),
    ("指标性质|计算符号|运算符号", "operator"),
    ("度量单位|计量单位", "unit"),
    (
        "(?:偏差|未完成)原因(?:分析)?(?:及|和)?(?:拟采取的)?(?:改进措施)?(?:[(（]?备注[)）]?)?",
        "reason",
    ),
)
_LEVEL1_WORDS = r"产出指标|效益指标|满意度指标|成本指标"
_LEVEL2_WORDS = (
    r"社会公众或服务对象满意度指标|服务对象满意度指标|经济效益指标|社会效益指标|生态效益指标|"
    r"可持续影响指标|数量指标|质量指标|时效指标|成本指标|满意度指标"
)
_LEVEL = re.compile(
    rf"(?P<level>(?:{_LEVEL1_WORDS}){_OPEN}\d+(?:\.\d+)?分{_CLOSE}|(?:{_LEVEL2_WORDS})等?|{_LEVEL1_WORDS})"
    rf"|(?P<lost>{_OPEN}\d+(?:\.\d+)?分{_CLOSE})"
    rf"|(?P<repeat>绩效指标)|(?P<filler>…+|\.{{3,}}|指标\d{{1,2}}{_COLON}?(?!\d))"
)  # filler: the template's prompts (……, 指标1 before a name, an empty 指标2 row)
_BODY_END = re.compile(
    rf"总分|合计|评价结论|自评等级|评价等级|存在问题|其他需要说明事项|说明|注{_COLON}"
)
# The form's result phrases, typed as the 实际完成值 of a row (合规 | 达成预期指标): never part of
# a 三级指标 name.
_RESULT_PHRASE = re.compile(r"达[成到](?:预期|年度)(?:指标|目标)(?:值)?")
# Words an actual value may be when the target is a number (the national form's 无 / 已完成).
_ACTUAL_WORDS = (
    "达成预期指标", "达到预期指标", "达成预期目标", "达到预期目标",
    "基本达到", "基本完成", "已完成", "未完成", "完成", "达标", "合格", "无", "是", "否", "有",
)  # fmt: skip
# A yes/no target (指标值 是): beside a different result word (是基本达到) the two cut only
# where both are the form's words.
_YES_NO = ("是", "否", "有", "无")
# One cell printed twice with a first character that is no operator the form uses (a scan's
# ≥ read as 工 or ^: 工5%工5%): kept as printed, never read as ≥.
_ODD_FIRST = re.compile(r"[^\d\s.,，、;；]")
_NAME_NUMBER_TAIL = re.compile(  # 5000吨…, 0-6岁…: a measure (never 100%…: that is a value)
    rf"[-~～—至、]|{'|'.join(re.escape(u) for u in _UNITS if re.match(f'[{_CJK}]', u))}"
)
_MAX_RUN = 600  # characters of one run of rows solved at most (hostile text: listed)
_MAX_NAME = 80  # characters of a 三级指标 name at most
_MAX_STEPS = 5_000  # rows tried in one run at most: a run with more readings is listed


def _name_ok(name: str, figure_end: bool = False) -> bool:
    """Could be a 三级指标: two Chinese characters at least, ending in a character or a closing
    bracket; a leading number is a measure (5000吨稻谷…, 0-6岁…), never a stray digit. With
    `figure_end`, a name may end in a rate written into it (年度资金支付完成率100%: the target in
    the name of a row printed with only 分值 and 得分)."""
    end = rf"(?:[{_CJK}）)]|[{_CJK}]\d+(?:\.\d+)?[%％])$" if figure_end else rf"[{_CJK}）)]$"
    if len(re.findall(rf"[{_CJK}]", name)) < 2 or not re.search(end, name):
        return False
    if re.match(r"[%％.、，,)）]", name) or re.match(_OPERATOR, name):
        return False
    if _RESULT_PHRASE.search(name):  # 合规达成预期指标 + 1|0|1|0 is no name and its values
        return False
    if re.search(r"\d[%％‰](?!$)", name):  # a rate inside the words (工6%工): a cell's value
        return False
    lead = re.match(r"\d+(?:\.\d+)?", name)
    if lead:
        if len(lead.group(0)) > 1 and lead.group(0)[0] == "0" and lead.group(0)[1] != ".":
            return False
        if not _NAME_NUMBER_TAIL.match(name[lead.end() :]):
            return False
    return True


def _quantities(s: str, q: int, last: bool) -> Iterator[tuple[str, int]]:
    """Every target or actual value that can start at q: [operator] number [unit or %]. A unit
    not in the list is taken only when another value follows it straight away (≥50厘米≥50…)."""
    seen: set[tuple[str, int]] = set()
    for value in _quantity_readings(s, q, last):
        if value not in seen:
            seen.add(value)
            yield value


def _quantity_readings(s: str, q: int, last: bool) -> Iterator[tuple[str, int]]:
    op = re.match(_OPERATOR, s[q:]) or re.match(r"═", s[q:])
    start = q + op.end() if op else q
    for number, end in _numbers_at(s, start, decimals=4):
        head = s[q:start] + number
        if not _unit_at(s, end):  # a number before its unit is never a cell of its own
            yield head, end
        for unit in _ALL_UNITS:
            if s.startswith(unit, end):
                yield head + unit, end + len(unit)
        if not last:
            free = re.match(rf"[{_CJK}]{{1,3}}", s[end:])
            if free:
                for n in range(1, len(free.group(0)) + 1):
                    after = s[end + n : end + n + 1]
                    if after and (after.isdigit() or re.match(_OPERATOR, after)):
                        yield head + free.group(0)[:n], end + n


def _unit_at(s: str, q: int) -> bool:
    return any(s.startswith(unit, q) for unit in _ALL_UNITS)


def _pairs(s: str, q: int, last: bool) -> Iterator[tuple[str, str, int]]:
    """年度指标值 and 实际完成值 side by side: two values, or a number and a word
    (100%无), or one word printed twice (显著提升显著提升, 高高)."""
    for target, mid in _quantities(s, q, last=False):
        for actual, end in _quantities(s, mid, last):
            yield target, actual, end
        for word in _ACTUAL_WORDS:
            if s.startswith(word, mid):
                yield target, word, mid + len(word)
    for n in range(1, 13):
        word = s[q : q + n]
        if not re.fullmatch(rf"[{_CJK}]+", word):
            break
        if s[q + n : q + 2 * n] == word:
            yield word, word, q + 2 * n
    for word in _YES_NO:
        if s.startswith(word, q):
            for actual in _ACTUAL_WORDS:
                if actual != word and s.startswith(actual, q + len(word)):
                    yield word, actual, q + len(word) + len(actual)
    yield from _printed_twice(s, q, last)


def _printed_twice(s: str, q: int, last: bool) -> Iterator[tuple[str, str, int]]:
    """A cell whose first character is no operator (工5%), printed twice side by side: the target
    and the actual value, as printed."""
    if not (q < len(s) and _ODD_FIRST.match(s[q]) and not re.match(_OPERATOR + "|═", s[q:])):
        return
    for value, mid in _quantities(s, q + 1, last=False):
        cell = s[q] + value
        if _unit(value) and s.startswith(cell, mid):
            end = mid + len(cell)
            if last or end == len(s) or not _unit_at(s, end):
                yield cell, cell, end


def _row_values(s: str, q: int, roles: list[str]) -> Iterator[tuple[list[str], int]]:
    """The cells after a row's name, one per role, from q. The row's last value is followed
    by the next row's name: only a listed unit ends it."""
    if not roles:
        yield [], q
        return
    role = roles[0]
    final = len(roles) == 1
    if role == "target" and len(roles) > 1 and roles[1] == "actual":
        for target, actual, end in _pairs(s, q, len(roles) == 2):
            for rest, stop in _row_values(s, end, roles[2:]):
                yield [target, actual, *rest], stop
        return
    if role in ("points", "score"):
        options = ((n, end) for n, end in _numbers_at(s, q, decimals=2) if not _unit_at(s, end))
    elif role == "target" and len(roles) > 1 and roles[1] == "unit":
        options = _numbers_at(s, q, decimals=4)  # 指标值 | 度量单位: the number alone
    elif role == "operator":
        m = re.match(_OPERATOR + "|═", s[q:])
        options = iter([(m.group(0), q + m.end())] if m else [])
    elif role == "unit":
        options = iter([(u, q + len(u)) for u in _ALL_UNITS if s.startswith(u, q)])
    else:
        options = _quantities(s, q, final)
    for value, end in options:
        for rest, stop in _row_values(s, end, roles[1:]):
            yield [value, *rest], stop


def _row_ok(cells: dict[str, str]) -> bool:
    points, score = cells.get("points"), cells.get("score")
    if points is not None:
        p = _value(points)
        if p is None or p > 100:
            return False
        if score is not None:
            v = _value(score)
            if v is None or v > p:
                return False
    elif score is not None:
        v = _value(score)
        if v is None or v > 100:
            return False
    return True


def _unit(value: str) -> str:
    return re.sub(r"^.*?\d(?=[^\d.]|$)", "", value) if re.search(r"\d", value) else value


# Two values side by side (1.5亩1.5亩, 95%100%): a row's cells, never a reason's words.
_ROW_LIKE = re.compile(rf"\d(?:{'|'.join(re.escape(u) for u in _ALL_UNITS)})(?:{_OPERATOR}|═)?\d")
_QUANTITY = re.compile(rf"(?:{_OPERATOR}|═)?\d")
_NUMBER_ONLY = re.compile(r"\d+(?:\.\d+)?")


def _cost(name: str, cells: dict[str, str]) -> int:
    """How far a row is from the usual: a digit in its name, a target and an actual value
    measured in different units (≥266米 beside ≥266米 or 266 is usual, 10% beside 0人 is
    not), a score that does not follow the national scoring rule (财预〔2020〕10号: a target
    met gets its full points, one missed its share of them)."""
    # Each number in a name, and more each pair of values side by side (5.5亩5.5亩: a row's
    # cells): a name that swallowed rows costs more than the rows it swallowed.
    cost = len(re.findall(r"\d+", name)) + 3 * len(_ROW_LIKE.findall(name))
    target, actual = cells.get("target", ""), cells.get("actual", "")
    if (
        _QUANTITY.match(target)
        and _QUANTITY.match(actual)
        and _unit(actual)  # an actual value printed bare leaves the target's unit understood
        and _unit(target) != _unit(actual)
    ):
        cost += 1
    # a target and its actual value differ ten times or more (100100 beside 10, 111
    # beside 0): readings of one run of digits cut where the row's values are far apart
    # (more than a row printed short: 1010 is 分值 and 得分, not target 1, actual 0, 1 and 0)
    cost += 2 * _far_apart(target, actual)
    # a rate's actual value printed bare beside its target (100% | 10): the form prints a rate's
    # 实际完成值 with its % (95% | 100%, ≧ | 100 | % | 100%); bare, its end is only a guess
    if re.search(r"\d[%％]$", target) and _NUMBER_ONLY.fullmatch(actual):
        cost += 1
    # a score against the rule weighs more than a row printed short (分值 and 得分 only)
    usual = _scored_as_usual(target, actual, cells.get("points"), cells.get("score"))
    return cost + (0 if usual else 2) + int(set(cells) == {"points", "score"})


_FIGURE = re.compile(rf"(?P<op>{_OPERATOR}|═)?(?P<number>\d+(?:\.\d+)?)")


def _far_apart(target: str, actual: str) -> bool:
    """Target and actual value both figures, one ten times the other or more (or one 0)."""
    t, a = _FIGURE.match(target), _FIGURE.match(actual)
    if not (t and a):
        return False
    low, high = sorted((Decimal(t["number"]), Decimal(a["number"])))
    return high > 0 and (low == 0 or high / low >= 10)


def _scored_as_usual(target: str, actual: str, points: str | None, score: str | None) -> bool:
    """The score is the points when the actual value meets the target, about actual / target
    of them (target / actual for a ceiling) when it does not; True when nothing can be told."""
    t, a = _FIGURE.match(target), _FIGURE.match(actual)
    p, v = _value(points or ""), _value(score or "")
    if not (t and a and p is not None and v is not None):
        return True
    goal, got = Decimal(t["number"]), Decimal(a["number"])
    op = t["op"] or ""
    ceiling = op.startswith(("≤", "<", "不超过", "不高于", "小于"))
    met = got <= goal if ceiling else (got == goal if op.startswith(("=", "═")) else got >= goal)
    if met:
        return v == p
    if not goal or not got:
        return v < p
    share = (
        min(goal / got, got / goal)
        if op.startswith(("=", "═"))
        else (goal / got if ceiling else got / goal)
    )
    return abs(p * share - v) <= max(Decimal("0.5"), p / 10)


# A cell the cut table must keep although it is blank (a Sichuan row's unfilled 完成值 and 得分):
# the pipe table drops blank cells, the self-evaluation reader reads this one as blank.
BLANK_CELL = "\ue000"

# A row whose name and word target ran together (listed, never cut by guess), and what it costs
# beside rows that read: more than any reading of rows, so it is taken only when nothing reads.
_WORDS_ROW = "\x00words"
_WORDS_COST = 4
_WORDS_NOT_CUT = (
    "三级指标名称与文字目标连在一起，分不出界线，没有猜 / the indicator's name and its word "
    "target ran together: where one ends cannot be told, not guessed"
)

# A row whose cells were cut inside one run of digits in a way the row does not bear out (listed,
# never written): 资金支付811月底完成100%100%8 read as …完成 | 10 | 0% | 100% | 8.
_AMBIGUOUS_ROW = "\x00ambiguous"
_AMBIGUOUS_NOT_CUT = (
    "两栏数字连在一起，切在哪里行内其他数字不能印证，没有猜 / two numeric cells ran together and "
    "nothing else in the row bears out where one ends: not guessed"
)
_COUNTERPART = {"target": "actual", "actual": "target", "points": "score", "score": "points"}


def _same_figure(a: str, b: str) -> bool:
    """One figure printed twice (≥550万粒 and 550万粒, 100% and 100%): the number, and the unit
    where both print one."""
    x, y = _FIGURE.search(a), _FIGURE.search(b)
    if not (x and y) or Decimal(x["number"]) != Decimal(y["number"]):
        return False
    ux, uy = _unit(a), _unit(b)
    return not ux or not uy or ux == uy


def _unborne_cut(run: str, start: int, shape: list[str], cells: list[str]) -> bool:
    """True when two of a row's cells are cut apart inside one run of digits (8|550万粒,
    10|0%) and the row does not bear the cut out. A cut is borne out when a cell beside it is
    printed again in its counterpart column (550万粒 | 550万粒, 分值 8 | 得分 8), when the score
    follows the national rule on figures all printed (30 | 100% | 95% | 28), or when it falls
    between 分值 and 得分 (score ≤ points ≤ 100 leaves one cut). Anything else could as well
    be one cell (100%) or cut elsewhere, and the row is listed."""
    by_role = dict(zip(shape, cells, strict=True))
    q = start
    for cell in cells:
        if run[q : q + len(cell)] != cell:
            return False  # (cells are the run's own characters; nothing to check otherwise)
        q += len(cell)
    for k in range(len(cells) - 1):
        left, right = cells[k], cells[k + 1]
        if not (left and right and left[-1].isdigit() and right[0].isdigit()):
            continue
        roles = (shape[k], shape[k + 1])
        if set(roles) == {"points", "score"}:
            continue
        borne = any(
            _COUNTERPART.get(role) in by_role and _same_figure(cell, by_role[_COUNTERPART[role]])
            for role, cell in zip(roles, (left, right), strict=True)
        )
        figures = [by_role.get(r, "") for r in ("target", "actual", "points", "score")]
        if not borne and all(_FIGURE.match(f) for f in figures):
            borne = _scored_as_usual(*figures)
        if not borne:
            return True
    return False


# The best reading of a run from a position: (cost, -rows), the readings that reach it (at most
# 2 counted) and one of them. Costs and rows add up row by row, so the best reading from a
# position is one row followed by the best reading from where that row ends.
_Best = tuple[tuple[int, int], int, list[list[str]]]


def _rows(run: str, roles: list[str]) -> list[list[str]] | None:
    """The rows a run holds (each its cells in the heading's order); None when no reading, or
    more than one of the best, fits. Best: the least unusual rows (`_cost`), then the most rows
    (a name that holds a whole row's values is no name)."""
    values = [r for r in roles if r not in ("level1", "level2", "name", "reason")]
    # A word target leaves 指标性质 / 度量单位 blank: such a row has the other cells only.
    plain = [r for r in values if r not in ("operator", "unit")]
    shapes = [values] + ([plain] if plain != values else [])
    # Rows the national form prints short: only 分值 and 得分 (指标1:工程质量合格 10 10),
    # and sub-rows with only 年度指标值 and 实际完成值 under a scored row (其中桃树种植面积
    # 1.5亩 1.5亩).
    points_only = ["points", "score"] if {"points", "score"} <= set(values) else None
    sub_row = ["target", "actual"] if points_only and {"target", "actual"} <= set(values) else None
    shapes += [shape for shape in (points_only, sub_row) if shape]
    # A row the unit left unfilled (the Sichuan form: 权重 copied from the targets, 完成值 and
    # 得分 blank): its target cells and 权重 only; the blanks stay blank (`BLANK_CELL`).
    unfilled = (
        [r for r in values if r not in ("actual", "score")]
        if {"operator", "unit", "actual", "points", "score"} <= set(values)
        else None
    )
    if unfilled:
        shapes.append(unfilled)
    reason = "reason" in roles
    memo: dict[int, _Best | None] = {}
    end_of_run: _Best = ((0, 0), 1, [])
    steps = 0

    class _TooMany(Exception):
        pass

    def parse(p: int) -> _Best | None:
        nonlocal steps
        if p == len(run):
            return end_of_run
        if p in memo:
            return memo[p]
        best: _Best | None = None

        def add(row: list[str], cost: int, rest: _Best | None) -> None:
            nonlocal best
            if rest is None:
                return
            key = (rest[0][0] + cost, rest[0][1] - 1)
            if best is None or key < best[0]:
                best = (key, rest[1], [row, *rest[2]])
            elif key == best[0]:
                best = (key, min(2, best[1] + rest[1]), best[2])

        if not (p and run[p - 1].isdigit() and run[p].isdigit()):
            # (a number is never cut between a value and the next row's name)
            for e in range(p + 2, min(len(run), p + _MAX_NAME + 1)):
                name = run[p:e]
                if _name_ok(name):
                    tried = shapes
                elif points_only and _name_ok(name, figure_end=True):
                    # 年度资金支付完成率100%1010: a rate in the name, the row printed short
                    tried = [points_only]
                else:
                    continue
                for shape, cells, end in (
                    (each, cells, end) for each in tried for cells, end in _row_values(run, e, each)
                ):
                    steps += 1
                    if steps > _MAX_STEPS:
                        raise _TooMany
                    by_role = dict(zip(shape, cells, strict=True))
                    if not _row_ok(by_role) or (shape is plain and _QUANTITY.match(cells[0])):
                        continue  # (a figure target has its 指标性质 and 度量单位 cells)
                    if shape is sub_row and (
                        not (name.startswith("其中") or p)  # it belongs to the row above it
                        or all(_NUMBER_ONLY.fullmatch(c) for c in cells)  # 20 20: 分值 得分
                    ):
                        continue
                    empty = BLANK_CELL if shape is unfilled else ""
                    row = [name, *(by_role.get(role, empty) for role in values)]
                    cost = _cost(name, by_role) + (shape in (sub_row, unfilled))
                    unborne = _unborne_cut(run, e, shape, cells)
                    if unborne:  # the reading still counts (so no other is preferred to it)
                        row = [_AMBIGUOUS_ROW, run[p:end]]
                    add(row + ([""] if reason and not unborne else []), cost, parse(end))
                    tail = run[end:]
                    if (
                        reason
                        and end < len(run)
                        and re.search(rf"[{_CJK}]", tail)
                        and not re.match(r"[\d%]", tail)
                        and not _ROW_LIKE.search(tail)
                        and not tail[-1].isdigit()  # …数量2020: a row's 分值 and 得分
                    ):
                        if unborne:
                            add([_AMBIGUOUS_ROW, run[p:]], cost, end_of_run)
                        else:  # a reason ends the run's last row
                            add(row + [tail], cost, end_of_run)
        # A word target beside a result phrase (补助资格合规性合规达成预期指标 10 10): the row
        # ends at the phrase (and its 分值/得分), but its name and target cannot be cut apart
        # by any rule; the words are listed (a `_WORDS_ROW` row) and the run read on after them.
        phrase = _RESULT_PHRASE.search(run, p, min(len(run), p + 2 * _MAX_NAME))
        if phrase and len(re.findall(rf"[{_CJK}]", run[p : phrase.start()])) >= 3:
            after = values[values.index("actual") + 1 :] if "actual" in values else values
            scored = [r for r in after if r in ("points", "score")]  # (分值 may come before)
            for cells, end in _row_values(run, phrase.end(), scored):
                steps += 1
                if steps > _MAX_STEPS:
                    raise _TooMany
                if _row_ok(dict(zip(scored, cells, strict=True))):
                    add([_WORDS_ROW, run[p:end]], _WORDS_COST, parse(end))
        memo[p] = best
        return best

    if not run or len(run) > _MAX_RUN:
        return None
    try:
        best = parse(0)
    except (_TooMany, RecursionError):
        return None
    return best[2] if best is not None and best[1] == 1 else None


# -- the cut -----------------------------------------------------------------------------------


def _first(
    pattern: re.Pattern[str], s: str, start: int, end: int | None = None
) -> re.Match[str] | None:
    return pattern.search(s, start, len(s) if end is None else end)


# Transfer-payment forms name the 主管部门 and 财政部门 of each level (中央, 自治区, 市县 …) and
# the 专项实施期: labels of their own, not the tail of the value before them.
_HEADER_LABEL = re.compile(
    r"项目名称|专项资金名称|专项[(（]项目[)）]名称|专项名称|项目负责人及联系电话|项目负责人及电话|"
    r"负责人及电话|项目负责人|(?:中央|省级|自治区|市县|区县|市级|县级)(?:主管部门|财政部门)|"
    r"主管部门|项目实施单位|实施单位|项目编码|项目代码|专项实施期"
)
_GOAL_LABELS = re.compile(
    r"年度总体目标完成情况综述|年度总体目标完成情况|全年实际完成情况|年度目标完成情况|实际完成情况|"
    r"年初设定目标|项目年度目标|预期目标|年度总体目标|总体目标|项目基本情况|\d\.项目年度目标完成情况"
)
_GOALS_START = re.compile(r"年度总体目标|总体目标|年初设定目标|预期目标|项目基本情况")
_INDICATORS_START = re.compile(r"(?:年度)?绩效指标|一级指标")


class _Writer:
    def __init__(self, stream: _Stream) -> None:
        self.stream = stream
        self.lines: list[str] = []
        self.origin: list[int] = []
        self.unplaced: list[tuple[int, str]] = []

    def row(self, cells: list[str], at: int) -> None:
        self.lines.append("| " + " | ".join(c if c else " " for c in cells) + " |")
        self.origin.append(self.stream.at(at))

    def left(self, text: str, at: int, why: str) -> None:
        self.unplaced.append((self.stream.at(at), f"{text}（{why}）"))


_NOT_CUT = (
    "格子连在一起，分不出唯一的读法，没有猜 / cells ran together, no single reading: not guessed"
)


def cut(t: Text) -> Cut | None:
    """The self-evaluation in `t` as a pipe table, when its cells ran together; else None."""
    if not runs_on(t.text):
        return None
    lines = t.text.split("\n")
    start_line = next((k for k, line in enumerate(lines) if _TABLE_START.search(line)), None)
    if start_line is None:
        return None
    stream = _stream(t, start_line)
    s = stream.chars
    head = _TABLE_START.search(s)
    if head is None:
        return None
    out = _Writer(stream)
    offset = 0
    for k in range(start_line):  # the page above the table (its title and year), as it was
        out.lines.append(lines[k])
        out.origin.append(t.line_of(offset))
        offset += len(lines[k]) + 1
    if s[: head.start()].strip():
        out.lines.append(s[: head.start()])
        out.origin.append(stream.at(0))
    funds = _funds_label(s, head.start()) or _first(re.compile("年度资金总额"), s, head.start())
    goals = _first(_GOALS_START, s, head.start())
    if goals is not None and funds is not None and goals.start() > funds.start():
        goals = _first(_GOALS_START, s, funds.end())  # the national order: funds, then goals
    table = _first(_INDICATORS_START, s, max(m.end() for m in (head, funds, goals) if m))
    if table is None:
        return None
    header_end = min(m.start() for m in (funds, goals, table) if m is not None)
    _header(s, head.start(), header_end, out)
    # The national form prints the funds, then the goals; the Sichuan form the goals first.
    sections = sorted((m.start(), kind) for kind, m in (("funds", funds), ("goals", goals)) if m)
    for k, (at, kind) in enumerate(sections):
        until = sections[k + 1][0] if k + 1 < len(sections) else table.start()
        (_funds if kind == "funds" else _goals)(s, at, until, out)
    roles, body = _headings(s, table.start(), out)
    if not roles:
        return None
    end = _first(_BODY_END, s, body)
    _body(s, body, end.start() if end else len(s), roles, out)
    if end is not None:
        _tail(s, end.start(), out)
    return Cut("\n".join(out.lines), out.origin, out.unplaced)


def _header(s: str, start: int, end: int, out: _Writer) -> None:
    labels = list(_HEADER_LABEL.finditer(s, start, end))
    values = []
    for k, label in enumerate(labels):
        value_end = labels[k + 1].start() if k + 1 < len(labels) else end
        values.append(s[label.end() : value_end].strip().lstrip(":：").strip())
    # One cell labelled A/B (项目实施单位/项目负责人) holds x/y: its value splits at its one slash.
    for k in range(len(labels) - 1):
        if values[k] == "/" and values[k + 1].count("/") == 1:
            values[k], values[k + 1] = (part.strip() for part in values[k + 1].split("/"))
    cells: list[str] = []
    for label, value in zip(labels, values, strict=True):
        cells += [label.group(0), value] if value else [label.group(0)]
    if cells:
        out.row(cells, start)


def _funds(s: str, start: int, end: int, out: _Writer) -> None:
    label = _FUNDS_LABEL.match(s, start)
    q = label.end() if label else start
    heads: list[tuple[str, str]] = []
    while q < end:
        for pattern, role in _FUNDS_HEADS:
            m = re.compile(pattern).match(s, q)
            if m:
                heads.append((m.group(0), role))
                q = m.end()
                break
        else:
            break
    out.row(([label.group(0)] if label else []) + [h for h, _ in heads], start)
    roles = [r for _, r in heads if r != "reason"]
    marks = list(_FUNDS_LINE.finditer(s, q, end))
    total: dict[str, str] | None = None
    k = 0
    while k < len(marks):
        m = marks[k]
        text = m.group(0)
        gap_end = marks[k + 1].start() if k + 1 < len(marks) else end
        gap = s[m.end() : gap_end]
        if text.startswith("其中") and not gap.strip() and k + 1 < len(marks):
            # 其中:本年财政拨款: one label
            nxt = marks[k + 1]
            text += nxt.group(0)
            k += 1
            gap_end = marks[k + 1].start() if k + 1 < len(marks) else end
            gap = s[nxt.end() : gap_end]
        words = re.match(r"[^\d—\-/]*", gap)
        if words and words.group(0).strip():  # 其中:中央、省、市补助 县级资金…: the label goes on
            text += words.group(0).strip()
            gap = gap[words.end() :]
        k += 1
        figures = re.match(r"[\d.%％—/\-\s]*", gap)
        run, said = gap[: figures.end()].strip(), gap[figures.end() :].strip()
        if said:  # words after the amounts (原因: the form's instructions): listed
            run = re.sub(r"\d\.$", "", run)  # 1.预算执行率=…: the note's own number
            out.left(said, m.end(), "资金栏后的文字 / words after the funds")
        is_total = total is None and text.startswith(("年度资金总额", "年度财政资金总额", "总额"))
        if not is_total:  # a line's blank 分值 / 得分 cells, printed as dashes: no amounts
            run = re.sub(r"[—/]+", "", run).strip().rstrip("-").strip()  # (a "-" may be a sign)
        if not run:
            out.row([text], m.start())
            continue
        values = _funds_split(run, roles, None if is_total else (total or {}))
        if values is None:
            out.row([text], m.start())
            out.left(f"{text} {run}", m.start(), _NOT_CUT)
            continue
        if is_total:
            total = values
            out.row([text, *(values.get(role, "—") or "—" for role in roles)], m.start())
        else:
            out.row([text, *(v for v in values.values() if v)], m.start())


def _goals(s: str, start: int, end: int, out: _Writer) -> None:
    q, labels = start, []
    while (m := _GOAL_LABELS.match(s, q)) and m.end() <= end:
        labels.append(m.group(0))
        q = m.end()
    section = re.compile(r"\d\.项目实施内容").search(s, q, end)  # the Sichuan form's next item
    text = s[q : section.start() if section else end].strip()
    if not text:
        out.row(labels, start)
        return
    # The two cells side by side: the later one repeats the end of the earlier (or all of it)
    for cut_at in range(1, len(text)):
        first, second = text[:cut_at], text[cut_at:]
        if len(second) >= 4 and len(first) >= len(second) and first.endswith(second):
            out.row([*labels, first, second], start)
            return
    sentences = [m.end() for m in re.finditer("。", text) if m.end() < len(text)]
    if len(sentences) == 1:
        out.row([*labels, text[: sentences[0]], text[sentences[0] :]], start)
        return
    out.row(labels, start)
    out.left(text, q, "预期目标与实际完成情况连在一起，分不开 / the two goal cells ran together")


def _headings(s: str, start: int, out: _Writer) -> tuple[list[str], int]:
    q = start
    cells = []
    caption = re.match(r"(?:年度)?绩效指标", s[q:])
    if caption:
        cells.append(caption.group(0))
        q += caption.end()
        level = s.find("一级指标", q, q + 12)  # 绩效指标完成情况一级指标…: a caption's words
        if level > q:
            cells.append(s[q:level])
            q = level
    roles: list[str] = []
    while True:
        for pattern, role in _HEADINGS:
            m = re.compile(pattern).match(s, q)
            if m:
                cells.append(m.group(0))
                roles.append(role)
                q = m.end()
                break
        else:
            break
    names = [r for r in roles if r not in ("level1", "level2")]
    if "name" in names and names.index("name") > 0:
        # The heading on two rows, one after the other: 年度指标值 | 实际完成值 | 分值 | 得分 |
        # 偏差… then 一级 … 三级 | 指标性质 | 指标值 | 度量单位 (年度指标值 spans the three that
        # split it): the row's cells are the second row's, then the first row's after 年度指标值.
        before, after = names[: names.index("name")], names[names.index("name") :]
        if "target" in before:
            after += [r for r in before[before.index("target") + 1 :] if r not in after]
        names = after
    if "name" not in names or not ({"target", "actual"} <= set(names)):
        return [], q
    out.row(cells, start)
    return names, q


def _body(s: str, start: int, end: int, roles: list[str], out: _Writer) -> None:
    q = start
    block = _Block(roles, out)  # a 一级指标's rows, written when the next one begins
    for m in [*_LEVEL.finditer(s, start, end), None]:
        run_end = m.start() if m else end
        run = s[q:run_end].strip()
        if run:
            rows = _rows(run, roles)
            if rows is None:  # listed here (or, garbled, read in part); the table goes on
                block.unread(run, q)
            else:
                for row in rows:
                    if row[0] == _WORDS_ROW:
                        block.left(row[1], q, _WORDS_NOT_CUT)
                    elif row[0] == _AMBIGUOUS_ROW:
                        block.left(row[1], q, _AMBIGUOUS_NOT_CUT)
                    else:
                        block.row(row, q)
        if m is None:
            break
        label = m.group("level") or m.group("lost")
        if label:  # (50分) alone: its 一级 words were lost
            if re.search(rf"{_OPEN}\d+(?:\.\d+)?分{_CLOSE}$", label):
                block.flush()
                block.points = _value(re.search(r"(\d+(?:\.\d+)?)分", label).group(1))
            block.row([label], m.start())
        q = m.end() + _row_number(s, m)
    block.flush()


_GARBLED = (
    "年度指标值与实际完成值读不出（识别错字），只录名称、分值、得分 / the target and actual "
    "value cannot be read (recognition errors): name, points and score only"
)


class _Block:
    """The rows under one 一级指标 printed with its points (效益指标(40分)). A row nothing reads
    (its values garbled by a scan: 880%^80%8) may still show its name, its 分值 right after
    the name and its 得分 at its end; the 分值 is taken only when the level's points decide
    it: the rows' points, those read and one choice for each garbled row, add up to the
    level's in exactly one way. Otherwise such rows are listed whole, as any unread run."""

    def __init__(self, roles: list[str], out: _Writer) -> None:
        self.values = [r for r in roles if r not in ("level1", "level2", "name", "reason")]
        self.reason = "reason" in roles
        self.out = out
        self.points: Decimal | None = None
        self.items: list[tuple[str, object, int]] = []

    def row(self, cells: list[str], at: int) -> None:
        self.items.append(("row", cells, at))

    def left(self, text: str, at: int, why: str) -> None:
        self.items.append(("left", (text, why), at))

    def unread(self, run: str, at: int) -> None:
        part = _garbled_row(run, self.values)
        self.items.append(("part", (run, part), at) if part else ("left", (run, _NOT_CUT), at))

    def flush(self) -> None:
        parts = [k for k, (kind, _, _) in enumerate(self.items) if kind == "part"]
        chosen = self._choice(parts) if parts else None
        for k, (kind, what, at) in enumerate(self.items):
            if kind == "row":
                self.out.row(what, at)  # type: ignore[arg-type]
            elif kind == "left":
                text, why = what  # type: ignore[misc]
                self.out.left(text, at, why)
            elif chosen is None:
                self.out.left(what[0], at, _NOT_CUT)  # type: ignore[index]
            else:
                run, (name, _options, score) = what  # type: ignore[misc]
                by_role = {"points": chosen[k], "score": score}
                middle = run[len(name) + len(chosen[k]) : len(run) - len(score)]
                cells = [name, *(by_role.get(role, BLANK_CELL) for role in self.values)]
                self.out.row(cells + ([""] if self.reason else []), at)
                self.out.left(middle, at, _GARBLED)
        self.items = []
        self.points = None

    def _choice(self, parts: list[int]) -> dict[int, str] | None:
        if self.points is None or "points" not in self.values:
            return None
        at = self.values.index("points") + 1
        known = sum(
            (_value(cells[at]) or Decimal(0))  # type: ignore[index]
            for kind, cells, _ in self.items
            if kind == "row" and len(cells) > at  # type: ignore[arg-type]
        )
        options = [self.items[k][1][1][1] for k in parts]  # type: ignore[index]
        fits = [
            combo
            for combo in itertools.islice(itertools.product(*options), 10_000)
            if known + sum(Decimal(p) for p in combo) == self.points
        ]
        return dict(zip(parts, fits[0], strict=True)) if len(fits) == 1 else None


def _garbled_row(run: str, values: list[str]) -> tuple[str, list[str], str] | None:
    """name | 分值 | … | 得分 where the … is not read: the name the run's words before its first
    digit, 分值 each number that can follow it (at most 100, not before a unit), 得分 the number
    at the run's end (not above the 分值); None when the form's columns are not 分值 first and
    得分 last, or the run is not so shaped."""
    if len(values) < 3 or values[0] != "points" or values[-1] != "score":
        return None
    head = re.match(r"\D+", run)
    if head is None or not _name_ok(head.group(0)):
        return None
    name = head.group(0)
    tail = re.search(r"(?<![\d.])(\d+(?:\.\d+)?)$", run)
    if tail is None or tail.start() <= len(name):
        return None
    score = _value(tail.group(1))
    options = []
    for number, stop in _numbers_at(run, len(name), decimals=2):
        middle = run[stop : tail.start()]
        p = _value(number)
        if (
            p is not None
            and p <= 100
            and score is not None
            and score <= p
            and not _unit_at(run, stop)
            and re.search(r"\d", middle)
        ):
            options.append(number)
    if not options:
        return None
    return name, options, tail.group(1)


def _row_number(s: str, level: re.Match[str]) -> int:
    """生态效益指标1病害减少…: the row's 指标1 run onto the level's own 指标 (a scan's text
    keeps one of the two); its digits are the template's number, not the name's. A name that
    begins with a measure (5000吨…) keeps its number."""
    if not (level.group("level") or "").endswith("指标"):
        return 0
    m = re.match(rf"\d{{1,2}}(?=[{_CJK}])", s[level.end() :])
    if m is None or _NAME_NUMBER_TAIL.match(s, level.end() + m.end()):
        return 0
    return m.end()


_TAIL = re.compile(
    rf"(?P<total>(?:总分|合计)(?=\d))|(?P<label>自评等级|评价等级|评价结论|存在问题|改进措施|"
    rf"其他需要说明事项|说明(?=无))|(?P<notes>注{_COLON})"
)


def _tail(s: str, start: int, out: _Writer) -> None:
    marks = list(_TAIL.finditer(s, start))
    for k, m in enumerate(marks):
        if m.group("notes"):
            return  # the form's notes: no part of the table
        value_end = marks[k + 1].start() if k + 1 < len(marks) else len(s)
        value = s[m.end() : value_end].strip().lstrip(":：")
        if m.group("total"):
            grade = re.search(r"[优良中差]$", value)
            value = value[: grade.start()] if grade else value
            numbers = _total_numbers(value)
            if numbers is not None and grade:
                numbers = [*numbers, grade.group(0)]
            if numbers is None:
                out.row([m.group(0)], m.start())
                if value:
                    out.left(f"{m.group(0)} {value}", m.start(), _NOT_CUT)
            else:
                out.row([m.group(0), *numbers], m.start())
        else:
            out.row([m.group(0), value] if value else [m.group(0)], m.start())


def _total_numbers(run: str) -> list[str] | None:
    """总分 100100: its points and its score, or its score alone (each at most 100, the score not
    above the points); None when not exactly one reading fits."""
    readings = []
    for shape in (["points", "score"], ["score"]):
        for values in _splits(run, 0, shape):
            whole = dict(zip(shape, values, strict=True))
            if _row_ok(whole) and Decimal(whole.get("points", "100")) >= 50:
                readings.append(values)  # (a table's points add up to about 100, never to 9)
    return readings[0] if len(readings) == 1 else None
