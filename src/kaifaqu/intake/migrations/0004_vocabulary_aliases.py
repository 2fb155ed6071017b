from django.db import migrations

# The default aliases became the vocabulary's (kaifaqu.vocabulary); 0002 seeded a database from
# the table as it was then. New: the old label of 研发经费支出, the offline evaluation's names, and
# names one kind had that now serve every kind with the column. A bureau's own rows stay as they are.
NEW = [
    ("enterprise-years", "rd_expenditure", "R&D经费支出"),
    ("enterprises", "first_above_scale_year", "首次升规年份"),
    ("enterprises", "name", "纳税人名称"),
    ("zones", "code", "所在开发区代码"),
]


def add(apps, schema_editor):
    alias = apps.get_model("intake", "HeaderAlias")
    alias.objects.bulk_create(
        (alias(kind=kind, column=column, alias=text) for kind, column, text in NEW),
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_yearly_reference_aliases")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
