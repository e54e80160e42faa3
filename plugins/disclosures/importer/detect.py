"""Find the project tables in a text and tell which family of form each one is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import fields as F
from . import vocab
from .labels import find_labels, find_table_header, mask_inserts
from .source import Text


def _name_label() -> re.Pattern[str]:
    """The project-name label in any of its printed forms (fields.py), spaced out or not."""
    spec = F.ROOT.child("name")
    assert spec is not None
    spaced = "|".join("[ \t]*".join(re.escape(ch) for ch in label) for label in spec.printed_labels)
    return re.compile(rf"(?<![^\s|])(?:{spaced})(?=[ \t]*[\s|:：(（]|$)", re.M)


_NAME_LABEL = _name_label()
_SHANGHAI_MARKS = (
    "申报单位名称",
    "一级目标",
    "二级目标",
    "三级目标",
    "指标目标值",
    "绩效类型",
    "是否含有政府购买服务",
    "项目概况",
    "立项依据",
    "计划开始日期",
    "总目标及阶段性目标",
    "同名项目上年预算",
)
_NATIONAL_MARKS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "主管部门",
    "实施单位",
    "总体目标",
    "年度目标",
    "资金总额",
    "指标值",
    "预算部门",
    "预算单位",
    "项目属性",
    "实施期",
    "财政拨款",
)
_MIN_FIELD_LABELS = 3  # 项目名称 and two more of the format's labels: a header, not prose
_LOOKBACK_LINES = 12  # a title more than this many lines above the project name is not its own


@dataclass(frozen=True)
class Chunk:
    start: int  # where the table starts (its title, or its first label)
    name_at: int  # offset of the 项目名称 label (== start when there is none)
    end: int
    form: str


def find_tables(t: Text) -> list[Chunk]:
    """One chunk per project table, in order. Empty when the text holds no table."""
    text = t.text
    masked = mask_inserts(text, 0, len(text), vocab.NATIONAL)  # 项目(专项)名称
    names = [m.start() for m in _NAME_LABEL.finditer(masked)]
    headers = [m.start() for m in _table_headers(text)]
    if not headers and len(names) == 0:
        return []
    starts: list[tuple[int, int]] = []
    previous = 0
    for pos in names:
        if (
            starts
            and not any(previous < h < pos for h in headers)
            and not _under_form_title(t, _title_before(t, previous, pos), pos)
        ):
            continue  # a second 项目名称 inside one table (e.g. in a narrative) is no new table
        starts.append((_title_before(t, previous, pos), pos))
        previous = pos
    if not starts:
        first = headers[0]
        starts.append((_title_before(t, 0, first), first))
    chunks = []
    for i, (start, name_at) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        if not headers or not any(start <= h < end for h in headers):
            if not _looks_like_header(text[start:end]) and not _under_form_title(
                t, start, name_at, end
            ):
                continue
        chunks.append(Chunk(start, name_at, end, form_of(text[start:end])))
    return chunks


def _table_headers(text: str) -> list[re.Match[str]]:
    out = []
    pos = 0
    while True:
        match = find_table_header(text, pos, len(text))
        if not match:
            return out
        out.append(match)
        pos = match.end()


def _title_before(t: Text, floor: int, pos: int) -> int:
    """Start of the last title line between `floor` and `pos`, if it is close above `pos`."""
    best = None
    for match in vocab.TITLE.finditer(t.text, floor, pos):
        if t.line_of(pos) - t.line_of(match.start()) <= _LOOKBACK_LINES:
            best = t.line_start(match.start())
    return best if best is not None and best >= floor else t.line_start(pos)


# A form's own title on a line of its own: …绩效目标表 / …绩效目标申报表, maybe with its year.
_TITLE_LINE = re.compile(
    rf"^[^|。，,；;]{{0,80}}?(?:{vocab.TITLE.pattern})[\s|]*"
    r"(?:[（(]\s*\d{4}\s*年度?\s*[)）])?[\s|]*$"
)
_UNDER_TITLE_LINES = 3  # short lines a form prints between its title and 项目名称 ((2024年度) …)


def _under_form_title(t: Text, start: int, name_at: int, end: int | None = None) -> bool:
    """A 项目名称 with its value right under the form's own title line: the form begins there,
    even when the page stops before its indicator table (a notice and its allocation table,
    then the form cut after its first label). A title in the notice's list of attachments,
    lines above, is no such title."""
    if start >= name_at:
        return False
    lines = [ln.strip(" \t|") for ln in t.text[start:name_at].split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines or not _TITLE_LINE.match(lines[0]) or len(lines) > 1 + _UNDER_TITLE_LINES:
        return False
    if any(len(re.sub(r"\s", "", ln)) > 20 for ln in lines[1:]):
        return False
    if end is None:
        return True
    label = _NAME_LABEL.match(mask_inserts(t.text, name_at, end, vocab.NATIONAL), name_at)
    after = t.text[label.end() if label else name_at : end]
    return bool(after.strip(" \t\n|:："))


def _looks_like_header(text: str) -> bool:
    """Without an indicator table, a chunk still counts if several header labels are there:
    the marks of a form family, or labels of the format's fields (a page cut before its
    indicator table still states the project's name, unit, basis …)."""
    hits = sum(1 for m in (*_SHANGHAI_MARKS, *_NATIONAL_MARKS) if m in re.sub(r"\s", "", text))
    if hits >= 3:
        return True
    for form in (vocab.NATIONAL, vocab.SHANGHAI):
        keys = {
            lab.key
            for lab in find_labels(text, 0, len(text), form)
            if lab.kind in ("field", "section", "goal", "money")
        }
        if len(keys) >= _MIN_FIELD_LABELS:
            return True
    return False


def form_of(text: str) -> str:
    flat = re.sub(r"\s", "", text)
    shanghai = sum(1 for m in _SHANGHAI_MARKS if m in flat)
    national = sum(1 for m in _NATIONAL_MARKS if m in flat)
    # The Shanghai form prints many of its marks; one alone (立项依据) is found on others too.
    return vocab.SHANGHAI if shanghai > national and shanghai >= 2 else vocab.NATIONAL


def year_of(t: Text, chunk: Chunk) -> str | None:
    """The fiscal year printed in the title area (（2020年度）, (2021年), 2023年项目支出…)."""
    head = t.text[chunk.start : chunk.name_at] if chunk.name_at > chunk.start else ""
    head = head or t.text[chunk.start : t.text.find("\n", chunk.start) + 1 or chunk.end]
    match = vocab.YEAR_IN_TITLE.search(re.sub(r"\s", "", head))
    return match.group(1) if match else None
