"""Read a published table into text, or refuse it with a reason an editor can act on."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import EXIT_BAD_INPUT, InputRefused
from .html import html_text, looks_like_html
from .office import office_kind, office_text
from .source import read_input, run_limited

# Magic numbers of files editors may pick by mistake, with what to do instead.
_MAGIC = (
    (
        b"PK\x03\x04",
        "ZIP 压缩包（不是 Word .docx 或 Excel .xlsx）",
        "a ZIP file (not a Word .docx nor an Excel .xlsx)",
    ),
    (b"\x89PNG", "PNG 图片", "a PNG image"),
    (b"\xff\xd8\xff", "JPEG 图片", "a JPEG image"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
)
# Invisible characters PDFs and web pages carry: zero-width marks and C0 controls (not \n).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\x00-\x09\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Source:
    """The text of one input file."""

    path: Path
    text: str
    kind: str  # "text", "html", "pdf", "xlsx", "xls" or "docx"
    encoding: str  # how the bytes were decoded ("utf-8", "gb18030", "pdf")
    # What the reader could not read and the editor should know (a web page's stylesheet
    # on another host: rows it hides may be in the draft).
    notes: tuple[str, ...] = ()


def read_source(path: Path, encoding: str | None = None) -> Source:
    """Bytes of `path` → text. Raises `InputRefused` for anything that is not readable text."""
    raw = read_input(path)  # the input door: file type, size and ZIP limits
    if not raw.strip():
        raise InputRefused(f"{path}：文件是空的", f"{path}: the file is empty")
    if raw.lstrip()[:5] == b"%PDF-":
        import pdfplumber  # noqa: F401 - loaded once here, not in every forked reader

        # PDF streams are compressed: read within the memory and time limits.
        return Source(path, normalise(run_limited(path, _pdf_text, path)), "pdf", "pdf")
    kind = office_kind(raw)
    if kind and not encoding:
        # ZIP members and OLE streams are compressed: read within the limits, like a PDF.
        text = normalise(run_limited(path, office_text, path, raw, kind))
        if not text.strip():
            raise InputRefused(f"{path}：文件里没有文字", f"{path}: the file holds no text")
        return Source(path, text, kind, kind)
    # Web pages and text too: a page of millions of tags builds a tree of gigabytes.
    if looks_like_html(raw) and not encoding:
        return run_limited(path, _html_source, path, raw)
    return run_limited(path, _text_source, path, raw, encoding)


def _html_source(path: Path, raw: bytes) -> Source:
    text, used, unread = html_text(raw, path.parent)
    text = normalise(text)
    if not text.strip():
        raise InputRefused(f"{path}：网页里没有文字", f"{path}: the page holds no text")
    notes = tuple(
        f"{path}：网页的样式表 {href} 没有读到（不在网页所在文件夹），它隐藏的内容可能被导入，"
        f"请对照原网页核对 / the page's stylesheet {href} was not read (not saved beside the "
        "page): what it hides may be in the draft; check against the page"
        for href in dict.fromkeys(unread)
    )
    return Source(path, text, "html", used, notes)


def _text_source(path: Path, raw: bytes, encoding: str | None) -> Source:
    text, used = _decode(path, raw, encoding)
    cells = csv_to_cells if path.suffix.lower() == ".csv" else tabs_to_cells
    text = normalise(cells(text))
    if not text.strip():
        raise InputRefused(f"{path}：文件里没有文字", f"{path}: the file holds no text")
    return Source(path, text, "text", used)


def tabs_to_cells(text: str) -> str:
    """A table copied from a browser or a spreadsheet has a tab between cells: keep those
    cell boundaries as `|` rather than losing them among the spaces inside cells."""
    lines = text.split("\n")
    filled = [line for line in lines if line.strip()]
    if not filled or sum("\t" in line for line in filled) / len(filled) < 0.3:
        return text
    return "\n".join(_tab_row(line) if "\t" in line else line for line in lines)


def csv_to_cells(text: str) -> str:
    """A spreadsheet saved as CSV (the file's name says so: commas are too common in the text
    of a table to tell it by its content): each record one `|` row, as a tab-separated copy
    becomes. A cell written over several lines (quoted) is one cell, its lines joined by a
    space; the record's line in the import's messages is then its line in these rows."""
    delimiter = ";" if text.count(";") > text.count(",") else ","
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return "\n".join(
        "| " + " | ".join(" ".join(cell.split("\n")).strip() for cell in row) + " |" if row else ""
        for row in rows
    )


def _tab_row(line: str) -> str:
    """One `|` per tab: an empty cell stays a cell (a merged level cell left blank below its
    first row), so the cells after it keep their columns."""
    cells = [cell.strip() for cell in line.strip("\r").split("\t")]
    return "| " + " | ".join(cells) + " |"


def normalise(text: str) -> str:
    """One line-break convention, ordinary spaces, no invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\xa0", " ").replace("\u3000", " ").replace("\t", " ")
    return _INVISIBLE.sub("", text)


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputRefused(f"未知的编码 {encoding}", f"unknown encoding {encoding!r}") from None
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise InputRefused(
                f"{path}：不能按 {encoding} 解码（第 {exc.start} 字节）",
                f"{path}: cannot be decoded as {encoding} (byte {exc.start})",
            ) from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):  # Notepad's "Unicode": text after all
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError:
                break
    for magic, zh, en in _MAGIC:
        if raw.startswith(magic):
            raise InputRefused(
                f"{path}：这是{zh}，不是文字或 PDF。请另存为 PDF 或 UTF-8 文本（.txt）后再导入",
                f"{path}: this is {en}, not text or PDF. Save it as PDF or UTF-8 text (.txt) first",
            )
    if b"\x00" in raw[:65536] or _control_ratio(raw[:65536]) > 0.05:
        raise InputRefused(
            f"{path}：这是二进制文件，不是文字或 PDF。请导入 PDF 或 UTF-8 文本（.txt）",
            f"{path}: binary file, not text or PDF. Import a PDF or a UTF-8 text (.txt) file",
        )
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InputRefused(
            f"{path}：文件不是 UTF-8 编码（第 {utf8_error.start} 字节起无法识别），"
            "也不是 GBK/GB18030。请用 UTF-8 另存后再导入",
            f"{path}: not valid UTF-8 (from byte {utf8_error.start}) nor GBK/GB18030. "
            "Save it as UTF-8 and import again",
        ) from None
    raise InputRefused(
        f"{path}：文件不是 UTF-8 编码。试按 GB18030（GBK）解码成功，看来是 GBK 编码。"
        f"请转换为 UTF-8 后再导入：iconv -f GB18030 -t UTF-8 {path.name} > 新文件.txt，"
        "或加上 --encoding gb18030 重新导入",
        f"{path}: not valid UTF-8. Decoding as GB18030 (GBK) succeeded, so it is GBK text. "
        f"Convert it: iconv -f GB18030 -t UTF-8 {path.name} > new.txt, "
        "or import again with --encoding gb18030",
        EXIT_BAD_INPUT,
    )


