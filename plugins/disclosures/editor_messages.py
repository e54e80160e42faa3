"""The validator's problems in the words of the form, for the browser editor.

`disclosures validate` prints `path:line:column: field: 中文 / English`; an editor working in
the browser sees neither the file nor the keys, so the same problem is said with the labels
of fields.py: "绩效指标 第 2 行 · 指标目标值 / 指标值（文件第 31 行）：……", and the keys the
message itself names (`period 与 start/end 只能二选一`) become labels too.
"""

from __future__ import annotations

import re

from . import fields as F
from .problems import Problem, cut_message
from .textpolicy import escape

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _label(spec: F.Field, form: str | None) -> str:
    return spec.label_for(form) if form else spec.label


def field_words(dotted: str, form: str | None = None) -> str:
    """`indicators[1].target` → `绩效指标 第 2 行 · 指标目标值 / 指标值` (with `form`, that
    form's own label only: `绩效指标 第 2 行 · 指标值`)."""
    words: list[str] = []
    specs: tuple[F.Field, ...] = F.PROJECT
    for key, index in _STEP.findall(dotted):
        if index:
            row = f"第 {int(index) + 1} 行"
            words[-1:] = [f"{words[-1]} {row}" if words else row]
            continue
        spec = next((s for s in specs if s.key == key), None)
        if spec is None:
            words.append(key)
            specs = ()
            continue
        words.append(_label(spec, form))
        specs = spec.children
    return " · ".join(words)


def field_words_en(dotted: str) -> str:
    """`indicators[1].target` → `Performance indicators row 2 · Target value`: the same place
    as `field_words`, with the English labels of fields.py (a key the format does not know
    stays as it is)."""
    words: list[str] = []
    path = ""
    for key, index in _STEP.findall(dotted):
        if index:
            row = f"row {int(index) + 1}"
            words[-1:] = [f"{words[-1]} {row}" if words else row]
            continue
        path = f"{path}.{key}" if path else key
        words.append(F.label_en(path) or key)
    return " · ".join(words)


def _nearby_fields(dotted: str) -> tuple[F.Field, ...]:
    """The fields a message about `dotted` may name: its siblings and its own children."""
    siblings: tuple[F.Field, ...] = F.PROJECT
    nearby: tuple[F.Field, ...] = F.PROJECT
    for key, index in _STEP.findall(dotted):
        if index:
            continue
        spec = next((s for s in siblings if s.key == key), None)
        if spec is None:
            break
        nearby = (*siblings, *spec.children)
        siblings = spec.children
    return nearby


def _field_spec(dotted: str) -> F.Field | None:
    """The declaration of the field `dotted` names (`indicators[1].target` → 指标目标值);
    None for a key the format does not know."""
    spec: F.Field | None = None
    specs: tuple[F.Field, ...] = F.PROJECT
    for key, index in _STEP.findall(dotted):
        if index:
            continue
        spec = next((s for s in specs if s.key == key), None)
        if spec is None:
            return None
        specs = spec.children
    return spec


def _key_labels(problem: Problem, form: str | None) -> dict[str, str]:
    return {spec.key: _label(spec, form) for spec in _nearby_fields(problem.field or "")}


def _key_labels_en(problem: Problem) -> dict[str, str]:
    """The English labels (fields.LABELS_EN) of the fields `_key_labels` names, by key: the
    siblings of the problem's field, then its children (a child wins, as there)."""
    steps = [key for key, _ in _STEP.findall(problem.field or "") if key]
    parent = ".".join(steps[:-1])
    own = ".".join(steps)
    labels: dict[str, str] = {}
    for spec in _nearby_fields(problem.field or ""):
        for prefix in (parent, own):
            english = F.label_en(f"{prefix}.{spec.key}" if prefix else spec.key)
            if english:
                labels[spec.key] = english
    return labels


