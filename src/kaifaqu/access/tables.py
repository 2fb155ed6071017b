"""The audit console's tables: the change log in words (``audit/readable.py``), and the
security and domain events."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django_tables2.utils import A

from kaifaqu.audit import readable
from kaifaqu.audit.models import DomainEvent, ObjectChange, SecurityEvent


class ChangeTable(tables.Table):
    """One row per write; the page shows what changed, the file both whole snapshots."""

    time = tables.DateTimeColumn(
        verbose_name="时间",
        format="Y-m-d H:i:s",
        orderable=True,
        linkify=("audit:change", [A("pk")]),
    )
    username = tables.Column(verbose_name="用户", orderable=True)
    role = tables.Column(verbose_name="角色")
    ip = tables.Column(verbose_name="IP地址", visible=False)
    channel = tables.Column(verbose_name="来源")
    request_id = tables.Column(verbose_name="请求编号", visible=False)
    action = tables.Column(verbose_name="操作")
    model = tables.Column(verbose_name="对象类型", accessor="content_type", empty_values=())
    object_id = tables.Column(verbose_name="对象编号", visible=False)
    object_repr = tables.Column(verbose_name="对象")
    changes = tables.Column(verbose_name="变更内容", empty_values=(), exclude_from_export=True)
    before = tables.Column(verbose_name="修改前", visible=False, empty_values=())
    after = tables.Column(verbose_name="修改后", visible=False, empty_values=())

    class Meta:
        model = ObjectChange
        fields = ()
        orderable = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role_names = readable.role_names()

    def render_role(self, value: str) -> str:
        return self.role_names.get(value, value)

    def render_channel(self, value: str) -> str:
        return readable.CHANNEL_LABELS.get(value, value)

    def render_action(self, record: ObjectChange) -> str:
        return record.get_action_display()

    def render_model(self, record: ObjectChange) -> str:
        return readable.model_label(record)

    def render_changes(self, record: ObjectChange) -> SafeString:
        return format_html(
            '<ul class="diff">{}</ul>',
            format_html_join(
                "",
                "<li><span class='field'>{}</span> <del>{}</del> → <ins>{}</ins></li>",
                readable.differences(record),
            ),
        )

    def render_before(self, record: ObjectChange) -> str:
        return readable.snapshot_text(record, record.before)

    def render_after(self, record: ObjectChange) -> str:
        return readable.snapshot_text(record, record.after)


class SecurityEventTable(tables.Table):
    time = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s", orderable=True)
    kind = tables.Column(verbose_name="事件")
    username = tables.Column(verbose_name="用户", orderable=True)
    ip = tables.Column(verbose_name="IP地址")
    path = tables.Column(verbose_name="路径")
    detail = tables.Column(verbose_name="说明")

    class Meta:
        model = SecurityEvent
        fields = ()
        orderable = False

    def render_kind(self, record: SecurityEvent) -> str:
        return record.get_kind_display()


class DomainEventTable(tables.Table):
    time = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s", orderable=True)
    summary = tables.Column(verbose_name="摘要")
    username = tables.Column(verbose_name="用户", orderable=True)
    request_id = tables.Column(verbose_name="请求编号", visible=False)

    class Meta:
        model = DomainEvent
        fields = ()
        orderable = False
