"""The patterns of PDF text, put back into the `|` rows the parsers read.

A PDF has no cells, only text placed on a page; how a table comes out depends on the tool:

- **Ruled tables read from the PDF itself** (`pdf_page_text`): the budget systems export their
  forms with every cell ruled. pdfplumber finds the cells from those rules (its own table
  finder: no geometry of ours), so a wrapped cell is one cell, a merged 一级指标 is one cell over
  its rows, and a vertical label (绩/效/指/标) is one cell: each table row becomes one `|` line,
  merged cells appearing once, as a saved web page's rowspan cells do (html.py). The text
  around the tables (title, year, notes) keeps its place above and below them.
- **Layout-preserving text** (`looks_like_layout` / `rewrite_layout`): `pdftotext -layout`, a
  PDF viewer's copy, pdfplumber's `layout=True`: columns are runs of spaces apart and keep their
  position from line to line. The column starts come from the indicator table's heading line
  (一级指标 二级指标 三级指标 指标值 …); each body line's pieces are put in the column they start
  in. A line with a value in the last columns is a row; a line with text only in the name or
  level columns is a wrapped part of a cell, joined to the row it belongs to by position (a
  one-line cell is printed at the middle of a taller row, so a row's own cells may sit between
  the halves of its wrapped name); a merged 一级/二级 cell, printed once at the middle of its
  rows, is given to every row it spans. The text is rewritten line for line, so line numbers
  still point at the source (the lines a row absorbed are left empty).
- **Page furniture** (`drop_furniture`): page numbers (第 1 页 共 3 页, - 2 -, 2/3) and the lines
  every page repeats (running headers, footers, the table heading printed again on each page)
  are not table text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from . import vocab
from .textutil import join_wrapped, squash

__all__ = [
    "drop_furniture",
    "is_page_number",
    "looks_like_layout",
    "pdf_page_text",
    "rewrite_layout",
]

# --- page furniture --------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:第\s*\d+\s*页\s*[,，、/]?\s*(?:共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|[Pp]age\s*\d+(?:\s*of\s*\d+)?)$"
)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_MIN_PAGES = 3  # a line repeated at the edge of this many pages (and of all but one) is furniture


def is_page_number(line: str) -> bool:
    """第 1 页，共 2 页 / - 2 - / 2/3 / Page 2 of 3, on a line of its own. (A bare number is
    one only at a page's edge: inside a table it is a value.)"""
    return bool(_PAGE_NUMBER.match(line.strip()))


def drop_furniture(pages: list[str]) -> list[str]:
    """The pages' text without page numbers and without the lines that open or close every
    page alike (running headers and footers). A line is furniture when it stands among the
    first or last two lines of at least three pages and of all pages but one: a table's
    title printed once per table, or rows that merely repeat, are not."""
    split = [page.split("\n") for page in pages]
    edges: Counter[str] = Counter()
    for lines in split:
        filled = [squash(x) for x in lines if x.strip()]
        edges.update(set(filled[:2] + filled[-2:]))
    repeated = {
        key
        for key, count in edges.items()
        if key and count >= _MIN_PAGES and count >= len(split) - 1
    }
    out = []
    for lines in split:
        filled = [n for n, x in enumerate(lines) if x.strip()]
        edge = set(filled[:1] + filled[-1:])
        kept = [
            ""
            if is_page_number(line)
            or (line.strip() and squash(line) in repeated)
            or (n in edge and _BARE_NUMBER.match(line.strip()))
            else line
            for n, line in enumerate(lines)
        ]
        out.append("\n".join(kept))
    return out


# --- ruled tables read from the PDF ------------------------------------------------------------


def pdf_page_text(page: Any) -> str | None:
    """A pdfplumber page whose tables are ruled → its text with each table row as one `|`
    line (merged cells once), the text outside the tables in reading order around them. A
    page with no ruled table but an indicator table laid out by position → its layout text
    rewritten (`rewrite_layout`). None otherwise (the plain text is read then)."""
    # A table of cells: two rows and two columns at least (a frame ruled round the page, or a
    # boxed paragraph, is one column: its text is read as text).
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.columns) >= 2]
    if not tables:  # no rules: the page laid out by position, when it holds a table
        laid_out = "\n".join(x.rstrip() for x in page.extract_text(layout=True).split("\n"))
        return rewrite_layout(laid_out) if looks_like_layout(laid_out) else None
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    placed: list[tuple[float, str]] = []
    for line in page.filter(outside).extract_text_lines():
        placed.append((line["top"], line["text"]))
    for table in tables:
        for row, cells in zip(table.rows, table.extract(), strict=False):
            texts = [_cell(c) for c in cells if c is not None]
            if any(texts):
                placed.append((row.bbox[1], "| " + " | ".join(texts) + " |"))
    placed.sort(key=lambda item: item[0])
    return "\n".join(text for _, text in placed)


