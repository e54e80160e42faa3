"""Importing a published table from the browser, in the web editor's local mode (`make edit`).

The development server's page /__import/ takes a pasted table or an uploaded file and posts it
here (`POST /__import`, JSON, from the editor's own page only: serve.py `_own_page`). The file
is handed to the command-line importer itself (`disclosures import FILE --out data/`, in a
child process: its own input door, limits and messages; nothing here reads the table), so the
browser and the command line make the same drafts. What it wrote into data/ is then read back
as the drafts preview reads a draft (drafts.py): the validator's problems in the door's words
(Chinese and English, `for_door`) and the importer's comment blocks (unplaced text, text
outside the table, personal details), with the address of the entry in /admin/.

The drafts are written, not committed: the editor checks them in the forms, and their first
save there (validated like every save) commits them. A draft with errors in data/ makes the
local rebuild fail until it is corrected or removed; the previous build is kept meanwhile.
The page lists every draft still in data/ (`POST /__import/drafts`: the files git shows as not
committed) and removes one after the editor confirms (`POST /__import/remove`), through the
local editor's git path (`LocalEditor.discard`: a draft never committed is deleted and nothing
committed; a project the import changed gets its committed text back), or saves one that needs
no change as it is (`POST /__import/save`: checked, then committed; Decap cannot save a file
it shows as already published).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from . import drafts as draft_files
from . import fields as F
from .editor_messages import for_door
from .importer.yamlout import OUTSIDE_HEADING, PERSONAL_HEADING, UNPLACED_HEADING
from .local_editor import LocalEditor, Refused

# What an editor may pick: the importer reads these (it tells the kind by the content; the
# name's ending only tells a .csv apart, whose commas are cells).
SUFFIXES = (".txt", ".csv", ".html", ".htm", ".xlsx", ".xls", ".docx", ".pdf")
PASTED_NAME = "粘贴的表格"
# The importer refuses files over 50 MB (importer/source.py); base64 adds a third.
MAX_REQUEST_BYTES = 70 * 1024 * 1024
ENCODINGS = ("gb18030",)  # the one other encoding offered (GBK text saved on Windows)
IMPORT_SECONDS = 600  # the importer limits each reader to 120 s; a whole run stops here
NOTE_BLOCKS = (
    (UNPLACED_HEADING, "导入时未识别的文字 / text not placed"),
    (OUTSIDE_HEADING, "表外文字（未导入）/ text outside the table (not imported)"),
    (PERSONAL_HEADING, "个人信息（未导入）/ personal details (not imported)"),
)
# What the importer's exit status means, for the page.
STATUS_WORDS = {
    0: "已导入：全部文字都放进了栏目。请对照原表核对后保存。/ Imported: every piece placed. "
    "Check it against the original, then save.",
    3: "已导入，但有没识别的文字或缺少的栏目：请在编辑器里对照原表补好后保存。/ Imported with "
    "unplaced text or missing fields: complete it in the editor, then save.",
    1: "没有找到绩效目标表（没有“项目名称”“一级指标”等栏目），什么也没有写。/ No performance-"
    "target table found; nothing written.",
    2: "文件无法读取，或这张表已经导入过（草稿已存在），什么也没有写。/ The file cannot be "
    "read, or this table was imported before (the draft exists); nothing written.",
}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class ImportRefused(Exception):
    """A request this page does not carry out: (HTTP status, message in both languages)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Upload:
    name: str  # the file's name as the importer will report it (no folder)
    content: bytes
    encoding: str | None = None


def upload_from(request: object) -> Upload:
    """The posted JSON → an Upload: `{"name", "base64"}` for a file, `{"text"}` (and a name
    ending in .html for a pasted web table) for a paste; optional `"encoding": "gb18030"`."""
    if not isinstance(request, dict):
        raise ImportRefused(400, "请求不是 JSON 对象 / request is not a JSON object")
    encoding = request.get("encoding") or None
    if encoding is not None and encoding not in ENCODINGS:
        raise ImportRefused(422, f"不支持的编码 / unsupported encoding: {str(encoding)[:40]!r}")
    if isinstance(request.get("text"), str):
        content = request["text"].encode("utf-8")
        name = str(request.get("name") or PASTED_NAME + ".txt")
        encoding = None  # the browser sends text as UTF-8
    elif isinstance(request.get("base64"), str):
        try:
            content = base64.b64decode(request["base64"], validate=True)
        except ValueError:
            raise ImportRefused(400, "文件内容不是 base64 / content is not base64") from None
        name = str(request.get("name") or "")
    else:
        raise ImportRefused(400, "没有表格内容 / no table in the request")
    if not content.strip():
        raise ImportRefused(
            422, "没有内容：请粘贴表格或选择文件 / empty: paste a table or pick a file"
        )
    return Upload(safe_name(name), content, encoding)


def safe_name(name: str) -> str:
    """The last part of the name the browser gave, without characters a path or a terminal
    would read, cut to 80 characters; refused unless it ends in one of SUFFIXES."""
    last = PurePosixPath(name.replace("\\", "/")).name
    suffix = PurePosixPath(last).suffix.lower()
    if suffix not in SUFFIXES:
        allowed = "、".join(SUFFIXES)
        raise ImportRefused(
            422,
            f"只能导入 {allowed} 文件（扫描的图片请先做文字识别） / only {', '.join(SUFFIXES)} "
            f"files can be imported: {last[:80]!r}",
        )
    stem = _UNSAFE_NAME.sub("_", last[: -len(suffix)]).strip(" .") or PASTED_NAME
    return stem[:80] + suffix


