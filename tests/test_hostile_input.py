"""Hostile input (issue 15): the text policy, escaped messages, whole-match slugs, exact money
of any length, Markdown nesting, spreadsheet limits, look-alike names, paths and special
files, importer limits, the spreadsheet formula rule. Each test is an attack that gets
through if its defence is removed; docs/security.md ("Input") names them.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from disclosures import textpolicy
from disclosures.load import load_text
from support import MINIMAL_PROJECT, build_args, run_cli, write_project

# Every code point the running Python calls a control (Cc) or format (Cf) character, plus the
# separators and a noncharacter: the policy must refuse each one, in a value and in a key.
ALL_CC_CF = [
    chr(code)
    for code in range(sys.maxunicode + 1)
    if unicodedata.category(chr(code)) in ("Cc", "Cf") and chr(code) not in "\t\n"
]
REFUSED_EXTRA = ["\u2028", "\u2029", "\ufdd0", "\ufffe", "\U0010ffff"]
WARNED = ["\ue000", "\U000f0000"]  # private use


def _q(text: str) -> str:
    """A YAML double-quoted scalar with every non-ASCII or unprintable character escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def test_policy_covers_every_control_and_format_character() -> None:
    assert len(ALL_CC_CF) > 200  # 63 controls + ~160 format characters in Unicode 14
    for char in ALL_CC_CF + REFUSED_EXTRA:
        finding = textpolicy.scan(f"项目{char}名称")
        assert finding is not None and finding.is_error, f"U+{ord(char):04X} got through"
        assert finding.position == 3
        assert f"U+{ord(char):04X}" in finding.en and f"U+{ord(char):04X}" in finding.zh
    for char in WARNED:
        finding = textpolicy.scan(f"项目{char}")
        assert finding is not None and not finding.is_error, f"U+{ord(char):04X}"


def test_policy_names_the_character() -> None:
    assert textpolicy.scan("=\u202e001%").name == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert textpolicy.scan("a\x1bb").name == "U+001B ESCAPE"
    assert textpolicy.scan("a\U000e0041").name == "U+E0041 TAG LATIN CAPITAL LETTER A"
    assert textpolicy.scan("a\u00adb").name == "U+00AD SOFT HYPHEN"
    assert "character 2" in textpolicy.scan("a\u200bb").en


def test_tab_and_newline_allowed_in_values_not_in_keys() -> None:
    assert textpolicy.scan("第一行\n第二行\t续") is None
    assert textpolicy.scan("a\nb", multiline=False).name == "U+000A LINE FEED"
    assert textpolicy.scan("a\tb", multiline=False).is_error


def test_safe_ranges_hold_only_allowed_characters() -> None:
    """The fast path skips these ranges: none may hold a character the policy flags."""
    for start, end in textpolicy.SAFE_RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            assert unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
            assert textpolicy.scan(char, multiline=False) is None


def test_ordinary_text_passes() -> None:
    text = "保障在职职工人数（人）≥95%，①２０２１年《办法》—“完成”…℃ Ⅻ 𠀀 ê ß"
    assert textpolicy.scan(text) is None and textpolicy.escape(text) == text


def test_cli_refuses_every_control_and_format_character(data_dir: Path) -> None:
    """One file per character, in a value; `disclosures validate` names each at its line."""
    for char in ALL_CC_CF + REFUSED_EXTRA:
        text = MINIMAL_PROJECT.replace("name: 测试项目", f"name: {_q('测试' + char)}")
        write_project(data_dir / "2020", f"c{ord(char):06x}.yaml", text)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    for char in ALL_CC_CF + REFUSED_EXTRA:
        path = data_dir / "2020" / f"c{ord(char):06x}.yaml"
        assert re.search(
            rf"^{re.escape(str(path))}:3:7: name: .* character 3 is the .* U\+{ord(char):04X} ",
            result.stdout,
            re.M,
        ), (char, result.stdout[:3000])


