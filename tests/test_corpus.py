"""The development corpus: real published tables through the real `disclosures import`.

Every source of tests/corpus/ is imported with the real command into a temporary folder and
its drafts compared field by field with the hand-checked expected files (how fields are
counted and rows matched: tools/corpus_report.py, which `make corpus` runs). The drafts of
fully stated tables are validated and built into a real site. The share of expected fields
found must not fall below tests/corpus/FLOOR (a ratchet: raise it when the importer gets
better), nor the number of fully stated tables that build; no source may crash the importer.
Run with -s (or `make corpus`) to see the report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import corpus_report as corpus  # noqa: E402
from disclosures import fields as F  # noqa: E402

ENTRIES = corpus.load_index()


class _Summary:
    """Prints the corpus report at the end of the pytest run (plain runs, not xdist workers)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001 - pytest hook
        terminalreporter.section("corpus report (tools/corpus_report.py)")
        terminalreporter.write_line(self.text)


@pytest.fixture(scope="module")
def run(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[list[corpus.SourceResult], str]:
    work = tmp_path_factory.mktemp("corpus")
    results, failure = corpus.run_corpus(ENTRIES, work)
    text = corpus.report(results, failure)
    print("\n" + text)
    request.config.pluginmanager.register(_Summary(text), "corpus-summary")
    return results, failure


# -- the corpus itself ----------------------------------------------------------------------------
def test_index_lists_every_source_once_with_its_metadata() -> None:
    listed = [e.file for e in ENTRIES]
    assert len(listed) == len(set(listed))
    on_disk = {f"sources/{p.name}" for p in (corpus.CORPUS / "sources").iterdir()}
    assert set(listed) == on_disk, "every source file is listed in INDEX.yaml, and only those"
    for e in ENTRIES:
        assert e.path.is_file(), e.file
        assert e.family in corpus.FAMILIES, (e.file, e.family)
        assert set(e.traits) <= set(corpus.FAMILIES), (e.file, e.traits)
        assert e.url and e.province, e.file
        names = {p.name for p in e.expected_files()}
        assert set(e.fully_stated) <= names, e.file
        if e.family == "selfeval":
            assert e.pair in listed, f"{e.file}: its target table ({e.pair}) is in the corpus"
        else:
            assert names, f"{e.file}: hand-checked expected files in {e.expected_dir}"
        if e.held_out:  # its first figure, measured before any tuning, stays on record
            found, _, expected = e.first_figure.partition("/")
            assert found.isdigit() and expected.isdigit(), (e.file, e.first_figure)
            assert int(found) <= int(expected), (e.file, e.first_figure)
    expected_dirs = {p.name for p in (corpus.CORPUS / "expected").iterdir()}
    assert expected_dirs <= {e.stem for e in ENTRIES}, "no expected files without a source"


def _known_keys(declared: tuple[F.Field, ...], prefix: str = "") -> set[str]:
    keys = set()
    for f in declared:
        keys.add(prefix + f.key)
        keys |= _known_keys(f.children, prefix + f.key + ".")
    return keys


KNOWN = _known_keys(F.PROJECT) | corpus.NEW_FIELDS


def _keys(data: object, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        out = set()
        for k, v in data.items():
            out.add(prefix + k)
            out |= _keys(v, prefix + k + ".")
        return out
    if isinstance(data, list):
        return set().union(*(_keys(item, prefix) for item in data)) if data else set()
    return set()


@pytest.mark.parametrize(
    "path",
    [p for e in ENTRIES for p in e.expected_files()],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_expected_file_is_in_the_project_format(path: Path) -> None:
    data = corpus.load_project(path)
    assert _keys(data) <= KNOWN, f"unknown fields: {_keys(data) - KNOWN}"
    assert "form" in data, path
    assert data["form"] in F.FORMS
    for key, value in (data.get("budget") or {}).items():
        amounts = [line.get("amount") for line in value] if key == "lines" else [value]
        for amount in amounts:
            assert amount is None or str(amount).isdigit(), f"{key}: money as integer 元"
    if "unit_code" in data:
        assert data["unit_code"] not in data["unit"], "the code is not part of the unit's name"


# -- the importer on the corpus --------------------------------------------------------------------
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.stem)
def test_source_imports_without_crashing(
    entry: corpus.Entry, run: tuple[list[corpus.SourceResult], str]
) -> None:
    result = next(r for r in run[0] if r.entry == entry)
    assert not result.crashed, f"exit {result.status}:\n{result.stderr[-3000:]}"


def test_found_share_does_not_fall_below_the_floor(
    run: tuple[list[corpus.SourceResult], str],
) -> None:
    results, _failure = run
    total = corpus.overall(results)
    floor = corpus.read_floor()["fields"]
    assert total.expected > 0
    assert round(total.ratio, 4) >= floor, (
        f"{total.found}/{total.expected} = {total.ratio:.4f} < floor {floor} "
        f"(tests/corpus/FLOOR)\n" + corpus.report(results, verbose=True)
    )


def test_fully_stated_tables_validate_and_build(
    run: tuple[list[corpus.SourceResult], str],
) -> None:
    results, failure = run
    stated = [(r, p) for r in results for p in r.projects if p.fully_stated]
    assert stated, "the corpus has fully stated tables"
    building = [p for _r, p in stated if p.builds]
    floor = corpus.read_floor()["builds"]
    assert all(p.builds for p in building if p.validates), failure
    assert len(building) >= floor, (
        f"{len(building)} of {len(stated)} fully stated tables build without hand edits, "
        f"fewer than {floor:.0f} (tests/corpus/FLOOR):\n" + corpus.report(results, failure)
    )


def test_fully_stated_tables_build_with_the_expected_values(
    run: tuple[list[corpus.SourceResult], str],
) -> None:
    """A draft that builds counts as right only when the built site (its project.json) shows
    the hand-checked name, unit, year, money and indicators: a build with a cut name or a
    shifted level is a build, not the table."""
    results, failure = run
    stated = [(r, p) for r in results for p in r.projects if p.fully_stated]
    right = [p for _r, p in stated if p.builds_as_expected]
    floor = corpus.read_floor()["values"]
    assert len(right) >= floor, (
        f"{len(right)} of {len(stated)} fully stated tables build with the expected values, "
        f"fewer than {floor:.0f} (tests/corpus/FLOOR):\n" + corpus.report(results, failure)
    )


def _as_draft(source: Path, folder: Path, n: int, edits: tuple[tuple[str, str], ...] = ()) -> Path:
    """A copy of a project file with its own URL name (`id`: two layouts of one table in the
    corpus are the same project) and the text edits given."""
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = folder / f"{n:03d}.yaml"
    target.write_text(f"id: corpus-{n:03d}\n" + text, encoding="utf-8")
    return target


def test_site_check_passes_the_expected_files_and_names_what_a_wrong_draft_shows(
    tmp_path: Path,
) -> None:
    """The value check on a real built site: every fully stated expected file, built as a
    draft, shows exactly itself (no false alarm from labels, money or the site's own
    fields); a plausible wrong draft of a real table (name cut by a wrapped cell, levels
    swapped, 万元 read as 元, an invented total, the region lost) is told apart, field by field."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    items = []
    for e in ENTRIES:
        for name in e.fully_stated:
            path = e.expected_dir / name
            draft = _as_draft(path, drafts, len(items))
            items.append(corpus.ProjectResult(path, corpus.Score(), draft, True))
    assert len(items) >= 15
    real = next(e for e in ENTRIES if e.stem.startswith("019_")).expected_dir / "01.yaml"
    wrong = _as_draft(
        real,
        drafts,
        len(items),
        (
            ("name: 特困家庭再扶助(独生子女死亡再扶助)", "name: 特困家庭再扶助(独生子女死"),
            ("region: 广元市昭化区\n", ""),
            ("budget:\n  lines:", "budget:\n  total: 63000\n  lines:"),
            ("amount: 63000", "amount: 630000000"),
            (
                "- level1: 项目完成指标\n    level2: 数量指标",
                "- level1: 数量指标\n    level2: 项目完成指标",
            ),
        ),
    )
    items.append(corpus.ProjectResult(real, corpus.Score(), wrong, True))
    source = corpus.SourceResult(ENTRIES[0], 0, "", [], [])
    assert corpus.build_site([(source, p) for p in items], tmp_path / "site")
    for p in items[:-1]:
        assert p.differences == [], f"{p.expected_file}: {p.differences}"
        assert p.builds_as_expected is False  # `builds` is check_builds' to set
    shown = {line.split(":", 1)[0] for line in items[-1].differences or []}
    assert shown == {
        "name",
        "region",
        "budget.total",
        "budget.lines[0].amount",
        "indicators[0].level1",
        "indicators[0].level2",
    }, items[-1].differences


def test_report_counts_what_it_compares() -> None:
    """The comparison tells a right draft from a plausible wrong one."""
    expected = {
        "form": "national",
        "year": "2021",
        "name": "甲项目",
        "budget": {"total": "30000"},
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "人数", "target": "= 8"},
            {"level1": "产出指标", "level2": "质量指标", "name": "完成率", "target": "≥95%"},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "效果", "target": "明显"},
        ],
    }
    right = {**expected, "budget": {"total": "3万"}}
    assert corpus.compare(expected, right).found == 16
    # a missing first row must not shift the others; a wrong level1 costs one field
    wrong = {
        **expected,
        "year": "2020",
        "indicators": [
            {"level1": "产出指标", "level2": "质量指标", "name": "完成率", "target": "≥ 95"},
            {"level2": "社会 效益指标", "name": "效果", "target": "明显", "unit": "项"},
        ],
    }
    score = corpus.compare(expected, wrong)
    assert score.expected == 16
    assert score.found == 16 - 1 - 4 - 1 - 1  # year, row 1, the target's %, level1
    assert [p for p, _v in score.unexpected] == ["indicators[2].unit"]


def _held(
    stem: str, held_out: str, first: str, found: int, expected: int, constructed: str = ""
) -> corpus.SourceResult:
    entry = corpus.Entry(
        file=f"sources/{stem}.txt",
        url="https://example.gov.cn/",
        province="安徽",
        family="pipe-table",
        traits=(),
        fully_stated=(),
        cut="",
        notes="",
        pair="",
        held_out=held_out,
        first_figure=first,
        constructed=constructed,
    )
    project = corpus.ProjectResult(
        Path("01.yaml"), corpus.Score(expected=expected, found=found), None, False
    )
    return corpus.SourceResult(entry, 3, "", [], [project])


def test_report_adds_up_first_figures_per_held_out_batch() -> None:
    """Each batch of held-out tables keeps its own first figure (what unseen tables gave at
    that time), whatever was tuned later; sources not held out are not counted."""
    results = [
        _held("a", "i13-corpus, session 5 (commit d89ab3b)", "3/10", 9, 10),
        _held("b", "i13-corpus, session 5 (commit d89ab3b); tuned to since", "5/10", 10, 10),
        _held("c", "i13-corpus, session 6 (commit abc1234)", "0/4", 0, 4),
        _held("d", "", "", 20, 20),
    ]
    assert corpus.held_out_batch("i13-importer, session 2; tuned to since (x)") == (
        "i13-importer, session 2"
    )
    text = corpus.report(results)
    lines = [line.strip() for line in text.splitlines()]
    batch5 = next(line for line in lines if line.startswith("i13-corpus, session 5 "))
    batch6 = next(line for line in lines if line.startswith("i13-corpus, session 6 "))
    assert " 2 files" in batch5 and "first    8 /   20   40.0 %" in batch5
    assert "now   19 /   20   95.0 %" in batch5
    assert " 1 files" in batch6 and "first    0 /    4    0.0 %" in batch6


def test_report_sets_layouts_constructed_from_real_cells_apart() -> None:
    """A layout written here from real cells (INDEX `constructed`) is marked in the held-out
    list and its fields are shown apart, so the figure of sources as found stays readable."""
    made = _held("t", "i13-corpus, session 8 (commit 1234567)", "4/10", 5, 10, "Tab-separated")
    results = [made, _held("f", "i13-corpus, session 8 (commit 1234567)", "9/10", 9, 10)]
    text = corpus.report(results)
    held = [line.strip() for line in text.splitlines() if " now " in line]
    marked = next(line for line in held if line.startswith("t "))
    assert marked.endswith("[layout constructed]")
    assert not next(line for line in held if line.startswith("f ")).endswith("constructed]")
    apart = next(line for line in text.splitlines() if "constructed from real cells" in line)
    assert "1 files     5 /   10   50.0 %" in apart
    assert "sources as found:    9 /   10   90.0 %" in apart


def test_joined_copies_keep_the_provenance_and_lose_every_cell_separator(tmp_path: Path) -> None:
    """`--joined`: the same table with nothing between its cells, as a document-sharing copy
    gives it; a source that already arrives run together is not joined again."""
    source = tmp_path / "x_table.txt"
    source.write_text(
        "# source: https://example.gov.cn/a b.html\n# completeness: full\n"
        "项目名称 |\n甲 项目 |\n\n一级指标\t二级指标\n产出指标 | 数量指标 | 人数 | 8人 |\n",
        encoding="utf-8",
    )
    table = corpus.Entry(
        file=str(source), url="u", province="安徽", family="pipe-table", traits=(),
        fully_stated=("01.yaml",), cut="", notes="", pair="", held_out="x, session 1",
        first_figure="1/2",
    )  # fmt: skip
    runon = corpus.replace(table, family="pdf-text")
    [copy] = corpus.joined([table, runon], tmp_path / "work")
    lines = copy.path.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "# source: https://example.gov.cn/a b.html",
        "# completeness: full",
        "项目名称甲项目一级指标二级指标产出指标数量指标人数8人",
    ]
    assert copy.stem == table.stem  # compared with the same expected files
    assert (copy.fully_stated, copy.held_out, copy.first_figure) == ((), "", "")


def test_report_lists_drafts_that_validate_though_the_source_is_not_fully_stated() -> None:
    """`--all-drafts`: a table the source does not fully state whose draft validates anyway
    could be published without hand edits; the report counts such drafts and says what the
    built site shows wrong (all of it with -v)."""
    wrong = [f"indicators[{i}].target: expected '≥95%', site '95'" for i in range(5)]

    def table(stem: str, validates: bool, differences: list[str] | None) -> corpus.SourceResult:
        source = _held(stem, "", "", 9, 10)
        project = source.projects[0]
        project.draft_path = Path(f"/drafts/{stem}.yaml")
        project.validates = validates
        project.builds = validates
        project.differences = differences
        return source

    results = [table("a", True, wrong), table("b", True, []), table("c", False, None)]
    text = corpus.report(results)
    assert "tables not fully stated whose draft validates anyway: 2 / 3" in text
    assert "(built, the site shows the expected values: 1)" in text
    line_a = next(line for line in text.splitlines() if line.startswith("  a/01.yaml"))
    assert "builds, 5 values differ on the site" in line_a and "(+2, -v lists them)" in line_a
    assert "  b/01.yaml: builds, with the expected values" in text
    assert "c/01.yaml" not in text
    verbose = corpus.report(results, verbose=True)
    assert all(w in verbose for w in wrong)
    # without --all-drafts nothing is validated and the line is left out
    assert "validates anyway" not in corpus.report([_held("d", "", "", 1, 2)])
