"""The web editor's configuration and file format (admin/, plugins/disclosures/cms.py).

- admin/config.yml is what fields.py declares (like the JSON Schema): stale → fails;
- every field of every form is in the forms, with its label, meaning and required-ness;
- the editor's serializer (admin/src/format.js, run in node exactly as in the browser) writes
  every file of data/ back byte for byte, and writes what the site reads back unchanged;
- /admin/ carries its own Content-Security-Policy; the public pages keep the strict one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from disclosures import cms, schema
from disclosures import fields as F
from disclosures.importer.yamlout import _plain_ok
from disclosures.load import load_text
from support import REPO, run_cli, soup

ADMIN = REPO / "admin"
ROUNDTRIP = ADMIN / "src" / "roundtrip.js"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: run `make admin-deps` (installs npm and node). Never skipped.")
    if not (ADMIN / "node_modules" / "js-yaml").is_dir():
        pytest.fail("admin/node_modules missing: run `make admin-deps`. Never skipped.")
    return node


def _roundtrip(tmp_path: Path, files: list[Path]) -> dict[str, dict]:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(cms.format_spec(), ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [_node(), str(ROUNDTRIP), str(spec), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    return {row["file"]: row for row in rows}


# -- the configuration follows the declaration ------------------------------------------------
def test_committed_config_is_generated_from_fields():
    committed = (REPO / cms.CONFIG_PATH).read_text(encoding="utf-8")
    assert committed == cms.config_text(), "admin/config.yml is stale: run `make schema`"
    result = run_cli("schema", "--check")
    assert result.returncode == 0, result.stderr


def _widgets(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


@pytest.mark.parametrize("form", F.FORMS)
def test_every_field_of_the_form_is_in_its_collection(form: str):
    collection = next(c for c in cms.config()["collections"] if c["name"] == form)
    assert collection["filter"] == {"field": "form", "value": form}
    assert collection["format"] == cms.FORMAT_NAME and collection["folder"] == "data"

    def check(specs: tuple[F.Field, ...], widgets: list[dict], where: str, at: str = "") -> None:
        by_name = _widgets(widgets)
        expected = [s.key for s in specs if form in s.forms]
        assert list(by_name) == expected, f"{where}: fields differ from fields.py"
        for spec in specs:
            if form not in spec.forms:
                continue
            widget = by_name[spec.key]
            if spec.key == "form":
                assert widget == {**widget, "widget": "hidden", "default": form}
                continue
            assert widget["label"] == spec.label_for(form)
            assert widget["hint"].startswith(spec.meaning)
            # The English name of the field (fields.LABELS_EN) under it, for every field.
            dotted = f"{at}.{spec.key}" if at else spec.key
            assert F.label_en(dotted), dotted
            assert widget["hint"].endswith(cms.ENGLISH_HINT + F.label_en(dotted)), dotted
            assert widget["required"] is (spec.required or form in spec.required_for)
            kind = {
                F.MAPPING: "object",
                F.LIST: "list",
                F.CHOICE: "select",
                F.MARKDOWN: "markdown",
            }.get(spec.kind, "string")
            assert widget["widget"] == kind, f"{where}.{spec.key}"
            if spec.kind == F.CHOICE:
                assert widget["options"] == list(spec.choices)
            if spec.kind == F.MARKDOWN:  # raw Markdown only: the rich mode rewrites the text
                assert widget["modes"] == ["raw"]
            if spec.kind == F.MONEY:
                assert re.match(widget["pattern"][0], "250万") and re.match(
                    widget["pattern"][0], "9900000"
                )
                assert not re.match(widget["pattern"][0], "九百万")
            if spec.kind == F.YEAR:
                assert not re.match(widget["pattern"][0], "20")
            if spec.children:
                check(spec.children, widget["fields"], f"{where}.{spec.key}", dotted)

    # First, the importer's notes (read-only, not a field of the format): then the format's.
    notes, *fields = collection["fields"]
    assert notes["name"] == cms.NOTES_FIELD and notes["widget"] == cms.NOTES_WIDGET
    assert notes["required"] is False
    check(F.PROJECT, fields, form)


def test_the_json_schema_names_every_field_in_chinese_and_english():
    """schema/disclosure.schema.json and the declaration agree: each field's `title` is its
    label as printed, `x-label-en` its English label, and the description says both."""
    committed = json.loads((REPO / schema.SCHEMA_PATH).read_text(encoding="utf-8"))
    assert committed == schema.json_schema(), "the JSON Schema is stale: run `make schema`"
    seen = []

    def check(specs: tuple[F.Field, ...], node: dict, at: str) -> None:
        for spec in specs:
            dotted = f"{at}.{spec.key}" if at else spec.key
            prop = node["properties"][spec.key]
            assert prop["title"] == spec.label, dotted
            assert prop["x-label-en"] == F.label_en(dotted) != "", dotted
            assert prop["description"].startswith(f"{spec.label}：{spec.meaning} / ")
            assert prop["description"].endswith(f"{F.label_en(dotted)}: {spec.meaning_en}")
            seen.append(dotted)
            if spec.children:
                inner = prop["items"] if spec.kind == F.LIST else prop
                check(spec.children, inner, dotted)

    check(F.PROJECT, committed, "")
    assert set(F.LABELS_EN) <= set(seen) and len(F.LABELS_EN) >= 90


def test_a_field_added_to_the_declaration_appears_in_the_forms(monkeypatch):
    """The configuration is derived, not copied: a new field shows up without other edits."""
    extra = F.Field("contact", "联系人", "填表联系人。", "Contact.", F.TEXT)
    monkeypatch.setattr(F, "PROJECT", (*F.PROJECT, extra))
    for collection in cms.config()["collections"]:
        assert collection["fields"][-1]["name"] == "contact"
        assert collection["fields"][-1]["label"] == "联系人"
    assert cms.config_text() != (REPO / cms.CONFIG_PATH).read_text(encoding="utf-8")


def test_each_form_says_how_to_add_change_and_import_in_the_editors_words():
    """The text above each collection's list: what an editor looks for first, in their words
    (no file path: they never see files), pointing at the import page of local mode and at the
    guide's section on importing, which the browser cannot do through a git host."""
    config = yaml.safe_load((ADMIN / "config.yml").read_text(encoding="utf-8"))
    guide = (REPO / "content" / "pages" / "editor-guide.md").read_text(encoding="utf-8")
    section = re.search(r"^### 5\. (.+)$", guide, re.MULTILINE)
    assert section is not None and "导入" in section.group(1), "the guide's section 5 moved"
    for collection in config["collections"]:
        said = collection["description"]
        assert "＋ 项目" in said and "导入" in said and "不能上传" in said, said
        assert "本机编辑时点页面左下角的“导入表格”" in said, said  # make edit's import page
        assert "“编辑指南”第 5 节" in said and "data/" not in said, said


