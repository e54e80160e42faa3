"""`disclosures new`: a commented skeleton YAML for one project, generated from fields.py.

Every field of the chosen form is written, each with a Chinese comment saying what the form
prints there, what it means and an example, so that an editor fills in blanks instead of
remembering keys. Lists whose rows need a label (extra, budget.lines) are shown as commented
examples: a blank row would be an error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import fields as F
from .importer.write import schema_reference, write_atomic
from .importer.yamlout import scalar
from .slugs import slugify

EXIT_OK = 0
EXIT_REFUSED = 1

_QUOTED = {F.YEAR, F.DATE, F.PERIOD, F.TARGET}
_LIST_EXAMPLES = {  # commented example rows for lists that need a label
    "lines": ("一般公共预算", "63000"),
    "extra": ("归口科室", "(08)经济贸易科"),
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "new",
        help="新建一个项目的 YAML 骨架（带中文说明）/ write a commented skeleton for a project",
        description="写出一个项目的 YAML 骨架文件，包含所选表式的全部字段和中文说明。"
        "缺少的选项会逐一询问。不会覆盖已有文件。/ Write a skeleton with every field of the "
        "chosen form, commented in Chinese. Asks for missing options. Never overwrites.",
    )
    parser.add_argument("--year", help="预算年度，如 2024 / fiscal year")
    parser.add_argument("--unit", help="申报或实施单位 / budget unit")
    parser.add_argument("--name", help="项目名称 / project name")
    parser.add_argument(
        "--form",
        choices=F.FORMS,
        help="表式：shanghai 或 national（默认 national）/ family of form",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("data"),
        help="文件夹（写到 年度/单位/项目.yaml）或 .yaml 文件路径；默认 data "
        "/ folder or .yaml path (default: data)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        year = args.year or _ask("年度 / year（如 2024）")
        unit = args.unit or _ask("单位 / unit（申报单位名称）")
        name = args.name or _ask("项目名称 / project name")
        form = args.form or _ask(
            "表式 / form（national 或 shanghai，直接回车为 national）", default="national"
        )
    except EOFError as missing:
        print(
            f"错误 error: 缺少 {missing}；请用选项给出 / missing {missing}: pass it as an option",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    problem = _check(year.strip(), unit.strip(), name.strip(), form.strip())
    if problem:
        print(f"错误 error: {problem}", file=sys.stderr)
        return EXIT_REFUSED
    year, unit, name, form = year.strip(), unit.strip(), name.strip(), form.strip()
    target = (
        args.out
        if args.out.suffix == ".yaml"
        else (args.out / year / slugify(unit) / f"{slugify(name)}.yaml")
    )
    text = skeleton(form, year, unit, name, schema_reference(target))
    try:
        write_atomic(target, text, overwrite=False)
    except FileExistsError:
        print(f"错误 error: {target} 已存在，没有覆盖 / exists, not overwritten", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"错误 error: 无法写入 {target}（{exc.strerror}）/ cannot write", file=sys.stderr)
        return EXIT_REFUSED
    print(target)
    print(
        f"已写入 wrote {target}；填好后运行 / when filled in, run: disclosures validate {target}",
        file=sys.stderr,
    )
    return EXIT_OK


def _ask(question: str, default: str | None = None) -> str:
    print(f"{question}: ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    if not answer:
        raise EOFError(question.split(" / ")[1].split("（")[0] if " / " in question else question)
    return answer.strip() or (default or "")


def _check(year: str, unit: str, name: str, form: str) -> str | None:
    if not re.fullmatch(r"(19|20|21)\d{2}", year):
        return f"年度应为四位数字，如 2024，而不是“{year}” / year must be 4 digits, not {year!r}"
    if not unit or "\n" in unit:
        return "单位不能为空 / unit must not be empty"
    if not name or "\n" in name:
        return "项目名称不能为空 / name must not be empty"
    if form not in F.FORMS:
        return f"表式只能是 {' 或 '.join(F.FORMS)} / form must be one of {', '.join(F.FORMS)}"
    return None


# -- the skeleton ----------------------------------------------------------------------------
def skeleton(form: str, year: str, unit: str, name: str, schema_path: str) -> str:
    values = {"form": form, "year": year, "unit": unit, "name": name}
    out = [
        f"# yaml-language-server: $schema={schema_path}",
        f"# {name}（{year}）：新建的项目文件。每个字段上方是它在表上的名称和说明；",
        "# 表上为空的栏目留空（不要写 0）。填好后运行 disclosures validate 检查。",
        "",
    ]
    for spec in F.PROJECT:
        if spec is F.LABELS:  # only where a table prints other labels: an example to copy
            out += [f"# {_comment(spec, form)}", "# labels:", "#   unit: 预算部门"]
            continue
        if spec.key == "selfeval":  # published a year later: the block to uncomment then
            block: list[str] = []
            _field(block, spec, form, None, 0)
            out += [line if line.startswith("#") else f"# {line}" for line in block]
        elif form in spec.forms:
            _field(out, spec, form, values.get(spec.key), 0)
    return "\n".join(out).rstrip("\n") + "\n"


def _comment(spec: F.Field, form: str) -> str:
    needed = spec.required or form in spec.required_for
    text = f"{spec.label}：{spec.meaning}"
    if spec.choices:
        text += f" 可选：{'、'.join(spec.choices)}。"
    if needed:
        text += "【必填】"
    if spec.example and spec.kind not in (F.MAPPING, F.LIST):
        text += f" 例：{spec.example}"
    return re.sub(r"\s*\n\s*", " ", text)


def _field(out: list[str], spec: F.Field, form: str, value: str | None, indent: int) -> None:
    pad = " " * indent
    out.append(f"{pad}# {_comment(spec, form)}")
    children = [c for c in spec.children if form in c.forms]
    if spec.kind == F.MAPPING:
        out.append(f"{pad}{spec.key}:")
        for child in children:
            _field(out, child, form, None, indent + 2)
        return
    if spec.kind == F.LIST and spec.key in _LIST_EXAMPLES:
        label, example = _LIST_EXAMPLES[spec.key]
        out.append(f"{pad}# {spec.key}:")
        out.append(f"{pad}#   - {children[0].key}: {label}")
        out.append(f"{pad}#     {children[1].key}: {example}")
        return
    if spec.kind == F.LIST:  # indicators: one blank row to copy
        out.append(f"{pad}{spec.key}:")
        for i, child in enumerate(children):
            lead = f"{pad}  - " if i == 0 else f"{pad}    "
            out.append(f"{lead}{child.key}:  # {_comment(child, form)}")
        return
    if value is None:
        out.append(f"{pad}{spec.key}:")
        return
    out.append(f"{pad}{spec.key}: {scalar(value, quoted=spec.kind in _QUOTED)}")
