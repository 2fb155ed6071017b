from django.contrib.auth.hashers import make_password
from django.db import migrations

ROLES = [
    ("province_analyst", "省级分析员", "region", ["view", "change"]),
    ("zone_user", "开发区管委会用户", "zone", ["view", "change"]),
]


def create(apps, schema_editor):
    role = apps.get_model("access", "Role")
    for code, name, binding, actions in ROLES:
        role.objects.create(code=code, name=name, binding=binding, actions=actions)
    # The built-in account that writes without --as are recorded under; it cannot log in.
    user = apps.get_model("auth", "User")
    user.objects.get_or_create(
        username="system",
        defaults={"is_superuser": True, "first_name": "系统", "password": make_password(None)},
    )


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
