"""The base of every model that holds regional data.

A regional row carries its province's code, so scope filters (and, later, a database distributed
by province) read one table. The code is copied from one related row, named by the model in
``province_source`` ("region", "zone", "enterprise", ...), each time the row is saved; rows
written in bulk set it themselves. The default manager is the restricted one: ``restrict(user,
action)`` as ``access.scope`` says, with the paths the model declares (``scope_zone_path`` and,
if enterprise users see it, ``scope_enterprise_path``). A model whose rows are scoped otherwise
(亩均 schemes and runs, by jurisdiction) replaces the manager; mypy's Django plugin then wants a
``type: ignore`` on the replacement.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from kaifaqu.access.scope import RestrictedManager


class RegionalModel(models.Model):
    province_code = models.CharField("所属省份代码", max_length=6, editable=False, db_index=True)

    objects = RestrictedManager()

    province_source: ClassVar[str]
    scope_zone_path: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    def derive_fields(self) -> list[str]:
        """Set what a save derives, also for the audited bulk writes that bypass ``save()``."""
        self.province_code = getattr(self, self.province_source).province_code
        return ["province_code"]
