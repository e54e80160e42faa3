"""Self-evaluations whose text is a PDF's in drawing order, put back into a pipe table.

A document-sharing site's text of a PDF (tests/corpus_selfeval s13) is the page's text runs in
the order the PDF draws them, space-separated: the value cells of the indicator rows come
together, row after row (年度指标值 实际完成值 分值 得分, then the total's 分值 and 得分), and the
level labels and names come apart from them, in table order, a wrapped name's last characters
(…完成 / 率) wherever its second line was drawn. The layout, not the words, pairs them:

- **the value rows**: the longest run of back-to-back cell groups of a row's shape (two values,
  then 分值 and 得分 as numbers with 得分 ≤ 分值); at least two, since a table printed row by row
  has a name between two rows' values. Two numbers right after it are the 总分 row's.
- **the names**: the section's other words that are not the form's headings, level labels, a
  vertical label (绩 / 效 / 指 / 标) or a page number, in order. When there are more of them than
  value rows, pieces of one or two characters are the ends of wrapped names and join the piece
  before them. The names pair with the value rows one to one, in order, only when their counts
  are equal; otherwise nothing is paired and the values and names are listed with their line.
- **the levels**: the 二级 labels pair with the rows when there is one per row; each row's 一级 is
  the one its 二级 belongs to in the national framework, when that 一级 is printed. Otherwise
  the levels are left blank (never carried from another row).

Above the indicators, a wrapped header value and the funds block's first rows drawn before
their labels are put back beside them (see the section below); the rest is passed on cell by
cell in its order, as the row-per-line reader would have read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import vocab
from .pdflayout import is_page_number
from .selfeval_runon import BLANK_CELL, Cut
from .source import PIPES, VERTICAL, Text, layout_of

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,24})(?:\.\d{1,12})?")
# A value cell: a figure with its operator and unit (≥12公里, >=90%, =100%), or a short word
# (及时, 合格) that is not one of the form's labels.
_QUANTITY = re.compile(r"(?:[<>≤≥=＝]=?)?[+-]?\d+(?:[.,]\d+)*(?:%|[\u4e00-\u9fffA-Za-z/²³]{1,6})?")
_WORD = re.compile(r"[\u4e00-\u9fff]{1,4}")
_HEADINGS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "全年实际值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
    "未完成原因分析",
)
_HEADING_ROW = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
_TOTAL = ("总分", "合计")
_NAME_LABEL = "项目名称"
_SHORT_PIECE = 2  # characters: the end of a wrapped name, not a name of its own
_UNPAIRED = (
    "指标行的数值与名称分开排列，数目对不上，没有配对 / "
    "the rows' values and names are drawn apart and their counts differ: not paired"
)


@dataclass(frozen=True)
class _Token:
    text: str
    line: int


def _tokens(t: Text) -> list[_Token]:
    return [
        _Token(word, number)
        for number, line in enumerate(t.text.split("\n"), start=t.line_of(0))
        for word in line.split()
    ]


def _is_heading(text: str) -> bool:
    return len(text) >= 2 and any(text in heading for heading in _HEADINGS)


def _is_level(text: str) -> bool:
    return vocab.level1_score(text, vocab.NATIONAL) == 2 or vocab.is_level2(text)


def _is_value(text: str) -> bool:
    if _QUANTITY.fullmatch(text):
        return True
    return bool(_WORD.fullmatch(text)) and not (
        _is_heading(text) or _is_level(text) or text in VERTICAL
    )


def _number(text: str) -> float | None:
    return float(text.replace(",", "")) if _NUMBER.fullmatch(text) else None


def _is_total(points: str, score: str) -> bool:
    p, s = _number(points), _number(score)
    return p is not None and s is not None and s <= p


def _row_at(tokens: list[_Token], i: int, end: int) -> bool:
    """tokens[i:i+4] have a row's shape: two values, then 分值 and 得分 (得分 ≤ 分值)."""
    if i + 4 > end:
        return False
    target, actual, points, score = (tokens[i + k].text for k in range(4))
    p, s = _number(points), _number(score)
    return _is_value(target) and _is_value(actual) and p is not None and s is not None and s <= p


def _value_run(tokens: list[_Token], start: int, end: int) -> tuple[int, int]:
    """(first index, number of rows) of the longest run of back-to-back rows, or (start, 0)."""
    runs = [0] * (end - start + 4)  # rows in a run from each index, counted from the end
    best = (start, 0)
    for i in range(end - 1, start - 1, -1):
        if _row_at(tokens, i, end):
            runs[i - start] = 1 + runs[i - start + 4]
            if runs[i - start] >= best[1]:  # the first of equally long runs
                best = (i, runs[i - start])
    return best


