"""The header of a table (everything above the indicator table): labels → fields of a draft."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import parse_date, parse_period
from ..lint import split_code
from ..problems import ValueProblem
from . import vocab
from .choices import options
from .columns import side_by_side
from .draft import Draft, Piece
from .labels import Label, _table_cached, find_labels
from .source import CELLS, LINES, PIPES, ROWS, Text
from .textutil import join_wrapped, squash
from .values import amount_in_yuan, has_explicit_unit, page_unit

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_DATE_AT_START = re.compile(r"^\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?")
_PIPE_ONLY = re.compile(r"^[\s|]*$")
_AMOUNT_ONLY = re.compile(r"^\s*[\d,.]+\s*(万元|万|元)?\s*$")
# A label the vocabulary does not know: a short heading, no sentence, not a number.
_LABEL_LIKE = re.compile(r"(?=.*[\u4e00-\u9fff])[^。；;，,\d]{2,16}")
_COLON_END = re.compile(r"[:：]$")


def _blank_label(text: str) -> bool:
    """`项目责任人:`: a label as printed, colon included, with no value in its cell."""
    return bool(_COLON_END.search(text)) and bool(_LABEL_LIKE.fullmatch(text[:-1]))


_WRAP_PIECE = re.compile(r"[^\s\d。；;，,:：|]+")  # a piece of a wrapped cell: words only


def _unwrapped(cells: list[Cell]) -> tuple[str, list[Cell]]:
    """A cell a PDF wrapped in its narrow column, one text span a line: its first line has the
    column's full width and each line after is no longer, the last one shorter
    (`上海市普陀区建设和管` / `理委员会`). Returns the joined text and the cells after it."""
    first = cells[0].text.strip()
    pieces = [first]
    width = len(first)
    for cell in cells[1:]:
        text = cell.text.strip()
        if (
            len(pieces[-1]) < width  # the last line of the cell came already
            or len(text) > width
            or not _WRAP_PIECE.fullmatch(text)
            or not _WRAP_PIECE.fullmatch(pieces[-1][-1:])
            or cell.line != cells[0].line + len(pieces)
        ):
            break
        pieces.append(text)
    return "".join(pieces), cells[len(pieces) :]


_NOTE_ONLY = re.compile(r"[（(][^()（）]*[)）]")
_SPACED_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?")
_SUBTOTAL = ("小计", "合计")
_HEADING_FRAGMENT = re.compile(r"^绩(效(指标?|目标?)?)?$")
# The schedule under the overview (Hunan's form): its own headings 开始时间 | 完成时间.
_SCHEDULE = ("项目实施进度计划", "实施进度计划", "项目进度计划", "进度计划")
_DATE_LIKE = re.compile(r"^\s*\d{4}(?!\d{3})")
# The spending half of a money block laid out 收入 | 支出 (Jiangsu): its lines are not sources.
_SPENDING = ("支出", "资金支出")
_UNIT_ONLY = re.compile(r"^[（(]?(万元|元)[)）]?$")
# Headings over the goal cells; with one text of their own (no 中期/年度 labels under them)
# they are a form's single goal, which is the year's goal.
_GOAL_HEADINGS = (
    "绩效目标",
    "总体目标",
    "项目绩效目标",
    "绩效总目标",
    "项目总体目标",
    "总体绩效目标",
    "项目总目标",
)
# Checkbox choices as a page prints them: 新增项目□ 延续项目√ (or R, the Wingdings ticked box)
_BOX = re.compile(r"[□☐]")
_OPTION = re.compile(r"(?P<option>[^\s□☐√✓✔☑■▣]+?)\s*(?P<mark>[□☐√✓✔☑■▣]|R(?=\s|$))")


def _goal_heading(label: Label) -> bool:
    """项目绩效目标, 项目总目标 …: a heading over goal cells, printed as a group label."""
    return label.kind == "group" and squash(label.printed) in _GOAL_HEADINGS


def _goal_like(label: Label) -> bool:
    return label.kind == "goal" or _goal_heading(label)


def _ticked(value: str) -> str | None:
    """The one ticked option of a checkbox cell, or None when not exactly one is ticked."""
    listed = options(value)  # the box before its option (□ 新增 ☑ 延续) or after it
    if listed is not None:
        marked = [option for option, is_ticked in listed if is_ticked]
        return marked[0] if len(marked) == 1 else None
    ticked = [m["option"] for m in _OPTION.finditer(value) if m["mark"] not in "□☐"]
    return ticked[0] if len(ticked) == 1 else None


# A project's length, not its dates: 1年, 3年, 长期, 全年, 一次性, 18个月
_DURATION = re.compile(r"(\d+|[一二三四五六七八九十]+)(年|个月|月)|长期|全年|一次性|持续|常年")
_DECLARES_WAN = re.compile(r"[（(]\s*万元\s*[)）]|单位\s*[:：]\s*万元")
_DECLARES_YUAN = re.compile(r"[（(]\s*元\s*[)）]|单位\s*[:：]\s*元")


def declares_wan(text: str) -> bool:
    """The header says its amounts are in 万元 (and never says 元)."""
    return bool(_DECLARES_WAN.search(text)) and not _DECLARES_YUAN.search(text)


@dataclass
class Cell:
    text: str
    line: int


# An amount with its unit, then cells that ran together behind it.
_AMOUNT_RAN_ON = re.compile(r"^(?P<amount>\d[\d,]*(?:\.\d+)?\s*万?元)\s+(?P<rest>\S.*)$")
# `中央补助安排0`, `其他资金:20万元`: a label and its amount; anything else is its own piece.
_LABEL_AMOUNT = re.compile(r"[^\d\s:：]+?[:：]?\d[\d,]*(?:\.\d+)?(?:\s*万?元)?(?![\d.])|[^\d]+$")


def cells_of(t: Text, start: int, end: int, layout: str) -> list[Cell]:
    """The value text between two labels, cut into cells the way the layout separates them.

    Empty cells are dropped. Lines that a PDF or a narrow cell wrapped are joined back.
    """
    raw = t.text[start:end]
    if layout == PIPES:
        pieces: list[tuple[str, int]] = []
        held: list[str] = []  # a line without `|` inside a cell: the cell goes on below
        held_at = start
        offset = start
        for line in raw.split("\n"):
            parts = line.split("|")
            if len(parts) == 1 and line.strip() and offset > start:
                held_at = offset if not held else held_at
                held.append(line)
                offset += len(line) + 1
                continue
            col = offset
            for k, part in enumerate(parts):
                if k == 0 and held:
                    pieces.append((join_wrapped([*held, part]), held_at))
                    held = []
                else:
                    pieces.append((part, col))
                col += len(part) + 1
            offset += len(line) + 1
        if held:
            pieces.append((join_wrapped(held), held_at))
        return [
            Cell(p.strip(), t.line_of(o + len(p) - len(p.lstrip()))) for p, o in pieces if p.strip()
        ]
    if layout == CELLS:
        blocks = _blocks(raw, start)
    elif layout == LINES:
        blocks = _line_blocks(raw, start)
    else:  # ROWS: one paragraph, its wrapped lines joined
        blocks = [(raw, start)] if raw.strip() else []
    out = []
    for text, offset in blocks:
        lines = text.split("\n")
        joined = join_wrapped(lines)
        if joined:
            lead = len(text) - len(text.lstrip())
            out.append(Cell(joined, t.line_of(offset + lead)))
    return out


def _line_blocks(raw: str, start: int) -> list[tuple[str, int]]:
    out = []
    offset = start
    for line in raw.split("\n"):
        if line.strip():
            out.append((line, offset))
        offset += len(line) + 1
    return out


def first_line_value(t: Text, start: int, end: int) -> list[Cell]:
    """A one-line field in a row layout (name, unit …): its value is the rest of the label's
    line. Following lines continue it only while they are single words (a wrapped name);
    a line of several words is something else, not to be glued on."""
    cells = _line_blocks(t.text[start:end], start)
    if not cells:
        return []
    value = [cells[0]]
    rest = cells[1:]
    while (
        rest
        and len(rest[0][0].split()) == 1
        and len(value[-1][0].split()) <= 1
        and not re.match(r"(金额)?单位[:：]", rest[0][0].strip())  # 金额单位:万元 is no name
    ):
        value.append(rest.pop(0))
    out = [Cell(join_wrapped([text for text, _ in value]), t.line_of(value[0][1]))]
    out += [Cell(text.strip(), t.line_of(offset)) for text, offset in rest]
    return out


def _blocks(raw: str, start: int) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for match in _BLANK_LINE.finditer(raw):
        out.append((raw[pos : match.start()], start + pos))
        pos = match.end() - 1
    out.append((raw[pos:], start + pos))
    return [(text, offset) for text, offset in out if text.strip()]


def paragraphs(t: Text, start: int, end: int, layout: str) -> list[Cell]:
    """Narrative text: paragraphs split at blank lines (or cells), wraps joined."""
    if layout == PIPES:
        return cells_of(t, start, end, layout)
    if layout == LINES:  # one paragraph: lines may be a PDF's wraps as much as cells
        text = t.text[start:end]
        return [Cell(join_wrapped(text.split("\n")), t.line_of(start))] if text.strip() else []
    return [
        Cell(join_wrapped(text.split("\n")), t.line_of(offset + len(text) - len(text.lstrip())))
        for text, offset in _blocks(t.text[start:end], start)
    ]


class HeaderReader:
    """Reads the labels of one header region into a draft, in the order printed."""

    def __init__(self, t: Text, draft: Draft, layout: str) -> None:
        self.t = t
        self.draft = draft
        self.layout = layout
        self._wan = False
        # Whether the form or its page names its money unit at all (单位:万元, 金额(元), a
        # 资金总额(万元) label …). A form that never does leaves its bare amounts unknown.
        self.unit_stated = False
        # Amounts read with no unit of their own (budget path, label, text as written, line):
        # kept only when the unit is stated somewhere.
        self.bare: list[tuple[tuple[str | int, ...], str, str, int]] = []
        self.money_context = False
        self.printed: dict[str, str] = {}  # field key → the label as printed
        self.money_at: dict[str, int] = {}  # budget key → the line its amount was read on
        self.last_money = ""

    @property
    def wan(self) -> bool:
        """Amounts below are in 万元 (set by 单位:万元, （万元） headings)."""
        return self._wan

    @wan.setter
    def wan(self, value: bool) -> None:  # every setting is the form (or page) stating its unit
        self._wan = value
        self.unit_stated = True

    def read(self, start: int, end: int) -> None:
        header = self.t.text[start:end]
        if declares_wan(header):
            self.wan = True
        elif _DECLARES_YUAN.search(header):
            self.wan = self.wan if self.unit_stated else False
        elif not self.unit_stated and (unit := page_unit(self.t.text, header)):
            self.wan = unit == "万元"
        found = self._without_echoes(find_labels(self.t.text, start, end, self.draft.form))
        if not found:
            self.unplace_span(start, end)
            return
        self.lead_text(start, found[0].start)
        pending: list[Label] = []  # labels still waiting for a value (a header row of a grid)
        skip_to = 0
        for i, label in enumerate(found):
            if i < skip_to:
                continue
            skip_to = self._schedule(found, i, end)
            if skip_to:
                continue
            value_end = found[i + 1].start if i + 1 < len(found) else end
            cells = self.value_cells(label, label.end, value_end)
            if label.unit:
                self.wan = label.unit == "万元"
            if (
                _goal_like(label)
                and len(cells) == 1
                and _NOTE_ONLY.fullmatch(squash(cells[0].text))
            ):
                # 中期滚动目标 | (2019年--2021年) in a row of goal headings: the heading's note
                self.draft.outside.append(Piece(cells[0].line, f"{label.printed}{cells[0].text}"))
                cells = []
            if not cells and (label.kind in ("goal", "money", "field") or _goal_heading(label)):
                if _goal_like(label) and not all(_goal_like(p) for p in pending):
                    for lab in pending:  # blank money or field cells before the goal headings
                        self.place(lab, [], lab.end, lab.end)
                    pending = []
                pending.append(label)
                continue
            if (
                cells
                and pending
                and label.kind in ("goal",)
                and all(_goal_like(p) for p in pending)
            ):
                # 中期目标 | 年度目标 (or 项目总目标 | 年度总体目标) printed side by side, their
                # values in the row below; a heading before them (项目绩效目标, 总体目标) that
                # heads the row has no cell of its own there.
                labels = [*pending, label]
                if len(cells) == 1 and self.layout == LINES:
                    cells = self._side_by_side(labels, label.end, value_end) or cells
                skipped = len(labels) - len(cells)
                if (
                    len(cells) >= 2
                    and skipped >= 0
                    and all(_goal_heading(lab) for lab in labels[:skipped])
                ):
                    for lab in labels[:skipped]:
                        self.place(lab, [], lab.end, lab.end)
                    for lab, cell in zip(labels[skipped:], cells, strict=True):
                        self.place(lab, [cell], label.end, value_end)
                    pending = []
                    continue
            if (
                cells
                and pending
                and label.kind == "money"
                and self._money_grid([*(p for p in pending if not _goal_heading(p)), label], cells)
            ):
                pending = []
                continue
            for lab in pending:
                self.place(lab, [], lab.end, lab.end)
            pending = []
            self.place(label, cells, label.end, value_end)
        for lab in pending:
            self.place(lab, [], lab.end, lab.end)
        self._unknown_unit()

    def _unknown_unit(self) -> None:
        """Amounts printed bare (`资金总额 | 936`) on a form and page that name no money unit
        anywhere: 936 元 and 936 万元 are both plausible, so neither is written into the draft.
        Each is kept as written, with its line, where the editor must look (nothing invented,
        nothing dropped); a 0 is 0 in either unit and stays."""
        if self.unit_stated or not self.bare:
            return
        budget = self.draft.data.get("budget") or {}
        gone: set[int] = set()  # budget lines moved out whole (label and amount)
        for path, printed, written, line in self.bare:
            if path[0] == "lines":
                gone.add(int(path[1]))
            else:
                budget.pop(path[0], None)
                self.draft.comments.pop(("budget", str(path[0])), None)
            self.draft.unplace(
                line,
                f"{printed}：{written}（表上未注明金额单位：元还是万元？核对后填入 budget"
                f" / no money unit stated: 元 or 万元? check, then enter it under budget）",
            )
        if gone:
            budget["lines"] = [x for i, x in enumerate(budget["lines"]) if i not in gone]
            if not budget["lines"]:
                del budget["lines"]
        if "budget" in self.draft.data and not budget:
            del self.draft.data["budget"]
        self.bare = []

    def _bare(self, path: tuple[str | int, ...], printed: str, cell: Cell, unit: str) -> None:
        """Note an amount read without a unit of its own (its label's unit is `unit`)."""
        if unit or has_explicit_unit(cell.text) or amount_in_yuan(cell.text, False) == 0:
            return
        self.bare.append((path, printed, cell.text, cell.line))

    def _side_by_side(self, labels: list[Label], start: int, end: int) -> list[Cell]:
        """The cells of goal headings side by side (项目总目标 | 年度总体目标) when a PDF printed
        them one after the other (columns.side_by_side); a leading heading over the row
        (项目绩效目标) may have no cell of its own. [] when they cannot be told apart."""
        lines = self._lines(start, end)
        for n in range(len(labels), 1, -1):
            groups = side_by_side(lines, n)
            if groups is not None:
                return [Cell(join_wrapped([x.text for x in g]), g[0].line) for g in groups]
            if not _goal_heading(labels[len(labels) - n]):
                break
        return []

    def _schedule(self, found: list[Label], i: int, end: int) -> int:
        """项目实施进度计划 | 项目实施内容 | 开始时间 | 完成时间 over rows of tasks: a grid of the
        tasks' own dates, not the project's start and end. Kept whole, row by row, as one
        extra field. Returns the index of the next label to read (0: not such a grid)."""
        label = found[i]
        if label.kind != "group" or squash(label.printed) not in _SCHEDULE:
            return 0
        j = i + 1
        while j < len(found) and found[j].kind == "field" and found[j].key in ("start", "end"):
            j += 1
        heads = found[i + 1 : j]
        if [h.key for h in heads] != ["start", "end"]:
            return 0
        if cells_of(self.t, heads[0].end, heads[1].start, self.layout):
            return 0  # 开始时间 has a value of its own: the project's dates after all
        stop = found[j].start if j < len(found) else end
        lead = cells_of(self.t, label.end, heads[0].start, self.layout)  # 项目实施内容
        rows = cells_of(self.t, heads[1].end, stop, self.layout)
        if not rows or _DATE_LIKE.match(rows[0].text):
            return 0
        width = len(lead) + 2
        lines = [" | ".join([*(c.text for c in lead), heads[0].printed, heads[1].printed])]
        for k in range(0, len(rows), width):
            lines.append(" | ".join(c.text for c in rows[k : k + width]))
        self.money_context = False
        extra = self.draft.data.setdefault("extra", [])
        extra.append({"label": label.printed, "value": "\n".join(lines)})
        return j

    def _money_grid(self, labels: list[Label], cells: list[Cell]) -> bool:
        """Money headings over a row of amounts, the headings on one or two rows:
        `本年度预计投入(万元) | 财政资金(万元) | 其他` / `中央 | 省级 | 市级资金 | 本级` /
        `7 | 0 | 7 | 0 | 0 | 0`. A heading with sub-headings under it (the one that is
        财政资金 or 财政拨款: the levels of government fund it) has no amount of its own."""
        n_words = next(
            (i for i, c in enumerate(cells) if amount_in_yuan(c.text, False) is not None), 0
        )
        words = cells[:n_words]
        n_amounts = next(
            (i for i, c in enumerate(cells[n_words:]) if amount_in_yuan(c.text, False) is None),
            len(cells) - n_words,
        )
        amounts = cells[n_words : n_words + n_amounts]
        rest = cells[n_words + n_amounts :]
        if not words or len(amounts) < 2:
            return False
        line = self.t.line_of(labels[-1].start)
        top: list[Label | Cell] = [*labels, *(w for w in words if w.line == line)]
        below = [w for w in words if w.line != line]
        if len(top) + len(below) == len(amounts) and not below:
            headings = top
        elif below and len(top) - 1 + len(below) == len(amounts):
            spans = [i for i, h in enumerate(top) if isinstance(h, Label) and h.key == "fiscal"]
            if len(spans) != 1:
                return False
            g = spans[0]
            headings = [*top[:g], *below, *top[g + 1 :]]
        else:
            return False
        wan = any(lab.unit == "万元" for lab in labels) or self.wan
        unit = next((lab.unit for lab in labels if lab.unit), "")
        table = _table_cached(self.draft.form)
        for heading, amount in zip(headings, amounts, strict=True):
            if isinstance(heading, Label):
                key = self._money_key(heading.key, amount.line)
                printed = heading.printed
            else:
                printed = heading.text
                found = table.get(squash(printed)) or table.get(squash(printed) + "资金")
                key = found[1] if found and found[0] == "money" else ""
            value = amount_in_yuan(amount.text, wan)
            if key and not self.draft.has(("budget", key)) and value is not None:
                self.draft.set(("budget", key), str(value))
                self.printed.setdefault(key, printed)
                self._bare((key,), printed, amount, unit)
            else:
                self._line(printed, amount, wan, unit)
        self.money_context = True
        self._money_lines(rest, wan, unit)
        return True

    def _without_echoes(self, found: list[Label]) -> list[Label]:
        """`项目设立的必要性：必要性:科学会堂…`: a text that opens by naming its own field
        again is that field's value as written, not a second label."""
        out: list[Label] = []
        for label in found:
            before = out[-1] if out else None
            if (
                before is not None
                and before.kind in ("section", "goal")
                and (label.kind, label.key) == (before.kind, before.key)
                and not self.t.text[before.end : label.start].strip(" \t\n|:：")
            ):
                continue
            out.append(label)
        return out

    def lead_text(self, start: int, end: int) -> None:
        """Text before the first label: the title, the year, the unit of amounts. A label the
        vocabulary does not know, printed with its colon and nothing after it (项目责任人:,
        单位(盖章): before 项目名称), is the blank form: kept aside, not unplaced."""
        cells = cells_of(self.t, start, end, self.layout)
        for i, cell in enumerate(cells):
            key = squash(cell.text)
            after = squash(cells[i + 1].text) if i + 1 < len(cells) else ""
            if _blank_label(key) and (not after or _blank_label(after)):
                self.draft.outside.append(Piece(cell.line, f"{cell.text}（空 / blank）"))
                continue
            if vocab.TITLE.search(key) or re.fullmatch(r"[（(]?\d{4}年度?[)）]?", key):
                continue
            if re.fullmatch(r"(单位|金额单位)[:：]?(万元|元)", key):
                self.wan = key.endswith("万元")
                continue
            self.draft.unplace(cell.line, cell.text)

    def unplace_span(self, start: int, end: int) -> None:
        for cell in cells_of(self.t, start, end, self.layout):
            self.draft.unplace(cell.line, cell.text)

    def value_cells(self, label: Label, start: int, end: int) -> list[Cell]:
        if label.kind in ("section", "goal"):
            return paragraphs(self.t, start, end, self.layout)
        if label.kind == "money" or (label.kind == "group" and self.money_context):
            return self.money_cells(start, end)
        if self.layout == ROWS and label.kind in ("field", "extra", "personal"):
            return first_line_value(self.t, start, end)
        return cells_of(self.t, start, end, self.layout)

    def money_cells(self, start: int, end: int) -> list[Cell]:
        """Money blocks list `label amount` per line even in row layouts: cut at lines, unless
        the whole value is one amount that a PDF wrapped (`1,200,00` / `0`)."""
        cells = cells_of(self.t, start, end, self.layout)
        if self.layout == ROWS and len(cells) == 1 and not _AMOUNT_ONLY.match(cells[0].text):
            cells = self._lines(start, end)
        kept = []
        for cell in cells:
            unit = _UNIT_ONLY.match(squash(cell.text))
            if unit:  # （万元） on a line of its own: the unit of the amounts around it
                self.wan = unit.group(1) == "万元"
            else:
                kept.append(cell)
        return kept

    def _lines(self, start: int, end: int) -> list[Cell]:
        cells = []
        offset = start
        for line in self.t.text[start:end].split("\n"):
            if line.strip():
                cells.append(Cell(line.strip(), self.t.line_of(offset)))
            offset += len(line) + 1
        return cells

    # -- placing one label and its value --------------------------------------------------
    def place(self, label: Label, cells: list[Cell], start: int, end: int) -> None:
        line = self.t.line_of(label.start)
        handler = getattr(self, f"_{label.kind}")
        slots = self._cell_stream(label, start, end)
        if slots is not None:  # one cell per line: the label's value, then label/value pairs
            handler(label, slots[:1] if slots and slots[0] else [], line)
            self._label_stream(slots[1:])
            return
        handler(label, cells, line)

    def _cell_stream(self, label: Label, start: int, end: int) -> list[Cell | None] | None:
        """The cells after a header field in a page flattened one cell per line (`text |`),
        blank cells kept (None); None when the value is laid out otherwise."""
        if self.layout != PIPES or label.kind not in ("field", "extra", "personal"):
            return None
        raw = self.t.text[start:end]
        if raw.split("\n", 1)[0].strip(" \t|"):
            return None  # `| 项目名称 | 测试临时救助 |`: the label shares its row with its value
        lines = [line for line in raw.split("\n") if line.strip()]
        if len(lines) < 3 or any(sum(1 for p in ln.split("|") if p.strip()) > 1 for ln in lines):
            return None
        slots: list[Cell | None] = []
        held: list[str] = []  # a cell's text goes on until its closing `|`
        held_at = start
        offset = start
        for line in raw.split("\n"):
            parts = line.split("|")
            for k, part in enumerate(parts[:-1]):
                text = join_wrapped([*held, part]) if k == 0 else part.strip()
                at = held_at if k == 0 and held else offset
                held = []
                slots.append(Cell(text, self.t.line_of(at)) if text else None)
            if parts[-1].strip():
                held_at = offset if not held else held_at
                held.append(parts[-1])
            offset += len(line) + 1
        if held:
            slots.append(Cell(join_wrapped(held), self.t.line_of(held_at)))
        if slots and slots[0] is None and not raw.split("\n", 1)[0].strip(" \t|"):
            slots = slots[1:]  # the rest of the label's own cell
        return slots

    def _label_stream(self, slots: list[Cell | None]) -> None:
        """`二级项目编码 | 4400… | 挂接一级项目名称 | (blank) | 存续状态 | 阶段性`: labels the
        vocabulary does not know, each followed by its value, are kept as printed (extra);
        a label with a blank cell is the blank form (outside); other text is unplaced."""
        i = 0
        while i < len(slots):
            cell = slots[i]
            if cell is None:
                i += 1
                continue
            value = slots[i + 1] if i + 1 < len(slots) else None
            if not _LABEL_LIKE.fullmatch(squash(cell.text)) or i + 1 >= len(slots):
                self.draft.unplace(cell.line, cell.text)
                i += 1
                continue
            if value is None:
                self.draft.outside.append(Piece(cell.line, f"{cell.text}：（空 / blank）"))
            else:
                extra = {"label": cell.text, "value": value.text}
                self.draft.data.setdefault("extra", []).append(extra)
            i += 2

    def _rest(self, cells: list[Cell]) -> None:
        if self.layout == LINES:
            cells = self._wrapped_pairs(cells)
        for cell in cells:
            money_unit = re.fullmatch(r"(?:金额)?单位[:：]?(万元|元)", squash(cell.text))
            if money_unit:  # 金额单位:万元 under a header field: the unit of the amounts
                self.wan = money_unit.group(1) == "万元"
                continue
            self.draft.unplace(cell.line, cell.text)

    def _wrapped_pairs(self, cells: list[Cell]) -> list[Cell]:
        """`项目性质 / 阶段性项 / 目` after a field's value, one text span a line: labels the
        vocabulary does not know, each followed by its value (wrapped, see _unwrapped), are kept
        as printed (extra) when the cells are all such pairs; else they are returned as they are."""
        pairs: list[dict[str, str]] = []
        i = 0
        while i + 1 < len(cells):
            label = cells[i]
            if not _LABEL_LIKE.fullmatch(squash(label.text)):
                return cells
            value, rest = _unwrapped(cells[i + 1 :])
            pairs.append({"label": label.text, "value": value})
            i = len(cells) - len(rest)
        if i != len(cells):
            return cells
        self.draft.data.setdefault("extra", []).extend(pairs)
        return []

    def _field(self, label: Label, cells: list[Cell], line: int) -> None:
        variants, key, kind = vocab.FIELD_LABELS[label.key]
        del variants
        self.money_context = False
        if not cells:
            return
        value, rest = cells[0].text, cells[1:]
        if self.layout == LINES:  # 兰溪路-真南路下立交工 / 程: the value a PDF wrapped
            value, rest = _unwrapped(cells)
        value = vocab.strip_placeholder(value)
        if not value:  # (盖章), 万元, a blank line to fill in: form furniture, not data
            self.draft.outside.append(Piece(line, f"{label.printed}：{cells[0].text}"))
            self._rest(rest)
            return
        if key == "year":
            match = re.search(r"\d{4}", value)
            if match:
                self.draft.set(("year",), match.group())
            self._rest(rest)
            return
        if self.draft.has((key,)):
            if squash(str(self.draft.data[key])) == squash(value):
                pass
            elif squash(label.printed) != squash(self.printed.get(key, label.printed)):
                # 预算单位 … then 实施单位 …: the second label of a field, kept as printed
                extra = {"label": label.printed, "value": value}
                self.draft.data.setdefault("extra", []).append(extra)
            else:
                self.draft.unplace(line, f"{label.printed}：{value}")
            self._rest(rest)
            return
        if key == "unit":
            self._unit(label, value, line)
        elif kind == "period":
            self._period(label, value, line)
        elif kind == "date":
            if _SPACED_DATE.fullmatch(value):  # 2021 年 12  月31日: a form's blanks filled in
                value = re.sub(r"\s+", "", value)
            self.draft.set((key,), value)
        elif _BOX.search(value):
            ticked = _ticked(value)
            if ticked:
                self.draft.set((key,), ticked, comment=f"{label.printed}：勾选项，原文“{value}”")
            else:
                self.draft.set((key,), value)
        else:
            self.draft.set((key,), value)
        self.printed[key] = label.printed
        self._rest(rest)

    def _unit(self, label: Label, value: str, line: int) -> None:
        """`(433001)乌海市供销合作社联合社`: the code is a field of its own, not the name."""
        coded = split_code(value)
        if coded and not self.draft.has(("unit_code",)):
            self.draft.set(("unit",), coded[1])
            self.draft.set(("unit_code",), coded[0], comment=f"{label.printed}（编码）")
        else:
            self.draft.set(("unit",), value)

    def _period(self, label: Label, value: str, line: int) -> None:
        """One cell with the whole period. Two full dates become start/end only when the form
        prints them as two fields; as one cell they stay the period as written."""
        year = re.fullmatch(r"((?:19|20)\d{2})\s*年?度?", squash(value))
        if year and not self.draft.has(("year",)):
            # 项目期：2022年 — a one-year project: that is its fiscal year, and its term as written
            self.draft.set(("year",), year.group(1))
        try:
            parse_period(value)
        except ValueProblem:
            try:
                parse_date(value)
            except ValueProblem:
                if _DURATION.fullmatch(squash(value)):  # 项目期：1年 / 长期: a length, kept
                    self.draft.data.setdefault("extra", []).append(
                        {"label": label.printed, "value": value}
                    )
                else:
                    self.draft.unplace(line, f"{label.printed}：{value}")
                return
        self.draft.set(("period",), value)
        self.printed["period"] = label.printed

    def _section(self, label: Label, cells: list[Cell], line: int) -> None:
        self.money_context = False
        text = "\n\n".join(c.text for c in cells)
        if text:
            self.draft.set(("sections", label.key), text, comment=label.printed)
            self.printed.setdefault(label.key, label.printed)

    def _goal(self, label: Label, cells: list[Cell], line: int) -> None:
        self.money_context = False
        if cells and _NOTE_ONLY.fullmatch(squash(cells[0].text)):
            # 年度绩效目标(90分) over the indicator table: the heading's note, not a goal
            self.draft.outside.append(Piece(line, f"{label.printed}{cells[0].text}"))
            cells = cells[1:]
        if len(cells) > 1 and _HEADING_FRAGMENT.match(squash(cells[-1].text)):
            # `绩 |` alone before 一级指标: what is left of the vertical heading 绩效指标
            self.draft.outside.append(Piece(cells[-1].line, cells[-1].text))
            cells = cells[:-1]
        text = "\n\n".join(c.text for c in cells)
        heading = self.printed.get("annual_goal", "")
        if text and label.key == "annual_goal" and squash(heading) in _GOAL_HEADINGS:
            # 项目总体目标 … then 项目年度目标 …: the overall goal was the longer-term one
            goal = self.draft.data["sections"].pop("annual_goal")
            self.draft.comments.pop(("sections", "annual_goal"), None)
            del self.printed["annual_goal"]
            if not self.draft.has(("sections", "midterm_goal")):
                self.draft.set(("sections", "midterm_goal"), goal, comment=heading)
                self.printed.setdefault("midterm_goal", heading)
        if text:
            self.draft.set(("sections", label.key), text, comment=label.printed)
            self.printed.setdefault(label.key, label.printed)

    def _money(self, label: Label, cells: list[Cell], line: int) -> None:
        self.money_context = True
        wan = (label.unit == "万元") if label.unit else self.wan
        unit = label.unit
        if not cells:
            self.draft.comment(("budget",), f"{label.printed}：表上为空，故不填")
            return
        first, rest = cells[0], cells[1:]
        if squash(first.text) in _SUBTOTAL and rest and amount_in_yuan(rest[0].text, wan):
            first, rest = rest[0], rest[1:]  # 财政拨款 | 小计 | 80: the group's own amount
        amount = amount_in_yuan(first.text, wan)
        ran_on = _AMOUNT_RAN_ON.match(first.text)
        if amount is None and ran_on and amount_in_yuan(ran_on["amount"], wan) is not None:
            # `项目总投资 20万元 中央补助安排0省级财政安排0`: the cells after the amount ran
            # together; each `label amount` is a line of the breakdown.
            pairs = [
                re.sub(r"(?<=[^\d\s:：])(?=\d)", " ", p.strip(), count=1)
                for p in _LABEL_AMOUNT.findall(ran_on["rest"])
            ]
            first = Cell(ran_on["amount"], first.line)
            rest = [Cell(p, first.line) for p in pairs if p] + rest
            amount = amount_in_yuan(first.text, wan)
            wan = wan or ran_on["amount"].endswith("万元")  # the lines' bare amounts too
            unit = unit or ("万元" if wan else "元")
        if amount is None:
            rest = cells  # no amount after the label: the cells are a list of lines
        else:
            key = self._money_key(label.key, line)
            self.money_at[key] = line
            self.last_money = key
            if self.draft.has(("budget", key)):
                self._line(label.printed, first, wan, unit)
            else:
                note = None
                if wan or has_explicit_unit(first.text):
                    shown = first.text if has_explicit_unit(first.text) else f"{first.text}万元"
                    note = f"{label.printed} {shown}"
                self.draft.set(("budget", key), str(amount), comment=note)
                self.printed.setdefault(key, label.printed)
                self._bare((key,), label.printed, first, unit)
        self._money_lines(rest, wan, unit)

    def _money_key(self, key: str, line: int) -> str:
        """`年度资金总额 10 / 其中：财政拨款 10 / 其他资金 0`: under this year's total alone,
        财政拨款 and 其他资金 are this year's parts; under 中期 | 年度 totals side by side, the
        second 财政拨款 of a row is the year's; 项目总预算 / 当年预算 / 其中：财政资金 on lines of
        their own, the parts are the line's above: this year's."""
        year_parts = {"fiscal": "current_year_fiscal", "other": "current_year_other"}
        if key not in year_parts or not self.draft.has(("budget", "current_year")):
            return key
        stacked = (  # a row layout: each amount on its label's line
            self.layout == ROWS and self.money_at.get("total") != self.money_at.get("current_year")
        )
        if stacked and self.last_money in ("current_year", *year_parts.values()):
            return year_parts[key]
        if not self.draft.has(("budget", "total")) or self.draft.has(("budget", key)):
            return year_parts[key]
        return key

    def _money_lines(self, cells: list[Cell], wan: bool, unit: str = "") -> None:
        """`label amount` pairs: in one cell (a row) or in two cells side by side; `unit` is
        the one their heading printed, if any."""
        i = 0
        while i < len(cells):
            cell = cells[i]
            if squash(cell.text) in _SPENDING:  # 收入 … then 支出: the spending side is no source
                for rest in cells[i:]:
                    self.draft.unplace(rest.line, rest.text)
                return
            if i + 1 < len(cells) and self._label_row(cell, cells[i + 1], wan):
                wan = self.wan
                i += 2
                continue
            match = re.match(
                r"^(?P<label>.*?[^\s:：])(?:\s+|\s*[:：]\s*)(?P<amount>[\d,.]+\s*(万元|万|元)?)$",
                cell.text,
            )  # `财政拨款 63,000`, `一、预算资金:250`
            if (
                match
                and amount_in_yuan(match["amount"], wan) is not None
                and not re.fullmatch(r"[\d,.\s]+", match["label"])
            ):
                self._line(match["label"].strip(), Cell(match["amount"], cell.line), wan, unit)
                i += 1
                continue
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if (
                nxt
                and amount_in_yuan(cell.text, wan) is None
                and amount_in_yuan(nxt.text, wan) is not None
            ):
                self._line(cell.text, nxt, wan, unit)
                i += 2
                continue
            key = squash(cell.text)
            unit = vocab.UNIT_IN_LABEL.search(key)
            if unit and len(key) <= 12:  # a column heading such as 金额（万元）
                self.wan = unit.group(1) == "万元"
                wan = self.wan
            else:
                self.draft.unplace(cell.line, cell.text)
            i += 1

    def _label_row(self, labels: Cell, amounts: Cell, wan: bool) -> bool:
        """`资金来源(万元) 其中:上级补助 其中:同级财政 其他` over `0.00  25.00  0.00`: a row of
        money headings and the row of their amounts below, paired from the right (a leading
        heading names the group and its unit)."""
        words = labels.text.split()
        values = amounts.text.split()
        if len(values) < 2 or len(words) < len(values):
            return False
        if any(amount_in_yuan(v, False) is None for v in values):
            return False
        if any(amount_in_yuan(w, False) is not None for w in words):
            return False
        for word in words[: len(words) - len(values)]:
            unit = vocab.UNIT_IN_LABEL.search(word)
            if unit:
                self.wan = wan = unit.group(1) == "万元"
            else:
                self.draft.unplace(labels.line, word)
        for word, value in zip(words[len(words) - len(values) :], values, strict=True):
            label = re.sub(r"^其\s*中\s*[:：]\s*", "", word)
            self._line(label, Cell(value, amounts.line), wan)
        return True

    def _line(self, label: str, cell: Cell, wan: bool, unit: str = "") -> None:
        amount = amount_in_yuan(cell.text, wan)
        lines = self.draft.data.setdefault("budget", {}).setdefault("lines", [])
        lines.append({"label": label, "amount": None if amount is None else str(amount)})
        if amount is not None:
            self._bare(("lines", len(lines) - 1), label, cell, unit)

    def _group(self, label: Label, cells: list[Cell], line: int) -> None:
        key = squash(label.printed)
        if key in ("项目资金", "投入目标", "资金来源", "年初安排金额", "金额") or "资金" in key:
            self.money_context = True
            wan = label.unit == "万元" if label.unit else self.wan
            amount = amount_in_yuan(cells[0].text, wan) if cells else None
            if amount is not None and not self.draft.has(("budget", "total")):
                # 项目资金 300万元: the heading itself carries the project's total.
                shown = (
                    cells[0].text if has_explicit_unit(cells[0].text) else f"{cells[0].text}万元"
                )
                note = (
                    f"{label.printed} {shown}" if wan or has_explicit_unit(cells[0].text) else None
                )
                self.draft.set(("budget", "total"), str(amount), comment=note)
                self._bare(("total",), label.printed, cells[0], label.unit)
                cells = cells[1:]
            if cells:
                self._money_lines(cells, wan, label.unit)
            return
        self.money_context = False
        if cells and key in _GOAL_HEADINGS and _NOTE_ONLY.fullmatch(squash(cells[0].text)):
            # 项目绩效目标(含项目概况、设立依据…): the heading's note, its labels follow
            self.draft.outside.append(Piece(line, f"{label.printed}{cells[0].text}"))
            cells = cells[1:]
        if cells and key in _GOAL_HEADINGS and not self.draft.has(("sections", "annual_goal")):
            # 绩效目标 | <one text>: a form with a single goal cell; that goal is the year's.
            text = "\n\n".join(c.text for c in cells)
            self.draft.set(("sections", "annual_goal"), text, comment=label.printed)
            self.printed.setdefault("annual_goal", label.printed)
            return
        if cells:
            value = " ".join(c.text for c in cells)
            self._extra(
                Label(
                    "extra",
                    label.key,
                    label.printed,
                    label.start,
                    label.end,
                    label.unit,
                    label.colon,
                ),
                [Cell(value, cells[0].line)],
                line,
            )

    def _extra(self, label: Label, cells: list[Cell], line: int) -> None:
        self.money_context = False
        value = cells[0].text if cells else None
        if squash(label.printed) == "单位" and value and squash(value) in ("万元", "元"):
            self.wan = squash(value) == "万元"
        if value and not vocab.strip_placeholder(value):
            self.draft.outside.append(Piece(line, f"{label.printed}：{value}"))
            self._rest(cells[1:])
            return
        if value:
            value = vocab.strip_placeholder(value)
        item: dict[str, str | None] = {"label": label.printed}
        if value:
            item["value"] = value
        self.draft.data.setdefault("extra", []).append(item)
        self._rest(cells[1:])

    def _personal(self, label: Label, cells: list[Cell], line: int) -> None:
        value = " ".join(c.text for c in cells)
        self.draft.personal.append(Piece(line, f"{label.printed}：{value}"))

    def _published(self, label: Label, cells: list[Cell], line: int) -> None:
        text = " ".join(c.text for c in cells)
        match = _DATE_AT_START.match(text)
        if match and "published" not in self.draft.data:
            y, m, d = match.groups()
            self.draft.set(("published",), f"{y}-{int(m):02d}-{int(d):02d}")
        self.draft.outside.append(Piece(line, f"{label.printed}：{text}"))
