"""Assessment frameworks (versioned documents), runs, per-zone results, targets, reports."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.access.scope import (
    RestrictedQuerySet,
    office_owned_condition,
    run_condition,
    scope_filter,
)
from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.choices import RankingLevel, RuleAction, RunState
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.publications.choices import PublicationState
from kaifaqu.publications.models import Publication
from kaifaqu.zones.choices import ZoneKind


def published_to(user: ActingUser) -> QuerySet[Publication]:
    """Publications the user may read that are out (a draft is its author's, not a ranking)."""
    return Publication.objects.restrict(user).filter(state=PublicationState.PUBLISHED)


class FrameworkQuerySet(models.QuerySet["AssessmentFramework"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(office_owned_condition(user, action, owner="owner"))


class AssessmentFramework(models.Model):
    """A bureau's assessment scheme; its content lives in numbered versions."""

    code = models.SlugField("代码", max_length=48)
    name = models.CharField("名称", max_length=100)
    owner = models.ForeignKey(
        Region,
        verbose_name="所属单位(区划)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空:系统预置方案,只读,可复制",
    )
    based_on = models.ForeignKey(
        "self", verbose_name="复制自", null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = "考核评价方案"
        verbose_name_plural = "考核评价方案"
        ordering = ["owner_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "code"], name="assessment_framework_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:framework", args=[self.pk])

    @property
    def is_preset(self) -> bool:
        return self.owner_id is None

    def latest(self) -> FrameworkVersion | None:
        return self.versions.order_by("-number").first()


class FrameworkVersion(models.Model):
    """One immutable version of a framework document (engine TOML plus ``[assessment]``)."""

    framework = models.ForeignKey(
        AssessmentFramework, verbose_name="方案", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    document = models.TextField("方案文件(TOML)")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "方案版本"
        verbose_name_plural = "方案版本"
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="assessment_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} 第{self.number}版"


class RunQuerySet(models.QuerySet["AssessmentRun"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        results = ZoneResult.objects.restrict(user, action)
        return self.filter(
            run_condition(user, action, results=results, publications=published_to(user))
        )


class AssessmentRun(models.Model):
    """One year's assessment of a set of zones under one framework version."""

    version = models.ForeignKey(
        FrameworkVersion, verbose_name="方案版本", on_delete=models.PROTECT, related_name="runs"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    province_code = models.CharField("省份代码", max_length=6, blank=True, db_index=True)
    zone_kind = models.CharField(
        "开发区类型", max_length=20, blank=True, choices=ZoneKind.choices, help_text="空:全部类型"
    )
    state = models.CharField(
        "状态", max_length=10, choices=RunState.choices, default=RunState.QUEUED
    )
    level = models.CharField(
        "排名层级",
        max_length=10,
        choices=RankingLevel.choices,
        default=RankingLevel.PROVINCIAL,
        help_text="结果跨省即为全国排名;运行完成时确定",
    )
    ranked_by = models.CharField(
        "公布名次口径", max_length=8, default="overall", help_text="overall 总排名;group 组内排名"
    )
    replications = models.PositiveIntegerField("区间模拟次数", default=1000)
    engine_version = models.CharField("引擎版本", max_length=20, blank=True)
    input_hash = models.CharField("输入哈希", max_length=80, blank=True)
    log = models.JSONField("运行记录", default=dict, blank=True)
    warnings = models.JSONField("警告", default=list, blank=True)
    error = models.TextField("错误说明", blank=True)
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name="后台任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publication = models.ForeignKey(
        "publications.Publication",
        verbose_name="排名通报",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField("发起时间", auto_now_add=True)
    finished = models.DateTimeField("完成时间", null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "考核评价运行"
        verbose_name_plural = "考核评价运行"
        ordering = ["-year", "-created"]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.version.framework.name}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:run", args=[self.pk])


class ZoneResultQuerySet(RestrictedQuerySet):
    def ranking(self, user: ActingUser) -> Self:
        """Rows of a ranking table: the user's own scope, plus every row of a run whose ranking
        is published to the user. Each row is annotated ``own`` (inside the user's scope): only
        those open a profile; the rest show what the ranking publication shows."""
        own = scope_filter(user, "view", self.model)
        if not own:  # a superuser's: an empty Q would vanish from the OR below
            return self.annotate(own=Value(True, output_field=BooleanField()))
        published = Q(run__publication__in=published_to(user).values("pk"))
        return self.filter(own | published).annotate(
            own=ExpressionWrapper(own, output_field=BooleanField())
        )


class ZoneResult(RegionalModel):
    """A zone's scores and ranks in one run (an immutable record of that run)."""

    run = models.ForeignKey(
        AssessmentRun, verbose_name="运行", on_delete=models.CASCADE, related_name="results"
    )
    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+"
    )
    group = models.CharField("比较组", max_length=32, blank=True)
    total = models.DecimalField("综合得分", max_digits=8, decimal_places=2, null=True)
    rank = models.PositiveIntegerField("总排名", null=True)
    group_rank = models.PositiveIntegerField("组内排名", null=True)
    published_rank = models.PositiveIntegerField("公布名次", null=True)
    rank_p05 = models.FloatField("名次区间下限(P5)", null=True)
    rank_p95 = models.FloatField("名次区间上限(P95)", null=True)
    rank_median = models.FloatField("名次中位数", null=True)
    rank_mean = models.FloatField("平均名次", null=True)
    score_median = models.FloatField("得分中位数", null=True)
    score_p05 = models.FloatField("得分区间下限(P5)", null=True)
    score_p95 = models.FloatField("得分区间上限(P95)", null=True)
    group_p05 = models.FloatField("组内名次区间下限(P5)", null=True)
    group_p95 = models.FloatField("组内名次区间上限(P95)", null=True)
    previous_rank = models.PositiveIntegerField("上年公布名次", null=True)
    progress = models.IntegerField("进位", null=True, help_text="上年名次 − 本年名次,正数为进位")
    dimensions = models.JSONField("维度得分", default=dict)
    dimension_ranks = models.JSONField("维度排名", default=dict)
    indicators = models.JSONField("指标明细", default=dict)
    deductions = models.JSONField("扣分", default=dict)
    disqualified = models.CharField("取消资格原因", max_length=200, blank=True)

    objects = ZoneResultQuerySet.as_manager()  # type: ignore[misc]
    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "开发区考核结果"
        verbose_name_plural = "开发区考核结果"
        ordering = ["run", "published_rank", "zone__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "zone"], name="assessment_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.run.year}"

    @property
    def published_interval(self) -> tuple[float | None, float | None]:
        """The 5th–95th interval of the published rank (within group when the group is ranked)."""
        if self.run.ranked_by == "group":
            return self.group_p05, self.group_p95
        return self.rank_p05, self.rank_p95


class Finding(RegionalModel):
    """A dynamic-management rule that fired on a zone in a run, with the years that made it."""

    run = models.ForeignKey(
        AssessmentRun, verbose_name="运行", on_delete=models.CASCADE, related_name="findings"
    )
    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+"
    )
    rule_code = models.CharField("规则代码", max_length=48)
    rule_name = models.CharField("规则", max_length=100)
    action = models.CharField("处理", max_length=12, choices=RuleAction.choices)
    years = models.JSONField("触发年度", default=list)
    undistinguishable = models.BooleanField("与边界无法区分", default=False)
    detail = models.CharField("说明", max_length=300, blank=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "动态管理结果"
        verbose_name_plural = "动态管理结果"
        ordering = ["run", "action", "zone__code"]

    def __str__(self) -> str:
        return f"{self.zone} {self.rule_name}"


class Deduction(RegionalModel):
    """An entered deduction or disqualification item of a zone-year (巡视巡察问题, 重大事故…)."""

    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("扣分项代码", max_length=48, help_text="方案中的扣分列或取消资格项代码")
    count = models.DecimalField("数量", max_digits=8, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "扣分与否决事项"
        verbose_name_plural = "扣分与否决事项"
        ordering = ["zone", "year", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "item"], name="assessment_deduction_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.year} {self.item}"


class Target(RegionalModel):
    """A development target (发展目标) of a zone: an indicator's value in a target year."""

    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("目标年度")
    value = models.DecimalField("目标值", max_digits=20, decimal_places=6)
    note = models.CharField("依据", max_length=200, blank=True, help_text="如:十四五规划")

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "发展目标"
        verbose_name_plural = "发展目标"
        ordering = ["zone", "year", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "indicator", "year"], name="assessment_target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.indicator.name} {self.year}"

    def clean(self) -> None:
        """A target the indicator can take: 0 or 1 for a 0/1 indicator, not 600."""
        known = self.indicator_id and self.value is not None
        if known and (problem := self.indicator.value_problem(self.value)):
            raise ValidationError({"value": problem})


class RankTarget(RegionalModel):
    """A rank goal (进位目标) of a zone: its published composite rank in the national or
    provincial ranking by a target year ("进入全国前10位" is rank 10)."""

    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField("排名层级", max_length=10, choices=RankingLevel.choices)
    year = models.PositiveSmallIntegerField("目标年度")
    rank = models.PositiveIntegerField(
        "目标名次", validators=[MinValueValidator(1)], help_text="公布名次(组内公布的为组内名次)"
    )
    note = models.CharField("依据", max_length=200, blank=True, help_text="如:十四五规划")

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "名次目标"
        verbose_name_plural = "名次目标"
        ordering = ["zone", "year", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "level", "year"], name="assessment_rank_target_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.get_level_display()} {self.year}年前{self.rank}位"


class Report(RegionalModel):
    """A diagnostic report (诊断报告) of a zone in a run, as PDF and DOCX files."""

    run = models.ForeignKey(AssessmentRun, verbose_name="运行", on_delete=models.CASCADE)
    zone = models.ForeignKey(
        "zones.Zone", verbose_name="开发区", on_delete=models.CASCADE, related_name="+"
    )
    pdf = models.FileField("PDF", upload_to="assessment/reports/%Y/", blank=True)
    docx = models.FileField("DOCX", upload_to="assessment/reports/%Y/", blank=True)
    created = models.DateTimeField("生成时间", auto_now=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "诊断报告"
        verbose_name_plural = "诊断报告"
        constraints = [
            models.UniqueConstraint(fields=["run", "zone"], name="assessment_report_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.run.year} 诊断报告"


__all__ = [
    "AssessmentFramework",
    "AssessmentRun",
    "Deduction",
    "Finding",
    "FrameworkVersion",
    "RankTarget",
    "Report",
    "Target",
    "ZoneResult",
]
