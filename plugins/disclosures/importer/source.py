"""The input door of `disclosures import`: every file is read through `read_input` (size,
file type, ZIP bombs) and every decompressing reader runs through `run_limited` (memory,
time); then the text of one input, with line numbers for any offset, and its layout."""

from __future__ import annotations

import bisect
import io
import multiprocessing
import os
import re
import resource
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import (
    EXIT_BAD_INPUT,
    EXIT_MEMORY_LIMIT,
    EXIT_NOT_A_FILE,
    EXIT_TIME_LIMIT,
    EXIT_TOO_LARGE,
    InputRefused,
)

PIPES = "pipes"  # web table flattened with "|" between cells
CELLS = "cells"  # web table flattened one cell per paragraph (blank line between cells)
ROWS = "rows"  # one table row per line, cells separated by spaces (PDF text, some web pages)
LINES = "lines"  # web table flattened one cell per line, with no blank line between cells

_PROVENANCE = re.compile(r"^#\s*(source|completeness)\s*:\s*(.*)$")


@dataclass
class Text:
    text: str
    source_url: str = ""  # from a leading "# source:" note of a collected file
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_start(self, offset: int) -> int:
        return self._starts[self.line_of(offset) - 1]


# Labels of merged cells that a PDF prints vertically, one character per line, beside rows.
VERTICAL = {
    "绩效指标",
    "绩效目标",
    "项目资金",
    "总体目标",
    "年度目标",
    "中期目标",
    "资金",
    "指标",
    "目标",
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "年度绩效目标",
    "项目绩效目标",
    "投入与管理",
    "产出目标",
    "效果目标",
    "影响力目标",
    "项目完成指标",
    "项目效益指标",
    "绩效指标表",
}
_LEAD_CHAR = re.compile(r"^\s*([\u4e00-\u9fff])(?:\s+|$)")


def unstack_vertical(lines: list[str]) -> list[str]:
    """`绩 一级指标 …` / `效 产出指标 …` / `指 …` / `标 …`: a vertical label's characters lead
    consecutive lines. The label is put back whole at the head of its first line."""
    out = list(lines)
    i = 0
    while i < len(out):
        j = i
        chars = []
        while j < len(out) and (m := _LEAD_CHAR.match(out[j])):
            chars.append(m.group(1))
            j += 1
        label = "".join(chars)
        best = next((k for k in range(len(chars), 1, -1) if "".join(chars[:k]) in VERTICAL), 0)
        if best:
            for k in range(i, i + best):
                rest = _LEAD_CHAR.sub("", out[k], count=1)
                out[k] = f"{label[:best]} {rest}".rstrip() if k == i else rest
            i += best
        else:
            i += 1
    return out


def from_source(text: str) -> Text:
    """Provenance notes at the top of a collected file (`# source: URL`) are not table text:
    they are blanked out (keeping line numbers) and the URL kept."""
    lines = unstack_vertical(text.split("\n"))
    url = ""
    for i, line in enumerate(lines[:5]):
        match = _PROVENANCE.match(line.strip())
        if not match:
            continue
        if match[1] == "source":
            url = match[2].split()[0] if match[2].split() else ""
        lines[i] = ""
    return Text("\n".join(lines), url)