def message_words(problem: Problem, form: str | None = None) -> str:
    """The message with the keys it names said as labels: `period 与 start/end 只能二选一` →
    `“项目起止时间”与“计划开始日期”/“计划完成日期”只能二选一`; a key followed by its label in
    brackets (`indicators（绩效指标）`) keeps the label only. Unknown keys stay as written
    (they are what the file holds, not a field of the form)."""
    labels = _key_labels(problem, form)
    if not labels or "YAML" in problem.zh:  # the parser's own words (`block end`) stay
        return problem.zh
    keys = "|".join(sorted(map(re.escape, labels), key=len, reverse=True))
    pattern = re.compile(rf"\s?(?<![A-Za-z0-9_])({keys})(?![A-Za-z0-9_])(（[^（）]*）)?\s?")
    return pattern.sub(lambda m: f"“{labels[m.group(1)]}”", problem.zh)


def for_editors(problem: Problem, form: str | None = None) -> str:
    # A required field left out is reported at its parent: named where the form has it.
    where = cut_message(escape(_where(problem, form)[0])) or "文件"
    level = "提醒" if not problem.is_error else "错误"
    # Escaped and cut as `Problem.format` does: the text quotes keys and values of the file.
    words = cut_message(escape(message_words(problem, form)))
    # What to do, as the door says it: the editor gets the same advice in the browser as after
    # a push (Chinese only here: the local editor and the draft preview speak Chinese).
    todo = cut_message(escape(what_to_do(problem, form)[0]))
    return f"{level}：{where}（文件第 {problem.line} 行）：{words.rstrip('。')}。怎么改：{todo}"


_ASCII_KEY = r"(?<![A-Za-z0-9_]){}(?![A-Za-z0-9_])"


def _named_keys(problem: Problem, form: str | None) -> list[str]:
    """The keys of nearby fields the Chinese message names as keys (`缺少必填字段 name（…）`)."""
    labels = _key_labels(problem, form)
    return [k for k in labels if re.search(_ASCII_KEY.format(re.escape(k)), problem.zh)]


def _missing_child(problem: Problem) -> F.Field | None:
    """A field the message names that is a child of the problem's own field (or of the file
    for a problem at the top): a required field left out is reported at its parent."""
    if "YAML" in problem.zh:
        return None
    parent = _field_spec(problem.field) if problem.field else None
    children = parent.children if parent is not None else F.PROJECT
    if problem.field and parent is None:
        return None
    for key in _named_keys(problem, None):
        child = next((c for c in children if c.key == key), None)
        if child is not None:
            return child
    return None


def english_words(problem: Problem, form: str | None = None) -> str:
    """The English message with the keys the Chinese one names said as the form's labels,
    each with its English label beside it (`write either period or start/end` → `write
    either “项目起止时间” (Implementation term) or “计划开始日期” (Planned start date)/…`): the
    form prints Chinese only, so the label as printed is what the editor looks for, and the
    English label (fields.LABELS_EN) says what it is. Only keys the Chinese message names as
    keys are replaced, as whole words: English words that are also keys (`end`, `name`) stay
    words elsewhere."""
    labels = _key_labels(problem, form)
    if not labels or "YAML" in problem.zh:
        return problem.en
    named = _named_keys(problem, form)
    if not named:
        return problem.en
    english = _key_labels_en(problem)
    keys = "|".join(sorted(map(re.escape, named), key=len, reverse=True))
    # A key the English quotes ('note') is replaced with its quotes, and the label the
    # message adds in brackets (`'name' (Project name)`, `'name' (项目名称)`) is said once.
    said = "|".join(re.escape(english[k]) for k in named if k in english)
    bracket = rf"(?: \((?:[^()A-Za-z0-9]*{f'|{said}' if said else ''})\))?"
    pattern = re.compile(f"(?:'({keys})'|{_ASCII_KEY.format(f'({keys})')}){bracket}")

    def say(match: re.Match[str]) -> str:
        key = match.group(1) or match.group(2)
        return f"“{labels[key]}” ({english[key]})" if key in english else f"“{labels[key]}”"

    return pattern.sub(say, problem.en)


