"""The web editor's local mode (`make edit`): the development server is Decap's local
backend, so that a save in the browser is what a push is.

Decap's proxy backend posts each request (`{"action": …, "params": …}`) to `/api/v1` of the
development server, its own origin; this module answers them over the checkout's files. It
replaces the decap-server proxy, which listened on a port of its own: anything that could
reach that port (another local program, a page in the browser using DNS rebinding) wrote
files straight into the checkout, unchecked and uncommitted. Here there is one door, and a
save (`persistEntry`):

1. is checked by the site's validator first and refused, with the problems in the form's
   words, when it has errors (nothing written);
2. when it creates a file, is named as `disclosures new` names files: data/<年度>/<pinyin of
   the unit>/<pinyin of the name>.yaml, or the unit's folder where that unit already has one
   (Decap itself can only build paths from the Chinese names);
3. is written whole (a temporary file renamed over it: a reader never sees half a file);
4. is committed, that file alone (`git commit -- <path>`: whatever else is changed or staged
   in the checkout stays out), with a message naming the project.

Reads and writes stay inside the collection's folder (`data/`) as regular `.yaml` files;
nothing is uploaded (the format has no media). Other actions of decap-server (the editorial
workflow) are refused: the configuration uses `publish_mode: simple`.

Drafts (`drafts`, `discard`): files in data/ that are not as last committed, which the importer
wrote (import_desk.py) and no save has committed yet. Removing one goes by what git knows of it:
a file never committed ("new") is deleted and nothing is committed (history never had it); a
committed file the importer changed ("changed", results added to a project) gets its committed
text back, nothing committed; a file as committed ("saved") is a project, not a draft, and is
not removed (the collections offer no delete: removing a published table is a decision for
git). Decap's deleteFile, should a page send it, likewise commits nothing for a file never
committed. A draft that needs no change is saved as it is (`save_draft`: checked
like every save, then committed): Decap shows a file on disk as 已发布 and offers no save.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from .slugs import slugify

MAX_REQUEST_BYTES = 4 * 1024 * 1024
Validator = Callable[[str], dict[str, list[str]]]
ENTRY_SUFFIX = ".yaml"
# What git knows of a draft (`LocalEditor.state_of`), as the import page says it.
STATE_WORDS = {
    "new": "新草稿，从没保存过",
    "changed": "已保存的项目，导入后有没保存的改动",
    "saved": "已保存（已提交）",
    "missing": "已不存在",
}


class Refused(Exception):
    """A request this backend does not carry out: (HTTP status, message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class LocalEditor:
    root: Path  # the checkout: data/ is below it
    validate: Validator
    folder: str = "data"  # the collections' folder: the only place entries are read or written
    media_folder: str = "content/images"  # listed for Decap's media library, never written
    # Paths Decap built from the Chinese names → where the file was really written: Decap keeps
    # its own path for an entry it created until the page is reloaded.
    renamed: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, body: bytes) -> tuple[int, dict | list | None]:
        """One request of Decap's proxy protocol: (HTTP status, JSON answer)."""
        try:
            request = json.loads(body)
        except ValueError:
            return 400, {"error": "请求不是 JSON / request is not JSON"}
        if not isinstance(request, dict) or not isinstance(request.get("params", {}), dict):
            return 400, {"error": "请求不是 JSON 对象 / request is not a JSON object"}
        action = request.get("action")
        params = request.get("params") or {}
        with self.lock:  # one request at a time: a save is written and committed whole
            self._map_paths(params)
            try:
                return self._answer(str(action), params)
            except Refused as refused:
                return refused.status, {"error": str(refused)}
            except (AttributeError, KeyError, TypeError, ValueError) as error:
                # A request not shaped as Decap sends them: refused, nothing done.
                return 400, {"error": f"请求格式不对 / malformed request: {error!r}"[:300]}
            except OSError as error:
                return 500, {"error": f"读写文件失败 / file error: {error.strerror or error}"}

    def _answer(self, action: str, params: dict) -> tuple[int, dict | list | None]:
        if action == "info":
            return 200, {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            folder = self._inside(str(params.get("folder", "")), self.folder, directory=True)
            depth = int(params.get("depth") or 1)
            suffix = "." + str(params.get("extension") or "yaml").lstrip(".")
            return 200, [self._entry(p) for p in _listed(folder, suffix, depth, self.root)]
        if action == "entriesByFiles":
            files = params.get("files") or []
            return 200, [self._entry(str(f.get("path", "")), f.get("label")) for f in files]
        if action == "getEntry":
            return 200, self._entry(str(params.get("path", "")))
        if action == "persistEntry":
            return self._persist(params)
        if action in ("deleteFile", "deleteFiles"):
            return self._delete(params)
        if action == "getMedia":
            # Decap also asks for the media beside the entries (the collection's folder): the
            # format has none, so only the site's media folder is ever listed.
            if str(params.get("mediaFolder", "")) != self.media_folder:
                return 200, []
            media = self._inside(self.media_folder, self.media_folder, directory=True)
            return 200, [self._media(p) for p in _listed(media, "", 1, self.root)]
        if action == "getMediaFile":
            media = self._inside(str(params.get("path", "")), self.media_folder)
            return 200, self._media(media.relative_to(self.root).as_posix())
        if action == "getDeployPreview":
            return 200, None
        if action == "persistMedia":
            raise Refused(422, "本站不上传文件 / this site takes no uploads")
        raise Refused(422, f"不支持的操作 / unknown action {action}")

    # -- reading -----------------------------------------------------------------------
    def _entry(self, path: str, label: str | None = None) -> dict:
        """Decap's entry: the file's text and a content id (null when it is not there)."""
        try:
            data = self._inside(path, self.folder).read_bytes()
        except (Refused, OSError):
            return {"data": None, "file": {"path": path, "label": label, "id": None}}
        file = {"path": path, "label": label, "id": hashlib.sha256(data).hexdigest()}
        return {"data": data.decode("utf-8", errors="replace"), "file": file}

    def _media(self, path: str) -> dict:
        data = self._inside(path, self.media_folder).read_bytes()
        return {
            "id": hashlib.sha256(data).hexdigest(),
            "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "path": path,
            "name": PurePosixPath(path).name,
        }

    def _inside(self, path: str, folder: str, directory: bool = False) -> Path:
        """The file (or folder) `path` names, refused unless it is `folder` or below it, named
        plainly (no `..`, no absolute path, no backslash, no control character) and reached
        without a symbolic link."""
        parts = PurePosixPath(path).parts
        plain = (
            path
            and not PurePosixPath(path).is_absolute()
            and "\\" not in path
            and not any(ord(c) < 32 or ord(c) == 127 for c in path)
            and ".." not in parts
            and "." not in parts
        )
        top = PurePosixPath(folder).parts
        if not plain or tuple(parts[: len(top)]) != top:
            raise Refused(403, f"不在 {folder}/ 中的路径 / not a path in {folder}/: {path!r}")
        if (
            not directory
            and (not parts or not path.endswith(ENTRY_SUFFIX))
            and folder == self.folder
        ):
            raise Refused(403, f"只能读写 .yaml 文件 / only .yaml files: {path!r}")
        full = self.root
        for part in parts:
            full = full / part
            if full.is_symlink():
                raise Refused(403, f"路径含符号链接 / path through a symbolic link: {path!r}")
        return full

    # -- the steps of a save --------------------------------------------------------------
    def _persist(self, params: dict) -> tuple[int, dict]:
        files = params.get("dataFiles") or ([params["entry"]] if params.get("entry") else [])
        if params.get("assets"):
            raise Refused(422, "本站不上传文件 / this site takes no uploads")
        for data_file in files:  # every path checked before anything is written
            self._inside(str(data_file.get("path", "")), self.folder)
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
            if data_file.get("newPath"):
                # A changed name would move the file to Decap's Chinese path: the file keeps its
                # name (the page's address comes from the name, not the file name).
                self.renamed[str(data_file["newPath"])] = data_file["path"]
        for data_file in files:
            created = data_file["path"] not in self._tracked([data_file["path"]])
            _write(self._inside(data_file["path"], self.folder), str(data_file.get("raw", "")))
            verb = "添加" if created else "修改"
            message = f"{verb}：{_project_words(str(data_file.get('raw', '')), data_file['path'])}"
            error = self._commit([data_file["path"]], message)
            if error:
                return 500, {"error": f"文件已保存，但没有提交 / saved, not committed: {error}"}
        return 200, {"message": "entry persisted"}

    def _delete(self, params: dict) -> tuple[int, dict]:
        paths = [str(p) for p in (params.get("paths") or [params.get("path")]) if p]
        targets = [self._inside(p, self.folder) for p in paths]
        # A draft never committed (an import not saved yet) has no history: deleting it is
        # the whole change. `git add` of a path git never knew would fail.
        committed = [p for p in paths if self._in_head(p)]
        for path, target in zip(paths, targets, strict=True):
            if path not in committed:
                self._git("rm", "--cached", "--quiet", "--ignore-unmatch", "--", path)
            target.unlink(missing_ok=True)
            _prune(target.parent, self.root / self.folder)
        names = "、".join(paths)
        error = (
            self._commit(committed, f"删除：{'、'.join(committed)}（网页编辑器）")
            if committed
            else None
        )
        if error:
            return 500, {"error": f"文件已删除，但没有提交 / deleted, not committed: {error}"}
        return 200, {"message": f"deleted {names}"}

    # -- drafts: what the importer wrote and no save has committed ----------------------------
    def drafts(self) -> dict[str, str] | None:
        """data/'s .yaml files that are not as last committed → "new" (never committed) or
        "changed" (committed, changed since); None when the checkout is not a git one (then
        nothing tells a draft from a project)."""
        if not self._is_git():
            return None
        listed = self._git(
            "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", self.folder
        )
        # status names paths from the repository's top: the checkout may be a folder in it.
        prefix = self._git("rev-parse", "--show-prefix").stdout.strip()
        found: dict[str, str] = {}
        fields = iter(listed.stdout.split("\0"))
        for item in fields:
            if len(item) < 4:
                continue
            code, path = item[:2], item[3:].removeprefix(prefix)
            if code[0] in "RC":
                next(fields, None)  # a rename names its old path next
            if "D" in code or not path.endswith(ENTRY_SUFFIX):
                continue
            try:
                self._inside(path, self.folder)
            except Refused:
                continue
            found[path] = "new" if code in ("??", "A ", "AM") else "changed"
        return found

    def state_of(self, path: str) -> str | None:
        """What git knows of the file: "new" (never committed), "changed" (committed, changed
        since), "saved" (as committed), "missing" (no such file); None without git."""
        target = self._inside(path, self.folder)
        if not self._is_git():
            return None
        if not target.is_file():
            return "missing"
        if not self._in_head(path):
            return "new"
        same = self._git("diff", "--quiet", "HEAD", "--", path).returncode == 0
        return "saved" if same else "changed"

    def discard(self, path: str, expected: str) -> str:
        """Remove the draft at `path` (see the module's note), if it is still in the state the
        editor confirmed (`expected`); what was done, in both languages."""
        with self.lock:
            target = self._inside(path, self.folder)
            if not self._is_git():
                raise Refused(
                    409,
                    "不是 git 仓库，分不出草稿：请用文件管理器删除 / not a git "
                    "checkout: drafts cannot be told apart; delete the file by hand",
                )
            state = self.state_of(path)
            if state != expected:
                raise Refused(
                    409,
                    f"没有删除：这个文件现在是“{STATE_WORDS.get(state, state)}”，"
                    f"不是确认时的“{STATE_WORDS.get(expected, expected)}”。请刷新本页再看。 / "
                    f"not removed: the file is now {state!r}, not {expected!r}; reload "
                    "the page",
                )
            if state == "new":
                self._git("rm", "--cached", "--quiet", "--ignore-unmatch", "--", path)
                target.unlink()
                _prune(target.parent, self.root / self.folder)
                return (
                    "已删除草稿文件；它从没提交过，所以没有新的提交 / draft file deleted; it "
                    "was never committed, so there is nothing to commit"
                )
            if state == "changed":
                restored = self._git("checkout", "HEAD", "--", path)
                if restored.returncode != 0:
                    raise Refused(500, f"没能恢复 / not restored: {restored.stderr.strip()}")
                return (
                    "已撤销导入的改动：文件恢复为上次提交的内容，没有新的提交 / the import's "
                    "changes are undone: the file is as last committed; nothing committed"
                )
            # "saved": a project, not a draft. The collections offer no delete either
            # (cms.py `delete: False`): removing a published table is a decision for git.
            raise Refused(
                409,
                "没有删除：这个项目已经保存（提交）过，不是草稿。删除已公开的表要由网站管理员"
                "用 git 决定 / not removed: this project was saved (committed); it is not a "
                "draft, and removing a published table is a decision for git, not a click",
            )

    def save_draft(self, path: str, expected: str) -> str:
        """Commit the draft at `path` as it is on disk, once the editor has checked it against
        the original: checked by the site's validator like every save, refused with its
        problems when it has errors. For a draft that needs no change, which Decap shows as
        已发布 / nothing to save (it cannot tell a file on disk from a committed one)."""
        with self.lock:
            target = self._inside(path, self.folder)
            state = self.state_of(path)
            if state is None:
                raise Refused(409, "不是 git 仓库：没有可提交的地方 / not a git checkout")
            if state != expected or state not in ("new", "changed"):
                raise Refused(
                    409,
                    f"没有保存：这个文件现在是“{STATE_WORDS.get(state, state)}”，"
                    f"不是确认时的“{STATE_WORDS.get(expected, expected)}”。请刷新本页再看。 / "
                    f"not saved: the file is now {state!r}, not {expected!r}; reload the page",
                )
            raw = target.read_text(encoding="utf-8", errors="replace")
            problems = self.validate(raw)["errors"]
            if problems:
                raise Refused(
                    422,
                    "没有保存：草稿有错误，请在编辑器里改正后再保存。/ not saved: the draft has "
                    "errors; correct them in the editor.\n" + "\n".join(problems),
                )
            verb = "添加" if state == "new" else "修改"
            error = self._commit([path], f"{verb}：{_project_words(raw, path)}")
            if error:
                raise Refused(500, f"没有提交 / not committed: {error}")
            return "已检查并提交（保存）/ checked and committed (saved)"

    # -- naming ------------------------------------------------------------------------
    def _map_paths(self, params: dict) -> None:
        """Rewrite paths Decap still holds for files it created under their Chinese names."""
        if not self.renamed:
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

    def _is_git(self) -> bool:
        return self._git("rev-parse", "--is-inside-work-tree").returncode == 0

    def _in_head(self, path: str) -> bool:
        """The last commit has this file (a fresh repository has no commit: False)."""
        return self._git("cat-file", "-e", f"HEAD:./{path}").returncode == 0

    def _commit(self, paths: list[str], message: str) -> str | None:
        """Commit these paths only; None when done or when the checkout is not a git one."""
        if not self._is_git():
            return None  # a folder without git: the files are written, nothing to commit
        added = self._git("add", "--all", "--", *paths)
        if added.returncode != 0:
            return added.stderr.strip()
        committed = self._git("commit", "--quiet", "--message", message, "--", *paths)
        if committed.returncode != 0:
            return committed.stderr.strip() or committed.stdout.strip() or "git commit failed"
        return None


def _write(path: Path, text: str) -> None:
    """The whole file or none of it: a temporary file beside it, renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".editor-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path, top: Path) -> None:
    """Remove the folders a deleted draft leaves empty, up to (not including) `top`."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            return
        folder = folder.parent


def _listed(folder: Path, suffix: str, depth: int, root: Path) -> list[str]:
    """Regular files ending in `suffix` at most `depth` folders down (as decap-server lists
    them), as paths below `root`; links are not followed."""
    found: list[str] = []
    if depth <= 0 or folder.is_symlink() or not folder.is_dir():
        return found
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_symlink():
            continue
        if entry.is_dir():
            found += _listed(Path(entry.path), suffix, depth - 1, root)
        elif entry.is_file() and entry.name.endswith(suffix):
            found.append(Path(entry.path).relative_to(root).as_posix())
    return found


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
