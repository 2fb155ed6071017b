"""Schemes (versioned TOML per bureau), evaluation runs, per-enterprise results, objections and
the bonus and penalty points a bureau enters."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from kaifaqu.access.regional import RegionalModel
from kaifaqu.access.scope import jurisdiction_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Region
from kaifaqu.core.fields import JSONTextField
from kaifaqu.mujun.choices import (
    PUBLIC_STATES,
    ObjectionState,
    PointsKind,
    ResultStatus,
    RunState,
)
from kaifaqu.mujun.scheme import Scheme as SchemeDocument
from kaifaqu.mujun.scheme import parse_scheme
from kaifaqu.zones.models import Zone


class JurisdictionQuerySet(models.QuerySet[Any]):
    """Schemes and runs, by the jurisdiction they name (results inside a run are then narrowed
    by their own ``restrict``)."""

    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(jurisdiction_condition(user, action, self.model)).distinct()


class Scheme(RegionalModel):
    """One version of a bureau's scheme: the TOML document, copied from a preset or a version."""

    name = models.CharField("方案名称", max_length=120)
    preset = models.CharField("来源预置方案", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT
    )
    document = models.TextField("方案内容(TOML)")
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT)
    zone = models.ForeignKey(
        Zone, verbose_name="所属开发区", null=True, blank=True, on_delete=models.PROTECT
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)

    objects = JurisdictionQuerySet.as_manager()  # type: ignore[assignment, misc]
    province_source = "region"

    class Meta:
        verbose_name = "亩均评价方案"
        verbose_name_plural = "亩均评价方案"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("mujun:scheme", args=[self.pk])

    def parsed(self) -> SchemeDocument:
        return parse_scheme(self.document)


