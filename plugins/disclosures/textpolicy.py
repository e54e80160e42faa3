"""One text policy for every key and value an editor (or a commit message) can write.

Refused (an error naming the character, its code point, Unicode name and position):
- control characters (Unicode category Cc), except tab and newline inside values; keys and
  one-line texts (commit subjects) take neither;
- format characters (Cf): bidi embeddings, overrides and isolates (U+202A–E, U+2066–9, the
  "Trojan Source" characters), marks (U+200E/F, U+061C), zero-width space/joiners (U+200B–D),
  word joiner and invisible operators (U+2060–4), BOM/ZWNBSP (U+FEFF), interlinear
  annotation (U+FFF9–B), tag characters (U+E0000–7F), soft hyphen (U+00AD) and the rest: they
  are invisible, so the page would not show what the file holds, and some reorder what is shown;
- characters that draw nothing though they are not Cf (Hangul fillers, U+034F, variation
  selectors, U+2800 …: Default_Ignorable_Code_Point outside Cf; eighth red-team session);
- line and paragraph separators (U+2028/9): line breaks for some programs, not for others;
- surrogates and noncharacters (U+FDD0–FDEF, U+xxFFFE/F): not text.
Warned (the site still builds): private-use characters (each reader's font draws its own
glyph, or a box) and code points unassigned in this Python's Unicode database.

Speed: a validation runs this on every scalar of every file. One compiled regex finds any
character outside the ranges ordinary text uses (ASCII, Latin, punctuation, CJK, full-width
forms…, all verified by tests/test_textpolicy.py to hold only allowed characters); only
those few characters are classified with `unicodedata`, so the answer follows the running
Python's Unicode version without a 1.1-million-entry table.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Ranges of characters that are assigned, visible (or ordinary space) and harmless.
# Anything else is looked at one by one.
SAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E),  # ASCII printable
    (0xA0, 0xAC),  # Latin-1 (U+00AD soft hyphen is a format character)
    (0xAE, 0x34E),  # Latin-1, Latin Extended, IPA, spacing and combining diacritics
    (0x350, 0x36F),  # (U+034F COMBINING GRAPHEME JOINER is invisible)
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205F),  # per mille, primes, brackets …
    (0x2100, 0x218B),  # letterlike symbols, number forms (℃, Ⅻ)
    (0x2190, 0x2426),  # arrows, mathematical operators, technical symbols
    (0x2460, 0x27FF),  # enclosed alphanumerics (①), box drawing, shapes, dingbats
    (0x2801, 0x2B73),  # (U+2800 BRAILLE PATTERN BLANK draws nothing)
    (0x2E80, 0x2E99),  # CJK radicals
    (0x2E9B, 0x2EF3),
    (0x2F00, 0x2FD5),  # Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》【】, ideographic space)
    (0x3041, 0x3096),  # hiragana
    (0x3099, 0x30FF),  # katakana
    (0x3105, 0x312F),  # bopomofo
    (0x3190, 0x31E3),
    (0x31F0, 0x321E),
    (0x3220, 0x9FFF),  # enclosed CJK, compatibility, Ext. A, unified ideographs
    (0xF900, 0xFA6D),  # compatibility ideographs
    (0xFE10, 0xFE19),  # vertical forms
    (0xFE30, 0xFE52),  # CJK compatibility forms, small forms
    (0xFE54, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFF9F),  # full-width and half-width forms
    (0xFFA1, 0xFFBE),  # (U+FFA0 HALFWIDTH HANGUL FILLER draws nothing)
    (0xFFE0, 0xFFE6),
    (0xFFE8, 0xFFEE),
    (0x20000, 0x2A6DF),  # CJK Ext. B …
    (0x2A700, 0x2B738),
    (0x2B740, 0x2B81D),
    (0x2B820, 0x2CEA1),
    (0x2CEB0, 0x2EBE0),
    (0x30000, 0x3134A),  # CJK Ext. G
)


def _class(ranges: tuple[tuple[int, int], ...], extra: str = "") -> str:
    parts = [extra] + [
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    ]
    return "".join(parts)


_SUSPECT_IN_TEXT = re.compile(f"[^{_class(SAFE_RANGES, chr(9) + chr(10))}]")
_SUSPECT_IN_LINE = re.compile(f"[^{_class(SAFE_RANGES)}]")

_ERROR_CATEGORIES = {
    "Cc": ("控制字符", "control character"),
    "Cf": ("不可见的格式字符", "invisible format character"),
    "Zl": ("行分隔符", "line separator"),
    "Zp": ("段分隔符", "paragraph separator"),
    "Cs": ("代理码位", "surrogate code point"),
}
_WARNING_CATEGORIES = {
    "Co": ("私用区字符", "private-use character"),
    "Cn": (
        f"Unicode {unicodedata.unidata_version} 中未分配的字符",
        f"character unassigned in Unicode {unicodedata.unidata_version}",
    ),
}
# unicodedata has no names for controls: their Unicode aliases.
_C0_NAMES = (
    "NULL START-OF-HEADING START-OF-TEXT END-OF-TEXT END-OF-TRANSMISSION ENQUIRY ACKNOWLEDGE "
    "BELL BACKSPACE CHARACTER-TABULATION LINE-FEED LINE-TABULATION FORM-FEED CARRIAGE-RETURN "
    "SHIFT-OUT SHIFT-IN DATA-LINK-ESCAPE DEVICE-CONTROL-ONE DEVICE-CONTROL-TWO "
    "DEVICE-CONTROL-THREE DEVICE-CONTROL-FOUR NEGATIVE-ACKNOWLEDGE SYNCHRONOUS-IDLE "
    "END-OF-TRANSMISSION-BLOCK CANCEL END-OF-MEDIUM SUBSTITUTE ESCAPE INFORMATION-SEPARATOR-FOUR "
    "INFORMATION-SEPARATOR-THREE INFORMATION-SEPARATOR-TWO INFORMATION-SEPARATOR-ONE"
).split()


def char_name(char: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`; controls by their alias, others by what they are."""
    code = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        if code < 0x20:
            name = _C0_NAMES[code].replace("-", " ")
        elif code == 0x7F:
            name = "DELETE"
        elif 0x80 <= code <= 0x9F:
            name = "C1 CONTROL"
        elif _is_noncharacter(code):
            name = "NONCHARACTER"
        else:
            name = {"Co": "PRIVATE USE", "Cs": "SURROGATE"}.get(
                unicodedata.category(char), "UNASSIGNED"
            )
    return f"U+{code:04X} {name}"