@pytest.mark.parametrize("char", ["\u202e", "\x1b", "\u200b", "\U000e0001", "\n"])
def test_key_with_hidden_character_refused_and_shown_escaped(data_dir: Path, char: str) -> None:
    key = f"notes{char}x"
    path = write_project(data_dir, "p.yaml", MINIMAL_PROJECT + f"{_q(key)}: 文字\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    escaped = textpolicy.escape(key)
    assert escaped != key
    assert f"{path}:13:1: {escaped}: 字段名" in result.stdout, result.stdout
    assert result.stdout.count("\n") == 1 and char not in result.stdout.rstrip("\n")


def test_load_refuses_key_and_keeps_nothing_of_it() -> None:
    doc, problems = load_text('a: 1\n"b\\u202ec": 2\n', "f.yaml")
    assert doc.data == {"a": "1"}
    assert [(p.line, p.field) for p in problems] == [(2, "b\u202ec")]


TERMINAL_AND_CI = [
    "x\x1b]0;owned\x07\x1b[2J",  # set the terminal title, clear the screen
    "x\n::error file=forged.yaml,line=1::forged",  # a second annotation on its own line
    "x\r::error file=forged.yaml::forged",
    "x%0A::error file=forged.yaml::forged",  # decoded by the runner into a newline
    "x::error file=forged.yaml::forged",
    "x,line=99,title=forged",
]


@pytest.mark.parametrize("key", TERMINAL_AND_CI)
@pytest.mark.parametrize("fmt", ["text", "github", "editor"])
def test_messages_cannot_inject_lines_or_annotations(data_dir: Path, key: str, fmt: str) -> None:
    """Keys (unknown fields) and values quoted in messages reach the output escaped: one line
    per problem, each starting with the file's own path or annotation."""
    path = write_project(
        data_dir,
        "p.yaml",
        MINIMAL_PROJECT.replace("name: 测试项目", f"name: {_q(key)}") + f"{_q(key)}: 文字\n",
    )
    result = run_cli("validate", "--format", fmt, str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) >= 1
    for line in lines:
        if fmt == "github":
            assert re.match(rf"::(error|warning) file={re.escape(str(path))},line=\d+,col=\d+,"
                            r"title=[^,:]*::", line), line  # fmt: skip
            # The runner decodes %0A in data: a literal "%0A" must arrive as %250A.
            assert "%0A::" not in line.replace("%250A", "")
        else:
            assert line.startswith(f"{path}:"), line
        assert "\x1b" not in line and "\x07" not in line and "\r" not in line


def test_github_title_cannot_carry_properties(data_dir: Path) -> None:
    key = "x,line=99,title=forged"
    path = write_project(data_dir, "p.yaml", MINIMAL_PROJECT + f"{_q(key)}: 文字\n")
    result = run_cli("validate", "--format", "github", str(path))
    line = next(x for x in result.stdout.splitlines() if "forged" in x)
    assert "title=x%2Cline=99%2Ctitle=forged::" in line, line


# --- whole matches, exact numbers of any length, Markdown the renderer would cut ------------


def _validate_one(data_dir: Path, text: str) -> str:
    path = write_project(data_dir, "p.yaml", text)
    result = run_cli("validate", str(path))
    assert result.returncode == 1, result.stdout
    return result.stdout


@pytest.mark.parametrize("slug", ["abc\n", "abc\n\n", "a-b\n"])
def test_slug_with_trailing_newline_refused(data_dir: Path, slug: str) -> None:
    """`^…$` with re.match accepts "abc\\n" ($ matches before a final newline)."""
    out = _validate_one(data_dir, MINIMAL_PROJECT + f"id: {_q(slug)}\n")
    assert re.search(r":13:\d+: id: .*slug 'a", out), out


def test_million_digit_amount_refused_quickly(data_dir: Path) -> None:
    from disclosures.money import parse_yuan
    from disclosures.problems import ValueProblem

    with pytest.raises(ValueProblem, match="has 1000000 digits; at most 24"):
        parse_yuan("9" * 10**6)
    out = _validate_one(data_dir, MINIMAL_PROJECT.replace("total: 100", "total: " + "9" * 10**6))
    assert ":6:" in out and "too long" in out and len(out) < 2000, out[:500]


def test_amount_that_rounds_to_a_whole_number_refused() -> None:
    """With Decimal's default 28 digits, 999999999999999.9999999999999999999 rounds to
    10^15 (allowed) and passes as a whole number of yuan."""
    from disclosures.money import parse_yuan
    from disclosures.problems import ValueProblem

    with pytest.raises(ValueProblem):
        parse_yuan("999999999999999.9999999999999999999")
    with pytest.raises(ValueProblem, match="not a whole number"):
        parse_yuan("99999999999.99999999999")
    assert parse_yuan("99999999999.9999万元") == 999999999999999


@pytest.mark.parametrize("written", ["١٠٠", "१००", "１٠٠"])
def test_amounts_in_other_scripts_digits_refused(written: str) -> None:
    from disclosures.money import parse_yuan
    from disclosures.problems import ValueProblem

    with pytest.raises(ValueProblem):
        parse_yuan(written)


def test_target_with_more_digits_than_a_spreadsheet_keeps_refused(data_dir: Path) -> None:
    """A 400-digit target once crashed the workbook (int too large to convert to float)."""
    out = _validate_one(data_dir, MINIMAL_PROJECT.replace('"=100%"', '"≥' + "9" * 400 + '%"'))
    assert ":12:" in out and "400 digits; at most 15" in out, out


DEEP_LIST = "".join("  " * i + f"- 层{i}\n" for i in range(10))


def test_markdown_deeper_than_the_renderer_refused(data_dir: Path) -> None:
    from disclosures.markup import _parser

    # The attack: markdown-it-py silently drops what lies at its nesting limit.
    assert "层9" not in _parser().render(DEEP_LIST) and "层8" in _parser().render(DEEP_LIST)
    out = _validate_one(data_dir, MINIMAL_PROJECT + f"notes: {_q(DEEP_LIST)}\n")
    assert re.search(r":13:\d+: notes: Markdown 嵌套 20 层.*Markdown nested 20 levels deep", out)
    shallow = "".join("  " * i + f"- 层{i}\n" for i in range(9))
    path = write_project(data_dir, "p.yaml", MINIMAL_PROJECT + f"notes: {_q(shallow)}\n")
    assert run_cli("validate", str(path)).returncode == 0


def test_link_reference_definition_refused(data_dir: Path) -> None:
    """`[注]: 见附件` is a Markdown link definition: it renders as nothing."""
    from disclosures.markup import render_markdown

    assert "见附件" not in render_markdown("正文\n\n[注]: 见附件")
    out = _validate_one(data_dir, MINIMAL_PROJECT + 'notes: "正文\\n\\n[注]: 见附件"\n')
    assert "notes: [注]: 开头的行是 Markdown 链接定义" in out, out


def test_editorial_page_deeper_than_the_renderer_fails_the_build(tmp_path: Path) -> None:
    from support import build_site

    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "deep.md").write_text(
        "Title: 深\nSlug: deep\n\n" + DEEP_LIST, encoding="utf-8"
    )
    result = build_site(tmp_path / "out", content=content, check=False)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "deep.md" in result.stdout + result.stderr
    assert "Markdown nested 20 levels deep" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "meta,owner",
    [
        ("Save_as: 2020/index.html", "/2020/"),
        ("Save_as: index.html", "（home）"),
        ("Slug: ../indicators", "/indicators/（indicators）"),
        ("Save_as: 2020/ce-shi-dan-wei/ce-shi-xiang-mu/index.html", "/2020/ce-shi-dan-wei/"),
        ("Url: downloads/\nSave_as: downloads/index.html", "/downloads/"),
    ],
)
def test_editorial_page_cannot_take_a_generated_url(
    tmp_path: Path, data_dir: Path, meta: str, owner: str
) -> None:
    from support import build_site

    write_project(data_dir / "2020", "p.yaml")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "evil.md").write_text(f"Title: 冒充\n{meta}\n\n假的表格", encoding="utf-8")
    output = tmp_path / "out"
    result = build_site(output, data=data_dir, content=content, check=False)
    said = result.stdout + result.stderr
    assert result.returncode == 1 and not output.exists(), said[-2000:]
    assert "evil.md" in said and owner in said and "cannot take it" in said, said[-2000:]


