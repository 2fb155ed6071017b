"""Policy documents, the tasks read from them, and the supervised work they become.

A document is uploaded and read by ``kaifaqu.policytext``; each measure with units, deadlines or
targets becomes a ``ProposedTask`` that keeps the character spans its fields came from. A clerk
reviews the proposals (every change is a ``TaskCorrection``); a confirmed proposal becomes one
``PolicyTask`` per lead unit, each attached to a ``supervision.SupervisedItem`` of kind RW, and
units report progress on it (``ProgressReport``, one per period for recurring tasks).

Scope: a document is seen by the offices of its jurisdiction (its region and below, or its
zone) and by the members of the units given one of its tasks; tasks and reports as their
supervised item is seen (``assigned_work_condition``).
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.access.scope import RestrictedQuerySet, jurisdiction_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.policies.choices import (
    CorrectionKind,
    DeadlineKind,
    ProposalState,
    Recurrence,
)
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.units.models import Unit


class PolicyDocumentQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        own = jurisdiction_condition(user, action, self.model)
        if action != "view":
            return self.filter(own)
        tasks = PolicyTask.objects.restrict(user, action).values("document_id")
        return self.filter(own | Q(pk__in=tasks))


class PolicyDocument(RegionalModel):
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=80, blank=True)
    issuer = models.CharField("发文机关", max_length=100, blank=True)
    issued = models.DateField("发文日期", null=True, blank=True)
    text = models.TextField("原文")
    file_name = models.CharField("上传文件名", max_length=255, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="适用区划", on_delete=models.PROTECT, related_name="+"
    )
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="开发区自行制定的文件填写",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("上传时间", auto_now_add=True)

    objects = PolicyDocumentQuerySet.as_manager()  # type: ignore[misc]

    province_source = "region"
    scope_zone_path = ""  # the change log reads the document's own region

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"
        ordering = ["-issued", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:document", args=[self.pk])


class ProposedTaskQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(document__in=PolicyDocument.objects.restrict(user, action).values("pk"))


class ProposedTask(RegionalModel):
    """One measure as the extractor read it and the clerk corrected it. Units and targets are
    lists of dicts, each with the ``start`` and ``end`` of its characters in the document."""

    document = models.ForeignKey(
        PolicyDocument, verbose_name="政策文件", on_delete=models.CASCADE, related_name="proposals"
    )
    position = models.PositiveIntegerField("顺序")
    path = models.CharField("条目编号", max_length=40, blank=True)
    heading = models.CharField("措施", max_length=300)
    start = models.PositiveIntegerField("原文起点")
    end = models.PositiveIntegerField("原文终点")
    state = models.CharField(
        "状态", max_length=10, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    lead = models.JSONField("牵头单位", default=list, blank=True)
    support = models.JSONField("配合单位", default=list, blank=True)
    deadline_kind = models.CharField(
        "时限类型", max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.STANDING
    )
    due = models.DateField("完成时限", null=True, blank=True)
    recurrence = models.CharField("报送周期", max_length=10, choices=Recurrence.choices, blank=True)
    deadline_text = models.CharField("时限原文", max_length=60, blank=True)
    deadline_start = models.PositiveIntegerField("时限起点", null=True, blank=True)
    deadline_end = models.PositiveIntegerField("时限终点", null=True, blank=True)
    targets = models.JSONField("目标", default=list, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProposedTaskQuerySet.as_manager()  # type: ignore[misc]

    province_source = "document"

    class Meta:
        verbose_name = "拟定任务"
        verbose_name_plural = "拟定任务"
        ordering = ["document", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.path} {self.heading}".strip()

    def get_absolute_url(self) -> str:
        return f"{self.document.get_absolute_url()}#task-{self.pk}"

    @property
    def measure_text(self) -> str:
        return self.document.text[self.start : self.end]


class TaskCorrection(models.Model):
    """A clerk's change to a proposal, kept as the test set of the extractor's next version."""

    proposal = models.ForeignKey(
        ProposedTask, verbose_name="拟定任务", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField("修改类别", max_length=10, choices=CorrectionKind.choices)
    before = models.JSONField("修改前", default=dict, blank=True)
    after = models.JSONField("修改后", default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    time = models.DateTimeField("修改时间")

    class Meta:
        verbose_name = "任务校核记录"
        verbose_name_plural = "任务校核记录"
        ordering = ["proposal", "time", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal} {self.get_kind_display()}"


class PolicyTaskQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(item__in=SupervisedItem.objects.restrict(user, action).values("pk"))


class PolicyTask(RegionalModel):
    """A confirmed task of one lead unit, supervised as its item (kind RW)."""

    proposal = models.ForeignKey(
        ProposedTask, verbose_name="拟定任务", on_delete=models.PROTECT, related_name="tasks"
    )
    document = models.ForeignKey(
        PolicyDocument, verbose_name="政策文件", on_delete=models.PROTECT, related_name="tasks"
    )
    item = models.OneToOneField(
        SupervisedItem,
        verbose_name="督办事项",
        on_delete=models.PROTECT,
        related_name="policy_task",
    )
    lead_unit = models.ForeignKey(
        Unit, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="policy_tasks"
    )
    recurrence = models.CharField("报送周期", max_length=10, choices=Recurrence.choices, blank=True)

    objects = PolicyTaskQuerySet.as_manager()  # type: ignore[misc]

    province_source = "item"

    class Meta:
        verbose_name = "政策任务"
        verbose_name_plural = "政策任务"
        ordering = ["document", "proposal__position", "pk"]

    def __str__(self) -> str:
        return f"{self.item.number} {self.proposal.heading}"

    def get_absolute_url(self) -> str:
        return reverse("policies:task", args=[self.pk])

    @property
    def subject_label(self) -> str:
        """How the supervised item's page names the task it comes from."""
        return f"《{self.document.title}》{self.proposal.path} {self.proposal.heading}"

    def has_member(self, user: ActingUser) -> bool:
        """Whether ``user`` is a member of the task's lead or supporting units."""
        if isinstance(user, AnonymousUser):
            return False
        units = Q(unit=self.lead_unit_id) | Q(unit__in=self.item.supporting_units.all())
        return bool(user.unit_memberships.filter(units).exists())


