"""One pipeline for the site generator and the `disclosures` command:
find files → load (YAML with locations) → validate → model → cross-file checks."""

from __future__ import annotations

import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import cache, textpolicy
from .comparisons import Comparisons, load_comparisons
from .frameworks import MAPPING_FILE, Framework, load_framework
from .lint import lint_project
from .load import Document, decode, load_file, load_text
from .model import Project, build_project
from .paths import check_root, regular_files, special_file
from .problems import Problem
from .report import CacheStats
from .results.build import build_selfeval
from .validate import check_document

DATA_SUFFIX = ".yaml"


@dataclass
class LoadResult:
    projects: list[Project] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    framework: Framework = field(default_factory=Framework)
    comparisons: Comparisons = field(default_factory=Comparisons)
    cache_stats: CacheStats = field(default_factory=CacheStats)
    # Content digest of each project by its source (cache.load_all): build bookkeeping.
    digests: dict[str, str] = field(default_factory=dict)
    # sha256 of each project's file by its source: what the data is, in any folder.
    contents: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def find_mapping(paths: list[Path]) -> Path:
    """The nearest folder at or above the given paths that holds the mapping file."""
    for path in paths:
        folder = path.resolve() if path.is_dir() else path.resolve().parent
        for candidate in (folder, *folder.parents):
            if (candidate / MAPPING_FILE).is_file():
                return candidate
    return Path("data")


def is_project_file(path: Path) -> bool:
    """Project files are `*.yaml`; names starting with `_` hold site-wide data (mappings,
    glossary), not projects."""
    return path.suffix == DATA_SUFFIX and not path.name.startswith(("_", "."))


