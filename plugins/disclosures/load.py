"""Load one YAML file into plain Python values, remembering where each value stood.

Why our own walk over the composed node tree rather than `yaml.safe_load`:
- every scalar stays the text the editor wrote (YAML 1.1 would turn `2020-01-01` into a
  date, `6.30` into a float, `否`-like words into booleans and `1:20` into 80);
- every value keeps its line and column for error messages;
- duplicate keys, aliases (alias bombs) and object-constructing tags are refused;
- the work a file can cost is bounded before anything is composed (`_scan`, from libyaml's
  event stream): nesting depth, values per file, rows or keys per list or mapping, length of
  one text, no alias at all; and at most `problems.MAX_PER_FILE` problems are reported;
- every key and every scalar goes through the one text policy (`textpolicy.scan`): control,
  format and separator characters refused, private-use and unassigned ones warned.
Parsing uses libyaml (`CSafeLoader`); there is no silent fallback to the slow pure-Python
parser.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import textpolicy
from .problems import Problem, Severity, TooManyProblems, add_capped, stopped

try:
    from yaml import CSafeLoader as _Loader
except ImportError as exc:  # pragma: no cover - depends on the PyYAML build
    raise ImportError(
        "PyYAML was built without libyaml; install PyYAML wheels with libyaml "
        "(the pure-Python parser is 8x slower)"
    ) from exc

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real table is ~10 KB; refuse absurd files early
MAX_DEPTH = 20
# Bounds on what one file may hold, checked on the event stream before composing, so that a
# 2 MB hostile file costs a bounded time and memory. The largest real table (tests/corpus)
# holds ~600 values, 40 keys in one mapping and 800 characters in one text.
MAX_NODES = 20_000  # scalars, lists and mappings in one file
MAX_ITEMS = 1_000  # rows of one list, keys of one mapping
MAX_SCALAR = 100_000  # characters of one value or key (validate also caps a field at 32,767)

# Tags a plain or quoted scalar may carry: the core schema ones only.
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULL_TAG = "tag:yaml.org,2002:null"

Location = tuple[int, int]  # (line, column), 1-based
FieldPath = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded file: its data and the location of every value and key."""

    path: str
    data: Any
    locations: dict[FieldPath, Location] = field(default_factory=dict)
    key_locations: dict[FieldPath, Location] = field(default_factory=dict)

    def where(self, path: FieldPath) -> Location:
        """Location of the value at `path`, or of its nearest ancestor."""
        while path not in self.locations and path:
            path = path[:-1]
        return self.locations.get(path, (1, 1))

    def where_key(self, path: FieldPath) -> Location:
        """Location of the key that names `path` (for unknown or misplaced fields)."""
        return self.key_locations.get(path) or self.where(path)


