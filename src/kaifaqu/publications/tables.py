import django_tables2 as tables

from kaifaqu.publications.models import Publication


class PublicationTable(tables.Table):
    title = tables.Column(verbose_name="标题", linkify=True, orderable=True)
    kind = tables.Column(verbose_name="类别", orderable=True)
    state = tables.Column(verbose_name="状态")
    published = tables.DateColumn(
        verbose_name="发布时间", format="Y-m-d", default="—", orderable=True
    )

    class Meta:
        model = Publication
        fields = ("title", "kind", "state", "published")
        orderable = False
