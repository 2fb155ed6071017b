"""Choosing the sheet and its header row from the first rows of each sheet looked at."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from . import _errors
from ._grid import Peek, match_key

__all__ = ["choose"]

EXAMPLES = 3  # candidate headers quoted in a "no header" message


def choose(peeks: Sequence[Peek], candidates: Collection[str]) -> Peek:
    """The sheet whose first non-blank row has the most candidate headers (ties: the first).

    Without candidates, the first sheet that has anything in it. A first row with no candidate
    means the wrong file or sheet, or a title above the header; both are refused with words.
    """
    if not candidates:
        chosen = next((peek for peek in peeks if peek.rows), None)
        if chosen is None:
            raise _errors.empty_sheet(peeks[0].sheet if peeks else "")
        return chosen
    keys = {match_key(text) for text in candidates}
    best = max(peeks, key=lambda peek: peek.matches(keys), default=None)
    if best is not None and best.matches(keys) > 0:
        return best
    for peek in peeks:
        later = peek.header_elsewhere(keys)
        if later is not None:
            raise _errors.title_above_header(peek.sheet, peek.rows[0][0], later)
    if len(peeks) == 1 and not peeks[0].rows:
        raise _errors.empty_sheet(peeks[0].sheet)
    raise _errors.no_header([peek.sheet for peek in peeks], _examples(candidates))


def _examples(candidates: Collection[str]) -> list[str]:
    ordered = list(candidates) if isinstance(candidates, Sequence) else sorted(candidates)
    return ordered[:EXAMPLES]
