"""``extract``: the measures of a policy text with their units, deadlines and targets.

Each measure reads its own text (before its first sub-measure), without its responsibility blocks
for deadlines and targets. Its units come from its blocks; where it has none, from its sentences
("由A会同B…"), or else from a "以下…" block of a measure above it. A measure with two or more blocks
is one task per block: it is followed by a measure per block (path "…#1", "…#2"), each reading the
text from the previous block to its own. A leaf measure whose last block ends a paragraph ends
there: what follows (a closing exhortation, a signature) is not part of it. Deadlines in the
lead-in of a measure that is no task itself (no units, no targets) belong to the measures it
introduces. Units a block names for every later task ("以下均需X落实,不再列出") are added to
each later block. A measure with units or targets and no deadline is a standing task.

The prose before the first heading is a measure (path "前言") only where it states a target ("力争
全省…突破3万亿"): the document's headline goal. Its legal bases and purpose are no task.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from .deadlines import FoundDeadline, deadlines
from .document import particulars
from .model import Deadline, ExtractedDocument, Measure, Role, Target, UnitRef
from .normalise import Normalised, normalise
from .structure import Section, preamble, sections
from .targets import FoundTarget, targets
from .units import Block, FoundUnit, blocks, sentence_units

T = TypeVar("T")


@dataclass
class _Context:
    normal: Normalised
    issued: date | None
    units_below: dict[str, tuple[FoundUnit, ...]]
    onward: list[FoundUnit]

    def block_units(self, block: Block) -> list[FoundUnit]:
        """The block's units and those an earlier block named for every later task, these as the
        block's supporting units where it names a lead, else as leads like its 责任单位."""
        units = list(block.units)
        names = {unit.name for unit in units}
        role: Role = "support" if block.led else "lead"
        units.extend(replace(u, role=role) for u in self.onward if u.name not in names)
        self.onward.extend(u for u in block.units if u.onward)
        return units


def extract(text: str, *, issued: date | None = None) -> ExtractedDocument:
    """The document's particulars and measures; ``issued`` overrides the date read from it. A
    deadline with no year ("6月底前", "年底前") counts from the date of issue, or where none is
    known, from the year in the title ("2019年…工作要点")."""
    normal = normalise(text)
    facts = particulars(normal.text)
    issued = issued or facts.issued
    reference = issued
    if reference is None and (year := re.search(r"(20\d\d)年", facts.title)) is not None:
        reference = date(int(year.group(1)), 1, 1)
    context = _Context(normal, reference, {}, [])
    found = sections(normal.text)
    measures = _preamble(context)
    for position, section in enumerate(found):
        is_leaf = position + 1 == len(found) or not found[position + 1].path.startswith(
            section.path + "/"
        )
        measures.extend(_measures(context, section, is_leaf))
    return ExtractedDocument(
        facts.title, facts.doc_number, facts.issuer, issued, _handed_down(measures), text
    )


#: The path of the measure the prose before the first heading makes.
PREAMBLE = "前言"


def _preamble(context: _Context) -> list[Measure]:
    """The preamble as a measure, where it states a target."""
    text = context.normal.text
    lines = preamble(text)
    found_targets = [t for line in lines for t in targets(text, line.start, line.end)]
    if not found_targets:
        return []
    found_deadlines = [
        d for line in lines for d in deadlines(text, line.start, line.end, context.issued)
    ]
    extent = (lines[0].start, lines[-1].end)
    return [_measure(context, PREAMBLE, "", extent, [], found_deadlines, found_targets)]


def _is_task(measure: Measure) -> bool:
    return bool(measure.units or measure.targets)


def _handed_down(measures: list[Measure]) -> tuple[Measure, ...]:
    """Deadlines of a lead-in that is no task itself go to the tasks below it (each task to its
    nearest such lead-in); a lead-in with no task below keeps them."""
    lead_ins = {
        m.path: m
        for position, m in enumerate(measures)
        if not _is_task(m)
        and m.deadlines
        and position + 1 < len(measures)
        and measures[position + 1].path.startswith(m.path + "/")
    }
    given: set[str] = set()
    result = []
    for measure in measures:
        above = [path for path in lead_ins if measure.path.startswith(path + "/")]
        if above and _is_task(measure):
            nearest = max(above, key=len)
            given.add(nearest)
            own = tuple(d for d in measure.deadlines if d.kind != "standing")
            measure = replace(measure, deadlines=_unique([*own, *lead_ins[nearest].deadlines]))
        result.append(measure)
    return tuple(
        replace(m, deadlines=()) if m.path in given and m.path in lead_ins else m for m in result
    )


