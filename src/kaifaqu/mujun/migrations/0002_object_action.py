from django.db import migrations

# Enterprise and zone users may file objections to a result during its 公示 ("object").
OBJECTING_ROLES = ("enterprise_user", "zone_analyst", "zone_manager")


def add(apps, schema_editor):
    role = apps.get_model("access", "Role")
    for item in role.objects.filter(code__in=OBJECTING_ROLES):
        if "object" not in item.actions:
            item.actions = [*item.actions, "object"]
            item.save(update_fields=["actions"])


def remove(apps, schema_editor):
    role = apps.get_model("access", "Role")
    for item in role.objects.filter(code__in=OBJECTING_ROLES):
        item.actions = [a for a in item.actions if a != "object"]
        item.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("mujun", "0001_initial"), ("access", "0002_roles_and_system_account")]

    operations = [migrations.RunPython(add, remove)]
