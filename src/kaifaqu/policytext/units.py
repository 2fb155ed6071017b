"""Responsible units: the blocks that name who does a measure, lead and supporting units apart.

Forms read (on the normalised text, brackets half-width):
- a bracket block with labels: "(责任单位:A、B)", "(牵头单位:A;责任单位:B、C)", "(A牵头,B、C配合)",
  "(A负责)", "(由A会同B负责)"; the block may break across lines, and brackets nested inside it
  ("各市、县(区)政府", "市商务局(自贸办)") stay part of it and of the unit's name;
- a line that begins with a label ("责任单位:A、B") without brackets;
- in the measure's sentences, only where it has no block: "由A会同B…", "由A负责/牵头",
  "A牵头,B配合".
Lists split on 、 , ; at the block's top level. A 责任单位 list is the lead when the block names
no 牵头单位, and the supporting units when it does. A block whose units apply to the measures
below it ("以下…责任单位:A", "以下各项均由A负责") is reported by ``applies_below``.
"""

import re
from dataclasses import dataclass, replace

from .model import Role

_LEAD_LABEL = r"牵头单位|牵头部门|牵头处室|主责单位|主责部门|主办单位|牵头"
_SUPPORT_LABEL = (
    r"配合单位|配合部门|配合处室|协办单位|协同单位|协同部门|参与单位|参与部门|参加单位|"
    r"协助单位|配合"
)
_DUTY_LABEL = r"责任单位|责任部门|责任处室|责任主体|实施单位|实施主体|承办单位|落实单位"
_LABEL = re.compile(rf"({_LEAD_LABEL}|{_SUPPORT_LABEL}|{_DUTY_LABEL})\s*[::]")
_UNIT_END = re.compile(
    r"(局|委|办|厅|部|政府|委员会|管委会|中心|院|行|会|公司|集团|海关|法院|检察院|所|站|队|处|"
    r"室|馆|社|区|县|市|省|团|组|板块|部门|单位|机构|园|镇|街道|片区|长)(\([^()]*\))?$"
)
_LABEL_LINE = re.compile(rf"(?m)^[ \t]*(?:{_LEAD_LABEL}|{_SUPPORT_LABEL}|{_DUTY_LABEL})\s*[::]")
_BARE_COLLECTIVE = re.compile(r"^各[省市县区州盟旗、()\s]*$")
_INSTITUTION = re.compile(r"(局|厅|委|办|政府|管委会|委员会|中心|公司|集团|海关|银行)$")
_SEPARATORS = "、,;"
_FILLER_END = re.compile(
    r"(按职责分工负责|按职责分工|分工负责|分别负责|共同负责|负责|牵头|配合|落实|等单位|等部门|等|"
    r"以下同|下同)$"
)
_BELOW = re.compile(r"^(以下|下列)")


@dataclass(frozen=True)
class FoundUnit:
    name: str
    role: Role
    start: int  # offsets in the normalised text
    end: int
    onward: bool = False  # named for every later task too ("以下均需X落实,不再列出")


@dataclass(frozen=True)
class Block:
    start: int  # the block's extent in the normalised text (brackets included)
    end: int
    units: tuple[FoundUnit, ...]
    applies_below: bool
    led: bool  # names its lead explicitly (牵头单位, "X牵头", "X负责"), not only a 责任单位 list


