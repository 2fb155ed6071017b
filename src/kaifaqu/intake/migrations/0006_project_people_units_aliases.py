from django.db import migrations

# The project import's new columns (项目负责人, 牵头单位, 产业集群项目包, 项目阶段) and their
# vocabulary aliases; 0002 seeded a database from the table as it was then. A bureau's own rows
# stay as they are.
NEW = [
    ("investment-projects", "person_in_charge", "负责人"),
    ("investment-projects", "person_in_charge", "专人负责人"),
    ("investment-projects", "lead_unit", "责任单位"),
    ("investment-projects", "lead_unit", "牵头责任单位"),
    ("investment-projects", "package", "项目包"),
    ("investment-projects", "stage", "阶段"),
]


def add(apps, schema_editor):
    alias = apps.get_model("intake", "HeaderAlias")
    alias.objects.bulk_create(
        (alias(kind=kind, column=column, alias=text) for kind, column, text in NEW),
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0005_investment_import_kinds")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
