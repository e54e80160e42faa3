"""Write plugins/disclosures/han_lookalikes.tsv: rare Han characters drawn like common ones.

Run offline (not by the build): needs numpy, Pillow and Debian's fonts-noto-cjk.
Each character of CJK Unified Ideographs (U+4E00–9FFF) and Extension A (U+3400–4DBF) is drawn
with Noto Sans CJK SC at 64 px, blurred (Gaussian, radius 3), scaled to 24×24 and compared with
every character of GB 2312 (the 6,763 characters ordinary text is written in) by the
correlation of the two images. A character outside GB 2312 whose best match is at or above
THRESHOLD (靑/青 0.966) is written with that match, unless OpenCC's variant table
(han_variants.tsv) already folds it. Pairs of two common characters are not kept: at this
measure 未/末 (0.983) and 土/士 (0.98) score like 募/墓 or 使/便, which readers tell apart.
"""

import sys
import unicodedata

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

THRESHOLD = 0.95
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def radicals(ucd: str) -> dict[str, str]:
    """CJK radicals drawn as a unified ideograph (⻘ U+2ED8 → 青), from the Unicode
    Character Database's EquivalentUnifiedIdeograph.txt (Debian's unicode-data package:
    /usr/share/unicode/). NFKC folds the Kangxi radicals (U+2F00–2FDF), not these."""
    table = {}
    for line in open(ucd, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if not line:
            continue
        codes, _, unified = (part.strip() for part in line.partition(";"))
        first, _, last = codes.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            if unicodedata.normalize("NFKC", chr(code)) == chr(code):
                table[chr(code)] = chr(int(unified, 16))
    return table


def main(out: str, variants: str, ucd: str) -> None:
    font = next(
        f
        for f in (ImageFont.truetype(FONT, 64, index=i) for i in range(10))
        if f.getname()[0] == "Noto Sans CJK SC"
    )

    def image(char: str) -> np.ndarray:
        im = Image.new("L", (72, 72), 0)
        ImageDraw.Draw(im).text((4, -4), char, font=font, fill=255)
        im = im.filter(ImageFilter.GaussianBlur(3)).resize((24, 24), Image.BILINEAR)
        a = np.asarray(im, dtype=np.float32).ravel()
        a = a - a.mean()
        n = np.linalg.norm(a)
        return a / n if n else a

    def gb(char: str) -> bool:
        try:
            char.encode("gb2312")
            return True
        except UnicodeEncodeError:
            return False

    chars = [
        chr(c)
        for c in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]
        if unicodedata.category(chr(c)) == "Lo" and font.getmask(chr(c)).getbbox()
    ]
    common = [c for c in chars if gb(c)]
    all_images = np.stack([image(c) for c in chars])
    index = {c: i for i, c in enumerate(chars)}
    common_images = all_images[[index[c] for c in common]]
    folded = {
        line.split("\t")[0]
        for line in open(variants, encoding="utf-8")
        if line.strip() and not line.startswith("#")
    }
    best: dict[str, tuple[str, float]] = {}
    for start in range(0, len(chars), 2000):
        block = all_images[start : start + 2000] @ common_images.T
        for i, j in zip(*np.nonzero(block >= THRESHOLD), strict=True):
            rare, usual, score = chars[start + i], common[j], float(block[i, j])
            if gb(rare) or rare in folded:
                continue
            if rare not in best or score > best[rare][1]:
                best[rare] = (usual, score)
    for radical, unified in radicals(ucd).items():
        best[radical] = (unified, 1.0)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for rare in sorted(best):
            usual, score = best[rare]
            handle.write(f"{rare}\t{usual}\t{score:.3f}\n")
    print(len(chars), len(common), len(best))


HEADER = """\
# Rare Han characters drawn like a common one (one a line: rare<TAB>common<TAB>similarity).
# Made by tools/make_han_lookalikes.py from Noto Sans CJK SC (Debian fonts-noto-cjk
# 1:20220127, SIL Open Font License): every character of U+3400-4DBF and U+4E00-9FFF outside
# GB 2312 against the 6,763 of GB 2312, the correlation of their blurred 24x24 images at least
# 0.95 (the best match kept; characters OpenCC's han_variants.tsv folds are left to it). Used
# by textpolicy.fold_han: 靑 (U+9751) is written 青. The CJK radicals NFKC leaves alone
# (⻘ U+2ED8 → 青) come from Unicode's EquivalentUnifiedIdeograph.txt (similarity 1.000).
"""

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
