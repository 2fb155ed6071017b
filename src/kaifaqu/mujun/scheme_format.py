"""The layouts of a 亩均 scheme document and the upgrade from the legacy one. No Django.

Version 1 is a pipeline document: ``[document] kind = "mujun_scheme"``, ``format_version = 1``,
and each ``[[pool]]`` lists its indicators and weights as the engine's framework entries
(``[[pool.framework]]``, read by ``kaifaqu.scoring.framework_from_toml``), with its benchmarks and
caps as the pool's own tables (``[pool.benchmarks]``, ``[pool.caps]``). The legacy layout
(version 0, no ``[document]``) gave a pool inline ``weights = {...}`` and ``benchmarks = {...}``.

A legacy document is read by upgrading it in memory (:func:`upgraded`); :func:`upgrade_scheme`
writes the same upgrade as text, keeping the bureau's comments and the order of its tables.

>>> text = '''
... [[pool]]
... code = "below"
... weights = { tax_per_mu = 100 }
... benchmarks = { tax_per_mu = 11.5932 }
... '''
>>> print(upgrade_scheme(text).split("[[pool]]")[1].strip())
code = "below"
<BLANKLINE>
[[pool.framework]]
code = "total"
type = "Aggregate"
name = "总分"
<BLANKLINE>
[[pool.framework]]
code = "tax_per_mu"
parent = "total"
weight = 100
<BLANKLINE>
[pool.benchmarks]
tax_per_mu = 11.5932
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Comment, Item, Table, Whitespace

DOCUMENT_KIND = "mujun_scheme"
FORMAT_VERSION = 1
LEGACY_VERSION = 0
# The aggregate every indicator of a pool hangs under: the pool's total score (Σ w·x/B).
TOTAL = "total"
# The legacy pool keys that version 1 holds elsewhere.
LEGACY_POOL_KEYS = ("weights", "benchmarks", "caps")
HEADER_NOTE = (
    "方案文档格式第1版:评价池的指标与权重是评分引擎的 [[pool.framework]] 条目,",
    "基准值与封顶是评价池自己的表 [pool.benchmarks]、[pool.caps]。",
)


class SchemeError(ValueError):
    """A scheme that cannot be used; ``problems`` lists every fault, each naming its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(";".join(problems))
        self.problems = problems


def document_version(raw: Mapping[str, Any]) -> int:
    """The document's layout: 0 without ``[document]``, else its ``format_version`` (only 1)."""
    head = raw.get("document")
    if head is None:
        return LEGACY_VERSION
    if not isinstance(head, Mapping) or head.get("kind") != DOCUMENT_KIND:
        raise SchemeError([f'[document] kind 须为 "{DOCUMENT_KIND}"(亩均评价方案)'])
    version = head.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise SchemeError(
            [
                f"[document] format_version = {version!r} 不是本系统能读的版本:"
                f"请改为 format_version = {FORMAT_VERSION} 并按第{FORMAT_VERSION}版格式填写,"
                "或删去 [document] 表按旧格式(第0版)填写后由系统转换"
            ]
        )
    return FORMAT_VERSION