# Characters that draw nothing though Unicode does not call them format characters (red-team,
# eighth session: `测试单位\u3164` beside `测试单位` was a second unit, and the policy said
# nothing): Unicode's Default_Ignorable_Code_Point outside Cf (U+034F, the Hangul fillers
# U+115F/U+1160/U+3164/U+FFA0, U+17B4/5, the Mongolian selectors, variation selectors
# U+FE00–F and U+E0100–E01EF, the unassigned U+2065, U+FFF0–8 and tag-plane points) and
# U+2800 BRAILLE PATTERN BLANK.
_INVISIBLE_LETTERS = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2065, 0x2065),
    (0x2800, 0x2800), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0FFF),
)  # fmt: skip


def _is_invisible_letter(code: int) -> bool:
    return any(low <= code <= high for low, high in _INVISIBLE_LETTERS)


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


@dataclass(frozen=True, slots=True)
class Finding:
    """A character the policy refuses or warns about, at a 1-based character position."""

    char: str
    position: int
    is_error: bool  # False: a warning
    kind_zh: str
    kind_en: str

    @property
    def name(self) -> str:
        return char_name(self.char)

    @property
    def zh(self) -> str:
        action = "请删除" if self.is_error else "读者的字体可能显示为别的字或方框，请确认"
        return f"第 {self.position} 个字符是{self.kind_zh} {self.name}（{action}）"

    @property
    def en(self) -> str:
        action = "remove it" if self.is_error else "readers' fonts may show another glyph or a box"
        return f"character {self.position} is the {self.kind_en} {self.name}; {action}"


