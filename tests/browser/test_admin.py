"""The web editor (/admin/, Decap CMS) in Chromium, in local mode as `make edit` runs it.

A temporary git repository holding a copy of the bundled data is the "checkout":
`disclosures serve --edit` serves the site with /admin/, answers the editor's requests itself
(the editor's local backend: local_editor.py), writes each checked save into it, commits each
save alone and rebuilds on every change. Real clicks and keystrokes in the real forms; the
files written are read back, validated by the CLI and looked for in the rebuilt site.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import REPO, SCREENSHOTS
from playwright.sync_api import expect
from support import DISCLOSURES, run_cli

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NEW_NAME = "社区居家养老服务补助"
DRAFT = "2021/zhaohua-weijian/dao-ru-cao-gao"  # an importer's draft (_write_draft)
INDICATORS = [
    ("产出指标", "数量指标", "服务老人人数", "≥1200人"),
    ("产出指标", "质量指标", "服务合格率", ">=95%"),
    ("满意度指标", "服务对象满意度指标", "老人满意度", "≥90%"),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def _wait(predicate, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


class Editor:
    def __init__(self, root: Path, base: str) -> None:
        self.root = root  # the checkout the development server writes into
        self.data = root / "data"
        self.base = base  # the development server

    def site_has(self, text: str) -> bool:
        """Some page of the rebuilt site (the home page lists every project) shows `text`."""
        return text in _get(self.base + "/")


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(REPO / "data", root / "data")
    _git(root, "init", "--quiet", "--initial-branch", "main")
    _git(root, "config", "user.name", "测试编辑")
    _git(root, "config", "user.email", "editor@example.invalid")
    _git(root, "add", "data")
    _git(root, "commit", "--quiet", "--message", "data as bundled")
    site_port = _free_port()
    env = {**os.environ, "DISCLOSURES_CACHE_PATH": ""}
    site = subprocess.Popen(
        [
            DISCLOSURES,
            "serve",
            "--data",
            str(root / "data"),
            "--output",
            str(root / "output"),
            "--port",
            str(site_port),
            "--edit",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{site_port}"
    try:
        assert _wait(lambda: "decap-cms.js" in _get(base + "/admin/")), "/admin/ was not served"
        yield Editor(root, base)
    finally:
        site.terminate()
        site.wait(timeout=30)


def logged_in(browser, editor: Editor, request: pytest.FixtureRequest, **context_options):
    """The editor's page at /admin/, logged in, in a browser context of its own (closed after)."""
    # Only the accessibility test injects a script (axe), which the page's policy forbids.
    inject = "axe_source" in request.fixturenames
    context = browser.new_context(locale="zh-CN", bypass_csp=inject, **context_options)
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(editor.base + "/admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("项目支出绩效目标表（全国通行表式）").first.wait_for()
    yield page
    context.close()


@pytest.fixture
def page(browser, editor: Editor, request: pytest.FixtureRequest):
    yield from logged_in(browser, editor, request, viewport={"width": 1400, "height": 1000})


def _publish(page) -> None:
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_role("menuitem", name="立即发布").click()


def _fill_new_project(page, editor: Editor, name: str) -> None:
    fill_new_project(page, editor.base, name)


def fill_new_project(page, base: str, name: str, current_year: str | None = "2,500,000") -> None:
    """The new-project form with three indicators (INDICATORS), as an editor fills it; shared by
    the local-mode and the git-host tests."""
    page.goto(base + "/admin/#/collections/national/new")
    page.get_by_label("年度", exact=True).fill("2024")
    if name:
        page.get_by_label("项目名称", exact=True).fill(name)
    page.get_by_label("实施单位", exact=True).fill("某某区民政局")
    page.get_by_label("资金总额 (可选)", exact=True).fill("250万")
    if current_year is not None:
        page.get_by_label("当年资金总额 (可选)", exact=True).fill(current_year)
    for i, (level1, level2, indicator, target) in enumerate(INDICATORS):
        page.get_by_role("button", name="新增绩效指标", exact=True).click()
        page.get_by_label("一级指标", exact=True).nth(i).fill(level1)
        page.get_by_label("二级指标 (可选)", exact=True).nth(i).fill(level2)
        page.get_by_label("三级指标 (可选)", exact=True).nth(i).fill(indicator)
        page.get_by_label("指标值 (可选)", exact=True).nth(i).fill(target)


def _written(editor: Editor, name: str) -> Path | None:
    """The file of the project called `name` (files are named in pinyin: looked up by name)."""
    for path in sorted(editor.data.rglob("*.yaml")):
        if f"\nname: {name}\n" in path.read_text(encoding="utf-8"):
            return path
    return None


def _last_commit(editor: Editor) -> tuple[str, list[str]]:
    """The message and the files of the checkout's last commit."""
    message = _git(editor.root, "log", "-1", "--format=%B").strip()
    files = _git(editor.root, "show", "--name-only", "--format=", "HEAD").split()
    return message, files


def _saved(editor: Editor, path: Path, before: str) -> str:
    """The file's text once the save is complete, i.e. committed: wait for the file's
    committed text to differ from `before` (the file itself is replaced whole, by rename)."""
    relative = path.relative_to(editor.root).as_posix()

    def committed() -> str:
        return _git(editor.root, "show", f"HEAD:{relative}")

    assert _wait(lambda: committed() != before, 30), "file not saved and committed"
    text = path.read_text(encoding="utf-8")
    assert text == committed(), "the file on disk is not the one committed"
    return text


def test_a_project_created_in_the_forms_is_a_valid_file_and_a_page(page, editor: Editor):
    # The commit message Decap formats (what a git host's commit would say) names the file.
    messages: list[str] = []

    def remember(request) -> None:
        if request.url.endswith("/api/v1") and '"persistEntry"' in (request.post_data or ""):
            messages.append(json.loads(request.post_data)["params"]["options"]["commitMessage"])

    page.on("request", remember)
    _fill_new_project(page, editor, NEW_NAME)
    _publish(page)
    assert _wait(lambda: _written(editor, NEW_NAME) is not None, 30), "no file written"
    path = _written(editor, NEW_NAME)
    # Named as `disclosures new` names files: pinyin of the unit and of the name.
    assert path.relative_to(editor.data).as_posix() == (
        "2024/mou-mou-qu-min-zheng-ju/she-qu-ju-jia-yang-lao-fu-wu-bu-zhu.yaml"
    )
    # One save, one commit: that file alone, with a message naming the project.
    assert _wait(lambda: _last_commit(editor)[1] == [f"data/{path.relative_to(editor.data)}"], 30)
    message, _ = _last_commit(editor)
    assert message == f"添加：某某区民政局“{NEW_NAME}”（2024年度，网页编辑器）"
    page.wait_for_timeout(100)  # sync Playwright hands events over during its own calls only
    assert messages == [f"添加：data/2024/某某区民政局/{NEW_NAME}.yaml（网页编辑器）"]
    text = path.read_text(encoding="utf-8")
    # Written as editors write files by hand: schema comment, quoted year and targets,
    # money as integer yuan with the amount as typed kept in a comment.
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schema/disclosure.schema.json\n"
    )
    assert 'year: "2024"' in text
    assert "  # 原写法 as written: 250万\n  total: 2500000\n" in text
    assert "  current_year: 2500000\n" in text
    assert 'target: ">=95%"' in text and 'target: "≥1200人"' in text
    assert text.index("form: national") < text.index("year:") < text.index("indicators:")
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stdout + result.stderr

    assert _wait(lambda: editor.site_has(NEW_NAME)), "the rebuilt site does not list the project"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-new-project.png"), full_page=True)
    assert not page.errors, page.errors


