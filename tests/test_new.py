"""`disclosures new`: a commented skeleton with every field of the chosen form."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DISCLOSURES = str(Path(sys.executable).parent / "disclosures")

sys.path.insert(0, str(REPO / "plugins"))
from disclosures import fields as F  # noqa: E402
from disclosures.load import load_file  # noqa: E402


def run_new(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DISCLOSURES, "new", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        cwd=REPO,
    )


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DISCLOSURES, "validate", str(path)], capture_output=True, text=True, timeout=300, cwd=REPO
    )


@pytest.mark.parametrize("form", F.FORMS)
def test_skeleton_has_every_field_of_the_form(tmp_path: Path, form: str) -> None:
    result = run_new(
        "--year",
        "2024",
        "--unit",
        "某某单位",
        "--name",
        "某某项目",
        "--form",
        form,
        "--out",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent.parent.parent == tmp_path and path.parent.parent.name == "2024"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("$schema=")[1]).resolve() == (
        REPO / "schema" / "disclosure.schema.json"
    ).resolve()

    doc, problems = load_file(path)
    assert doc is not None and not problems
    data = doc.data
    assert (data["form"], data["year"], data["unit"], data["name"]) == (
        form,
        "2024",
        "某某单位",
        "某某项目",
    )
    for spec in F.PROJECT:
        if form not in spec.forms:
            assert spec.key not in data, spec.key
            continue
        assert spec.meaning.split("。")[0] in text  # each field is explained in Chinese
        if spec.key == "extra":
            assert "# extra:" in text  # shown as a commented example: a blank row is an error
            continue
        if spec.key == "labels":  # only where a table prints other labels: commented example
            assert "# labels:" in text
            continue
        if spec.key == "selfeval":  # published a year later: a commented block to fill then
            assert "# selfeval:" in text and "#   indicators:" in text
            continue
        assert spec.key in data, spec.key
        for child in spec.children:
            if form not in child.forms:
                continue
            if spec.key == "indicators":
                assert child.key in data["indicators"][0]
            elif child.key == "lines":
                assert "# lines:" in text
            else:
                assert child.key in data[spec.key], child.key
    if form == "shanghai":
        assert "gov_purchase" in data and "department" not in data
        assert set(data["sections"]) == {
            "overview",
            "basis",
            "necessity",
            "safeguards",
            "plan",
            "goals",
        }
    else:
        assert "department" in data and "unit" in data["indicators"][0]


def test_filled_skeleton_validates(tmp_path: Path) -> None:
    path = Path(
        run_new(
            "--year",
            "2024",
            "--unit",
            "某某单位",
            "--name",
            "某某项目",
            "--form",
            "national",
            "--out",
            tmp_path,
        ).stdout.strip()
    )
    result = validate(path)
    assert result.returncode == 1  # the blank indicator row still has to be filled in
    assert "level1" in result.stdout
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - level1:  #", "  - level1: 产出指标  #", 1)
    text = text.replace("    target:  #", '    target: "≥90%"  #', 1)
    path.write_text(text, encoding="utf-8")
    result = validate(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("# mine\n", encoding="utf-8")
    result = run_new(
        "--year", "2024", "--unit", "单位", "--name", "项目", "--form", "national", "--out", target
    )
    assert result.returncode == 1
    assert "已存在" in result.stderr and "exists" in result.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"


def test_asks_for_what_is_missing(tmp_path: Path) -> None:
    result = run_new("--out", tmp_path, stdin="2023\n某单位\n某项目\nshanghai\n")
    assert result.returncode == 0, result.stderr
    assert "年度" in result.stderr and "项目名称" in result.stderr  # the questions
    doc, _ = load_file(Path(result.stdout.strip()))
    assert doc is not None
    assert (doc.data["year"], doc.data["form"], doc.data["name"]) == ("2023", "shanghai", "某项目")


def test_default_form_is_national(tmp_path: Path) -> None:
    result = run_new(
        "--year", "2023", "--unit", "某单位", "--name", "某项目", "--out", tmp_path, stdin="\n"
    )
    assert result.returncode == 0, result.stderr
    doc, _ = load_file(Path(result.stdout.strip()))
    assert doc is not None and doc.data["form"] == "national"


@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        (
            ("--year", "20x4", "--unit", "单位", "--name", "项目", "--form", "national"),
            "",
            ["年度", "4 digits"],
        ),
        (("--year", "2024", "--unit", "单位", "--form", "national"), "", ["缺少", "missing"]),
        (("--year", "2024", "--unit", "单位", "--name", "项目"), "somewhere\n", ["表式", "form"]),
    ],
)
def test_bad_answers_write_nothing(
    tmp_path: Path, args: tuple[str, ...], stdin: str, words: list[str]
) -> None:
    result = run_new(*args, "--out", tmp_path / "data", stdin=stdin)
    assert result.returncode == 1
    for word in words:
        assert word in result.stderr
    assert not (tmp_path / "data").exists()


def test_names_that_need_quoting_survive(tmp_path: Path) -> None:
    result = run_new(
        "--year",
        "2024",
        "--unit",
        "[015]某局",
        "--name",
        '项目: #1 "新"',
        "--form",
        "national",
        "--out",
        tmp_path / "x.yaml",
    )
    assert result.returncode == 0, result.stderr
    doc, problems = load_file(tmp_path / "x.yaml")
    assert doc is not None and not problems
    assert doc.data["unit"] == "[015]某局" and doc.data["name"] == '项目: #1 "新"'
