"""Tables whose cells ran together: `项目名称农村义务教育薄弱学校改造补助资金`, `产出指标数量指标
农村义务教育学校改造覆盖率100%`. Scanned PDFs read by OCR, document-sharing sites and some web
pages lose every cell boundary. The labels of the forms (fields.py's vocabulary, the indicator
columns and the national framework's levels) are still there: a cell boundary is put back
around each, and between an indicator's name and the target that ends its row. Each line stays
one line, so line numbers still point at the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import vocab
from .labels import _table
from .runtogether import form_start, split_columns, split_explanation, split_rows, unmarked
from .source import Text
from .widerun import column_lists, heading_names, split_values

_MIN_LABEL = 3  # 单位, 年度, 指标: too common inside other words to cut at
_PREFIX = "绩效"  # printed before column headings by some budget systems (see _heading)
# The levels every national table prints (财政部 2021) and the Shanghai form's.
LEVEL_NAMES = (
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "社会公众或服务对象满意度指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    "项目完成指标",
    "项目效益指标",
    "产出目标",
    "效果目标",
    "影响力目标",
    "投入与管理",
)
_TARGET_END = re.compile(
    r"^(?P<name>.*?[\u4e00-\u9fff）)%])\s*"
    r"(?P<target>(?:[=＝≥≤><≧≦]=?|大于等于|小于等于|不低于|不少于|不超过|不高于)?\s*"
    r"\d[\d,.]*\s*(?:%|％|‰|[\u4e00-\u9fff]{1,3}(?:/[\u4e00-\u9fff]{1,2})?)?)$"
)
_WORD_TARGET = re.compile(
    r"^(?P<name>.{4,}?)(?P<target>稳步提高|显著提高|有所提高|逐步提高|明显提高|明显改善|有效改善|"
    r"有效提升|显著提升|明显提升|稳步提升|持续提升|逐步改善|逐年提高|提高|提升|改善|良好|优良|合格|达标|"
    r"健全|完善|规范|长期|持续|及时|是|否)$"
)


def _is_title(line: str) -> bool:
    """项目支出绩效目标表（2021年度）: a title line, whole, not cells."""
    key = re.sub(r"\s", "", line)
    return bool(vocab.TITLE.search(key)) and len(key) <= 40 and "一级" not in key


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    labels: set[str] = set(LEVEL_NAMES)
    for form in (vocab.SHANGHAI, vocab.NATIONAL):
        labels |= {k for k in _table(form) if len(k) >= _MIN_LABEL}
    for pattern, _role in vocab.COLUMN_ROLES:
        labels |= {
            w for w in re.findall(r"[\u4e00-\u9fff()]+", pattern.pattern) if len(w) >= _MIN_LABEL
        }
        # The headings themselves (指标方向性: the pattern's own brackets are not part of them), and
        # as some budget systems print them, with 绩效 before: 绩效指标性质, 绩效度量单位.
        words = {
            w for w in re.findall(r"[\u4e00-\u9fff]+", pattern.pattern) if len(w) >= _MIN_LABEL
        }
        labels |= words | {_PREFIX + w for w in words if not w.startswith(_PREFIX)}
    # OCR and document-sharing sites space some labels out (项 目 名 称) or leave a stray
    # mark inside one (一*级项目名称): matched too. A label followed by 表 is a word of the
    # form's title (绩效目标表), not a cell.
    body = "|".join(
        "[ \t*]?".join(re.escape(ch) for ch in x) for x in sorted(labels, key=len, reverse=True)
    )
    # 主管部门(单位)名称及部门预算编码: a label that also asks for a code is one label.
    code = r"(?:及[\u4e00-\u9fff]{0,6}?(?:编码|代码|编号))?"
    return re.compile(f"(?:{body}){code}(?![ \t]?表)")


_NOTE = re.compile(r"[（(][^()（）\n]{0,60}[)）]")
_GLUED_LINES = 3  # lines that open with a label run straight into its value


def _glued(line: str, pattern: re.Pattern[str]) -> bool:
    """`项目名称党外人才专项服务工作经费`: a line that opens with a label of four characters or
    more and goes straight on into its value, with no space, colon or cell border."""
    match = pattern.match(line.strip())
    if not match or len(re.sub(r"\s", "", match.group(0))) < 4:
        return False
    rest = line.strip()[match.end() :]
    return bool(rest) and not re.match(r"[\s|:：(（]", rest)


def _headings(line: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The column headings of the indicator table (一级指标, 指标名称, 目标值 …) in the line."""
    return [m for m in pattern.finditer(line) if vocab.column_role(m.group(0))]