def _where(problem: Problem, form: str | None) -> tuple[str, F.Field | None]:
    """The field on the form the editor goes to, and its declaration (None: not a field of
    the form). A required field left out is reported at its parent: said where it belongs."""
    where = field_words(problem.field, form) if problem.field else ""
    spec = _field_spec(problem.field) if problem.field else None
    missing = _missing_child(problem) if problem.is_error else None
    if missing is not None:
        return " · ".join(filter(None, (where, _label(missing, form)))), missing
    return where, spec


def _where_en(problem: Problem, where: str) -> str:
    """`“绩效指标 第 2 行 · 指标值” (Performance indicators row 2 · Target value)`: the place on
    the (Chinese) form as printed, with its English name for the English half."""
    if not where:
        return ""
    dotted = problem.field or ""
    missing = _missing_child(problem) if problem.is_error else None
    if missing is not None:
        dotted = f"{dotted}.{missing.key}" if dotted else missing.key
    english = field_words_en(dotted) if dotted else ""
    return f"“{where}” ({english})" if english and english != where else f"“{where}”"


def what_to_do(problem: Problem, form: str | None = None) -> tuple[str, str]:
    """What the editor does about `problem`, in Chinese and English, from the field's
    declaration: where on the form, and an example of a value as written."""
    where, spec = _where(problem, form)
    named = _where_en(problem, where)
    if not problem.is_error:
        if where:
            return (
                f"不影响发布；方便时核对“{where}”一栏",
                f"publishing goes ahead; check {named} when convenient",
            )
        return "不影响发布", "publishing goes ahead"
    if spec is None and problem.field:
        return (
            f"表单上没有“{where}”这一栏：请删除它，或把内容填到表单上相应的一栏，再保存发布",
            f"the form has no field {named}: delete it or move its text to the form's "
            "matching field, then save and publish again",
        )
    if spec is None:
        return (
            "问题在文件本身，不在某一栏：表单里无法改正，请把这条信息发给网站管理员",
            "the problem is in the file itself, not in one field: it cannot be fixed in the "
            "form; send this message to the site's administrator",
        )
    example = spec.example if spec.kind not in (F.MAPPING, F.LIST, F.MARKDOWN) else ""
    like_zh = f"（例如 {example}）" if example else ""
    like_en = f" (e.g. {example})" if example else ""
    return (
        f"在“{where}”一栏按表上所写填写或改正{like_zh}，再保存发布",
        f"fill in or correct {named} as the table prints it{like_en}, then save and publish again",
    )


def for_door(problem: Problem, form: str | None = None) -> str:
    """One line for the publishing door and CI (`validate --format editor`):
    `path:line:column: 栏目: 中文 / English（怎么改：… / what to do: …）`, the field said with
    its label on the form instead of its key, in both languages. It starts with `path:` as
    `Problem.format` does, so the door's per-file cap and the web editor read it the same
    way; warnings say `警告 warning:` as there."""
    where = cut_message(escape(_where(problem, form)[0])) or "文件 file"
    level = "" if problem.is_error else "警告 warning: "
    return (
        f"{escape(problem.path)}:{problem.line}:{problem.column}: {where}: {level}"
        f"{_door_words(problem, form)}"
    )


def _door_words(problem: Problem, form: str | None) -> str:
    """`中文 / English（怎么改：… / what to do: …）`, each part escaped and cut."""
    zh = cut_message(escape(message_words(problem, form)))
    en = cut_message(escape(english_words(problem, form)))
    todo_zh, todo_en = (cut_message(escape(text)) for text in what_to_do(problem, form))
    return f"{zh} / {en}（怎么改：{todo_zh} / what to do: {todo_en}）"


def for_github(problem: Problem, form: str | None = None) -> str:
    """A GitHub Actions annotation in the door's words (`validate --format github`, the door
    on a host without hooks): titled by the field's label on the form, the message in Chinese
    and English with what to do, as `for_door` says it after `path:line:column: 栏目:`."""
    where = _where(problem, form)[0] or "文件 file"
    return problem.format_github(title=where, text=_door_words(problem, form))