def test_backend_and_local_mode_come_from_the_settings():
    settings = {
        "DISCLOSURES_ADMIN_BACKEND": {
            "name": "gitea",
            "repo": "yusuan/disclosures",
            "base_url": "https://git.example.gov.cn",
            "api_root": "https://git.example.gov.cn/api/v1",
        },
        "DISCLOSURES_ADMIN_LOCAL_BACKEND": "http://127.0.0.1:8081/api/v1",
    }
    config = yaml.safe_load(cms.config_text(settings))
    assert config["backend"]["name"] == "gitea"
    assert config["backend"]["commit_messages"]["create"].startswith("添加")
    assert config["local_backend"]["url"] == "http://127.0.0.1:8081/api/v1"
    assert "local_backend" not in cms.config()
    # GitHub: REST only, where editor.js's overwrite guard sees the versions (not GraphQL).
    github = {"name": "github", "repo": "o/r", "base_url": "https://a.example", "use_graphql": True}
    config = cms.config({"DISCLOSURES_ADMIN_BACKEND": github})
    assert config["backend"]["use_graphql"] is False and config["backend"]["repo"] == "o/r"


# -- files written as editors write them -------------------------------------------------------
def _hand_written() -> list[Path]:
    return [p for p in sorted((REPO / "data").rglob("*.yaml")) if not p.name.startswith("_")]


def test_every_data_file_survives_a_save_without_change(tmp_path: Path):
    """The files of data/ (written by hand and by the importer): byte for byte."""
    files = _hand_written()
    assert len(files) >= 6
    written = _roundtrip(tmp_path, files)
    differ = []
    for path in files:
        row = written[str(path)]
        assert row["error"] is None, f"{path}: {row['error']}"
        if row["written"] != path.read_text(encoding="utf-8"):
            differ.append(str(path.relative_to(REPO)))
    assert not differ, f"a save without change rewrote: {differ}"


SAMPLES = REPO.parent / "shared" / "samples"


def test_imported_drafts_survive_a_save_without_change(tmp_path: Path):
    """The importer's output opened in the editor and saved as is: byte for byte, comment
    blocks (未识别 / unplaced, 表外文字) included."""
    sources = sorted(p for p in [*SAMPLES.glob("*"), *SAMPLES.glob("more/*")] if p.suffix != ".md")
    assert sources, f"no samples in {SAMPLES}"
    drafts = tmp_path / "drafts"
    run_cli("import", *map(str, sources), "--out", str(drafts))  # exit 3: some text unplaced
    files = sorted(drafts.rglob("*.yaml"))
    assert len(files) >= 10
    written = _roundtrip(tmp_path, files)
    differ = [str(p) for p in files if written[str(p)]["written"] != p.read_text("utf-8")]
    assert not differ, differ


