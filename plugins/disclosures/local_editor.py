"""The web editor's local mode (`make edit`): the development server between Decap and
decap-server, so that a save in the browser is what a push is.

Decap talks to `POST /api/v1` of the development server (its own origin); each request is
passed to decap-server (the vendored proxy that reads and writes the checkout), except that
a save (`persistEntry`):

1. is checked by the site's validator first and refused, with the problems in the form's
   words, when it has errors (nothing written);
2. when it creates a file, is named as `disclosures new` names files: data/<年度>/<pinyin of
   the unit>/<pinyin of the name>.yaml, or the unit's folder where that unit already has one
   (Decap itself can only build paths from the Chinese names);
3. is committed, that file alone (`git commit -- <path>`: whatever else is changed or staged
   in the checkout stays out), with a message naming the project.

decap-server's own git mode is not used: it runs `git add .` on the whole checkout.
"""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .slugs import slugify

MAX_REQUEST_BYTES = 4 * 1024 * 1024
Validator = Callable[[str], dict[str, list[str]]]


@dataclass
class LocalEditor:
    upstream: str  # decap-server's API URL
    root: Path  # the checkout decap-server writes into (GIT_REPO_DIRECTORY)
    validate: Validator
    # Paths Decap built from the Chinese names → where the file was really written: Decap keeps
    # its own path for an entry it created until the page is reloaded.
    renamed: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, body: bytes) -> tuple[int, dict | list]:
        """One request of Decap's proxy protocol: (HTTP status, JSON answer)."""
        try:
            request = json.loads(body)
        except ValueError:
            return 400, {"error": "请求不是 JSON / request is not JSON"}
        if not isinstance(request, dict):
            return 400, {"error": "请求不是 JSON 对象 / request is not a JSON object"}
        with self.lock:  # one save at a time: write, then commit, before the next one
            self._map_paths(request)
            if request.get("action") == "persistEntry":
                return self._persist(request)
            if request.get("action") in ("deleteFile", "deleteFiles"):
                return self._delete(request)
            return self._forward(request)

    # -- the steps ---------------------------------------------------------------------
    def _persist(self, request: dict) -> tuple[int, dict | list]:
        params = request.get("params") or {}
        files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
        problems: list[str] = []
        for data_file in files:
            result = self.validate(str(data_file.get("raw", "")))
            problems += result["errors"]
        if problems:
            return 422, {"error": "没有保存：数据有错误，请改正后再保存。\n" + "\n".join(problems)}
        for data_file in files:
            path = str(data_file.get("path", ""))
            if not (self.root / path).exists():
                data_file["path"] = self._new_path(path, str(data_file.get("raw", "")))
                if data_file["path"] != path:
                    self.renamed[path] = data_file["path"]
        status, answer = self._forward(request)
        if status != 200:
            return status, answer
        for data_file in files:
            created = data_file["path"] not in self._tracked([data_file["path"]])
            verb = "添加" if created else "修改"
            message = f"{verb}：{_project_words(str(data_file.get('raw', '')), data_file['path'])}"
            error = self._commit([data_file["path"]], message)
            if error:
                return 500, {"error": f"文件已保存，但没有提交 / saved, not committed: {error}"}
        return status, answer

    def _delete(self, request: dict) -> tuple[int, dict | list]:
        params = request.get("params") or {}
        paths = params.get("paths") or [params.get("path")]
        status, answer = self._forward(request)
        if status == 200:
            names = "、".join(str(p) for p in paths)
            error = self._commit([str(p) for p in paths if p], f"删除：{names}（网页编辑器）")
            if error:
                return 500, {"error": f"文件已删除，但没有提交 / deleted, not committed: {error}"}
        return status, answer

    def _forward(self, request: dict) -> tuple[int, dict | list]:
        data = json.dumps(request, ensure_ascii=False).encode("utf-8")
        upstream = urllib.request.Request(
            self.upstream,
            data=data,
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(upstream, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            try:
                return error.code, json.loads(error.read() or b"null")
            except ValueError:
                return error.code, {"error": f"decap-server: HTTP {error.code}"}
        except OSError as error:
            return 502, {"error": f"decap-server 没有响应 / not answering ({error})"}

    # -- naming ------------------------------------------------------------------------
    def _map_paths(self, request: dict) -> None:
        """Rewrite paths Decap still holds for files it created under their Chinese names."""
        params = request.get("params")
        if not isinstance(params, dict) or not self.renamed:
            return
        if params.get("path") in self.renamed:
            params["path"] = self.renamed[params["path"]]
        if isinstance(params.get("paths"), list):
            params["paths"] = [self.renamed.get(p, p) for p in params["paths"]]
        for key in ("dataFiles", "files"):
            for item in params.get(key) or []:
                if isinstance(item, dict) and item.get("path") in self.renamed:
                    item["path"] = self.renamed[item["path"]]
        entry = params.get("entry")
        if isinstance(entry, dict) and entry.get("path") in self.renamed:
            entry["path"] = self.renamed[entry["path"]]

    def _new_path(self, decap_path: str, raw: str) -> str:
        """data/2024/某某区民政局/社区居家养老服务补助.yaml → data/2024/mou-mou-qu-min-zheng-ju/
        she-qu-ju-jia-yang-lao-fu-wu-bu-zhu.yaml, as `disclosures new` names it."""
        parts = PurePosixPath(decap_path).parts
        if len(parts) != 4:
            return decap_path  # not a project file as the collection's path builds it
        folder, year, unit_name, file_name = parts
        values = _values(raw)
        unit = values.get("unit") or unit_name
        name = values.get("name") or PurePosixPath(file_name).stem
        unit_folder = self._unit_folder(folder, year, unit) or slugify(unit)
        stem = slugify(name)
        candidate = PurePosixPath(folder, year, unit_folder, f"{stem}.yaml")
        number = 2
        while (self.root / candidate).exists():
            candidate = PurePosixPath(folder, year, unit_folder, f"{stem}-{number}.yaml")
            number += 1
        return str(candidate)

    def _unit_folder(self, folder: str, year: str, unit: str) -> str | None:
        """The folder the unit's other files of that year (else any year) already use."""
        data = self.root / folder
        for pattern in (f"{year}/*/*.yaml", "*/*/*.yaml"):
            for path in sorted(data.glob(pattern)):
                if _values(path.read_text(encoding="utf-8", errors="replace")).get("unit") == unit:
                    return path.parent.name
        return None

    # -- git ---------------------------------------------------------------------------
    def _git(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", "-C", str(self.root), *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def _tracked(self, paths: list[str]) -> set[str]:
        result = self._git("ls-files", "--", *paths)
        return set(result.stdout.splitlines()) if result.returncode == 0 else set()

    def _commit(self, paths: list[str], message: str) -> str | None:
        """Commit these paths only; None when done or when the checkout is not a git one."""
        if self._git("rev-parse", "--is-inside-work-tree").returncode != 0:
            return None  # a folder without git: the files are written, nothing to commit
        added = self._git("add", "--all", "--", *paths)
        if added.returncode != 0:
            return added.stderr.strip()
        committed = self._git("commit", "--quiet", "--message", message, "--", *paths)
        if committed.returncode != 0:
            return committed.stderr.strip() or committed.stdout.strip() or "git commit failed"
        return None


def _values(raw: str) -> dict[str, str]:
    """year, unit and name as written (text), or {} when the file does not parse."""
    try:
        data = yaml.load(raw, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader: text only
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k in ("year", "unit", "name") if isinstance(v := data.get(k), str)}


def _project_words(raw: str, path: str) -> str:
    """`某某区民政局“社区居家养老服务补助”（2024年度，网页编辑器）`: the project, as a commit
    message's subject (the path when the file does not say)."""
    values = _values(raw)
    if not values.get("name"):
        return f"{path}（网页编辑器）"
    year = f"{values['year']}年度，" if values.get("year") else ""
    return f"{values.get('unit', '')}“{values['name']}”（{year}网页编辑器）"
