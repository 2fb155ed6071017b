from decimal import Decimal

from django.db import migrations

# KPI, standard value, source (seed 001 items 1–3; METHODS §6). Rates in %.
STANDARDS = [
    ("sign_conversion_period", "50", "招商储备项目签约转化率不低于50%"),
    ("leading_share", "30", "主导产业项目签约占比不低于30%"),
    ("same_year_start", "30", "当年签约当年开工率不低于30%"),
]
# zone kind, label, amount in 万元, inclusive (以上) or not (超), at least this many a year.
FLOORS = [
    ("national_etdz", "超50亿元", "500000", False, 1),
    ("national_htz", "超50亿元", "500000", False, 1),
    ("provincial_edz", "超20亿元", "200000", False, 1),
    ("provincial_htz", "超20亿元", "200000", False, 1),
]
SCHEDULE = ("investment_lights", "daily", 4, 0)


def create(apps, schema_editor):
    standard = apps.get_model("investment", "KpiStandard")
    floor = apps.get_model("investment", "ProjectSizeFloor")
    for kpi, value, source in STANDARDS:
        standard.objects.create(kpi=kpi, value=Decimal(value), source=source)
    for kind, label, amount, inclusive, count in FLOORS:
        floor.objects.create(
            zone_kind=kind,
            label=label,
            amount=Decimal(amount),
            inclusive=inclusive,
            minimum_count=count,
        )
    kind, cadence, hour, minute = SCHEDULE
    apps.get_model("jobs", "Schedule").objects.create(
        kind=kind, cadence=cadence, hour=hour, minute=minute
    )


def remove(apps, schema_editor):
    apps.get_model("jobs", "Schedule").objects.filter(kind=SCHEDULE[0]).delete()
    apps.get_model("investment", "ProjectSizeFloor").objects.all().delete()
    apps.get_model("investment", "KpiStandard").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("investment", "0004_kpi_targets_floors_lights"),
        ("jobs", "0003_default_schedules"),
    ]

    operations = [migrations.RunPython(create, remove)]