def test_files_in_another_layout_keep_every_value(tmp_path: Path):
    """Files laid out otherwise (the corpus's expected files, written by yaml.dump): a save
    rewrites them in the editors' layout (docs/web-editor.md); every value, every key, its
    order and every comment are kept, and the schema comment is added."""
    files = sorted((REPO / "tests" / "corpus" / "expected").rglob("*.yaml"))
    if not files:
        pytest.fail("tests/corpus/expected/ holds no files")
    written = _roundtrip(tmp_path, files)
    for path in files:
        row = written[str(path)]
        assert row["error"] is None, f"{path}: {row['error']}"
        before, _ = load_text(path.read_text(encoding="utf-8"), str(path))
        after, _ = load_text(row["written"], str(path))
        assert before is not None and after is not None, path
        assert _blank_as_none(after.data) == _blank_as_none(before.data), path
        kept = [k for k in before.data if before.data[k] != [] and before.data[k] != {}]
        assert list(after.data) == kept, f"{path}: key order"
        comments = [
            ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip().startswith("#")
        ]
        kept = [ln.strip() for ln in row["written"].splitlines() if ln.strip().startswith("#")]
        assert [c for c in kept if c in comments] == comments, f"{path}: comments"
        assert row["written"].startswith("# yaml-language-server: $schema=")


def _blank_as_none(value):
    """Blank is blank: "" and no value are the same; an empty list (`extra: []`) is not
    written at all (docs/web-editor.md)."""
    if isinstance(value, dict):
        return {k: _blank_as_none(v) for k, v in value.items() if v != [] and v != {}}
    if isinstance(value, list):
        return [_blank_as_none(v) for v in value]
    return None if value == "" else value


