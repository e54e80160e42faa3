"""Scored self-evaluation forms whose text is a PDF's in drawing order (湖北's county form).

Some provinces' 绩效目标自评表 score the project's process as well as its indicators: a part
headed 项目权重 | 评价内容 | 分值 | 自评分 | 复核分 | 评价标准及依据 (项目决策 2 分:
决策依据 2 2 …), then the indicators under 一级 | 二级 | 指标名称(三级指标) | 年初指标值 |
年终完成值 | 自评分 | 复核分 | 评价标准, each level's weight printed in its label
(数量指标 15 分). A document-sharing site's text
of such a PDF (tests/corpus_selfeval s14) has every cell space-separated in drawing order, and
two things the other readers cannot pair:

- **a level label drawn in the middle of its rows**: a merged cell is drawn at its vertical
  middle, so "组织机构 项目管理 13 分 2 2" puts a row's name before the label and its values
  after it. A label is ``word number 分``; the rows it spans are found by its points: the rows'
  分值 in order are cut into consecutive blocks that add up to each label's points, in the
  labels' order, and each label must be drawn inside its block. Only when that one cut fits
  are the levels given; otherwise the rows keep blank levels and the labels are listed. Rows
  without their own 分值 (the indicator part prints only 自评分) take a label only when it is
  drawn inside the row or right after its cells, and its 一级 from the framework only when that
  一级 is printed.
- **cells wrapped piece by piece**: a two-line cell's second line is drawn with the next line's
  other cells, so "乡村道路建设 300 公 300 公 15 … 养护里程 里 里" is the name 乡村道路建设养护里程
  and the values 300公里, 300公里. A word followed by exactly one short piece for each value
  cell that ends in a piece is that row's second line; a wrapped level label (数量指 … 标 15 分)
  is joined only when the join is a level name of the framework.

Everything else between the rows (the 评价标准 text, part labels such as 项目绩效 85 分, names
without values) is listed with its line, never dropped. The text above the scored part goes
to the generic reader as cells, as the drawing-order reader passes it (selfeval_drawn).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import vocab
from .selfeval_drawn import _before, _Table, _Token, _tokens
from .selfeval_runon import Cut
from .source import Text

_NUMBER = re.compile(r"\d{1,9}(?:\.\d{1,4})?")
_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,16}")
_PIECE = re.compile(r"[\u4e00-\u9fff]{1,2}")  # a wrapped cell's end: 公 / 里, 标
_QUANTITY = re.compile(r"(?:[<>≤≥=＝]=?)?\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff]{1,4})?")
# The scored part's heading, and the indicator part's, printed piece by piece (年初指 … 标值).
_SCORED_HEADING = ("项目权重", "评价内容", "分值", "自评分", "复核分", "评价标准及依据")
_ROWS_HEADING = (
    "一级指标",
    "二级指标",
    "指标名称",
    "(三级指标)",
    "（三级指标）",
    "三级指标",
    "年初指标值",
    "年终完成值",
    "自评分",
    "复核分",
    "评价标准",
)
_SCORE_TOTAL = re.compile(r"^自评总分[:：]?$")
_NOTE = "评价标准或表中的其他文字，未导入 / criteria or other text of the form, not imported"
_LEVELS_UNFIT = (
    "级别的分值与各行分值之和对不上，级别未填 / the levels' points do not add up to their rows' "
    "points: levels left blank"
)


@dataclass
class _Label:
    text: str
    points: float
    at: int  # token index of its (last) word
    first: int  # token index of its first piece
    line: int


@dataclass
class _Row:
    name: str
    cells: list[str]
    line: int
    first: int  # token index of its name
    last: int  # token index of its last cell (its second line's pieces included)
    level1: str = ""
    level2: str = ""
    notes: list[str] = field(default_factory=list)


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


def _is_heading_piece(text: str, headings: tuple[str, ...]) -> bool:
    return any(text in heading for heading in headings)


def _label_at(tokens: list[_Token], i: int) -> bool:
    """`word number 分`: a level's label with its points (项目管理 13 分, 标 15 分)."""
    return (
        i + 2 < len(tokens)
        and bool(re.fullmatch(r"[\u4e00-\u9fff]{1,8}", tokens[i].text))
        and _number(tokens[i + 1].text) is not None
        and tokens[i + 2].text == "分"
    )


def _page_mark(tokens: list[_Token], i: int) -> bool:
    """— 1 —: a page number drawn as three pieces."""
    return (
        i + 2 < len(tokens)
        and tokens[i].text in ("—", "-")
        and tokens[i + 1].text.isdigit()
        and tokens[i + 2].text in ("—", "-")
    )


def _heading_end(tokens: list[_Token], start: int, headings: tuple[str, ...]) -> int:
    k = start
    while k < len(tokens) and _is_heading_piece(tokens[k].text, headings):
        k += 1
    return k