def _cell(text: str | None) -> str:
    """A cell's lines joined as the cell shows them (a vertical 绩/效/指/标 is one word)."""
    return join_wrapped((text or "").split("\n")).replace("|", "｜")


# --- layout-preserving text ----------------------------------------------------------------------

_MIN_GAP_LINES = 4  # lines with pieces two or more spaces apart, before a text counts as laid out
_SLACK = 2  # characters a cell's text may start left of its column's heading
_COLUMN_GAP = 3  # spaces at least between the headings of laid-out columns
_END_BLANKS = 4  # blank lines that end a table (tall rows leave one or two inside it)


@dataclass
class _Piece:
    start: int
    end: int
    text: str


@dataclass
class _Row:
    line: int  # the line holding the row's values
    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # column → (line, text)

    def add(self, column: int, line: int, text: str) -> None:
        self.cells.setdefault(column, []).append((line, text))

    def own(self, column: int) -> bool:
        """The row has text of its own in `column` on its value line."""
        return any(line == self.line for line, _ in self.cells.get(column, []))

    def extent(self) -> tuple[int, int]:
        lines = [line for parts in self.cells.values() for line, _ in parts] or [self.line]
        return min(lines), max(lines)

    def text(self, column: int) -> str:
        return join_wrapped([text for _, text in sorted(self.cells.get(column, []))])