class TaskTarget(models.Model):
    """A target of a confirmed task, bound where its indicator is in the 数据指标库."""

    task = models.ForeignKey(
        PolicyTask, verbose_name="政策任务", on_delete=models.CASCADE, related_name="targets"
    )
    indicator_text = models.CharField("指标(原文)", max_length=100)
    comparator = models.CharField("比较", max_length=2)
    value = models.DecimalField("目标值", max_digits=20, decimal_places=6)
    unit = models.CharField("单位", max_length=20, blank=True)
    year = models.PositiveSmallIntegerField("目标年度", null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标库指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "任务目标"
        verbose_name_plural = "任务目标"
        ordering = ["task", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator_text}{self.comparator}{self.value}{self.unit}"


class ProgressReportQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(task__in=PolicyTask.objects.restrict(user, action).values("pk"))


class ProgressReport(RegionalModel):
    """进展填报: a unit's report on a task, for one period of a recurring task or at any time."""

    task = models.ForeignKey(
        PolicyTask, verbose_name="政策任务", on_delete=models.CASCADE, related_name="reports"
    )
    period = models.CharField("报送期次", max_length=20, blank=True)
    due = models.DateField("报送时限", null=True, blank=True)
    text = models.TextField("进展情况", blank=True)
    figure = models.DecimalField("完成数值", max_digits=20, decimal_places=6, null=True, blank=True)
    submitted = models.DateTimeField("填报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="填报单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    escalation_days = models.PositiveSmallIntegerField(
        "已适用的升级规则(逾期工作日)", default=0, db_default=0, editable=False
    )  # the days of the strongest escalation rule applied to the report while it was not filed

    objects = ProgressReportQuerySet.as_manager()  # type: ignore[misc]

    province_source = "task"

    class Meta:
        verbose_name = "进展填报"
        verbose_name_plural = "进展填报"
        ordering = ["task", "due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "period"],
                condition=~Q(period=""),
                name="progressreport_unique_task_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.item.number} {self.period or '进展'}"

    def get_absolute_url(self) -> str:
        return self.task.get_absolute_url()
