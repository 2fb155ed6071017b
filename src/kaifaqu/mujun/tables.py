"""Tables of the 亩均 lists: their columns, which of them sort, and what an export holds."""

from functools import cache
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from kaifaqu.core.numbers import format_count
from kaifaqu.mujun.dashboard import scoped_counts
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry, Scheme
from kaifaqu.mujun.policies import applied, policy_header
from kaifaqu.mujun.scheme import Scheme as SchemeDocument
from kaifaqu.vocabulary import described_values

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
    publicity = tables.Column(verbose_name="公示(发起时间 · 发起人)", empty_values=())
    graded = tables.Column(verbose_name="参评企业(家)", empty_values=(), attrs=NUM)
    created = tables.DateTimeColumn(verbose_name="创建时间", format="Y-m-d H:i", orderable=True)

    class Meta:
        model = EvaluationRun
        fields = ("id", "year", "jurisdiction", "scheme", "state", "publicity", "graded", "created")
        orderable = False
        attrs = {"data-testid": "runs"}

    def __init__(self, *args: Any, zone_ids: list[int] | None = None, **kwargs: Any) -> None:
        """``zone_ids``: the zones the user may see (None: all), so a zone office's count is its
        own enterprises, never the jurisdiction's."""
        super().__init__(*args, **kwargs)
        self.zone_ids = zone_ids

    def render_graded(self, record: EvaluationRun) -> str:
        if "statuses" not in record.counts:
            return "—"
        return format_count(scoped_counts(record, self.zone_ids)["graded"])

    def value_graded(self, record: EvaluationRun) -> int | None:
        if "statuses" not in record.counts:
            return None
        return scoped_counts(record, self.zone_ids)["graded"]

    def render_id(self, record: EvaluationRun) -> SafeString:
        return format_html(
            '<a href="{}">#{} 第{}版</a>', record.get_absolute_url(), record.pk, record.revision
        )

    def value_id(self, record: EvaluationRun) -> str:
        return f"#{record.pk} 第{record.revision}版"

    def render_publicity(self, record: EvaluationRun) -> str | SafeString:
        parts = _publicity(record)
        if parts is None:
            return "—"
        return format_html('{} 至 {}<br><span class="list-meta">{} · {}</span>', *parts)

    def value_publicity(self, record: EvaluationRun) -> str:
        parts = _publicity(record)
        return "" if parts is None else "{} 至 {}({} · {})".format(*parts)


def _publicity(record: EvaluationRun) -> tuple[str, str, str, str] | None:
    """The 公示 window and when and by whom it was opened, as the runs list shows them."""
    opened = record.publicity
    if opened is None or record.publicity_start is None or record.publicity_end is None:
        return None
    return (
        date_format(record.publicity_start, "Y-m-d"),
        date_format(record.publicity_end, "Y-m-d"),
        date_format(localtime(opened.published), "Y-m-d H:i"),
        opened.author.get_full_name() or opened.author.username,
    )


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

    def __init__(self, *args: Any, document: SchemeDocument | None = None, **kwargs: Any) -> None:
        """``document``: the run's scheme, which names its pools."""
        super().__init__(*args, **kwargs)
        self.document = document

    def render_pool(self, value: str) -> str:
        return self.document.pool_name(value) if self.document else value

    def value_pool(self, value: str) -> str:
        return self.render_pool(value)

    class Meta:
        model = EvaluationResult
        fields: tuple[str, ...] = (
            "enterprise", "uscc", "pool", "total", "pool_rank", "grade", "status"
        )  # fmt: skip
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
        return str(value.get_full_name() or value.username)


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

    def render_corrected_values(self, value: dict[str, object] | None) -> str:
        return described_values(value or {})

    def value_corrected_values(self, value: dict[str, object] | None) -> str:
        return described_values(value or {})

    class Meta:
        model = Objection
        fields = ("id", "enterprise", "reason", "evidence", "corrected_values", "state")
        orderable = False
        attrs = {"data-testid": "objections"}


class PolicyColumn(tables.Column):
    """What one differentiated policy gives the row's enterprise (its run's scheme, the grade it
    is managed as, its consecutive years in it); amounts as numbers in the file."""

    def __init__(self, code: str, header: str, surcharge: bool) -> None:
        super().__init__(
            verbose_name=header, accessor="pk", empty_values=(), attrs=NUM if surcharge else {}
        )
        self.code, self.surcharge = code, surcharge

    def value(self, record: EvaluationResult, table: "PolicyTable") -> float | str:
        assert table.scheme is not None  # a table with rows has its run's scheme
        policy = table.policies[self.code]
        return applied(table.scheme, policy, record.managed_grade, record.years_in_grade)

    def render(self, record: EvaluationResult, table: "PolicyTable") -> str:
        value = self.value(record, table)
        if self.surcharge:
            return f"{value:g}" if value else "不加价"
        return str(value) or "—"


class PolicyTable(tables.Table):
    """A run's enterprises with the differentiated policies their grade brings; a column per
    policy of the run's scheme (``for_document``)."""

    enterprise = tables.Column(verbose_name="企业", accessor="enterprise__name", orderable=True)
    uscc = tables.Column(verbose_name="统一社会信用代码", accessor="enterprise__uscc")
    zone = tables.Column(verbose_name="开发区", accessor="zone__name", orderable=True)
    managed_grade = tables.Column(verbose_name="管理等级", orderable=True)
    years_in_grade = tables.Column(verbose_name="连续同等级年数", attrs=NUM, default="")

    class Meta:
        model = EvaluationResult
        fields = ("enterprise", "uscc", "zone", "managed_grade", "years_in_grade")
        orderable = False
        attrs = {"data-testid": "policies"}

    def __init__(self, *args: Any, document: SchemeDocument | None = None, **kwargs: Any) -> None:
        """``document``: the run's scheme, whose policies the columns apply (None only when the
        list reads the table's columns, without rows)."""
        super().__init__(*args, **kwargs)
        self.scheme = document
        self.policies = {policy.code: policy for policy in document.policies} if document else {}

    @classmethod
    def for_document(cls, doc: SchemeDocument) -> type["PolicyTable"]:
        return _with_policies(
            tuple((p.code, policy_header(p), p.kind == "surcharge") for p in doc.policies)
        )


@cache
def _with_policies(policies: tuple[tuple[str, str, bool], ...]) -> type[PolicyTable]:
    """One table class per set of policies (code, header, whether a surcharge), made once: the
    list keeps its sortable columns by the class."""
    columns = {
        f"policy_{code}": PolicyColumn(code, header, surcharge)
        for code, header, surcharge in policies
    }
    return type("PolicyTable", (PolicyTable,), {**columns, "Meta": PolicyTable.Meta})
