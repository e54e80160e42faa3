"""`disclosures validate`: one line per problem, with file, line, column, field, zh / en."""

from __future__ import annotations

import re

from support import MINIMAL_PROJECT, REPO, run_cli, write_project

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rest>.*)$")


def problems(result) -> list[dict]:
    found = []
    for text in result.stdout.splitlines():
        match = LINE.match(text)
        assert match, f"not a problem line: {text!r}"
        found.append(match.groupdict())
    return found


def test_bundled_data_is_valid():
    result = run_cli("validate", "data", cwd=REPO)
    assert result.returncode == 0, result.stdout
    assert "0 error(s)" in result.stderr


def test_default_path_is_data_folder(tmp_path):
    write_project(tmp_path / "data")
    result = run_cli("validate", cwd=tmp_path)
    assert result.returncode == 0
    assert "checked 1 file(s)" in result.stderr


def _one(tmp_path, text: str, name: str = "bad.yaml"):
    path = write_project(tmp_path, name, text)
    result = run_cli("validate", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    found = problems(result)
    assert found, result.stderr
    return found


def test_yaml_syntax_error_has_line(tmp_path):
    text = MINIMAL_PROJECT.replace("name: 测试项目", 'name: "测试项目')
    (problem,) = _one(tmp_path, text)
    assert "YAML" in problem["rest"] and "语法错误" in problem["rest"]
    assert int(problem["line"]) >= 3


def test_missing_required_field(tmp_path):
    text = MINIMAL_PROJECT.replace("name: 测试项目\n", "")
    (problem,) = _one(tmp_path, text)
    assert (
        "缺少必填字段 name" in problem["rest"]
        and "missing required field 'name' (Project name)" in problem["rest"]
    )


def test_missing_required_for_form(tmp_path):
    text = MINIMAL_PROJECT.replace("  total: 100\n", "")
    (problem,) = _one(tmp_path, text)
    assert "budget" in problem["rest"] and "total" in problem["rest"]


def test_wrong_type(tmp_path):
    text = MINIMAL_PROJECT.replace("indicators:\n", "indicators: 很多\nx_indicators:\n")
    found = _one(tmp_path, text)
    rests = " ".join(p["rest"] for p in found)
    assert "indicators: indicators 应为列表" in rests and "must be a list" in rests


def test_unknown_field_with_suggestion_and_line(tmp_path):
    text = MINIMAL_PROJECT.replace("unit: 测试单位\n", "unit: 测试单位\nnmae: 多余\n")
    (problem,) = _one(tmp_path, text)
    assert problem["line"] == "5" and problem["col"] == "1"
    assert "nmae: 未知字段 nmae，是不是 name？" in problem["rest"]


def test_malformed_date(tmp_path):
    text = MINIMAL_PROJECT + 'start: "2020-13-01"\n'
    (problem,) = _one(tmp_path, text)
    assert problem["line"] == "13"
    assert "start:" in problem["rest"] and "does not exist" in problem["rest"]


def test_malformed_amount(tmp_path):
    text = MINIMAL_PROJECT.replace("total: 100", "total: 一百万")
    (problem,) = _one(tmp_path, text)
    assert problem["line"] == "6" and problem["col"] == "10"
    assert "budget.total:" in problem["rest"] and "金额" in problem["rest"]


def test_unparseable_target(tmp_path):
    text = MINIMAL_PROJECT.replace('"=100%"', '">=很高"')
    (problem,) = _one(tmp_path, text)
    assert problem["line"] == "12"
    assert "indicators[0].target:" in problem["rest"] and "运算符" in problem["rest"]


def test_two_files_claiming_one_url(tmp_path):
    write_project(tmp_path, "a.yaml")
    write_project(tmp_path, "b.yaml")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    (problem,) = problems(result)
    assert problem["path"].endswith("b.yaml") and problem["line"] == "3"
    assert (
        "a.yaml" in problem["rest"] and "/2020/ce-shi-dan-wei/ce-shi-xiang-mu/" in problem["rest"]
    )


def test_all_problems_of_all_files_in_one_run(tmp_path):
    write_project(tmp_path, "one.yaml", MINIMAL_PROJECT.replace("total: 100", "total: x"))
    write_project(
        tmp_path,
        "two.yaml",
        MINIMAL_PROJECT.replace('year: "2020"', "year: 20").replace("测试项目", "另一个"),
    )
    write_project(
        tmp_path,
        "three.yaml",
        MINIMAL_PROJECT.replace("form: shanghai", "form: 上海").replace("测试项目", "第三个"),
    )
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    files = {p["path"].rsplit("/", 1)[-1] for p in problems(result)}
    assert files == {"one.yaml", "two.yaml", "three.yaml"}
    assert "3 error(s)" in result.stderr


def test_yml_extension_is_reported_not_ignored(tmp_path):
    write_project(tmp_path, "p.yml")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    assert ".yaml" in result.stdout


def test_site_wide_files_are_not_projects(tmp_path):
    write_project(tmp_path, "p.yaml")
    (tmp_path / "_glossary.yaml").write_text("terms: []\n", encoding="utf-8")
    assert run_cli("validate", str(tmp_path)).returncode == 0


def test_github_annotations(tmp_path):
    path = write_project(tmp_path, "bad.yaml", MINIMAL_PROJECT.replace("total: 100", "total: x"))
    result = run_cli("validate", "--format", "github", str(path))
    assert result.returncode == 1
    # Titled by the field's label on the form and said as the door says it (on GitHub.com,
    # without hooks, CI is the door): both languages, the English label, what to do.
    line = result.stdout.splitlines()[0]
    assert line.startswith(
        f"::error file={path},line=6,col=10,title=项目资金 · 项目总预算 / 资金总额::金额应写成"
    ), line
    assert "（怎么改：在“项目资金 · 项目总预算 / 资金总额”一栏" in line
    assert (
        "what to do: fill in or correct “项目资金 · 项目总预算 / 资金总额” (Project funds" in line
    )
    assert "budget.total" not in line


def test_warning_does_not_fail(tmp_path):
    text = MINIMAL_PROJECT + "department: 某部门\n"  # a national-form field on a Shanghai form
    path = write_project(tmp_path, "p.yaml", text)
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    assert "警告 warning" in result.stdout and "1 warning(s)" in result.stderr
