"""Text of a published file → drafts, one per project table."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import fields as F
from ..lint import split_code
from ..problems import ValueProblem
from ..targets import DATE_SERIAL, parse_target
from . import vocab, wide
from .detect import Chunk, find_tables, year_of
from .draft import Draft, Piece
from .header import HeaderReader, cells_of, declares_wan
from .labels import find_labels, find_table_header
from .listtable import list_tables
from .prose import read_prose
from .runs import ran_together, separated
from .source import ROWS, Text, layout_of, table_layout
from .table import GAP as _GAP
from .table import parse_table
from .textutil import join_wrapped, squash
from .wraps import join_wrapped_levels

_END_WORDS = tuple(vocab.TABLE_END) + (
    "财政部门审核意见",
    "主管部门审核意见",
    "审核意见",
    *vocab.PERSONAL_LABELS,
)


def parse_text(t: Text, file_name: str = "") -> list[Draft]:
    t = join_wrapped_levels(t)  # 可持续影 / 响指标: a level label a PDF wrapped in its cell
    chunks = find_tables(t)
    if not _has_indicator_table(t, chunks) and ran_together(t.text):
        t = separated(t)  # line numbers still those of the source
        chunks = find_tables(t)
    elif not chunks:  # a form's labels run on into a notice's text: found once cells are cut
        cut = separated(t)
        if cut_chunks := find_tables(cut):
            t, chunks = cut, cut_chunks
    listed = list_tables(t, vocab.NATIONAL)
    if listed:  # one table, a row group per project: every project is read from it
        chunks = [Chunk(0, 0, len(t.text), vocab.NATIONAL)]
    drafts: list[Draft] = listed
    wide_drafts: list[Draft] = []
    previous_end = 0
    narrative: list[_Item] = []
    for chunk in chunks if not listed else []:
        chunk, allocation = _allocation(t, chunk, previous_end)
        wan_hint = False
        if not drafts:  # numbered narrative above the first table: (1)项目概述。…
            narrative = _numbered_items(t, previous_end, chunk.start)
            wan_hint = _narrative_states_wan(t, narrative, chunk)
        previous_end = chunk.end
        draft, projects = _parse_chunk(t, chunk, wan_hint)
        if projects:
            split = wide.split(draft, projects, allocation)
            drafts.extend(split)
            wide_drafts.extend(split)
        else:
            drafts.append(draft)
    if drafts and narrative:
        _place_narrative(drafts[0], narrative)
    if not chunks and not listed and (prose := read_prose(t)):  # targets written as sentences
        drafts = [prose]
        chunks = [Chunk(0, 0, 0, vocab.NATIONAL)]  # its page furniture is already kept aside
        _infer_level1(prose)
    if drafts:
        _preamble(t, 0, chunks[0].start, drafts[0])
        publisher = _publisher(t.text[: chunks[0].start])
        published = drafts[0].data.get("published")
        for draft in drafts:
            if published and "published" not in draft.data:  # the page's date: every table's
                draft.data["published"] = published
            if t.source_url and "source" not in draft.data:
                draft.data["source"] = t.source_url
            if "year" not in draft.data:
                _year_from_name(draft, file_name)
            _region(draft, publisher)
        for draft in wide_drafts:
            _region_of_town(draft)
    return drafts


def _allocation(t: Text, chunk: Chunk, floor: int) -> tuple[Chunk, wide.AllocationList | None]:
    """An allocation list (安排表) above a table, which names the projects of a wide table.
    When the chunk was anchored on the list's 项目名称 heading, it starts after the list."""
    header = find_table_header(t.text, chunk.name_at, chunk.end)
    stop = header.start() if header else chunk.end
    found = wide.find_allocation(t, floor, stop, declares_wan(t.text[floor:stop]))
    if found is None or not found.start <= chunk.name_at < found.end:
        return chunk, found
    names = [
        lab
        for lab in find_labels(t.text, found.end, stop, chunk.form)
        if lab.kind == "field" and lab.key == "name"
    ]
    name_at = names[0].start if names else found.end
    titles = list(vocab.TITLE.finditer(t.text, found.end, name_at))
    start = t.line_start(titles[-1].start()) if titles else t.line_start(name_at)
    return Chunk(max(start, found.end), name_at, chunk.end, chunk.form), found


