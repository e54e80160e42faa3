"""Generate the JSON Schema and the reference page of the data format from fields.py."""

from __future__ import annotations

import json
from typing import Any

from . import fields as F

SCHEMA_PATH = "schema/disclosure.schema.json"
DOC_PATH = "docs/data-format.md"

# Editors' IDEs read YAML 1.2, where 2020 and 9900000 are numbers: accept those, and text.
_SCALAR_SCHEMAS: dict[str, dict[str, Any]] = {
    F.TEXT: {"type": "string"},
    F.MARKDOWN: {"type": "string"},
    F.YEAR: {
        "type": ["integer", "string"],
        "pattern": r"^\d{4}$",
        "minimum": 1990,
        "maximum": 2100,
    },
    F.MONEY: {
        "type": ["integer", "string", "null"],
        "pattern": r"^\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(万元|万|元)?\s*$",
        "minimum": 0,
    },
    F.DATE: {"type": ["string", "integer"]},
    F.PERIOD: {"type": "string"},
    F.TARGET: {"type": ["string", "number", "null"]},
    F.SLUG: {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 60},
    F.NUMBER: {"type": ["number", "string"], "pattern": r"^\s*[+-]?[\d,]+(\.\d+)?\s*$"},
    F.RATE: {"type": ["number", "string"], "pattern": r"^\s*[+-]?[\d,]+(\.\d+)?\s*[%％]?\s*$"},
}


def _schema(field: F.Field, at: str = "") -> dict[str, Any]:
    """The schema of `field`, at dotted key `at` ("" for the file itself): `title` the label
    as printed on the form (Chinese), `x-label-en` its English label (fields.LABELS_EN), and
    the description in both languages."""
    english = F.label_en(at) if at else ""
    description = f"{field.label}：{field.meaning} / " + (
        f"{english}: {field.meaning_en}" if english else field.meaning_en
    )

    def inside(child: F.Field) -> str:
        return f"{at}.{child.key}" if at else child.key

    if field.kind == F.MAPPING:
        out: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {child.key: _schema(child, inside(child)) for child in field.children},
        }
        required = [child.key for child in field.children if child.required]
        if required:
            out["required"] = required
    elif field.kind == F.LIST:
        item = F.Field(
            field.key,
            field.label,
            field.meaning,
            field.meaning_en,
            F.MAPPING,
            children=field.children,
        )
        out = {"type": "array", "items": _schema(item, at)}
        if field.required:
            out["minItems"] = 1
    elif field.kind == F.CHOICE:
        out = {"enum": list(field.choices)}
    else:
        out = dict(_SCALAR_SCHEMAS[field.kind])
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        if not field.required and "null" not in types:
            out["type"] = [*types, "null"]  # a blank value is allowed where the form is blank
    out["title"] = field.label
    if english:
        out["x-label-en"] = english
    out["description"] = description
    if field.example and field.kind not in (F.MAPPING, F.LIST):
        out["examples"] = [field.example.strip('"')]
    return out


def json_schema() -> dict[str, Any]:
    schema = _schema(F.ROOT)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "disclosure.schema.json",
        **schema,
        "x-schema-version": F.SCHEMA_VERSION,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def _kind_zh(field: F.Field) -> str:
    return {
        F.TEXT: "文字",
        F.MARKDOWN: "文字（Markdown）",
        F.YEAR: "年份",
        F.MONEY: "金额（元）",
        F.DATE: "日期",
        F.PERIOD: "起止时间",
        F.TARGET: "目标值",
        F.SLUG: "网址标识",
        F.NUMBER: "数字",
        F.RATE: "百分数",
        F.CHOICE: "选项：" + " / ".join(field.choices),
        F.MAPPING: "一组字段",
        F.LIST: "列表",
    }[field.kind]


def _rows(fields: tuple[F.Field, ...], prefix: str) -> list[str]:
    rows = []
    for field in fields:
        key = f"{prefix}{field.key}"
        if field.required:
            need = "必填"
        elif field.required_for:
            need = "必填（" + "、".join(field.required_for) + " 表式）"
        else:
            need = "可选"
        forms = "、".join(field.forms)
        example = f"`{field.example}`" if field.example else ""
        label = field.label
        english = F.label_en(key.replace("[]", ""))
        if english:
            label += f"<br>*{english}*"
        if field.form_labels:
            label += "<br>" + "；".join(f"{form}：{name}" for form, name in field.form_labels)
        if field.aliases:
            label += "<br>导入时也认：" + "、".join(field.aliases)
        rows.append(
            f"| `{key}` | {label} | {field.meaning}<br>{field.meaning_en} | "
            f"{_kind_zh(field)} | {need} | {forms} | {example} |"
        )
        if field.children:
            child_prefix = f"{key}[]." if field.kind == F.LIST else f"{key}."
            rows += _rows(field.children, child_prefix)
    return rows


