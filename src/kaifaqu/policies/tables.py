import django_tables2 as tables

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
