from django.db import migrations

# Data: the system administrator changes them in the admin.
SLA = [("simple", 3), ("normal", 10), ("complex", 30)]
CATEGORY_COMPLEXITY = [
    ("land", "complex"),
    ("labour", "normal"),
    ("finance", "normal"),
    ("policy", "normal"),
    ("approval", "normal"),
    ("utilities", "simple"),
    ("environment", "normal"),
    ("other", "normal"),
]
SCHEDULE = ("servicerequests_auto_close", "daily", 2, 0)


def create(apps, schema_editor):
    sla = apps.get_model("servicerequests", "ComplexitySla")
    default = apps.get_model("servicerequests", "CategoryDefault")
    for complexity, days in SLA:
        sla.objects.create(complexity=complexity, working_days=days)
    for category, complexity in CATEGORY_COMPLEXITY:
        default.objects.create(category=category, complexity=complexity)
    apps.get_model("servicerequests", "RequestRules").objects.create()
    job, cadence, hour, minute = SCHEDULE
    apps.get_model("jobs", "Schedule").objects.create(
        kind=job, cadence=cadence, hour=hour, minute=minute
    )


def remove(apps, schema_editor):
    apps.get_model("jobs", "Schedule").objects.filter(kind=SCHEDULE[0]).delete()
    for name in ("ComplexitySla", "CategoryDefault", "RequestRules"):
        apps.get_model("servicerequests", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0001_initial"),
        ("supervision", "0002_defaults"),
        ("jobs", "0004_worker_beat"),
    ]

    operations = [migrations.RunPython(create, remove)]