def reference_page() -> str:
    head = (
        DOC_HEAD + "\n| 字段 key | 表上的名称 label | 含义 meaning | 类型 type | 必填 required | "
        "表式 forms | 示例 example |\n|---|---|---|---|---|---|---|\n"
    )
    return head + "\n".join(_rows(F.PROJECT, "")) + "\n" + DOC_TAIL


DOC_HEAD = """\
# 数据格式 / Data format

<!-- Generated from plugins/disclosures/fields.py by `make schema`; do not edit by hand. -->

每个预算项目一个 YAML 文件，放在 `data/` 下（任意子文件夹，扩展名 `.yaml`）。文件名以 `_`
开头的文件（如 `data/_glossary.yaml`）是全站数据，不是项目。JSON Schema：
`schema/disclosure.schema.json`（文件第一行写
`# yaml-language-server: $schema=<相对路径>/schema/disclosure.schema.json`，VS Code 等编辑器即可提示和检查字段）。

One YAML file per budget project under `data/`. The JSON Schema for editors' IDEs is
`schema/disclosure.schema.json`.

## 书写规则 / Rules

- **照录**：文字、目标值照原表写法录入；PDF 折行处直接连起来。What was written is kept as written.
- **所有值都按文字读取**：`2020`、`6.30`、`否` 都不会被 YAML 改写（不会变成日期、小数或布尔值）。
  Every scalar is read as text and parsed by its kind below; YAML 1.1 surprises cannot happen.
- **目标值只写一次**：如 `=100%`、`">=95%"`、`≥90%`、`10辆`、`健全`。程序自己识别运算符、数字、单位；
  以 `>`、`<` 开头的值要加引号。The target is written once, as in the source; quote values starting
  with `>` or `<`.
- **金额**以元为单位的整数（如 `9900000`），也可写 `250万`、`6.30万元`，会精确换算为元（不是整数元的会报错）。
  Money is integer yuan, or text with 万元/万 converted exactly.
- **留空不是 0**：表上为空的栏目就不写（或留空）；页面显示“—”。Blank is not zero.
- **日期**：`2020-01-01`、`2020-01`、`202001`、`2020.07`、`2020年1月`，或 Excel 序号（`44,561`）。
- **不允许**：YAML 别名（`*`）、`!!python/...` 之类的标签、重复的字段名、未知字段、Tab 缩进。
- 网址：`/年度/单位标识/项目标识/`，标识由名称的拼音生成，也可用 `id`、`unit_id` 指定。两个项目不能得到同一个网址。
- **单位是谁**：单位由 行政区划（`region`）+ 单位名称（`unit`）确定，单位编码（`unit_code`）照录但
  只用于显示。单位网址标识由 `region` 和 `unit` 的拼音生成，所以两个地方的同名单位（如各区的
  “区卫生健康局”）各有自己的单位页面。表上印在名称前的编码（“(433001)乌海市供销合作社联合社”）写进
  `unit_code`，`unit` 只写名称；单位名称以编码开头、或没有地名（区…、县…、镇…）又没填 `region` 时，
  检查会给出警告。A unit is region + name; the code is shown, not part of the name.
- **栏目名称照表上印的**：页面显示每个字段在该表式上的名称（下表“表上的名称”中按表式列出）；某张表
  印法不同（如 预算部门、年度本级预算金额）时写在 `labels` 里，页面照此显示（导入程序自动填写）。

## 合计的口径 / How totals are counted

一个项目计入合计的金额（下载数据中的“列表金额”）是：表上写明的当年预算（`budget.current_year`），
没有时用表上写明的总预算（`budget.total`）；两者都没有时，**该项目不计入合计**——不按 0 计，也不把
资金来源明细（`budget.lines`、`fiscal` 等）相加。单位、年度和首页的“预算合计”是计入合计的项目金额之和，
页面上列出未计入的项目；所有项目都未计入时合计显示“—”。下载的 projects.csv 中这些项目的“列表金额”
为空，各页合计等于该栏之和。

A project counts with its stated current-year budget, else its stated total; a project that
states neither is left out of every total (never 0, never a sum of its lines) and the unit,
year and home pages name the projects they leave out. The CSV's `amount` column is blank for
them, and every page total equals the sum of that column over its projects.

## 字段 / Fields

"""

DOC_TAIL = """
## 检查 / Checking

`.venv/bin/disclosures validate data` 检查全部文件，每个问题一行：
`path:line:column: field: 中文 / English`，有错误时退出码为 1。`--format github` 输出 GitHub 注释
（标题是表上的栏目名称，内容与 `--format editor` 相同）。
`--format editor` 用表上印的栏目名称代替字段名（中文和英文两部分都是；英文部分在栏目名称后写出它的英文名，
如 “项目名称” (Project name)），每行末尾说明怎么改：
`path:line:column: 栏目: 中文 / English（怎么改：… / what to do: …）`。发布关口（pre-receive）
输出的就是这种格式，网页编辑器的拒绝提示里显示的也是它。
"""
