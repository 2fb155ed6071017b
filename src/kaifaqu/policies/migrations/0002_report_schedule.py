from django.db import migrations

# The nightly opening of recurring tasks' reports: data, a bureau changes it in the admin.
SCHEDULE = ("policy_reports", "daily", 0, 30)


def create(apps, schema_editor):
    job, cadence, hour, minute = SCHEDULE
    apps.get_model("jobs", "Schedule").objects.create(
        kind=job, cadence=cadence, hour=hour, minute=minute
    )


def remove(apps, schema_editor):
    apps.get_model("jobs", "Schedule").objects.filter(kind=SCHEDULE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0001_initial"),
        ("supervision", "0002_defaults"),
        ("jobs", "0004_worker_beat"),
    ]

    operations = [migrations.RunPython(create, remove)]
