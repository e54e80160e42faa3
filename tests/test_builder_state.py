"""What a long-lived builder keeps between builds besides the data and the index
(cache.Memory): the manifest it saved, the fingerprints of its last plan, /admin/'s
outputs. Each is taken only while what it was made from is the same; releases stay
byte-identical to cold builds (test_builder.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from disclosures import manifest, publish
from disclosures.commands import build as build_command
from disclosures.commands.builder import Builder
from disclosures.plan import KeptOutputs, Output, Plan, admin_outputs
from disclosures.settings import DEFAULTS
from support import REPO
from test_builder import EDITED_PAGE, args_for, edit
from test_incremental import SEED


def test_the_saved_manifest_is_kept_while_its_file_is_the_one_saved(tmp_path: Path) -> None:
    cache, site = tmp_path / "cache", tmp_path / "site"
    site.mkdir()
    kept = manifest.KeptManifest()
    live = manifest.Live({"index.html": "a" * 64}, {"build": "s"}, None)
    manifest.save_manifest(cache, site, live, kept)
    assert manifest.load_manifest(cache, site, kept) is live  # not read back
    # Another process saved another manifest for the folder: read, not the kept one.
    other = manifest.Live({"index.html": "b" * 64}, {}, None)
    manifest.save_manifest(cache, site, other)
    loaded = manifest.load_manifest(cache, site, kept)
    assert loaded is not live and loaded.outputs == other.outputs
    # The folder changed by other hands: no manifest at all, kept or not.
    manifest.save_manifest(cache, site, live, kept)
    (site / "new.html").write_text("x")
    assert manifest.load_manifest(cache, site, kept).outputs == {}


def _plan(pages: dict[str, tuple[str, ...]]) -> list[Output]:
    outputs = [Output(path, "file", inputs) for path, inputs in pages.items()]
    outputs.append(Output("SUMS", "checksums", (), after=tuple(pages)))
    return outputs


def test_kept_fingerprints_equal_fresh_ones_and_are_not_hashed_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept = publish.KeptPrints()
    first = _plan({"a": ("1",), "b": ("2",)})
    assert publish.fingerprints(Plan(first), "base", kept) == publish.fingerprints(
        Plan(first), "base"
    )
    hashed: list[str] = []
    real = publish.fingerprint
    monkeypatch.setattr(
        publish, "fingerprint", lambda o, b, m: hashed.append(o.path) or real(o, b, m)
    )
    # "b" declared again with other inputs: it, and SUMS, which reads it, are hashed again.
    second = [first[0], Output("b", "file", ("3",)), first[2]]
    prints = publish.fingerprints(Plan(second), "base", kept)
    assert hashed == ["b", "SUMS"]
    monkeypatch.setattr(publish, "fingerprint", real)
    assert prints == publish.fingerprints(Plan(second), "base")
    # Another base (code, settings, site-wide data): everything again.
    assert publish.fingerprints(Plan(second), "other", kept) == publish.fingerprints(
        Plan(second), "other"
    )


def test_admin_outputs_are_kept_while_settings_and_files_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = tmp_path / "admin"
    src = admin / "src"
    dist = admin / "node_modules" / "decap-cms" / "dist"
    yaml = admin / "node_modules" / "js-yaml" / "dist"
    for folder in (src, dist, yaml):
        folder.mkdir(parents=True)
    for name in ("init.js", "format.js", "editor.js", "editor.css"):
        (src / name).write_text(f"/* {name} */")
    (dist / "decap-cms.js").write_text("/* decap */")
    (yaml / "js-yaml.min.js").write_text("/* yaml */")
    monkeypatch.chdir(tmp_path)
    settings = {**DEFAULTS, "DISCLOSURES_ADMIN": True, "DISCLOSURES_ADMIN_PATH": "admin"}
    settings |= {"SITENAME": "预算", "SITEURL": ""}
    kept = KeptOutputs()
    first = admin_outputs(settings, kept)
    assert first and admin_outputs(settings, kept) is first
    (src / "editor.css").write_text("/* changed, longer */")
    second = admin_outputs(settings, kept)
    assert second is not first
    assert [o.inputs for o in second] == [o.inputs for o in admin_outputs(settings)]
    assert admin_outputs({**settings, "SITENAME": "预算公开"}, kept) is not second


def test_a_builder_release_beside_the_live_one_walks_no_input(
    tmp_path: Path, seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-change stamp walks every input file; a builder making a new release folder
    has nothing to compare it with: its memory stats the data files it keeps."""
    monkeypatch.setenv("DISCLOSURES_CACHE_PATH", str(tmp_path / "cache"))
    monkeypatch.chdir(REPO)
    builder = Builder(REPO)
    assert builder.build(args_for(tmp_path / "r0", seed_copy)).status == 0
    edit(seed_copy)

    def walked(args):
        raise AssertionError("walked every input or output file")

    monkeypatch.setattr(build_command, "input_stamp", walked)
    monkeypatch.setattr(build_command, "count_files", walked)  # nor the summary's count
    outcome = builder.build(args_for(tmp_path / "r1", seed_copy, previous=tmp_path / "r0"))
    assert outcome.status == 0 and outcome.report.linked > 0
    assert "=99%" in (tmp_path / "r1" / EDITED_PAGE).read_text(encoding="utf-8")


def test_a_builder_lists_the_data_folders_again_only_when_one_changed(
    tmp_path: Path, seed_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pipeline.find_files stats and checks every entry of the data folders; a builder takes
    its last listing while no folder's signature moved (cache.listed)."""
    from disclosures import cache, pipeline

    calls: list[int] = []
    real = pipeline.find_files
    monkeypatch.setattr(pipeline, "find_files", lambda paths: calls.append(1) or real(paths))
    tick = cache.TICK_NS
    monkeypatch.setattr(cache, "TICK_NS", 0)  # the folders were made just now
    memory = cache.Memory()

    def sources() -> list[str]:
        result = pipeline.load_projects(
            [seed_copy], data_root=seed_copy, cache_path=str(tmp_path / "c"), memory=memory
        )
        return sorted(project.source for project in result.projects)

    first = sources()
    assert sources() == first and len(calls) == 1  # nothing changed: not listed again
    # A file edited in place: the same listing, its new bytes (Memory.entries' signature).
    edit(seed_copy)
    assert sources() == first and len(calls) == 1
    # A file moved two folders down, into a new folder: listed again, found there.
    moved = seed_copy / "2020" / "moved" / "x.yaml"
    moved.parent.mkdir()
    (seed_copy / SEED).rename(moved)
    again = sources()
    assert len(calls) == 2 and "2020/moved/x.yaml" in again and SEED not in again
    # A folder changed within the clock's tick before a listing is not trusted.
    monkeypatch.setattr(cache, "TICK_NS", tick)
    (seed_copy / "2020" / "moved" / "y.yaml").write_bytes(moved.read_bytes())
    sources()
    sources()
    assert len(calls) == 4
