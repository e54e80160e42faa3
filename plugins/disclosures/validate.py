"""Check a loaded document against the declared format and parse every scalar by its kind.

The result is a "checked" tree: the same shape as the YAML, with years and money as int,
dates as PartialDate, periods as (start, end) and targets as Target. Each value is parsed
here, once; the model only arranges what this module returns.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from . import fields as F
from .dates import parse_date, parse_period
from .load import Document, FieldPath, dotted
from .markup import check_markdown
from .money import parse_yuan
from .problems import Problem, Severity, TooManyProblems, ValueProblem, add_capped, stopped
from .results.values import parse_number, parse_rate
from .slugs import check_code, check_slug
from .targets import DATE_SERIAL, parse_target
from .text import shorten
from .textpolicy import mixed_scripts

MAX_TEXT = 100_000  # characters in one field; a whole real table is ~10,000
# A spreadsheet cell holds at most 32,767 characters (Excel, LibreOffice; XlsxWriter cuts
# longer strings): every field reaches the XLSX download, so a longer one is refused here
# rather than published cut.
MAX_CELL = 32_767
# Control, format (bidi, zero-width …) and separator characters in keys and values are
# refused when the file is loaded: `load.py` applies `textpolicy.scan` to every scalar.

_KIND_NAMES = {
    F.TEXT: ("文字", "text"),
    F.MARKDOWN: ("文字", "text"),
    F.YEAR: ("四位数年份", "a 4-digit year"),
    F.MONEY: ("金额", "an amount"),
    F.DATE: ("日期", "a date"),
    F.PERIOD: ("起止时间", "a period"),
    F.TARGET: ("目标值", "a target"),
    F.SLUG: ("网址标识", "a slug"),
    F.CHOICE: ("选项", "a choice"),
    F.MAPPING: ("一组字段（键: 值）", "a mapping of fields"),
    F.LIST: ("列表（每项以 - 开头）", "a list"),
    F.NUMBER: ("数字", "a number"),
    F.RATE: ("百分数", "a percentage"),
}


def _year(written: str) -> int:
    if not (
        len(written) == 4
        and written.isascii()
        and written.isdigit()
        and 1990 <= int(written) <= 2100
    ):
        raise ValueProblem(
            f"年度应为四位数字年份（如 2020），而不是“{written}”",
            f"year must be a 4-digit year such as 2020, not {written!r}",
        )
    return int(written)


# Fields that name who and where: a look-alike letter makes another unit, region or
# department that reads the same (warned, with the line: the site still builds).
LOOKALIKE_FIELDS = frozenset({"name", "unit", "region", "department"})


def check_source(written: str) -> str:
    """A `source` written as a web address is linked on the page, its address shown as the
    link's text: it must be one a reader can take at its word. Refused: a user part
    (`https://www.hunan.gov.cn@evil.example/` goes to evil.example), a backslash (browsers
    read `\\` as `/`: `https://evil.example\\@www.gov.cn` goes to evil.example), no host,
    and a host mixing look-alike scripts (`www.hunаn.gov.cn` with a Cyrillic а). A file
    name or other text is shown as text and kept as written."""
    if not written[:8].lower().startswith(("http://", "https://")):
        return written
    zh = en = ""
    try:
        parts = urlsplit(written)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if "\\" in written:
        zh, en = "含反斜杠“\\”（浏览器当作“/”）", "holds a backslash (browsers read it as '/')"
    elif parts is None or not host:
        zh, en = "没有网站域名", "has no host name"
    elif "@" in parts.netloc:
        zh, en = (
            f"“@”前的部分不是网站域名，链接实际指向 {host}",
            f"what stands before '@' is not the site: the link goes to {host}",
        )
    elif mixed_scripts(host) is not None:
        zh, en = mixed_scripts(host)  # type: ignore[misc]
    if not zh:
        return written
    raise ValueProblem(
        f"来源网址“{shorten(written)}”{zh}；请照原表网页地址栏复制网址",
        f"the source address {shorten(written)!r} {en}; copy the address from the source "
        "page's address bar",
    )


# Checks by key, for text fields whose form is fixed: unit codes in ASCII, matched whole.
_BY_KEY: dict[str, Callable[[str], Any]] = {"unit_code": check_code}
# The same, at any depth (a project's source and its self-evaluation's).
_ANY_DEPTH: dict[str, Callable[[str], Any]] = {"source": check_source}

_PARSERS: dict[str, Callable[[str], Any]] = {
    F.YEAR: _year,
    F.MONEY: parse_yuan,
    F.DATE: parse_date,
    F.PERIOD: parse_period,
    F.SLUG: check_slug,
    F.MARKDOWN: check_markdown,
    F.NUMBER: parse_number,
    F.RATE: parse_rate,
}


class _Checker:
    def __init__(self, doc: Document, before: int = 0) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.before = before  # the file's problems already found by the loader
        self.form: str | None = None

    def report(
        self,
        path: FieldPath,
        zh: str,
        en: str,
        severity: Severity = Severity.ERROR,
        at_key: bool = False,
    ) -> None:
        line, column = self.doc.where_key(path) if at_key else self.doc.where(path)
        problem = Problem(self.doc.path, line, column, dotted(path), zh, en, severity)
        add_capped(self.problems, problem, self.before)

    def required(self, spec: F.Field) -> bool:
        return spec.required or (self.form in spec.required_for)

    def mapping(self, spec: F.Field, value: Any, path: FieldPath) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.wrong_type(spec, value, path)
            return None
        out: dict[str, Any] = {}
        known = {child.key: child for child in spec.children}
        for key in value:
            if key not in known:
                by_label = [c.key for c in spec.children if str(key) in c.printed_labels]
                guess = by_label or difflib.get_close_matches(key, known, n=1)
                hint_zh = f"，是不是 {guess[0]}？" if guess else ""
                hint_en = f"; did you mean {guess[0]!r}?" if guess else ""
                self.report(
                    (*path, key),
                    f"未知字段 {key}{hint_zh}（不会被发布）",
                    f"unknown field {key!r}{hint_en} (it would not be published)",
                    at_key=True,
                )
        for child in spec.children:
            raw = value.get(child.key)
            child_path = (*path, child.key)
            if _blank(raw):
                if self.required(child):
                    # The English half names the field in English (fields.LABELS_EN).
                    english = F.label_en(dotted(child_path)) or child.label
                    self.report(
                        child_path if child.key in value else path,
                        f"缺少必填字段 {child.key}（{child.label}）",
                        f"missing required field {child.key!r} ({english})",
                    )
                continue
            if self.form and self.form not in child.forms:
                self.report(
                    child_path,
                    f"字段 {child.key} 通常不出现在 {self.form} 表式中",
                    f"field {child.key!r} is not usually on the {self.form} form",
                    Severity.WARNING,
                    at_key=True,
                )
            checked = self.value(child, raw, child_path)
            if checked is not None:
                out[child.key] = checked
        return out

    def value(self, spec: F.Field, value: Any, path: FieldPath) -> Any:
        if spec.kind == F.MAPPING:
            checked = self.mapping(spec, value, path)
            if checked is not None and spec.children is F.INDICATOR:
                self.target(value, checked, path)
            return checked
        if spec.kind == F.LIST:
            if not isinstance(value, list):
                self.wrong_type(spec, value, path)
                return None
            row_spec = F.Field(
                spec.key,
                spec.label,
                spec.meaning,
                spec.meaning_en,
                F.MAPPING,
                children=spec.children,
            )
            rows = [self.value(row_spec, item, (*path, i)) for i, item in enumerate(value)]
            return [row for row in rows if row is not None]
        if not isinstance(value, str):
            self.wrong_type(spec, value, path)
            return None
        if len(value) > MAX_TEXT:
            self.report(
                path,
                f"内容过长（{len(value)} 字，上限 {MAX_TEXT}）",
                f"text too long ({len(value)} characters, limit {MAX_TEXT})",
            )
            return None
        if len(value) > MAX_CELL:
            self.report(
                path,
                f"内容有 {len(value)} 字，超过电子表格单元格的上限 {MAX_CELL} 字，"
                "下载的表格会截断它；请拆分或缩短",
                f"text of {len(value)} characters is longer than a spreadsheet cell holds "
                f"({MAX_CELL}); the download would cut it. Split or shorten it",
            )
            return None
        if len(path) == 1 and spec.key in LOOKALIKE_FIELDS:
            reason = mixed_scripts(value)
            if reason is not None:
                self.report(path, *reason, Severity.WARNING)
        if spec.kind == F.CHOICE:
            if value not in spec.choices:
                options = "、".join(spec.choices)
                self.report(
                    path,
                    f"{spec.key} 只能是 {options}，而不是“{value}”",
                    f"{spec.key} must be one of {', '.join(spec.choices)}, not {value!r}",
                )
                return None
            return value
        if spec.kind == F.TARGET:
            return value  # parsed with its row (it needs the unit column): see target()
        by_key = _BY_KEY.get(spec.key) if len(path) == 1 else None  # not labels.unit_code
        by_key = by_key or _ANY_DEPTH.get(spec.key)
        parser = by_key or _PARSERS.get(spec.kind)
        if parser is None:
            return value
        try:
            return parser(value)
        except ValueProblem as problem:
            self.report(path, problem.zh, problem.en)
            return None

    def target(self, raw_row: dict[str, Any], row: dict[str, Any], path: FieldPath) -> None:
        try:
            about = " ".join(str(row.get(k) or "") for k in ("level1", "level2", "name"))
            row["target"] = parse_target(row.get("target"), row.get("unit"), about)
            if row["target"].kind == DATE_SERIAL:
                self.report(
                    (*path, "target"),
                    f"目标值“{row['target'].written}”像是 Excel 日期序号"
                    f"（{row['target'].serial_date}？），不作为数量统计；请核对原表，"
                    "如是日期请照原表改写（如 2021年12月31日前）",
                    f"target {row['target'].written!r} looks like an Excel date serial "
                    f"({row['target'].serial_date}?) and is not counted as a quantity; check "
                    "the source and write the date as the table means it",
                    Severity.WARNING,
                )
        except ValueProblem as problem:
            self.report((*path, "target"), problem.zh, problem.en)
            row["target"] = parse_target(None)

    def wrong_type(self, spec: F.Field, value: Any, path: FieldPath) -> None:
        zh, en = _KIND_NAMES[spec.kind]
        found = (
            ("一组字段", "a mapping")
            if isinstance(value, dict)
            else (("列表", "a list") if isinstance(value, list) else ("文字", "text"))
        )
        self.report(
            path,
            f"{spec.key} 应为{zh}，这里是{found[0]}",
            f"{spec.key} must be {en}, found {found[1]}",
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_document(doc: Document, before: int = 0) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Checked data (None when the file has errors) and every problem found in it, up to
    `problems.MAX_PER_FILE` with the `before` the loader found: then checking stops."""
    checker = _Checker(doc, before)
    try:
        return _check(checker, doc.data)
    except TooManyProblems:
        checker.problems.append(stopped(checker.problems, doc.path))
        return None, checker.problems


def _check(checker: _Checker, data: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    if isinstance(data, dict) and data.get("form") in F.FORMS:
        checker.form = data["form"]
    checked = checker.value(F.ROOT, data, ())
    if isinstance(checked, dict) and not checked.get("indicators") and "indicators" in (data or {}):
        checker.report(("indicators",), "绩效指标表至少要有一行", "the indicator table needs a row")
    if (
        isinstance(checked, dict)
        and "period" in checked
        and ("start" in checked or "end" in checked)
    ):
        checker.report(
            ("period",),
            "period 与 start/end 只能二选一",
            "write either period or start/end, not both",
        )
    has_errors = any(p.is_error for p in checker.problems)
    return (None if has_errors else checked), checker.problems