def _region_of_town(draft: Draft) -> None:
    """A wide table's column named after a town (西坪镇) lies in its department's place."""
    unit = str(draft.data.get("unit") or "")
    if not unit or "region" in draft.data:
        return
    department = str(draft.data.get("department") or "")
    place = place_of(department)
    if place and not unit.startswith(place):
        draft.set(("region",), place, comment=f"行政区划：据主管部门“{department}”")


# Administrative divisions, outermost first: 湖北省 武汉市 青山区, 广元市 昭化区, 某某旗 …
_PLACE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|特别行政区|市|自治州|地区|州|盟|自治县|县|区|旗|新区))+"
)
_PUBLISHER = re.compile(r"(?:来源|发布机构|发文机关|信息来源)\s*[:：]?\s*\]?\s*\n?\s*(\S+)")
_PLACELESS_UNIT = re.compile(r"^(区|县|市|镇|乡|街道|旗)")


def _publisher(text: str) -> str:
    match = _PUBLISHER.search(text)
    return match.group(1) if match else ""


def place_of(name: str) -> str:
    """The region a unit's or department's name starts with ('' when it names none)."""
    coded = split_code(name)
    name = coded[1] if coded else name.strip()
    match = _PLACE.match(name)
    return match.group(0) if match and len(match.group(0)) < len(name) else ""


def _region(draft: Draft, publisher: str) -> None:
    """A unit named without its place (区卫生健康局, 农田建设服务中心) takes the place the page
    states: its supervising department's, else the publisher's (来源：广元市昭化区卫生计生局)."""
    unit = str(draft.data.get("unit") or "")
    if not unit or "region" in draft.data:
        return
    if place_of(unit) and not _PLACELESS_UNIT.match(unit):
        return  # 岳阳县农业农村局 names its own place
    cover = _cover_unit(draft)
    for where, text in (
        ("主管部门", str(draft.data.get("department") or "")),
        (str(cover["label"]) if cover else "", str(cover["value"]) if cover else ""),
        ("来源", publisher),
    ):
        place = place_of(text)
        if place:
            draft.set(("region",), place, comment=f"行政区划：据{where}“{text}”")
            return


# A cover printed before the form names who drew it up: 编报单位(印章)：武汉市青山区科学技术和
# 经济信息化局 — the unit in full, with its place, where the form may print 区科经局.
_COVER_UNIT = re.compile(r"^(编报|填报)单位")


def _cover_unit(draft: Draft) -> dict | None:
    extra = draft.data.get("extra") or []
    return next((e for e in extra if _COVER_UNIT.match(squash(str(e.get("label"))))), None)


def _year_from_name(draft: Draft, file_name: str) -> None:
    """The year in the file's name (某局2023年项目支出绩效目标.pdf) when the table gives none."""
    match = re.search(r"(?<!\d)(20\d{2})(?!\d)", file_name)
    if match:
        draft.set(("year",), match.group(1), comment=f"年度：据文件名 {file_name}")


@dataclass(frozen=True)
class _Item:
    """One item of a numbered narrative: (3)实施主体。淮北市文化旅游体育局"""

    label: str
    value: str
    line: int


_ITEM = re.compile(r"[(（]\s*\d{1,2}\s*[)）]\s*(?P<label>[^。:：\n(（)）]{2,12}?)\s*[。:：]")
# 一、项目概述 on a line of its own, its text on the lines below (项目经费情况说明 of a budget
# publication, printed before each project's form).
_HEADED_ITEM = re.compile(
    r"(?m)^[ \t]*[一二三四五六七八九十]{1,3}[ \t]*、[ \t]*"
    r"(?P<label>[^。:：\n(（)）\d]{2,12}?)[ \t]*$"
)
_WAN_AMOUNT = re.compile(r"([\d,]+(?:\.\d+)?)\s*万元")
_NAME_LIKE = ("实施主体", "实施单位", "责任单位")