def _measures(context: _Context, section: Section, is_leaf: bool) -> list[Measure]:
    text = context.normal.text
    heading_line = section.heading.line
    start = heading_line.start + len(heading_line.text) - len(heading_line.text.lstrip())
    found_blocks = _joined(text, section)
    own = [block for block in found_blocks if not block.applies_below]
    below = tuple(unit for block in found_blocks if block.applies_below for unit in block.units)
    if below:
        context.units_below[section.path] = below
    end = _end(text, start, section.end, own) if is_leaf else section.end
    heading = text[section.heading.title_start : section.heading.title_end].strip()
    free = _free_ranges(section, found_blocks, end)
    if len(own) < 2:
        units = [unit for block in own for unit in context.block_units(block)]
        if not found_blocks:
            units = [u for s, e in free for u in sentence_units(text, s, e)]
        if not units:
            units = list(_nearest(section.path, context.units_below))
        found_deadlines = [d for s, e in free for d in deadlines(text, s, e, context.issued)]
        found_targets = [t for s, e in free for t in targets(text, s, e)]
        measure = _measure(
            context, section.path, heading, (start, end), units, found_deadlines, found_targets
        )
        return [measure]
    parts = [_measure(context, section.path, heading, (start, end), [], [], [])]
    segment_start = start
    for number, block in enumerate(own, start=1):
        last = number == len(own)
        segment_end = end if last else block.end
        read_end = end if last else block.start
        ranges = [(max(s, segment_start), min(e, read_end)) for s, e in free]
        ranges = [(s, e) for s, e in ranges if s < e]
        found_deadlines = [d for s, e in ranges for d in deadlines(text, s, e, context.issued)]
        found_targets = [t for s, e in ranges for t in targets(text, s, e)]
        parts.append(
            _measure(
                context,
                f"{section.path}#{number}",
                heading,
                (segment_start, segment_end),
                context.block_units(block),
                found_deadlines,
                found_targets,
            )
        )
        segment_start = block.end
    return parts


def _measure(
    context: _Context,
    path: str,
    heading: str,
    extent: tuple[int, int],
    units: list[FoundUnit],
    found_deadlines: list[FoundDeadline],
    found_targets: list[FoundTarget],
) -> Measure:
    normal = context.normal
    text = normal.text
    span = normal.span(*extent)
    unit_refs = tuple(UnitRef(u.name, u.role, normal.span(u.start, u.end)) for u in units)
    deadline_list = _unique(
        Deadline(d.kind, d.due, d.recurrence, text[d.start : d.end], normal.span(d.start, d.end))
        for d in found_deadlines
    )
    target_list = tuple(
        Target(
            t.indicator,
            t.comparator,
            t.value,
            t.unit,
            text[t.start : t.end],
            normal.span(t.start, t.end),
        )
        for t in found_targets
    )
    if (unit_refs or target_list) and not deadline_list:
        deadline_list = (Deadline("standing", None, None, "", span),)
    return Measure(path, heading, span, unit_refs, deadline_list, target_list)


def _end(text: str, start: int, end: int, own: list[Block]) -> int:
    """A leaf measure ends with its last block when that block closes a paragraph of text."""
    if not own:
        return end
    last = own[-1]
    line_start = text.rfind("\n", 0, last.start) + 1
    line_end = text.find("\n", last.end)
    line_end = len(text) if line_end < 0 else line_end
    closes_paragraph = (
        not text[last.end : line_end].strip() and text[line_start : last.start].strip()
    )
    return min(end, last.end) if closes_paragraph and line_start > start else end


def _joined(text: str, section: Section) -> list[Block]:
    """The measure's blocks, read over its own text whole so that a block broken across lines
    is one; debris lines are not read."""
    found: list[Block] = []
    lines = section.own_lines
    run_start = 0
    for index in range(1, len(lines) + 1):
        if index == len(lines) or lines[index].start != lines[index - 1].end + 1:
            found.extend(blocks(text, lines[run_start].start, lines[index - 1].end))
            run_start = index
    return found


def _free_ranges(section: Section, found: list[Block], end: int) -> list[tuple[int, int]]:
    """The measure's own lines, up to ``end``, without its responsibility blocks."""
    ranges = []
    for line in section.own_lines:
        cursor = line.start
        line_end = min(line.end, end)
        for block in found:
            if block.end > cursor and block.start < line_end:
                if block.start > cursor:
                    ranges.append((cursor, block.start))
                cursor = max(cursor, block.end)
        if cursor < line_end:
            ranges.append((cursor, line_end))
    return ranges


def _nearest(path: str, below: dict[str, tuple[T, ...]]) -> tuple[T, ...]:
    parts = path.split("/")
    for length in range(len(parts) - 1, 0, -1):
        if (found := below.get("/".join(parts[:length]))) is not None:
            return found
    return ()


def _unique(items: Iterable[Deadline]) -> tuple[Deadline, ...]:
    seen: set[tuple[object, ...]] = set()
    kept = []
    for item in items:
        key = (item.kind, item.due, item.recurrence)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return tuple(kept)
