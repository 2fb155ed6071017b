"""Tables of the assessment lists."""

from functools import cache, cached_property
from typing import Any

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kaifaqu.assessment.framework import Document
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    Finding,
    RankTarget,
    Target,
    ZoneResult,
)
from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.catalog.models import Region

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def progress_arrow(progress: int | None) -> SafeString | str:
    """进位 ↑, 退位 ↓, unchanged →0; a zone without last year's rank shows a dash."""
    if progress is None:
        return "—"
    if progress > 0:
        return format_html('<span class="status-operating">↑{}</span>', progress)
    if progress < 0:
        return format_html('<span class="status-stopped">↓{}</span>', -progress)
    return "→0"


class FrameworkTable(tables.Table):
    name = tables.Column(verbose_name="方案", linkify=True, orderable=True)
    code = tables.Column(verbose_name="代码", orderable=True)
    owner = tables.Column(verbose_name="所属单位", empty_values=())

    class Meta:
        model = AssessmentFramework
        fields = ("name", "code", "owner")
        orderable = False

    def render_owner(self, record: AssessmentFramework) -> str:
        return record.owner.name if record.owner else "系统预置(只读,可复制)"


class RunTable(tables.Table):
    year = tables.Column(verbose_name="年度", linkify=True, orderable=True)
    framework = tables.Column(verbose_name="方案", accessor="version__framework__name")
    version = tables.Column(verbose_name="版本", accessor="version__number")
    scope = tables.Column(verbose_name="范围", accessor="province_code", empty_values=())
    state = tables.Column(verbose_name="状态", orderable=True)
    publication = tables.Column(verbose_name="通报")
    created = tables.DateTimeColumn(verbose_name="发起时间", format="Y-m-d H:i", orderable=True)

    class Meta:
        model = AssessmentRun
        fields = ("year", "framework", "version", "scope", "state", "publication", "created")
        orderable = False

    def render_version(self, value: int) -> str:
        return f"第{value}版"

    def render_scope(self, record: AssessmentRun) -> str:
        """Which zones the run ranks, as a person names them: 示范省 · 国家级经济技术开发区."""
        region = self._province_names.get(record.province_code, "全部地区")
        kind = record.get_zone_kind_display() or "全部类型"
        return f"{region} · {kind}"

    @cached_property
    def _province_names(self) -> dict[str, str]:
        provinces = Region.objects.filter(level=RegionLevel.PROVINCE)
        return dict(provinces.values_list("code", "name"))

    def render_publication(self, record: AssessmentRun) -> SafeString | str:
        if record.publication is None:
            return "—"
        return format_html('<a href="{}">已发布</a>', record.publication.get_absolute_url())


class ResultTable(tables.Table):
    """A run's ranking; the framework's dimensions are added as columns (``for_document``)."""

    published_rank = tables.Column(verbose_name="名次", attrs=NUM, orderable=True)
    interval = tables.Column(verbose_name="名次区间(5%–95%)", empty_values=(), accessor="pk")
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    group = tables.Column(verbose_name="比较组", orderable=True)
    total = tables.Column(verbose_name="综合得分", attrs=NUM, orderable=True)
    score_median = tables.Column(verbose_name="得分中位数", attrs=NUM, default="")
    score_interval = tables.Column(verbose_name="得分区间", empty_values=(), accessor="pk")
    rank = tables.Column(verbose_name="总排名", attrs=NUM, orderable=True)
    rank_mean = tables.Column(verbose_name="平均名次", attrs=NUM, default="")
    rank_median = tables.Column(verbose_name="名次中位数", attrs=NUM, default="")
    group_rank = tables.Column(verbose_name="组内", attrs=NUM, orderable=True)
    progress = tables.Column(verbose_name="进位", empty_values=(), orderable=True)

    class Meta:
        model = ZoneResult
        fields = ("published_rank", "interval", "zone", "group", "total", "score_median")
        sequence = (
            "published_rank", "interval", "zone", "group", "total", "score_median",
            "score_interval", "rank", "rank_mean", "rank_median", "group_rank", "...", "progress",
        )  # fmt: skip
        orderable = False

    @classmethod
    def for_document(cls, doc: Document) -> type["ResultTable"]:
        """The table of a framework's ranking, with a column per dimension before 进位."""
        return _with_dimensions(tuple((d, doc.label(d)) for d in doc.dimensions))

    def render_interval(self, record: ZoneResult) -> str:
        low, high = record.published_interval
        if low is None:
            return ""
        return f"{floatformat(low, '-1')}–{floatformat(high, '-1')}"

    def render_zone(self, record: ZoneResult) -> SafeString:
        name = record.zone.name
        if record.own:  # type: ignore[attr-defined]  # annotated by ZoneResult.objects.ranking()
            url = reverse("assessment:profile", args=[record.run_id, record.zone_id])
            name = format_html('<a href="{}">{}</a>', url, name)
        if record.disqualified:
            name = format_html(
                '{} <span class="error">取消资格:{}</span>', name, record.disqualified
            )
        return format_html('<span id="row-{}" class="row-anchor">{}</span>', record.pk, name)

    def render_score_median(self, value: float) -> str:
        return floatformat(value, 2)

    def render_score_interval(self, record: ZoneResult) -> str:
        if record.score_p05 is None:
            return ""
        return f"{floatformat(record.score_p05, 2)}–{floatformat(record.score_p95, 2)}"

    def render_rank_mean(self, value: float) -> str:
        return floatformat(value, "-2")

    def render_rank_median(self, value: float) -> str:
        return floatformat(value, "-1")

    def render_progress(self, record: ZoneResult) -> SafeString | str:
        return progress_arrow(record.progress)


