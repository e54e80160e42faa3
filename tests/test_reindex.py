"""The index a long-lived builder keeps and updates per changed project (reindex.py) is the
index build_index makes from scratch, in order: after each edit of a sequence (a target, a
unit's name, a year, a project added, one deleted, one moved to another unit, the first
project in site order, levels, a name whose slug collides), every list and dict of the
index, Branch.entries and Branch.sources in their first-seen order, and the cached figures
(read before each edit, so a stale one shows) equal a scratch index of the same projects."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from disclosures.cache import Memory
from disclosures.index import SiteIndex, build_index
from disclosures.pagelist import list_pages
from disclosures.pipeline import load_projects
from disclosures.plan import Inputs, KeptOutputs, plan_site
from disclosures.reindex import index_projects
from disclosures.render import pages
from disclosures.urls import Urls
from support import REPO


def _generate(count: int, out: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench/generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(count, out, seed=3)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Synthetic projects (bench/generate.py: shared units, years, indicator names) and the
    real sample data (other forms, levels no rule maps, the mapping, comparison kinds)."""
    folder = tmp_path / "data"
    _generate(160, folder)
    shutil.copytree(REPO / "data", folder, dirs_exist_ok=True)
    return folder


def _use(use) -> tuple:
    return (use.project.key, repr(use.indicator), use.mapped, use.target_label)


def _group(group) -> tuple:
    return (
        group.key,
        group.title,
        [p.key for p in group.projects],
        group.total,
        [p.key for p in group.left_out],
        group.count,
        group.profile,
    )


def _unit(unit) -> tuple:
    return (*_group(unit), unit.years, unit.region, unit.code)


def _branch(branch, groups: dict) -> tuple:
    return (
        branch.level1,
        branch.level2,
        branch.mapped,
        list(branch.sources.items()),  # in first-seen order
        [
            (
                key,
                entry.indicator.key,
                entry.indicator is groups[entry.indicator.key],  # the index's group
                [_use(u) for u in entry.uses],
                entry.project_count,
                entry.distribution(),
            )
            for key, entry in branch.entries.items()  # in first-seen order
        ],
        branch.count,
        [e.indicator.key for e in branch.sorted_entries],
    )


def state(site: SiteIndex) -> dict:
    """Everything the index holds, in order, cached figures included."""
    groups = {g.key: g for g in site.indicators}
    return {
        "projects": [p.key for p in site.projects],
        "years": [(*_group(y), [_unit(u) for u in y.units]) for y in site.years],
        "units": [_unit(u) for u in site.units],
        "national": [_branch(b, groups) for b in site.national],
        "written": [_branch(b, groups) for b in site.written],
        "unmapped": [_branch(b, groups) for b in site.unmapped],
        "indicators": [
            (
                g.key,
                g.slug,
                [_use(u) for u in g.uses],
                g.names,
                g.project_count,
                g.distribution(),
            )
            for g in site.indicators
        ],
        "previous": [(k, p.key) for k, p in site.previous.items()],
        "following": [(k, p.key) for k, p in site.following.items()],
        "profile": site.profile,
        "target_kinds": list(site.target_kinds.items()),
        "comparisons": [
            (
                c.kind,
                [(m.project.key, repr(m.indicator)) for m in c.matches],
                [p.key for p in c.projects],
                c.years,
                c.unit_count,
            )
            for c in site.comparisons
        ],
        "total": site.total,
        "left_out": [p.key for p in site.left_out],
    }


def _row(name: str, target: str) -> str:
    """A row of 产出指标 › 数量指标 put before a project's first indicator name."""
    return (
        f'    name: {name}\n    target: "{target}"\n'
        "  - level1: 产出指标\n    level2: 数量指标\n    name: "
    )


def _page(page) -> tuple:
    """A page as the plan and the templates see it (its derived variables computed)."""
    return (
        page.save_as,
        page.url,
        page.template,
        page.variables,
        page.inputs,
        page.summary,
        page.derived() if page.derived else None,
    )


def _inputs(result, urls: Urls) -> Inputs:
    return Inputs(result.digests, {}, "templates", {"DISCLOSURES_SEARCH": False}, urls)


def _output(output) -> tuple:
    """An output as the publisher sees it; a project's download made (its bytes)."""
    made = None
    if output.kind == "download" and output.shard != "site":
        made = output.make(None)
    page = _page(output.page) if output.page else None
    return (output.path, output.kind, output.inputs, output.after, output.shard, page, made)