def upgraded(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A legacy document's tables in the version-1 layout (plain values, as ``tomllib`` reads)."""
    indicators = _entries(raw.get("indicator"))
    pools = raw.get("pool", [])
    return {
        **raw,
        "document": {"kind": DOCUMENT_KIND, "format_version": FORMAT_VERSION},
        "pool": [
            current_pool(p, indicators) if isinstance(p, Mapping) else p
            for p in (pools if isinstance(pools, list) else [])
        ],
    }


def current_pool(
    entry: Mapping[str, Any], indicators: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """A legacy ``[[pool]]`` as version 1: its weights become framework entries under the total
    (named as the indicator, for a reader of the file), its benchmarks and caps its own tables."""
    pool = {k: v for k, v in entry.items() if k not in LEGACY_POOL_KEYS}
    pool["framework"] = framework_entries(entry.get("weights"), indicators)
    pool["benchmarks"] = entry.get("benchmarks", {})
    if "caps" in entry:
        pool["caps"] = entry["caps"]
    return pool


def framework_entries(
    weights: Any, indicators: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``[[pool.framework]]`` entries of weights ``{code: weight}``: the total, then one
    indicator per weight; none at all without weights (the check then says so)."""
    if not isinstance(weights, Mapping) or not weights:
        return []
    named = {i.get("code"): i for i in indicators}
    entries: list[dict[str, Any]] = [{"code": TOTAL, "type": "Aggregate", "name": "总分"}]
    for code, weight in weights.items():
        node: dict[str, Any] = {"code": code}
        node |= {k: named[code][k] for k in ("name", "unit") if named.get(code, {}).get(k)}
        entries.append(node | {"parent": TOTAL, "weight": weight})
    return entries


def _entries(value: Any) -> list[Mapping[str, Any]]:
    return [e for e in value if isinstance(e, Mapping)] if isinstance(value, list) else []


# -- the upgrade as text ------------------------------------------------------------------------


def upgrade_scheme(text: str) -> str:
    """A scheme document in the current layout: a legacy text converted (its comments and
    the order of its tables kept), a current one returned as it is."""
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise SchemeError([f"不是有效的 TOML:{error}"]) from None
    if document_version(document.unwrap()) == FORMAT_VERSION:
        return text
    indicators = _entries(document.unwrap().get("indicator"))
    out = tomlkit.document()
    headed = False
    for key, item in document.body:
        if not headed and isinstance(item, Table | AoT):
            out.add("document", _header())
            headed = True
        if key is None:
            out.add(item)
        elif key.key == "pool" and isinstance(item, AoT):
            out.add("pool", _pools(item, indicators))
        else:
            out.add(key, item)
    if not headed:
        out.add("document", _header())
    return tomlkit.dumps(out)


def _header() -> Table:
    table = tomlkit.table()
    for line in HEADER_NOTE:
        table.add(tomlkit.comment(line))
    table.add("kind", DOCUMENT_KIND)
    table.add("format_version", FORMAT_VERSION)
    table.add(tomlkit.nl())
    return table


def _pools(pools: AoT, indicators: Sequence[Mapping[str, Any]]) -> AoT:
    out = tomlkit.aot()
    for pool in pools:
        out.append(_pool(pool, indicators))
    return out


def _pool(pool: Table, indicators: Sequence[Mapping[str, Any]]) -> Table:
    """One pool in the new layout; its other keys and their comments as they were."""
    current = current_pool(pool.unwrap(), indicators)
    table = tomlkit.table()
    for key, item in _body(pool.value):
        if isinstance(item, Comment | Whitespace):
            table.add(item)
        elif key.key not in LEGACY_POOL_KEYS:
            table.add(key, item)
    table.add(tomlkit.nl())
    framework = tomlkit.aot()
    for entry in current["framework"]:
        framework.append(tomlkit.item(entry))
    table.add("framework", framework)
    for name in ("benchmarks", "caps"):
        if name in current:
            table.add(name, _plain_table(current[name]))
    return table


def _body(container: Container) -> list[tuple[Any, Item]]:
    # Blank lines before a legacy pool's end belong to it; the new tables bring their own.
    body = list(container.body)
    while body and body[-1][0] is None and not body[-1][1].as_string().strip():
        body.pop()
    return body


def _plain_table(values: Any) -> Table:
    table = tomlkit.table()
    for key, value in values.items() if isinstance(values, Mapping) else ():
        table.add(key, _inline(value) if isinstance(value, Mapping) else value)
    return table


def _inline(values: Mapping[str, Any]) -> Any:
    # A benchmark's method and factor on one line, as the bureau's legacy files wrote them.
    table = tomlkit.inline_table()
    table.update(values)
    return table
