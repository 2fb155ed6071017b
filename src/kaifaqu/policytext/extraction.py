"""``extract``: the measures of a policy text with their units, deadlines and targets.

Each measure reads its own text (before its first sub-measure). Units come from its
responsibility blocks, or where it has none from its sentences, or from a "以下…" block of a
measure above it. A leaf measure whose last block ends a paragraph ends there: what follows
(closing exhortations, a signature) is not part of it. A measure with units and no deadline is a
standing task. Deadlines and targets are not read inside the responsibility blocks.
"""

from collections.abc import Iterable
from datetime import date

from .deadlines import deadlines
from .document import particulars
from .model import Deadline, ExtractedDocument, Measure, Target, UnitRef
from .normalise import Normalised, normalise
from .structure import Section, sections
from .targets import targets
from .units import Block, FoundUnit, blocks, sentence_units


def extract(text: str, *, issued: date | None = None) -> ExtractedDocument:
    """The document's particulars and measures; ``issued`` overrides the date read from it."""
    normal = normalise(text)
    facts = particulars(normal.text)
    issued = issued or facts.issued
    found = sections(normal.text)
    measures = []
    inherited: dict[str, tuple[FoundUnit, ...]] = {}
    for position, section in enumerate(found):
        is_leaf = position + 1 == len(found) or not found[position + 1].path.startswith(
            section.path + "/"
        )
        measure, below = _measure(normal, section, issued, is_leaf, inherited)
        if below:
            inherited[section.path] = below
        measures.append(measure)
    return ExtractedDocument(
        facts.title, facts.doc_number, facts.issuer, issued, tuple(measures), text
    )


def _measure(
    normal: Normalised,
    section: Section,
    issued: date | None,
    is_leaf: bool,
    inherited: dict[str, tuple[FoundUnit, ...]],
) -> tuple[Measure, tuple[FoundUnit, ...]]:
    text = normal.text
    start = (
        section.heading.line.start
        + len(section.heading.line.text)
        - len(section.heading.line.text.lstrip())
    )
    found_blocks = [b for line in section.own_lines for b in blocks(text, line.start, line.end)]
    found_blocks = _joined(text, section, found_blocks)
    own = [b for b in found_blocks if not b.applies_below]
    below = tuple(u for b in found_blocks if b.applies_below for u in b.units)
    units = [u for b in own for u in b.units]
    if not found_blocks:
        units = [
            u for line in section.own_lines for u in sentence_units(text, line.start, line.end)
        ]
    if not units:
        units = list(_inherited(section.path, inherited))
    end = section.end
    if is_leaf and own:
        last = own[-1]
        line_end = text.find("\n", last.end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[last.end : line_end].strip() and text[: last.start].rfind("\n") >= start:
            line_start = text.rfind("\n", 0, last.start) + 1
            if text[line_start : last.start].strip():
                end = min(end, last.end)
    ranges = _free_ranges(section, found_blocks, end)
    found_deadlines = [d for s, e in ranges for d in deadlines(text, s, e, issued)]
    found_targets = [t for s, e in ranges for t in targets(text, s, e)]
    unit_refs = tuple(UnitRef(u.name, u.role, normal.span(u.start, u.end)) for u in units)
    deadline_list = _unique(
        Deadline(d.kind, d.due, d.recurrence, text[d.start : d.end], normal.span(d.start, d.end))
        for d in found_deadlines
    )
    span = normal.span(start, end)
    if unit_refs and not deadline_list:
        deadline_list = (Deadline("standing", None, None, "", span),)
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
    heading = text[section.heading.title_start : section.heading.title_end].strip()
    measure = Measure(section.path, heading, span, unit_refs, deadline_list, target_list)
    return measure, below


def _joined(text: str, section: Section, found: list[Block]) -> list[Block]:
    """Blocks that break across lines: re-read the measure's own text whole where a bracket
    opened on one line closes on a later one."""
    if not section.own_lines:
        return found
    whole = blocks(text, section.own_lines[0].start, section.own_lines[-1].end)
    return whole if len(whole) >= len(found) else found


def _free_ranges(section: Section, found: list[Block], end: int) -> list[tuple[int, int]]:
    """The measure's own lines, up to ``end``, without its responsibility blocks."""
    ranges = []
    for line in section.own_lines:
        cursor = line.start
        line_end = min(line.end, end)
        for block in found:
            if cursor <= block.start < line_end:
                ranges.append((cursor, block.start))
                cursor = max(cursor, block.end)
        if cursor < line_end:
            ranges.append((cursor, line_end))
    return ranges


def _inherited(path: str, inherited: dict[str, tuple[FoundUnit, ...]]) -> tuple[FoundUnit, ...]:
    parts = path.split("/")
    for length in range(len(parts) - 1, 0, -1):
        if (units := inherited.get("/".join(parts[:length]))) is not None:
            return units
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
