"""Targets published as numbered prose instead of a table.

Some pages state a project's targets as sentences under numbered level headings:

    一、产出指标
    数量指标：培训人数(≥**人)>=200人；合格率≥95%。时效指标：按时完成率100%。
    二、效益指标 …

or on one line (`1.产出指标：数量指标：…≥…；2.效益指标：…`). A 一级 is a numbered
heading (or a sure 一级 label), a 二级 a short label ending in 指标/目标 followed by a colon or
a comma; the indicators are the clauses between them, cut at `；。` and at a comma that
follows a target. Such pages state the project in the sentences above the list (项目建设内容：…。
总体绩效目标是…。资金50万元): those are read by their labels; everything else is kept aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import vocab
from .draft import Draft, Piece
from .source import Text
from .textutil import squash

# 一、 1. 1、 (1) （一） ①: the numbering in front of a level heading.
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\d{1,2}\s*[、.．](?!\d)|"
    r"[(（]\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[)）]|[①-⑩])\s*"
)
# A level label: text up to a colon or comma (or the clause end) that the vocabulary knows.
_LEVEL = re.compile(r"^([^\s:：,，;；。]{2,16}?)\s*(?:[:：,，]\s*|$)")
# A target at the end of a clause: an operator and a number, or a percentage.
_OPERATOR = (
    r"(?:>=|<=|≥|≤|≧|≦|＞|＜|>|<|=|＝|大于等于|小于等于|不低于|不少于|不高于|不超过|不大于|"
    r"不小于|大于|小于|等于|高于|低于|超过|达到)"
)
_TARGET = re.compile(rf"(?:{_OPERATOR}\s*[+-]?\d[\d,.]*|(?<![\d.])\d[\d,.]*\s*[%％‰])[^,，;；。]*$")
_CLAUSE_END = re.compile(r"[;；。\n]")
_LEVEL_WORD = re.compile(r"^[\u4e00-\u9fff、]{2,12}(指标|目标)$")
# Where the list ends: the page's attachments and furniture, a signature, a date.
_DATE_LINE = re.compile(r"^\s*\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?\s*$")
_MIN_INDICATORS = 2  # or one with a target: a list cut by the page after its first clause


@dataclass(frozen=True)
class Clause:
    text: str
    line: int


def _level1(label: str, numbered: bool, rest: str, form: str) -> bool:
    """A 一级 label: sure by its name, or possibly one (成本指标, 满意度指标) when it is
    numbered as a heading or a 二级 label follows it."""
    score = vocab.level1_score(label, form)
    if score == 2:
        return True
    if score == 1:
        if numbered:
            return True
        nxt = _LEVEL.match(rest)
        return bool(nxt and _is_level2(nxt.group(1)))
    return False


def _is_level2(label: str) -> bool:
    """数量指标, 服务对象满意度指标, and the 目标 spelling some pages use (社会效益目标)."""
    key = squash(label)
    if vocab.is_level2(key):
        return True
    return bool(
        _LEVEL_WORD.match(key) and key.endswith("目标") and vocab.is_level2(key[:-2] + "指标")
    )


def _heading_at(line: str, form: str) -> bool:
    numbered = _NUMBERING.match(line)
    rest = line[numbered.end() :] if numbered else line
    level = _LEVEL.match(rest)
    return bool(level and _level1(level.group(1), bool(numbered), rest[level.end() :], form))


def find_list(t: Text, form: str = vocab.NATIONAL) -> tuple[int, int] | None:
    """(start, end) offsets of a prose indicator list in the text, or None."""
    offset = 0
    start = None
    end = len(t.text)
    for line in t.text.split("\n"):
        if start is None:
            if _heading_at(line, form):
                start = offset
        elif not _heading_at(line, form) and _ends_list(line):
            end = offset
            break
        offset += len(line) + 1
    return (start, end) if start is not None else None


def _ends_list(line: str) -> bool:
    key = squash(line)
    if key.startswith(tuple(vocab.TABLE_END)) or key.startswith("附表") or _DATE_LINE.match(key):
        return True
    return bool(key) and len(key) <= 30 and not re.search(r"[:：,，;；。≥≤><=%\d]", key)


def read_list(t: Text, start: int, end: int, draft: Draft) -> int:
    """The indicators of the list between `start` and `end` into the draft; returns how many."""
    rows: list[dict[str, str]] = []
    level1 = level2 = ""
    for clause in _clauses(t, start, end):
        rest = clause.text
        while True:
            numbered = _NUMBERING.match(rest)
            body = rest[numbered.end() :] if numbered else rest
            level = _LEVEL.match(body)
            if not level:
                break
            label, after = level.group(1), body[level.end() :]
            if _level1(label, bool(numbered), after, draft.form):
                if squash(label) != squash(level1):
                    level1, level2 = label, ""
            elif _is_level2(label):
                level2 = label
            else:
                break
            rest = after
        numbered = _NUMBERING.match(rest)  # (1)培训人数≥200人: the item's own number
        rest = (rest[numbered.end() :] if numbered else rest).strip()
        if not rest:
            continue
        for piece in _split_after_targets(rest):
            row = _row(piece)
            if row is None:
                draft.unplace(clause.line, piece)
                continue
            levels = {"level1": level1, "level2": level2}
            rows.append({k: v for k, v in {**levels, **row}.items() if v})
    last = rows[-1] if rows else None
    tail = squash(t.text[start:end]).rstrip()
    if last and "target" not in last and not tail.endswith(("。", "；", ";")):
        # the page stops mid-sentence: the fragment is no indicator of its own
        rows.pop()
        draft.unplace(t.line_of(end - 1), f"{last['name']}（原文在此处中断 / the text stops here）")
    if rows:
        draft.data["indicators"] = rows
        draft.comment(("indicators",), "原文以文字列出指标（未用表格），按文字拆分，请核对")
    return len(rows)


def _clauses(t: Text, start: int, end: int) -> list[Clause]:
    out = []
    pos = start
    for match in [*_CLAUSE_END.finditer(t.text, start, end), None]:
        stop = match.start() if match else end
        text = t.text[pos:stop].strip()
        if text:
            lead = len(t.text[pos:stop]) - len(t.text[pos:stop].lstrip())
            out.append(Clause(text, t.line_of(pos + lead)))
        pos = match.end() if match else end
    return out


def _split_after_targets(text: str) -> list[str]:
    """`产值(≥**万元)≥80万元,增加收入≥80万元` → two indicators: a comma after a target ends
    one; a comma inside a name (`种植数量,黄金蜜种植数量≥17600株`) does not."""
    pieces = []
    begin = 0
    for comma in re.finditer(r"[,，、]", text):
        if _TARGET.search(text[begin : comma.start()]):
            pieces.append(text[begin : comma.start()])
            begin = comma.end()
    pieces.append(text[begin:])
    return [p.strip() for p in pieces if p.strip()]


def _row(piece: str) -> dict[str, str] | None:
    match = _TARGET.search(piece)
    if match:
        name = piece[: match.start()].strip().rstrip(":：,，").strip()
        target = match.group(0).strip()
        if not name:
            return None
        return {"name": name, "target": target}
    name, colon, value = piece.rstrip(":：,，").rpartition("：" if "：" in piece else ":")
    if colon and name.strip() and value.strip():  # 完工时间：2024年11月底前
        return {"name": name.strip(), "target": value.strip()}
    return {"name": piece.rstrip(":：,，").strip()}


# ---------------------------------------------------------------------------------------
# The project, from the sentences above the list
# ---------------------------------------------------------------------------------------
_SENTENCE_LABELS = (
    ("overview", re.compile(r"(?:项目)?(?:主要)?(?:建设|实施)?内容(?:是|为)?\s*[:：]")),
    ("overview", re.compile(r"项目(?:概况|简介|概述)(?:是|为)?\s*[:：]")),
    (
        "annual_goal",
        re.compile(
            r"(?:项目)?(?:年度|总体)(?:绩效)?目标(?:是|为)\s*[:：]?|"
            r"(?:项目)?(?:年度|总体)(?:绩效)?目标\s*[:：]"
        ),
    ),
)
_TOTAL = re.compile(
    r"资金(?P<sum>总额|总计|合计|共计)?\s*(?:为|是)?\s*[:：]?\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>万元|元)"
)
_TITLE = re.compile(
    r"(?:关于(?:解决|实施|下达|安排|开展|做好|对)?|^[ \t]*)(?P<name>[^|\n《》:：]{2,80}?项目)"
    r"(?:资金)?的?(?:绩效目标|整体绩效|绩效)",
    re.M,
)
_NAME_IN_TEXT = re.compile(r"(?:实施|用于)(?P<name>[^,，。；;:：\n]{4,60}?项目)(?=[,，。；;]|$)")
_PUBLISHER = re.compile(
    r"(?:^|\|)\s*(?:发布机构|发文机关|来源|信息来源)\s*[|:：]?\s*\|?\s*(?P<org>[^\s|]+)", re.M
)
_ORG = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(人民政府|政府|局|委员会|委|办公室|中心|镇|乡|街道办事处|办事处|"
    r"院|所|站|馆|厅|部|会|公司|学校|医院)$"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def read_prose(t: Text) -> Draft | None:
    """A draft from a page whose targets are written as prose, or None."""
    found = find_list(t)
    if found is None:
        return None
    start, end = found
    draft = Draft(vocab.NATIONAL, first_line=t.line_of(start))
    draft.data["form"] = vocab.NATIONAL
    read_list(t, start, end, draft)
    rows = draft.data.get("indicators") or []
    if len(rows) < _MIN_INDICATORS and not any("target" in row for row in rows):
        return None
    head = t.text[:start]
    _project(draft, head)
    _unit(draft, head, t.text[end:])
    offset = 0
    for line in t.text.split("\n"):
        if line.strip() and not start <= offset < end:
            draft.outside.append(Piece(t.line_of(offset), line.strip()))
        offset += len(line) + 1
    return draft


def _project(draft: Draft, head: str) -> None:
    title = _TITLE.search(head)
    name = title or _NAME_IN_TEXT.search(head)
    if name:
        draft.set(("name",), name.group("name").strip(), comment="项目名称：据标题或正文")
    year = _YEAR.search(title.group(0)) if title else None
    year = year or _YEAR.search(head[title.end() :] if title else head)
    if year:
        draft.set(("year",), year.group(1), comment="年度：据标题或正文，请核对")
    for key, pattern in _SENTENCE_LABELS:
        match = pattern.search(head)
        if match and not draft.has(("sections", key)):
            stop = head.find("。", match.end())
            value = head[match.end() : stop + 1 if stop >= 0 else len(head)].strip()
            if value:
                draft.set(("sections", key), value)
    totals = list(_TOTAL.finditer(head))
    summed = [m for m in totals if m["sum"]]
    chosen = summed[:1] or (totals if len({m.group(0) for m in totals}) == 1 else [])
    if chosen:
        match = chosen[0]
        amount = float(match["amount"].replace(",", ""))
        yuan = round(amount * 10000) if match["unit"] == "万元" else round(amount)
        draft.set(("budget", "total"), str(yuan), comment=f"资金：据正文“{match.group(0)}”")


def _unit(draft: Draft, head: str, tail: str) -> None:
    """The signature under the list (同心县下马关镇人民政府 / 2023年3月27日), else the publisher."""
    lines = [squash(line) for line in tail.split("\n") if squash(line)]
    for i, line in enumerate(lines):
        if _ORG.match(line) and i + 1 < len(lines) and _DATE_LINE.match(lines[i + 1]):
            draft.set(("unit",), line, comment="单位：据文末署名")
            return
    publisher = _PUBLISHER.search(head)
    if publisher:
        draft.set(("unit",), publisher["org"], comment="单位：据发布机构，请核对")