def find_files(paths: Iterable[Path]) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every project file under the given files and folders, with its display name.

    A `.yml` file is reported rather than skipped: nothing an editor wrote is silently ignored.
    Links out of the folder, linked folders, FIFOs, devices, sockets and names with control
    or format characters are refused without being opened (`paths.py`).
    """
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for root in paths:
        try:
            mode = root.stat().st_mode
        except OSError:
            problems.append(
                Problem(str(root), 1, 1, "", "找不到这个文件或文件夹", "no such file or folder")
            )
            continue
        if stat.S_ISREG(mode):
            found.append((root, str(root)))
            continue
        if not stat.S_ISDIR(mode):
            problems.append(special_file(root, mode))  # type: ignore[arg-type]
            continue
        linked_out = check_root(root)
        if linked_out is not None:
            problems.append(linked_out)
            continue
        files, refused = regular_files(root)
        problems.extend(refused)
        for path in files:
            # `.yml`, `.YAML`, `a.yaml ` (a trailing space or dot, which Windows drops): a
            # data file the build would skip without a word (red-team, seventh session).
            written = path.name.rstrip(" .").lower()
            if path.suffix != DATA_SUFFIX and written.endswith((".yaml", ".yml")):
                problems.append(
                    Problem(
                        str(path),
                        1,
                        1,
                        "",
                        "数据文件的扩展名应为 .yaml，请改名",
                        "data files must end in .yaml; rename this file",
                    )
                )
            elif is_project_file(path):
                found.append((path, str(path)))
    return found, problems


def load_projects(
    paths: Iterable[Path],
    data_root: Path | None = None,
    mapping_root: Path | None = None,
    cache_path: str | None = None,
    progress: cache.Progress | None = None,
    memory: cache.Memory | None = None,
) -> LoadResult:
    """Load, check and model every project file; report every problem of every file.

    `mapping_root` is the folder holding `_mapping.yaml` (default: `data_root`, else found
    next to or above the given paths); its rules decide the editor lint on levels.
    `cache_path` is the DISCLOSURES_CACHE_PATH setting (None: the default folder, "": off);
    `memory`, a long-lived builder's files kept between builds (cache.Memory).
    """
    paths = list(paths)
    # A builder's last listing while no data folder changed (cache.listed).
    files, problems = cache.listed(paths, find_files, memory)
    site_data = mapping_root or data_root or find_mapping(paths)
    framework, mapping_problems = load_framework(site_data)
    # The comparison kinds (data/_comparisons.yaml) sit next to the mapping they refer to.
    comparisons, comparison_problems = load_comparisons(site_data)
    result = LoadResult(
        problems=problems + mapping_problems + comparison_problems,
        files=len(files),
        framework=framework,
        comparisons=comparisons,
    )
    # From the content-hash cache where the bytes are unchanged; misses in parallel.
    loaded, result.cache_stats = cache.load_all(
        files,
        data_root,
        load_project,
        cache.directory(cache_path),
        progress,
        result.digests,
        result.contents,
        memory,
    )
    for project, file_problems in loaded:
        result.problems.extend(file_problems)
        if project is not None:
            result.projects.append(project)
    result.problems.extend(cross_checks(result.projects))
    if memory is not None and memory.linted_with != framework:
        memory.lints.clear()  # linted against another framework: every project again
        memory.linted_with = framework
    for project in result.projects:
        result.problems.extend(_lint(project, framework, memory))
    if memory is not None:  # only this build's projects stay remembered
        current = {id(project) for project in result.projects}
        memory.lints = {key: kept for key, kept in memory.lints.items() if key in current}
    result.problems.sort(key=Problem.sort_key)
    return result


def _lint(project: Project, framework: Framework, memory: cache.Memory | None) -> list[Problem]:
    """The editor lint of one project; a long-lived builder lints again only the projects
    whose files changed (a kept file gives the same Project object)."""
    if memory is None:
        return lint_project(project, framework)
    kept = memory.lints.get(id(project))
    if kept is not None and kept[0] is project:
        return list(kept[1])
    problems = lint_project(project, framework)
    memory.lints[id(project)] = (project, problems)
    return list(problems)


def load_project(
    path: Path, display: str, data_root: Path | None = None
) -> tuple[Project | None, list[Problem]]:
    doc, problems = load_file(path, display)
    try:
        source = (
            path.resolve().relative_to(data_root.resolve()).as_posix() if data_root else display
        )
    except ValueError:
        source = display
    return _project(doc, problems, source, display)


def load_project_bytes(raw: bytes, display: str) -> tuple[Project | None, list[Problem]]:
    """One file's bytes, never written to disk, checked as `load_project` checks the file
    `display` (`disclosures validate --stdin`: the web editor's check before it saves)."""
    text, problems = decode(raw, display)
    if text is None:
        return None, problems
    doc, problems = load_text(text, display)
    return _project(doc, problems, display, display)


def _project(
    doc: Document | None, problems: list[Problem], source: str, display: str
) -> tuple[Project | None, list[Problem]]:
    if doc is None or any(p.is_error for p in problems):
        return None, problems
    checked, check_problems = check_document(doc, len(problems))
    problems += check_problems
    if checked is None:
        return None, problems
    lines = {i: doc.where(("indicators", i))[0] for i in range(len(checked["indicators"]))}
    project = build_project(checked, source, lines)
    selfeval, selfeval_problems = build_selfeval(doc, checked, project.indicators)
    problems += selfeval_problems
    if any(p.is_error for p in selfeval_problems):
        return None, problems
    project = replace(  # frozen: everything given at construction, never set afterwards
        project,
        selfeval=selfeval,
        display_path=display,
        name_line=doc.where(("id",) if "id" in doc.data else ("name",)),
        unit_line=doc.where(("unit_id",) if "unit_id" in doc.data else ("unit",)),
    )
    return project, problems


def cross_checks(projects: list[Project]) -> list[Problem]:
    """What no single file can know: two projects claiming one URL, one unit with two slugs,
    two units sharing one slug. Linear in the number of projects."""
    problems: list[Problem] = []
    by_url: dict[str, Project] = {}
    unit_by_slug: dict[str, Project] = {}
    slug_by_unit: dict[tuple[str, str], Project] = {}
    unit_by_look: dict[tuple[str, ...], Project] = {}
    project_by_look: dict[tuple[object, ...], Project] = {}

    def report(project: Project, at: tuple[int, int], field: str, zh: str, en: str) -> None:
        problems.append(Problem(project.display_path, *at, field, zh, en))

    for project in projects:
        # Year, unit and id name the project's page and files (urls.py); case-insensitive
        # file systems would make two of them one.
        key = "/".join(str(part) for part in project.key)
        other = by_url.setdefault(key.casefold(), project)
        if other is not project:
            report(
                project, project.name_line, "id",
                f"网址 /{key}/ 已被 {other.display_path} 使用；"
                "请给其中一个项目填写不同的 id",
                f"URL /{key}/ is already used by {other.display_path}; "
                "give one a distinct id",
            )  # fmt: skip
        first = unit_by_slug.setdefault(project.unit_slug, project)
        if first.unit_identity != project.unit_identity:
            report(
                project, project.unit_line, "unit_id",
                f"单位“{project.unit}”与 {first.display_path} 的单位“{first.unit}”网址标识相同"
                f"（{project.unit_slug}）；请填写 unit_id 加以区分",
                f"units {project.unit!r} and {first.unit!r} ({first.display_path}) share "
                f"the slug {project.unit_slug!r}; set unit_id to tell them apart",
            )  # fmt: skip
        # Two units whose names differ only in traditional or variant characters (`青山區` and
        # `青山区`) look like one to every reader, whatever unit_id says (red-team, sixth session).
        folded = tuple(textpolicy.fold_identity(part or "") for part in project.unit_identity)
        alike = unit_by_look.setdefault(folded, project)
        if alike.unit_identity != project.unit_identity:
            report(
                project, project.unit_line, "unit",
                f"单位“{project.region or ''}{project.unit}”与 {alike.display_path} 的单位"
                f"“{alike.region or ''}{alike.unit}”只是繁体字、异体字、形近字、空格或横线不同，"
                "读者看来是同一个单位；请按原表统一写法（同一单位），或写出不同的名称",
                f"unit {project.region or ''}{project.unit!r} differs from "
                f"{alike.region or ''}{alike.unit!r} ({alike.display_path}) only in traditional, "
                "variant or look-alike characters, spaces or dashes: readers take them for one "
                "unit. Write the "
                "name one way "
                "(one unit), or write a different name",
            )  # fmt: skip
        # Two projects of one unit and year whose names read the same (`自己的项目` and
        # `自已的项目`, a katakana カ for 力, another space or dash), each with its own id:
        # every list shows two entries no reader can tell apart (red-team, ninth session).
        look = (project.year, folded, textpolicy.fold_identity(project.name))
        twin = project_by_look.setdefault(look, project)
        if twin is not project and twin.name != project.name:
            report(
                project, project.name_line, "name",
                f"项目名称“{project.name}”与 {twin.display_path} 的“{twin.name}”只是繁体字、"
                "异体字、形近字、空格或横线不同，读者看来是同一个项目；请按原表统一写法，"
                "或写出不同的名称",
                f"project name {project.name!r} differs from {twin.name!r} "
                f"({twin.display_path}) only in traditional, variant or look-alike characters, "
                "spaces or dashes: readers take them for one project. Write the name one way, "
                "or write a different name",
            )  # fmt: skip
        same_name = slug_by_unit.setdefault(project.unit_identity, project)
        if same_name.unit_slug != project.unit_slug:
            report(
                project, project.unit_line, "unit_id",
                f"同一单位“{project.unit}”在 {same_name.display_path} 中的网址标识是"
                f" {same_name.unit_slug}，这里是 {project.unit_slug}",
                f"unit {project.unit!r} has slug {same_name.unit_slug!r} in "
                f"{same_name.display_path} but {project.unit_slug!r} here",
            )  # fmt: skip
    return problems


def validate_paths(paths: Iterable[Path]) -> list[Problem]:
    return load_projects(paths).problems
