import django_tables2 as tables

from kaifaqu.notifications.models import Notification


class NotificationTable(tables.Table):
    state = tables.TemplateColumn(
        template_name="notifications/includes/state_cell.html", verbose_name="状态"
    )
    kind = tables.Column(verbose_name="类型")
    title = tables.TemplateColumn(
        template_name="notifications/includes/title_cell.html", verbose_name="标题"
    )
    body = tables.Column(verbose_name="内容")
    created = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i", orderable=True)

    class Meta:
        model = Notification
        fields = ("state", "kind", "title", "body", "created")
        orderable = False
