import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from kaifaqu.enterprises.models import Enterprise


class EnterpriseTable(tables.Table):
    uscc = tables.Column(verbose_name="统一社会信用代码", orderable=True)
    name = tables.Column(verbose_name="企业名称", linkify=True, orderable=True)
    zone = tables.Column(verbose_name="开发区", order_by="zone__code", orderable=True)
    industry = tables.Column(verbose_name="行业")
    status = tables.Column(verbose_name="经营状态")
    registration_date = tables.DateColumn(verbose_name="成立日期", format="Y-m-d", orderable=True)
    tags = tables.Column(verbose_name="标签", empty_values=())

    class Meta:
        model = Enterprise
        fields = ("uscc", "name", "zone", "industry", "status", "registration_date", "tags")
        orderable = False

    def render_status(self, record: Enterprise) -> SafeString:
        return format_html(
            '<span class="status-{}">{}</span>', record.status, record.get_status_display()
        )

    def render_industry(self, record: Enterprise) -> str:
        return record.industry.name if record.industry else "—"

    def render_tags(self, record: Enterprise) -> SafeString:
        return format_html_join(
            "", '<span class="tag">{}</span>', ((tag.name,) for tag in record.tags.all())
        )