def cut(t: Text) -> Cut | None:
    """The scored form in `t` as its header's cells plus rows read here; None when `t` has no
    scored part (分值 | 自评分 headings followed by rows of two numbers)."""
    tokens = _tokens(t)
    texts = [w.text for w in tokens]
    if "自评分" not in texts:
        return None
    at = texts.index("自评分")
    start = at
    while start > 0 and _is_heading_piece(texts[start - 1], _SCORED_HEADING):
        start -= 1
    if "分值" not in texts[start:at]:
        return None
    # The indicator part's heading: a run of heading pieces holding 指标名称 / 三级指标.
    second = next(
        (
            k
            for k in range(at + 1, len(tokens))
            if texts[k] in ("指标名称", "(三级指标)", "（三级指标）", "三级指标")
        ),
        None,
    )
    scored_end = len(tokens)
    rows_start = None
    if second is not None:
        scored_end = second
        while scored_end > at and _is_heading_piece(texts[scored_end - 1], _ROWS_HEADING):
            scored_end -= 1
        rows_start = _heading_end(tokens, scored_end, _ROWS_HEADING)
    out = _Table()
    total = _total(tokens[:start])
    header = tokens[:start]
    scored, notes = _scored_rows(tokens, at + 1, scored_end)
    rows = list(scored)
    if rows_start is not None:
        indicator_rows, more = _indicator_rows(tokens, rows_start, len(tokens))
        rows += indicator_rows
        notes += more
    if len(scored) < 2:
        return None
    header, funds, listed = _funds_by_source(header)
    notes += listed
    _before(header, out)
    for cells, line in funds:
        out.row(cells, line)
    rows_read = [
        {
            "level1": r.level1,
            "level2": r.level2,
            "name": r.name,
            "target": r.cells[0] if len(r.cells) == 3 else "",
            "actual": r.cells[1] if len(r.cells) == 3 else "",
            "points": r.cells[0] if len(r.cells) == 2 else "",
            "score": r.cells[-1],
            "line": r.line,
        }
        for r in rows
    ]
    return Cut("\n".join(out.lines), out.origin, notes, rows_read, total)


def _total(words: list[_Token]) -> str:
    for k, w in enumerate(words[:-1]):
        if _SCORE_TOTAL.match(w.text) and _number(words[k + 1].text) is not None:
            return words[k + 1].text
    return ""


def _is_name(text: str) -> bool:
    return bool(_NAME.fullmatch(text)) and not _is_heading_piece(text, _SCORED_HEADING)


def _scored_rows(
    tokens: list[_Token], start: int, end: int
) -> tuple[list[_Row], list[tuple[int, str]]]:
    """Rows `name [label] 分值 自评分` (自评分 ≤ 分值) and the labels among them."""
    rows: list[_Row] = []
    labels: list[_Label] = []
    stray: list[_Token] = []
    k = start
    while k < end:
        if _page_mark(tokens, k):
            k += 3
            continue
        if _label_at(tokens, k):
            labels.append(_Label(tokens[k].text, float(tokens[k + 1].text), k, k, tokens[k].line))
            k += 3
            continue
        if _is_name(tokens[k].text):
            j = k + 1
            label = None
            if _label_at(tokens, j):  # drawn at its middle, inside this row
                w = tokens[j]
                label = _Label(w.text, float(tokens[j + 1].text), j, j, w.line)
                j += 3
            if j + 1 < end:
                points, score = _number(tokens[j].text), _number(tokens[j + 1].text)
                if points is not None and score is not None and score <= points:
                    if label:
                        labels.append(label)
                    w = tokens[k]
                    rows.append(
                        _Row(w.text, [tokens[j].text, tokens[j + 1].text], w.line, k, j + 1)
                    )
                    k = j + 2
                    continue
        if not _is_heading_piece(tokens[k].text, _SCORED_HEADING):  # the heading's end
            stray.append(tokens[k])
        k += 1
    notes = _by_line(stray)
    if labels and not _levels_by_points(rows, labels):
        notes += [(lb.line, f"{lb.text} {lb.points:g} 分（{_LEVELS_UNFIT}）") for lb in labels]
    return rows, notes


def _by_line(words: list[_Token]) -> list[tuple[int, str]]:
    lines: dict[int, list[str]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w.text)
    return [(line, f"{' '.join(texts)}（{_NOTE}）") for line, texts in lines.items()]


