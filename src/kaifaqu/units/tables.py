import django_tables2 as tables

from kaifaqu.units.models import Unit


class UnitTable(tables.Table):
    name = tables.Column(verbose_name="单位名称", linkify=True)
    kind = tables.Column(verbose_name="类别")
    region = tables.Column(verbose_name="所在区划")
    zone = tables.Column(verbose_name="所属开发区", default="—")
    parent = tables.Column(verbose_name="上级单位", default="—")

    class Meta:
        model = Unit
        fields = ("name", "kind", "region", "zone", "parent")
        orderable = False