def test_editorial_page_of_its_own_is_published(tmp_path: Path, data_dir: Path) -> None:
    from support import build_site

    write_project(data_dir / "2020", "p.yaml")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    page = content / "pages" / "about.md"
    page.write_text("Title: 关于\nSlug: about\n\n正文", encoding="utf-8")
    build_site(tmp_path / "out", data=data_dir, content=content)
    assert "正文" in (tmp_path / "out" / "pages" / "about" / "index.html").read_text("utf-8")


# --- paths: links out, special files, hostile names; nothing opened that could block ---------

PASSWD = Path("/etc/passwd")


def _no_leak(text: str) -> None:
    first = PASSWD.read_text(encoding="utf-8").splitlines()[0]
    assert first not in text, "content of /etc/passwd reached the output"


def test_fifo_in_data_folder_refused_without_blocking(data_dir: Path) -> None:
    (data_dir / "2020").mkdir()
    os.mkfifo(data_dir / "2020" / "p.yaml")
    os.mkfifo(data_dir / "_mapping.yaml")
    result = run_cli("validate", str(data_dir), timeout=60)  # opening a FIFO would hang
    assert result.returncode == 1
    assert f"{data_dir / '2020' / 'p.yaml'}:1:1: 这是命名管道（FIFO）" in result.stdout
    assert f"{data_dir / '_mapping.yaml'}:1:1:" in result.stdout, result.stdout


def test_socket_in_data_folder_refused(data_dir: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(data_dir / "s.yaml"))
        result = run_cli("validate", str(data_dir), timeout=60)
    finally:
        server.close()
    assert result.returncode == 1 and f"{data_dir / 's.yaml'}:1:1:" in result.stdout
    assert "this is a socket, not a file" in result.stdout


def test_loader_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    """A file swapped for a FIFO after it was listed: opened non-blocking, refused."""
    from disclosures.load import load_file

    os.mkfifo(tmp_path / "p.yaml")
    signal.alarm(20)  # a blocking open would hang the test run: fail it instead
    try:
        doc, problems = load_file(tmp_path / "p.yaml")
    finally:
        signal.alarm(0)
    assert doc is None and problems[0].en == "not a regular file; not read"


def test_link_to_etc_passwd_refused(data_dir: Path) -> None:
    (data_dir / "2020").mkdir()
    (data_dir / "2020" / "p.yaml").symlink_to(PASSWD)
    (data_dir / "_mapping.yaml").symlink_to(PASSWD)
    (data_dir / "_glossary.yaml").symlink_to(PASSWD)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    assert f"{data_dir / '2020' / 'p.yaml'}:1:1:" in result.stdout
    assert f"{data_dir / '_mapping.yaml'}:1:1:" in result.stdout
    assert "outside" in result.stdout
    _no_leak(result.stdout + result.stderr)


def test_glossary_linked_out_fails_the_build(tmp_path: Path, data_dir: Path) -> None:
    from support import build_site

    write_project(data_dir / "2020", "p.yaml")
    (data_dir / "_glossary.yaml").symlink_to(PASSWD)
    result = build_site(tmp_path / "out", data=data_dir, check=False)
    assert result.returncode == 1 and "_glossary.yaml" in result.stderr, result.stderr[-2000:]
    _no_leak(result.stdout + result.stderr)


def test_linked_folder_refused_not_skipped(tmp_path: Path, data_dir: Path) -> None:
    """Path.rglob does not descend into a linked folder: its files were silently left out."""
    elsewhere = tmp_path / "elsewhere"
    write_project(elsewhere, "p.yaml")
    (data_dir / "2020").symlink_to(elsewhere, target_is_directory=True)
    inside = data_dir / "real"
    write_project(inside, "q.yaml", MINIMAL_PROJECT.replace("测试项目", "另一个"))
    (data_dir / "2021").symlink_to(inside, target_is_directory=True)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 1
    assert f"{data_dir / '2020'}:1:1: 符号链接指向数据文件夹之外" in result.stdout, result.stdout
    assert f"{data_dir / '2021'}:1:1: 文件夹不能是符号链接" in result.stdout, result.stdout