def _numbered_items(t: Text, start: int, end: int) -> list[_Item]:
    """(1)项目概述。… (2)立项依据。… : labelled items before a table, one per number, an
    item's text running up to the next number (over wrapped lines, or on the same line)."""
    found = list(_ITEM.finditer(t.text, start, end))
    if len(found) < _MIN_ITEMS:
        found = list(_HEADED_ITEM.finditer(t.text, start, end))
    items = []
    for i, match in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else end
        if i + 1 == len(found):  # the last item ends at its paragraph, not at the table
            para = re.search(r"\n[^\n]*(绩效目标(申报)?表|项目名称)", t.text[match.end() : stop])
            stop = match.end() + para.start() if para else stop
        value = join_wrapped(t.text[match.end() : stop].split("\n")).strip()
        items.append(_Item(squash(match["label"]), value, t.line_of(match.start())))
    return items if len(items) >= _MIN_ITEMS else []


_MIN_ITEMS = 3  # fewer numbered items are a list, not the narrative of a form


def _narrative_states_wan(t: Text, items: list[_Item], chunk: Chunk) -> bool:
    """(6)年度预算安排。…5万元 beside a table that prints 5.00 with no unit: the table's
    amounts are in 万元."""
    stated = {
        float(m.group(1).replace(",", ""))
        for item in items
        if "预算" in item.label or "资金" in item.label
        for m in _WAN_AMOUNT.finditer(item.value)
    }
    if not stated:
        return False
    head = t.text[chunk.start : chunk.end]
    numbers = {float(n.replace(",", "")) for n in re.findall(r"(?<![\d.])\d[\d,]*(?:\.\d+)?", head)}
    return bool(stated & numbers)


def _place_narrative(draft: Draft, items: list[_Item]) -> None:
    """Numbered items into the draft: known labels to their fields (the table's own value
    wins), the others to `extra` ahead of the table's; the budget sentence stays outside."""
    extra = []
    for item in items:
        if not item.value or ("预算" in item.label and _WAN_AMOUNT.search(item.value)):
            draft.outside.append(Piece(item.line, f"{item.label}：{item.value}"))
            continue
        found = find_labels(f"{item.label}：x", 0, len(item.label) + 2, draft.form)
        kind, key = (found[0].kind, found[0].key) if found else ("extra", item.label)
        value = item.value
        if kind == "field" and key == "period" or item.label in _NAME_LIKE:
            value = value.rstrip("。")  # a date or a name carries no sentence stop
        if kind in ("section", "goal"):
            if not draft.has(("sections", key)):
                draft.set(("sections", key), value, comment=f"（{item.label}）据表前说明")
            continue
        if kind == "field" and key == "period":
            # the form's own 计划开始/完成日期 win: a draft holds period or start/end
            if not any(draft.has((k,)) for k in ("period", "start", "end")):
                draft.set(("period",), value, comment=f"{item.label}：据表前说明")
            continue
        extra.append({"label": item.label, "value": value})
    if extra:
        draft.data["extra"] = [*extra, *(draft.data.get("extra") or [])]


def parse_chunk(t: Text, chunk: Chunk) -> Draft:
    return _parse_chunk(t, chunk)[0]


