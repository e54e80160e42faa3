"""The content-hash cache of loaded projects (plugins/disclosures/cache.py), through real
`disclosures build` runs: used on the second build, invalidated by a changed file or a new
plugin version, a corrupt entry ignored, and the site byte-identical with or without it."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
from disclosures import cache, pipeline
from support import build_args, run_cli


def build(output: Path, data: Path, cache_dir: Path | str) -> dict:
    """Build; return the cache's counts for this build (stats.json)."""
    result = run_cli(
        *build_args(output, data),
        env={"DISCLOSURES_CACHE_PATH": str(cache_dir)},
    )
    assert result.returncode == 0, result.stderr
    if not cache_dir:
        return {}
    return json.loads((Path(cache_dir) / "stats.json").read_text())


def tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, except the Pagefind search index: its file names carry hashes
    that differ from one build of the same pages to the next, cache or no cache."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"
    }


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*/*/*.pickle"))


def test_second_build_reads_the_cache_and_an_edit_reparses_only_that_file(
    seed_copy: Path, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    files = [path for path, _ in pipeline.find_files([seed_copy])[0]]  # projects, not _*.yaml
    first = build(tmp_path / "out", seed_copy, cache_dir)
    assert first["parsed"] == len(files) and first["hits"] == 0
    assert len(entries(cache_dir)) == len(files)

    # A second output folder, so the build-level no-change shortcut cannot hide the cache.
    second = build(tmp_path / "out2", seed_copy, cache_dir)
    assert second == {"hits": len(files), "parsed": 0, "workers": 1, "kept": 0}

    edited = files[0]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("name: ", "name: 更正", 1), encoding="utf-8"
    )
    third = build(tmp_path / "out3", seed_copy, cache_dir)
    assert third["parsed"] == 1 and third["hits"] == len(files) - 1
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out3").rglob("*.html"))
    assert "更正" in pages  # the edit is published, not a stale cached project


def test_output_is_identical_with_and_without_the_cache(seed_copy: Path, tmp_path: Path) -> None:
    build(tmp_path / "plain", seed_copy, "")
    cache_dir = tmp_path / "cache"
    build(tmp_path / "cold", seed_copy, cache_dir)
    stats = build(tmp_path / "warm", seed_copy, cache_dir)
    assert stats["hits"] > 0 and stats["parsed"] == 0
    plain, warm = tree(tmp_path / "plain"), tree(tmp_path / "warm")
    assert plain.keys() == warm.keys()
    different = [name for name in plain if plain[name] != warm[name]]
    assert different == []


def test_corrupt_entries_are_ignored_and_rewritten(seed_copy: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    build(tmp_path / "out", seed_copy, cache_dir)
    broken = entries(cache_dir)
    broken[0].write_bytes(b"not a pickle")
    broken[1].write_bytes(pickle.dumps({"unexpected": "shape"}))
    broken[2].write_bytes(broken[2].read_bytes()[:40])  # truncated
    stats = build(tmp_path / "out2", seed_copy, cache_dir)
    assert stats["parsed"] == 3
    assert stats["hits"] == len(entries(cache_dir)) - 3
    assert tree(tmp_path / "out") == tree(tmp_path / "out2")
    after = build(tmp_path / "out3", seed_copy, cache_dir)
    assert after["parsed"] == 0  # rewritten by the build that ignored them


def test_a_new_plugin_version_never_reads_old_entries(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: same files, a different code version → every file parsed again, and
    the old version's entries are pruned."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    files, _ = pipeline.find_files([seed_copy])
    folder = cache.directory()
    first, stats = cache.load_all(files, seed_copy, pipeline.load_project, folder)
    assert stats.parsed == len(files)
    _, stats = cache.load_all(files, seed_copy, pipeline.load_project, folder)
    assert stats.hits == len(files)

    old_version = cache.code_version()
    monkeypatch.setattr(cache, "code_version", lambda: "f" * 16)
    again, stats = cache.load_all(files, seed_copy, pipeline.load_project, folder)
    assert stats.parsed == len(files) and stats.hits == 0
    assert [p.key for p, _ in again] == [p.key for p, _ in first]
    assert not (tmp_path / "cache" / old_version).exists()


def test_the_version_covers_every_plugin_source_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to any plugin module changes the version (so cached data is rebuilt)."""
    package = tmp_path / "disclosures"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.py").write_text("y = 1\n")
    monkeypatch.setattr(cache, "__file__", str(package / "cache.py"))
    cache.code_version.cache_clear()
    try:
        before = cache.code_version()
        cache.code_version.cache_clear()
        (package / "sub" / "b.py").write_text("y = 2\n")
        assert cache.code_version() != before
    finally:
        cache.code_version.cache_clear()


def test_a_builder_lints_again_only_changed_files_and_all_after_a_mapping_change(
    seed_copy: Path, tmp_path: Path
) -> None:
    """A long-lived builder (cache.Memory) keeps each unchanged project's lint warnings; what
    it reports is always what a fresh load reports: after an edit, after a mapping change."""
    memory = cache.Memory()

    def load(kept: cache.Memory | None) -> pipeline.LoadResult:
        return pipeline.load_projects(
            [seed_copy], data_root=seed_copy, cache_path=str(tmp_path / "c"), memory=kept
        )

    def warnings(result: pipeline.LoadResult) -> list[str]:
        return sorted(problem.format() for problem in result.problems)

    first = load(memory)
    assert len(memory.lints) == len(first.projects) > 1
    edited = seed_copy / "2020/shanghai-kexue-huitang/kexie-dayuan-yunxing-weihu.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace('"=100%"', '"=120%"', 1), encoding="utf-8")
    again = load(memory)
    assert warnings(again) == warnings(load(None))
    assert any("120%" in line and "kexie-dayuan" in line for line in warnings(again))
    assert not any("120%" in line for line in warnings(first))
    mapping = seed_copy / "_mapping.yaml"
    rule = "  - from: [产出目标, 数量]\n    to: [产出指标, 数量指标]\n"
    assert rule in mapping.read_text(encoding="utf-8")
    mapping.write_text(mapping.read_text(encoding="utf-8").replace(rule, ""), encoding="utf-8")
    unmapped = load(memory)
    assert warnings(unmapped) == warnings(load(None))
    assert sum("产出目标 › 数量" in line for line in warnings(unmapped)) > 1


def test_projects_read_from_the_cache_share_their_repeated_words(
    seed_copy: Path, tmp_path: Path
) -> None:
    """A builder keeps every project in memory: the words each file repeats (levels, section
    and budget labels, target units, the unit) are held once, not once per project; the
    projects are equal to freshly parsed ones."""
    cached = str(tmp_path / "c")
    parsed = pipeline.load_projects([seed_copy], data_root=seed_copy, cache_path=cached)
    again = pipeline.load_projects([seed_copy], data_root=seed_copy, cache_path=cached)
    assert again.cache_stats.hits == len(again.projects) > 3 and not again.cache_stats.parsed
    assert again.projects == parsed.projects

    def one_copy(values: list[str]) -> None:
        by_text: dict[str, str] = {}
        assert len(values) > len(set(values))  # the word is repeated
        for value in values:
            assert by_text.setdefault(value, value) is value, value

    projects = again.projects
    indicators = [i for p in projects for i in p.indicators]
    one_copy([i.level1 for i in indicators] + [i.level2 for i in indicators])
    one_copy([i.target.unit for i in indicators if i.target.unit])
    one_copy([s.label for p in projects for s in p.sections])
    one_copy([line.label for p in projects for line in p.budget])
    one_copy([label for p in projects for _, label, _ in p.header])
    one_copy([p.unit for p in projects])
