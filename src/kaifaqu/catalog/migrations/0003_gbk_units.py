"""Indicator units spelled in characters GBK (CP936) can encode, as the shipped list now has them:
a zone-year template's header carries the unit, and a clerk saves it as a GBK CSV."""

from typing import Any

from django.db import migrations

SPELLED_OUT = {"m³/万元": "立方米/万元", "m²": "平方米", "m³": "立方米", "km²": "平方公里"}


def spell_out(apps: Any, schema_editor: Any) -> None:
    indicator = apps.get_model("catalog", "Indicator")
    for old, new in SPELLED_OUT.items():
        indicator.objects.filter(unit=old).update(unit=new)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_reference_data")]

    operations = [migrations.RunPython(spell_out, migrations.RunPython.noop)]
