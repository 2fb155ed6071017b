import django_tables2 as tables

from kaifaqu.vocabulary import ZONE
from kaifaqu.zones.models import Zone


class ZoneTable(tables.Table):
    code = tables.Column(verbose_name="代码", orderable=True)
    name = tables.Column(verbose_name="开发区名称", linkify=True, orderable=True)
    kind = tables.Column(verbose_name="类型")
    region = tables.Column(verbose_name="所在区划")
    comparison_group = tables.Column(verbose_name="比较组")
    approved_area_km2 = tables.Column(
        verbose_name=ZONE["approved_area_km2"].header,
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
        orderable=True,
    )
    approval_date = tables.DateColumn(verbose_name="批准日期", format="Y-m-d", orderable=True)

    class Meta:
        model = Zone
        fields = ("code", "name", "kind", "region", "comparison_group", "approved_area_km2")
        orderable = False
