"""The supervised item (督办事项) that every operational module attaches its objects to.

An item has a number per kind and year (``SQ-2026-0001``), a lead unit and supporting units, a
level (区/市/省), a deadline date (from the kind's SLA in working days, or given), a state that
only actions change, a log of every 督办 entry, and escalation by rules that are data.

Attachment: a domain object (a service request, a 招商 project, a policy task) points at its item
with a one-to-one field of its own (``item = models.OneToOneField("supervision.SupervisedItem",
...)``): the domain app depends on supervision, never the other way, and the item reaches its
object through the reverse accessor. ``subject_type`` and ``subject_id`` record which kind of
object it is, for the pages and the API, without a foreign key into the domain app: the item's
page links back to it (``source_for``) by the subject's ``get_absolute_url`` and its label (its
``subject_label`` if it has one, else its ``str``), when the viewer may see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.access.scope import RestrictedQuerySet, assigned_work_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Region
from kaifaqu.supervision.choices import Clock, ExtensionState, ItemState, Level, Light, LogKind
from kaifaqu.units.models import Unit


class ItemKind(models.Model):
    """A kind of supervised work, with its number prefix and its SLA (data)."""

    code = models.CharField(
        "编号前缀", max_length=8, unique=True, help_text="如 SQ(企业诉求)、ZS(招商)"
    )
    name = models.CharField("名称", max_length=40)
    sla_working_days = models.PositiveSmallIntegerField(
        "办理时限(工作日)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="空:时限由事项直接给出(如政策文件的「6月底前」)",
    )

    class Meta:
        verbose_name = "督办事项类型"
        verbose_name_plural = "督办事项类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class EscalationRule(models.Model):
    """Overdue by ``overdue_days`` working days → the light, a warning, a level raise, the board.

    A rule measures one time limit (``clock``): the deadline for handling the item, or the
    deadline for signing for it (签收, for items dispatched with one, while not signed for).
    Applied once per item and deadline: an item carries the days of the strongest rule of each
    clock applied to it (``SupervisedItem.escalation_days`` / ``accept_escalation_days``); a
    rule applies only to items below its days.
    """

    kind = models.ForeignKey(
        ItemKind,
        verbose_name="事项类型",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="空:适用于所有类型",
    )
    clock = models.CharField(
        "适用时限", max_length=10, choices=Clock.choices, default=Clock.HANDLING
    )
    overdue_days = models.PositiveSmallIntegerField(
        "逾期工作日数(≥)", validators=[MinValueValidator(1)]
    )
    light = models.CharField("亮灯", max_length=8, choices=Light.choices)
    warn_unit = models.BooleanField("提醒责任单位", default=True)
    raise_level = models.BooleanField("提级督办", default=False)
    on_board = models.BooleanField("列入督办台账", default=False)

    class Meta:
        verbose_name = "逾期升级规则"
        verbose_name_plural = "逾期升级规则"
        ordering = ["overdue_days", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "clock", "overdue_days"],
                name="escalationrule_unique_kind_clock_days",
            )
        ]

    def __str__(self) -> str:
        return f"{self._late} {self.overdue_days} 个工作日 → {self.get_light_display()}"

    @property
    def label(self) -> str:
        """The rule's short name in the job's counts (``逾期3日``, ``逾期未签收1日``)."""
        return f"{self._late}{self.overdue_days}日"

    @property
    def _late(self) -> str:
        return "逾期" if self.clock == Clock.HANDLING else "逾期未签收"


class SupervisedItemQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(assigned_work_condition(user, action, self.model))

    def supervised_by(self, user: ActingUser) -> Self:
        """Items the user supervises (dispatches, urges, decides extensions): those of its
        region or zones, not those it sees as a member of a unit."""
        return self.filter(assigned_work_condition(user, "change", self.model, members=False))


class SupervisedItem(RegionalModel):
    number = models.CharField("编号", max_length=24, unique=True, editable=False)
    # No index of its own: the unique (kind, year, sequence) index serves every lookup by kind,
    # and each index is one more write per escalated item (benchmarks/README.md).
    kind = models.ForeignKey(
        ItemKind, verbose_name="类型", on_delete=models.PROTECT, db_index=False
    )
    year = models.PositiveSmallIntegerField("年度", editable=False)
    sequence = models.PositiveIntegerField("序号", editable=False)
    title = models.CharField("事项", max_length=200)
    description = models.TextField("内容", blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_items",
    )
    level = models.PositiveSmallIntegerField("督办层级", choices=Level.choices)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name="牵头单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_items",
    )
    supporting_units = models.ManyToManyField(
        Unit, verbose_name="配合单位", blank=True, related_name="supported_items"
    )
    state = models.CharField(
        "状态", max_length=12, choices=ItemState.choices, default=ItemState.REGISTERED
    )
    opened = models.DateField("登记日期")
    deadline = models.DateField("办理时限", null=True, blank=True)
    deadline_official = models.BooleanField(
        "按官方日历计算", default=True, help_text="否:时限所跨年度的节假日安排未载入,仅按周末计算"
    )
    accept_deadline = models.DateField(
        "签收时限", null=True, blank=True, help_text="派单时按签收时限(工作日)计算;空:不限"
    )
    light = models.CharField("亮灯", max_length=8, choices=Light.choices, default=Light.GREEN)
    escalation_days = models.PositiveSmallIntegerField(
        "已适用的升级规则(逾期工作日)", default=0, editable=False
    )
    # Not a Positive… field: its CHECK would be verified against every row of the big table
    # while it is locked; the value is only ever written by ``escalate`` (≥ 0).
    accept_escalation_days = models.SmallIntegerField(
        "已适用的签收升级规则(逾期工作日)", db_default=0, editable=False
    )
    escalated_at = models.DateTimeField("最近升级时间", null=True, blank=True, editable=False)
    on_board = models.BooleanField("列入督办台账", default=False)
    closed = models.DateField("办结日期", null=True, blank=True)
    # The rows of the working-day table at the opening and closing dates, joined in SQL (no
    # column, no constraint): the statistics count working days set-wise through them.
    opened_day = models.ForeignObject(
        "workdays.Day",
        verbose_name="登记日",
        from_fields=["opened"],
        to_fields=["date"],
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        editable=False,
    )
    closed_day = models.ForeignObject(
        "workdays.Day",
        verbose_name="办结日",
        from_fields=["closed"],
        to_fields=["date"],
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
        editable=False,
    )
    # Neither this nor ``created_by`` has an index: no page or job looks items up by them, only
    # the rare deletion of a content type or a user does (a scan then), and each index is one
    # more write per escalated item.
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name="关联对象类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    subject_id = models.PositiveBigIntegerField("关联对象编号", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = SupervisedItemQuerySet.as_manager()  # type: ignore[misc]

    province_source = "region"

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-year", "kind", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="supervised_unique_kind_year_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="supervised_state_deadline"),
            models.Index(fields=["on_board", "level"], name="supervised_board_level"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:item", args=[self.pk])

    def source_for(self, user: ActingUser) -> Source | None:
        """The object this item is about, as ``user`` may see it: its kind, and its label and
        link when it lies in the user's scope (a unit member may see an item whose subject,
        a 招商 project say, is outside its scope: then only the kind is shown)."""
        if self.subject_type_id is None or self.subject_id is None:
            return None
        subject_type = ContentType.objects.get_for_id(self.subject_type_id)
        model = subject_type.model_class()
        if model is None:
            return None
        kind = str(model._meta.verbose_name)
        objects: Any = model._default_manager
        visible = objects.restrict(user, "view") if hasattr(objects, "restrict") else objects
        subject = visible.filter(pk=self.subject_id).first()
        if subject is None:
            return Source(kind)
        label = getattr(subject, "subject_label", None) or str(subject)
        url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
        return Source(kind, str(label), str(url))


@dataclass(frozen=True)
class Source:
    """What the item page says of the item's subject: 来源:<kind> <label>, linked to ``url``."""

    kind: str
    label: str = ""
    url: str = ""


class LogEntryQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(item__in=SupervisedItem.objects.restrict(user, action).values("pk"))


class LogEntry(RegionalModel):
    """One 督办 entry: a transition, an urging, an escalation, an extension decision."""

    item = models.ForeignKey(
        SupervisedItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="log"
    )
    time = models.DateTimeField("时间")
    kind = models.CharField("类别", max_length=24, choices=LogKind.choices)
    # No indexes on the user and the unit: the log is read by item; only the rare deletion of a
    # user or a unit looks entries up by them, and a night's escalation inserts an entry per
    # item and rule (benchmarks/README.md).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="单位",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    state = models.CharField("操作后状态", max_length=12, choices=ItemState.choices)
    note = models.TextField("说明", blank=True)

    objects = LogEntryQuerySet.as_manager()  # type: ignore[misc]

    province_source = "item"

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["item", "time", "pk"]

    def __str__(self) -> str:
        return f"{self.item.number} {self.get_kind_display()}"


class Extension(models.Model):
    """A 延期 request of the lead unit, decided by a supervisor; approval moves the deadline."""

    item = models.ForeignKey(
        SupervisedItem, verbose_name="督办事项", on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(Unit, verbose_name="申请单位", on_delete=models.PROTECT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested = models.DateTimeField("申请时间")
    previous_deadline = models.DateField("原时限")
    proposed_deadline = models.DateField("申请延至")
    reason = models.TextField("理由")
    state = models.CharField(
        "审批状态", max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["item", "requested"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(state="pending"),
                name="extension_one_pending_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.number} 延期至 {self.proposed_deadline}"
