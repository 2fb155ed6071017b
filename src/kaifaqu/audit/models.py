from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from kaifaqu.audit.choices import ChangeAction, SecurityEventKind
from kaifaqu.core.fields import JSONTextField


class ChangeLogIsAppendOnly(Exception):
    """Raised on any attempt to edit or delete change-log rows from the application."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ChangeLogIsAppendOnly("审计记录不可修改")

    def delete(self) -> NoReturn:
        raise ChangeLogIsAppendOnly("审计记录不可删除")


class AppendOnlyModel(models.Model):
    """Rows are written once and never edited or deleted from the application."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ChangeLogIsAppendOnly("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ChangeLogIsAppendOnly("审计记录不可删除")


class AuditRecord(AppendOnlyModel):
    """When, and who: the user and the name they had then (kept if the account is renamed)."""

    time = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # No index of its own on user: the console filters by the name kept here (exact), and a
    # user with history is never deleted, which is what an index on the key would serve. No
    # database constraint either: Django's PROTECT refuses that deletion, and the check of every
    # row an import logs cost PostgreSQL a second at commit for 100,000 rows (it is the writer).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        on_delete=models.PROTECT,  # users with history are deactivated, never deleted
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    username = models.CharField("用户名", max_length=150)

    class Meta:
        abstract = True


class ObjectChange(AuditRecord):
    """One write: who, role, when, from where, under which request id, before and after."""

    role = models.CharField("角色", max_length=32, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True)
    channel = models.CharField("来源", max_length=8)
    request_id = models.UUIDField("请求编号", db_index=True)
    action = models.CharField("操作", max_length=8, choices=ChangeAction.choices)
    # Like the user: PROTECT in Django, no per-row check in the database.
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    province_code = models.CharField("所属省份代码", max_length=6, blank=True)
    region_code = models.CharField("所属区划代码", max_length=6, blank=True)
    # Read whole, never queried inside: text, which a 100,000-row import's log COPYs far faster
    # than jsonb (that parses every number into a numeric).
    before = JSONTextField("修改前", null=True)
    after = JSONTextField("修改后", null=True)

    class Meta:
        verbose_name = "变更记录"
        verbose_name_plural = "变更日志"
        ordering = ["-time", "-id"]
        # An import writes a log row per object, so every index here is paid 100,000 times:
        # these serve the console's filters (name, request id, scope) and an object's history.
        # Equality-only columns get plain indexes; the division code, matched only by prefix
        # (a city's or county's scope), one that serves prefixes alone (the operator class is
        # PostgreSQL's; SQLite's plain index serves both).
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_change_object"),
            models.Index(fields=["username"], name="audit_change_username"),
            models.Index(fields=["province_code"], name="audit_change_province"),
            models.Index(
                fields=["region_code"],
                name="audit_change_region",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.object_repr}"


class SecurityEvent(AuditRecord):
    """Logins, logouts, failures, lockouts, permission denials, password changes (等保 audit)."""

    kind = models.CharField("事件", max_length=24, choices=SecurityEventKind.choices, db_index=True)
    ip = models.GenericIPAddressField("IP地址", null=True)
    path = models.CharField("访问路径", max_length=300, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "安全事件"
        verbose_name_plural = "安全事件"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["username"], name="audit_security_username")]

    def __str__(self) -> str:
        return f"{self.username} {self.get_kind_display()}"


class DomainEvent(AuditRecord):
    """A business transition: an import committed or undone, a role granted, a run published."""

    kind = models.CharField("事件", max_length=32, db_index=True)
    request_id = models.UUIDField("请求编号", db_index=True)
    province_code = models.CharField("所属省份代码", max_length=6, blank=True, db_index=True)
    region_code = models.CharField("所属区划代码", max_length=6, blank=True, db_index=True)
    summary = models.CharField("摘要", max_length=300)
    payload = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "业务事件"
        verbose_name_plural = "业务事件"
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["username"], name="audit_domain_username")]

    def __str__(self) -> str:
        return self.summary
