"""The review screen's document text: each proposal's measure and the characters of its units,
deadline and targets marked, so a clerk sees where every field came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from kaifaqu.policies.models import ProposedTask


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str  # measure, lead, support, deadline, target
    task: int


def marks(proposals: Iterable[ProposedTask]) -> list[Mark]:
    found = []
    for p in proposals:
        found.append(Mark(p.start, p.end, "measure", p.pk))
        for role in ("lead", "support"):
            found += [
                Mark(u["start"], u["end"], role, p.pk) for u in getattr(p, role) if "start" in u
            ]
        if p.deadline_start is not None and p.deadline_end is not None:
            found.append(Mark(p.deadline_start, p.deadline_end, "deadline", p.pk))
        found += [Mark(t["start"], t["end"], "target", p.pk) for t in p.targets if "start" in t]
    return found


def highlighted(text: str, found: list[Mark]) -> SafeString:
    """``text`` escaped, cut at every mark's ends, each piece a span with the classes of the
    marks over it and the task of the innermost."""
    cuts = sorted({0, len(text), *(m.start for m in found), *(m.end for m in found)})
    pieces = []
    for start, end in pairwise(cuts):
        over = [m for m in found if m.start <= start and end <= m.end]
        piece = text[start:end]
        if not over:
            pieces.append((piece, "", ""))
            continue
        inner = min(over, key=lambda m: m.end - m.start)
        classes = " ".join(sorted({f"hl-{m.css}" for m in over}))
        pieces.append((piece, classes, str(inner.task)))
    return format_html_join(
        "",
        "{}",
        (
            (format_html('<span class="{}" data-task="{}">{}</span>', css, task, piece)
             if css else piece,)
            for piece, css, task in pieces
        ),
    )  # fmt: skip
