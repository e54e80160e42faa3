"""The corpus report: every real table of tests/corpus/ through the real `disclosures import`.

Each source listed in tests/corpus/INDEX.yaml is imported on its own with the real command
into a temporary folder; each draft is compared, field by field, with the hand-checked
expected files of that source (tests/corpus/expected/<source stem>/*.yaml). Drafts of the
tables that state everything the format requires are then validated (`disclosures validate`)
and built into one real site (`disclosures build`), as an editor would without hand edits.
A draft that builds is then read back from the built site (each project's project.json
download, not the draft): it counts as built with the expected values only when the site shows
the hand-checked file's name, unit, year, budget amounts and every indicator's levels, name
and target (see `site_differences`). A draft that builds with a cut name is a build, not a
right one.

How fields are counted:
- every value of an expected file is one field, at a flattened path (`budget.total`,
  `sections.annual_goal`, `indicators[3].target`); `notes`, `id` and `unit_id` are the
  editor's own words, not the source's, and are not counted;
- a field is found when the draft has the same text at the matching path once whitespace is
  left out (a PDF's wrapped line, `= 8` written from two cells beside `=8`; Chinese text has
  no spaces that carry meaning);
  money is compared as an amount in 元 (`250万` = `2500000`);
- list rows (indicators, budget.lines, extra) are matched by an order-preserving alignment
  that maximises the number of equal fields: a missing or an extra row does not shift the
  rows after it, and a row with a wrong level1 still counts its other fields;
- the projects of a page are matched to the drafts by the most fields in common;
- draft fields with no counterpart in the expected file are counted as `extra` (shown, not
  part of the ratio: something imported that the hand-checked file does not state).

`python tools/corpus_report.py` (or `make corpus`) prints the figures per file, per layout
family and overall; `-v` lists every field not found. tests/test_corpus.py runs the same code.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus"
INDEX = CORPUS / "INDEX.yaml"
FLOOR = CORPUS / "FLOOR"
DISCLOSURES = str(Path(sys.executable).parent / "disclosures")

sys.path.insert(0, str(REPO / "plugins"))
from disclosures.load import load_file  # noqa: E402
from disclosures.money import parse_yuan  # noqa: E402
from disclosures.problems import ValueProblem  # noqa: E402

# The layout families of the corpus: how the table's text arrives (one per source).
FAMILIES = {
    "pdf-text": "PDF 文字层：一行一个表格行，折行、几级指标挤在一行",
    "web-one-cell-per-line": "网页表格压平：一个单元格一行（空单元格为空行）",
    "row-per-line": "网页表格压平：一个表格行一行，单元格之间是空格",
    "pipe-table": "单元格之间用 | 分隔",
    "tsv": "单元格之间用 Tab 分隔（从网页或 Excel 复制）",
    "wide-multi-project": "一张宽表里有几个项目（每个项目一行或一组行）",
    "two-tables": "一页里有两张（或更多）目标表",
    "twin-columns": "中期/年度（长期/年度）两组并列栏目",
    "split-operator-columns": "计算符号、目标值、计量单位分栏",
    "narrative-then-table": "表前有编号的文字段落（项目概况、立项依据……）",
    "selfeval": "项目支出绩效自评表（与语料中的目标表同单位、同项目、同年度）",
}
# Keys that are the editor's words, not the source's.
NOT_COUNTED = {"notes", "id", "unit_id"}
LIST_KEYS = {"indicators", "extra", "budget.lines"}
# Identity fields the format is adding (issue 13); accepted in expected files already.
NEW_FIELDS = {"region", "unit_code"}


# -- the index ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One source of the corpus and what is known about it (tests/corpus/INDEX.yaml)."""

    file: str  # path under tests/corpus/
    url: str
    province: str
    family: str
    traits: tuple[str, ...]
    fully_stated: tuple[str, ...]  # expected file names whose draft must validate and build
    cut: str  # what was cut from the page ("" when kept whole)
    notes: str
    pair: str  # selfeval: the target table's source file
    held_out: str  # who added it as a held-out table (expected written before any import run)
    first_figure: str  # fields found / expected at that first run ("45/46"), before any tuning
    # How the layout was made when it was not found as published (the cells are real, the
    # separators were written here); "" for a source found as it is. Reported apart.
    constructed: str = ""

    @property
    def path(self) -> Path:
        return CORPUS / self.file

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    @property
    def expected_dir(self) -> Path:
        return CORPUS / "expected" / self.stem

    def expected_files(self) -> list[Path]:
        if not self.expected_dir.is_dir():
            return []
        return sorted(self.expected_dir.glob("*.yaml"))