def _parse_chunk(t: Text, chunk: Chunk, wan_hint: bool = False) -> tuple[Draft, list[str]]:
    """The draft of one table, and the project columns when it is a wide table."""
    projects: list[str] = []
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
    if wan_hint:  # the narrative above states the amount in 万元
        reader.wan = True
        draft.comment(("budget",), "金额单位：表上未注明，表前说明写的是万元，按万元换算，请核对")
    reader.read(chunk.start, header_end)
    _period_beside_dates(draft, reader.printed)
    if chunk.form == vocab.NATIONAL:  # the label as printed, above each header field
        for key, printed in reader.printed.items():
            if printed != "项目名称" and key in draft.data:
                draft.comment((key,), printed)
    _record_labels(draft, reader.printed)
    if header:
        table_end = _table_end(t, header.end(), chunk.end)
        layout = table_layout(t.text[header.start() : table_end])
        result = parse_table(t, header.start(), table_end, draft, layout)
        projects = result.projects
        if result.twin:
            draft.comment(
                ("indicators",),
                "原表分两组栏目（半年 与 全年），此处录入全年栏；半年栏中不同的内容列在“未识别”中"
                if result.half
                else "原表分两组栏目（长期/中期 与 年度），此处录入年度栏；"
                "另一组栏目中不同的内容列在“未识别”中",
            )
        _trailer(t, table_end, chunk.end, draft, header_layout)
    for piece in list(draft.unplaced):
        if _GAP.search(piece.text):
            draft.unplaced.remove(piece)
            draft.unplaced.append(
                Piece(piece.line, f"{piece.text}（原文在此处缺失 / the source has a gap here）")
            )
    _cut_gaps(draft)
    if "year" not in draft.data:
        _year_from_dates(draft)
    _unit_from_department(draft, reader.printed.get("department", ""))
    _unit_from_offices(draft)
    _infer_level1(draft)
    _flag_date_serials(draft)
    return draft, projects


def _period_beside_dates(draft: Draft, printed: dict[str, str]) -> None:
    """A form printing both a term (项目期：2022年) and its own start or end dates (完成时间):
    the dates are the fields (a project has either), the term is kept as printed in `extra`."""
    if draft.has(("period",)) and (draft.has(("start",)) or draft.has(("end",))):
        label = printed.pop("period", "项目期")
        value = draft.data.pop("period")
        draft.comments.pop(("period",), None)
        draft.data.setdefault("extra", []).append({"label": label, "value": value})


def _cut_gaps(draft: Draft) -> None:
    """A text that ends where the source has a gap (`…防控工作。[…gap…]`) keeps what is
    there; the gap is listed for the editor, not written into the field."""
    sections = draft.data.get("sections") or {}
    for key, value in list(sections.items()):
        match = _GAP.search(str(value))
        if match and not str(value)[match.end() :].strip() and str(value)[: match.start()].strip():
            sections[key] = str(value)[: match.start()].rstrip()
            draft.unplace(
                draft.first_line,
                f"sections.{key}：原文此后缺失，文字可能不全 / the source has a gap after it",
            )


def _unit_from_department(draft: Draft, printed: str) -> None:
    """A table that names only its 主管预算部门 (no 实施单位, 预算单位 …) is that budget
    department's own project: the department is the unit, said so above the field."""
    department = str(draft.data.get("department") or "")
    if draft.data.get("unit") or not department or "预算" not in printed:
        return
    coded = split_code(department)
    name = coded[1] if coded else department
    if coded and not draft.has(("unit_code",)):
        draft.set(("unit_code",), coded[0])
    draft.set(
        ("unit",),
        name,
        comment="单位：表上只有主管部门，按主管部门录入，请核对 / only the department is given",
    )


# The transfer-payment form names an office at each level (中央/省级/市级/区县 主管部门) and no
# 实施单位: the lowest office is the one that carries the project out. Guangdong's form
# names the 用款单位 (the unit that spends the money) and no 实施单位: that unit.
# Transfer-payment forms print one 财政部门 and one 主管部门 per level of government and often
# no 实施单位: the unit is then the spender (用款单位) or else the lowest 主管部门 printed.
_SPENDER = re.compile(r"^用款单位$")
_OFFICE_LEVELS = (
    (re.compile(r"^(中央|国家)(级)?主管部门$"), 0),
    (re.compile(r"^省(级)?主管部门$"), 1),
    (re.compile(r"^(地市|市州|市)(级)?主管部门$"), 2),
    (re.compile(r"^(区县|县区|县|区|县市区)(级)?主管部门$"), 3),
)
# A value that names no office: the form's generic wording, alternatives in brackets
# (`县(市、区)教育部门`). Several offices named (`某市民政局、某局`) are the unit as printed.
_GENERIC_OFFICE = re.compile(r"[(（][^()（）]*[、,，/][^()（）]*[)）]")


