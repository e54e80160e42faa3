"""`disclosures validate [PATH...]`: check data files; exit 0 when valid, 1 otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

from ..editor_messages import for_door, for_github
from ..load import MAX_FILE_BYTES
from ..markup import check_pages
from ..model import Project
from ..pipeline import LoadResult, cross_checks, load_project_bytes, load_projects


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
        help="github: GitHub Actions annotations; editor: lines for the door (hooks); both in "
        "the form's words instead of keys, with what to do, for editors of the web editor",
    )
    parser.add_argument(
        "--stdin",
        metavar="NAME",
        default=None,
        help="从标准输入读入一个文件，按文件 NAME 检查（不写任何文件）/ check one file read from "
        "standard input as the file NAME, writing nothing: the web editor's check before it "
        "saves (deploy/editorcheck.py); PATHs are not read",
    )
    parser.add_argument(
        "--site",
        metavar="DIR",
        type=Path,
        default=None,
        help="与 --stdin 一起：再对照已发布的网站 DIR 检查网址和单位是否与别的项目冲突 / with "
        "--stdin: also check the file's address and unit against the projects of the published "
        "site DIR (their project.json), as the door's whole-site checks do",
    )
    parser.set_defaults(func=run)


PUBLISHED_READ = 2000  # project.json files read at most (one unit's projects of one year)


def _published(project: Project, site: Path, name: str) -> list[SimpleNamespace]:
    """The published projects a file's whole-site checks compare it with: the one at its
    address and the others of its unit's folder that year, as `cross_checks` sees projects
    (from each page's project.json; the file's own published version left out)."""
    folder = site / str(project.year) / project.unit_slug
    paths = [site.joinpath(*map(str, project.key)) / "project.json"]
    paths += sorted(folder.glob("*/project.json"))[:PUBLISHED_READ]
    found: dict[str, SimpleNamespace] = {}
    for path in paths:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            page = json.loads(path.read_text(encoding="utf-8"))
            year, unit_slug, slug = str(page["project_key"]).split("/")
            display = "data/" + str(page["data_file"])
            header = {row.get("key"): row.get("value") for row in page.get("header") or []}
            region = str(header.get("region") or page.get("region") or "")
            unit = str(page["unit"])
            title = str(page.get("name") or "")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # not a page of this site's making: nothing to compare with
        if display == name or display in found:
            continue
        # Every attribute cross_checks reads of a project, or a new check there turns the
        # editor's check into a 500 (red-team 9's look-alike names read year and name).
        found[display] = SimpleNamespace(
            key=(int(year), unit_slug, slug),
            year=int(year),
            name=title,
            display_path=display,
            unit=unit,
            region=region,
            unit_slug=unit_slug,
            unit_identity=(region, unit),
            name_line=(0, 0),
            unit_line=(0, 0),
        )
    return list(found.values())


def _from_stdin(name: str, site: Path | None) -> LoadResult:
    raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)  # more is refused: memory stays bounded
    project, problems = load_project_bytes(raw, name)
    result = LoadResult(problems=problems, files=1)
    if project is not None:
        result.projects.append(project)
        if site is not None:
            # Published projects first: a clash is reported at this file, as the door would.
            others = _published(project, site, name)
            clashes = cross_checks([*others, project])  # type: ignore[list-item]
            result.problems += [p for p in clashes if p.path == name]
    return result


def run(args: argparse.Namespace) -> int:
    result = _from_stdin(args.stdin, args.site) if args.stdin else load_projects(args.paths)
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
            print(for_github(problem, forms.get(problem.path)))
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
