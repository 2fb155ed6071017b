from django.db import migrations

# Added to data/header_aliases.csv with the yearly files' reference and ignored columns; 0002
# seeded a database from the file as it was then. A bureau's own rows are left as they are.
NEW = [
    ("enterprise-years", "name", "单位名称"),
    ("enterprise-years", "name", "企业名"),
    ("enterprise-years", "name", "纳税人名称"),
    ("enterprise-years", "zone", "所在开发区代码"),
    ("enterprise-years", "industry", "国民经济行业代码"),
    ("enterprise-years", "industry", "行业大类代码"),
    ("enterprise-years", "row_number", "编号"),
    ("enterprise-years", "remarks", "说明"),
]


def add(apps, schema_editor):
    alias = apps.get_model("intake", "HeaderAlias")
    alias.objects.bulk_create(
        (alias(kind=kind, column=column, alias=text) for kind, column, text in NEW),
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_default_header_aliases")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