class _Walk:
    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems
        self.seen: set[int] = set()
        self.alias_reported = False  # one message per file, not one per use of the alias

    def error(
        self,
        node: yaml.Node,
        path: FieldPath,
        zh: str,
        en: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        add_capped(
            self.problems,
            Problem(
                self.doc.path,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                dotted(path),
                zh,
                en,
                severity,
            ),
        )

    def text_policy(self, node: yaml.ScalarNode, path: FieldPath, is_key: bool) -> bool:
        """False when the scalar holds a refused character (reported); warnings reported."""
        finding = textpolicy.scan(node.value, multiline=not is_key)
        if finding is None:
            return True
        where_zh, where_en = ("字段名", "key") if is_key else ("内容", "value")
        self.error(
            node,
            path,
            f"{where_zh}{finding.zh}",
            f"{where_en}: {finding.en}",
            Severity.ERROR if finding.is_error else Severity.WARNING,
        )
        return not finding.is_error

    def value(self, node: yaml.Node, path: FieldPath, depth: int = 0) -> Any:
        self.doc.locations[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # libyaml hands back the anchored node itself, so the location is the anchor's.
            if not self.alias_reported:
                self.alias_reported = True
                self.error(
                    node,
                    path,
                    "不允许使用 YAML 锚点和别名（&name / *name），此处的锚点被重复引用",
                    "YAML aliases are not allowed (the anchor &name here is referenced "
                    "again by *name)",
                )
            return None
        self.seen.add(id(node))
        if node.tag not in _SAFE_TAGS:
            self.error(
                node, path, f"不允许的 YAML 标签 {node.tag}", f"YAML tag {node.tag} is not allowed"
            )
            return None
        if depth > MAX_DEPTH:
            self.error(node, path, "嵌套层次太深", "structure is nested too deeply")
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _NULL_TAG and node.style is None:
                return None
            if not self.text_policy(node, path, is_key=False):
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, path, "字段名必须是文字", "keys must be plain text")
                continue
            key = key_node.value
            if not self.text_policy(key_node, (*path, key), is_key=True):
                continue
            if key not in mapping:
                self.doc.key_locations[(*path, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            if key in mapping:
                self.error(key_node, (*path, key), f"字段 {key} 重复出现", f"duplicate key {key!r}")
                continue
            mapping[key] = self.value(value_node, (*path, key), depth + 1)
        return mapping


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _too_large(path: str, size: int) -> Problem:
    return Problem(
        path,
        1,
        1,
        "",
        f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）",
        f"file too large ({size} bytes, limit {MAX_FILE_BYTES})",
    )


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM is harmless and dropped); anything else is refused."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_large(path, len(raw))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                path,
                line,
                1,
                "",
                "文件不是 UTF-8 编码（请用 UTF-8 保存）",
                "file is not valid UTF-8 (save it as UTF-8)",
            )
        ]
    if "\x00" in text:
        return None, [Problem(path, 1, 1, "", "文件含有二进制内容", "file contains binary data")]
    return text, []


def _scan(text: str, path: str) -> Problem | None:
    """The first bound the file breaks, found from the event stream before composing.

    libyaml's composer recurses once per level in C: `[[[[…` a million deep overflows the
    C stack and kills the process (a segfault, not an exception); and a composed file costs
    about 1 KB of memory per value (a 2 MB file of `{},` was 800 MB). Events come from an
    iterative parser, one at a time, so nothing larger than the bounds is ever built.
    """

    def refuse(event: yaml.Event, zh: str, en: str) -> Problem:
        return Problem(path, event.start_mark.line + 1, event.start_mark.column + 1, "", zh, en)

    nodes = 0
    open_items: list[int] = []  # values seen in each open collection (a mapping: keys + values)
    open_kinds: list[bool] = []  # True for a mapping
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return refuse(
                event,
                "不允许使用 YAML 锚点和别名（&name / *name）",
                "YAML aliases are not allowed (*name refers to the anchor &name)",
            )
        if isinstance(event, yaml.CollectionEndEvent):
            open_items.pop()
            open_kinds.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            continue
        nodes += 1
        if nodes > MAX_NODES:
            return refuse(
                event,
                f"文件中的值超过 {MAX_NODES} 个，不像一个项目的表格；请拆分文件",
                f"the file holds more than {MAX_NODES} values, more than any project "
                "table; split it",
            )
        if open_items:
            open_items[-1] += 1
            items = (open_items[-1] + 1) // 2 if open_kinds[-1] else open_items[-1]
            if items > MAX_ITEMS:
                zh, en = ("个字段", "keys") if open_kinds[-1] else ("行", "rows")
                return refuse(
                    event,
                    f"一处超过 {MAX_ITEMS} {zh}，不像一个项目的表格；请拆分文件",
                    f"more than {MAX_ITEMS} {en} in one place, more than any project table; "
                    "split the file",
                )
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_SCALAR:
                return refuse(
                    event,
                    f"内容过长（{len(event.value)} 字，上限 {MAX_SCALAR}）",
                    f"text too long ({len(event.value)} characters, limit {MAX_SCALAR})",
                )
            continue
        if len(open_items) >= MAX_DEPTH + 1:
            return refuse(event, "嵌套层次太深", "structure is nested too deeply")
        open_items.append(0)
        open_kinds.append(isinstance(event, yaml.MappingStartEvent))
    return None


