import django_tables2 as tables
from django_tables2.utils import A

from kaifaqu.intake.models import ImportBatch

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ImportBatchTable(tables.Table):
    file_name = tables.Column(
        verbose_name="文件", linkify=("intake:batch", [A("pk")]), orderable=True
    )
    kind = tables.Column(verbose_name="类型", orderable=True)
    state = tables.Column(verbose_name="状态", orderable=True)
    created = tables.DateTimeColumn(verbose_name="上传时间", format="Y-m-d H:i", orderable=True)
    inserted = tables.Column(verbose_name="新增", accessor=A("counts__insert"), attrs=NUM)
    updated = tables.Column(verbose_name="更新", accessor=A("counts__update"), attrs=NUM)
    unchanged = tables.Column(verbose_name="无变化", accessor=A("counts__unchanged"), attrs=NUM)
    errors = tables.Column(verbose_name="错误", accessor=A("counts__errors"), attrs=NUM)

    class Meta:
        model = ImportBatch
        fields = ("file_name", "kind", "state", "created")
        orderable = False
