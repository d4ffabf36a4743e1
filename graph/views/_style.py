"""How the views look: a colour-blind-safe palette, text colours that pass WCAG AA, legend items,
and document text made readable (LaTeX math as text, HTML entities decoded once).

The palette is Okabe and Ito's (2008), which stays distinguishable under the common colour-vision
deficiencies; every kind of node also has its own shape, so colour is never the only cue. A label
drawn inside a shape gets black or white, whichever contrasts more with the fill (WCAG 2 relative
luminance); one drawn below a shape sits on the white page.
"""

from __future__ import annotations

import html
import re

from pylatexenc.latex2text import LatexNodes2Text

OKABE_ITO = {
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "grey": "#999999",
    "black": "#000000",
}
INSIDE_LABEL = frozenset({"box", "ellipse", "circle", "database", "text"})
PAGE_TEXT = "#222222"  # a label drawn below its shape, on the white page
AA = 4.5  # WCAG 2 AA: the least contrast of normal text


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``.

    >>> luminance("#FFFFFF"), luminance("#000000")
    (1.0, 0.0)
    """
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21.

    >>> round(contrast("#000000", "#FFFFFF"), 1), round(contrast("#777777", "#FFFFFF"), 2)
    (21.0, 4.48)
    """
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``.

    >>> text_on(OKABE_ITO["blue"]), text_on(OKABE_ITO["yellow"])
    ('#FFFFFF', '#000000')
    """
    return max(("#000000", "#FFFFFF"), key=lambda text: contrast(text, fill))


def node_style(colour: str, shape: str) -> dict[str, object]:
    """The colour, shape and label colour of a node drawn as ``shape`` filled with ``colour``."""
    label = text_on(colour) if shape in INSIDE_LABEL else PAGE_TEXT
    return {"color": colour, "shape": shape, "font": {"color": label}}


def shortened(text: str, limit: int = 40) -> str:
    """A node's label: ``text`` cut at a word to at most ``limit`` characters, with an ellipsis.

    >>> shortened("A Case of Resistant Polymyositis That Was Treated", 30)
    'A Case of Resistant\u2026'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" ,.;:-") + "\u2026"


def legend_item(label: str, colour: str, shape: str, dashes: bool = False) -> dict[str, str]:
    """One legend entry; ``shape`` is a vis-network node shape, or ``line`` for an edge."""
    return {"label": label, "color": colour, "shape": f"{shape} dashed" if dashes else shape}


_MATH = re.compile(r"\$([^$\n]+)\$")
_LATEX = LatexNodes2Text(math_mode="text", keep_comments=True)
_OPERATOR = re.compile("\\s*([\u00b1\u00d7\u2264\u2265])\\s*")  # plus-minus, times, <=, >=


def readable(text: str) -> str:
    r"""Document text as a reader should see it: HTML entities decoded once, and each inline
    ``$...$`` LaTeX math segment written out as text. The result is still only ever shown as
    text (``textContent``), so markup in it is never run.

    >>> readable(r"dose of  $2166.7 \text{ mg} \pm 288.7 \text{ mg}$ ( $p < 0.05$ ) &amp;lt;")
    'dose of 2166.7 mg ± 288.7 mg ( p < 0.05 ) &lt;'
    """
    text = html.unescape(text)
    if "$" not in text:
        return text

    def math(match: re.Match[str]) -> str:
        written = _LATEX.latex_to_text(match.group(1))
        return " ".join(_OPERATOR.sub(r" \1 ", written).split())

    return re.sub(r" {2,}", " ", _MATH.sub(math, text))
