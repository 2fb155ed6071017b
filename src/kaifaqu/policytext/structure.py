"""Structure: the numbering 一、/(一)/1./(1) read into measures, web debris left out.

Works on the normalised text (NFKC has made every bracket and full stop half-width). A heading's
level is its numbering style, ranked 一、 < (一) < 1. < (1); a heading closes every open heading of
its own or a deeper style. The body of the document runs from its first heading to the first
line of page furniture (抄送, 印发, 扫一扫, 上一篇, 版权所有 …) after its last top-level heading,
so a site's menu before or amid the text does not cut it short; debris lines inside it
(来源:, 分享, a site's banner) are not read for units, deadlines or targets.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Numbering styles in rank order: the pattern at line start, and the label a path shows for it.
_STYLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"第([一二三四五六七八九十]{1,3})(?:部分|章|篇)\s*"), "第{}"),
    (re.compile(r"([一二三四五六七八九十]{1,3})、"), "{}"),
    (re.compile(r"\(([一二三四五六七八九十]{1,3})\)"), "({})"),
    (re.compile(r"(\d{1,2})(?:\.|、)(?![\d.])"), "{}"),
    (re.compile(r"\((\d{1,2})\)"), "({})"),
)
# Page furniture that ends the body: nothing after it is a measure.
_END = re.compile(
    r"^(抄送|抄报|印发|扫一扫|上一篇|下一篇|相关阅读|相关链接|责任编辑|版权所有|主办单位|"
    r"打印本页|关闭窗口|分享到|【打印】|\S{0,20}办公(厅|室)\s+\d{4}年\d{1,2}月\d{1,2}日印发)"
)
# Debris that may sit inside the body: skipped, never read.
_DEBRIS = re.compile(
    r"^(来源[::]|发布时间[::]|发布日期[::]|日期[::]|浏览次数|阅读次数|字号|【字体|分享|点击|网站|"
    r"当前位置|热门标签|相关标签|标签[::])"
    r"|(手机版|欢迎您|www\.|https?://|\.(com|net|cn)\b)"
)


@dataclass(frozen=True)
class Line:
    start: int  # offsets in the normalised text, end exclusive, without the line break
    end: int
    text: str


@dataclass(frozen=True)
class Heading:
    label: str  # as the path shows it: "二", "(三)", "1", "(1)"
    rank: int
    line: Line
    title_start: int  # where the heading's words begin (after the number)
    title_end: int  # end of its first sentence, or of the line


@dataclass(frozen=True)
class Section:
    """One measure's place in the text: its heading, its whole extent (children included) and its
    own text (before its first child), as ranges of the normalised text."""

    path: str
    heading: Heading
    end: int
    own_end: int
    own_lines: tuple[Line, ...]


# Where a heading starts inside a physical line, as in a text whose paragraphs lost their breaks:
# a bracketed number anywhere, any other numbering after the end of a sentence.
_INLINE_HEADING = re.compile(
    r"(?<=[^\s(])(?=\(([一二三四五六七八九十]{1,3}|\d{1,2})\)[^\d\s)、,,])"
    r"|(?<=[。!?;:)])\s*(?=(第[一二三四五六七八九十]{1,3}(部分|章|篇)|[一二三四五六七八九十]{1,3}、"
    r"|\d{1,2}[.、](?![\d.]))\S)"
)


def lines_of(text: str) -> Iterator[Line]:
    """The text's lines, a line broken where a heading starts inside it."""
    start = 0
    for piece in text.split("\n"):
        cut = 0
        for match in _INLINE_HEADING.finditer(piece):
            if match.end() > cut:
                yield Line(start + cut, start + match.start(), piece[cut : match.start()])
                cut = match.end()
        yield Line(start + cut, start + len(piece), piece[cut:])
        start += len(piece) + 1


def is_debris(line: Line) -> bool:
    return bool(_DEBRIS.search(line.text.strip()))


def _heading(line: Line) -> Heading | None:
    stripped = line.text.lstrip()
    indent = len(line.text) - len(stripped)
    for rank, (style, shown) in enumerate(_STYLES):
        if (match := style.match(stripped)) is None:
            continue
        label = shown.format(match.group(1))
        title_start = line.start + indent + match.end()
        rest = line.text[indent + match.end() :]
        if not rest.strip():
            return None
        full_stop = rest.find("。")
        title_end = title_start + (full_stop if full_stop >= 0 else len(rest.rstrip()))
        return Heading(label, rank, line, title_start, title_end)
    return None


def preamble(text: str) -> tuple[Line, ...]:
    """The prose before the first heading: its lines that end a sentence. Titles, addressee lines
    ("各市商务局:") and a site's menus do not end with a full stop; debris lines are left out."""
    found = []
    for line in lines_of(text):
        if _heading(line) is not None:
            break
        if line.text.strip().endswith("。") and not is_debris(line):
            found.append(line)
    return tuple(found)


def sections(text: str) -> list[Section]:
    """The measures of ``text`` in document order, each with its path in the numbering tree."""
    lines = list(lines_of(text))
    headings = [(i, h) for i, line in enumerate(lines) if (h := _heading(line)) is not None]
    body_end = len(text)
    if headings:
        top = min(heading.rank for _, heading in headings)
        last_top = max(i for i, heading in headings if heading.rank == top)
        end_index = next(
            (i for i in range(last_top + 1, len(lines)) if _END.match(lines[i].text.strip())),
            None,
        )
        if end_index is not None:
            body_end = lines[end_index].start
            lines = lines[:end_index]
            headings = [(i, heading) for i, heading in headings if i < end_index]
    found: list[Section] = []
    stack: list[Heading] = []
    for position, (index, heading) in enumerate(headings):
        while stack and stack[-1].rank >= heading.rank:
            stack.pop()
        stack.append(heading)
        path = "/".join(h.label for h in stack)
        later = headings[position + 1 :]
        end_index = next((i for i, h in later if h.rank <= heading.rank), len(lines))
        own_index = later[0][0] if later else len(lines)
        own_index = min(own_index, end_index)
        end = lines[end_index].start if end_index < len(lines) else body_end
        own_end = lines[own_index].start if own_index < len(lines) else body_end
        own = tuple(line for line in lines[index:own_index] if not is_debris(line))
        found.append(Section(path, heading, _trimmed(text, end), _trimmed(text, own_end), own))
    return found


def _trimmed(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