def _pieces(line: str) -> list[_Piece]:
    """A line cut at runs of two or more spaces (one space stays inside a cell: `≥ 90 %`)."""
    return [_Piece(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def _role(text: str) -> str:
    found = vocab.column_role(text)
    return found[0] if found else ""


def _header(line: str) -> list[_Piece] | None:
    """The pieces of an indicator table's heading line (一级指标 二级指标 三级指标 指标值 …),
    each three or more spaces from the next (columns); None for any other line."""
    if "  " not in line.strip():
        return None
    pieces = _pieces(line)
    if any(b.start - a.end < _COLUMN_GAP for a, b in zip(pieces, pieces[1:], strict=False)):
        return None  # words a space or two apart: a sentence or plain rows, not columns
    roles = {_role(p.text) for p in pieces}
    known = sum(1 for p in pieces if _role(p.text))
    if known >= 3 and roles & {"level1", "level2"} and "target" in roles:
        return pieces
    return None


def looks_like_layout(text: str) -> bool:
    """Text laid out by position: an indicator heading line with its columns spaces apart,
    and more lines whose pieces stand two or more spaces apart."""
    lines = text.split("\n")
    gapped = sum(1 for line in lines if "  " in line.strip())
    return gapped >= _MIN_GAP_LINES and any(_header(line) for line in lines)


def rewrite_layout(text: str) -> str:
    """Every indicator table of a laid-out text as `|` rows, line for line; lines outside the
    tables keep their text, their pieces put between `|` when they stand apart; page numbers
    are emptied."""
    lines = text.split("\n")
    out = list(lines)
    _centred_labels(lines, out)
    _bands(lines, out)
    n = start = 0
    while n < len(lines):
        heading = _header(lines[n])
        if heading is None:
            n += 1
            continue
        _outside(lines, out, start, n)
        end = _table_end(lines, n + 1)
        out[n] = _piped(p.text for p in heading)
        out[n + 1 : end] = _table(lines, n + 1, end, heading)
        n = start = end
    _outside(lines, out, start, len(lines))
    return "\n".join(out)


def _outside(lines: list[str], out: list[str], start: int, end: int) -> None:
    """Lines outside the indicator tables: pieces two or more spaces apart become `|` cells,
    and a lone piece standing under (or over) a cell of the line next to it is that cell's
    wrapped text (a goal's second line, a label 主管部门及 / 代码)."""
    rows: dict[int, list[_Piece]] = {}
    for n in range(start, end):
        if out[n] != lines[n]:
            continue  # already rewritten: a label centred beside its wrapped value
        if is_page_number(lines[n]):
            out[n] = ""
        elif len(_pieces(lines[n])) >= 2:
            rows[n] = _pieces(lines[n])

    def lone(n: int) -> _Piece | None:
        pieces = _pieces(lines[n]) if start <= n < end and out[n] == lines[n] else []
        return pieces[0] if len(pieces) == 1 and n not in rows else None

    def aligned(m: int, piece: _Piece) -> int | None:
        cells = rows.get(m, [])
        return next((k for k, c in enumerate(cells) if abs(c.start - piece.start) <= _SLACK), None)

    owner: dict[int, int] = {}  # a joined line → the cell line it went into
    above: Counter[tuple[int, int]] = Counter()  # (cell line, cell) → lines joined over it
    below: Counter[tuple[int, int]] = Counter()
    for n in range(start, end):
        piece = lone(n)
        if piece is None:
            continue
        up = owner.get(n - 1, n - 1)
        k_up, k_down = aligned(up, piece), aligned(n + 1, piece)
        after = lone(n + 2)
        # Cells are printed centred: a label beside a value wrapped over three lines sits on
        # the middle one. A lone line goes up when the cell above still has more lines over
        # it than under it, down when the row below has its value running on under it too.
        centred = k_down is not None and after is not None and abs(after.start - piece.start) <= 2
        balance = k_up is not None and above[up, k_up] > below[up, k_up]
        if k_up is not None and (balance or not centred):
            m, k, parts = up, k_up, [rows[up][k_up].text, piece.text]
            below[m, k] += 1
        elif k_down is not None:
            m, k, parts = n + 1, k_down, [piece.text, rows[n + 1][k_down].text]
            above[m, k] += 1
        else:
            continue
        cell = rows[m][k]
        rows[m][k] = _Piece(cell.start, cell.end, join_wrapped(parts))
        owner[n], out[n] = m, ""
    for n, cells in rows.items():
        out[n] = _piped(c.text for c in cells)


def _centred_labels(lines: list[str], out: list[str]) -> None:
    """A label printed at the middle of a value that wraps over several lines (年度目标 between
    the lines of its goal): the label's line gets `| label | whole value |`, the value's
    lines are emptied. Only runs of one-piece lines outside the indicator tables."""
    run: list[int] = []
    for n in range(len(lines) + 1):
        pieces = _pieces(lines[n]) if n < len(lines) else []
        if len(pieces) == 1 and not _header(lines[n]) and not is_page_number(lines[n]):
            run.append(n)
            continue
        if len(run) >= 2:
            first = {k: _pieces(lines[k])[0] for k in run}
            margin = min(p.start for p in first.values())
            labels = [k for k in run if first[k].start == margin]
            values = [k for k in run if k not in labels]
            if len(values) == 1 and len(labels) >= 2 and labels[0] < values[0] < labels[-1]:
                # a label wrapped round a one-line value printed at its middle (年度绩效 /
                # 完成全省…… / 目标): the label's lines are one label on the value's line
                value = first[values[0]]
                if value.start >= max(first[k].end for k in labels):
                    for k in labels:
                        out[k] = ""
                    label = join_wrapped([first[k].text for k in labels])
                    out[values[0]] = _piped([label, value.text])
            elif (
                len(labels) == 1
                and values
                and labels[0] not in (run[0], run[-1])
                or (len(labels) == 1 and len(values) >= 2)
            ):
                label = first[labels[0]]
                starts = {first[k].start for k in values}
                if min(starts) >= label.end and max(starts) - min(starts) <= _SLACK:
                    joined = join_wrapped([first[k].text for k in values])
                    for k in values:
                        out[k] = ""
                    out[labels[0]] = _piped([label.text, joined])
        run = []


def _bands(lines: list[str], out: list[str]) -> None:
    """Header rows of label | value pairs, some cells wrapped over two lines and the one-line
    cells of the row printed at their middle:
    `        乡村公路养护   省级业务主   资金类型   专项资金`
    `资金名称                某省交通运输厅`
    `        专项资金       管部门       实施周期   2023年-2025年`.
    The middle line's cells start where the lines round it have none. A cell whose two halves
    stand above and below the middle line is one wrapped cell when its partner (labels and
    values alternate left to right) is printed on the middle line; where both partners have a
    half above and below (资金类型 | 专项资金, 实施周期 | 2023年-2025年) they are two rows of
    one line each. The joined cells go onto the middle line in column order."""
    for n in range(1, len(lines) - 1):
        if any(out[k] != lines[k] for k in (n - 1, n, n + 1)) or _header(lines[n]):
            continue
        top, middle, bottom = (_pieces(lines[k]) for k in (n - 1, n, n + 1))
        if len(top) < 2 or len(bottom) < 2 or not middle:
            continue
        outer = [p.start for p in top + bottom]
        if any(abs(m.start - x) <= _SLACK for m in middle for x in outer):
            continue  # the middle line's cells start under outer cells: rows, not a band
        starts: list[int] = []  # columns: piece starts within the slack of each other
        for x in sorted(p.start for p in top + middle + bottom):
            if not starts or x - starts[-1] > _SLACK:
                starts.append(x)

        at: dict[int, dict[str, _Piece]] = {}  # column → where (top, middle, bottom) → piece
        clash = False
        for where, pieces in (("top", top), ("middle", middle), ("bottom", bottom)):
            for piece in pieces:
                i = max(i for i, x in enumerate(starts) if piece.start >= x - _SLACK)
                clash = clash or where in at.get(i, {})
                at.setdefault(i, {})[where] = piece
        if len(starts) % 2 or clash:
            continue  # labels and values must pair up, one piece per column and line
        kinds = [_band_kind(set(at.get(i, {}))) for i in range(len(starts))]
        pairs = [(kinds[i], kinds[i + 1]) for i in range(0, len(kinds), 2)]
        if "other" in kinds or not any(set(p) == {"middle", "split"} for p in pairs):
            continue
        row, above, below = [], [], []
        for i, (a, b) in enumerate(pairs):
            for c in (2 * i, 2 * i + 1):
                cells = at[c]
                if (a, b) == ("split", "split"):
                    above.append(cells["top"].text)
                    below.append(cells["bottom"].text)
                elif "middle" in cells:
                    row.append(cells["middle"].text)
                else:
                    row.append(join_wrapped([cells["top"].text, cells["bottom"].text]))
        out[n - 1] = _piped(above) if above else ""
        out[n] = _piped(row)
        out[n + 1] = _piped(below) if below else ""


def _band_kind(where: set[str]) -> str:
    """A band column: printed on the middle line only, split above and below it, or other."""
    if where == {"middle"}:
        return "middle"
    return "split" if where == {"top", "bottom"} else "other"


def _piped(texts: Any) -> str:
    return "| " + " | ".join(texts) + " |"


def _table_end(lines: list[str], start: int) -> int:
    """The first line after a table: three blank lines, a note, a review row, page end text,
    or the next table's heading."""
    blank = 0
    margin = min(p.start for p in _pieces(lines[start - 1])) - _SLACK
    for n in range(start, len(lines)):
        key = squash(lines[n])
        if not key:
            blank += 1
            if blank >= _END_BLANKS:
                return n - blank + 1
            continue
        blank = 0
        first = _pieces(lines[n])[0]
        if (
            re.match(r"^(注|说明|备注)[:：]", key)
            or key.startswith(tuple(vocab.TABLE_END))
            or "审核意见" in key
            or any(key.startswith(squash(w)) for w in vocab.PERSONAL_LABELS)
            or (first.end <= margin and squash(first.text) not in _VERTICAL_PARTS)
            or _header(lines[n])
        ):
            return n
    return len(lines)


def _boundaries(lines: list[str], heading: list[_Piece]) -> list[int]:
    """Where each column starts. A heading is often centred over its column while the cells'
    text starts at the column's left edge: the start is moved left to the end of the blank
    valley that the body lines leave before the heading (or to the heading, less slack)."""
    # as wide as the heading too: the body may be shorter than it, or absent
    width = max([len(x) for x in lines] + [heading[-1].end]) + 1
    used = [0] * width
    for line in lines:
        for piece in _pieces(line):
            for x in range(piece.start, piece.end):
                used[x] += 1
    starts = [heading[0].start - _SLACK]
    for left, right in zip(heading, heading[1:], strict=False):
        start = right.start - _SLACK
        for x in range(right.start, left.end, -1):  # from the heading leftwards
            if used[x - 1] == 0 and used[x] > 0:
                start = min(start, x)
                break
        starts.append(max(start, left.end + 1))
    return starts


def _table(lines: list[str], start: int, end: int, heading: list[_Piece]) -> list[str]:
    """The table body's lines rewritten: one `|` row on each row's value line (every column,
    merged levels repeated), the lines whose text went into a row left empty."""
    body = lines[start:end]
    starts = _boundaries([x for x in body if not is_page_number(x)], heading)
    roles = [_role(p.text) for p in heading]
    levels = [k for k, r in enumerate(roles) if r in ("level1", "level2")]
    values = [k for k, r in enumerate(roles) if r not in ("level1", "level2", "name", "")]
    placed: list[tuple[int, dict[int, str]]] = []
    left: dict[int, str] = {}  # text left of the table's first column (a vertical 绩效指标)
    for n, line in enumerate(body):
        if is_page_number(line):
            continue
        cols: dict[int, str] = {}
        for piece in _pieces(line):
            if piece.end <= starts[0]:
                left[n] = piece.text
                continue
            k = max(i for i, s in enumerate(starts) if piece.start >= s or i == 0)
            cols[k] = f"{cols[k]} {piece.text}" if k in cols else piece.text
        if cols:
            placed.append((n, cols))
    anchors = [n for n, cols in placed if any(k in cols for k in values)]
    out = list(body)
    if not anchors:
        return out
    rows = {n: _Row(n) for n in anchors}
    labels: dict[int, list[tuple[int, str]]] = {k: [] for k in levels}
    for n, cols in placed:
        for k, text in cols.items():
            if k in labels:
                labels[k].append((n, text))
            elif n in rows:
                rows[n].add(k, n, text)
    grouped = {k: _labels(labels[k]) for k in levels}
    bonds: dict[int, set[int]] = {}  # line → the lines of the wrapped level label it is part of
    for groups in grouped.values():
        for group_lines, _text in groups:
            for n in group_lines:
                bonds.setdefault(n, set()).update(group_lines)
    for n, cols in placed:  # wrapped parts, once every row's own cells are known
        for k, text in cols.items():
            if k not in labels and n not in rows:
                _owner(n, k, anchors, rows, bonds.get(n, set())).add(k, n, text)
    ordered = [rows[n] for n in anchors]
    for k in sorted(levels, key=lambda k: roles[k] == "level1"):  # 二级 first: they place 一级
        middles = [(sum(ls) / len(ls), text) for ls, text in grouped[k]]
        for label, members in _spans(middles, ordered, roles[k], roles, k):
            for row in members:
                row.cells[k] = [(row.line, label)]
    for n in range(len(body)):
        if body[n].strip() and (n in left and squash(left[n]) in _VERTICAL_PARTS or n not in left):
            out[n] = ""
        elif n in left:
            out[n] = left[n]
    for row in ordered:
        out[row.line] = _piped(row.text(k) for k in range(len(heading)))
    return out


def _owner(n: int, column: int, anchors: list[int], rows: dict[int, _Row], bond: set[int]) -> _Row:
    """The row a wrapped part of a cell belongs to. When a level label of a row wraps over
    this line too (社会效益 / 指标), the part is that row's. Otherwise a row's one-line cells
    are printed at the middle of the row, so a part between two rows goes to the row below
    when that row has no text of its own in the column yet (its cell began above its value
    line), else to the row above (a cell's text runs on below its first line)."""
    above = max((a for a in anchors if a < n), default=None)
    below = min((a for a in anchors if a > n), default=None)
    if above is None or below is None:
        return rows[below if above is None else above]  # type: ignore[index]
    if below in bond and above not in bond:
        return rows[below]
    if above in bond and below not in bond:
        return rows[above]
    if not rows[below].own(column) and (rows[above].own(column) or below - n <= n - above):
        return rows[below]
    return rows[above]


def _labels(pieces: list[tuple[int, str]]) -> list[tuple[list[int], str]]:
    """A level column's labels (middle line, text). Parts one or two lines apart (the row's
    values may sit between them) are one wrapped label when together they make a level
    name and were not two already (可持续影响 / 指标, 服务对象满意度 / 指标)."""
    out: list[tuple[list[int], str]] = []
    for n, text in pieces:
        if out and n - out[-1][0][-1] <= 2:
            whole = out[-1][1] + text
            label = vocab.is_level_label(text, vocab.NATIONAL)
            both = label and vocab.is_level_label(out[-1][1], vocab.NATIONAL)
            done = vocab.is_level_label(out[-1][1], vocab.NATIONAL)
            near = n - out[-1][0][-1] == 1 and not label and not done
            if not both and (vocab.is_level_label(whole, vocab.NATIONAL) or near):
                out[-1] = ([*out[-1][0], n], whole)
                continue
        out.append(([n], text))
    return out


def _spans(
    labels: list[tuple[float, str]], rows: list[_Row], role: str, roles: list[str], column: int
) -> list[tuple[str, list[_Row]]]:
    """The rows each label of a merged level column covers. A label is printed at the middle
    of its rows: the rows whose middle is at or above the label's middle are its own, the
    rows between it and the next label are split where the groups' middles fit best; for a
    一级, a row whose 二级 belongs to one of the two (数量指标 → 产出指标) decides first."""
    if not labels or not rows:
        return []
    mids = [sum(r.extent()) / 2 for r in rows]
    level2 = next((k for k, r in enumerate(roles) if r == "level2"), None)
    bounds = [0]
    for j in range(len(labels) - 1):
        (here, name), (there, next_name) = labels[j], labels[j + 1]
        if bounds[-1] >= len(rows):  # more labels than rows: the rest cover none
            bounds.append(len(rows))
            continue
        lo = min(len(rows), max(bounds[-1] + 1, sum(1 for m in mids if m <= here + 0.5)))
        hi = min(len(rows), max(lo, sum(1 for m in mids if m < there - 0.5)))
        best, best_score = lo, None
        for b in range(lo, hi + 1):
            agree = 0
            if role == "level1" and level2 is not None:
                for i in range(lo - 1, min(hi + 1, len(rows))):
                    owner = vocab.level1_for(rows[i].text(level2), vocab.NATIONAL)
                    if owner:
                        mine = name if i < b else next_name
                        agree += squash(owner) == squash(mine)
            top, bottom = rows[bounds[-1]].extent()[0], rows[b - 1].extent()[1]
            score = (agree, -abs((top + bottom) / 2 - here))
            if best_score is None or score > best_score:
                best, best_score = b, score
        bounds.append(best)
    bounds.append(len(rows))
    return [
        (labels[j][1], rows[bounds[j] : bounds[j + 1]])
        for j in range(len(labels))
        if bounds[j] < bounds[j + 1]
    ]


_VERTICAL_PARTS = {
    squash(x)
    for x in ("绩效指标", "绩效目标", "绩效", "目标", "指标", "绩", "效", "指", "标", "目")
}