def test_editing_one_target_changes_that_line_only(page, editor: Editor):
    path = editor.data / "2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"
    before = path.read_text(encoding="utf-8")
    # Other work in the checkout, changed and staged: a save must not sweep it into its commit.
    other = editor.data / "2020/wuhan-qingshan-jiaoyuju/jiaoyu-jichu-sheshi-shebei-gouzhi.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "# 手工改动\n", encoding="utf-8")
    _git(editor.root, "add", str(other))
    commits = int(_git(editor.root, "rev-list", "--count", "HEAD"))
    page.goto(
        editor.base
        + "/admin/#/collections/national/entries/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu"
    )
    # Rows are shown folded, by their summary (levels, name, target): open the first one.
    row = page.locator("[class*=ListItem]", has_text="对符合政策法规的独生子伤残、死亡家庭进行扶助")
    row.first.get_by_role("button", name="展开或折叠此行").click()
    target = page.get_by_label("指标值 (可选)", exact=True).first
    assert target.input_value() == "63人"
    target.fill("65人")
    _publish(page)
    after = _saved(editor, path, before)
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [('    target: "63人"', '    target: "65人"')]
    assert _wait(lambda: int(_git(editor.root, "rev-list", "--count", "HEAD")) == commits + 1, 30)
    message, files = _last_commit(editor)
    assert files == ["data/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"]
    assert (
        message == "修改：区卫生健康局“特困家庭再扶助(独生子女死亡再扶助)”（2021年度，网页编辑器）"
    )
    assert _git(editor.root, "diff", "--cached", "--name-only").split() == [
        "data/2020/wuhan-qingshan-jiaoyuju/jiaoyu-jichu-sheshi-shebei-gouzhi.yaml"
    ], "the other staged change is still staged, not committed"
    assert _wait(
        lambda: (
            "65人" in _get(editor.base + "/2021/") or "65人" in _get(editor.base + "/indicators/")
        )
    ), "the rebuilt site does not show the new target"


