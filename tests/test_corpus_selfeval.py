"""Held-out real self-evaluations (tests/corpus_selfeval/) through the real `disclosures import`.

Each source is imported with the real command and its project file compared field by field with
the hand-checked expected file, written and committed before the importer first ran on it
(tools/selfeval_corpus.py; `python tools/selfeval_corpus.py -v` lists every field missed). No
source may crash the importer, and the share of expected fields found must not fall below
tests/corpus_selfeval/FLOOR (a ratchet: raise it when the importer gets better). The first
figure of each source, measured before any change for it, stays on record in INDEX.yaml.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import selfeval_corpus as held  # noqa: E402

ENTRIES = held.load_index()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[held.Result]:
    found = held.run_all(ENTRIES, tmp_path_factory.mktemp("selfeval-corpus"))
    print("\n" + held.report(found))
    return found


def test_every_source_is_listed_once_with_its_expected_file_and_first_figure() -> None:
    listed = [e.file for e in ENTRIES]
    assert len(listed) == len(set(listed)) >= 6
    on_disk = {f"sources/{p.name}" for p in (held.FOLDER / "sources").iterdir()}
    assert set(listed) == on_disk
    for e in ENTRIES:
        assert e.expected.is_file(), e.file
        assert e.held_out and e.province and e.layout, e.file
        assert re.fullmatch(r"\d+/\d+", e.first_figure), (e.file, e.first_figure)
        assert e.path.read_text(encoding="utf-8").startswith("# source:"), e.file
    assert len({e.province for e in ENTRIES}) >= 3
    assert len({e.layout for e in ENTRIES}) >= 4


def test_no_source_crashes_the_importer(results: list[held.Result]) -> None:
    crashed = [(r.entry.stem, r.status, r.stderr[-400:]) for r in results if r.crashed]
    assert not crashed


def test_fields_found_do_not_fall_below_the_floor(results: list[held.Result]) -> None:
    floor = float(held.FLOOR.read_text(encoding="utf-8").split(":", 1)[1].split("#")[0])
    score = held.total(results)
    assert score.ratio >= floor, held.report(results, verbose=True)
