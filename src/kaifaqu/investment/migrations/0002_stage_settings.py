from decimal import Decimal

from django.db import migrations

# stage, expected days in it (None: no limit), probability that a project in it lands (开工落地).
# METHODS §6 gives no figures: these are working defaults the system administrator adjusts.
DEFAULTS = [
    ("lead", 30, "0.050"),
    ("reserve", 90, "0.150"),
    ("negotiating", 120, "0.350"),
    ("signed", 60, "0.750"),
    ("registered", 90, "0.850"),
    ("started", 365, "1.000"),
    ("producing", 365, "1.000"),
    ("operating", None, "1.000"),
    ("paused", 180, "0.100"),
    ("terminated", None, "0.000"),
]


def create(apps, schema_editor):
    setting = apps.get_model("investment", "StageSetting")
    for stage, days, probability in DEFAULTS:
        setting.objects.create(
            stage=stage, expected_days=days, win_probability=Decimal(probability)
        )


def remove(apps, schema_editor):
    apps.get_model("investment", "StageSetting").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("investment", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
