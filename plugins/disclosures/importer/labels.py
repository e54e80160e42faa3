"""Find the printed labels of a form's header in table text, and the value after each.

A label is recognised where a cell can start (line start, after a space or a `|`) and
where a cell can end (a colon, a space, a `|`, a line end). Labels may be spaced out or
wrapped (`年度本级 预算金额`, `主管部门\\n及编码`, `总\\n体\\n目\\n标`), carry a unit
(`（万元）`), a `其中:` prefix or a colon. The value of a label is the text up to the next label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocab
from .textutil import squash

# between the characters of a label: spaces, wraps, and the `?` runs a page's broken encoding
# left where a vertical label was spaced out (绩?????效?????目????标), an OCR's stray `*`
_GAP = r"[ \t?*]*(?:\n[ \t]*)*"
_PREFIX = r"(?P<prefix>其[ \t]*中[ \t]*[:：]?[ \t]*)?"
_UNIT = r"(?P<unit>[ \t]*[（(][ \t]*(?:单位[ \t]*[:：][ \t]*)?(?:万元|元)[ \t]*[)）])?"
_COLON = r"(?P<colon>[ \t]*[:：])?"
# 编报单位(印章)：, 填报单位（盖章）：: the form's note that a stamp or signature goes there is part
# of the label, not the start of its value.
_STAMP = r"(?P<stamp>[ \t]*[（(][ \t]*(?:单位)?(?:盖章|印章|公章|签章|签字|签名)+[ \t]*[)）])?"
# 主管部门(单位)名称及部门预算编码, 单位名称及代码: a label that also asks for a code (the value
# then holds it); the words before 编码/代码/编号 vary by province, so any few are taken.
_CH = r"[\u4e00-\u9fff][ \t]*(?:\n[ \t]*)*"
_CODE = (
    rf"(?P<code>[ \t]*(?:\n[ \t]*)*及[ \t]*(?:\n[ \t]*)*(?:{_CH}){{0,6}}?"
    r"(?:编[ \t]*码|代[ \t]*码|编[ \t]*号))?"
)


@dataclass(frozen=True)
class Label:
    kind: str  # "field", "section", "goal", "money", "group", "extra", "personal", "published"
    key: str  # the field key (name, total, overview …) or the label itself for extra/group
    printed: str  # the label as printed, spaces and wraps removed (其中:财政拨款, 资金总额)
    start: int
    end: int  # offset after the label, its unit and colon
    unit: str  # "万元", "元" or "" as printed with the label
    colon: bool


def _table(form: str) -> dict[str, tuple[str, str]]:
    """Squashed label → (kind, key) for one family of forms."""
    table: dict[str, tuple[str, str]] = {}
    for key, (variants, _field, _kind) in vocab.FIELD_LABELS.items():
        for v in variants:
            table[squash(v)] = ("field", key)
    for key, variants in vocab.MONEY_LABELS.items():
        for v in variants:
            table[squash(v)] = ("money", key)
    if form == vocab.SHANGHAI:
        for key, variants in vocab.SECTION_LABELS.items():
            for v in variants:
                table[squash(v)] = ("section", key)
    else:
        for key, variants in vocab.GOAL_LABELS.items():
            for v in variants:
                table[squash(v)] = ("goal", key)
        # National tables with the narrative fields (项目概况, 立项依据 …) print them too.
        for key, variants in vocab.SECTION_LABELS.items():
            for v in variants:
                table.setdefault(squash(v), ("section", key))
    for v in vocab.GROUP_LABELS:
        table.setdefault(v, ("group", v))
    for v in vocab.EXTRA_LABELS:
        table.setdefault(v, ("extra", v))
    for v in vocab.PERSONAL_LABELS:
        table.setdefault(v, ("personal", v))
    for v in vocab.PUBLISHED_LABELS:
        table.setdefault(v, ("published", v))
    for label, meaning in list(table.items()):
        for variant in _variants(label, meaning[0]):
            table.setdefault(variant, meaning)
    return table


def _variants(label: str, kind: str) -> list[str]:
    """The same label in the other wordings forms use: 专项 for 项目 (专项立项依据, the
    transfer-payment form), 绩效 inserted or left out before 目标 (中长期绩效目标), a group
    heading for the 项目 or 专项 (专项年度绩效指标), 申请 in a money label (年度资金申请总额)."""
    if kind not in ("field", "section", "goal", "money", "group"):
        return []
    out = []
    if label.startswith("项目") and len(label) > 3:
        out.append("专项" + label[2:])
    elif "项目" in label and len(label) > 5:  # 单位已有的保证专项实施的制度、措施
        out.append(label.replace("项目", "专项", 1))
    if label.endswith("目标") and "绩效" not in label and len(label) > 3:
        out.append(label[:-2] + "绩效目标")
    if kind == "group" and not label.startswith(("项目", "专项")):
        out += ["项目" + label, "专项" + label]
    if kind == "money" and label.endswith("资金总额"):
        # 年度资金申请总额, 项目申请资金总额: the form asks for the amount applied for
        out += [label[:-2] + "申请总额", label[:-4] + "申请资金总额"]
    if kind == "section" and len(label) > 2 and not label.endswith("说明"):
        out.append(label + "说明")  # Jiangsu's form: 项目必要性说明, 项目可行性说明
    return out


# Labels of two characters or fewer (单位, 电话, 年度) are common words: only with a colon.
_NEEDS_COLON = 2


@lru_cache(maxsize=4)
def _pattern(form: str) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    table = _table(form)
    alternatives = sorted(table, key=len, reverse=True)
    body = "|".join(_GAP.join(re.escape(ch) for ch in label) for label in alternatives)
    year_heading = r"\d{4}[ \t]*年度?[ \t]*绩效(?:目标|指标)"
    pattern = re.compile(
        rf"(?<![^\s|]){_PREFIX}(?P<label>{body}|{year_heading}){_CODE}{_UNIT}{_STAMP}{_COLON}"
        r"(?=(?(colon)|(?:[\s|(（]|$)))",
        re.M,
    )
    return pattern, table


# 项目(专项)名称, 主管部门(单位)名称: an alternative word put in brackets inside a label.
_INSERT = re.compile(
    r"(?<![^\s|])(?P<head>[\u4e00-\u9fff]{2,4})(?P<insert>[（(][\u4e00-\u9fff]{1,4}[)）])"
    r"(?P<tail>[\u4e00-\u9fff]{2,4})(?=[ \t]*(?:[\s|:：]|$)|及)",
    re.M,
)


def mask_inserts(text: str, start: int, end: int, form: str) -> str:
    """The text with a bracketed word inside a known label blanked out (same length, so every
    offset holds): `项目(专项)名称` is read as the label 项目名称."""
    table = _table_cached(form)
    out = None
    for match in _INSERT.finditer(text, start, end):
        tail = match["tail"]
        if squash(match["head"] + tail) not in table:
            # 主管部门(单位)名称及 / 部门预算编码: the label goes on past 及 (see _CODE)
            if not (tail.endswith("及") and squash(match["head"] + tail[:-1]) in table):
                continue
        out = out if out is not None else list(text)
        out[match.start("insert") : match.end("insert")] = " " * len(match["insert"])
    return "".join(out) if out is not None else text


@lru_cache(maxsize=4)
def _table_cached(form: str) -> dict[str, tuple[str, str]]:
    return _table(form)


def find_labels(text: str, start: int, end: int, form: str) -> list[Label]:
    """Every header label in text[start:end], in order."""
    pattern, table = _pattern(form)
    text = mask_inserts(text, start, end, form)
    found: list[Label] = []
    for match in pattern.finditer(text, start, end):
        key = squash(match["label"]).replace("?", "")
        kind, name = table.get(key, ("group", key))
        if len(key) <= _NEEDS_COLON and match["stamp"]:
            continue  # `单位(盖章)：` left blank on the form: a common word, no field here
        if (
            len(key) <= _NEEDS_COLON
            and not (match["colon"] or match["unit"])
            and not _whole_cell(text, match.start(), match.end())
        ):
            continue
        if (
            form == vocab.SHANGHAI
            and kind in ("field", "section")
            and not match["colon"]
            and not _opens_line(text, match.start(), match.end())
        ):
            continue  # the Shanghai form prints its header labels with a colon …
        prefix = squash(match["prefix"] or "")
        unit_text = squash(match["unit"] or "")
        printed = prefix + key + squash(match["code"] or "")
        if kind == "extra":  # a field's label is the field's; an extra one is shown as printed
            printed += squash(match["stamp"] or "")
        found.append(
            Label(
                kind,
                name,
                printed,
                match.start(),
                match.end(),
                ("万元" if "万元" in unit_text else "元") if unit_text else "",
                bool(match["colon"]),
            )
        )
    return found


def _opens_line(text: str, start: int, end: int) -> bool:
    """… or, in a form's text laid out with spaces, first on its line with its value after a
    space (`   项目名称 特殊人群病种筛查经费`)."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and text[end : end + 1] in (" ", "\t")


