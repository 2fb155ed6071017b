from django.db import migrations

# kind, cadence, hour, minute: the schedules a new installation starts with; the system
# administrator changes the times, or turns one off, in the admin.
DEFAULTS = [
    ("zone_summaries", "daily", 2, 0),
    ("import_cleanup", "daily", 3, 0),
]


def create(apps, schema_editor):
    schedule = apps.get_model("jobs", "Schedule")
    for kind, cadence, hour, minute in DEFAULTS:
        schedule.objects.create(kind=kind, cadence=cadence, hour=hour, minute=minute)


def remove(apps, schema_editor):
    schedule = apps.get_model("jobs", "Schedule")
    schedule.objects.filter(kind__in=[kind for kind, *_ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_schedule")]

    operations = [migrations.RunPython(create, remove)]