def _office_level(label: str) -> int | None:
    if _SPENDER.match(label):
        return 9  # the spender itself: below every office
    if _COVER_UNIT.match(label):
        return 8  # the unit that drew the form up (its cover): below every 主管部门
    return next((level for pattern, level in _OFFICE_LEVELS if pattern.match(label)), None)


def _unit_from_offices(draft: Draft) -> None:
    """No unit printed: the 用款单位, else the lowest-level 主管部门 (区县 under 市 under 省),
    as printed — unless that cell is the form's generic wording (`县(市、区)教育部门`): then the
    unit stays missing and the draft says so. One rule for every level (docs/editor-workflow.md)."""
    if draft.data.get("unit"):
        return
    extra = draft.data.get("extra") or []
    offices = [
        (level, i)
        for i, e in enumerate(extra)
        if (level := _office_level(squash(str(e.get("label"))))) is not None
    ]
    if not offices:
        return
    office = extra[max(offices)[1]]
    value = str(office.get("value") or "")
    code, name = split_code(value) or ("", value)
    if not name or _GENERIC_OFFICE.search(name):
        return
    extra.remove(office)
    if not extra:
        del draft.data["extra"]
    draft.set(
        ("unit",),
        name,
        comment=f"单位：表上没有实施单位，按{office['label']}录入，请核对 / from the local office",
    )
    if code and not draft.has(("unit_code",)):
        draft.set(("unit_code",), code, comment=f"{office['label']}（编码）")


def _infer_level1(draft: Draft) -> None:
    """Rows printed without their 一级 take the one their 二级 belongs to, with a note."""
    for i, row in enumerate(draft.data.get("indicators") or []):
        if row.get("level1") or not row.get("level2"):
            continue
        level1 = vocab.level1_for(row["level2"], draft.form)
        if level1:
            draft.data["indicators"][i] = {"level1": level1, **row}
            draft.comment(
                ("indicators", i),
                f"原表此行没有一级指标，按二级指标“{row['level2']}”推断为“{level1}”，请核对 / "
                "level1 inferred from level2: check it",
            )


def _flag_date_serials(draft: Draft) -> None:
    """A target such as `= 44,561` (unit column `44,561`) is an Excel date serial the table's
    export left as a number: kept as written, with a note above the row for the editor."""
    for i, row in enumerate(draft.data.get("indicators") or []):
        about = " ".join(str(row.get(k) or "") for k in ("level1", "level2", "name"))
        try:
            target = parse_target(row.get("target"), row.get("unit"), about)
        except ValueProblem:
            continue
        if target.kind == DATE_SERIAL:
            draft.comment(
                ("indicators", i),
                f"请核对：目标值 {target.written} 像是 Excel 日期序号（{target.serial_date}？），"
                "照原表录入，不作数量统计 / looks like an Excel date serial: check the source",
            )


def _has_indicator_table(t: Text, chunks: list[Chunk]) -> bool:
    """An indicator table's heading is found, and it is a cell of its own: a heading that
    runs straight into the next word (`一级指标二级指标三级指标`) is a table whose cells
    ran together."""
    for c in chunks:
        heading = find_table_header(t.text, c.name_at, c.end)
        if heading and not re.match(r"[\u4e00-\u9fff]", t.text[heading.end() : heading.end() + 1]):
            return True
    return False