@functools.lru_cache(maxsize=4096)
def _classify(char: str, multiline: bool) -> tuple[bool, str, str] | None:
    """None for an allowed character; else how bad it is and what to call it."""
    code = ord(char)
    if multiline and char in "\t\n":
        return None
    if _is_noncharacter(code):
        return True, "非字符码位", "noncharacter"
    if _is_invisible_letter(code):
        return True, "不可见的字符", "invisible character"
    category = unicodedata.category(char)
    if category in _ERROR_CATEGORIES:
        return (True, *_ERROR_CATEGORIES[category])
    if category in _WARNING_CATEGORIES:
        return (False, *_WARNING_CATEGORIES[category])
    return None


def scan(text: str, multiline: bool = True) -> Finding | None:
    """The first refused character of `text`, else its first warned one, else None.

    `multiline`: values may hold tab and newline; keys, names of files and commit subjects
    (multiline=False) may not.
    """
    pattern = _SUSPECT_IN_TEXT if multiline else _SUSPECT_IN_LINE
    first = pattern.search(text)
    if first is None:  # the common case: one regex pass, no Python loop
        return None
    warning: Finding | None = None
    for match in pattern.finditer(text, first.start()):
        verdict = _classify(match.group(), multiline)
        if verdict is None:
            continue
        finding = Finding(match.group(), match.start() + 1, *verdict)
        if finding.is_error:
            return finding
        warning = warning or finding
    return warning


_DISPLAY_SUSPECT = re.compile(f"[^{_class(SAFE_RANGES)}]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":  # pragma: no cover - backslash is in the safe ASCII range
        return char
    if _classify(char, multiline=False) is None:
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape(text: str) -> str:
    """`text` for a message or a log line: every character the policy flags (controls, format
    characters, separators, tab, newline, CR …) written as a visible \\xNN / \\uNNNN escape,
    so nothing in a file name, key or value can move the cursor, colour a terminal, start a
    new line (a forged `::error` CI annotation) or reorder what is shown."""
    if _DISPLAY_SUSPECT.search(text) is None:
        return text
    return _DISPLAY_SUSPECT.sub(_escape_char, text)


# --- look-alike names ------------------------------------------------------------------------
# Letters that look like Latin or Chinese ones but are other characters: a unit named with a
# Cyrillic "А" or Greek "Ο", or with the Kangxi radical "⼈" (U+2F08) for 人, is another unit
# to the site (another row, another page, or a clash of URLs) while it reads the same. Only
# names holding one of these characters are looked at closely.
_LOOKALIKE_SUSPECTS = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff\uff21-\uff3a\uff41-\uff5a"
    "\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]"
)
_SCRIPTS = {"CYRILLIC": ("西里尔", "Cyrillic"), "GREEK": ("希腊", "Greek")}
# CJK radicals (U+2E80–2FDF) and compatibility ideographs: drawn as an ordinary character.
_HAN_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