def _vertical_pieces(words: list[_Token]) -> set[int]:
    """Indices of single characters that together spell a vertical label (绩 效 指 标)."""
    out: set[int] = set()
    i = 0
    while i < len(words):
        k = i
        while k < len(words) and len(words[k].text) == 1:
            k += 1
        if k - i >= 2 and "".join(w.text for w in words[i:k]) in VERTICAL:
            out.update(range(i, k))
        i = max(k, i + 1)
    return out


def _joined_names(pieces: list[_Token], rows: int) -> list[_Token]:
    if len(pieces) <= rows:
        return pieces
    names: list[_Token] = []
    for piece in pieces:
        if names and len(piece.text) <= _SHORT_PIECE:
            names[-1] = _Token(names[-1].text + piece.text, names[-1].line)
        else:
            names.append(piece)
    return names


def _levels(level1s: list[str], level2s: list[str], rows: int) -> list[tuple[str, str]]:
    if len(level2s) != rows:
        return [("", "")] * rows
    printed = set(level1s)
    firsts = [vocab.level1_for(level2, vocab.NATIONAL) or "" for level2 in level2s]
    if len(level1s) == rows:
        firsts = level1s
    elif not all(first in printed for first in firsts):
        firsts = [""] * rows
    return list(zip(firsts, level2s, strict=True))


def cut(t: Text) -> Cut | None:
    """The self-evaluation in `t` as a pipe table, when its indicator rows' values were drawn
    apart from their names; else None."""
    if layout_of(t.text) == PIPES:
        return None
    tokens = _tokens(t)
    start = next((k for k, w in enumerate(tokens) if w.text == "一级指标"), None)
    if start is None:
        return None
    end = next((k for k in range(start, len(tokens)) if tokens[k].text in _TOTAL), len(tokens))
    first, count = _value_run(tokens, start + 1, end)
    if count < 2:
        return None
    after = first + 4 * count
    total = [w.text for w in tokens[after : min(after + 2, end)]]
    has_total = len(total) == 2 and _is_total(*total)
    used = set(range(first, after + (2 if has_total else 0)))
    words = [w for k, w in enumerate(tokens[start + 1 : end], start + 1) if k not in used]
    vertical = _vertical_pieces(words)
    level1s: list[str] = []
    level2s: list[str] = []
    pieces: list[_Token] = []
    kept = [
        w
        for k, w in enumerate(words)
        if k not in vertical and not _is_heading(w.text) and not is_page_number(w.text)
    ]
    for k, word in enumerate(kept):
        # 满意度指标 / 成本指标 are 一级 or 二级: 一级 when a 二级 label follows.
        sure = vocab.level1_score(word.text, vocab.NATIONAL)
        then = kept[k + 1].text if k + 1 < len(kept) else ""
        if sure == 2 or (sure == 1 and vocab.is_level2(then)):
            level1s.append(word.text)
        elif vocab.is_level2(word.text):
            level2s.append(word.text)
        else:
            pieces.append(word)
    names = _joined_names(pieces, count)

    out = _Table()
    _before(tokens[:start], out)
    out.row(list(_HEADING_ROW), tokens[start].line)
    values = [tokens[first + 4 * r : first + 4 * r + 4] for r in range(count)]
    if len(names) == count:
        for (level1, level2), name, cells in zip(
            _levels(level1s, level2s, count), names, values, strict=True
        ):
            out.row([level1, level2, name.text, *(c.text for c in cells)], cells[0].line)
    else:
        for cells in values:
            out.unplaced.append(
                (cells[0].line, f"{' '.join(c.text for c in cells)}（{_UNPAIRED}）")
            )
        for name in names:
            out.unplaced.append((name.line, f"{name.text}（{_UNPAIRED}）"))
    if has_total:  # its label, drawn at the end, is this row's
        out.row([_TOTAL[0], *total], tokens[after].line)
        end += 1
    # The heading's last cell (偏差原因分析及 / 改进措施) drawn after the total: a heading, not
    # the tail's 改进措施.
    while end < len(tokens) and (is_page_number(tokens[end].text) or _is_heading(tokens[end].text)):
        end += 1
    out.cells(tokens[end:])
    return Cut("\n".join(out.lines), out.origin, out.unplaced)


class _Table:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origin: list[int] = []
        self.unplaced: list[tuple[int, str]] = []

    def row(self, cells: list[str], line: int) -> None:
        self.lines.append("| " + " | ".join(c if c else " " for c in cells) + " |")
        self.origin.append(line)

    def plain(self, words: list[_Token]) -> None:
        """The page above the table (title, year) as one line, as it was written."""
        if words:
            self.lines.append(" ".join(w.text for w in words))
            self.origin.append(words[0].line)

    def cells(self, words: list[_Token]) -> None:
        """Cells in their order, one table line per source line."""
        for line in dict.fromkeys(w.line for w in words):
            self.row([w.text for w in words if w.line == line], line)


