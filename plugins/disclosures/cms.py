"""The browser editor's configuration (Decap CMS), generated from fields.py.

One collection per form family (shanghai, national) over the same `data/` folder, told apart
by the `form` key (Decap's collection `filter`), so each form shows only its own fields with
the labels that form prints. Every scalar is a text widget: the files keep every value as
written (load.py reads every scalar as text), so no widget may turn 2020 into a number, a
date into a timestamp or Markdown into re-escaped Markdown. The serializer the editor saves
through (admin/src/format.js) gets its layout from `format_spec()`: keys in the order
declared here, which kinds are quoted, which are block text.

`admin/config.yml` in the repository is `config_text()` with the default settings; a test
fails when it and this declaration disagree (`make schema` regenerates it). The built site's
`admin/config.yml` carries the backend of the site's settings instead.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from . import fields as F
from . import settings as S
from .importer.yamlout import OUTSIDE_HEADING, PERSONAL_HEADING, UNPLACED_HEADING

CONFIG_PATH = "admin/config.yml"
FORMAT_NAME = "disclosure-yaml"  # the custom format admin/src/format.js registers
FORM_TITLES = {
    "shanghai": "上海市财政项目支出绩效目标表",
    "national": "项目支出绩效目标表（全国通行表式）",
}

# Patterns checked in the browser before a save (the validator at the door has the last word).
_MONEY_PATTERN = r"^\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(万元|万|元)?\s*$"
_PATTERNS: dict[str, tuple[str, str]] = {
    F.YEAR: (r"^(19|20|21)\d{2}$", "年度应为四位数字，如 2024"),
    F.MONEY: (
        _MONEY_PATTERN,
        "金额应写成元的整数（如 9900000），或带单位照原表写（如 250万、6.30万元）；表上为空就留空",
    ),
    F.SLUG: (r"^[a-z0-9]+(-[a-z0-9]+)*$", "只能用小写字母、数字和连字符，如 kexie-dayuan"),
}
# Each save is one commit; its message says what changed (Decap's templates).
# {{path}}, not {{slug}}: a new entry's slug is only its year (the collection's `slug`), while
# its path names year, unit and project. Through a git host these are the commits' messages;
# `make edit` writes its own from the file (local_editor.py).
COMMIT_MESSAGES = {
    "create": "添加：{{path}}（网页编辑器）",
    "update": "修改：{{path}}（网页编辑器）",
    "delete": "删除：{{path}}（网页编辑器）",
    "uploadMedia": "上传文件：{{path}}",
    "deleteMedia": "删除文件：{{path}}",
}
_QUOTED_KINDS = (F.YEAR, F.DATE, F.PERIOD, F.TARGET)  # as importer/yamlout.py writes them
_QUOTED_INDICATOR_KEYS = ("unit", "weight")


def _hint(field: F.Field, form: str, at: str) -> str:
    """What the form says under the field: its meaning, choices, an example, and its English
    name (fields.LABELS_EN, at dotted key `at`) for editors and reviewers who read English."""
    hint = field.meaning
    if field.choices:
        hint += f" 可选：{'、'.join(field.choices)}。"
    if field.example and field.kind not in (F.MAPPING, F.LIST):
        hint += f" 例：{field.example.strip(chr(34))}。"
    english = F.label_en(at)
    if english:
        hint += f" {ENGLISH_HINT}{english}"
    return hint


ENGLISH_HINT = "英文名 English: "


def _required(field: F.Field, form: str) -> bool:
    return field.required or form in field.required_for


def _widget(field: F.Field, form: str, at: str = "") -> dict[str, Any]:
    at = f"{at}.{field.key}" if at else field.key
    out: dict[str, Any] = {
        "name": field.key,
        "label": field.label_for(form),
        "hint": _hint(field, form, at),
        "required": _required(field, form),
    }
    children = [c for c in field.children if form in c.forms]
    if field.kind == F.MAPPING:
        fields = [_widget(c, form, at) for c in children]
        out.update(widget="object", collapsed=False, fields=fields)
    elif field.kind == F.LIST:
        out.update(
            widget="list",
            label_singular=field.label,
            fields=[_widget(c, form, at) for c in children],
            summary=" / ".join(f"{{{{fields.{c.key}}}}}" for c in children[:4]),
            collapsed=True,
        )
        if field.required:
            out["min"] = 1
    elif field.kind == F.CHOICE:
        out.update(widget="select", options=list(field.choices))
    elif field.kind == F.MARKDOWN:
        # Decap's Markdown widget in its raw mode only: the text stays exactly as written
        # (the rich-text mode re-serialises it). The preview renders it as the site does
        # (markdown-it, raw HTML off: editor.js).
        out.update(widget="markdown", modes=["raw"], buttons=[], editor_components=[])
    else:
        out.update(widget="string")
        if field.kind in _PATTERNS:
            out["pattern"] = list(_PATTERNS[field.kind])
    return out


# format.js carries a file's comments in this key of the entry; the form shows the importer's
# notes among them (text it could not place) read-only, first (editor.js).
NOTES_FIELD = "_comments"
NOTES_WIDGET = "disclosure-import-notes"


def _notes_widget() -> dict[str, Any]:
    return {
        "name": NOTES_FIELD,
        "label": "导入时未识别的文字（只读）",
        "widget": NOTES_WIDGET,
        "required": False,
        "hint": "导入程序没能放进栏目的原文，在文件里是注释，不会发布。请把需要的内容填到正确的"
        "栏目。没有这类文字的项目不显示这一栏。",
    }


def _collection(form: str) -> dict[str, Any]:
    fields = [_notes_widget()]
    for spec in F.PROJECT:
        if form not in spec.forms:
            continue
        if spec.key == "form":
            # The collection says which form it is: a hidden field writes it into new files.
            fields.append(
                {"name": "form", "label": spec.label, "widget": "hidden", "default": form}
            )
            continue
        fields.append(_widget(spec, form))
    return {
        "name": form,
        "label": FORM_TITLES[form],
        "label_singular": "项目",
        # What an editor looks for first, in their words (they never see the files): adding,
        # changing, and importing a published table: in local mode through the import page
        # (import_desk.py, linked at the bottom left), through a git host not in the browser.
        "description": (
            "点“＋ 项目”添加一个项目，点下面的项目修改。要导入一张已公开的表（PDF、Excel、"
            "Word、网页）：本机编辑时点页面左下角的“导入表格”；通过网站编辑时编辑器里不能上传"
            f"文件，见本站“编辑指南”第 5 节。表式 form: {form}"
        ),
        "folder": "data",
        "extension": "yaml",
        "format": FORMAT_NAME,
        "filter": {"field": "form", "value": form},
        "create": True,
        "delete": False,  # removing a published table is a decision for git, not a click
        # data/<year>/<unit>/<project>.yaml, as `disclosures new` and the importer name files
        # (Decap cannot write pinyin: the local mode's server renames, local_editor.py; through
        # a git host the Chinese names are kept); three folders deep is also how deep
        # Decap lists the folder. Decap lower-cases `path` and turns its dots into hyphens, so
        # `{{fields.year}}` cannot be used there, and `{{year}}` is the date of today: the
        # slug is the year and the path adds unit and name.
        "slug": "{{fields.year}}",
        "path": "{{slug}}/{{unit}}/{{name}}",
        "identifier_field": "name",
        "summary": "{{fields.year}} · {{fields.unit}} · {{fields.name}}",
        "sortable_fields": ["year", "unit", "name"],
        "view_groups": [{"label": "年度", "field": "year"}, {"label": "单位", "field": "unit"}],
        "editor": {"preview": True},
        "fields": fields,
    }


def config(settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Decap CMS configuration for a site's settings (defaults when None)."""
    settings = settings or {}
    backend = {"commit_messages": COMMIT_MESSAGES, **S.get(settings, "DISCLOSURES_ADMIN_BACKEND")}
    if backend.get("name") == "github":
        # editor.js's overwrite guard reads the REST tree listing and the REST tree and ref
        # calls of a save; Decap's GraphQL mode lists entries and moves the branch through
        # GraphQL, where nothing would be guarded.
        backend["use_graphql"] = False
    out: dict[str, Any] = {
        "backend": backend,
        "publish_mode": "simple",
        "locale": "zh_Hans",
        "slug": {"encoding": "unicode", "clean_accents": False, "sanitize_replacement": "-"},
        # Decap requires a media folder; the format has no images, so nothing is uploaded.
        "media_folder": "content/images",
        "public_folder": "/images",
    }
    local = S.get(settings, "DISCLOSURES_ADMIN_LOCAL_BACKEND")
    if local:
        out["local_backend"] = {"url": local, "allowed_hosts": ["127.0.0.1", "localhost"]}
    out["collections"] = [_collection(form) for form in F.FORMS]
    return out