def test_a_required_field_left_empty_is_refused(page, editor: Editor):
    _fill_new_project(page, editor, "")
    _publish(page)
    # Beside the field, in the words of the form, and a notice saying nothing was saved.
    message = page.get_by_text("“项目名称”是必填项").first
    message.wait_for(timeout=10000)
    assert message.is_visible()
    assert page.get_by_text("你漏掉了一个必填项").first.is_visible()
    time.sleep(1)
    written = [p.read_text(encoding="utf-8") for p in editor.data.glob("2024/*/*.yaml")]
    assert all(f"\nname: {NEW_NAME}\n" in text for text in written), "an entry without its name"


@pytest.mark.parametrize(
    "view",
    [
        "collections/national/new",
        "collections/national/entries/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu",
        f"collections/national/entries/{DRAFT}",
    ],
)
def test_the_editor_page_passes_axe(page, editor: Editor, axe_source, view: str):
    """The editor's form pages (Decap's own interface): WCAG 2.1 A/AA; an imported draft's
    form with its notes too."""
    if view.endswith(DRAFT):
        _write_draft(editor)
    page.goto(f"{editor.base}/admin/#/{view}")
    page.get_by_label("年度", exact=True).wait_for()
    if view.endswith(DRAFT):
        page.locator(".import-notes").wait_for()  # checked with the rest of the form
    time.sleep(1)  # the preview frame and the list rows settle
    page.add_script_tag(path=str(axe_source))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), e.g. "
        f"{v['nodes'][0]['target']}"
        for v in result["violations"]
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS.parent / f"admin-axe-{view.split('/')[2]}-{view.count('/')}.json").write_text(
        json.dumps(result["violations"], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert result["passes"], "axe ran no check"
    assert not violations, "\n".join(violations)


def _name_in(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return next(line[6:] for line in text.splitlines() if line.startswith("name: "))


def _site_preview(page):
    """The preview pane's page: the frame the development server fills with the site's page."""
    return page.frame_locator("#preview-pane").frame_locator("iframe")


def test_the_preview_is_the_sites_own_page(page, editor: Editor):
    """The preview pane shows the page the site would publish: the server renders the entry
    with the project template and the site's stylesheet; typing changes it; a file with
    errors is shown with its problems at the top."""
    relative = "2021/zhaohua-weijian/tekun-jiating-zai-fuzhu"
    page.goto(f"{editor.base}/admin/#/collections/national/entries/{relative}")
    preview = _site_preview(page)
    preview.locator("h1", has_text="特困家庭再扶助").wait_for(timeout=30_000)
    # Shown at the page's own address (its relative links work), with the same markup as
    # the built page there, the preview banner aside.
    src = page.frame_locator("#preview-pane").locator("iframe").get_attribute("src")
    address, _, token = src.partition("?__preview=")
    assert token and address.startswith("/2021/") and address.endswith("/")
    built_html = _get(editor.base + address)
    assert "预览" not in built_html.split("<main", 1)[1].split("<article", 1)[0]
    built = page.context.new_page()
    built.set_content(built_html)
    expected = built.locator("article.disclosure").inner_html()
    built.close()
    assert preview.locator("article.disclosure").inner_html() == expected
    assert preview.locator("link[rel=stylesheet][href$='theme/css/site.css']").count() == 1
    assert preview.locator("nav.breadcrumbs").count() == 1  # the whole page, not a copy of parts
    assert "检查通过" in preview.locator("#h-preview + p").inner_text()

    # Where the editor has scrolled the page to stays after the next render, and the renders
    # leave no history entries (the browser's Back goes back in the editor, not the preview).
    frame = next(f for f in page.frames if "__preview=" in f.url)
    frame.evaluate("window.scrollTo(0, 600)")
    history = page.evaluate("history.length")
    name = page.get_by_label("项目名称", exact=True)
    name.fill("特困家庭再扶助（预览中改过）")
    preview.locator("h1", has_text="预览中改过").wait_for(timeout=30_000)
    page.wait_for_function(
        "f => f.contentWindow.scrollY > 0",
        arg=page.frame_locator("#preview-pane").locator("iframe").element_handle(),
        timeout=10_000,
    )
    assert frame.evaluate("window.scrollY") >= 500
    assert page.evaluate("history.length") == history
    assert preview.locator("h1").inner_text() == "特困家庭再扶助（预览中改过）"
    assert "特困家庭再扶助（预览中改过）" in preview.locator("nav.breadcrumbs").inner_text()

    name.fill("")  # a required field emptied: the draft view, problems first
    problems = preview.locator("#h-problems")
    problems.wait_for(timeout=30_000)
    assert "需要改正的问题" in problems.inner_text()
    # Said in the form's words, as the unsaved entry it is (not a draft file, no YAML key).
    said = preview.locator(".draft-problems").inner_text()
    assert "缺少必填字段“项目名称”" in said and "name" not in said, said
    assert "尚未保存" in preview.locator(".draft-banner").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-preview.png"), full_page=True)
    assert not page.errors, page.errors


def test_a_narrative_is_markdown_rendered_as_the_site_does(page, editor: Editor):
    """Narratives are written in Markdown (Decap's raw Markdown editor, the text kept exactly)
    and previewed by the site itself: markdown-it-py, raw HTML shown as text."""
    _fill_new_project(page, editor, "叙述用Markdown的项目")
    box = page.get_by_label("中期目标 (可选)", exact=True)
    box.click()
    box.press_sequentially("**重点**保障特困老人。")
    box.press("Enter")
    box.press("Enter")
    box.press_sequentially("- 第一项")
    box.press("Enter")
    box.press_sequentially("- 第二项 <b>不是标签</b>")
    preview = _site_preview(page)
    strong = preview.locator("section.narrative strong")
    strong.wait_for(timeout=30_000)
    assert strong.inner_text() == "重点"
    preview.locator("section.narrative li").nth(1).wait_for(timeout=30_000)
    assert preview.locator("section.narrative li").count() == 2
    assert preview.locator("section.narrative b").count() == 0
    assert "<b>不是标签</b>" in preview.locator("section.narrative").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-markdown.png"), full_page=True)
    _publish(page)
    assert _wait(lambda: _written(editor, "叙述用Markdown的项目") is not None, 30), "not saved"
    text = _written(editor, "叙述用Markdown的项目").read_text(encoding="utf-8")
    # Kept exactly as typed, as a block literal.
    assert (
        "  midterm_goal: |-\n    **重点**保障特困老人。\n\n    - 第一项\n"
        "    - 第二项 <b>不是标签</b>\n"
    ) in text


def test_a_self_evaluation_result_is_edited_in_its_form(page, editor: Editor):
    """The self-evaluation block (fields.py's `selfeval`, its funds rows and result rows) is in
    the form with the form's labels; changing one result changes that one line."""
    relative = "2022/chi-zhou-shi-gui-chi-qu-tang-xi-zhen-ren-min-zheng-fu/wei-tuo-ye-wu-xiang-mu"
    path = editor.data / f"{relative}.yaml"
    before = path.read_text(encoding="utf-8")
    page.goto(f"{editor.base}/admin/#/collections/national/entries/{relative}")
    page.get_by_label("目标取自自评表 (可选)", exact=True).wait_for(timeout=30_000)
    assert page.get_by_text("绩效指标完成情况 (可选)").count() >= 1
    # The results table's rows, folded by their summary: the indicator's row in the targets
    # table comes first in the form, its result row in the self-evaluation second.
    rows = page.locator("[class*=ListItem]", has_text="基建工程委托业务项目数量")
    assert rows.count() == 2
    rows.last.get_by_role("button", name="展开或折叠此行").click()
    actual = rows.last.get_by_label("实际完成值 (可选)", exact=True)
    assert actual.input_value() == "50"
    actual.fill("52")
    # The preview, the site's own page, shows the new result in its results section.
    results = _site_preview(page).locator("section.results")
    results.locator("td.actual", has_text="52").first.wait_for(timeout=30_000)
    _publish(page)
    after = _saved(editor, path, before)
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [('      actual: "50"', '      actual: "52"')]


def _write_draft(editor: Editor) -> tuple[Path, str]:
    """An importer's draft in the checkout: a project with text the importer could not place."""
    from disclosures.importer.yamlout import OUTSIDE_HEADING, UNPLACED_HEADING

    source = REPO / "data/2021/zhaohua-weijian/tekun-jiating-zai-fuzhu.yaml"  # as bundled
    schema_line, rest = source.read_text(encoding="utf-8").split("\n", 1)
    draft = (
        f"{schema_line}\n# 由 disclosures import 某表.html 生成\n{UNPLACED_HEADING}\n"
        "#   某表.html:12: 绩效目标申报表（盖章）\n#   某表.html:40: 备注：资金分两批下达\n"
        + rest.replace("name: 特困家庭再扶助", "name: 导入的特困家庭再扶助")
        + f"{OUTSIDE_HEADING}\n#   某表.html:55: 联系电话见附件\n"
    )
    path = editor.data / f"{DRAFT}.yaml"
    path.write_text(draft, encoding="utf-8")
    return path, draft


def test_an_imported_drafts_unplaced_text_is_shown_read_only(page, editor: Editor):
    """Text the importer could not place (comment blocks of its draft) is shown at the top of
    the form, read-only, and kept in the file by a save; a file without it shows nothing."""
    path, draft = _write_draft(editor)
    _git(editor.root, "add", str(path))
    _git(editor.root, "commit", "--quiet", "--message", "导入草稿", "--", str(path))

    page.goto(
        f"{editor.base}/admin/#/collections/national/entries/2021/zhaohua-weijian/dao-ru-cao-gao"
    )
    notes = page.locator(".import-notes")
    notes.wait_for(timeout=30_000)
    text = notes.inner_text()
    assert "导入时未识别的文字（2 行）" in text and "表外文字（未导入）（1 行）" in text
    assert "某表.html:12: 绩效目标申报表（盖章）" in text
    assert "某表.html:55: 联系电话见附件" in text
    assert notes.locator("input, textarea, [contenteditable=true]").count() == 0  # read-only
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "admin-import-notes.png"))

    row = page.locator("[class*=ListItem]", has_text="对符合政策法规的独生子伤残、死亡家庭进行扶助")
    row.first.get_by_role("button", name="展开或折叠此行").click()
    page.get_by_label("指标值 (可选)", exact=True).first.fill("64人")
    _publish(page)
    after = _saved(editor, path, draft)
    assert after == draft.replace('target: "63人"', 'target: "64人"', 1)

    # A file written by hand has no notes: neither the field nor its label is shown.
    by_hand = "2021/wuhai-gongxiaoshe/zaisheng-ziyuan-huishou-shichang-guanli"
    page.goto(f"{editor.base}/admin/#/collections/national/entries/{by_hand}")
    page.reload()  # Decap keeps the saved entry's form on a change of the address alone
    name = page.get_by_label("项目名称", exact=True)
    expect(name).to_have_value(_name_in(editor.data / f"{by_hand}.yaml"), timeout=30_000)
    assert page.locator(".import-notes").count() == 0
    assert not page.get_by_text("导入时未识别的文字（只读）").is_visible()
