from typing import Any

import django_tables2 as tables

from kaifaqu.policies.choices import TaskStatus
from kaifaqu.policies.inspection import deadline_text, progress_text, units_text
from kaifaqu.policies.models import PolicyDocument, PolicyTask

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class PolicyDocumentTable(tables.Table):
    title = tables.Column(verbose_name="标题", linkify=True, orderable=True)
    doc_number = tables.Column(verbose_name="文号", default="—")
    issuer = tables.Column(verbose_name="发文机关", default="—")
    issued = tables.DateColumn(verbose_name="发文日期", format="Y-m-d", default="—", orderable=True)
    region = tables.Column(verbose_name="适用区划")

    class Meta:
        model = PolicyDocument
        fields = ("title", "doc_number", "issuer", "issued", "region")
        orderable = False


class PolicyTaskTable(tables.Table):
    number = tables.Column(
        verbose_name="编号",
        accessor="item__number",
        linkify=lambda record: record.get_absolute_url(),
    )
    heading = tables.Column(verbose_name="措施", accessor="proposal__heading")
    document = tables.Column(verbose_name="文件")
    lead_unit = tables.Column(verbose_name="牵头单位")
    state = tables.Column(verbose_name="办理状态", accessor="item__state")
    deadline = tables.DateColumn(
        verbose_name="完成时限", accessor="item__deadline", format="Y-m-d", default="—"
    )
    recurrence = tables.Column(verbose_name="报送周期", default="—")

    class Meta:
        model = PolicyTask
        fields = ("number", "heading", "document", "lead_unit", "state", "deadline", "recurrence")
        orderable = False

    def render_state(self, record: PolicyTask) -> str:
        return str(record.item.get_state_display())

    def render_recurrence(self, record: PolicyTask) -> str:
        return str(record.get_recurrence_display())


class InspectionTable(tables.Table):
    """The 督查 list, its rows ``with_status``; its export is the 督查通报 in the bureau's layout:
    文件, 措施, 责任单位, 时限, 进展, 状态."""

    number = tables.Column(
        verbose_name="编号",
        accessor="item__number",
        linkify=lambda record: record.get_absolute_url(),
        exclude_from_export=True,
    )
    document = tables.Column(verbose_name="文件", empty_values=())
    heading = tables.Column(verbose_name="措施", accessor="proposal__heading")
    units = tables.Column(verbose_name="责任单位", empty_values=())
    deadline = tables.Column(verbose_name="时限", empty_values=())
    progress = tables.Column(verbose_name="进展", empty_values=())
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = PolicyTask
        fields = ("number", "document", "heading", "units", "deadline", "progress", "status")
        orderable = False
        attrs = {"data-testid": "inspection-rows"}

    def render_document(self, record: PolicyTask) -> str:
        number = record.document.doc_number
        return record.document.title + (f"({number})" if number else "")

    def render_units(self, record: PolicyTask) -> str:
        return units_text(record)

    def render_deadline(self, record: PolicyTask) -> str:
        return deadline_text(record)

    def render_progress(self, record: Any) -> str:
        return progress_text(record.latest_period, record.latest_text, record.latest_submitted)

    def render_status(self, value: str) -> str:
        return str(TaskStatus(value).label)
