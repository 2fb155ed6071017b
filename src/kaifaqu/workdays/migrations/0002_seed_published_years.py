from django.db import migrations

from kaifaqu.workdays.days import rebuild_days
from kaifaqu.workdays.seed import seed


def load(apps, schema_editor):
    year, special, day = (
        apps.get_model("workdays", name) for name in ("CalendarYear", "SpecialDay", "Day")
    )
    seed(year, special)
    rebuild_days(day, special, year)


def unload(apps, schema_editor):
    for name in ("Day", "SpecialDay", "CalendarYear"):
        apps.get_model("workdays", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