class DimensionColumn(tables.Column):
    """One dimension's score of a result, read from its ``dimensions`` mapping."""

    def __init__(self, code: str, label: str) -> None:
        super().__init__(verbose_name=label, accessor="dimensions", attrs=NUM, empty_values=())
        self.code = code

    def render(self, value: dict[str, float | None]) -> str:
        score = (value or {}).get(self.code)
        return "—" if score is None else floatformat(score, 2)


class CompareTable(tables.Table):
    """A run's results beside the same zones' results in the run compared with (annotated
    ``then_rank`` and ``then_total``; the page names the two years)."""

    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    then_rank = tables.Column(verbose_name="对比年度名次", attrs=NUM)
    then_total = tables.Column(verbose_name="对比年度得分", attrs=NUM)
    published_rank = tables.Column(verbose_name="本年度名次", attrs=NUM, orderable=True)
    total = tables.Column(verbose_name="本年度得分", attrs=NUM, orderable=True)
    progress = tables.Column(verbose_name="名次变化", empty_values=(), orderable=True)

    class Meta:
        model = ZoneResult
        fields = ("zone", "then_rank", "then_total", "published_rank", "total", "progress")
        orderable = False

    def render_progress(self, record: ZoneResult) -> SafeString | str:
        return progress_arrow(record.progress)


class FindingTable(tables.Table):
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    action = tables.Column(verbose_name="处理", orderable=True)
    rule_name = tables.Column(verbose_name="规则", orderable=True)
    years = tables.Column(verbose_name="触发年度")
    detail = tables.Column(verbose_name="说明")
    undistinguishable = tables.Column(verbose_name="复核提示", empty_values=())

    class Meta:
        model = Finding
        fields = ("zone", "action", "rule_name", "years", "detail", "undistinguishable")
        orderable = False

    def render_years(self, value: list[int]) -> str:
        return "、".join(str(year) for year in value)

    def render_undistinguishable(self, value: bool) -> SafeString | str:
        if not value:
            return ""
        return format_html('<span class="error">{}</span>', "与边界无法区分(名次区间跨越规则边界)")


class TargetTable(tables.Table):
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    indicator = tables.Column(verbose_name="指标", order_by="indicator__code", orderable=True)
    year = tables.Column(verbose_name="目标年度", attrs=NUM, orderable=True)
    value = tables.Column(verbose_name="目标值", attrs=NUM)
    note = tables.Column(verbose_name="依据", default="")

    class Meta:
        model = Target
        fields = ("zone", "indicator", "year", "value", "note")
        orderable = False

    def render_indicator(self, record: Target) -> str:
        return f"{record.indicator.name}({record.indicator.unit})"

    def render_value(self, value: Any) -> str:
        return floatformat(value, "-4")


class RankTargetTable(tables.Table):
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    level = tables.Column(verbose_name="排名层级", orderable=True)
    year = tables.Column(verbose_name="目标年度", attrs=NUM, orderable=True)
    rank = tables.Column(verbose_name="目标名次", attrs=NUM, orderable=True)
    note = tables.Column(verbose_name="依据", default="")

    class Meta:
        model = RankTarget
        fields = ("zone", "level", "year", "rank", "note")
        orderable = False

    def render_rank(self, value: int) -> str:
        return f"前 {value} 位"


class DeductionTable(tables.Table):
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    year = tables.Column(verbose_name="年度", attrs=NUM, orderable=True)
    item = tables.Column(verbose_name="事项", orderable=True)
    count = tables.Column(verbose_name="数量", attrs=NUM)
    note = tables.Column(verbose_name="说明", default="")

    class Meta:
        model = Deduction
        fields = ("zone", "year", "item", "count", "note")
        orderable = False

    def render_count(self, value: Any) -> str:
        return floatformat(value, "-2")


@cache
def _with_dimensions(dimensions: tuple[tuple[str, str], ...]) -> type[ResultTable]:
    """One table class per set of dimensions (a framework's), made once: the list view keeps
    what it learns of a table class (its sortable columns) by the class."""
    columns: dict[str, Any] = {
        f"dim_{code}": DimensionColumn(code, label) for code, label in dimensions
    }
    return type("ResultTable", (ResultTable,), {**columns, "Meta": ResultTable.Meta})