def _rewrite(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _field(path: Path, name: str) -> str:
    return re.search(rf"^{name}: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1)


def _synthetic(data: Path) -> list[Path]:
    return sorted(p for p in data.rglob("*.yaml") if "form: shanghai" in p.read_text("utf-8"))


def _edits(data: Path):
    """(what, change) pairs, applied in turn to the files in `data`."""
    files = _synthetic(data)
    first_year = max(int(_field(p, "year").strip('"')) for p in files)
    newest = [p for p in files if _field(p, "year") == f'"{first_year}"']
    other_unit = _field(files[-1], "unit")
    yield "a target", lambda: _rewrite(files[40], 'target: "', 'target: "7', 1)
    yield (
        "the first project of the newest year",
        lambda: _rewrite(
            newest[0],
            "  - level1:",
            "  - level1: 满意度指标\n    level2: 服务对象满意度指标\n"
            '    name: 新增满意度\n    target: "≥95%"\n  - level1:',
        ),
    )
    yield (
        "a unit's name",
        lambda: _rewrite(files[10], f"unit: {_field(files[10], 'unit')}", "unit: 新设立的测试中心"),
    )
    yield (
        "a year",
        lambda: _rewrite(files[70], f"year: {_field(files[70], 'year')}", 'year: "2018"'),
    )
    yield (
        "a project added",
        lambda: (
            shutil.copy(files[5], files[5].with_name("zz-added.yaml")),
            _rewrite(files[5].with_name("zz-added.yaml"), "name: ", "name: 新增"),
        ),
    )
    yield "a project deleted", lambda: files[90].unlink()
    yield (
        "a project moved to another unit",
        lambda: _rewrite(files[120], f"unit: {_field(files[120], 'unit')}", f"unit: {other_unit}"),
    )
    yield "levels written another way", lambda: _rewrite(files[60], "level2: ", "level2: 其他", 2)
    yield (
        "a name whose slug collides",
        lambda: (
            _rewrite(
                files[30],
                "    name: ",
                _row("测试指标甲", "1个"),
                1,
            ),
            _rewrite(
                files[31],
                "    name: ",
                _row("测式指标甲", "2个"),
                1,
            ),
        ),
    )
    yield "the collision gone", lambda: files[31].unlink()
    yield "that project deleted", lambda: newest[0].unlink()


def test_the_kept_index_equals_a_scratch_index_after_every_edit(data: Path) -> None:
    memory = Memory()

    what = "first load"

    def load():
        result = load_projects([data], data_root=data, cache_path="", memory=memory)
        assert not result.errors, (what, [e.format() for e in result.errors])
        return result

    result = load()
    kept, touched = index_projects(None, result.projects, result.framework, result.comparisons)
    assert touched.everything
    urls = Urls()
    listed, in_order = list_pages(None, kept, touched, urls, 40, 2000)  # 40 rows: paginated
    outputs = KeptOutputs()
    plan_site(kept.site, _inputs(result, urls), in_order, outputs)
    assert len(kept.site.national) > 3 and kept.site.comparisons  # a site worth the test
    assert any(len(b.sources) > 1 for b in kept.site.national)
    for what, change in _edits(data):
        before = state(kept.site)  # reads every cached figure: a stale one would show
        change()
        result = load()
        kept, touched = index_projects(kept, result.projects, result.framework, result.comparisons)
        assert not touched.everything, what  # updated, not made again
        scratch = build_index(result.projects, result.framework, result.comparisons)
        assert [p.key for p in kept.site.projects] == [p.key for p in scratch.projects]
        assert all(a is b for a, b in zip(kept.site.projects, scratch.projects, strict=True))
        now = state(kept.site)
        assert now == state(scratch), what
        assert now != before, what
        made = listed
        listed, in_order = list_pages(listed, kept, touched, urls, 40, 2000)
        expected = list(pages(scratch, urls, 40, 2000))
        assert [p.save_as for p in in_order] == [p.save_as for p in expected], what
        assert [_page(p) for p in in_order] == [_page(p) for p in expected], what
        inputs = _inputs(result, urls)
        planned = plan_site(kept.site, inputs, in_order, outputs)
        assert [_output(o) for o in planned] == [
            _output(o) for o in plan_site(scratch, inputs, expected)
        ], what
        # Every project page outside the changed chains of years is the one kept.
        kept_pages = {id(p) for p in made.projects.values()}
        reused = sum(id(p) in kept_pages for p in in_order)
        changed = len(touched.links) + len(touched.projects)
        assert reused >= max(len(kept.site.projects) - changed, len(kept.site.projects) // 2), what
    slugs = {g.key: g.slug for g in kept.site.indicators}
    assert "测试指标甲" in slugs and "测式指标甲" not in slugs
    assert slugs["测试指标甲"] == "ce-shi-zhi-biao-jia"  # its own slug again


def test_a_collision_renames_both_indicators(data: Path) -> None:
    memory = Memory()
    files = _synthetic(data)
    result = load_projects([data], data_root=data, cache_path="", memory=memory)
    kept, _ = index_projects(None, result.projects, result.framework, result.comparisons)
    _rewrite(
        files[30],
        "    name: ",
        _row("测试指标甲", "1个"),
        1,
    )
    result = load_projects([data], data_root=data, cache_path="", memory=memory)
    kept, touched = index_projects(kept, result.projects, result.framework, result.comparisons)
    _rewrite(
        files[31],
        "    name: ",
        _row("测式指标甲", "2个"),
        1,
    )
    result = load_projects([data], data_root=data, cache_path="", memory=memory)
    kept, touched = index_projects(kept, result.projects, result.framework, result.comparisons)
    slugs = {g.key: g.slug for g in kept.site.indicators}
    assert slugs["测试指标甲"].startswith("ce-shi-zhi-biao-jia-")
    assert slugs["测式指标甲"].startswith("ce-shi-zhi-biao-jia-")
    assert {"测试指标甲", "测式指标甲"} <= touched.indicators  # both renamed: pages made again
    assert state(kept.site) == state(
        build_index(result.projects, result.framework, result.comparisons)
    )


def test_a_changed_mapping_indexes_everything_again(data: Path) -> None:
    memory = Memory()
    result = load_projects([data], data_root=data, cache_path="", memory=memory)
    kept, _ = index_projects(None, result.projects, result.framework, result.comparisons)
    mapping = data / "_mapping.yaml"
    mapping.write_text(mapping.read_text("utf-8") + "\n", encoding="utf-8")  # same rules
    result = load_projects([data], data_root=data, cache_path="", memory=memory)
    same, touched = index_projects(kept, result.projects, result.framework, result.comparisons)
    assert same is kept and not touched.anything
    _rewrite(mapping, "产出指标", "产出", 1)
    result = load_projects([data], data_root=data, cache_path="", memory=memory)
    other, touched = index_projects(kept, result.projects, result.framework, result.comparisons)
    assert touched.everything and other is not kept
