"""`disclosures validate --format editor`: the validator's lines as the publishing door shows
them to editors (deploy/hooks/pre-receive, and through a git host the web editor's refusal
dialog): file and line, the field named by its label on the form instead of its YAML key, the
message in Chinese and English, and what to do. The real CLI on real bad files."""

from __future__ import annotations

from pathlib import Path

from support import run_cli, write_project

BOTH_PERIODS = """\
form: national
year: "2024"
name: 特困家庭再扶助
unit: 某某区民政局
period: 202401-202412
start: "2024-01-01"
budget:
  total: 九百万
remark: x
indicators:
  - level1: 产出指标
    name: 服务人数
    target: "≥1200人"
"""

# Valid, with one warning: a target that looks like an Excel date serial.
EXCEL_TARGET = """\
form: national
year: "2021"
name: 再生资源回收市场管理
unit: 某某供销社
period: 202101-202112
budget:
  total: 100万
indicators:
  - level1: 产出指标
    level2: 时效指标
    name: 完成时间
    target: "= 44,561"
"""


def test_errors_name_the_form_s_fields_and_say_what_to_do(tmp_path: Path) -> None:
    path = write_project(tmp_path, "2024/x.yaml", BOTH_PERIODS)
    result = run_cli("validate", "--format", "editor", str(path))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{path}:5:9: 项目起止时间 / 实施期: "
        "“项目起止时间 / 实施期”与“计划开始日期”/“计划完成日期”只能二选一 / "
        "write either “项目起止时间 / 实施期” (Implementation term) or “计划开始日期” (Planned"
        " start date)/“计划完成日期” (Planned completion date), not both"
        "（怎么改：在“项目起止时间 / 实施期”一栏按表上所写填写或改正（例如 202001-202012），"
        "再保存发布"
        " / what to do: fill in or correct “项目起止时间 / 实施期” (Implementation term) as the"
        " table prints it"
        " (e.g. 202001-202012), then save and publish again）"
    )
    assert lines[1].startswith(f"{path}:8:10: 项目资金 · 项目总预算 / 资金总额: 金额应写成")
    assert lines[1].endswith(
        "（怎么改：在“项目资金 · 项目总预算 / 资金总额”一栏按表上所写填写或改正（例如 9900000），"
        "再保存发布 / what to do: fill in or correct “项目资金 · 项目总预算 / 资金总额” "
        "(Project funds · Total budget) as the table prints it (e.g. 9900000), then save and "
        "publish again）"
    )
    # A key the form does not have stays as written, and the editor is told what to do.
    assert lines[2].startswith(f"{path}:9:1: remark: 未知字段 remark")
    assert "（怎么改：表单上没有“remark”这一栏：请删除它" in lines[2]
    assert len(lines) == 3
    # No YAML key of a known field is left in an editor's line.
    for key in ("period", "start/end", "budget.total"):
        assert key not in result.stdout
    assert "3 个错误" in result.stderr


def test_a_warning_uses_its_own_form_s_label_and_does_not_fail(tmp_path: Path) -> None:
    path = write_project(tmp_path, "2021/y.yaml", EXCEL_TARGET)
    result = run_cli("validate", "--format", "editor", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = result.stdout.splitlines()
    # The national form prints 指标值 (the general label is “指标目标值 / 指标值”).
    assert line.startswith(f"{path}:12:13: 绩效指标 第 1 行 · 指标值: 警告 warning: 目标值")
    assert line.endswith(
        "（怎么改：不影响发布；方便时核对“绩效指标 第 1 行 · 指标值”一栏"
        " / what to do: publishing goes ahead; check “绩效指标 第 1 行 · 指标值”"
        " (Performance indicators row 1 · Target value) when convenient）"
    )


def test_a_yaml_syntax_error_is_sent_to_the_administrator(tmp_path: Path) -> None:
    path = write_project(tmp_path, "2024/z.yaml", "form: national\nname: [未闭合\n")
    result = run_cli("validate", "--format", "editor", str(path))
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{path}:")
    assert line.endswith(
        "（怎么改：问题在文件本身，不在某一栏：表单里无法改正，请把这条信息发给网站管理员"
        " / what to do: the problem is in the file itself, not in one field: it cannot be"
        " fixed in the form; send this message to the site's administrator）"
    )


def test_a_required_field_left_out_is_named_where_the_form_has_it(tmp_path: Path) -> None:
    """The validator reports a missing field at its parent (here the file): the editor is
    sent to the field on the form, not to the administrator."""
    text = BOTH_PERIODS.replace("name: 特困家庭再扶助\n", "").replace('start: "2024-01-01"\n', "")
    path = write_project(
        tmp_path, "2024/w.yaml", text.replace("九百万", "900万").replace("remark: x\n", "")
    )
    result = run_cli("validate", "--format", "editor", str(path))
    assert result.returncode == 1, result.stdout
    assert result.stdout.splitlines() == [
        f"{path}:1:1: 项目名称: 缺少必填字段“项目名称” / missing required field “项目名称”"
        " (Project name)"
        "（怎么改：在“项目名称”一栏按表上所写填写或改正（例如 科协大院日常运行与维护），再保存发布"
        " / what to do: fill in or correct “项目名称” (Project name) as the table prints it"
        " (e.g. 科协大院日常运行与维护), then save and publish again）"
    ]


def test_the_english_half_names_each_field_in_english(tmp_path: Path) -> None:
    """Every field the English half of a door line names carries its English label
    (fields.LABELS_EN) beside the label as printed: a reader of the English sees what the
    field is, an editor of the Chinese form still finds it."""
    text = (
        BOTH_PERIODS.replace("form: national", "form: nation")
        .replace("九百万", "900万")
        .replace("remark: x\n", "")
        .replace("  - level1: 产出指标\n", "  - level2: 数量指标\n")
    )
    path = write_project(tmp_path, "2024/e.yaml", text)
    result = run_cli("validate", "--format", "editor", str(path))
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    assert lines[0].startswith(f"{path}:1:7: 表式: ")
    assert " / “表式” (Form) must be one of shanghai, national, not 'nation'（" in lines[0]
    assert lines[1].startswith(f"{path}:5:9: 项目起止时间 / 实施期: ")
    assert (
        " / write either “项目起止时间 / 实施期” (Implementation term) or “计划开始日期” "
        "(Planned start date)/“计划完成日期” (Planned completion date), not both（"
    ) in lines[1]
    assert lines[2].startswith(f"{path}:10:5: 绩效指标 第 1 行 · 一级目标 / 一级指标: ")
    assert " / missing required field “一级目标 / 一级指标” (Level-1 indicator)（" in lines[2]


def test_every_field_has_an_english_label() -> None:
    """fields.py's English labels (LABELS_EN): one for every field of the format, none for a
    field it does not have; the English half of a door line names the field by it."""
    from disclosures import fields as F

    def walk(specs, prefix=""):
        for spec in specs:
            yield prefix + spec.key
            yield from walk(spec.children, f"{prefix}{spec.key}.")

    declared = list(walk(F.PROJECT))
    assert [key for key in declared if not F.label_en(key)] == []
    assert sorted(set(F.LABELS_EN) - set(declared)) == []
    assert all(label == label.strip() and label.isascii() for label in F.LABELS_EN.values())
    assert F.label_en("indicators[3].target") == "Target value"
    assert F.label_en("labels.total") == "Total budget (label as printed)"
    assert F.label_en("remark") == ""
