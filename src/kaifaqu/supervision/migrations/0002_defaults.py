from django.db import migrations

# code, name, SLA in working days (None: each item's deadline is given). Data: a bureau changes
# them in the admin.
KINDS = [
    ("SQ", "企业诉求", 10),
    ("ZS", "招商项目", None),
    ("RW", "政策任务", None),
    ("LZ", "链长制议定事项", None),
]
# overdue working days, light, warn the unit, raise one level, list on the 督办 board
RULES = [
    (1, "yellow", True, False, False),
    (3, "red", True, True, True),
]
SCHEDULE = ("supervision_escalation", "daily", 1, 0)


def create(apps, schema_editor):
    kind = apps.get_model("supervision", "ItemKind")
    rule = apps.get_model("supervision", "EscalationRule")
    schedule = apps.get_model("jobs", "Schedule")
    for code, name, sla in KINDS:
        kind.objects.create(code=code, name=name, sla_working_days=sla)
    for days, light, warn, raise_level, board in RULES:
        rule.objects.create(
            overdue_days=days, light=light, warn_unit=warn, raise_level=raise_level, on_board=board
        )
    job, cadence, hour, minute = SCHEDULE
    schedule.objects.create(kind=job, cadence=cadence, hour=hour, minute=minute)


def remove(apps, schema_editor):
    apps.get_model("jobs", "Schedule").objects.filter(kind=SCHEDULE[0]).delete()
    apps.get_model("supervision", "EscalationRule").objects.all().delete()
    apps.get_model("supervision", "ItemKind").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial"), ("jobs", "0003_default_schedules")]

    operations = [migrations.RunPython(create, remove)]