def _closing(text: str, open_at: int, limit: int) -> int | None:
    depth = 0
    for index in range(open_at, min(limit, open_at + 1000)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return None


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The list items of text[start:end], split on 、 , ; outside nested brackets, stripped.

    A name opened by 各 takes in the items joined to it by 、 ("各县区、功能板块",
    "各市、县(区)政府", "各市、州、县人民政府" are one each) until it names an institution and the
    next item is one of its own ("各市、县(区)政府、赣江新区管委会" is two)."""
    pieces: list[tuple[int, int, str]] = []
    depth = 0
    piece_start = start
    for index in range(start, end + 1):
        character = text[index] if index < end else ";"
        if character == "(":
            depth += 1
        elif character == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and character in _SEPARATORS:
            piece_start, piece_end = _stripped(text, piece_start, index)
            if piece_end > piece_start:
                pieces.append((piece_start, piece_end, character))
            piece_start = index + 1
    items: list[tuple[int, int]] = []
    joined = False
    for piece_start, piece_end, separator in pieces:
        if joined and items:
            collective = text[items[-1][0] : items[-1][1]]
            if _BARE_COLLECTIVE.match(collective) or not _INSTITUTION.search(
                text[piece_start:piece_end]
            ):
                items[-1] = (items[-1][0], piece_end)
                joined = separator == "、"
                continue
        items.append((piece_start, piece_end))
        joined = separator == "、" and text[piece_start] == "各"
    return items


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "。由"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "。…"):
        end -= 1
    if (filler := _FILLER_END.search(text[start:end])) is not None and filler.start() > 0:
        end = start + filler.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _units(text: str, start: int, end: int, role: Role) -> list[FoundUnit]:
    return [
        FoundUnit(re.sub(r"\s+", "", text[item_start:item_end]), role, item_start, item_end)
        for item_start, item_end in _items(text, start, end)
    ]


# "…,以下均需各市、县(区)政府落实,不再列出": units named once for this task and every later one.
_ONWARD = re.compile(
    r"[,;]?\s*以下(?:各项|任务|工作|措施)?(?:均|都)?(?:需|须|由|要)?(?P<names>.+?)"
    r"(?:负责)?(?:落实|负责|承担|参与|配合)(?:[,;]?\s*不再(?:一一)?列出)?\s*$"
)


def _labelled(text: str, start: int, end: int) -> tuple[list[FoundUnit], bool] | None:
    """The units of a block of labels ("牵头单位:A;责任单位:B"), and whether it names a lead."""
    labels = list(_LABEL.finditer(text, start, end))
    if not labels or re.sub(r"[\s;,]", "", text[start : labels[0].start()]):
        return None
    has_lead = any(re.fullmatch(_LEAD_LABEL, label.group(1)) for label in labels)
    units: list[FoundUnit] = []
    for position, label in enumerate(labels):
        segment_end = labels[position + 1].start() if position + 1 < len(labels) else end
        kind = label.group(1)
        role: Role = "lead"
        if re.fullmatch(_SUPPORT_LABEL, kind) or (re.fullmatch(_DUTY_LABEL, kind) and has_lead):
            role = "support"
        onward = _ONWARD.search(text, label.end(), segment_end)
        listed = _units(text, label.end(), onward.start() if onward else segment_end, role)
        units.extend(listed)
        if onward is not None:
            names = {unit.name for unit in listed}
            later = _units(text, onward.start("names"), onward.end("names"), role)
            units[:] = [
                replace(unit, onward=True) if unit.name in {u.name for u in later} else unit
                for unit in units
            ]
            units.extend(replace(u, onward=True) for u in later if u.name not in names)
    return units, has_lead


_LEAD_SUPPORT = re.compile(
    r"^(由)?(?P<lead>.+?)(牵头|负责)[,,;;]?(?P<support>.+?)"
    r"(按职责分工负责|按职责分工落实|分工负责|按职责负责|配合|参与|协助|协同)$"
)
# "A牵头,B负责": B does the work under A's lead.
_LEAD_THEN_DUTY = re.compile(r"^(由)?(?P<lead>.+?)牵头[,,;;](?P<support>.+?)(负责|落实)$")
_TOGETHER = re.compile(
    r"^由?(?P<lead>.+?)会同(?P<support>.+?)(共同)?(负责|组织实施|实施|推进|落实)?$"
)
_ALONE = re.compile(r"^由?(?P<lead>.+?)(按职责)?(分工负责|分别负责|共同负责|牵头负责|负责|牵头)$")


def _looks_like_units(text: str, start: int, end: int) -> bool:
    items = _items(text, start, end)
    return bool(items) and all(
        _UNIT_END.search(text[s:e]) and len(text[s:e]) <= 30 for s, e in items
    )


def _grammar(text: str, start: int, end: int) -> list[FoundUnit] | None:
    """The units of "A牵头,B配合" / "由A会同B…" / "A负责" spanning exactly text[start:end]."""
    clause = text[start:end]
    for pattern in (_LEAD_SUPPORT, _LEAD_THEN_DUTY, _TOGETHER, _ALONE):
        if (match := pattern.match(clause)) is None:
            continue
        parts: list[tuple[str, Role]] = [("lead", "lead"), ("support", "support")]
        spans = [
            (start + match.start(group), start + match.end(group), role)
            for group, role in parts
            if group in pattern.groupindex and match.group(group) is not None
        ]
        if all(_looks_like_units(text, s, e) for s, e, _ in spans):
            return [unit for s, e, role in spans for unit in _units(text, s, e, role)]
    return None


def blocks(text: str, start: int, end: int) -> list[Block]:
    """The responsibility blocks in text[start:end], in order."""
    found: list[Block] = []
    index = start
    while index < end:
        open_at = text.find("(", index, end)
        if open_at < 0:
            break
        close_at = _closing(text, open_at, end)
        if close_at is None:
            index = open_at + 1
            continue
        inner_start, inner_end = open_at + 1, close_at
        below = _BELOW.match(text[inner_start:inner_end].lstrip()) is not None
        if below:
            inner_start = _after_below(text, inner_start, inner_end)
        labelled = _labelled(text, inner_start, inner_end)
        units, led = labelled if labelled else (_grammar(text, inner_start, inner_end), True)
        if units:
            found.append(Block(open_at, close_at + 1, tuple(units), below, led))
            index = close_at + 1
        else:
            index = open_at + 1
    found.extend(_label_lines(text, start, end, found))
    return sorted(found, key=lambda block: block.start)


def _after_below(text: str, start: int, end: int) -> int:
    """Past the "以下…" lead-in of a block: after its colon, or after "均由"/"由"."""
    lead_in = re.match(r"\s*(以下|下列)[^::由]*?([::]|均由|由)", text[start:end])
    if lead_in is None:
        return start
    if lead_in.group(2) in (":", ":"):
        label = _LABEL.search(text, start, start + lead_in.end())
        return label.start() if label is not None else start + lead_in.end()
    return start + lead_in.end()


def _label_lines(text: str, start: int, end: int, inside: list[Block]) -> list[Block]:
    """Lines that begin with a label, outside brackets; consecutive ones are one block."""
    found: list[Block] = []
    for match in _LABEL_LINE.finditer(text[start:end]):
        line_start = start + match.start()
        if any(block.start <= line_start < block.end for block in [*inside, *found]):
            continue
        line_end = line_start
        while True:
            next_break = text.find("\n", line_end, end)
            line_end = end if next_break < 0 else next_break
            if line_end == end or not _LABEL_LINE.match(text, line_end + 1, end):
                break
            line_end += 1
        if labelled := _labelled(text, line_start, line_end):
            found.append(Block(line_start, line_end, tuple(labelled[0]), False, labelled[1]))
    return found


_NAME = (
    r"(?:各|市|省|县|区)?[\u4e00-\u9fff]{0,12}?"
    r"(?:局|委员会|委|办公室|办|厅|部|人民政府|政府|管委会|中心|海关|法院|检察院|公司|集团|链长)"
)
_NAME_LIST = rf"{_NAME}(?:[、和及]{_NAME})*"
# "负责制", "负责人", "负责同志" are nouns (a system, a person), not the verb that assigns a task
# ("负责制定" is the verb).
_NOT_A_NOUN = r"(?!制(?![定订])|人|同志)"
_DUTY_VERB = rf"(?:牵头负责|负责|牵头){_NOT_A_NOUN}"
_SENTENCE_FORMS = (
    re.compile(rf"由(?P<lead>{_NAME_LIST})会同(?P<support>{_NAME_LIST})"),
    re.compile(rf"由(?P<lead>{_NAME_LIST}){_DUTY_VERB}"),
    re.compile(rf"(?P<lead>{_NAME_LIST})牵头[,,](?P<support>{_NAME_LIST})(?:配合|参与|协助)"),
    re.compile(rf"(?:^|(?<=[,,。;;\n]))(?P<lead>{_NAME_LIST})(?:牵头负责|负责){_NOT_A_NOUN}"),
)


def sentence_units(text: str, start: int, end: int) -> list[FoundUnit]:
    """Units named in the measure's sentences ("由A会同B负责"), for a measure with no block."""
    units: list[FoundUnit] = []
    taken: list[tuple[int, int]] = []
    for pattern in _SENTENCE_FORMS:
        for match in pattern.finditer(text, start, end):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append(match.span())
            roles: tuple[tuple[str, Role], ...] = (("lead", "lead"), ("support", "support"))
            for group, role in roles:
                if group in pattern.groupindex and match.group(group):
                    units.extend(_units(text, match.start(group), match.end(group), role))
    return sorted(units, key=lambda unit: unit.start)
