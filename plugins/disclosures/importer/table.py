"""The indicator table: its column headings, its rows, merged level cells carried down."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import vocab
from .align import Column, align, cell_score, is_group_cell
from .draft import Draft, Piece
from .source import CELLS, LINES, PIPES, Text
from .textutil import is_cjk, join_wrapped, squash
from .values import is_operator, target_score
from .wide import PROJECT, WIDE_KEY, project_headings

_DEFAULT = [Column("level1"), Column("level2"), Column("name"), Column("target")]
_ORDER = (
    "level1",
    "level2",
    "name",
    "target",
    "unit",
    "nature",
    "direction",
    "weight",
    "explanation",
    "standard",
    "note",
    WIDE_KEY,
)
_PIPE_ONLY = re.compile(r"^[\s|]*$")
GAP = re.compile(r"\[(…+|\.\.\.)\s*gap\s*(…+|\.\.\.)\]")  # a collector's mark of missing text


@dataclass
class Cell:
    text: str
    line: int


@dataclass
class Row:
    cells: list[Cell]
    positioned: dict[int, Cell] | None = None  # column index → cell, when the layout tells
    gap: bool = False  # a mark of text missing from the source
    slots: list[Cell | None] | None = None  # every cell of a `| a |  | c |` line, blanks too


def _slots(line: str, number: int) -> list[Cell | None]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [Cell(p.strip(), number) if p.strip() else None for p in inner.split("|")]


def place_blank_led_rows(rows: list[Row], columns: list[Column], form: str) -> None:
    """Rows with a blank cell in a table whose rows have one cell per column: the cells keep
    their columns. `|  |  | 满意度 | ≥90% |`: the blank first cells are the merged level cells
    of the rows above (满意度 is the indicator's name, not a 二级 read by its meaning);
    `| 效益指标 | 社会效益指标 | 市容改善 |  |`: the target is blank, and 市容改善, which reads
    like a target (改善), is the name in the name column."""
    for row in rows:
        slots = row.slots
        if not slots or len(slots) != len(columns) or None not in slots:
            continue
        placed = {i: cell for i, cell in enumerate(slots) if cell is not None}
        if placed and all(cell_score(c.text, columns[i], form) > 0 for i, c in placed.items()):
            row.positioned = placed


@dataclass
class TableResult:
    columns: list[Column] = field(default_factory=list)
    twin: bool = False
    half: bool = False  # the twin groups are 半年 | 全年 (not 长期/中期 | 年度)
    rows: int = 0
    projects: list[str] = field(default_factory=list)  # a wide table's project columns


# -- column headings --------------------------------------------------------------------
def read_columns(cells: list[Cell], whole_line: bool = False) -> tuple[list[Column], int]:
    """Column headings from the first cells of the table; returns (columns, cells used).

    With `whole_line` (a row layout, where the heading line holds every heading), a heading
    the format has no field for still makes a column: its cells are shown to the editor."""
    columns: list[Column] = []
    used = 0
    joined_next = False
    for i, cell in enumerate(cells):
        if joined_next:  # the second half of a heading cut in two (see below)
            joined_next = False
            used += 1
            continue
        found = vocab.column_role(cell.text)
        if found is None and i + 1 < len(cells):
            # `一级` / `指标`: a heading wrapped inside its cell and flattened to two cells
            found = vocab.column_role(cell.text + cells[i + 1].text)
            joined_next = found is not None and found[0] != "unknown"
        if found is None and whole_line and columns:
            found = ("unknown", "")
        if found is None:
            if not columns:
                used += 1  # a heading before 一级指标 (e.g. 绩效指标): skip it
                continue
            break
        if found[0] == "unknown":
            columns.append(Column("unknown", "", cell.text))
            used += 1
            continue
        role, group = found
        columns.append(Column(role, group))
        used += 1
    if not any(c.role == "name" for c in columns):
        return _DEFAULT, used
    return _unmarked_twins(columns), used


_TWIN_ROLES = {"level2", "name", "target", "unit", "operator", "nature", "direction", "weight"}


def _unmarked_twins(columns: list[Column]) -> list[Column]:
    """二级 | 三级 | 指标值 printed twice on one heading row with no 中期/年度 word over the
    halves: the national form's twin halves, 中期 first as its goal headings are (中期目标 |
    年度目标). Without groups both halves share one key and a row's two names collide."""
    if any(c.group for c in columns):
        return columns
    roles = [c.role for c in columns]
    for start in range(len(roles)):
        if roles[start] not in _TWIN_ROLES:
            continue
        for size in range(2, (len(roles) - start) // 2 + 1):
            first = roles[start : start + size]
            second = roles[start + size : start + 2 * size]
            if first == second and "name" in first and set(first) <= _TWIN_ROLES:
                return [
                    Column(c.role, "mid" if start <= i < start + size else "year", c.label)
                    if start <= i < start + 2 * size
                    else c
                    for i, c in enumerate(columns)
                ]
    return columns


# -- cells and rows, per layout -----------------------------------------------------------
def split_pipes(t: Text, start: int, end: int) -> list[Row]:
    """`|`-flattened tables: a line of bare pipes ends a row."""
    rows: list[Row] = []
    current: list[Cell] = []
    offset = start
    for line in t.text[start:end].split("\n"):
        if _PIPE_ONLY.match(line):
            if line.strip() and current:
                rows.append(Row(current))
                current = []
        else:
            parts = [Cell(p.strip(), t.line_of(offset)) for p in line.split("|") if p.strip()]
            if len(parts) >= 2:  # a whole row on one line: | a | b | c |
                if current:
                    rows.append(Row(current))
                rows.append(Row(parts, slots=_slots(line, t.line_of(offset))))
                current = []
            else:
                current.extend(parts)
        offset += len(line) + 1
    if current:
        rows.append(Row(current))
    return rows


def one_cell_per_line(t: Text, start: int, end: int) -> bool:
    """`text |` lines: a web table flattened one cell per line, each `|` closing a cell (a
    bare `|` is an empty cell, `||` two). Rows are not marked: the columns tell them."""
    lines = [line for line in t.text[start:end].split("\n") if line.strip()]
    if len(lines) < 6:
        return False
    single = sum(
        1
        for line in lines
        if line.rstrip().endswith("|") and sum(1 for p in line.split("|") if p.strip()) <= 1
    )
    return single / len(lines) > 0.8


def closed_on_own_line(t: Text, start: int, end: int) -> bool:
    """`text` / `|`: a web table flattened one cell per line whose closing `|` stands on the
    line after the cell (a bare `|` with no text before it is an empty cell or a row's end).
    No text line holds a `|` of its own."""
    lines = [line.strip() for line in t.text[start:end].split("\n") if line.strip()]
    if len(lines) < 6 or any("|" in line and line.strip("| ") for line in lines):
        return False
    return sum(1 for line in lines if _PIPE_ONLY.match(line)) >= 0.4 * len(lines)


def split_closed_cells(t: Text, start: int, end: int) -> list[Cell | None]:
    """The cells of a table in the `text` / `|` layout, in order (None for an empty cell):
    the lines before a `|` are one cell, wrapped inside it (`一级` / `指标`, a vertical
    `产` / `出` / `指` / `标`), so they are joined as the cell printed them."""
    out: list[Cell | None] = []
    pending: list[str] = []
    first_line = 0
    offset = start
    for line in t.text[start:end].split("\n"):
        text = line.strip()
        if text and _PIPE_ONLY.match(text):
            for _ in range(text.count("|")):
                out.append(Cell(join_wrapped(pending), first_line) if pending else None)
                pending = []
        elif text:
            if not pending:
                first_line = t.line_of(offset)
            pending.append(text)
        offset += len(line) + 1
    if pending:
        out.append(Cell(join_wrapped(pending), first_line))
    return out


def split_pipe_cells(t: Text, start: int, end: int) -> list[Cell | None]:
    """The cells of a one-cell-per-line pipe table, in order; None for an empty cell.

    A line with no `|` is a cell that wrapped in its narrow column (`一级` / `指标 |`,
    `打造…网球` / `公开赛… |`): it runs on to the line whose `|` closes it, as one cell."""
    out: list[Cell | None] = []
    offset = start
    wrapped: list[str] = []  # lines of a cell not closed yet
    wrapped_line = 0
    for line in t.text[start:end].split("\n"):
        number = t.line_of(offset)
        offset += len(line) + 1
        parts = line.split("|")
        if wrapped and GAP.search(line):  # text missing after it: the cell was cut, not wrapped
            out.append(Cell(join_wrapped(wrapped), wrapped_line))
            wrapped = []
        elif len(parts) == 1 and line.strip():
            if not wrapped:
                wrapped_line = number
            wrapped.append(line)
            continue
        if wrapped:
            if len(parts) == 1:  # a blank line ends the wrapped cell unclosed
                out.append(Cell(join_wrapped(wrapped), wrapped_line))
            else:
                parts[0] = join_wrapped([*wrapped, parts[0]])
                number = wrapped_line
            wrapped = []
        closed = parts[:-1] if len(parts) > 1 else parts
        for part in closed:
            out.append(Cell(part.strip(), number) if part.strip() else None)
        if len(parts) > 1 and parts[-1].strip():  # text after the last `|`: a cell still open
            out.append(Cell(parts[-1].strip(), number))
    if wrapped:
        out.append(Cell(join_wrapped(wrapped), wrapped_line))
    return out


def split_cells(t: Text, start: int, end: int) -> list[Cell | None]:
    """One cell per paragraph: blank lines separate cells, a line of spaces is an empty cell,
    lines with no blank line between them are one cell that wrapped."""
    out: list[Cell | None] = []
    offset = start
    in_cell = False
    for line in t.text[start:end].split("\n"):
        if line == "":
            in_cell = False
        elif not line.strip():
            out.append(None)
            in_cell = False
        else:
            last = out[-1] if out else None
            if in_cell and last is not None:
                last.text = join_wrapped([last.text, line])
            else:
                out.append(Cell(line.strip(), t.line_of(offset)))
            in_cell = True
        offset += len(line) + 1
    return out


def split_lines(t: Text, start: int, end: int) -> list[Cell | None]:
    """One cell per line, no blank lines: a line of spaces (if any) is an empty cell."""
    out: list[Cell | None] = []
    offset = start
    for line in t.text[start:end].split("\n"):
        if line.strip():
            out.append(Cell(line.strip(), t.line_of(offset)))
        elif line:
            out.append(None)
        offset += len(line) + 1
    return out


def split_rows(t: Text, start: int, end: int, form: str, has_operator: bool) -> list[Row]:
    """One row per line, cells separated by spaces. Repairs what PDF text does to rows:
    vertical labels split into single characters, 一级/二级 labels wrapped before 指标,
    an operator set apart from its number."""
    lines: list[tuple[str, int]] = []
    offset = start
    for line in t.text[start:end].split("\n"):
        if line.strip():
            lines.append((line.strip(), t.line_of(offset)))
        offset += len(line) + 1
    lines = _join_vertical(lines)
    lines = _join_label_wraps(lines, form)
    rows = []
    for text, line in lines:
        if GAP.search(text):
            rows.append(Row([Cell(text, line)], gap=True))
            continue
        tokens = _join_brackets(text.split())
        if not has_operator:
            tokens = _merge_operators(tokens)
        rows.append(Row([Cell(tok, line) for tok in tokens]))
    return rows


def _join_vertical(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """`绩\\n效\\n指\\n标` → `绩效指标`: runs of one-character lines are one label."""
    out: list[tuple[str, int]] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if len(run) >= 2:
            out.append(("".join(x for x, _ in run), run[0][1]))
        else:
            out.extend(run)
        run.clear()

    for text, line in lines:
        if len(text) == 1 and is_cjk(text):
            run.append((text, line))
        else:
            flush()
            out.append((text, line))
    flush()
    return out


def _join_label_wraps(lines: list[tuple[str, int]], form: str) -> list[tuple[str, int]]:
    """A level label wrapped in its narrow cell: `项目完成\\n指标` → `项目完成指标`. The tail
    (指标, 目标, or a few characters) is glued to the token it completes into a label."""
    out: list[tuple[str, int]] = []
    for text, line in lines:
        tokens = text.split()
        if out and len(tokens) >= 1 and len(tokens[0]) <= 4 and is_cjk(tokens[0][0]):
            prev_text, prev_line = out[-1]
            prev_tokens = prev_text.split()
            head = tokens[0]
            for idx in (len(prev_tokens) - 1, 0):
                candidate = prev_tokens[idx] + head
                if (
                    not vocab.is_level_label(head, form)
                    and not is_group_cell(prev_tokens[idx])
                    and vocab.is_level_label(candidate, form)
                ):
                    prev_tokens[idx] = candidate
                    out[-1] = (" ".join(prev_tokens), prev_line)
                    tokens = tokens[1:]
                    break
            if not tokens:
                continue
            text = " ".join(tokens)
        out.append((text, line))
    return out


_OPEN, _CLOSE = "(（[【", ")）]】"


def _join_brackets(tokens: list[str]) -> list[str]:
    """`数量( ≥**个 )`: spaces inside brackets do not separate cells; the tokens from an
    opening bracket to its closing one are one cell, as written."""
    out: list[str] = []
    depth = 0
    for tok in tokens:
        if depth > 0 and out:
            out[-1] += " " + tok
        else:
            out.append(tok)
        depth += sum(tok.count(c) for c in _OPEN) - sum(tok.count(c) for c in _CLOSE)
        depth = max(depth, 0)
    if depth > 0:  # never closed: not a bracketed aside, keep the cells as they were
        return tokens
    return out


def _merge_operators(tokens: list[str]) -> list[str]:
    """`= 8` → one cell `= 8` (as written, with its space) when the form has no operator column."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if is_operator(tokens[i]) and i + 1 < len(tokens):
            out.append(f"{tokens[i]} {tokens[i + 1]}")
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


# -- cells-per-paragraph: a cursor walks the columns ---------------------------------------
def outer_levels(cells: list[Cell | None], form: str) -> frozenset[str]:
    """`实施效果指标 | 产出指标 | 建设项目个数 …`: a form whose 一级 column holds a heading of
    its own above the usual 一级 names, which then stand in the 二级 column. Returns the
    outer headings (empty for the usual tables)."""
    texts = [c.text for c in cells if c is not None][:2]
    if len(texts) < 2:
        return frozenset()
    first, second = squash(texts[0]), texts[1]
    if (
        re.fullmatch(r"[\u4e00-\u9fff]{2,8}(指标|目标)", first)
        and vocab.level1_score(first, form) == 0
        and vocab.level1_score(second, form) == 2
    ):
        return frozenset({first})
    return frozenset()


def position_cells(
    cells: list[Cell | None], columns: list[Column], form: str, outer: frozenset[str] = frozenset()
) -> list[Row]:
    """Rows from a stream of cells (None = empty cell): each cell takes the next column; a
    level label jumps to its column; coming back to an earlier column starts a new row."""
    rows: list[Row] = []
    current: dict[int, Cell] = {}
    first_content = next(
        (i for i, c in enumerate(columns) if c.role not in ("level1", "level2")), 0
    )
    cursor = 0
    level1_col = next((i for i, c in enumerate(columns) if c.role == "level1"), None)
    level2_col = next((i for i, c in enumerate(columns) if c.role == "level2"), None)
    decision = False  # under the evaluation framework's 一级 决策 (see vocab.FRAMEWORK_GOAL)

    def flush() -> None:
        nonlocal current, cursor, decision
        if current:
            ordered = [current[i] for i in sorted(current)]
            rows.append(Row(ordered, dict(current)))
            if level1_col in current:
                decision = squash(current[level1_col].text) in vocab.FRAMEWORK_DECISION
        current = {}
        cursor = 0

    for index, cell in enumerate(cells):
        if cell is None:
            if current:
                cursor += 1
                if cursor >= len(columns):
                    flush()
            continue
        if (
            decision
            and level2_col is not None
            and squash(cell.text) == vocab.FRAMEWORK_GOAL
            and not any(i <= level2_col for i in current)
        ):
            flush()  # 决策 → 绩效目标: the framework's 二级, not the form's vertical heading
            current[level2_col] = cell
            cursor = level2_col + 1
            continue
        if is_group_cell(cell.text) and not current:
            continue
        following = next((c.text for c in cells[index + 1 :] if c is not None), "")
        if _has_level2(current, columns) and vocab.is_level2(cell.text):
            if not squash(cell.text).endswith(("指标", "目标")):
                following = ""  # 满意度 under 服务对象满意度指标: the indicator's name
                current[cursor] = cell
                cursor += 1
                if cursor >= len(columns):
                    flush()
                continue
        if any(columns[i].role == "level1" for i in current):
            following = ""  # the row has its 一级: a level label here is its 二级
            if vocab.is_level2(cell.text) and vocab.level1_score(cell.text, form) == 1:
                l2 = next((i for i, c in enumerate(columns) if c.role == "level2"), None)
                if l2 is not None and l2 not in current:
                    current[l2] = cell
                    cursor = l2 + 1
                    continue
        col = _target_column(cell.text, columns, cursor, form, bool(current), following)
        if outer and squash(cell.text) in outer:
            col = next((i for i, c in enumerate(columns) if c.role == "level1"), col)
        elif outer and vocab.level1_score(cell.text, form) == 2:  # 产出指标 as a 二级 here
            col = next((i for i, c in enumerate(columns) if c.role == "level2"), col)
        if col is None:
            col = cursor if current else first_content
        if col < cursor or col in current or col >= len(columns):
            flush()
            if col >= len(columns):
                col = first_content
        current[col] = cell
        cursor = col + 1
        if cursor >= len(columns):
            flush()
    flush()
    return rows


def _has_level2(current: dict[int, Cell], columns: list[Column]) -> bool:
    return any(columns[i].role == "level2" for i in current)


def join_split_labels(cells: list[Cell | None], form: str) -> list[Cell | None]:
    """`可持续影响` and `指标` in cells of their own (a narrow cell wrapped with a blank line):
    one level label."""
    out: list[Cell | None] = []
    for cell in cells:
        prev = next((c for c in reversed(out) if c is not None), None)
        if (
            cell is not None
            and prev is not None
            and squash(cell.text) in ("指标", "目标")
            and not squash(prev.text).endswith(("指标", "目标"))
            and vocab.is_level_label(prev.text + cell.text, form)
        ):
            while out and out[-1] is None:
                out.pop()
            prev.text += cell.text
            continue
        out.append(cell)
    return out


# The 二级 names of the national framework: a core word and the few qualifiers printed before it
# (服务对象满意度指标, 社会公众或服务对象满意度指标, 可持续影响指标, 经济成本指标 …).
_LEVEL2_NAME = re.compile(
    r"^(?P<qualifier>.*?)(数量|质量|时效|进度|成本|效益|影响|满意度?)(类)?指标$"
)
_LEVEL2_QUALIFIERS = {
    "",
    "经济",
    "社会",
    "生态",
    "环境",
    "生态环境",
    "可持续",
    "服务对象",
    "社会公众或服务对象",
    "社会公众",
    "受益对象",
    "受益群众",
    "群众",
}


def _whole_level2(text: str) -> bool:
    """A 二级 name as the framework writes it (not a piece of one, not a name glued to one)."""
    match = _LEVEL2_NAME.match(squash(text))
    return bool(match) and match["qualifier"] in _LEVEL2_QUALIFIERS


def join_label_around_row(cells: list[Cell | None], form: str) -> list[Cell | None]:
    """`社会公众或服务` / 政策满意度 / ≥90% / `对象满意度指标`: a merged 二级 cell whose text
    wrapped around the middle of its one row, flattened as the row's cells came — half the
    label before them, half after. The second half starts no row of its own (no cell follows
    it but a level label or the table's end), and the halves make one 二级 label: joined, in
    the first half's place."""
    out = list(cells)
    filled = [i for i, c in enumerate(out) if c is not None]
    for n, i in enumerate(filled):
        second = out[i]
        if second is None or not vocab.is_level2(second.text) or _whole_level2(second.text):
            continue
        after = next((out[j] for j in filled[n + 1 :] if out[j] is not None), None)
        if after is not None and not vocab.is_level_label(after.text, form):
            continue
        # the first half stands before the row's cells (its name, its target): the farthest
        # cell back that makes the label, never past another level label
        window: list[Cell] = []
        for j in reversed(filled[max(0, n - 3) : n - 1]):
            first = out[j]
            if first is None or vocab.is_level_label(first.text, form):
                break
            window.append(first)
        first = next((c for c in reversed(window) if _whole_level2(c.text + second.text)), None)
        if first is not None:
            first.text += second.text
            out[i] = None
    return [c for i, c in enumerate(out) if c is not None or cells[i] is None]


def _target_column(
    text: str,
    columns: list[Column],
    cursor: int,
    form: str,
    row_started: bool,
    following: str = "",
) -> int | None:
    score = vocab.level1_score(text, form)
    if score == 1 and following and vocab.is_level2(text):
        # 成本指标, 社会效益指标 …: a 一级 in one framework, a 二级 in another. The cell after
        # it tells: a 二级 label follows a 一级; an indicator's name follows a 二级.
        score = 2 if vocab.is_level2(following) else 0
    if score == 2 or (score == 1 and not row_started):
        return next((i for i, c in enumerate(columns) if c.role == "level1"), None)
    if vocab.is_level2(text):
        l2 = [i for i, c in enumerate(columns) if c.role == "level2"]
        ahead = [i for i in l2 if i >= cursor]
        if ahead:
            return ahead[0]
        if l2:
            return l2[0]
    return None


# -- rows → indicators --------------------------------------------------------------------
class IndicatorBuilder:
    """Carries merged level cells down and turns aligned rows into indicator mappings."""

    def __init__(self, draft: Draft, columns: list[Column], form: str) -> None:
        self.draft = draft
        self.columns = columns
        self.form = form
        self.twin = any(c.group for c in columns)
        self.level1: str | None = None
        self.level2: str | None = None
        self.l1_used = True
        self.l2_used = True
        self.indicators: list[dict[str, str]] = draft.data.setdefault("indicators", [])
        # The last lone name glued onto the row above as its wrapped tail, until a row
        # shows it was not (see _unglue).
        self.glued: tuple[dict[str, str], str] | None = None

    def add(self, row: Row) -> None:
        glued, self.glued = self.glued, None  # only the very next row can undo a glue
        # 绩效目标 under 决策 is the evaluation framework's 二级, not the form's heading
        decision = any(
            squash(text) in vocab.FRAMEWORK_DECISION
            for text in (self.level1 or "", *(c.text for c in row.cells))
        )
        cells = [
            c
            for c in row.cells
            if not is_group_cell(c.text) or (decision and squash(c.text) == vocab.FRAMEWORK_GOAL)
        ]
        if not cells:
            return
        text = " ".join(c.text for c in cells)
        cut = next((i for i, c in enumerate(cells) if GAP.search(c.text)), None)
        if row.positioned is not None and cut:
            # 时效指标 | […gap…]: the cells before the collector's gap mark are still a row.
            kept = {i: c for i, c in row.positioned.items() if c in cells[:cut]}
            self.add(Row(cells[:cut], kept))
            for cell in cells[cut:]:
                self.draft.unplace(cell.line, cell.text)
            return
        if row.gap or cut is not None:
            self.draft.unplace(cells[0].line, text)
            return
        if vocab.PAGE_NOISE.match(text.strip()):
            self.draft.outside.append(Piece(cells[0].line, text))
            return
        if all(vocab.column_role(c.text) for c in cells) and len(cells) >= 2:
            return  # the column headings again, at the top of the next page
        if row.positioned is not None:
            placed = [
                (self.columns[i].key, c.text) for i, c in row.positioned.items() if c in cells
            ]
        else:
            placed = align([c.text for c in cells], self.columns, self.form)
        line = cells[0].line
        values = self._keyed(placed, line)
        for column in self.columns:
            if column.role == "unknown" and values.get(column.key):
                self.draft.unplace(line, f"{column.label}：{values.pop(column.key)}")
        wide = {label: v for (role, label), v in values.items() if role == PROJECT and v}
        values = {key: v for key, v in values.items() if key[0] != PROJECT}
        if (
            not wide
            and values.get(("name", ""))
            and re.search(r"\d[%％‰]?$", cells[-1].text)
            and any(c.role == PROJECT for c in self.columns)
        ):
            # a wide table's row with no value in any column but a number at its end: values
            # that ran together and had no certain cut (runs.py), kept in its text as printed
            self.draft.unplace(
                line, "宽表各栏没有读到目标值，原文：" + " ".join(c.text for c in cells)
            )
        values = self._fold_twins(values, line)
        for role in ("nature", "direction"):  # 指标性质 | ≥ : the column holds the operator
            if is_operator(values.get(role, "")) and "operator" not in values:
                values["operator"] = values.pop(role)
        if self._own_level1(values):
            values = {"level1": values["level2"]}
        if "level1" in values:
            self._close_level(line, closing_l1=True)
            self.level1 = values.pop("level1")
            self.l1_used = False
            if not self._fill_back("level1", self.level1):
                self.level2, self.l2_used = None, True  # else the rows above share its 二级
        if "level2" in values:
            self._close_level(line, closing_l1=False)
            self.level2 = values.pop("level2")
            self.l2_used = False
            self._fill_back("level2", self.level2)
        if not values and not wide:
            return
        if not wide and glued:
            self._unglue(glued, values)
        if not wide and self._continues_previous(values):
            return
        if not values.get("name") and not values.get("target") and not wide:
            # A unit or a weight alone is no indicator: show the editor what was there.
            self.draft.unplace(line, " ".join(c.text for c in cells))
            return
        item: dict[str, str] = {}
        if self.level1:
            item["level1"] = self.level1
        if self.level2:
            item["level2"] = self.level2
        for role in _ORDER[2:]:
            if values.get(role):
                item[role] = values[role]
        if "operator" in values:
            item["target"] = values["operator"] + item.get("target", "")
        if wide:
            item[WIDE_KEY] = wide  # one target per project column (see wide.py)
        self.indicators.append(item)
        self.l1_used = self.l2_used = True

    def _own_level1(self, values: dict[str, str]) -> bool:
        """`满意度指标` alone on its row under 效益指标's rows: a label that is a 一级 of the
        framework as well as a 二级 name, and whose family is its own (满意度指标 is the 一级
        of 满意度; 成本指标 is not of 成本, which older forms put under 产出), starts a new 一级
        when the 一级 above is another family. A 二级 of that family under it stays a 二级."""
        if set(values) != {"level2"} or not self.level1:
            return False
        label = values["level2"]
        if vocab.level1_score(label, self.form) != 1:
            return False
        family = vocab.level1_for(label, self.form)
        return (
            family is not None
            and squash(family) == vocab.strip_hint(label)
            and not _same_level(family, self.level1)
        )

    def _keyed(self, placed: list[tuple[tuple[str, str], str]], line: int) -> dict:
        """The row's cells by column key. A heading set printed twice with no 中期/年度 word
        gives two columns one key: the later cell fills the field, as the row reads, and the
        earlier is shown to the editor rather than silently lost."""
        values: dict[tuple[str, str], str] = {}
        for key, text in placed:
            earlier = values.get(key)
            if earlier and earlier != text:
                self.draft.unplace(line, f"同名栏 same heading twice ({key[0]}): {earlier}")
            values[key] = text
        return values

    def _fill_back(self, level: str, label: str) -> int:
        """A PDF prints a merged cell's label at the middle of its rows: rows above it that
        have no such level yet (at the start of the table, or of a 一级 group) take it."""
        filled = 0
        for item in reversed(self.indicators):
            if level in item and not (level == "level1" and self._carried_over(item, label)):
                break
            filled += 1
            if level == "level2" and item.get("level1") != self.level1:
                break
            belongs = vocab.level1_for(item.get("level2", ""), self.form)
            if level == "level1" and belongs and not _same_level(belongs, label):
                break  # 数量指标 above 满意度指标: not its merged cell, a row cut from its own
            item[level] = label
            if level == "level1":
                self.l1_used = True
            else:
                self.l2_used = self.l1_used = True
        # Keep the key order of a row: level1, level2, name …
        for i in range(len(self.indicators) - filled, len(self.indicators)):
            item = self.indicators[i]
            self.indicators[i] = {k: item[k] for k in _ORDER if k in item}
        return filled

    def _carried_over(self, item: dict[str, str], label: str) -> bool:
        """数量指标 under 成本指标's row, then `产出指标 质量指标 …`: a PDF printed the merged 一级
        at the middle of its rows, so the rows above it carried the previous 一级 down. A row
        whose 二级 belongs to the new 一级's family (数量 → 产出) and not to the one it
        carries is the new 一级's."""
        family = vocab.level1_for(item.get("level2", ""), self.form)
        return (
            bool(family)
            and _same_family(family, label)
            and not _same_family(family, item.get("level1", ""))
        )

    def finish(self, line: int) -> None:
        self._close_level(line, closing_l1=True)

    def _close_level(self, line: int, closing_l1: bool) -> None:
        """A 二级 (or 一级) label that no row used is still a row of the table: keep it."""
        if self.level2 and not self.l2_used:
            self.indicators.append(
                {"level1": self.level1, "level2": self.level2}
                if self.level1
                else {"level2": self.level2}
            )
            self.l2_used = self.l1_used = True
        if closing_l1 and self.level1 and not self.l1_used:
            self.indicators.append({"level1": self.level1})
            self.l1_used = True

    def _fold_twins(self, values: dict[tuple[str, str], str], line: int) -> dict[str, str]:
        """Twin tables (长期 | 年度, or 半年 | 全年 columns): keep the year's columns; report
        the other group's cells when they say something the year's do not."""
        if not self.twin:
            return {role: v for (role, _g), v in values.items()}
        shared = {role: v for (role, g), v in values.items() if not g}
        groups: dict[str, dict[str, str]] = {}
        for (role, g), v in values.items():
            if g:
                groups.setdefault(g, {})[role] = v
        year = groups.pop("year", {})
        others = list(groups.items())
        if any(k not in ("level2",) for k in year) or not others:
            chosen = year
        else:
            chosen = others.pop(0)[1]
            others.insert(0, ("year", year))
        for group, other in others:
            for role, text in other.items():
                if chosen.get(role) != text:
                    self.draft.unplace(line, f"{_TWIN_LABEL[group]} {role}: {text}")
        return {**shared, **chosen}

    def _continues_previous(self, values: dict[str, str]) -> bool:
        """A lone cell right under a row is usually the rest of a wrapped name or target."""
        if not self.indicators or set(values) - {"name", "target"} or len(values) != 1:
            return False
        last = self.indicators[-1]
        if last.get("level2") != self.level2 or last.get("level1") != self.level1:
            return False
        if "target" in values and "target" not in last and "name" in last:
            last["target"] = values["target"]  # the target sat on the next line
            return True
        text = values.get("name") or values.get("target", "")
        if (
            "name" in values
            and target_score(text) < 3
            and len(squash(text)) <= 8
            and len(squash(last.get("name", ""))) >= 10
            and "target" in last
        ):
            last["name"] += text
            self.glued = (last, text)
            return True
        return False

    def _unglue(self, glued: tuple[dict[str, str], str], values: dict[str, str]) -> None:
        """`…疫苗接种率` / `≥90%` / `服务儿童人数` / `1200人`: a short name glued onto the row
        above as its wrapped tail is a name of its own when the next row is a target with
        no name (a wrapped tail is followed by a row of its own, `…家庭进行` / `≥50户` /
        `补助` / `质量指标 …`)."""
        if "name" in values or not values.get("target"):
            return
        last, tail = glued
        same_levels = (last.get("level1"), last.get("level2")) == (self.level1, self.level2)
        if same_levels and self.indicators and self.indicators[-1] is last:
            last["name"] = last["name"][: -len(tail)]
            values["name"] = tail


_TWIN_LABEL = {"mid": "长期/中期栏", "half": "半年栏", "year": "年度栏"}


def parse_table(t: Text, start: int, end: int, draft: Draft, layout: str) -> TableResult:
    """Indicators of the table text[start:end] (which starts at the 一级 heading)."""
    form = draft.form
    result = TableResult()
    closed = layout == PIPES and closed_on_own_line(t, start, end)
    if closed or (layout == PIPES and one_cell_per_line(t, start, end)):
        stream = split_closed_cells(t, start, end) if closed else split_pipe_cells(t, start, end)
        stream = join_label_around_row(stream, form)
        columns, used = read_columns([c for c in stream if c is not None])
        stream = _drop_stream_heading(stream, used)
        columns, stream = _stream_projects(columns, stream, form)
        rows = position_cells(stream, columns, form, outer_levels(stream, form))
    elif layout == PIPES:
        rows = split_pipes(t, start, end)
        heading_cells = [c for r in rows for c in r.cells]
        columns, used = read_columns(heading_cells)
        mid_row = _ends_mid_row(rows, used)
        rows = _drop_heading(rows, used)
        if rows and mid_row:  # the heading row goes on past the known columns
            columns, rest = _stream_projects(columns, list(rows[0].cells), form)
            rows = ([Row(rest)] if rest else []) + rows[1:]
        place_blank_led_rows(rows, columns, form)
    elif layout in (CELLS, LINES):
        stream = split_cells(t, start, end) if layout == CELLS else split_lines(t, start, end)
        stream = join_label_around_row(join_split_labels(stream, form), form)
        columns, used = read_columns([c for c in stream if c is not None])
        stream = _drop_stream_heading(stream, used)
        columns, stream = _stream_projects(columns, stream, form)
        rows = position_cells(stream, columns, form, outer_levels(stream, form))
    else:
        first_line_end, heading_text = _heading_line(t, start, end)
        heading = [Cell(tok, t.line_of(start)) for tok in heading_text.split()]
        columns, used = read_columns(heading, whole_line=True)
        leftover = heading[used:]
        has_operator = any(c.role == "operator" for c in columns)
        rows = split_rows(t, first_line_end, end, form, has_operator)
        if leftover:
            rows.insert(0, Row(leftover))
    columns = _trailing_projects(columns)
    result.columns = columns
    result.twin = any(c.group for c in columns)
    result.half = any(c.group == "half" for c in columns)
    result.projects = [c.label for c in columns if c.role == PROJECT]
    builder = IndicatorBuilder(draft, columns, form)
    for row in rows:
        builder.add(row)
    builder.finish(t.line_of(end))
    result.rows = len(builder.indicators)
    return result


def _heading_line(t: Text, start: int, end: int) -> tuple[int, str]:
    """The line of column headings of a row layout, and where it ends. A first heading
    wrapped over lines of its own (`一级` / `指标` / `二级指标 三级指标 指标值`) is joined
    back onto it."""
    line_end = t.text.find("\n", start)
    line_end = end if line_end < 0 or line_end > end else line_end
    text = t.text[start:line_end]
    fragments = [text.strip()]
    while len(text.split()) == 1 and len(fragments) < 4 and line_end < end:
        nxt = t.text.find("\n", line_end + 1)
        nxt = end if nxt < 0 or nxt > end else nxt
        text = t.text[line_end + 1 : nxt]
        line_end = nxt
        if len(text.split()) == 1:
            fragments.append(text.strip())
            continue
        words = text.split()
        joined = "".join(fragments)
        if not words or not vocab.column_role(joined) or not vocab.column_role(words[0]):
            break
        return line_end, " ".join([joined, *words])
    first_end = t.text.find("\n", start)
    first_end = end if first_end < 0 or first_end > end else first_end
    return first_end, t.text[start:first_end]


def _stream_projects(columns: list[Column], stream: list, form: str) -> tuple[list[Column], list]:
    """Headings after the known columns that name projects (西坪镇尧山村 | 桃舟乡吾培村 …):
    a wide table, one value column per project. They end at an empty cell or a level label."""
    if not any(c.role == "name" for c in columns):
        return columns, stream
    texts: list[str] = []
    for cell in stream:
        if cell is None or vocab.is_level_label(cell.text, form) or vocab.column_role(cell.text):
            break
        texts.append(cell.text)
    n = project_headings(texts)
    if not n:
        return columns, stream
    return [*columns, *(Column(PROJECT, "", text) for text in texts[:n])], stream[n:]


def _ends_mid_row(rows: list[Row], used: int) -> bool:
    for row in rows:
        if used < len(row.cells):
            return used > 0
        used -= len(row.cells)
    return False


def _trailing_projects(columns: list[Column]) -> list[Column]:
    """A row layout's heading line: two or more headings the format has no field for, last on
    the line, are a wide table's project columns."""
    run = 0
    for column in reversed(columns):
        if column.role != "unknown":
            break
        run += 1
    if run < 2 or not project_headings([c.label for c in columns[len(columns) - run :]]):
        return columns
    head = columns[: len(columns) - run]
    return [*head, *(Column(PROJECT, "", c.label) for c in columns[len(columns) - run :])]


def _drop_heading(rows: list[Row], used: int) -> list[Row]:
    out = []
    for row in rows:
        if used >= len(row.cells):
            used -= len(row.cells)
            continue
        out.append(Row(row.cells[used:]) if used else row)
        used = 0
    return out


def _drop_stream_heading(stream: list[Cell | None], used: int) -> list[Cell | None]:
    out: list[Cell | None] = []
    for cell in stream:
        if used and cell is not None:
            used -= 1
            continue
        if used:
            continue
        out.append(cell)
    return out


def _same_family(inferred: str, printed: str) -> bool:
    """产出指标 and 产出目标 / 项目产出指标: one 一级 by its word (stricter than _same_level, for
    which 成本指标 is also 产出's, as older forms file it)."""
    return bool(printed) and squash(inferred)[:2] in squash(printed)


def _same_level(inferred: str, printed: str) -> bool:
    """产出指标 and 产出目标, 项目完成指标 …: the same 一级 in another wording."""
    return squash(inferred)[:2] in squash(printed) or vocab.level1_for(
        printed.replace("目标", "指标"), vocab.NATIONAL
    ) == vocab.level1_for(inferred, vocab.NATIONAL)