def layout_of(text: str) -> str:
    """How the cells of a table were flattened into lines."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled:
        return ROWS
    piped = sum(1 for line in filled if line.rstrip().endswith("|") or "|" in line)
    if piped / len(filled) > 0.3:
        return PIPES
    blank = sum(1 for line in lines if not line.strip())
    single = sum(len(x.split()) <= 1 for x in filled) / len(filled)
    # One cell per paragraph: about as many blank lines as filled ones, short lines.
    if blank / len(lines) > 0.35 and single > 0.7:
        return CELLS
    return LINES if single > 0.85 and len(filled) >= 8 else ROWS


def table_layout(text: str) -> str:
    """The layout of an indicator table, told by its column headings: on one line (rows), or
    one per line (cells), with or without blank lines between them."""
    if layout_of(text) == PIPES:
        return PIPES
    match = re.search(r"一\s*级\s*(指\s*标|目\s*标)(?P<gap>\s*)二\s*级", text)
    if match and "\n" in match["gap"]:
        # `一级\n指标\n二级指标 三级指标 指标值`: only the first heading wrapped, the row
        # of headings goes on along one line
        after = re.match(r"[ \t]*(?:指[ \t]*标|目[ \t]*标)?[ \t]+\S", text[match.end() :])
        if after:
            return ROWS
        return CELLS if re.search(r"\n[ \t]*\n", match["gap"]) else LINES
    return ROWS


# --- the input door: every file `disclosures import` reads comes through here ---------------
#
# Limits (each a distinct exit status, documented in docs/editor-workflow.md):
# - the file must be a regular file (not a folder, FIFO, device or socket): checked with stat,
#   then opened non-blocking and checked again with fstat, so a FIFO never blocks;
# - its size, before reading (DISCLOSURES_IMPORT_MAX_BYTES, default 50 MiB);
# - a ZIP container (xlsx, docx) is refused when its members would unpack to more than
#   DISCLOSURES_IMPORT_MAX_UNPACKED bytes (default 200 MiB) or 100 times its own size: the
#   declared sizes first, then each member actually inflated, streamed and counted, stopping
#   at the limit (an archive can declare 1 KB for a member that inflates to gigabytes);
# - every reader (PDF, xlsx/xls/docx, HTML, text) runs through
#   `run_limited`: a forked child with an address-space limit
#   (DISCLOSURES_IMPORT_MEMORY_LIMIT, default 1 GiB above what the command already uses)
#   and a wall-clock limit (DISCLOSURES_IMPORT_TIME_LIMIT, default 120 s).


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_unpacked: int = 200 * 1024 * 1024
    max_ratio: int = 100
    memory: int = 1024 * 1024 * 1024
    seconds: float = 120.0

    @classmethod
    def from_env(cls) -> Limits:
        def number(name: str, default: float) -> float:
            value = os.environ.get(name, "")
            try:
                return float(value) if value else default
            except ValueError:
                return default

        base = cls()
        return cls(
            max_bytes=int(number("DISCLOSURES_IMPORT_MAX_BYTES", base.max_bytes)),
            max_unpacked=int(number("DISCLOSURES_IMPORT_MAX_UNPACKED", base.max_unpacked)),
            memory=int(number("DISCLOSURES_IMPORT_MEMORY_LIMIT", base.memory)),
            seconds=number("DISCLOSURES_IMPORT_TIME_LIMIT", base.seconds),
        )


_SPECIAL = {
    stat.S_IFIFO: ("命名管道（FIFO）", "a FIFO (named pipe)"),
    stat.S_IFCHR: ("字符设备", "a character device"),
    stat.S_IFBLK: ("块设备", "a block device"),
    stat.S_IFSOCK: ("套接字", "a socket"),
}


def _not_a_file(path: Path, mode: int) -> InputRefused:
    if stat.S_ISDIR(mode):
        return InputRefused(
            f"{path}：这是一个文件夹，不是文件", f"{path}: is a directory", EXIT_NOT_A_FILE
        )
    zh, en = _SPECIAL.get(stat.S_IFMT(mode), ("特殊文件", "a special file"))
    return InputRefused(
        f"{path}：这是{zh}，不是普通文件，不会读取",
        f"{path}: this is {en}, not a regular file; not read",
        EXIT_NOT_A_FILE,
    )


def _too_large(path: Path, size: int, limit: int) -> InputRefused:
    return InputRefused(
        f"{path}：文件太大（{size} 字节，上限 {limit}），不像一张绩效目标表",
        f"{path}: file too large ({size} bytes, limit {limit}) for a table",
        EXIT_TOO_LARGE,
    )


def read_input(path: Path, limits: Limits | None = None) -> bytes:
    """The bytes of one input file, within the limits; InputRefused otherwise."""
    limits = limits or Limits.from_env()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputRefused(f"{path}：文件不存在", f"{path}: no such file") from None
    except OSError as exc:
        raise InputRefused(
            f"{path}：无法读取（{exc.strerror}）", f"{path}: cannot read ({exc.strerror})"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_a_file(path, info.st_mode)
    if info.st_size > limits.max_bytes:
        raise _too_large(path, info.st_size, limits.max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):  # swapped since the stat above
                raise _not_a_file(path, mode)
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise InputRefused(
            f"{path}：无法读取（{exc.strerror}）", f"{path}: cannot read ({exc.strerror})"
        ) from None
    if len(raw) > limits.max_bytes:
        raise _too_large(path, len(raw), limits.max_bytes)
    if raw.startswith(b"PK\x03\x04"):
        check_archive(path, raw, limits)
    return raw


def check_archive(path: Path, raw: bytes, limits: Limits) -> None:
    """A ZIP container (xlsx, docx) whose members would unpack to too much: a zip bomb.

    The declared sizes are checked first (cheap), then every member is inflated and its
    bytes counted, 1 MiB at a time, stopping at the limit: the declared sizes are the
    archive's word, and a reader that does not hold the archive to them (or a future one)
    would unpack whatever the compressed data holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable archive: the reader says so
    limit = min(limits.max_unpacked, limits.max_ratio * max(len(raw), 1024))
    declared = sum(member.file_size for member in members)
    if declared > limit or len(members) > 10_000:
        raise _zip_bomb(path, f"would unpack to {declared} bytes", declared, len(members), limit)
    unpacked = 0
    for member in members:
        unpacked += _inflated_size(raw, member, limit - unpacked)
        if unpacked > limit:
            raise _zip_bomb(
                path, f"unpacks to more than {limit} bytes", unpacked, len(members), limit
            )