def config_text(settings: dict[str, Any] | None = None) -> str:
    head = (
        "# Decap CMS configuration, generated from plugins/disclosures/fields.py by "
        "`make schema`;\n# do not edit by hand. The built site's admin/config.yml "
        "carries the backend of its settings.\n"
    )
    return head + yaml.safe_dump(
        config(settings), allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


def _spec(field: F.Field, in_indicators: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"key": field.key, "kind": field.kind}
    if field.kind in _QUOTED_KINDS or (in_indicators and field.key in _QUOTED_INDICATOR_KEYS):
        out["quoted"] = True
    if field.children:
        inside = in_indicators or field.key == "indicators"
        out["children"] = [_spec(c, inside) for c in field.children]
    return out


def format_spec() -> dict[str, Any]:
    """What admin/src/format.js needs to write a file as editors write one by hand."""
    return {
        # New files go to data/<year>/<unit>/<name>.yaml (the collections' path).
        "schema_comment": "# yaml-language-server: $schema=../../../schema/disclosure.schema.json",
        "fields": [_spec(f) for f in F.PROJECT],
        "kinds": {"markdown": F.MARKDOWN, "money": F.MONEY, "mapping": F.MAPPING, "list": F.LIST},
        # The importer's comment blocks (importer/yamlout.py) the form shows, with their titles.
        "import_notes": [
            [UNPLACED_HEADING, "导入时未识别的文字"],
            [OUTSIDE_HEADING, "表外文字（未导入）"],
            [PERSONAL_HEADING, "个人信息（未导入，请自行决定是否录入）"],
        ],
        "notes_field": NOTES_FIELD,
    }


def format_spec_script() -> str:
    spec = json.dumps(format_spec(), ensure_ascii=False, separators=(",", ":"))
    return f"window.DISCLOSURE_FORMAT = {spec};\n"