def test_what_the_editor_writes_the_site_reads_back_unchanged(tmp_path: Path):
    """Values YAML 1.1 or 1.2 would re-type stay text; money becomes exact integer yuan."""
    model = {
        "form": "shanghai",
        "year": "2021",
        "name": "on",
        "unit": "1:20",
        "category": "6.30",
        "performance_type": "null",
        "source": "2020-01-01",
        "start": "2020.07",
        "budget": {"total": "6.30万元", "current_year": "1,000", "previous_year": None},
        "sections": {"overview": "第一段\n\n  缩进的第二段：含 # 号"},
        "indicators": [
            {"level1": "产出指标", "name": "完成率", "target": "= 8"},
            {"level1": "true", "name": "0x1F", "target": ">=95%"},
        ],
        "notes": "行尾有空格 \n第二行",
    }
    node = _node()
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(cms.format_spec(), ensure_ascii=False), encoding="utf-8")
    script = (
        "const f=require(process.argv[1]);const fs=require('fs');"
        "const spec=JSON.parse(fs.readFileSync(process.argv[2],'utf8'));"
        "process.stdout.write(f.toFile(JSON.parse(process.argv[3]),spec));"
    )
    text = subprocess.run(
        [node, "-e", script, str(ADMIN / "src" / "format.js"), str(spec), json.dumps(model)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ADMIN,
    ).stdout
    assert text.startswith("# yaml-language-server: $schema=")
    doc, problems = load_text(text, "x.yaml")
    assert doc is not None and not problems, problems
    data = doc.data
    for key in ("year", "name", "unit", "category", "performance_type", "source", "start"):
        assert data[key] == model[key], key
    assert data["budget"]["total"] == "63000" and data["budget"]["current_year"] == "1000"
    assert data["budget"]["previous_year"] in (None, "")  # `previous_year:` — blank, not 0
    assert "  # 原写法 as written: 6.30万元\n  total: 63000\n" in text
    assert data["sections"]["overview"] == model["sections"]["overview"]
    assert data["indicators"][1] == model["indicators"][1]
    assert data["notes"] == model["notes"]
    # Only what the pipeline accepts was written: the file validates.
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_or_quoted_as_the_importer_decides(tmp_path: Path):
    """format.js decides plain vs quoted as importer/yamlout.py does (one layout)."""
    samples = [
        "产出指标", "yes", "No", "~", "null", "1:20", "6.30", "0o17", "1e3", "+12", "2020-01-01",
        "= 8", "=", "-开头", "a: b", "a #b", "结尾:", " 空格", "100%", "(08)经济贸易科",
        "[015001]武汉", "http://x.cn/a?b=1", "≥90%", "12月底到位", "0", "007", ".5", "1_000",
    ]  # fmt: skip
    script = (
        "const f=require(process.argv[1]);"
        "process.stdout.write(JSON.stringify(JSON.parse(process.argv[2]).map(f.plainOk)));"
    )
    result = subprocess.run(
        [_node(), "-e", script, str(ADMIN / "src" / "format.js"), json.dumps(samples)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ADMIN,
    )
    verdicts = dict(zip(samples, json.loads(result.stdout), strict=True))
    # Where the two differ, format.js is the stricter (YAML 1.2 numbers quoted too).
    for text, plain in verdicts.items():
        if plain:
            assert _plain_ok(text), f"format.js writes {text!r} plain, yamlout quotes it"
        if _plain_ok(text) and not plain:
            assert re.fullmatch(r"[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?|0o[0-7]+", text), text
    assert verdicts["产出指标"] and not verdicts["yes"] and not verdicts["="]


# -- /admin/ in the built site ------------------------------------------------------------------
def _csp(page: Path) -> str:
    meta = soup(page).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None, f"{page}: no Content-Security-Policy"
    return meta["content"]


def test_admin_is_built_with_its_own_policy_and_no_other_host(site: Path):
    admin = site / "admin"
    policy = _csp(admin / "index.html")
    assert "script-src 'self' 'unsafe-eval';" in policy  # Decap's ajv; no inline script
    assert "style-src 'self' 'unsafe-inline'" in policy  # Decap's emotion styles
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page = soup(admin / "index.html")
    scripts = [s.get("src") for s in page.find_all("script")]
    assert scripts and all(s and "//" not in s for s in scripts), scripts
    assert all(not s.string for s in page.find_all("script")), "inline script"
    for name in scripts:
        assert (admin / name).is_file(), name
    bundle = (admin / "decap-cms.js").read_text(encoding="utf-8", errors="replace")
    assert "decap-cms" in bundle
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["collections"]
    # No font or stylesheet from another host anywhere in the editor's own files.
    for name in ("index.html", "editor.js", "format.js", "editor.css", "config.yml"):
        text = (admin / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)[^\s\"']*\.(js|css|woff2?)", text)


def test_public_pages_keep_the_strict_policy(site: Path):
    pages = [p for p in site.rglob("*.html") if "admin" not in p.relative_to(site).parts]
    assert len(pages) > 20
    for page in pages:
        policy = _csp(page)
        assert "'unsafe-eval'" not in policy, page
        assert "'unsafe-inline'" not in policy, page
        assert "style-src 'self';" in policy, page


def test_no_admin_without_the_vendored_editor(tmp_path: Path):
    """A checkout without `make admin-deps` builds the site, says why /admin/ is missing."""
    from support import settings_file

    conf = settings_file(tmp_path, DISCLOSURES_ADMIN_PATH=str(tmp_path / "nowhere"))
    result = run_cli(
        "build", "--settings", conf, "--output", str(tmp_path / "out"), "--content",
        str(REPO / "content"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "out" / "admin").exists()
    assert "make admin-deps" in result.stdout + result.stderr


INLINE_COMMENTS = """\
# yaml-language-server: $schema=../../../schema/disclosure.schema.json
form: national  # 表式
year: "2024"   # 年度，按原表
name: 社区居家养老服务补助 # 原表名称
unit: 某某区民政局
period: "202401-202412"  # 原表写“2024年全年”
sections:  # 文字部分
  annual_goal: |  # 原文照录
    第一段。

    第二段 # 不是注释。
budget:
  total: 2500000  # 含上年结转
indicators:  # 三项
  - level1: 产出指标  # 一级
    name: "服务老人人数 # 人"  # 引号里的 # 是文字
    target: "≥1200人"	# tab before
  - level1: 'it''s'   # 单引号
    name: C#语言培训
    target: "≥90%"
"""


def test_comments_after_a_value_are_kept(tmp_path: Path):
    """`key: value  # comment`: kept after that key's value, spacing and all, on a save without
    change and when the value changes; a # inside quotes or text is not a comment."""
    path = tmp_path / "inline.yaml"
    path.write_text(INLINE_COMMENTS, encoding="utf-8")
    written = _roundtrip(tmp_path, [path])[str(path)]
    assert written["error"] is None, written["error"]
    # Byte for byte but for the quoting style of 'it''s', which is the editors' layout's.
    assert written["written"] == INLINE_COMMENTS.replace("'it''s'", "it's")
    # A changed value keeps the comment that followed it.
    script = (
        "const f = require(process.argv[1]); const fs = require('fs');"
        "const d = f.fromFile(fs.readFileSync(process.argv[2], 'utf8'));"
        "d.budget.total = '300万'; d.indicators[0].target = '≥1300人';"
        "process.stdout.write(f.toFile(d, JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))));"
    )
    spec = tmp_path / "spec.json"
    changed = subprocess.run(
        [_node(), "-e", script, str(ADMIN / "src" / "format.js"), str(path), str(spec)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "  # 原写法 as written: 300万\n  total: 3000000  # 含上年结转\n" in changed
    assert '    target: "≥1300人"\t# tab before\n' in changed
    data, problems = load_text(changed, "inline.yaml")
    assert data is not None and data.data["budget"]["total"] == "3000000", problems
