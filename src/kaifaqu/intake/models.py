import uuid
from typing import Self

from django.conf import settings
from django.db import models

from kaifaqu.access.scope import owner_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.intake.choices import BatchState, ImportKind, ImportPolicy


class HeaderAlias(models.Model):
    """A header variant a bureau's files use, mapped to a column (纳税总额 → 实缴税收)."""

    kind = models.CharField("导入类型", max_length=20, choices=ImportKind.choices)
    column = models.CharField("对应列", max_length=48, help_text="列的代码,如 tax_paid")
    alias = models.CharField("表头写法", max_length=64)

    class Meta:
        verbose_name = "表头别名"
        verbose_name_plural = "表头别名"
        ordering = ["kind", "column", "alias"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "alias"], name="headeralias_unique_kind_alias")
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.column}"


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        """An import belongs to the user who uploaded it (and the superusers)."""
        return self.filter(owner_condition(user, owner="user"))


class ImportBatch(models.Model):
    """One uploaded file: what it held, what was wrong, what it changed, whether it was undone."""

    kind = models.CharField("导入类型", max_length=20, choices=ImportKind.choices)
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件SHA-256", max_length=64, db_index=True)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT
    )
    created = models.DateTimeField("上传时间", auto_now_add=True)
    policy = models.CharField(
        "导入策略", max_length=12, choices=ImportPolicy.choices, default=ImportPolicy.REJECT
    )
    money_unit = models.CharField("金额默认单位", max_length=4, default="万元")
    state = models.CharField(
        "状态", max_length=10, choices=BatchState.choices, default=BatchState.UPLOADED
    )
    counts = models.JSONField("统计", default=dict)
    problems = models.JSONField("问题清单", default=list)
    request_id = models.UUIDField("导入请求编号", default=uuid.uuid4, editable=False)
    committed = models.DateTimeField("导入时间", null=True)
    undone = models.DateTimeField("撤销时间", null=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def error_count(self) -> int:
        return sum(1 for problem in self.problems if problem["severity"] == "error")