def test_data_folder_linked_out_of_the_checkout_refused(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    write_project(tmp_path / "secret" / "2020", "p.yaml")
    (checkout / "data").symlink_to(tmp_path / "secret", target_is_directory=True)
    result = run_cli("validate", "data", cwd=checkout)
    assert result.returncode == 1 and "data:1:1:" in result.stdout
    assert "the folder is a symbolic link out of" in result.stdout, result.stdout


@pytest.mark.parametrize("name", ["p\x1b[2J.yaml", "p\u202eLMX.yaml", "p\n::error::x.yaml"])
def test_file_names_with_hidden_characters_refused(data_dir: Path, name: str) -> None:
    write_project(data_dir, name)
    result = run_cli("validate", "--format", "github", str(data_dir))
    assert result.returncode == 1
    assert result.stdout.count("\n") == 1 and "::error file=" in result.stdout
    assert "file name: character 2 is the" in result.stdout, result.stdout
    assert name[1] not in result.stdout.rstrip("\n")


def test_content_page_linked_out_fails_the_build(tmp_path: Path, data_dir: Path) -> None:
    from support import build_site

    write_project(data_dir / "2020", "p.yaml")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "leak.md").symlink_to(PASSWD)
    output = tmp_path / "out"
    result = build_site(output, data=data_dir, content=content, check=False)
    assert result.returncode == 1 and not output.exists()
    assert "leak.md:1:1: 符号链接指向内容文件夹之外" in result.stderr, result.stderr[-2000:]
    _no_leak(result.stdout + result.stderr)


def test_fifo_in_content_fails_the_build_without_blocking(tmp_path: Path, data_dir: Path) -> None:
    write_project(data_dir / "2020", "p.yaml")
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    os.mkfifo(content / "pages" / "wait.md")
    result = run_cli(
        *build_args(tmp_path / "out", data_dir, "pelicanconf.py", content), timeout=120
    )
    assert result.returncode == 1 and "wait.md:1:1: 这是命名管道（FIFO）" in result.stderr


# --- spreadsheet formulas: decided from what spreadsheet programs evaluate --------------------

GUARDED = [
    "=1+1",
    "=100%",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "+86 10 1234",  # not a number: a formula (space is Excel's intersection operator)
    "-1-1",
    "-abc",
    "@SUM(A1)",
    " =1+1",
    "  @SUM(A1)",
    "\t=1+1",
    "\r\n=1+1",
    "\n=1+1",
    "\u3000=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
    " ＝1+1",
    "\tabc",
    "\rabc",
    "-",
]
NOT_GUARDED = ["-5", "+86", "-1,234.5", "-5%", "+0.5", " -5 ", "5", "abc", "a=b", "中文=1", "—", ""]


@pytest.mark.parametrize("text", GUARDED)
def test_csv_cell_that_a_spreadsheet_evaluates_is_guarded(text: str) -> None:
    from disclosures.export.cells import csv_cell

    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", NOT_GUARDED)
def test_csv_cell_that_no_spreadsheet_evaluates_is_kept(text: str) -> None:
    from disclosures.export.cells import csv_cell

    assert csv_cell(text) == text


FORMULA_PROJECT = (
    MINIMAL_PROJECT.replace("name: 测试项目", 'name: "＝HYPERLINK(\\"http://x\\")"')
    .replace("unit: 测试单位", 'unit: " =1+1"')
    .replace("name: 完成率", 'name: "\\t@SUM(A1)"')
    .replace('target: "=100%"', 'target: "-5"')
)


def test_downloads_guard_csv_and_keep_xlsx_exact(tmp_path: Path, data_dir: Path) -> None:
    import csv

    import openpyxl
    from support import build_site

    write_project(data_dir / "2020", "p.yaml", FORMULA_PROJECT)
    output = tmp_path / "out"
    build_site(output, data=data_dir)
    with (output / "downloads" / "projects.csv").open(encoding="utf-8-sig", newline="") as f:
        project = next(csv.DictReader(f))
    assert project["项目名称"] == '\'＝HYPERLINK("http://x")'
    assert project["单位"] == "' =1+1"
    with (output / "downloads" / "indicators.csv").open(encoding="utf-8-sig", newline="") as f:
        indicator = next(csv.DictReader(f))
    assert indicator["三级指标"] == "'\t@SUM(A1)"
    assert indicator["指标值（原文）"] == "-5"  # a number, not a formula: kept as written
    workbook = output / "downloads" / "disclosures-2020.xlsx"  # the year's, not the all-years one
    book = openpyxl.load_workbook(workbook)
    values = [c for row in book["项目"].iter_rows(min_row=2) for c in row if c.value is not None]
    values += [c for row in book["指标"].iter_rows(min_row=2) for c in row if c.value is not None]
    texts = {c.value for c in values if c.data_type == "s"}
    assert {'＝HYPERLINK("http://x")', " =1+1", "\t@SUM(A1)", "-5"} <= texts, texts
    assert not [c.value for c in values if isinstance(c.value, str) and c.value.startswith("'")]
    assert not [c.value for c in values if c.data_type == "f"]


# --- importer limits: size, special files, zip bombs, memory, time ---------------------------


