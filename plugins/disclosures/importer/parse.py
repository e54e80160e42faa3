"""Text of a published file → drafts, one per project table."""

from __future__ import annotations

import re

from . import vocab
from .detect import Chunk, find_tables, year_of
from .draft import Draft, Piece
from .header import HeaderReader, cells_of
from .labels import find_labels, find_table_header
from .source import ROWS, Text, layout_of, table_layout
from .table import GAP as _GAP
from .table import parse_table
from .textutil import squash

_END_WORDS = tuple(vocab.TABLE_END) + (
    "财政部门审核意见",
    "主管部门审核意见",
    "审核意见",
    *vocab.PERSONAL_LABELS,
)


def parse_text(t: Text) -> list[Draft]:
    chunks = find_tables(t)
    drafts = [parse_chunk(t, chunk) for chunk in chunks]
    if drafts:
        _preamble(t, 0, chunks[0].start, drafts[0])
        for draft in drafts:
            if t.source_url and "source" not in draft.data:
                draft.data["source"] = t.source_url
    return drafts


def parse_chunk(t: Text, chunk: Chunk) -> Draft:
    draft = Draft(chunk.form, first_line=t.line_of(chunk.start))
    draft.data["form"] = chunk.form
    year = year_of(t, chunk)
    if year:
        draft.data["year"] = year
    header = find_table_header(t.text, chunk.name_at, chunk.end)
    header_end = header.start() if header else chunk.end
    # The heading row may start with a vertical label (绩效指标) on the same line.
    header_layout = (
        ROWS if chunk.form == vocab.SHANGHAI else layout_of(t.text[chunk.start : header_end])
    )
    reader = HeaderReader(t, draft, header_layout)
    reader.read(chunk.start, header_end)
    if chunk.form == vocab.NATIONAL:  # the label as printed, above each header field
        for key, printed in reader.printed.items():
            if printed != "项目名称":
                draft.comment((key,), printed)
    if header:
        table_end = _table_end(t, header.end(), chunk.end)
        layout = table_layout(t.text[header.start() : table_end])
        result = parse_table(t, header.start(), table_end, draft, layout)
        if result.twin:
            draft.comment(
                ("indicators",),
                "原表分两组栏目（长期/中期 与 年度），此处录入年度栏；"
                "另一组栏目中不同的内容列在“未识别”中",
            )
        _trailer(t, table_end, chunk.end, draft, header_layout)
    for piece in list(draft.unplaced):
        if _GAP.search(piece.text):
            draft.unplaced.remove(piece)
            draft.unplaced.append(
                Piece(piece.line, f"{piece.text}（原文在此处缺失 / the source has a gap here）")
            )
    if "year" not in draft.data:
        _year_from_dates(draft)
    return draft


def _table_end(t: Text, start: int, end: int) -> int:
    """Where the indicator table stops: the first line that opens a trailer or page footer."""
    offset = start
    for line in t.text[start:end].split("\n"):
        key = squash(line).lstrip("|")
        if key.startswith(_END_WORDS):
            return offset
        offset += len(line) + 1
    return end


def _trailer(t: Text, start: int, end: int, draft: Draft, layout: str) -> None:
    """After the table: sign-off fields (审核意见, 填报日期 …), then page furniture."""
    if start >= end:
        return
    labels = [
        lab
        for lab in find_labels(t.text, start, end, draft.form)
        if lab.kind in ("extra", "personal", "published")
    ]
    if not labels:
        _outside(t, start, end, draft, layout)
        return
    first_furniture = _furniture_start(t, start, end)
    labels = [lab for lab in labels if lab.start < first_furniture]
    stop = first_furniture
    if labels:
        reader = HeaderReader(t, draft, layout)
        _outside(t, start, labels[0].start, draft, layout)
        reader.read(labels[0].start, stop)
    _outside(t, stop, end, draft, layout)


def _furniture_start(t: Text, start: int, end: int) -> int:
    offset = start
    for line in t.text[start:end].split("\n"):
        if squash(line).lstrip("|").startswith(tuple(vocab.TABLE_END)):
            return offset
        offset += len(line) + 1
    return end


def _outside(t: Text, start: int, end: int, draft: Draft, layout: str) -> None:
    for cell in cells_of(t, start, end, layout):
        if _GAP.search(cell.text):
            draft.unplace(cell.line, cell.text)
        else:
            draft.outside.append(Piece(cell.line, cell.text))


def _preamble(t: Text, start: int, end: int, draft: Draft) -> None:
    """Page furniture above the first table: kept aside, but its publication date is read."""
    if start >= end:
        return
    labels = [lab for lab in find_labels(t.text, start, end, draft.form) if lab.kind == "published"]
    for i, lab in enumerate(labels):
        stop = labels[i + 1].start if i + 1 < len(labels) else end
        line_end = t.text.find("\n", lab.end)
        stop = min(stop, line_end if line_end >= 0 else end)
        match = re.match(
            r"\s*[:：]?\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})",
            t.text[lab.end : stop],
        )
        if match and "published" not in draft.data:
            y, m, d = match.groups()
            draft.data["published"] = f"{y}-{int(m):02d}-{int(d):02d}"
    offset = start
    for line in t.text[start:end].split("\n"):
        if line.strip():
            draft.outside.append(Piece(t.line_of(offset), line.strip()))
        offset += len(line) + 1


def _year_from_dates(draft: Draft) -> None:
    for key in ("period", "start"):
        value = str(draft.data.get(key) or "")
        match = re.match(r"\s*((?:19|20)\d{2})", value)
        if match:
            draft.data["year"] = match.group(1)
            return
