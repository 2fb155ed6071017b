from django.db import migrations

# The daily digest's default time (Beijing time); the system administrator changes it, or turns
# the digest off, in the admin.
KIND, CADENCE, HOUR, MINUTE = "notification_digest", "daily", 8, 0


def create(apps, schema_editor):
    schedule = apps.get_model("jobs", "Schedule")
    schedule.objects.create(kind=KIND, cadence=CADENCE, hour=HOUR, minute=MINUTE)


def remove(apps, schema_editor):
    apps.get_model("jobs", "Schedule").objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_notification"),
        ("jobs", "0003_default_schedules"),
    ]

    operations = [migrations.RunPython(create, remove)]
