"""`disclosures import FILE... --out DIR`: published tables → draft YAML files.

Exit status: 0 every draft complete; 3 drafts written but some text was not placed (or a
required field was not found): look at the `# 未识别 / unplaced:` block; 1 no table found;
2 a file could not be read (missing, empty, binary, not UTF-8, PDF without text) or a draft
would overwrite a file. With several files, the worst status wins (2, then 1, then 3).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import fields as F
from .choices import resolve as resolve_choices
from .draft import Draft, Piece
from .errors import EXIT_BAD_INPUT, EXIT_NOTHING, EXIT_OK, EXIT_UNPLACED, InputRefused
from .extract import read_source
from .outline import looks_like_outline
from .outline import rewrite as rewrite_outline
from .parse import parse_text
from .pdflayout import looks_like_layout, rewrite_layout
from .script import fold_script, restore_draft
from .selfeval import import_selfevals, is_selfeval, refuse_whole_department
from .selfeval_page import plain, shift_lines, split_page
from .source import Text, from_source, run_limited
from .write import draft_path, schema_reference, write_atomic
from .yamlout import render

_REQUIRED = [f.key for f in F.PROJECT if f.required and f.key != "form"]
# The worst status wins: the input door's limits (4-7), then 2, 1, 3, 0.
_SEVERITY = {EXIT_OK: 0, EXIT_UNPLACED: 1, EXIT_NOTHING: 2, EXIT_BAD_INPUT: 3}
_SEVERITY.update({status: status for status in range(4, 8)})


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="从已公开的绩效目标表（PDF 或文本）生成 YAML 草稿 / draft YAML from published tables",
        description="读取已公开的项目支出绩效目标表（PDF，或网页表格复制出的 UTF-8 文本），"
        "每个项目写一个 YAML 草稿。退出码：0 全部识别；3 已写出草稿但有未识别的文字；"
        "1 没有找到表格；2 文件无法读取。/ Read published tables and write one draft per "
        "project. Exit: 0 all placed, 3 drafts with unplaced text, 1 no table, 2 unreadable.",
    )
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help=".pdf、UTF-8 .txt 或另存的网页 .html / PDF, UTF-8 text or saved web pages",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="草稿写到这个文件夹下的 年度/单位/项目.yaml / output folder",
    )
    parser.add_argument(
        "--encoding",
        metavar="ENC",
        help="文本文件的编码，如 gb18030（默认 UTF-8）/ text encoding, e.g. gb18030",
    )
    parser.add_argument(
        "--force", action="store_true", help="覆盖已存在的文件 / overwrite existing files"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.files:
        file_status = import_file(path, args.out, args.encoding, args.force)
        if _SEVERITY[file_status] > _SEVERITY[status]:
            status = file_status
    return status


def import_file(path: Path, out: Path, encoding: str | None = None, force: bool = False) -> int:
    try:
        source = read_source(path, encoding)
    except InputRefused as refused:
        _say(f"错误 error: {refused.message()}")
        return refused.status
    for note in source.notes[:5]:
        _say(f"注意 note: {note}")
    text = from_source(source.text)
    page = None
    if is_selfeval(text.text):  # 绩效自评表: results into the project files (issue 14)
        if refused := refuse_whole_department(path, text):
            return refused
        page = split_page(text)  # its target tables drafted below, then the results added
        if not page.targets:
            return import_selfevals(path, page.results, out, force)
    drafts = []
    for part in page.targets if page else [text]:
        try:  # hostile text can be slow to parse, not only to read: same time and memory limits
            drafts += shift_lines(run_limited(path, _drafts_from, plain(part), path.name), part)
        except InputRefused as refused:
            _say(f"错误 error: {refused.message()}")
            return refused.status
    if not drafts and page:
        return import_selfevals(path, page.results, out, force)
    if not drafts:
        _say(
            f"错误 error: {path}：没有找到项目支出绩效目标表（没有“项目名称”“一级指标”等栏目）\n"
            f"  {path}: no performance-target table found (no 项目名称 / 一级指标 headings)"
        )
        return EXIT_NOTHING
    if source.encoding not in ("utf-8", "pdf", "xlsx", "xls", "docx"):
        _say(f"注意 note: {path} 按 {source.encoding} 解码 / decoded as {source.encoding}")
    planned = _plan(path, out, drafts)
    if not force:
        existing = [target for target, _ in planned if target.exists()]
        if existing:
            for target in existing:
                _say(
                    f"错误 error: {target} 已存在，未写入任何文件（加 --force 覆盖）\n"
                    f"  {target} exists; nothing written for {path} (use --force to overwrite)"
                )
            return EXIT_BAD_INPUT
    status = EXIT_OK
    written: list[Path] = []
    for target, draft in planned:
        _flag_missing(draft)
        origin = (
            f"草稿 / draft: disclosures import {path.name}，第 {draft.first_line} 行起 / "
            f"from line {draft.first_line}；请对照原表核对 / check it against the original"
        )
        try:
            write_atomic(target, render(draft, schema_reference(target), origin), force)
        except FileExistsError:
            _say(f"错误 error: {target} 已存在 / exists")
            return EXIT_BAD_INPUT
        except OSError as exc:
            _say(f"错误 error: 无法写入 {target}（{exc.strerror}）/ cannot write {target}")
            return EXIT_BAD_INPUT
        written.append(target)
        rows = len(draft.data.get("indicators") or [])
        _say(f"已写入 wrote {target}（{rows} 个指标 / indicators）")
        if draft.unplaced:
            status = EXIT_UNPLACED
            _say(
                f"  未识别 / unplaced（{len(draft.unplaced)} 处，见文件开头 / see the top of "
                "the file）:"
            )
            for piece in draft.unplaced:
                _say(f"    {path}:{piece.line}: {piece.text}")
    if _check(written):
        status = EXIT_UNPLACED
    if page:
        answered = import_selfevals(path, page.results, out, force, into=written)
        status = max(status, answered, key=_SEVERITY.__getitem__)
    return status


def _drafts_from(text: Text, name: str) -> list[Draft]:
    """The page's text → drafts (run in a limited child by `import_file`)."""
    folded = fold_script(text.text)  # traditional script: labels matched in simplified form
    if folded:
        text = Text(folded.text, text.source_url)
    if looks_like_layout(text.text):  # PDF text laid out by position: rewritten as rows
        text = Text(rewrite_layout(text.text), text.source_url)
    elif looks_like_outline(text.text):  # levels shown by indentation: rewritten as rows
        text = Text(rewrite_outline(text.text), text.source_url)
    drafts = parse_text(text, name)
    for draft in drafts:
        if folded:
            restore_draft(draft, folded)  # values as written, not as folded
        resolve_choices(draft)  # 新增项目□ 延续项目√ → 延续项目
    return drafts


def _check(paths: list[Path]) -> bool:
    """Validate what was written, as `disclosures validate` would; True when errors remain."""
    from ..pipeline import validate_paths  # the whole model: import only once drafts exist

    problems = validate_paths(paths)
    for problem in problems:
        _say(f"  {problem.format()}")
    return any(p.is_error for p in problems)


def _plan(path: Path, out: Path, drafts: list[Draft]) -> list[tuple[Path, Draft]]:
    planned: list[tuple[Path, Draft]] = []
    taken: set[Path] = set()
    for i, draft in enumerate(drafts):
        target = draft_path(out, draft, path, i)
        n = 2
        while target in taken:
            target = target.with_name(f"{target.stem.rsplit('--', 1)[0]}--{n}.yaml")
            n += 1
        taken.add(target)
        planned.append((target, draft))
    return planned


def _flag_missing(draft: Draft) -> None:
    """A required field the importer did not find is as much a gap as unplaced text."""
    for key in _REQUIRED:
        if not draft.data.get(key):
            spec = next(f for f in F.PROJECT if f.key == key)
            draft.unplaced.append(Piece(draft.first_line, f"缺少 missing: {key}（{spec.label}）"))


def _say(message: str) -> None:
    print(message, file=sys.stderr)
