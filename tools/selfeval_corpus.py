"""Held-out real self-evaluations (tests/corpus_selfeval/) through the real `disclosures import`.

Each source listed in tests/corpus_selfeval/INDEX.yaml is imported on its own with the real
command into a temporary folder; the project file it writes is compared, field by field, with
the hand-checked expected file (tests/corpus_selfeval/expected/<stem>.yaml), which was committed
before the importer first ran on the source. Fields are counted as in tools/corpus_report.py
(its comparison functions are used as they are); the self-evaluation's own lists
(`selfeval.indicators`, `selfeval.funds.lines`) are aligned row by row like `indicators`.

`python tools/selfeval_corpus.py [-v]` prints found / expected per source, the first figure of
each (measured before any change for it) and the total. tests/test_corpus_selfeval.py runs it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_report as base  # noqa: E402

FOLDER = base.REPO / "tests" / "corpus_selfeval"
INDEX = FOLDER / "INDEX.yaml"
FLOOR = FOLDER / "FLOOR"
# Lists whose rows are matched by alignment; every other value is one field at its path.
LIST_KEYS = ("indicators", "extra", "budget.lines", "selfeval.indicators", "selfeval.funds.lines")


@dataclass(frozen=True)
class Entry:
    file: str
    url: str
    province: str
    layout: str
    form: str
    held_out: str
    first_figure: str

    @property
    def path(self) -> Path:
        return FOLDER / self.file

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    @property
    def expected(self) -> Path:
        return FOLDER / "expected" / f"{self.stem}.yaml"


def load_index(path: Path = INDEX) -> list[Entry]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = ("file", "url", "province", "layout", "form", "held_out", "first_figure")
    return [Entry(**{k: str(item.get(k, "") or "") for k in keys}) for item in raw["sources"]]


def scalars(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every scalar outside the aligned lists, empty values left out."""
    for key, value in data.items():
        path = prefix + key
        if (not prefix and key in base.NOT_COUNTED) or path in LIST_KEYS:
            continue
        if isinstance(value, dict):
            yield from scalars(value, path + ".")
        elif isinstance(value, list):
            yield from ((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif value is not None and base.normal(value) != "":
            yield path, value


def compare(expected: dict[str, Any], draft: dict[str, Any] | None) -> base.Score:
    """What of the expected file the draft holds at the same place (base.compare's rules)."""
    draft = draft or {}
    score = base.Score()
    got = dict(scalars(draft))
    wanted = dict(scalars(expected))
    for path, value in wanted.items():
        score.expected += 1
        if base.same(path, value, got.get(path)):
            score.found += 1
        else:
            score.missing.append((path, base.normal(value), base.normal(got.get(path, "—"))))
    score.unexpected += [(p, base.normal(v)) for p, v in got.items() if p not in wanted]
    for key in LIST_KEYS:
        want, have = base.rows(expected, key), base.rows(draft, key)
        pairs = dict(base.align(key, want, have))
        for i, row in enumerate(want):
            other = have[pairs[i]] if i in pairs else {}
            for name, value in row.items():
                score.expected += 1
                if base.same(f"{key}[].{name}", value, other.get(name)):
                    score.found += 1
                else:
                    shown = base.normal(other.get(name, "—"))
                    score.missing.append((f"{key}[{i}].{name}", base.normal(value), shown))
        matched = set(pairs.values())
        score.unexpected += [
            (f"{key}[+{j}].{name}", base.normal(v))
            for j, r in enumerate(have)
            if j not in matched
            for name, v in r.items()
        ]
    return score


@dataclass
class Result:
    entry: Entry
    status: int
    stderr: str
    drafts: list[Path]
    score: base.Score

    @property
    def crashed(self) -> bool:
        return self.status not in (0, 1, 3) or "Traceback" in self.stderr


def import_source(entry: Entry, out: Path) -> Result:
    run = base.run_cli("import", str(entry.path), "--out", str(out))
    drafts = sorted(out.rglob("*.yaml")) if out.exists() else []
    want = base.load_project(entry.expected)
    best = compare(want, None)
    for path in drafts:
        try:
            score = compare(want, base.load_project(path))
        except ValueError:
            continue
        if score.found > best.found:
            best = score
    return Result(entry, run.returncode, run.stderr, drafts, best)


def run_all(entries: list[Entry], work: Path) -> list[Result]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda e: import_source(e, work / e.stem), entries))


def total(results: list[Result]) -> base.Score:
    score = base.Score()
    for r in results:
        score.add(r.score)
    return score


def first_total(entries: list[Entry]) -> tuple[int, int]:
    found = expected = 0
    for e in entries:
        a, _, b = e.first_figure.partition("/")
        if a.strip().isdigit() and b.strip().isdigit():
            found, expected = found + int(a), expected + int(b)
    return found, expected


def report(results: list[Result], verbose: bool = False) -> str:
    lines = ["自评表（留出的真实表）/ held-out self-evaluations: fields found / expected", ""]
    width = max((len(r.entry.stem) for r in results), default=10)
    for r in results:
        flag = "CRASH" if r.crashed else f"exit {r.status}"
        lines.append(
            f"{r.entry.stem:<{width}}  {base.percent(r.score)}"
            f"  first {r.entry.first_figure or '?':>7}  {r.entry.layout:<22} {flag}"
        )
        if verbose:
            for path, want, got in r.score.missing:
                lines.append(f"    {path}: expected {want!r}, draft {got!r}")
            for path, got in r.score.unexpected:
                lines.append(f"    + {path}: draft {got!r}, not in the expected file")
    found, expected = first_total([r.entry for r in results])
    share = f"{found / expected:.1%}" if expected else "?"
    now = base.percent(total(results))
    lines += ["", f"overall: now {now}   first {found} / {expected} {share}"]
    return "\n".join(lines)


def joined(entries: list[Entry], work: Path) -> list[Entry]:
    """Each source whose cells are separated, with every separator removed (no "|", space or
    line break inside the table): the same real tables as a document-sharing site or OCR would
    give them, a measure of the run-together reader on tables it was not built on."""
    out = []
    for e in entries:
        if e.layout == "run-together":
            continue
        lines = e.path.read_text(encoding="utf-8").split("\n")
        notes = [line for line in lines if line.startswith("# ")]
        table = "".join(re.sub(r"[|\s]+", "", line) for line in lines if not line.startswith("# "))
        path = work / "joined" / Path(e.file).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join([*notes, table]) + "\n", encoding="utf-8")
        out.append(replace(e, file=str(path), layout="joined", first_figure=""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every field missed")
    parser.add_argument(
        "--joined",
        action="store_true",
        help="the sources with every cell separator removed (a measure of the run-together reader)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        entries = joined(load_index(), Path(work)) if args.joined else load_index()
        results = run_all(entries, Path(work))
    print(report(results, args.verbose))
    return 1 if any(r.crashed for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
