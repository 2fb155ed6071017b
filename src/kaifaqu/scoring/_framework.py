"""The framework: a tree of indicators → aggregates → index, in COINr's ``iMeta`` vocabulary."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from ._errors import FrameworkError

NODE_TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
SCORED_TYPES = ("Indicator", "Aggregate")


@dataclass(frozen=True)
class Node:
    """One row of the metadata: an indicator, an aggregate, or a group/denominator/other column.

    ``weight`` is relative within the parent; ``direction`` is +1 (benefit) or −1 (cost);
    ``row`` is where the node was defined (a file line or a TOML entry), for error messages.
    """

    code: str
    type: str = "Indicator"
    level: int | None = None
    parent: str | None = None
    weight: float | None = None
    direction: int = 1
    name: str | None = None
    unit: str | None = None
    target: float | None = None
    denominator: str | None = None
    row: int | None = None

    def record(self) -> dict[str, Any]:
        """The node as a plain dict (for logs and exports), without its source row."""
        fields = asdict(self)
        del fields["row"]
        return fields


class Framework:
    """A validated tree of indicators and aggregates.

    >>> fw = Framework([
    ...     Node("LE", parent="Health", weight=1),
    ...     Node("Health", "Aggregate", parent="HDI", weight=1),
    ...     Node("HDI", "Aggregate"),
    ... ])
    >>> fw.indicators, fw.aggregates, fw.index, fw.level("HDI")
    (('LE',), ('Health', 'HDI'), 'HDI', 3)
    """

    def __init__(self, nodes: Iterable[Node], *, source: str | None = None) -> None:
        self.source = source
        self.nodes: tuple[Node, ...] = tuple(nodes)
        self._by_code: dict[str, Node] = {}
        for node in self.nodes:
            self._check_node(node)
            self._by_code[node.code] = node
        self._children: dict[str, list[str]] = {}
        self._check_tree()
        self._levels = self._resolve_levels()
        self._check_children()
        self.indicators: tuple[str, ...] = tuple(
            n.code for n in self.nodes if n.type == "Indicator"
        )
        by_level = sorted(
            (n for n in self.nodes if n.type == "Aggregate"), key=lambda n: self._levels[n.code]
        )
        self.aggregates: tuple[str, ...] = tuple(n.code for n in by_level)
        self.groups: tuple[str, ...] = tuple(n.code for n in self.nodes if n.type == "Group")
        self.denominators: tuple[str, ...] = tuple(
            n.code for n in self.nodes if n.type == "Denominator"
        )
        roots = [n.code for n in self.nodes if n.type in SCORED_TYPES and n.parent is None]
        top = max(self._levels.values(), default=1)
        self.index: str | None = (
            roots[0] if len(roots) == 1 and self.level(roots[0]) == top else None
        )

    # -- queries ---------------------------------------------------------------------------------

    def node(self, code: str) -> Node:
        """The node called ``code``; a ``FrameworkError`` if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise FrameworkError(f"unknown code {code!r}", source=self.source) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def level(self, code: str) -> int:
        """The level of an indicator (1) or aggregate (≥ 2)."""
        return self._levels[code]

    @property
    def max_level(self) -> int:
        return max(self._levels.values(), default=1)

    def children(self, code: str) -> tuple[str, ...]:
        """The direct children of an aggregate, in definition order."""
        return tuple(self._children.get(code, ()))

    def relative_weights(
        self, code: str, overrides: Mapping[str, float] | None = None
    ) -> dict[str, float]:
        """Weights of ``code``'s children, divided by their sum so that they add up to 1.

        >>> fw = Framework([Node("a", parent="T", weight=1), Node("b", parent="T", weight=3),
        ...                 Node("T", "Aggregate")])
        >>> fw.relative_weights("T")
        {'a': 0.25, 'b': 0.75}
        """
        raw = self.weights(code, overrides)
        total = sum(raw.values())
        return {child: w / total for child, w in raw.items()}

    def weights(self, code: str, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Weights of ``code``'s children as given (``overrides`` win), not rescaled."""
        chosen = dict(overrides or {})
        raw = {c: float(chosen.get(c, self._by_code[c].weight or 0.0)) for c in self.children(code)}
        if sum(raw.values()) <= 0:
            raise FrameworkError(
                f"the weights of {code!r}'s children sum to zero", source=self.source
            )
        return raw

    def records(self) -> list[dict[str, Any]]:
        """Every node as a plain dict, in definition order."""
        return [n.record() for n in self.nodes]

    # -- validation ------------------------------------------------------------------------------

    def _fail(self, node: Node, column: str, message: str) -> FrameworkError:
        return FrameworkError(message, source=self.source, row=node.row, column=column)

    def _check_node(self, node: Node) -> None:
        if node.type not in NODE_TYPES:
            raise self._fail(
                node, "Type", f"Type {node.type!r} is not one of {', '.join(NODE_TYPES)}"
            )
        if not node.code:
            raise self._fail(node, "iCode", "empty iCode")
        if node.code in self._by_code:
            raise self._fail(node, "iCode", f"duplicate iCode {node.code!r}")
        if node.type not in SCORED_TYPES:
            return
        if node.direction not in (1, -1):
            raise self._fail(node, "Direction", f"Direction must be 1 or -1, not {node.direction}")
        if node.parent is not None and (node.weight is None or not math.isfinite(node.weight)):
            raise self._fail(node, "Weight", f"{node.code!r} has a parent but no weight")
        if node.weight is not None and node.weight < 0:
            raise self._fail(node, "Weight", f"negative weight {node.weight} of {node.code!r}")
        if node.type == "Indicator" and node.level not in (None, 1):
            raise self._fail(node, "Level", f"indicator {node.code!r} must be at level 1")
        if node.type == "Aggregate" and node.level is not None and node.level < 2:
            raise self._fail(node, "Level", f"aggregate {node.code!r} must be at level 2 or above")

    def _check_tree(self) -> None:
        declared_denominators = {n.code for n in self.nodes if n.type == "Denominator"}
        for node in self.nodes:
            if node.type not in SCORED_TYPES:
                continue
            if (
                node.denominator
                and declared_denominators
                and (node.denominator not in declared_denominators)
            ):
                raise self._fail(node, "Denominator", f"unknown denominator {node.denominator!r}")
            if node.parent is None:
                continue
            parent = self._by_code.get(node.parent)
            if parent is None:
                raise self._fail(node, "Parent", f"unknown parent {node.parent!r}")
            if parent.type != "Aggregate":
                raise self._fail(node, "Parent", f"parent {node.parent!r} is not an Aggregate")
            self._children.setdefault(node.parent, []).append(node.code)
        for node in self.nodes:
            self._check_no_cycle(node)

    def _check_no_cycle(self, node: Node) -> None:
        """Refuse ``node`` if following parents from it comes back to it."""
        path = [node.code]
        current = node
        while current.parent is not None and current.parent not in path:
            path.append(current.parent)
            current = self._by_code[current.parent]
        if current.parent == node.code:
            cycle = " → ".join([*path, node.code])
            raise self._fail(node, "Parent", f"cycle in the framework: {cycle}")

    def _resolve_levels(self) -> dict[str, int]:
        levels: dict[str, int] = {}

        def resolve(code: str) -> int:
            if code not in levels:
                node = self._by_code[code]
                below = [resolve(c) for c in self._children.get(code, ())]
                derived = max(below, default=0) + 1
                if node.level is not None and node.level < derived:
                    raise self._fail(
                        node, "Level", f"{code!r} is at level {node.level}, not above its children"
                    )
                levels[code] = node.level if node.level is not None else derived
            return levels[code]

        for node in self.nodes:
            if node.type in SCORED_TYPES:
                resolve(node.code)
        return levels

    def _check_children(self) -> None:
        for node in self.nodes:
            if node.type == "Aggregate" and not self._children.get(node.code):
                raise self._fail(node, "iCode", f"aggregate {node.code!r} has no children")
            children = self._children.get(node.code, ())
            if children and sum(self._by_code[c].weight or 0.0 for c in children) <= 0:
                raise self._fail(
                    node, "Weight", f"the weights of {node.code!r}'s children sum to 0"
                )
