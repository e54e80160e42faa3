"""`disclosures validate [PATH...]`: check data files; exit 0 when valid, 1 otherwise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..editor_messages import for_door
from ..load import MAX_FILE_BYTES
from ..markup import check_pages
from ..pipeline import LoadResult, load_project_bytes, load_projects


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="检查数据文件 / check data files",
        description="检查项目 YAML 文件，每个问题一行：path:line:column: field: 中文 / English",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("data")],
        help="files or folders (default: data)",
    )
    parser.add_argument(
        "--pages",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also check the editorial pages (Markdown) under DIR, as the build reads them "
        "(the hooks pass --pages content)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "github", "editor"),
        default="text",
        help="github: print GitHub Actions annotations; editor: the form's words instead of "
        "keys, for messages shown to editors of the web editor (hooks, CI)",
    )
    parser.add_argument(
        "--stdin",
        metavar="NAME",
        default=None,
        help="从标准输入读入一个文件，按文件 NAME 检查（不写任何文件）/ check one file read from "
        "standard input as the file NAME, writing nothing: the web editor's check before it "
        "saves (deploy/editorcheck.py); PATHs are not read",
    )
    parser.set_defaults(func=run)


def _from_stdin(name: str) -> LoadResult:
    raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)  # more is refused: memory stays bounded
    project, problems = load_project_bytes(raw, name)
    result = LoadResult(problems=problems, files=1)
    if project is not None:
        result.projects.append(project)
    return result


def run(args: argparse.Namespace) -> int:
    result = _from_stdin(args.stdin) if args.stdin else load_projects(args.paths)
    # A file that loaded (warnings only) is named with its own form's labels.
    forms = {p.source: p.form for p in result.projects}
    problems = list(result.problems)
    pages = 0
    for folder in args.pages:
        count, found = check_pages(folder)
        pages += count
        problems += found
    for problem in problems:
        if args.format == "github":
            print(problem.format_github())
        elif args.format == "editor":
            print(for_door(problem, forms.get(problem.path)))
        else:
            print(problem.format())
    errors = len(result.errors) + sum(p.is_error for p in problems[len(result.problems) :])
    warnings = len(result.warnings)
    print(
        f"检查了 {result.files} 个文件：{errors} 个错误，{warnings} 个警告 / "
        f"checked {result.files} file(s): {errors} error(s), {warnings} warning(s)"
        + (f"; {pages} page(s)" if args.pages else ""),
        file=sys.stderr,
    )
    return 1 if errors or (result.files == 0 and not result.problems) else 0
