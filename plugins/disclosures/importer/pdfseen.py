"""The characters of a PDF page a reader sees.

A PDF's text layer can hold text the page never shows (red-team, ninth session): drawn in
rendering mode 3 (invisible) beside visible text, in white on the white page, at a tenth of a
point, with a fill opacity of 0, or placed outside the page. Each made a sixth indicator
`≥99999吨` that no reader of the PDF sees. Here such characters are left out before the
page's text is read.

An OCR'd scan is kept whole: its text layer is all invisible text over the picture, and
that text is what the picture shows (ocrmypdf writes it so). White text on a dark filled
box (a header) is seen.

pdfminer does not keep the rendering mode or the fill opacity on its characters; the page's
device and interpreter are subclassed for the duration of one read to record them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_SMALLEST_POINTS = 2.0
_FAINT = 1.25  # WCAG contrast against the white page under which text is not read


@contextmanager
def recording() -> Iterator[None]:
    """pdfplumber's layout made with a device that marks each character's rendering mode
    and fill opacity (`unseen` on the LTChar)."""
    import pdfplumber.page as page_module
    from pdfminer.pdfinterp import PDFGraphicState
    from pdfminer.pdftypes import resolve1

    base_device = page_module.PDFPageAggregatorWithMarkedContent
    base_interpreter = page_module.PDFPageInterpreter

    class Device(base_device):  # type: ignore[misc, valid-type]
        mode = 0
        alpha = 1.0

        def render_string(self, textstate, seq, ncs, graphicstate) -> None:  # noqa: ANN001
            self.mode = getattr(textstate, "render", 0)
            self.alpha = getattr(graphicstate, "fill_alpha", 1.0)
            super().render_string(textstate, seq, ncs, graphicstate)

        def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:  # noqa: ANN001
            before = len(self.cur_item._objs)
            super().paint_path(gstate, stroke, fill, evenodd, path)
            for painted in self.cur_item._objs[before:]:
                painted.fill_alpha = getattr(gstate, "fill_alpha", 1.0)

        def render_char(self, *args, **kwargs) -> float:  # noqa: ANN002, ANN003
            advance = super().render_char(*args, **kwargs)
            if self.cur_item._objs:
                self.cur_item._objs[-1].unseen = (
                    "mode" if self.mode in (3, 7) else "alpha" if self.alpha <= 0.05 else ""
                )
            return advance

    class State(PDFGraphicState):
        """The graphics state with the fill opacity (`/ca`), kept through `q`/`Q`."""

        fill_alpha = 1.0

        def copy(self) -> State:
            state = State()
            state.__dict__.update(super().copy().__dict__)
            state.fill_alpha = self.fill_alpha
            return state

    class Interpreter(base_interpreter):  # type: ignore[misc, valid-type]
        def init_state(self, ctm) -> None:  # noqa: ANN001
            super().init_state(ctm)
            self.graphicstate = State()

        def do_gs(self, name) -> None:  # noqa: ANN001
            try:
                states = resolve1(self.resources.get("ExtGState")) or {}
                state = resolve1(states.get(getattr(name, "name", name))) or {}
                alpha = state.get("ca")
                if alpha is not None:
                    self.graphicstate.fill_alpha = float(resolve1(alpha))
            except Exception:  # noqa: BLE001 - a broken state dictionary changes nothing
                return

    page_module.PDFPageAggregatorWithMarkedContent = Device
    page_module.PDFPageInterpreter = Interpreter
    try:
        yield
    finally:
        page_module.PDFPageAggregatorWithMarkedContent = base_device
        page_module.PDFPageInterpreter = base_interpreter


def seen_page(page: Any) -> Any:  # noqa: ANN401 - a pdfplumber Page
    """`page` without the characters no reader sees."""
    from pdfminer.layout import LTChar, LTContainer, LTRect

    marked: dict[tuple, str] = {}
    total = 0

    drawn: list[Any] = []  # characters so far, in drawing order

    def walk(item: Any) -> None:  # noqa: ANN401
        nonlocal total
        if isinstance(item, LTChar):
            total += 1
            drawn.append(item)
            reason = getattr(item, "unseen", "")
            if reason:
                marked[_key(item.x0, item.y0, item.get_text())] = reason
        elif isinstance(item, LTRect) and item.fill and getattr(item, "fill_alpha", 1.0) >= 0.95:
            # An opaque box painted after text covers it (a white box over a row, a black
            # bar over a redaction): what it covers is not shown (ninth session).
            for char in drawn:
                x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
                if item.x0 <= x <= item.x1 and item.y0 <= y <= item.y1:
                    marked[_key(char.x0, char.y0, char.get_text())] = "covered"
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child)

    walk(page.layout)
    invisible = sum(1 for reason in marked.values() if reason == "mode")
    if total and invisible == total:
        marked = {}  # all of it invisible: an OCR layer over a scan, the only text there is
    x0, top, x1, bottom = page.bbox
    dark_boxes = [
        (r["x0"], r["top"], r["x1"], r["bottom"])
        for r in page.rects
        if r.get("fill")
        and _rgb(r.get("non_stroking_color"), None) is not None
        and _contrast(_rgb(r.get("non_stroking_color"), None), (1.0, 1.0, 1.0)) >= _FAINT
    ]

    def seen(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        if _key(obj["x0"], obj["y0"], obj["text"]) in marked:
            return False
        if float(obj.get("size") or 0) < _SMALLEST_POINTS and obj["text"].strip():
            return False
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        if not (x0 <= x <= x1 and top <= y <= bottom):
            return False  # placed outside the page
        ink = _rgb(obj.get("non_stroking_color"), obj.get("ncs"))
        if ink is None or _contrast(ink, (1.0, 1.0, 1.0)) >= _FAINT:
            return True
        return any(a <= x <= c and b <= y <= d for a, b, c, d in dark_boxes)

    return page.filter(seen)


def _key(x: float, y: float, text: str) -> tuple:
    return round(float(x), 2), round(float(y), 2), text


def _rgb(colour: Any, space: str | None) -> tuple[float, float, float] | None:  # noqa: ANN401
    """An ink colour as RGB from its components (gray, RGB, CMYK by their count)."""
    if colour is None:
        return (0.0, 0.0, 0.0) if space else None
    if isinstance(colour, (int, float)):
        colour = (colour,)
    try:
        values = [float(c) for c in colour]
    except (TypeError, ValueError):
        return None  # a pattern: not decided here
    if len(values) == 1:
        return values[0], values[0], values[0]
    if len(values) == 3:
        return values[0], values[1], values[2]
    if len(values) == 4:
        c, m, y, k = values
        return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    return None


def _contrast(a: tuple, b: tuple) -> float:
    def luminance(rgb: tuple) -> float:
        def linear(c: float) -> float:
            c = min(1.0, max(0.0, c))
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b_ = (linear(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