def _levels_by_points(rows: list[_Row], labels: list[_Label]) -> bool:
    """Cut the rows into consecutive blocks adding up to each label's points, in order, each
    label drawn inside its block (from its first row's name to its last row's cells, or just
    before its first row). All rows covered, or nothing is given."""
    blocks: list[tuple[int, int]] = []
    r = 0
    for label in labels:
        first, points = r, 0.0
        while r < len(rows) and points < label.points:
            points += float(rows[r].cells[0])
            r += 1
        if abs(points - label.points) > 1e-9 or r == first:
            return False
        blocks.append((first, r))
    if r != len(rows):
        return False
    for label, (first, last) in zip(labels, blocks, strict=True):
        before = rows[first - 1].last if first > 0 else -1
        if not (before < label.at <= rows[last - 1].last):
            return False
    for label, (first, last) in zip(labels, blocks, strict=True):
        for row in rows[first:last]:
            row.level1 = label.text
    return True


def _indicator_rows(
    tokens: list[_Token], start: int, end: int
) -> tuple[list[_Row], list[tuple[int, str]]]:
    """Rows `name 年初指标值 年终完成值 自评分`, each value perhaps a number and a wrapped piece
    (300 公) whose end comes with the name's second line (养护里程 里 里); level labels."""
    rows: list[_Row] = []
    labels: list[_Label] = []
    used: set[int] = set()
    k = start
    while k < end:
        if _page_mark(tokens, k):
            used.update(range(k, k + 3))
            k += 3
            continue
        row = _indicator_row(tokens, k, end) if _is_name(tokens[k].text) else None
        if row is None:
            k += 1
            continue
        rows.append(row)
        used.update(range(row.first, row.last + 1))
        k = row.last + 1
    for k in range(start, end):
        if k not in used and _label_at(tokens, k):
            label = _wrapped_label(tokens, k, start, used)
            if label is not None:
                labels.append(label)
                used.update({label.first, label.at, label.at + 1, label.at + 2})
    # A row's 二级: the level label drawn inside it or right after its cells.
    printed = {lb.text for lb in labels}
    for row in rows:
        touching = [lb for lb in labels if row.first < lb.first <= row.last + 1]
        if len(touching) == 1 and vocab.is_level2(touching[0].text):
            row.level2 = touching[0].text
            level1 = vocab.level1_for(row.level2, vocab.NATIONAL) or ""
            row.level1 = level1 if level1 in printed else ""
    stray = [tokens[k] for k in range(start, end) if k not in used]
    return rows, _by_line(stray)


def _indicator_row(tokens: list[_Token], k: int, end: int) -> _Row | None:
    j = k + 1
    cells: list[str] = []
    open_pieces: list[int] = []  # cells that end in a wrapped piece
    while j < end and len(cells) < 3:
        text = tokens[j].text
        if not _QUANTITY.fullmatch(text):
            break
        value = text
        if (
            _number(text) is not None
            and len(cells) < 2
            and j + 1 < end
            and _PIECE.fullmatch(tokens[j + 1].text)
        ):
            value += tokens[j + 1].text
            open_pieces.append(len(cells))
            j += 1
        cells.append(value)
        j += 1
    if len(cells) != 3 or _number(cells[2]) is None:
        return None
    row = _Row(tokens[k].text, cells, tokens[k].line, k, j - 1)
    if open_pieces:  # the second line: a word and one piece per open cell
        for m in range(j, min(end, j + 12)):
            pieces = tokens[m + 1 : m + 1 + len(open_pieces)]
            if (
                _is_name(tokens[m].text)
                and len(pieces) == len(open_pieces)
                and all(_PIECE.fullmatch(p.text) for p in pieces)
            ):
                row.name += tokens[m].text
                for cell, piece in zip(open_pieces, pieces, strict=True):
                    row.cells[cell] += piece.text
                row.last = m + len(open_pieces)
                break
    return row


def _wrapped_label(tokens: list[_Token], k: int, start: int, used: set[int]) -> _Label | None:
    """The label ending at k (标 15 分); its first piece drawn earlier (数量指) when the two
    make a level name of the framework."""
    piece = tokens[k].text
    points = float(tokens[k + 1].text)
    if vocab.is_level_label(piece, vocab.NATIONAL):
        return _Label(piece, points, k, k, tokens[k].line)
    for m in range(k - 1, start - 1, -1):
        if m in used or not _PIECE.fullmatch(tokens[m].text[-2:]):
            continue
        joined = tokens[m].text + piece
        if vocab.is_level_label(joined, vocab.NATIONAL) and len(tokens[m].text) <= 4:
            return _Label(joined, points, k, m, tokens[m].line)
    return None


# -- the header's funds by source ----------------------------------------------------------
#
# 湖北's form prints the funds by source: 中央 | 省、地 | 本级 | 其他 | 合计 | 执行数 | 执行率, each
# amount (万元). Drawn, the amounts come apart from their headings and from one another (a later
# one and the rate after the sign-off line), so no amount's column can be told by its place. The
# form's arithmetic can tell 合计 and 执行数: every amount is a cell of the row, the sources add
# up to 合计 and 执行数 / 合计 is the rate, so 合计 = (the amounts' sum − 执行数) / 2 — at most
# one reading. Which source column holds which amount stays unknown: they are listed.