def _control_ratio(raw: bytes) -> float:
    """Share of C0 control bytes other than whitespace: text has none, binaries many."""
    if not raw:
        return 0.0
    controls = sum(1 for b in raw if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(raw)


def _out_of_memory(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's errors, and pdfminer zlib's MemoryError."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, MemoryError):
            return True
        stack.extend([item.__cause__, item.__context__, *item.args])
    return False


def _pdf_text(path: Path) -> str:
    import pdfplumber  # imported here: slow to import, and only PDFs need it
    from pdfminer.pdfparser import PDFSyntaxError

    from .pdflayout import drop_furniture, pdf_page_text
    from .pdfseen import recording, seen_page

    pages: list[str] = []
    try:
        with pdfplumber.open(path) as pdf, recording():
            for page in pdf.pages:  # ruled tables as `|` rows (pdflayout), else plain text
                page = seen_page(page)  # not what the page never shows (white, invisible…)
                pages.append(pdf_page_text(page) or page.extract_text() or "")
    except PDFSyntaxError:
        raise InputRefused(
            f"{path}：PDF 文件已损坏，无法读取", f"{path}: the PDF is damaged and cannot be read"
        ) from None
    except Exception as exc:  # pdfminer raises many types for broken or encrypted files
        if _out_of_memory(exc):
            raise MemoryError from exc  # the input door's memory limit (source.run_limited)
        raise InputRefused(
            f"{path}：无法读取这个 PDF（{type(exc).__name__}）",
            f"{path}: cannot read this PDF ({type(exc).__name__}: {exc})",
        ) from None
    text = "\n".join(drop_furniture(pages))
    if not text.strip():
        raise InputRefused(
            f"{path}：这个 PDF 没有文字层（多半是扫描件）。请先用 OCR 识别文字"
            "（如 ocrmypdf --language chi_sim），或对照原表用 disclosures new 手工录入",
            f"{path}: this PDF has no text layer (probably a scan). Run OCR first "
            "(e.g. ocrmypdf --language chi_sim) or type it in from `disclosures new`",
        )
    return text