_ATTACHMENT = re.compile(r"附件\s*\d{0,2}\s*[:：]?")
_TITLE_WORDS = 60  # how far before 绩效目标表 a title's 附件N may stand


def _title_head(line: str, title_end: int) -> int:
    """Where the title ending at `title_end` begins: at its 附件N
    (`…合计65.5附件2某项目绩效目标表`), or only at its last words when no 附件 precedes it."""
    floor = max(0, title_end - _TITLE_WORDS)
    found = list(_ATTACHMENT.finditer(line, floor, title_end))
    return found[-1].start() if found else title_end


def _name_labels(line: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The project-name labels (项目名称, 专项名称 …) in the line."""
    return [m for m in pattern.finditer(line) if _label_key(m.group(0)) == "name"]


def _has_headings(line: str, pattern: re.Pattern[str]) -> bool:
    return bool(_headings(line, pattern))


def _with_colons(line: str, pattern: re.Pattern[str]) -> str:
    """`开始时间2019/1/1结束时间2019/12/31` → `开始时间：2019/1/1 结束时间：2019/12/31`."""

    def labelled(match: re.Match[str]) -> str:
        after = line[match.end() : match.end() + 1]
        return f" {match.group(0)}" + ("" if after in (":", "：") else "：")

    line = _substitute(line, pattern, labelled)
    # `20万元中央补助安排0省级财政安排0`: an amount in 万元/元 runs into the next label.
    return _AMOUNT_THEN_WORDS.sub(r"\1 ", line).strip()


def _substitute(
    line: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]
) -> str:
    """pattern.sub(replace, line), but a label that is the tail of a word is left alone."""
    matches = list(pattern.finditer(line))
    parts: list[str] = []
    done = 0
    for i, match in enumerate(matches):
        if _word_tail(line, match, matches[i + 1] if i + 1 < len(matches) else None):
            continue
        parts += [line[done : match.start()], replace(match)]
        done = match.end()
    return "".join(parts) + line[done:]


def _word_tail(line: str, match: re.Match[str], nxt: re.Match[str] | None) -> bool:
    """`资金名称林业草原专项资金(天然林保护)主管部门…`: a group heading (专项资金, 项目资金) that
    ends the word before it and is followed (past a bracketed note) by a field's label, not by
    amounts or money labels, is the end of that value, not a heading of its own."""
    kind = _table(vocab.NATIONAL).get(re.sub(r"[\s*]", "", match.group(0)), ("", ""))[0]
    if kind != "group" or not re.match(r"[\u4e00-\u9fff]", line[match.start() - 1 : match.start()]):
        return False
    if nxt is None or _NOTE.sub("", line[match.end() : nxt.start()]).strip():
        return False
    return _label_kind(nxt.group(0)) in ("field", "section", "extra", "goal")


_LABEL_INSERT = re.compile(r"[（(][\u4e00-\u9fff]{1,4}[)）]")
_LABEL_CODE = re.compile(r"及[\u4e00-\u9fff]{0,6}?(?:编码|代码|编号)$")


def _label_meaning(label: str) -> tuple[str, str]:
    """(kind, key) of a header label as the vocabulary knows it, also when printed with a word
    in brackets or asking for a code too: 主管部门(单位)名称及部门预算编码 is 主管部门名称."""
    table = _table(vocab.NATIONAL)
    key = re.sub(r"[\s*]", "", label)
    bare = _LABEL_CODE.sub("", _LABEL_INSERT.sub("", key))
    for candidate in (key, _LABEL_INSERT.sub("", key), _LABEL_CODE.sub("", key), bare):
        if candidate in table:
            return table[candidate]
    return ("", "")


def _label_kind(label: str) -> str:
    return _label_meaning(label)[0]


def _label_key(label: str) -> str:
    return _label_meaning(label)[1]


_AMOUNT_THEN_WORDS = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?\s*万?元)(?=[\u4e00-\u9fff])")


def _labelled_cells(cells: list[str], pattern: re.Pattern[str]) -> str:
    """Header cells written as `label：value`, the way a row of header fields reads."""
    return " ".join(f"{c}：" if pattern.fullmatch(c) else c for c in cells)


def ran_together(text: str) -> bool:
    """Several labels of the form in one stretch of text with nothing between: cells ran on."""
    pattern = _pattern()
    runs = 0
    glued = 0
    for line in text.split("\n"):
        glued += _glued(line, pattern)
        # a note in brackets lists labels, it holds no cells: (含项目概况、设立依据、必要性)
        line = _NOTE.sub(lambda m: " " * len(m.group()), line)
        found = list(pattern.finditer(line))
        runs += sum(
            1
            for a, b in zip(found, found[1:], strict=False)
            if b.start() - a.end() < 40 and not re.search(r"[\s|:：]", line[a.end() : b.start()])
        )
    return runs >= 3 or glued >= _GLUED_LINES


@dataclass
class LinedText(Text):
    """Text whose lines were split further (rows of a table printed on one line): each of its
    lines remembers the source line it came from, so messages still point at the source."""

    origin: tuple[int, ...] = ()

    def line_of(self, offset: int) -> int:
        own = Text.line_of(self, offset)
        return self.origin[own - 1] if 0 < own <= len(self.origin) else own

    def line_start(self, offset: int) -> int:
        return self._starts[Text.line_of(self, offset) - 1]


def separated(t: Text) -> Text:
    """`t` with its run-together cells separated (see `separate`), line numbers kept."""
    lines = _separate_lines(t.text)
    return LinedText(
        "\n".join(text for text, _ in lines),
        t.source_url,
        origin=tuple(number for _, number in lines),
    )


def separate(text: str) -> str:
    """The same lines, with `|` between the cells that ran together. Above the indicator
    table, header fields get their colon back instead (`项目名称：党外人才…`): each label's
    value is then the text up to the next label, however the header's cells were laid out.
    In the indicator table, a line that holds several rows (a whole table on one line of OCR
    text) is cut into one line per row."""
    return "\n".join(text for text, _ in _separate_lines(text))


def _separate_lines(text: str) -> list[tuple[str, int]]:
    pattern = _pattern()
    out: list[tuple[str, int]] = []
    in_table = False
    roles: list[str] = []  # the column headings' roles of the indicator table, in order
    lists: list[list[str]] | None = None  # the text's `、`-lists (widerun.py), once needed
    columns: list[str] = []  # a wide table's value columns, named by such a list
    for number, line in enumerate(text.split("\n"), start=1):
        if (not pattern.search(line) and not in_table) or _is_title(line):
            out.append((line, number))
            continue
        if not in_table and not _has_headings(line, pattern):  # header fields only
            start = form_start(line, _name_labels(line, pattern))
            if start:  # a notice and its allocation table, then the form's title on a line
                head = _title_head(line, start)
                out += [(line[:head], number), (line[head:start], number)]
                line = line[start:]
            out.append((_with_colons(line, pattern), number))
            continue
        start = 0 if in_table else form_start(line, _headings(line, pattern))
        if start:  # a notice and other tables before the form's title (runtogether.form_start)
            out.append((line[:start], number))
            line = line[start:]
        cells = unmarked(
            [
                _heading(c.strip().lstrip(":：").strip())
                for c in _substitute(line, pattern, lambda m: f"|{m.group(0)}|").split("|")
            ]
        )
        if not cells:
            out.append((line, number))
            continue
        opens = any(_kind(c) == "head-level1" for c in cells)
        rows = _rows(cells) if in_table or opens else [cells]
        seen_heading = in_table
        for row in rows:
            seen_heading = seen_heading or any(_kind(c).startswith("head") for c in row)
            if not seen_heading:  # header fields before the table's headings, on its line
                out.append((_labelled_cells(row, pattern), number))
                continue
            if all(_kind(c).startswith("head") for c in row):
                roles = [(vocab.column_role(c) or ("",))[0] for c in row]
            if roles and not any(_kind(c).startswith("head") for c in row):
                # a data row under the headings: cells that ran on (runtogether.py)
                row = split_explanation(split_columns(_rejoined(row, pattern), roles), roles)
            if lists is None:
                lists = column_lists(text)
            while row:
                row, after, cut = _wide_columns(row, lists, columns)
                if row and row[0] == _ONTO_HEADING and out and out[-1][0].startswith("| "):
                    # the value columns' names: the heading row above goes on with them
                    out[-1] = (out[-1][0] + " " + " | ".join(row[1:]) + " |", out[-1][1])
                    break
                for piece in split_rows(row):  # rows under one level that ran on
                    if cut:  # a wide row's values not cut with certainty stay as printed
                        _split_target(piece, words=True)
                    out.append(("| " + " | ".join(piece) + " |", number))
                # the next row's name and explanation, run on after the values
                row = split_explanation(after, roles) if after else []
        in_table = in_table or opens
    return out


_ONTO_HEADING = "\0"  # _wide_columns: these names continue the heading row above
_SPAN = 4  # 区域, 目标值, 县区: a heading printed above a wide table's value columns


def _wide_columns(
    row: list[str], lists: list[list[str]], columns: list[str]
) -> tuple[list[str], list[str], bool]:
    """A wide table's heading cell that runs its column names together → one cell each (and
    `columns` is set); under it, a data row's values that ran together → one cell per column
    when the cut is certain (widerun.py). Returns the row, the cells of the next row that ran
    on after the values, and whether a value may still be cut off the row's end: not under
    such columns when no certain cut was found (one cell would then be guessed to be the
    first column's value; the run stays in its cell, as printed)."""
    for i, cell in enumerate(row):
        names = heading_names(cell, lists) if _kind(cell) == "data" else None
        if names:
            columns[:] = names
            if all(_kind(c) == "head" or len(c) <= _SPAN for c in row[:i]) and i + 1 == len(row):
                # `区域 | 目标值 | 新罗区…`: the heading spanning the value columns, then their
                # names, under the row of headings (一级指标 … 指标解释) that they continue
                return [_ONTO_HEADING, *names], [], False
            return [*row[:i], *names, *row[i + 1 :]], [], False
    if not columns or any(_kind(c).startswith("head") for c in row):
        return row, [], True
    for i in range(len(row) - 1, -1, -1):
        cut = split_values(row[i], len(columns))
        if cut:
            before, values, after = cut
            rest = [after, *row[i + 1 :]] if after else row[i + 1 :]
            return [*row[:i], *([before] if before else []), *values], rest, False
    return row, [], False


def _rejoined(row: list[str], pattern: re.Pattern[str]) -> list[str]:
    """In the indicator table only its headings and levels cut cells: a header field's label
    inside an indicator's name (省级财政专项资金投入成本控制率, 项目资金使用合规性) made two data
    cells of one; they are one again. A row with two different header labels is header fields
    (the next form's, run on after the last row) and stays cut."""
    labels = {c for c in row if _kind(c) == "data" and pattern.fullmatch(c)}
    if len(labels) > 1:
        return row
    out: list[str] = []
    for cell in row:
        if out and _kind(cell) == "data" and _kind(out[-1]) == "data":
            out[-1] += cell
        else:
            out.append(cell)
    return out


def _heading(cell: str) -> str:
    """`绩效指标性质` → `指标性质`: a column heading printed with 绩效 before it, as the heading it
    is; any other cell as it is."""
    bare = cell[len(_PREFIX) :]
    if (
        cell.startswith(_PREFIX)
        and len(bare) >= _MIN_LABEL
        and not vocab.column_role(cell)
        and vocab.column_role(bare)
    ):
        return bare
    return cell


def _kind(cell: str) -> str:
    """What a cell of the indicator table is: a column heading, a level label or data."""
    role = vocab.column_role(cell)
    if role:
        return "head-level1" if role[0] == "level1" else "head"
    if vocab.level1_score(cell, vocab.NATIONAL) or vocab.is_level2(cell):
        return "level"
    return "data"


def _rows(cells: list[str]) -> list[list[str]]:
    """Cells of one line → the rows they make. A row ends where the column headings begin
    (after the header fields), where data follows the headings, and where a level label
    follows data (the next indicator's 一级 or 二级)."""
    rows: list[list[str]] = [[]]
    for cell in cells:
        kind = _kind(cell)
        current = rows[-1]
        kinds = [_kind(c) for c in current]
        if current and (
            (kind == "head-level1" and any(k != "head-level1" for k in kinds))
            or (not kind.startswith("head") and kinds and all(k.startswith("head") for k in kinds))
            or (kind == "level" and any(k == "data" for k in kinds))
        ):
            rows.append([])
        rows[-1].append(cell)
    return [row for row in rows if row]


def _split_target(cells: list[str], words: bool) -> None:
    """The last cell `免费开放天数=300天` → its name and its target, in place."""
    last = cells[-1]
    match = _TARGET_END.match(last) or (_WORD_TARGET.match(last) if words else None)
    if not match or vocab.column_role(last):
        return
    if not words and not re.search(r"[\u4e00-\u9fff]$", match["name"]):
        return
    cells[-1:] = [match["name"].strip(), match["target"].strip()]
