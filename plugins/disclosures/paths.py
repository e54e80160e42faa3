"""The files under a data or content folder, listed without trusting the folder.

A push can add symbolic links, FIFOs and oddly named files as easily as YAML. Listing:
- never opens anything (`lstat` only): opening a FIFO blocks for ever, a device reads for ever;
- refuses links that resolve outside the folder (they would publish any file the build can
  read, and print it in messages), linked folders (loops, files listed twice), special files
  (FIFOs, devices, sockets) and names holding control or format characters;
- refuses the folder itself when it is a link out of the folder that holds it (a pushed
  `data -> /etc`).
Names starting with "." are skipped (editors' tools keep state there), as before.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import textpolicy
from .problems import Problem

_KINDS = {
    stat.S_IFIFO: ("命名管道（FIFO）", "a FIFO (named pipe)"),
    stat.S_IFCHR: ("字符设备", "a character device"),
    stat.S_IFBLK: ("块设备", "a block device"),
    stat.S_IFSOCK: ("套接字", "a socket"),
}


def _problem(path: Path, zh: str, en: str) -> Problem:
    return Problem(str(path), 1, 1, "", zh, en)


def special_file(path: Path, mode: int) -> Problem | None:
    """A problem when `mode` (from lstat/stat) is not a regular file or a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    zh, en = _KINDS.get(stat.S_IFMT(mode), ("特殊文件", "a special file"))
    return _problem(
        path, f"这是{zh}，不是普通文件，不会读取", f"this is {en}, not a file; not read"
    )


def _bad_name(path: Path) -> Problem | None:
    finding = textpolicy.scan(path.name, multiline=False)
    if finding is None or not finding.is_error:
        return None
    return _problem(path, f"文件名中{finding.zh}", f"file name: {finding.en}")


def outside(path: Path, root: Path) -> bool:
    """True when `path`, links resolved, is not inside `root` (links resolved)."""
    return not path.resolve().is_relative_to(root.resolve())


def check_root(root: Path) -> Problem | None:
    """The folder itself: a link out of the folder that holds it is refused."""
    absolute = root.absolute()
    if root.is_symlink() and outside(absolute, absolute.parent):
        return _problem(
            root,
            f"文件夹是指向 {absolute.parent} 之外的符号链接",
            f"the folder is a symbolic link out of {absolute.parent}",
        )
    return None


DATA_FOLDER = ("数据文件夹", "the data folder")
CONTENT_FOLDER = ("内容文件夹", "the content folder")


def regular_files(
    root: Path, folder_name: tuple[str, str] = DATA_FOLDER
) -> tuple[list[Path], list[Problem]]:
    """Every regular file under `root` (sorted), and a problem for every entry refused."""
    files: list[Path] = []
    problems: list[Problem] = []
    real_root = root.resolve()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            problems.append(_problem(folder, f"无法读取文件夹：{exc.strerror}",
                                     f"cannot list folder: {exc.strerror}"))  # fmt: skip
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            bad = _bad_name(path)
            if bad is not None:
                problems.append(bad)
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                target = path.resolve()
                if not target.is_relative_to(real_root):
                    problems.append(
                        _problem(
                            path,
                            f"符号链接指向{folder_name[0]}之外",
                            f"symbolic link points outside {folder_name[1]}",
                        )
                    )
                    continue
                try:
                    mode = target.stat().st_mode
                except OSError:
                    problems.append(_problem(path, "符号链接无效", "broken symbolic link"))
                    continue
                if stat.S_ISDIR(mode):
                    problems.append(
                        _problem(
                            path,
                            "文件夹不能是符号链接（请复制或移动文件夹）",
                            "a folder may not be a symbolic link (copy or move the folder)",
                        )
                    )
                    continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                problems.append(special_file(path, mode))  # type: ignore[arg-type]
    files.sort()
    return files, problems