# Line breaks to YAML 1.1 (PyYAML) that YAML 1.2, git's diff, GitHub, editors and the web
# editor's js-yaml do not break lines at: `# 注释<U+0085>notes: 藏起来的说明` is a comment to
# every reviewer and a published field to the build (red-team, ninth session). A CR alone
# too (a CRLF pair is an ordinary line end).
_ODD_BREAK = re.compile("[\u0085\u2028\u2029]|\r(?!\n)")


def _line_breaks(text: str, path: str) -> Problem | None:
    found = _ODD_BREAK.search(text)
    if found is None:
        return None
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - (before.rfind("\n") + 1) + 1
    char = found.group()
    name = {"\r": "CARRIAGE RETURN", "\x85": "NEXT LINE"}.get(char) or unicodedata.name(char, "")
    return Problem(
        path,
        line,
        column,
        "",
        f"U+{ord(char):04X} {name} 在这里会被当作换行，而编辑器和网页编辑器不换行：后面的文字"
        "会成为另一行（注释里也能藏下一个字段）。请删除它，或换成普通换行",
        f"U+{ord(char):04X} {name}: the site's YAML reader breaks the line here, editors and "
        "the web editor do not: what follows would be read as another line (a comment could "
        "hide a field); remove it or use an ordinary line break",
    )


def load_text(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    problems: list[Problem] = []
    doc = Document(path, None)
    odd = _line_breaks(text, path)
    if odd is not None:
        return None, [odd]
    try:
        beyond = _scan(text, path)
        if beyond is not None:
            return None, [beyond]
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = exc.problem or "syntax error"
        hint = ""
        if "\t" in text and "found character '\\t'" in str(exc):
            hint = "（YAML 不能用 Tab 缩进，请用空格）"
        return None, [
            Problem(
                path,
                line,
                col,
                "",
                f"YAML 语法错误：{detail}{hint}",
                f"YAML syntax error: {detail}",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, 1, "", f"YAML 错误：{exc}", f"YAML error: {exc}")]
    if not nodes or nodes[0] is None:
        return None, [Problem(path, 1, 1, "", "文件是空的", "file is empty")]
    if len(nodes) > 1:
        return None, [
            Problem(
                path,
                1,
                1,
                "",
                "一个文件只能有一个项目（一个 YAML 文档）",
                "one project (one YAML document) per file",
            )
        ]
    try:
        doc.data = _Walk(doc, problems).value(nodes[0], ())
    except TooManyProblems:
        problems.append(stopped(problems, path))
        return None, problems
    return doc, problems


def load_file(
    path: Path, display: str | None = None, within: Path | None = None
) -> tuple[Document | None, list[Problem]]:
    """Read and parse one file. Problems carry `display` (default: the path as given).
    `within`: the folder the file must lie in once links are resolved (site-wide files)."""
    name = display or str(path)
    if within is not None and not path.resolve().is_relative_to(within.resolve()):
        return None, [
            Problem(
                name,
                1,
                1,
                "",
                f"符号链接指向 {within} 之外，不会读取",
                f"symbolic link points outside {within}; not read",
            )
        ]
    try:
        # O_NONBLOCK: a FIFO put in place of the file since it was listed opens at once (and
        # is refused below) instead of blocking for ever; fstat is of what was opened.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None, [
                    Problem(
                        name, 1, 1, "", "不是普通文件，不会读取", "not a regular file; not read"
                    )
                ]
            if info.st_size > MAX_FILE_BYTES:  # refused before reading: memory stays bounded
                return None, [_too_large(name, info.st_size)]
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [
            Problem(
                name, 1, 1, "", f"无法读取文件：{exc.strerror}", f"cannot read file: {exc.strerror}"
            )
        ]
    text, problems = decode(raw, name)
    if text is None:
        return None, problems
    return load_text(text, name)
