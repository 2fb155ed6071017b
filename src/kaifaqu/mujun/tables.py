"""Tables of the 亩均 lists: their columns, which of them sort, and what an export holds."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry, Scheme

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class SchemeTable(tables.Table):
    name = tables.Column(verbose_name="方案", linkify=True, orderable=True)
    version = tables.Column(verbose_name="版本", orderable=True)
    preset = tables.Column(verbose_name="来源预置")
    region = tables.Column(verbose_name="所属区划", accessor="region__name")
    created = tables.DateTimeColumn(verbose_name="创建时间", format="Y-m-d H:i", orderable=True)

    class Meta:
        model = Scheme
        fields = ("name", "version", "preset", "region", "created")
        orderable = False
        attrs = {"data-testid": "schemes"}

    def render_version(self, value: int) -> str:
        return f"v{value}"


class RunTable(tables.Table):
    id = tables.Column(verbose_name="批次", orderable=True)
    year = tables.Column(verbose_name="年度", orderable=True)
    jurisdiction = tables.Column(verbose_name="评价范围", accessor="jurisdiction_name")
    scheme = tables.Column(verbose_name="方案")
    state = tables.Column(verbose_name="状态", orderable=True)
    graded = tables.Column(verbose_name="参评企业(家)", accessor="counts__graded", attrs=NUM)
    created = tables.DateTimeColumn(verbose_name="创建时间", format="Y-m-d H:i", orderable=True)

    class Meta:
        model = EvaluationRun
        fields = ("id", "year", "jurisdiction", "scheme", "state", "graded", "created")
        orderable = False
        attrs = {"data-testid": "runs"}

    def render_id(self, record: EvaluationRun) -> SafeString:
        return format_html(
            '<a href="{}">#{} 第{}版</a>', record.get_absolute_url(), record.pk, record.revision
        )

    def value_id(self, record: EvaluationRun) -> str:
        return f"#{record.pk} 第{record.revision}版"


class ZoneResultTable(tables.Table):
    """One run's results in one zone."""

    enterprise = tables.Column(
        verbose_name="企业", accessor="enterprise__name", orderable=True, linkify=False
    )
    uscc = tables.Column(
        verbose_name="统一社会信用代码", accessor="enterprise__uscc", visible=False
    )
    pool = tables.Column(verbose_name="评价池", orderable=True)
    total = tables.Column(verbose_name="总分", attrs=NUM, orderable=True)
    pool_rank = tables.Column(verbose_name="池内排名", attrs=NUM, orderable=True)
    grade = tables.Column(verbose_name="等级", orderable=True)
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = EvaluationResult
        fields = ("enterprise", "uscc", "pool", "total", "pool_rank", "grade", "status")
        orderable = False
        attrs = {"data-testid": "zone-results"}

    def render_enterprise(self, record: EvaluationResult, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)

    def value_enterprise(self, value: str) -> str:
        return value


class ResultTable(ZoneResultTable):
    """One run's results, every zone."""

    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    reason = tables.Column(verbose_name="说明")
    warnings = tables.Column(verbose_name="数据提示", empty_values=())

    class Meta(ZoneResultTable.Meta):
        fields = ("enterprise", "uscc", "zone", "pool", "total", "pool_rank", "grade", "status")
        sequence = ("enterprise", "uscc", "zone", "...")
        attrs = {"data-testid": "results"}

    def render_zone(self, record: EvaluationResult, value: str) -> SafeString:
        url = reverse("mujun:zone_grades", args=[record.run_id, record.zone_id])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_zone(self, value: str) -> str:
        return value

    def render_warnings(self, value: Any) -> str:
        return ";".join(value or ())


class PointsTable(tables.Table):
    year = tables.Column(verbose_name="年度", orderable=True)
    enterprise = tables.Column(verbose_name="企业", accessor="enterprise__name", orderable=True)
    uscc = tables.Column(verbose_name="统一社会信用代码", accessor="enterprise__uscc")
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    kind = tables.Column(verbose_name="类别", orderable=True)
    points = tables.Column(verbose_name="分值", attrs=NUM, orderable=True)
    item = tables.Column(verbose_name="事项")
    evidence = tables.Column(verbose_name="依据文号")
    entered_by = tables.Column(verbose_name="录入人")
    created = tables.DateTimeColumn(verbose_name="录入时间", format="Y-m-d H:i", orderable=True)
    # Asks first in the page (data-confirm); without script, the link's confirmation page.
    delete = tables.TemplateColumn(
        template_name="mujun/includes/points_delete.html",
        verbose_name="",
        accessor="pk",
        exclude_from_export=True,
    )

    class Meta:
        model = PointsEntry
        fields = ("year", "enterprise", "uscc", "zone", "kind", "points", "item", "evidence")
        orderable = False
        attrs = {"data-testid": "points"}

    def render_entered_by(self, value: Any) -> str:
        return value.get_full_name() or value.username


class ObjectionTable(tables.Table):
    """A run's objections; a pending one with the form that decides it."""

    id = tables.Column(verbose_name="编号", orderable=True)
    enterprise = tables.Column(verbose_name="企业", accessor="result__enterprise__name")
    reason = tables.Column(verbose_name="理由")
    evidence = tables.Column(verbose_name="证据")
    corrected_values = tables.Column(verbose_name="申请更正")
    state = tables.Column(verbose_name="状态", orderable=True)
    decision_note = tables.Column(verbose_name="处理意见")
    decide = tables.TemplateColumn(
        template_name="mujun/includes/objection_decide.html",
        verbose_name="",
        accessor="pk",
        exclude_from_export=True,
    )

    class Meta:
        model = Objection
        fields = ("id", "enterprise", "reason", "evidence", "corrected_values", "state")
        orderable = False
        attrs = {"data-testid": "objections"}