class EvaluationRun(RegionalModel):
    """One evaluation of one year in one jurisdiction under one scheme version."""

    scheme = models.ForeignKey(Scheme, verbose_name="评价方案", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("评价年度")
    region = models.ForeignKey(Region, verbose_name="评价区划", on_delete=models.PROTECT)
    zone = models.ForeignKey(
        Zone, verbose_name="评价开发区", null=True, blank=True, on_delete=models.PROTECT
    )
    state = models.CharField(
        "状态", max_length=12, choices=RunState.choices, default=RunState.QUEUED
    )
    revision = models.PositiveIntegerField("版次", default=1)
    supersedes = models.ForeignKey(
        "self", verbose_name="更正前版次", null=True, blank=True, on_delete=models.PROTECT
    )
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示结束", null=True, blank=True)
    published = models.DateTimeField("发布时间", null=True, blank=True)
    scheme_document = models.TextField("所用方案内容", blank=True)
    scheme_digest = models.CharField("方案摘要", max_length=80, blank=True)
    engine_version = models.CharField("引擎版本", max_length=20, blank=True)
    input_hash = models.CharField("输入数据摘要", max_length=80, blank=True)
    benchmarks = models.JSONField("基准值", default=dict, blank=True)
    counts = models.JSONField("统计", default=dict, blank=True)
    timings = models.JSONField("各阶段耗时(秒)", default=dict, blank=True)
    corrections = models.JSONField("异议更正", default=dict, blank=True)
    job = models.ForeignKey(
        "jobs.Job", verbose_name="后台任务", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)
    publicity = models.ForeignKey(
        "publications.Publication",
        verbose_name="公示名单",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    final_list = models.ForeignKey(
        "publications.Publication",
        verbose_name="评价结果名单",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = JurisdictionQuerySet.as_manager()  # type: ignore[assignment, misc]
    province_source = "region"
    # An enterprise sees a run once it is published and names the enterprise.
    scope_enterprise_path = "results__enterprise"
    scope_enterprise_when = Q(state=RunState.PUBLISHED)

    class Meta:
        verbose_name = "亩均评价批次"
        verbose_name_plural = "亩均评价批次"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.jurisdiction_name} 亩均评价(第{self.revision}版)"

    def get_absolute_url(self) -> str:
        return reverse("mujun:run", args=[self.pk])

    @property
    def jurisdiction_name(self) -> str:
        return self.zone.name if self.zone_id else self.region.name  # type: ignore[union-attr]

    def document(self) -> SchemeDocument:
        return parse_scheme(self.scheme_document or self.scheme.document)

    @cached_property
    def parsed_document(self) -> SchemeDocument:
        """``document()`` parsed once per instance, for the names a page shows row by row."""
        return self.document()

    @property
    def is_final(self) -> bool:
        return self.state == RunState.PUBLISHED


def shown_grade(grade: str, managed_grade: str) -> str:
    """The grade a list shows: the grade, or how an ungraded (T类) unit is managed."""
    return grade or (f"按{managed_grade}类管理" if managed_grade else "")


class EvaluationResult(RegionalModel):
    """One enterprise's result in one run: machine-written in bulk, never edited."""

    # A run writes a million rows by COPY, so every index and check costs: the two composite
    # indexes below serve every read (a run's rows by zone, an enterprise's history), and no
    # column has one of its own. No database constraints on the foreign keys: the deferred
    # per-row checks took longer than the COPY itself; the job writes the rows of the run it
    # holds, for the enterprises and zones its extract read, in one transaction.
    run = models.ForeignKey(
        EvaluationRun,
        verbose_name="评价批次",
        on_delete=models.CASCADE,
        related_name="results",
        db_constraint=False,
        db_index=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    zone = models.ForeignKey(
        Zone,
        verbose_name="开发区",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    province_code = models.CharField("所属省份代码", max_length=6, editable=False)  # not indexed
    industry_code = models.CharField("行业代码", max_length=4, blank=True)
    pool = models.CharField("评价池", max_length=20, blank=True)
    status = models.CharField("状态", max_length=16, choices=ResultStatus.choices)
    reason = models.CharField("说明", max_length=120, blank=True)
    values = JSONTextField("指标值", default=dict)
    items = JSONTextField("单项得分", default=dict)
    total = models.DecimalField("总分", max_digits=12, decimal_places=2, null=True)
    pool_rank = models.PositiveIntegerField("池内排名", null=True)
    grade = models.CharField("等级", max_length=4, blank=True)
    managed_grade = models.CharField("按此等级管理", max_length=4, blank=True)
    years_in_grade = models.PositiveSmallIntegerField("连续同等级年数", null=True)
    warnings = JSONTextField("数据提示", default=list)
    explanation = JSONTextField("说明与提升路径", default=dict)

    province_source = "run"
    scope_zone_path = "zone"
    scope_enterprise_path = "enterprise"
    scope_enterprise_when = Q(run__state__in=PUBLIC_STATES)  # its own, once they are out

    class Meta:
        verbose_name = "亩均评价结果"
        verbose_name_plural = "亩均评价结果"
        ordering = ["run", "id"]
        indexes = [
            models.Index(fields=["run", "zone", "id"], name="mujun_result_run_zone"),
            models.Index(fields=["enterprise", "run"], name="mujun_result_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.grade or self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("mujun:result", args=[self.pk])

    @property
    def shown_grade(self) -> str:
        return shown_grade(self.grade, self.managed_grade)


class Objection(RegionalModel):
    """An enterprise's or zone's objection to a result during 公示, with evidence and a decision."""

    result = models.ForeignKey(
        EvaluationResult,
        verbose_name="评价结果",
        on_delete=models.CASCADE,
        related_name="objections",
    )
    reason = models.TextField("异议理由")
    evidence = models.TextField("证据说明", help_text="证明材料名称、文号或链接")
    corrected_values = models.JSONField(
        "申请更正的数据", default=dict, blank=True, help_text='如 {"tax_paid": 1500}'
    )
    state = models.CharField(
        "处理状态", max_length=10, choices=ObjectionState.choices, default=ObjectionState.PENDING
    )
    decision_note = models.TextField("处理意见", blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed = models.DateTimeField("提出时间", auto_now_add=True)
    decided = models.DateTimeField("处理时间", null=True, blank=True)

    province_source = "result"
    scope_zone_path = "result__zone"
    scope_enterprise_path = "result__enterprise"

    class Meta:
        verbose_name = "评价异议"
        verbose_name_plural = "评价异议"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"异议 #{self.pk}"


class PointsEntry(RegionalModel):
    """Bonus or penalty points a bureau grants an enterprise for a year, with the document
    behind them (淮安's 加分项 for safety, energy saving, technology; county deductions). A run of
    that year sums them per kind into the scheme's ``bonus_points`` / ``penalty_points``."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="points_entries",
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=8, choices=PointsKind.choices)
    points = models.DecimalField(
        "分值", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    item = models.CharField("事项", max_length=120, help_text="如 安全生产标准化一级、节能技改")
    evidence = models.CharField("依据文号", max_length=120)
    # The enterprise's zone when the entry was made, copied at save so scope needs no join.
    zone = models.ForeignKey(
        Zone, verbose_name="所在开发区", on_delete=models.PROTECT, editable=False
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField("录入时间", auto_now_add=True)
    updated = models.DateTimeField("修改时间", auto_now=True)

    province_source = "enterprise"
    scope_zone_path = "zone"
    scope_enterprise_path = "enterprise"

    class Meta:
        verbose_name = "亩均评价加扣分"
        verbose_name_plural = "亩均评价加扣分"
        ordering = ["id"]
        constraints = [
            # The same document cannot grant the same item twice (a file imported twice).
            models.UniqueConstraint(
                fields=["enterprise", "year", "kind", "item", "evidence"],
                name="mujun_points_once",
                violation_error_message="该企业本年度已有相同事项、相同文号的记录",
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="mujun_points_positive"),
        ]
        indexes = [
            models.Index(fields=["year", "enterprise"], name="mujun_points_year"),
            models.Index(fields=["zone", "id"], name="mujun_points_zone_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_kind_display()}{self.points}分:{self.item}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.zone_id = self.enterprise.zone_id
        super().save(*args, **kwargs)