def _whole_cell(text: str, start: int, end: int) -> bool:
    """`| 单位 | 万元 |`: a short word that fills a cell of its own is that cell's label."""
    before = text[max(0, start - 4) : start].rstrip(" \t")
    after = text[end : end + 4].lstrip(" \t")
    return before.endswith("|") and after.startswith("|")


_LEVEL1_HEADING = re.compile(rf"(?<![^\s|])一{_GAP}级{_GAP}(?:指{_GAP}标|目{_GAP}标)")
_CELL = re.compile(r"[^|\n]+")
_FLAT_RUN = 3  # 指标 | 指标权重 | 计量单位 …: this many column headings in a row make a table


@dataclass(frozen=True)
class Heading:
    """Where an indicator table's headings start (a match-like start()/end())."""

    first: int
    last: int

    def start(self) -> int:
        return self.first

    def end(self) -> int:
        return self.last


def find_table_header(text: str, start: int, end: int) -> re.Match[str] | Heading | None:
    """The first heading of the indicator table: 一级指标 / 一级目标 at a cell start, else the
    first run of column headings that names the indicator and its target (a one-level table:
    指标 | 指标权重 | 计量单位 | 指标性质 | 指标值)."""
    level1 = _LEVEL1_HEADING.search(text, start, end)
    flat = _flat_header(text, start, level1.start() if level1 else end)
    return flat or level1


def _flat_header(text: str, start: int, end: int) -> Heading | None:
    run: list[tuple[int, int, str]] = []
    for cell in _CELL.finditer(text, start, end):
        value = cell.group().strip()
        if not value:
            continue
        found = vocab.column_role(value)
        if found is None or len(squash(value)) > 12:
            run = []
            continue
        run.append((cell.start() + cell.group().index(value), cell.end(), found[0]))
        roles = {role for _s, _e, role in run}
        if len(run) >= _FLAT_RUN and "name" in roles and "target" in roles:
            # With a 一级 column under another heading (指标类型 | 指标名称 | 指标值), the
            # table starts there too: a heading printed 一级指标 would have been found first.
            return Heading(run[0][0], run[0][1])
    return None
