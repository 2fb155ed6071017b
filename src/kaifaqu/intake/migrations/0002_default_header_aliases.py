from django.db import migrations

from kaifaqu.intake.aliases import default_aliases


def seed(apps, schema_editor):
    alias = apps.get_model("intake", "HeaderAlias")
    alias.objects.bulk_create(
        alias(kind=kind, column=column, alias=text) for kind, column, text in default_aliases()
    )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