def _before(words: list[_Token], out: _Table) -> None:
    at = next((k for k, w in enumerate(words) if w.text.startswith(_NAME_LABEL)), 0)
    title, rest = _header_values(words[:at], words[at:])
    for line in dict.fromkeys(w.line for w in title):
        out.plain([w for w in title if w.line == line])
    out.cells(_goals_in_order(_funds_in_order(rest)))


# -- the header and the funds block ---------------------------------------------------------
#
# A two-line cell is drawn from its first line, above a one-line label centred beside it: a
# wrapped 项目名称 / 实施单位 value comes before its label (…结 算费用 项目名称 主管部门 …). The
# funds block's first rows are drawn before their labels: after the headings come the total's
# values (amounts, then 分值 and 得分) and the next line's (amounts, then —), and the labels
# 年度资金总额 / 其中:当年财政拨款 later, with nothing after them; a rate printed in a cell merged
# over both rows is drawn further on. Each is put back beside its label, in the order the
# row-per-line reader reads; anything that does not fit stays where it was.

_HEADER_LABELS = ("项目名称", "主管部门", "实施单位", "项目实施单位")
_FUNDS_HEADING = re.compile(
    r"^(年初预算|全年预算|调整后预算|预算数|全年执行|执行数|执行率|分值|权重|得分)"
)
_FUNDS_LINE = re.compile(r"^(其中|当年财政拨款|本年财政拨款|上年结转|其他资金)")
_FUNDS_TOTAL = "年度资金总额"
_GOAL_LABELS = ("预期目标", "实际完成情况", "年度总体目标", "年度", "总体", "目标")
_EMPTY = ("—", "-", "/")
_TITLE_END = re.compile(r"(表|年度?[)）]?)$")
_WRAPPED_PIECES = 2
_BLOCK_LABELS = ("项目资金", "资金情况", "项目资金(元)", "项目资金(万元)")
_UNIT = re.compile(r"[(（](万元|元)[)）]")


def _is_label(text: str) -> bool:
    return (
        text.startswith(_HEADER_LABELS)
        or bool(_FUNDS_HEADING.match(text) or _FUNDS_LINE.match(text))
        or text.startswith((_FUNDS_TOTAL, "项目资金", "资金情况"))
        or text in _GOAL_LABELS
        or bool(_UNIT.fullmatch(text))
    )


def _free(text: str) -> bool:
    """A piece of a value cell: words, no figure, not one of the form's labels."""
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and not (
        _is_label(text) or re.search(r"\d", text)
    )


def _header_values(title: list[_Token], rest: list[_Token]) -> tuple[list[_Token], list[_Token]]:
    rest = list(rest)
    k = 0
    while k < len(rest):
        label = rest[k]
        blank = k + 1 >= len(rest) or _is_label(rest[k + 1].text)
        if not (label.text in _HEADER_LABELS and blank):
            k += 1
            continue
        if k == 0:  # the name's pieces close the title: after its last 表 / (2022 年度)
            end = max((i + 1 for i, w in enumerate(title) if _TITLE_END.search(w.text)), default=0)
            pieces = title[end:]
            if 0 < len(pieces) <= _WRAPPED_PIECES and all(_free(w.text) for w in pieces):
                title = title[:end]
                rest.insert(1, _joined(pieces))
            k += 1
            continue
        first = k
        while first > 0 and k - first < _WRAPPED_PIECES and _free(rest[first - 1].text):
            first -= 1
        if first < k:
            value = _joined(rest[first:k])
            rest = rest[:first] + [label, value] + rest[k + 1 :]
            k = first + 2
        else:
            k += 1
    return title, rest


def _joined(pieces: list[_Token]) -> _Token:
    return _Token("".join(w.text for w in pieces), pieces[0].line)


def _goals_in_order(words: list[_Token]) -> list[_Token]:
    """预期目标 followed by nothing but the goals' own labels before 实际完成情况 and its text:
    its cell is blank (a kept blank, so that the one text is not read as the 预期目标)."""
    texts = [w.text for w in words]
    if "预期目标" not in texts or "实际完成情况" not in texts:
        return words
    expected, achieved = texts.index("预期目标"), texts.index("实际完成情况")
    between = texts[expected + 1 : achieved]
    if achieved < expected or not all(t in _GOAL_LABELS for t in between):
        return words
    if achieved + 1 >= len(words) or not _free(texts[achieved + 1]):
        return words
    blank = _Token(BLANK_CELL, words[achieved].line)
    return words[: achieved + 1] + [blank] + words[achieved + 1 :]


