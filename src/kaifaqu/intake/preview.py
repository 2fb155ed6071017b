"""What committing a validated batch would change, object by object and field by field: read from
the same plan the commit writes (``writing.plan``), in the change log's words (``audit.readable``),
so the preview and the log of the import say the same."""

import json
from collections.abc import Iterator
from dataclasses import dataclass

import polars as pl
from django.contrib.contenttypes.models import ContentType

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.models import ObjectChange
from kaifaqu.audit.readable import Difference, differences
from kaifaqu.intake.importers import Importer
from kaifaqu.intake.writing import CHUNK, Plan, aligned, as_written, snapshots

PREVIEW_ROWS = 1000  # changed objects the page lists; the download holds them all


@dataclass(frozen=True)
class RowChange:
    name: str  # the object, as the change log names it
    action: str  # 新增 or 更新
    differences: list[Difference]


def planned_changes(importer: Importer, plan: Plan) -> Iterator[RowChange]:
    """Every object the commit would insert or change, with what it writes: chunk by chunk of
    the file, its new objects first."""
    content_type = ContentType.objects.get_for_model(importer.model)

    def change(action: ChangeAction, before: str | None, after: str) -> list[Difference]:
        loaded = json.loads(before) if before is not None else None
        logged = ObjectChange(
            content_type=content_type, action=action, before=loaded, after=json.loads(after)
        )
        return differences(logged)

    for chunk in plan.rows.filter("_changed").iter_slices(CHUNK):
        inserts = chunk.filter(pl.col("_pk").is_null())
        if inserts.height:
            written = snapshots(importer, as_written(importer, inserts, None))
            for name, after in zip(inserts["_repr"], written, strict=True):
                yield RowChange(name, "新增", change(ChangeAction.CREATE, None, after))
        updates = chunk.filter(pl.col("_pk").is_not_null())
        if updates.height:
            assert plan.stored is not None  # the comparison found these changed
            stored = plan.stored.join(updates.select("_pk"), on="_pk", how="semi")
            afters = snapshots(importer, as_written(importer, updates, stored))
            befores = snapshots(importer, aligned(stored, updates))
            for name, before, after in zip(updates["_repr"], befores, afters, strict=True):
                yield RowChange(name, "更新", change(ChangeAction.UPDATE, before, after))


def change_lines(changes: Iterator[RowChange]) -> Iterator[list[str]]:
    """The download's rows: one per changed field (对象, 操作, 字段, 修改前, 修改后)."""
    for row in changes:
        for difference in row.differences:
            yield [row.name, row.action, difference.field, difference.before, difference.after]


CHANGE_COLUMNS = ["对象", "操作", "字段", "修改前", "修改后"]