def load_index(path: Path = INDEX) -> list[Entry]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for item in raw["sources"]:
        stated = item.get("fully_stated", False)
        stem = Path(item["file"]).stem
        if stated is True:
            names = tuple(p.name for p in sorted((CORPUS / "expected" / stem).glob("*.yaml")))
        elif stated is False:
            names = ()
        else:
            names = tuple(stated)
        entries.append(
            Entry(
                file=item["file"],
                url=item["url"],
                province=item["province"],
                family=item["family"],
                traits=tuple(item.get("traits", ())),
                fully_stated=names,
                cut=item.get("cut", "") or "",
                notes=item.get("notes", "") or "",
                pair=item.get("pair", "") or "",
                held_out=item.get("held_out", "") or "",
                first_figure=str(item.get("first_figure", "") or ""),
                constructed=item.get("constructed", "") or "",
            )
        )
    return entries


def read_floor(path: Path = FLOOR) -> dict[str, float]:
    """tests/corpus/FLOOR: `fields: 0.875` (found/expected) and `builds: 5` (a ratchet)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, value = line.split(":", 1)
            values[key.strip()] = float(value)
    return values


def load_project(path: Path) -> dict[str, Any]:
    """A YAML project file as the site's loader reads it (every scalar as text)."""
    doc, problems = load_file(path)
    errors = [p for p in problems if p.is_error]
    if doc is None or errors:
        raise ValueError(f"{path}: {errors}")
    return doc.data


# -- flattening and comparing --------------------------------------------------------------------
def normal(value: Any) -> str:
    """The text for display: runs of whitespace as one space."""
    return " ".join(str(value).split())


def bare(value: Any) -> str:
    """The text for comparing: without whitespace (a PDF's wrap, `= 8` beside `=8`)."""
    return "".join(str(value).split())


def is_money(path: str) -> bool:
    return path.startswith("budget.") and (path.count(".") == 1 or path.endswith(".amount"))


def same(path: str, expected: Any, got: Any) -> bool:
    if got is None:
        return False
    if is_money(path):
        try:
            return parse_yuan(normal(expected)) == parse_yuan(normal(got))
        except ValueProblem:
            pass
    return bare(expected) == bare(got)