def _zip_bomb(path: Path, what: str, size: int, count: int, limit: int) -> InputRefused:
    return InputRefused(
        f"{path}：压缩包解压后超过 {size} 字节（{count} 个文件），上限 {limit} 字节"
        "（疑似“压缩炸弹”），不会解压",
        f"{path}: the archive {what} in {count} members, over the limit of {limit} "
        "(a zip bomb?); not unpacked",
        EXIT_TOO_LARGE,
    )


_CHUNK = 1 << 20


def _inflated_size(raw: bytes, member: zipfile.ZipInfo, room: int) -> int:
    """Bytes `member` really unpacks to, counted up to `room` + 1 (then the caller stops).

    Stored and deflated members (what Office and WPS write) are measured from the
    compressed data itself; any other method counts as its declared size (its reader runs
    within the memory limit anyway)."""
    start = member.header_offset
    header = raw[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return member.file_size
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    data_start = start + 30 + name_length + extra_length
    data = memoryview(raw)[data_start : data_start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        return len(data)
    if member.compress_type != zipfile.ZIP_DEFLATED:
        return member.file_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    try:
        for offset in range(0, len(data), 64 * 1024):
            pending = bytes(data[offset : offset + 64 * 1024])
            while pending:
                size += len(inflater.decompress(pending, _CHUNK))
                if size > room:
                    return size
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return member.file_size  # corrupt data: the reader refuses it
    return size


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(conn: Any, function: Callable[..., Any], args: tuple, memory: int) -> None:
    try:
        limit = _vm_bytes() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        conn.send(("ok", function(*args)))
    except InputRefused as refused:
        conn.send(("refused", (refused.zh, refused.en, refused.status)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never raised here
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()
        os._exit(0)


def run_limited(
    path: Path, function: Callable[..., Any], *args: Any, limits: Limits | None = None
) -> Any:
    """`function(*args)` in a forked child within the memory and time limits.

    Readers that decompress (PDF streams, ZIP members) run here: a compressed stream that
    unpacks to gigabytes, or a file that takes the parser for ever, costs one child, which is
    killed; the command reports it with its own exit status."""
    limits = limits or Limits.from_env()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, function, args, limits.memory))
    process.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise InputRefused(
                f"{path}：读取超过 {limits.seconds:g} 秒，已停止",
                f"{path}: reading took longer than {limits.seconds:g} s; stopped",
                EXIT_TIME_LIMIT,
            )
        try:
            kind, value = receiver.recv()
        except EOFError:  # the child died (killed for memory, or crashed)
            kind, value = "memory", None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if kind == "ok":
        return value
    if kind == "refused":
        raise InputRefused(*value)
    if kind == "memory":
        raise InputRefused(
            f"{path}：读取需要超过 {limits.memory // (1024 * 1024)} MB 内存"
            "（多半是压缩数据过大），已停止",
            f"{path}: reading needs more than {limits.memory // (1024 * 1024)} MB of memory "
            "(compressed data that unpacks to too much?); stopped",
            EXIT_MEMORY_LIMIT,
        )
    raise InputRefused(
        f"{path}：无法读取（{value}）", f"{path}: cannot read ({value})", EXIT_BAD_INPUT
    )
