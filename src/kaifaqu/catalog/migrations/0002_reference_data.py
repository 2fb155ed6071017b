from django.db import migrations

from kaifaqu.catalog.reference_data import load_reference_data


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