def mixed_scripts(text: str) -> tuple[str, str] | None:
    """Why the name `text` can be mistaken for another (zh, en), or None: Cyrillic or Greek
    letters among others, full-width with half-width Latin letters, or a radical or
    compatibility ideograph standing for an ordinary Chinese character."""
    if _LOOKALIKE_SUSPECTS.search(text) is None:
        return None
    for match in _HAN_LOOKALIKE.finditer(text):
        char = match.group()
        plain = unicodedata.normalize("NFKC", char)
        if plain != char:
            code = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
            return (
                f"名称中的“{char}”({code})是部首或兼容字符，外形与常用汉字“{plain}”相同："
                f"请改为“{plain}”，否则看起来相同的名称会被当成另一个",
                f"the name holds {char!r} ({code}), a radical or compatibility character "
                f"drawn like the ordinary {plain!r}: write {plain!r}, or a name that looks "
                "the same counts as another",
            )
    scripts: dict[str, str] = {}
    fullwidth = halfwidth = False
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        script = name.split(" ", 1)[0]
        if name.startswith("FULLWIDTH LATIN"):
            fullwidth = True
        elif script == "LATIN":
            halfwidth = True
        scripts.setdefault(script, char)
    foreign = [s for s in _SCRIPTS if s in scripts]
    if foreign and len(scripts) > 1:
        shown = "、".join(
            f"{_SCRIPTS[s][0]}字母“{scripts[s]}”(U+{ord(scripts[s]):04X})" for s in foreign
        )
        shown_en = ", ".join(
            f"{_SCRIPTS[s][1]} letter {scripts[s]!r} (U+{ord(scripts[s]):04X})" for s in foreign
        )
        return (
            f"名称混用了{shown}与其他文字，看起来相同的名称会被当成另一个",
            f"the name mixes the {shown_en} with other scripts: a name that looks the same "
            "would count as another",
        )
    if fullwidth and halfwidth:
        return (
            "名称混用了全角和半角拉丁字母",
            "the name mixes full-width and half-width Latin letters",
        )
    return None


@functools.cache
def _han_variants() -> dict[str, str]:
    table = {}
    for name in ("han_variants.tsv", "han_lookalikes.tsv"):
        for line in Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                variant, ordinary = line.split("\t")[:2]
                table.setdefault(variant, ordinary)  # OpenCC's word first
    return table


def fold_han(text: str) -> str:
    """`text` with every traditional or variant Chinese character written as the ordinary
    simplified one (`武汉市青山區` → `武汉市青山区`, `戶`/`戸` → `户`), after NFKC, and every
    rare character drawn like a common one written as that one (`靑` → `青`): two names that
    fold alike are drawn alike, or nearly, and read the same. From OpenCC's tables
    (han_variants.tsv) and a comparison of the glyphs (han_lookalikes.tsv, red-team, seventh
    session). Two common characters drawn alike (`己`/`已`) are not folded."""
    table = _han_variants()
    return "".join(table.get(char, char) for char in unicodedata.normalize("NFKC", text))


# Characters a reader cannot tell apart in a name, though Unicode and the glyph measure keep
# them apart (red-team, eighth session): common Han characters drawn almost alike (己/已/巳,
# 未/末, 土/士, 人/入, 日/曰, 戊/戌/戍, 汩/汨), katakana drawn as Han strokes (カ 力, ロ 口,
# エ 工, ニ 二, ハ 八, ト 卜, タ 夕, ヌ 又, ー 一), and every dash or horizontal line (一 ー ‐ ‑ ‒
# – — ― − ─ -). Used for unit identity only: two units that fold alike are refused; indicator
# names keep fold_han (whose grouping is shown on the index).
_IDENTITY_FOLD = str.maketrans(
    {
        **dict.fromkeys("已巳", "己"),
        "末": "未",
        "士": "土",
        "入": "人",
        "曰": "日",
        **dict.fromkeys("戌戍", "戊"),
        "汨": "汩",
        **dict(zip("カロエニハトタヌ", "力口工二八卜夕又", strict=True)),
        **dict.fromkeys("ー\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500-", "一"),
    }
)


def fold_identity(text: str) -> str:
    """`text` as a reader tells names apart: fold_han, then the characters of _IDENTITY_FOLD,
    without any white space (`测试 单位`, `测试\u3000单位` read as `测试单位`)."""
    return "".join(fold_han(text).translate(_IDENTITY_FOLD).split())