def scalars(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every scalar outside the lists, empty values left out."""
    for key, value in data.items():
        path = prefix + key
        if not prefix and key in NOT_COUNTED or path in LIST_KEYS:
            continue
        if isinstance(value, dict):
            yield from scalars(value, path + ".")
        elif value is not None and normal(value) != "":
            yield path, value


def rows(data: dict[str, Any], path: str) -> list[dict[str, Any]]:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return []
    return [
        {k: v for k, v in row.items() if v is not None and normal(v) != ""}
        for row in node
        if isinstance(row, dict)
    ]


def row_score(path: str, expected: dict[str, Any], got: dict[str, Any]) -> int:
    return sum(same(f"{path}[].{k}", v, got.get(k)) for k, v in expected.items())


def align(path: str, expected: list[dict], got: list[dict]) -> list[tuple[int, int]]:
    """Order-preserving pairs (expected row, draft row) with the most equal fields."""
    n, m = len(expected), len(got)
    score = [[row_score(path, e, g) for g in got] for e in expected]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + score[i][j] if score[i][j] else -1
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if score[i][j] and best[i][j] == best[i + 1][j + 1] + score[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    missing: list[tuple[str, str, str]] = field(default_factory=list)  # path, expected, draft
    unexpected: list[tuple[str, str]] = field(default_factory=list)  # path, draft value

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.found += other.found
        self.missing += other.missing
        self.unexpected += other.unexpected

    @property
    def extra(self) -> int:
        return len(self.unexpected)

    @property
    def ratio(self) -> float:
        return self.found / self.expected if self.expected else 1.0


def compare(expected: dict[str, Any], draft: dict[str, Any] | None) -> Score:
    """Field by field: what of the expected file the draft holds at the same place."""
    draft = draft or {}
    score = Score()
    got = dict(scalars(draft))
    for path, value in scalars(expected):
        score.expected += 1
        if same(path, value, got.get(path)):
            score.found += 1
        else:
            score.missing.append((path, normal(value), normal(got.get(path, "—"))))
    wanted = dict(scalars(expected))
    score.unexpected += [(path, normal(v)) for path, v in got.items() if path not in wanted]
    for key in sorted(LIST_KEYS):
        want, have = rows(expected, key), rows(draft, key)
        pairs = dict(align(key, want, have))
        for i, row in enumerate(want):
            other = have[pairs[i]] if i in pairs else {}
            for name, value in row.items():
                score.expected += 1
                if same(f"{key}[].{name}", value, other.get(name)):
                    score.found += 1
                else:
                    shown = normal(other.get(name, "—"))
                    score.missing.append((f"{key}[{i}].{name}", normal(value), shown))
            score.unexpected += [
                (f"{key}[{i}].{name}", normal(v)) for name, v in other.items() if name not in row
            ]
        matched = set(pairs.values())
        score.unexpected += [
            (f"{key}[+{j}].{name}", normal(v))
            for j, r in enumerate(have)
            if j not in matched
            for name, v in r.items()
        ]
    return score


def match_projects(
    expected: list[dict[str, Any]], drafts: list[dict[str, Any]]
) -> list[int | None]:
    """For each expected project, the index of its draft (most fields in common), or None."""
    found = [[compare(e, d).found for d in drafts] for e in expected]
    chosen: list[int | None] = [None] * len(expected)
    pairs = sorted(
        ((found[i][j], i, j) for i in range(len(expected)) for j in range(len(drafts))),
        reverse=True,
    )
    used: set[int] = set()
    for count, i, j in pairs:
        if count and chosen[i] is None and j not in used:
            chosen[i] = j
            used.add(j)
    return chosen


# -- running the real commands ---------------------------------------------------------------------
def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DISCLOSURES, *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@dataclass
class ProjectResult:
    expected_file: Path
    score: Score
    draft_path: Path | None
    fully_stated: bool
    validates: bool | None = None  # None: not a fully stated table
    builds: bool | None = None
    # What the built site shows that differs from the expected file (read from the site's
    # project.json); None when the draft was not built.
    differences: list[str] | None = None

    @property
    def builds_as_expected(self) -> bool:
        return bool(self.builds) and self.differences == []


@dataclass
class SourceResult:
    entry: Entry
    status: int
    stderr: str
    drafts: list[Path]
    projects: list[ProjectResult]

    @property
    def crashed(self) -> bool:
        return self.status not in (0, 1, 3) or "Traceback" in self.stderr

    @property
    def score(self) -> Score:
        total = Score()
        for project in self.projects:
            total.add(project.score)
        return total


def import_source(entry: Entry, out: Path) -> SourceResult:
    result = run_cli("import", str(entry.path), "--out", str(out))
    drafts = sorted(out.rglob("*.yaml")) if out.exists() else []
    loaded = []
    for path in drafts:
        try:
            loaded.append(load_project(path))
        except ValueError:
            loaded.append({})
    expected_paths = entry.expected_files()
    expected = [load_project(p) for p in expected_paths]
    chosen = match_projects(expected, loaded)
    projects = []
    for path, want, j in zip(expected_paths, expected, chosen, strict=True):
        projects.append(
            ProjectResult(
                expected_file=path,
                score=compare(want, loaded[j] if j is not None else None),
                draft_path=drafts[j] if j is not None else None,
                fully_stated=path.name in entry.fully_stated,
            )
        )
    return SourceResult(entry, result.returncode, result.stderr, drafts, projects)


def check_builds(results: list[SourceResult], work: Path, everything: bool = False) -> str:
    """Validate the drafts of fully stated tables; build those that validate into one site.

    With `everything`, the drafts of the other tables are validated too and those that
    validate anyway (the importer filled in what the source lacks, or the validator asks for
    nothing it lacks) are built into a second site and read back the same way: a draft an
    editor could publish without hand edits, showing wrong values, is the costly case.

    Returns the build's output when it failed (each draft is then built on its own to tell
    which ones break it), "" otherwise.
    """
    usable = [(r, p) for r in results for p in r.projects if not r.crashed]
    failures = [_validate_and_build([(r, p) for r, p in usable if p.fully_stated], work / "stated")]
    if everything:
        others = [(r, p) for r, p in usable if not p.fully_stated]
        failures.append(_validate_and_build(others, work / "others"))
    return "; ".join(f for f in failures if f)


def _validate_and_build(candidates: list[tuple[SourceResult, ProjectResult]], work: Path) -> str:
    for _r, project in candidates:
        project.validates = False
        project.builds = False
        if project.draft_path is not None:
            check = run_cli("validate", str(project.draft_path))
            project.validates = check.returncode == 0
    good = [(r, p) for r, p in candidates if p.validates]
    if not good:
        return ""
    failure = ""
    if build_site(good, work / "all"):
        for _r, project in good:
            project.builds = True
    else:
        failure = f"combined build of {work.name} failed; each draft built on its own"
        for n, (r, p) in enumerate(good):
            p.builds = build_site([(r, p)], work / f"one-{n}")
    return failure


def build_site(items: list[tuple[SourceResult, ProjectResult]], folder: Path) -> bool:
    """Build the drafts into one site; True when it built and shows every project's page.

    Each built project is then read back from the site's own project.json (the download a
    reader gets) and compared with its hand-checked expected file (`differences`).
    """
    data = folder / "data"
    placed: dict[str, ProjectResult] = {}
    for n, (_r, project) in enumerate(items):
        assert project.draft_path is not None
        name = f"{n:03d}/{project.draft_path.name}"
        placed[name] = project
        target = data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(project.draft_path, target)
    output = folder / "output"
    result = run_cli(
        "build", "--settings", "pelicanconf.py", "--output", str(output), "--data", str(data)
    )
    if result.returncode != 0:
        return False
    titles = {
        normal(page.read_text(encoding="utf-8").split("<h1>", 1)[1].split("</h1>", 1)[0])
        for page in output.glob("[0-9][0-9][0-9][0-9]/*/*/index.html")
        if "<h1>" in page.read_text(encoding="utf-8")
    }
    names = [normal(load_project(p.draft_path)["name"]) for _r, p in items if p.draft_path]
    if not all(escape_html(name) in titles for name in names):
        return False
    shown = built_records(output)
    for name, project in placed.items():
        record = shown.get(name)
        want = load_project(project.expected_file)
        project.differences = (
            site_differences(want, record) if record else ["no project.json on the site"]
        )
    return True


def built_records(output: Path) -> dict[str, dict[str, Any]]:
    """The built site's project.json records by the data file they were built from."""
    records = {}
    for path in output.glob("[0-9][0-9][0-9][0-9]/*/*/project.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        records[record["data_file"]] = record
    return records


def site_differences(expected: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """What a built project (its project.json) shows that differs from the expected file.

    Compared: name, unit and year; region and unit_code where the expected file states them;
    every budget amount both ways (an amount the site shows and the source does not state is
    invented), keyed ones by key and line items in order with their labels; the indicator rows
    in order and in number, each with its level1, level2, name and target as written (a blank
    on one side and text on the other differ). Text is compared without whitespace, as the
    field count does. [] means the site shows what the source states.
    """
    out: list[str] = []

    def check(path: str, want: Any, got: Any) -> None:
        want = "" if want is None else want
        got = "" if got is None else got
        if bare(want) != bare(got):
            out.append(f"{path}: expected {normal(want) or '—'!r}, site {normal(got) or '—'!r}")

    for key in ("name", "unit", "year"):
        check(key, expected.get(key), record.get(key))
    header = {h["key"]: h["value"] for h in record.get("header", [])}
    for key in ("region", "unit_code"):
        if expected.get(key):
            check(key, expected[key], header.get(key))
    budget = expected.get("budget") or {}
    keyed = {b["key"]: b["yuan"] for b in record.get("budget", []) if b["key"]}
    for key in sorted(set(budget) - {"lines"} | {k for k, v in keyed.items() if v is not None}):
        check(f"budget.{key}", _yuan(budget.get(key)), keyed.get(key))
    want_lines = [(x.get("label"), _yuan(x.get("amount"))) for x in budget.get("lines") or []]
    got_lines = [(b["label"], b["yuan"]) for b in record.get("budget", []) if not b["key"]]
    if len(want_lines) != len(got_lines):
        out.append(f"budget.lines: expected {len(want_lines)} lines, site {len(got_lines)}")
    for i, (want, got) in enumerate(zip(want_lines, got_lines, strict=False)):
        check(f"budget.lines[{i}].label", want[0], got[0])
        check(f"budget.lines[{i}].amount", want[1], got[1])
    want_rows = expected.get("indicators") or []
    got_rows = record.get("indicators") or []
    if len(want_rows) != len(got_rows):
        out.append(f"indicators: expected {len(want_rows)} rows, site {len(got_rows)}")
    for i, (want, got) in enumerate(zip(want_rows, got_rows, strict=False)):
        for key in ("level1", "level2", "name"):
            check(f"indicators[{i}].{key}", want.get(key), got.get(key))
        written = (got.get("target") or {}).get("written")
        check(f"indicators[{i}].target", want.get("target"), written)
    return out


def _yuan(value: Any) -> int | None:
    """An expected amount in 元 (the expected files hold integer 元; blank stays None)."""
    if value is None or normal(value) == "":
        return None
    return parse_yuan(normal(value))


def escape_html(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )


def run_corpus(
    entries: Iterable[Entry], work: Path, builds: bool = True, everything: bool = False
) -> tuple[list[SourceResult], str]:
    # Two imports at a time: each is a process of its own, mostly start-up and waiting.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda e: import_source(e, work / "drafts" / e.stem), entries))
    failure = check_builds(results, work / "sites", everything) if builds else ""
    return results, failure


# -- the report ------------------------------------------------------------------------------------
def percent(score: Score) -> str:
    return f"{score.found:4d} / {score.expected:4d}  {100 * score.ratio:5.1f} %"


def overall(results: list[SourceResult]) -> Score:
    total = Score()
    for r in results:
        total.add(r.score)
    return total


def _held_out(results: list[SourceResult]) -> list[str]:
    """Sources added as held-out tables: their figure now beside the first one, measured
    before anyone tuned the importer to them (INDEX `first_figure`)."""
    held = [r for r in results if r.entry.held_out]
    if not held:
        return []
    lines = [
        "",
        "held-out sources (expected written before the first import run; first figure then):",
    ]
    first = [0, 0]
    for r in held:
        found, _, expected = r.entry.first_figure.partition("/")
        if found.strip().isdigit() and expected.strip().isdigit():
            first[0] += int(found)
            first[1] += int(expected)
        made = "  [layout constructed]" if r.entry.constructed else ""
        lines.append(
            f"  {r.entry.stem:<48} now {r.score.found:4d} / {r.score.expected:4d}"
            f"   first {r.entry.first_figure or '?':>9}   ({r.entry.held_out}){made}"
        )
    total = overall(held)
    share = f"{first[0] / first[1]:.1%}" if first[1] else "?"
    lines.append(f"  all held-out: now {percent(total)}   first {first[0]} / {first[1]} {share}")
    lines += _held_out_batches(held)
    return lines


def held_out_batch(held_out: str) -> str:
    """Who added a held-out source and when ("i13-corpus, session 6"): the words of INDEX
    `held_out` before any commit or tuning note, so one batch's first figures add up."""
    return held_out.split(";")[0].split("(")[0].strip(" ,") or "?"


def _held_out_batches(held: list[SourceResult]) -> list[str]:
    """First and current figures per batch: a batch's first figure is what unseen tables of
    that time gave, the honest expectation; later batches show whether it moved."""
    batches: dict[str, list[SourceResult]] = {}
    for r in held:
        batches.setdefault(held_out_batch(r.entry.held_out), []).append(r)
    lines = ["  by batch (first figure, then now):"]
    for name, members in batches.items():
        first = Score()
        for r in members:
            found, _, expected = r.entry.first_figure.partition("/")
            if found.strip().isdigit() and expected.strip().isdigit():
                first.found += int(found)
                first.expected += int(expected)
        lines.append(
            f"    {name:<28} {len(members):2d} files   first {percent(first)}"
            f"   now {percent(overall(members))}"
        )
    return lines


def report(results: list[SourceResult], failure: str = "", verbose: bool = False) -> str:
    lines = ["语料对照 / corpus: fields found / expected (draft vs hand-checked)", ""]
    width = max((len(r.entry.stem) for r in results), default=10)
    for r in results:
        s = r.score
        flag = "CRASH" if r.crashed else f"exit {r.status}"
        built = [p for p in r.projects if p.fully_stated]
        build = ""
        if built:
            ok = sum(1 for p in built if p.builds)
            build = f"  builds {ok}/{len(built)}"
        counts = f"{len(r.drafts)}/{len(r.projects)} drafts"
        line = f"{r.entry.stem:<{width}}  {percent(s)}  extra {s.extra:3d}  {counts}  {flag}"
        lines.append(line + build)
        if verbose:
            for path, want, got in s.missing:
                lines.append(f"    {path}: expected {want!r}, draft {got!r}")
            for path, got in s.unexpected:
                lines.append(f"    + {path}: draft {got!r}, not in the expected file")
    lines += ["", "per layout family (a source counts once, under its family):"]
    for family in FAMILIES:
        members = [r for r in results if r.entry.family == family]
        if members:
            lines.append(f"  {family:<24} {len(members):3d} files  {percent(overall(members))}")
    lines += ["", "per trait (every source showing the layout, family or trait):"]
    for family in FAMILIES:
        members = [r for r in results if family in (r.entry.family, *r.entry.traits)]
        if members:
            lines.append(f"  {family:<24} {len(members):3d} files  {percent(overall(members))}")
    provinces: dict[str, list[SourceResult]] = {}
    for r in results:
        provinces.setdefault(r.entry.province, []).append(r)
    lines += ["", f"per province ({len(provinces)}):"]
    for province, members in sorted(provinces.items(), key=lambda item: -len(item[1])):
        lines.append(f"  {province:<6} {len(members):3d} files  {percent(overall(members))}")
    lines += _held_out(results)
    total = overall(results)
    lines += ["", f"overall: {percent(total)}  (extra fields in drafts: {total.extra})"]
    made = [r for r in results if r.entry.constructed]
    if made:  # real cells in a layout written here are no evidence of layouts met as published
        found = [r for r in results if not r.entry.constructed]
        lines.append(
            f"  of which layouts constructed from real cells: {len(made)} files"
            f"  {percent(overall(made))};  sources as found: {percent(overall(found))}"
        )
    stated = [(r, p) for r in results for p in r.projects if p.fully_stated]
    building = [(r, p) for r, p in stated if p.builds]
    right = [(r, p) for r, p in building if p.builds_as_expected]
    lines.append(
        f"fully stated tables that validate and build without hand edits: "
        f"{len(building)} / {len(stated)}"
    )
    lines.append(
        f"  of which the built site shows the expected values "
        f"(name, unit, year, money, indicators): {len(right)} / {len(stated)}"
    )
    lines += [_build_mark(r, p, verbose) for r, p in stated]
    others = [(r, p) for r in results for p in r.projects if not p.fully_stated and p.validates]
    checked = [
        p for r in results for p in r.projects if not p.fully_stated and p.validates is not None
    ]
    if checked:  # --all-drafts: drafts an editor could publish though the source lacks a field
        shown = [(r, p) for r, p in others if p.builds_as_expected]
        lines.append(
            f"tables not fully stated whose draft validates anyway: {len(others)} / {len(checked)}"
            f"  (built, the site shows the expected values: {len(shown)})"
        )
        lines += [_build_mark(r, p, verbose) for r, p in others]
    if failure:
        lines.append(f"  ({failure})")
    crashed = [r.entry.stem for r in results if r.crashed]
    lines.append(f"sources that crashed the importer: {len(crashed)} {' '.join(crashed)}")
    return "\n".join(lines)


def _build_mark(r: SourceResult, p: ProjectResult, verbose: bool = False) -> str:
    """One table's line under the build figures: what became of its draft on a real site."""
    if p.draft_path is None:
        mark = "no draft"
    elif p.validates is None:
        mark = "not checked"
    elif p.builds_as_expected:
        mark = "builds, with the expected values"
    elif p.builds:
        wrong = p.differences or []
        shown = wrong if verbose else wrong[:3]
        mark = f"builds, {len(wrong)} values differ on the site: " + "; ".join(shown)
        if len(wrong) > len(shown):
            mark += f"; … (+{len(wrong) - len(shown)}, -v lists them)"
    else:
        mark = "validates, does not build" if p.validates else "does not validate"
    return f"  {r.entry.stem}/{p.expected_file.name}: {mark}"


def joined(entries: Iterable[Entry], work: Path) -> list[Entry]:
    """Each source whose cells arrive separated, with every separator removed (no `|`, space,
    tab or line break left outside its `# ` provenance lines): the same real tables as a
    document-sharing site or an OCR copy gives them. Sources that already arrive run together
    (family pdf-text) are left out. The expected files stay the same (same stem), so the figure
    says how much of a table the importer still reads when nothing marks its cells."""
    out = []
    for e in entries:
        if e.family == "pdf-text":
            continue
        lines = e.path.read_text(encoding="utf-8").split("\n")
        notes = [line for line in lines if line.startswith("# ")]
        cells = (line for line in lines if not line.startswith("# "))
        text = "".join("".join(line.split()).replace("|", "") for line in cells)
        path = work / "joined" / Path(e.file).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([*notes, text]) + "\n", encoding="utf-8")
        out.append(replace(e, file=str(path), fully_stated=(), first_figure="", held_out=""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every field missed")
    parser.add_argument("--only", nargs="*", help="source stems (or parts of them) to run")
    parser.add_argument("--no-build", action="store_true", help="skip validate and build")
    parser.add_argument(
        "--all-drafts",
        action="store_true",
        help="also validate the drafts of tables not fully stated, build those that validate "
        "and compare the built site with the expected values (slow: one validate per draft)",
    )
    parser.add_argument(
        "--joined",
        action="store_true",
        help="the sources with every cell separator removed (how a run-together copy reads)",
    )
    args = parser.parse_args(argv)
    entries = load_index()
    if args.only:
        entries = [e for e in entries if any(part in e.stem for part in args.only)]
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        if args.joined:
            entries = joined(entries, Path(tmp))
        results, failure = run_corpus(
            entries, Path(tmp), builds=not args.no_build, everything=args.all_drafts
        )
        print(report(results, failure, verbose=args.verbose))
    return 1 if any(r.crashed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
