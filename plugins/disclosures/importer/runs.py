"""Tables whose cells ran together: `项目名称农村义务教育薄弱学校改造补助资金`, `产出指标数量指标
农村义务教育学校改造覆盖率100%`. Scanned PDFs read by OCR, document-sharing sites and some web
pages lose every cell boundary. The labels of the forms (fields.py's vocabulary, the indicator
columns and the national framework's levels) are still there: a cell boundary is put back
around each, and between an indicator's name and the target that ends its row. Each line stays
one line, so line numbers still point at the source.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import vocab
from .detect import form_of
from .labels import _table

_MIN_LABEL = 3  # 单位, 年度, 指标: too common inside other words to cut at
# The levels every national table prints (财政部 2021) and the Shanghai form's.
_LEVELS = (
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
    labels: set[str] = set(_LEVELS)
    for form in (vocab.SHANGHAI, vocab.NATIONAL):
        labels |= {k for k in _table(form) if len(k) >= _MIN_LABEL}
    for pattern, _role in vocab.COLUMN_ROLES:
        labels |= {
            w for w in re.findall(r"[\u4e00-\u9fff()]+", pattern.pattern) if len(w) >= _MIN_LABEL
        }
    # OCR and document-sharing sites space some labels out (项 目 名 称): matched too.
    body = "|".join(
        "[ \t]?".join(re.escape(ch) for ch in x) for x in sorted(labels, key=len, reverse=True)
    )
    return re.compile(body)


_GLUED_LINES = 3  # lines that open with a label run straight into its value


def _glued(line: str, pattern: re.Pattern[str]) -> bool:
    """`项目名称党外人才专项服务工作经费`: a line that opens with a label of four characters or
    more and goes straight on into its value, with no space, colon or cell border."""
    match = pattern.match(line.strip())
    if not match or len(re.sub(r"\s", "", match.group(0))) < 4:
        return False
    rest = line.strip()[match.end() :]
    return bool(rest) and not re.match(r"[\s|:：(（]", rest)


def _heads_table(line: str, pattern: re.Pattern[str]) -> bool:
    """The line that opens the indicator table (一级目标 …)."""
    return any(
        (role := vocab.column_role(m.group(0))) and role[0] == "level1"
        for m in pattern.finditer(line)
    )


def _with_colons(line: str, pattern: re.Pattern[str]) -> str:
    """`开始时间2019/1/1结束时间2019/12/31` → `开始时间：2019/1/1 结束时间：2019/12/31`."""

    def labelled(match: re.Match[str]) -> str:
        after = line[match.end() : match.end() + 1]
        return f" {match.group(0)}" + ("" if after in (":", "：") else "：")

    return pattern.sub(labelled, line).strip()


def ran_together(text: str) -> bool:
    """Several labels of the form in one stretch of text with nothing between: cells ran on."""
    pattern = _pattern()
    runs = 0
    glued = 0
    for line in text.split("\n"):
        glued += _glued(line, pattern)
        found = list(pattern.finditer(line))
        runs += sum(
            1
            for a, b in zip(found, found[1:], strict=False)
            if b.start() - a.end() < 40 and not re.search(r"[\s|:：]", line[a.end() : b.start()])
        )
    return runs >= 3 or glued >= _GLUED_LINES


def separate(text: str) -> str:
    """The same lines, with `|` between the cells that ran together. Above the indicator
    table of a Shanghai-form text, whose header labels always end in a colon, the colon is put
    back instead (`项目名称：党外人才…`): that is how that form tells a label from its value."""
    pattern = _pattern()
    colons = form_of(text) == vocab.SHANGHAI
    out = []
    in_table = False
    for line in text.split("\n"):
        if (not pattern.search(line) and not in_table) or _is_title(line):
            out.append(line)
            continue
        if colons and not in_table and not _heads_table(line, pattern):
            out.append(_with_colons(line, pattern))
            continue
        cells = [
            c.strip().lstrip(":：").strip()
            for c in pattern.sub(lambda m: f"|{m.group(0)}|", line).split("|")
        ]
        cells = [c for c in cells if c]
        if any(vocab.column_role(c) and vocab.column_role(c)[0] == "level1" for c in cells):
            in_table = True
        if in_table and cells:
            last = cells[-1]
            match = _TARGET_END.match(last) or _WORD_TARGET.match(last)
            if match and not vocab.column_role(last):
                cells[-1:] = [match["name"].strip(), match["target"].strip()]
        elif cells:
            match = _TARGET_END.match(cells[-1])
            if match and re.search(r"[\u4e00-\u9fff]$", match["name"]):
                cells[-1:] = [match["name"].strip(), match["target"].strip()]
        out.append("| " + " | ".join(cells) + " |" if cells else line)
    return "\n".join(out)