_SOURCES_TOTAL, _SOURCES_SPENT = "合计", "执行数"
_RATE_HEADING = ("执行率", "执行", "率")
_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,6})?")
_RATE = re.compile(r"(\d{1,3}(?:\.\d{1,4})?)(%?)")
_FUNDS_UNIT = re.compile(r"[(（](万元|元)[)）]")
_SOURCES_NOTE = (
    "资金来源各栏的金额，分不清在哪一栏，未录入 / the amounts by source: which column each "
    "stands in cannot be told, not imported"
)
_FUNDS_UNFIT = (
    "资金栏的金额与执行率对不上唯一的读法，没有猜 / the funds' amounts and rate leave no single "
    "reading: not guessed"
)


def _funds_by_source(
    header: list[_Token],
) -> tuple[list[_Token], list[tuple[list[str], int]], list[tuple[int, str]]]:
    """The header without its funds-by-source block, the block as table rows (heading, total)
    and what is listed; the header unchanged when it has no such block."""
    texts = [w.text for w in header]
    if _SOURCES_TOTAL not in texts:
        return header, [], []
    total_at = texts.index(_SOURCES_TOTAL)
    if total_at + 1 >= len(texts) or texts[total_at + 1] != _SOURCES_SPENT:
        return header, [], []
    first = total_at
    while (
        first > 0
        and re.fullmatch(r"[\u4e00-\u9fff、]{1,4}", texts[first - 1])
        and not (texts[first - 1].startswith("项目"))
    ):
        first -= 1
    sources = total_at - first
    if sources == 0:
        return header, [], []
    # The rate's heading and the units after 执行数, cut around one another (执行 (万元)… 率).
    used = set(range(first, total_at + 2))
    k = total_at + 2
    unit = ""
    while k < len(texts) and (texts[k] in _RATE_HEADING or _FUNDS_UNIT.fullmatch(texts[k])):
        match = _FUNDS_UNIT.fullmatch(texts[k])
        unit = unit or (match.group(0) if match else "")
        used.add(k)
        k += 1
    amounts: list[int] = []
    rates: list[list[int]] = []
    for j in range(k, len(texts)):
        after = texts[j + 1] if j + 1 < len(texts) else ""
        if texts[j].endswith("%") and _RATE.fullmatch(texts[j]):
            rates.append([j])
        elif _AMOUNT.fullmatch(texts[j]) and after == "%":
            rates.append([j, j + 1])
        elif _AMOUNT.fullmatch(texts[j]) and not re.match(r"[\u4e00-\u9fff]", after):
            amounts.append(j)  # (12 公里: a figure of the goal text, no amount)
        elif _AMOUNT.fullmatch(texts[j]) and after == "来源":
            amounts.append(j)  # the block's own label (资金来源) drawn after it
    if len(rates) != 1 or not amounts:
        return header, [], []
    rate_text = "".join(texts[j] for j in rates[0])
    rate = Decimal(rate_text.rstrip("%"))
    values = [Decimal(texts[j]) for j in amounts]
    readings: dict[tuple[str, str], tuple[int, int]] = {}  # by value: one of its placements
    for t in range(len(values)):
        for e in range(len(values)):
            rest = [v for m, v in enumerate(values) if m not in (t, e)]
            if (
                t != e
                and len(rest) <= sources
                and sum(rest) == values[t]
                and values[t] > 0
                and abs(values[e] / values[t] * 100 - rate) <= Decimal("0.1")
            ):
                readings.setdefault((texts[amounts[t]], texts[amounts[e]]), (t, e))
    line = header[total_at].line
    block = [header[j] for j in sorted(used)] + [header[j] for j in amounts + rates[0]]
    if len(readings) != 1:
        listed = " ".join(w.text for w in block)
        return header, [], [(line, f"{listed}（{_FUNDS_UNFIT}）")]
    (((budget, spent), taken),) = readings.items()
    # the sources' amounts: the values left once 合计 and 执行数 are taken
    by_source = [texts[j] for m, j in enumerate(amounts) if m not in taken]
    labels = [j for j in range(len(texts)) if texts[j] in ("来源", "项目资金") and j > total_at]
    drop = used | set(amounts) | set(rates[0]) | set(labels)
    rest_header = [w for j, w in enumerate(header) if j not in drop]
    heading = [f"项目资金{unit}", "全年预算数", "全年执行数", "执行率"]
    rows = [(heading, line), (["年度资金总额", budget, spent, rate_text.replace(" ", "")], line)]
    listed = []
    if by_source:
        names = " / ".join(texts[first:total_at])
        listed.append((line, f"{names}: {' '.join(by_source)}（{_SOURCES_NOTE}）"))
    return rest_header, rows, listed