def _record_labels(draft: Draft, printed: dict[str, str]) -> None:
    """Labels this table prints where they differ from its form's: the page shows them."""
    specs = {spec.key: spec for spec in F.ROOT.child("labels").children}  # type: ignore[union-attr]
    labels = {}
    for key, label in printed.items():
        spec = F.ROOT.child(key) or _nested(key)
        if key not in specs or spec is None:
            continue
        if squash(label) != squash(spec.label_for(draft.form)):
            labels[key] = label
    if labels:
        draft.data["labels"] = {k: labels[k] for k in specs if k in labels}


def _nested(key: str) -> F.Field | None:
    for parent in ("sections", "budget"):
        spec = F.ROOT.child(parent)
        found = spec.child(key) if spec else None
        if found:
            return found
    return None


# 财政部门支出股室初审意见, 区扶贫办审核意见, 主管部门审批意见 …: the sign-off rows below a table.
_REVIEW_ROW = re.compile(
    r"^[^|]{0,20}?(审核|初审|审批|审定|复核|评审)意见|^其他需?要?说明的问题"
    # or the caption of the next table on the page: 表十二, 附表3, 表2-1
    r"|^附?表[一二三四五六七八九十百零〇\d]+(?:[-—]\d+)?$"
)


def _table_end(t: Text, start: int, end: int) -> int:
    """Where the indicator table stops: the first line that opens a trailer or page footer."""
    offset = start
    for line in t.text[start:end].split("\n"):
        key = squash(line).strip("|").lstrip("-•·")
        if key.startswith(_END_WORDS) or _REVIEW_ROW.match(key):
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


_DATELINE = re.compile(
    r"(?m)^[ \t]*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})"
    r"[ \t]+\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:信息)?来源"
)

_FULL_DATE = r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})"
# 发布时间/发布日期, 成文日期, 印发日期, 更新时间 run on from the text before; a bare 时间 (never a
# bare 日期: on an approval form that is the form's own date, not the page's). 生成日期 (公文生成
# 日期: when a records system produced the file) and 完成时间 are no publication dates.
_PAGE_DATE = re.compile(
    r"(?:(?<=[发布文印更新])(?:时间|日期)|(?<![^\s|])时间)[ \t]*[:：][ \t]*" + _FULL_DATE
)
_SOURCE_LINE_DATE = re.compile(r"(?m)^[^\n]*来源[ \t]*[:：][^\n]*?[ \t]" + _FULL_DATE)


def _preamble(t: Text, start: int, end: int, draft: Draft) -> None:
    """Page furniture above the first table: kept aside, but its publication date is read."""
    if start >= end:
        return
    labels = [lab for lab in find_labels(t.text, start, end, draft.form) if lab.kind == "published"]
    for i, lab in enumerate(labels):
        stop = labels[i + 1].start if i + 1 < len(labels) else end
        # `发布日期：2023-10-19`, or `[ 发布日期 ]` with the date on the next line
        match = re.match(
            r"[\s\]】:：|]*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})",
            t.text[lab.end : stop],
        )
        if match and "published" not in draft.data:
            y, m, d = match.groups()
            draft.data["published"] = f"{y}-{int(m):02d}-{int(d):02d}"
    # A page's dateline with no label: `2021-09-18 17:32来源:金寨县…` (date, time, then the source).
    dateline = _DATELINE.search(t.text[start:end])
    if dateline and "published" not in draft.data:
        y, m, d = dateline.groups()
        draft.data["published"] = f"{y}-{int(m):02d}-{int(d):02d}"
    # Page furniture run together or labelled shortly: `信息来源:某局发布时间:2024-02-07 09:33`,
    # `时间:2021-04-22`, `来源:某县农业农村局   2022-05-16`.
    other = _PAGE_DATE.search(t.text[start:end]) or _SOURCE_LINE_DATE.search(t.text[start:end])
    if other and "published" not in draft.data:
        y, m, d = other.groups()
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
    match = re.match(r"\s*((?:19|20)\d{2})\s*年", draft.name)  # 2023年乡村医生培训补助资金
    if match:
        draft.set(("year",), match.group(1), comment="年度：据项目名称，请核对 / from the name")