def _import(path: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    return run_cli("import", str(path), "--out", str(out), env=env, timeout=120)


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_import_refuses_what_is_not_a_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "table.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path = Path("/dev/zero")  # reads for ever
    result = _import(path, tmp_path / "drafts")
    assert result.returncode == 5, result.stderr
    assert {"fifo": "FIFO", "directory": "is a directory", "device": "character device"}[
        kind
    ] in result.stderr


def test_import_refuses_a_huge_file_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: no time to write
    result = _import(path, tmp_path / "drafts")
    assert result.returncode == 4 and "file too large (62914560 bytes" in result.stderr


def test_import_refuses_a_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):
                member.write(bytes(1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    result = _import(path, tmp_path / "drafts")
    assert result.returncode == 4, result.stderr
    assert "would unpack to 314572800 bytes" in result.stderr


def test_import_refuses_a_zip_that_lies_about_its_sizes(tmp_path: Path) -> None:
    """Declared 1 KB, inflates to 300 MB: the declared sizes alone let it through."""
    import struct

    path = tmp_path / "table.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):
                member.write(bytes(1024 * 1024))
    raw = bytearray(path.read_bytes())
    central = raw.index(b"PK\x01\x02")
    raw[22:26] = struct.pack("<I", 1024)  # local header: uncompressed size
    raw[central + 24 : central + 28] = struct.pack("<I", 1024)  # central directory
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as archive:
        assert sum(m.file_size for m in archive.infolist()) == 1024
    result = _import(path, tmp_path / "drafts")
    assert result.returncode == 4, result.stderr
    assert "unpacks to more than" in result.stderr and "zip bomb" in result.stderr


def test_import_stops_a_huge_web_page_at_the_memory_limit(tmp_path: Path) -> None:
    """Every tag of a saved page becomes an object: 5 MB of cells is a tree of gigabytes."""
    path = tmp_path / "table.html"
    cells = "<tr><td>项目名称</td><td>x</td></tr>" * 150_000
    path.write_text(f"<!DOCTYPE html><html><body><table>{cells}</table></body></html>")
    result = _import(path, tmp_path / "drafts", DISCLOSURES_IMPORT_MEMORY_LIMIT=str(100 << 20))
    assert result.returncode == 7, result.stderr[-2000:]
    assert "more than 100 MB of memory" in result.stderr


def test_import_stops_a_slow_text_read_at_the_time_limit(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text("项目名称\t一级指标\t二级指标\n" * 1_000_000, encoding="utf-8")
    result = _import(path, tmp_path / "drafts", DISCLOSURES_IMPORT_TIME_LIMIT="0.2")
    assert result.returncode == 6, result.stderr[-2000:]
    assert "reading took longer than 0.2 s" in result.stderr


def _stream_bomb_pdf(unpacked: int) -> bytes:
    """A one-page PDF whose content stream inflates to `unpacked` bytes of spaces."""
    squeeze = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    data = b"".join(squeeze.compress(chunk) for _ in range(unpacked // len(chunk)))
    data += squeeze.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_import_stops_a_compressed_pdf_stream_at_the_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(_stream_bomb_pdf(600 * 1024 * 1024))
    assert path.stat().st_size < 2 * 1024 * 1024
    result = _import(path, tmp_path / "drafts", DISCLOSURES_IMPORT_MEMORY_LIMIT=str(200 << 20))
    assert result.returncode == 7, result.stderr
    assert "more than 200 MB of memory" in result.stderr


def test_import_stops_a_slow_read_at_the_time_limit(tmp_path: Path) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(_stream_bomb_pdf(64 * 1024 * 1024))
    result = _import(path, tmp_path / "drafts", DISCLOSURES_IMPORT_TIME_LIMIT="0.2")
    assert result.returncode == 6, result.stderr
    assert "reading took longer than 0.2 s" in result.stderr


# --- look-alike names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "unit,words",
    [
        ("上海市教育局\u0410", "Cyrillic letter 'А' (U+0410)"),  # Cyrillic A
        ("上海市\u039fΡ单位", "Greek letter"),  # Greek Omicron, Rho
        ("ＡＢc单位", "full-width and half-width Latin"),
    ],
)
def test_look_alike_unit_names_warned(data_dir: Path, unit: str, words: str) -> None:
    write_project(data_dir / "2020", "a.yaml", MINIMAL_PROJECT.replace("测试单位", unit))
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 0, result.stdout  # a warning: the site still builds
    assert re.search(rf"a\.yaml:4:\d+: unit: 警告 warning: .*{re.escape(words)}", result.stdout), (
        result.stdout
    )


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("region", "湖北省武汉市青山\u0440区", "Cyrillic letter 'р' (U+0440)"),
        ("department", "[015001]武汉市青山区教育\u039f", "Greek letter 'Ο' (U+039F)"),
        ("unit", "青山区\u2f08民政府", "U+2F08 KANGXI RADICAL MAN"),  # ⼈ drawn as 人
        ("name", "\uf90a山区项目", "U+F90A CJK COMPATIBILITY IDEOGRAPH-F90A"),  # 金
    ],
)
def test_look_alike_identity_fields_warned(
    data_dir: Path, field: str, value: str, words: str
) -> None:
    """Region and department name a place and a department as the unit names a unit; a
    Kangxi radical or compatibility ideograph is drawn exactly as an ordinary character."""
    text = MINIMAL_PROJECT.replace("name: 测试项目\n", "").replace("unit: 测试单位\n", "")
    defaults = {"name": "测试项目", "unit": "测试单位"}
    lines = "".join(f"{key}: {_q(v)}\n" for key, v in {**defaults, field: value}.items())
    write_project(data_dir / "2020", "a.yaml", text + lines)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 0, result.stdout
    line = 11 + list({**defaults, field: value}).index(field)  # after the 10 lines left
    assert re.search(
        rf"a\.yaml:{line}:\d+: {field}: 警告 warning: .*{re.escape(words)}", result.stdout
    ), result.stdout


@pytest.mark.parametrize(
    "code,hint",
    [
        ("４３３００１", "did you mean '433001'?"),  # full-width digits
        ("٤٣٣٠٠١", ""),  # Arabic-Indic digits
        ("433001\n", ""),  # `$` with re.match would let the newline through
        ("433001;id", ""),
        ("1" * 41, ""),
    ],
)
def test_unit_code_is_ascii_matched_whole(data_dir: Path, code: str, hint: str) -> None:
    out = _validate_one(data_dir, MINIMAL_PROJECT + f"unit_code: {_q(code)}\n")
    assert re.search(r":13:\d+: unit_code: 单位编码只能由半角字母", out), out
    assert "a unit code is ASCII letters and digits" in out and hint in out


def test_unit_codes_as_printed_accepted(data_dir: Path) -> None:
    for i, code in enumerate(["433001", "015001", "91-A3"]):
        text = MINIMAL_PROJECT.replace("测试项目", f"项目{i}") + f"unit_code: {_q(code)}\n"
        write_project(data_dir / "2020", f"p{i}.yaml", text)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 0 and "unit_code" not in result.stdout, result.stdout


def test_ordinary_names_not_warned(data_dir: Path) -> None:
    for i, unit in enumerate(["ABC单位", "5G基站建设中心", "第Ⅱ期单位", "测试单位"]):
        text = MINIMAL_PROJECT.replace("测试单位", unit).replace("测试项目", f"项目{i}")
        write_project(data_dir / "2020", f"p{i}.yaml", text)
    result = run_cli("validate", str(data_dir))
    assert result.returncode == 0 and "warning" not in result.stdout, result.stdout


def test_text_longer_than_a_spreadsheet_cell_refused(data_dir: Path) -> None:
    import xlsxwriter

    # The attack: XlsxWriter cuts a longer string to 32,767 characters (and only warns).
    assert (
        xlsxwriter.Workbook("x.xlsx", {"in_memory": True})
        .add_worksheet()
        .write_string(0, 0, "长" * 32_768)
        == -2
    )
    out = _validate_one(data_dir, MINIMAL_PROJECT + f"notes: {'长' * 32_768}\n")
    assert ":13:8: notes: 内容有 32768 字" in out and "longer than a spreadsheet cell" in out
    path = write_project(data_dir, "p.yaml", MINIMAL_PROJECT + f"notes: {'长' * 32_767}\n")
    assert run_cli("validate", str(path)).returncode == 0


# --- bounded work: a 2 MB hostile file costs about what a real table costs ------------------
# Measured before the bounds (2 cores, `disclosures validate` of one file): a million `{},`
# rows 26 s and 813 MB, 200,000 unknown keys 24 s and 135 MB of messages, 20-deep lists side
# by side 905 MB. With them: under 2 s and 120 MB each (docs/security.md, "Bounded work").

_FILE_BYTES = 2 * 1024 * 1024 - 64  # just under load.MAX_FILE_BYTES
_HEAD = MINIMAL_PROJECT.split("indicators:")[0]


def _fill(prefix: str, unit: str, suffix: str = "") -> str:
    room = _FILE_BYTES - len(prefix.encode()) - len(suffix.encode())
    return prefix + unit * (room // len(unit.encode())) + suffix


def _validate_capped(data_dir: Path, text: str) -> subprocess.CompletedProcess:
    """`disclosures validate` of one file within 1 GiB of address space."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    path = write_project(data_dir, "p.yaml", text)
    assert path.stat().st_size <= 2 * 1024 * 1024
    return subprocess.run(
        [str(Path(sys.executable).parent / "disclosures"), "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        env={**os.environ, "DISCLOSURES_CACHE_PATH": ""},
    )


HOSTILE_SHAPES = {
    "a-million-empty-rows": (
        _fill(_HEAD + "indicators: [", "{},", "{}]\n"),
        "more than 1000 rows in one place",
    ),
    "200000-unknown-keys": (
        _HEAD + "".join(f"k{i}: v\n" for i in range(_FILE_BYTES // 12)),
        "more than 1000 keys in one place",
    ),
    "a-million-values-in-lists": (
        _HEAD + "".join(f"x{i}: [" + ",".join("a" * 999) + "]\n" for i in range(500)),
        "the file holds more than 20000 values",
    ),
    "lists-20-deep-side-by-side": (
        _fill(_HEAD + "notes:\n", "  - " + "[" * 19 + "a" + "]" * 19 + "\n"),
        "the file holds more than 20000 values",
    ),
    "a-text-of-600000-characters": (
        _HEAD + "notes: " + "长" * 600_000 + "\n",
        "text too long (600000 characters, limit 100000)",
    ),
    "aliases-used-200000-times": (
        _fill(_HEAD + "a: &a [x, x, x, x, x, x, x, x]\nb: [", "*a,", "*a]\n"),
        "YAML aliases are not allowed",
    ),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE_SHAPES))
def test_hostile_file_is_refused_at_a_bound_before_composing(data_dir: Path, shape: str) -> None:
    text, message = HOSTILE_SHAPES[shape]
    result = _validate_capped(data_dir, text)
    assert result.returncode == 1, result.stderr[-2000:]
    assert message in result.stdout, result.stdout[:2000]
    assert len(result.stdout.splitlines()) <= 3, result.stdout[:2000]


def _rows(count: int, target: str) -> str:
    return "".join(
        f'  - {{level1: 产出目标, level2: 数量, name: 指标{i}, target: "{target}"}}\n'
        for i in range(count)
    )


def test_problems_per_file_are_capped(data_dir: Path) -> None:
    from disclosures.problems import MAX_PER_FILE

    result = _validate_capped(data_dir, MINIMAL_PROJECT + _rows(900, "≥x"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    shown = [line for line in lines if "starts with an operator" in line]
    assert len(shown) == MAX_PER_FILE, len(shown)
    assert any("… and more: checking stopped after 50 problems" in x for x in lines), lines[-3:]
    assert any("另有更多问题" in x for x in lines)
    assert len(lines) == MAX_PER_FILE + 1  # the problems and the stop (summary: stderr)


def test_a_file_with_too_many_warnings_is_not_published(data_dir: Path) -> None:
    """Warnings alone do not refuse a file; a file not checked to the end is refused."""
    private = "\ue000"
    few = write_project(data_dir, "p.yaml", MINIMAL_PROJECT + _rows(3, private))
    assert run_cli("validate", str(few)).returncode == 0
    result = _validate_capped(data_dir, MINIMAL_PROJECT + _rows(900, private))
    assert result.returncode == 1 and "checking stopped after 50 problems" in result.stdout


def test_a_message_quoting_a_long_value_is_cut(data_dir: Path) -> None:
    target = "≥个" + "、" * 30_000
    result = _validate_capped(data_dir, MINIMAL_PROJECT + _rows(20, target))
    assert result.returncode == 1 and "starts with an operator" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) < 1_500
    assert len(result.stdout) < 40_000, len(result.stdout)


def test_period_longer_than_any_date_range_refused(data_dir: Path) -> None:
    """Every hyphen of a period is tried as the split: 32,000 characters took 0.5 s."""
    out = _validate_one(data_dir, MINIMAL_PROJECT + f"period: {'1-' * 16_000}\n")
    assert ":13:9: period: 起止时间过长（32000 字" in out and "period too long" in out, out[:500]


# --- the threat table names real tests -------------------------------------------------------


def test_every_input_threat_names_a_test_that_exists() -> None:
    """docs/security.md, section "Input": every `I name` cited is a test in this file."""
    from support import REPO

    text = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("## Input:", 1)[1].split("\n## ", 1)[0]
    cited = set()
    for cell in re.findall(r"\bI ((?:`[^`]+`(?:, |\s)*)+)", section):
        cited |= {re.sub(r"\[.*", "", name) for name in re.findall(r"`([^`]+)`", cell)}
    assert len(cited) >= 30, cited
    defined = {name for name in globals() if name.startswith("test_")}
    assert cited <= defined, sorted(cited - defined)


def test_import_stops_slow_parsing_at_the_time_limit(tmp_path: Path, monkeypatch) -> None:
    """Parsing the text into drafts runs under the same time limit as reading it: a page
    whose text is read quickly but parsed for ever costs one killed child, exit 6, no file."""
    import time

    from disclosures.importer import command

    def parse_for_ever(text, name):  # stands in for a pattern the parser is slow on
        time.sleep(30)
        return []

    monkeypatch.setattr(command, "parse_text", parse_for_ever)
    monkeypatch.setenv("DISCLOSURES_IMPORT_TIME_LIMIT", "1")
    page = tmp_path / "table.txt"
    page.write_text("项目名称：某项目\n一级指标\t二级指标\t三级指标\t指标值\n", encoding="utf-8")
    out = tmp_path / "drafts"
    started = time.monotonic()
    assert command.import_file(page, out) == 6
    assert time.monotonic() - started < 20
    assert not out.exists() or not any(out.rglob("*.yaml"))


# -- fifth session: pages and source addresses (docs/security.md, "Input") ---------------------


@pytest.mark.parametrize(
    "page",
    [
        "Title: 通知\u202e001%\nSlug: hidden\n\n正文\n",
        "Title: 通知\nSlug: hidden\n\n预算\u200b增长\n",
        "Title: 通知\nSlug: hidden\n\n完成\x1b[2J率\n",
    ],
    ids=["bidi-title", "zero-width-body", "escape-body"],
)
def test_editorial_page_with_hidden_characters_fails_the_build(tmp_path: Path, page: str) -> None:
    """Pages went round the text policy: a bidi override in a title reached every page's
    menu, escape and zero-width characters the page itself."""
    from support import build_site

    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "hidden.md").write_text(page, encoding="utf-8")
    result = build_site(tmp_path / "out", content=content, check=False)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "hidden.md" in result.stdout + result.stderr
    assert "remove it" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "pages" / "hidden").exists()


def test_validate_checks_pages_with_line_and_column(tmp_path: Path) -> None:
    write_project(tmp_path / "data" / "2020")
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "ok.md").write_bytes("Title: 好\r\nSlug: ok\r\n\r\n正文\r\n".encode())
    (pages / "bad.md").write_text("Title: 通知\nSlug: bad\n\n第二\u2066段\n", encoding="utf-8")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        "content/pages/bad.md:4:3: 第 4 行第 3 个字符是不可见的格式字符 U+2066 LEFT-TO-RIGHT "
        "ISOLATE（请删除） / line 4, character 3 is the invisible format character U+2066 "
        "LEFT-TO-RIGHT ISOLATE; remove it"
    ]
    (pages / "bad.md").unlink()
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 0 and "1 page(s)" in result.stderr


@pytest.mark.parametrize(
    "source,said",
    [
        ("https://www.hunan.gov.cn@evil.example/a.html", "the link goes to evil.example"),
        ("https://evil.example\\@www.hunan.gov.cn/", "backslash"),
        ("https://www.hun\u0430n.gov.cn/a.html", "Cyrillic"),
        ("https://", "no host name"),
    ],
    ids=["user-part", "backslash", "homograph", "no-host"],
)
def test_source_address_that_reads_as_another_site_refused(
    tmp_path: Path, source: str, said: str
) -> None:
    """The page links a source address with the address itself as the link's text."""
    text = MINIMAL_PROJECT + f"source: {_q(source)}\n"
    write_project(tmp_path / "data" / "2020", text=text)
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 1 and said in result.stdout, result.stdout
    assert ": source: " in result.stdout


@pytest.mark.parametrize(
    "source",
    [
        "http://xtcg.xiangtan.gov.cn/15068/15075/26693/content_1250928.html",
        "https://www.hunan.gov.cn/a.html?from=a@b.cn",
        "https://中国政府网.政务/",
        "湘潭市财政局网站，2023年3月",
        "原表.pdf",
    ],
)
def test_ordinary_source_addresses_and_names_accepted(tmp_path: Path, source: str) -> None:
    write_project(tmp_path / "data" / "2020", text=MINIMAL_PROJECT + f"source: {_q(source)}\n")
    result = run_cli("validate", "data", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def _office_bomb(folder: Path, kind: str) -> Path:
    """A small office file (< 50 KB) that declares (by merged ranges, grid spans or one far cell) a
    table of tens of millions of cells."""
    if kind == "xml-merge":  # Excel 2003 XML saved as .xls, one cell merged over 10^10
        path = folder / "merge.xls"
        path.write_text(
            '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
            'spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            '<Worksheet ss:Name="S"><Table><Row><Cell ss:MergeAcross="100000" '
            'ss:MergeDown="100000"><Data ss:Type="String">项目名称</Data></Cell></Row></Table>'
            "</Worksheet></Workbook>",
            encoding="utf-8",
        )
        return path
    if kind == "xml-far":  # the same format, a second cell placed by ss:Index far away
        path = folder / "far.xls"
        path.write_text(
            '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:'
            'spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            '<Worksheet ss:Name="S"><Table><Row><Cell><Data ss:Type="String">项目名称</Data>'
            '</Cell></Row><Row ss:Index="60000"><Cell ss:Index="9000"><Data ss:Type="String">'
            "x</Data></Cell></Row></Table></Worksheet></Workbook>",
            encoding="utf-8",
        )
        return path
    if kind == "xlsx-far":  # one cell at XFD1048576: openpyxl walks 1.7 * 10^10 cells
        import openpyxl

        book = openpyxl.Workbook()
        book.active["A1"] = "项目名称"
        book.active["XFD1048576"] = "x"
        path = folder / "far.xlsx"
        book.save(path)
        return path
    plain = folder / "plain"
    if kind == "xlsx-merge":  # openpyxl makes an object per merged cell while loading
        import openpyxl

        book = openpyxl.Workbook()
        book.active["A1"] = "项目名称"
        book.save(plain)
        member, old = "xl/worksheets/sheet1.xml", b"</sheetData>"
        bomb = b'</sheetData><mergeCells count="1"><mergeCell ref="A1:ZZ100000"/></mergeCells>'
        path = folder / "merge.xlsx"
    else:  # docx-span: python-docx lists a cell once per grid column it spans
        import docx

        document = docx.Document()
        document.add_table(rows=1, cols=2).cell(0, 0).text = "项目名称"
        document.save(plain)
        member, old = "word/document.xml", b"<w:tcPr>"
        bomb = b'<w:tcPr><w:gridSpan w:val="50000000"/>'
        path = folder / "span.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            out.writestr(name, data.replace(old, bomb, 1) if name == member else data)
    return path


@pytest.mark.parametrize("kind", ["xml-merge", "xml-far", "xlsx-far", "xlsx-merge", "docx-span"])
def test_import_refuses_an_office_file_declaring_a_huge_table_before_reading_it(
    tmp_path: Path, kind: str
) -> None:
    """The cells a sheet spans are counted from its dimensions, merged ranges and grid spans
    before any reader expands them: refused at once as too large (exit 4) with what to do,
    instead of using all the memory and time the limits allow (exit 6/7 after up to a minute,
    or a 14 s, 800 MB read of a 5 KB Word file that fits under them)."""
    path = _office_bomb(tmp_path, kind)
    assert path.stat().st_size < 50_000
    result = _import(path, tmp_path / "drafts", DISCLOSURES_IMPORT_TIME_LIMIT="30")
    assert result.returncode == 4, result.stderr
    assert "limit 2,000,000" in result.stderr and "上限 2,000,000" in result.stderr
    assert "not a target table" in result.stderr, result.stderr
    assert not (tmp_path / "drafts").exists() or not any((tmp_path / "drafts").iterdir())


@pytest.mark.parametrize(
    "header,said",
    [
        ("Date: notadate", "date cannot be read ('notadate' is not a valid date)"),
        ("Modified: 2024-13-45", "modified cannot be read"),
        ("Status: publish", "Status must be one of published, hidden, draft"),
    ],
)
def test_page_header_the_build_cannot_read_refused_by_validate(
    tmp_path: Path, header: str, said: str
) -> None:
    write_project(tmp_path / "data" / "2020")
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "p.md").write_text(f"Title: 通知\nSlug: p\n{header}\n\n正文\n", encoding="utf-8")
    result = run_cli("validate", "data", "--pages", "content", cwd=tmp_path)
    assert result.returncode == 1 and "content/pages/p.md:3:1: " in result.stdout
    assert said in result.stdout, result.stdout