def _is_amount(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def _funds_in_order(words: list[_Token]) -> list[_Token]:
    heads = [k for k, w in enumerate(words) if _FUNDS_HEADING.match(w.text)]
    if len(heads) < 3:
        return words
    first, last = heads[0], heads[-1]
    if heads != list(range(first, last + 1)):
        return words
    run_end = last + 1
    while run_end < len(words) and (
        _is_amount(words[run_end].text) or words[run_end].text in _EMPTY
    ):
        run_end += 1
    run = words[last + 1 : run_end]
    orphans = [
        k
        for k, w in enumerate(words)
        if k >= run_end
        and (w.text.startswith(_FUNDS_TOTAL) or _FUNDS_LINE.match(w.text))
        and (
            k + 1 >= len(words)
            or not (_is_amount(words[k + 1].text) or words[k + 1].text in _EMPTY)
        )
    ]
    if not run or not orphans or not words[orphans[0]].text.startswith(_FUNDS_TOTAL):
        return words
    names = [w.text for w in words[first : last + 1]]
    total_end = _total_end(run, names)
    if total_end is None:
        return words
    groups = [run[:total_end]]
    if total_end < len(run):
        groups.append(run[total_end:])
    if len(orphans) < len(groups):  # values with no label left for them
        return words
    labels = [words[k] for k in orphans[: len(groups)]]
    total = groups[0]
    rate = _lone_rate(words, run_end, total, names)
    if rate is not None:
        at = next(k for k, n in enumerate(names) if "执行率" in n)  # under its own heading
        total = total[:at] + [words[rate]] + total[at:]
    rows: list[_Token] = []
    for label, values in zip(labels, [total, *groups[1:]], strict=True):
        rows += [label, *values]
    moved = set(orphans[: len(groups)]) | ({rate} if rate is not None else set())
    # The block's label (项目资金 (元)), drawn at the middle of its rows: before its headings,
    # where its unit is read.
    block = next((k for k in range(run_end, len(words)) if words[k].text in _BLOCK_LABELS), None)
    heading: list[_Token] = []
    if block is not None:
        end = block + 1
        if end < len(words) and _UNIT.fullmatch(words[end].text):
            end += 1
        heading = words[block:end]
        moved |= set(range(block, end))
    after = [w for k, w in enumerate(words[run_end:], run_end) if k not in moved]
    return words[:first] + heading + words[first : last + 1] + rows + after


def _total_end(run: list[_Token], names: list[str]) -> int | None:
    """How many of the run's values are the total's: one per funds heading, the rate's perhaps
    drawn elsewhere; its amounts are numbers and its 分值, 得分 a score out of at most 100."""
    fits = []
    for with_rate in (True, False):
        columns = [n for n in names if with_rate or not n.startswith("执行率")]
        if len(columns) > len(run):
            continue
        cells = dict(zip(columns, (w.text for w in run), strict=False))
        points = _number(next((v for n, v in cells.items() if n.startswith(("分值", "权重"))), ""))
        score = _number(cells.get("得分", ""))
        rate = next((v for n, v in cells.items() if n.startswith("执行率")), None)
        amounts = [
            v for n, v in cells.items() if not n.startswith(("分值", "权重", "得分", "执行率"))
        ]
        if (
            points is not None
            and score is not None
            and score <= points <= 100
            and all(_is_amount(v) for v in amounts)
            and (rate is None or rate.endswith("%"))
        ):
            fits.append(len(columns))
    return fits[0] if len(fits) == 1 else None


def _lone_rate(
    words: list[_Token], start: int, total: list[_Token], names: list[str]
) -> int | None:
    """The one rate drawn apart from the funds rows, when the total has none and it is the
    total's 全年执行数 / 全年预算数 (to a tenth of a point)."""
    if not any("执行率" in n for n in names) or any("%" in w.text for w in total):
        return None
    rates = [k for k in range(start, len(words)) if re.fullmatch(r"\d+(\.\d+)?%", words[k].text)]
    columns = [n for n in names if not n.startswith("执行率")]
    amounts = dict(zip(columns, (w.text for w in total), strict=False))
    budget = next(
        (
            _number(v)
            for n, v in amounts.items()
            if n.startswith(("全年预算", "调整后预算", "预算数"))
        ),
        None,
    )
    executed = next((_number(v) for n, v in amounts.items() if "执行数" in n), None)
    if len(rates) != 1 or not budget or executed is None:
        return None
    printed = float(words[rates[0]].text.rstrip("%"))
    return rates[0] if abs(executed / budget * 100 - printed) <= 0.1 else None