@dataclass
class ImportDesk:
    data: Path  # the checkout's data/: drafts are written here
    editor: LocalEditor  # its lock (no save is written while a draft is) and its git path

    def drafts(self) -> dict:
        """Every draft in data/ (written, not committed), as the page shows it."""
        states = self.editor.drafts()
        return {
            "git": states is not None,
            "drafts": [self._draft(self.editor.root / path) for path in sorted(states or {})],
        }

    def remove(self, request: object) -> dict:
        """`{"file": "data/…yaml", "state": "new"|"changed"|"saved"}`, the state the editor saw
        and confirmed: the draft removed (LocalEditor.discard), or refused when it changed."""
        if not isinstance(request, dict) or not isinstance(request.get("file"), str):
            raise ImportRefused(400, "请求里没有文件 / no file in the request")
        try:
            done = self.editor.discard(request["file"], str(request.get("state") or ""))
        except Refused as refused:
            raise ImportRefused(refused.status, str(refused)) from None
        return {"file": request["file"], "done": done}

    def save(self, request: object) -> dict:
        """`{"file", "state"}`: the draft committed as it is (LocalEditor.save_draft)."""
        if not isinstance(request, dict) or not isinstance(request.get("file"), str):
            raise ImportRefused(400, "请求里没有文件 / no file in the request")
        try:
            done = self.editor.save_draft(request["file"], str(request.get("state") or ""))
        except Refused as refused:
            raise ImportRefused(refused.status, str(refused)) from None
        return {"file": request["file"], "done": done}

    def run(self, upload: Upload) -> dict:
        """Import one table into data/; what was written, as the page shows it."""
        with (
            self.editor.lock,
            tempfile.TemporaryDirectory(prefix="disclosures-import-") as folder,
        ):
            source = Path(folder) / upload.name
            source.write_bytes(upload.content)
            before = _fingerprints(self.data)
            command = [sys.executable, "-m", "disclosures.cli", "import", upload.name]
            command += ["--out", str(self.data.resolve())]
            if upload.encoding:
                command += ["--encoding", upload.encoding]
            # In the upload's folder: the importer names the file as the editor did (its
            # lines say `名称.txt:12:`, not a temporary path).
            try:
                done = subprocess.run(
                    command,
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    timeout=IMPORT_SECONDS,
                    check=False,
                    env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                )
            except subprocess.TimeoutExpired:
                raise ImportRefused(
                    504, "导入超时，什么也没有写 / the import took too long; nothing written"
                ) from None
            after = _fingerprints(self.data)
        written = sorted(path for path, digest in after.items() if before.get(path) != digest)
        root = str(self.data.resolve().parent) + os.sep
        said = [line.replace(root, "") for line in done.stderr.splitlines() if line.strip()]
        return {
            "status": done.returncode,
            "summary": STATUS_WORDS.get(
                done.returncode,
                "文件超出导入的限制（大小、内存或时间），什么也没有写。/ The file is beyond the "
                "importer's limits (size, memory or time); nothing written.",
            ),
            "said": said,
            "drafts": [self._draft(path) for path in written],
        }

    def _draft(self, path: Path) -> dict:
        draft = draft_files.load(self.data, path)
        data = draft.data if isinstance(draft.data, dict) else {}
        form = data.get("form") if data.get("form") in F.FORMS else None
        entry = PurePosixPath(draft.name).with_suffix("").as_posix()
        file = f"{self.data.name}/{draft.name}"
        try:
            state = self.editor.state_of(file)
        except Refused:
            state = None  # not a file the editor reads or writes: not removable here
        return {
            "file": file,
            "state": state,  # what git knows of it: how it is removed (LocalEditor.discard)
            "title": draft.title,
            "form": form,
            # Decap's address of the entry: /admin/#/collections/<form>/entries/<path>
            "editor_url": (f"/admin/#/collections/{form}/entries/{quote(entry)}" if form else None),
            "errors": [for_door(p, form) for p in draft.problems if p.is_error],
            "warnings": [for_door(p, form) for p in draft.problems if not p.is_error],
            "notes": _notes(draft.text),
        }


def _fingerprints(folder: Path) -> dict[Path, str]:
    """Every .yaml file below `folder` → a digest of its bytes (what the import changed)."""
    found: dict[Path, str] = {}
    for path in folder.rglob("*.yaml"):
        if path.is_file() and not path.is_symlink():
            found[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _notes(text: str) -> list[dict]:
    """The importer's comment blocks of a draft: [{"title", "lines"}], as the form shows them."""
    lines = text.splitlines()
    found = []
    for heading, title in NOTE_BLOCKS:
        if heading not in lines:
            continue
        block = []
        for line in lines[lines.index(heading) + 1 :]:
            if not line.startswith("#   "):
                break
            block.append(line[4:])
        found.append({"title": title, "lines": block})
    return found
