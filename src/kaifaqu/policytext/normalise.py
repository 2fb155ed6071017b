"""Normalisation: NFKC (full- and half-width) and Traditional→Simplified, keeping an offset map.

Every later step reads the normalised text; ``Normalised.span`` turns a range of it back into a
``Span`` of the original characters, so what a reviewer highlights is what the document says.
Line breaks of every kind become "\n". NFKC is applied one original character at a time (it may
turn one into several, "㈠" into "(一)"), and the Traditional→Simplified conversion (OpenCC's
``t2s``) keeps the length of the text; where a phrase conversion would not, that line is
converted one character at a time instead.
"""

import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

from .model import Span


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # for each character of ``text``, its index in the original
    original_length: int

    def span(self, start: int, end: int) -> Span:
        """The original characters that normalised characters ``start:end`` came from."""
        if start >= end:
            point = self.origin[start] if start < len(self.origin) else self.original_length
            return Span(point, point)
        return Span(self.origin[start], self.origin[end - 1] + 1)


# Every way a text breaks its lines, read as "\n": CR LF, a lone CR, the vertical tab of a Word
# line break, form feed, NEL and Unicode's line and paragraph separators.
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _width_folded(original: str) -> tuple[str, list[int]]:
    characters: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(original):
        folded = character
        if not unicodedata.is_normalized("NFKC", character):
            folded = unicodedata.normalize("NFKC", character)
        if character in _LINE_BREAKS:
            following = original[index + 1 : index + 2]
            folded = "" if character == "\r" and following == "\n" else "\n"
        elif character in "\u200b\ufeff":
            folded = ""
        characters.append(folded)
        origin.extend([index] * len(folded))
    return "".join(characters), origin


def _simplified(text: str) -> str:
    converter = _converter()
    converted: str = converter.convert(text)
    if len(converted) == len(text):
        return converted
    lines = []
    for line in text.split("\n"):
        simple: str = converter.convert(line)
        if len(simple) != len(line):
            simple = "".join(
                single if len(single := converter.convert(c)) == 1 else c for c in line
            )
        lines.append(simple)
    return "\n".join(lines)


def normalise(original: str) -> Normalised:
    folded, origin = _width_folded(original)
    return Normalised(_simplified(folded), tuple(origin), len(original))
