from django.contrib.auth.hashers import make_password
from django.db import migrations

# code, name, kind, binding, actions. Roles are data: administrators edit them afterwards.
ROLES = [
    ("province_analyst", "省商务厅分析员", "business", "region", ["view", "change"]),
    ("province_manager", "省商务厅管理员", "business", "region", ["view", "change", "publish"]),
    ("city_analyst", "市商务局分析员", "business", "region", ["view", "change"]),
    ("city_manager", "市商务局管理员", "business", "region", ["view", "change", "publish"]),
    ("zone_analyst", "开发区管委会分析员", "business", "zone", ["view", "change"]),
    ("zone_manager", "开发区管委会管理员", "business", "zone", ["view", "change", "publish"]),
    ("leadership", "领导(只读)", "business", "region", ["view"]),
    ("enterprise_user", "企业用户", "business", "enterprise", ["view"]),
    ("system_admin", "系统管理员", "system_admin", "region", []),
    ("security_admin", "安全管理员", "security_admin", "region", []),
    ("audit_admin", "审计管理员", "audit_admin", "region", []),
]


def create(apps, schema_editor):
    role = apps.get_model("access", "Role")
    for code, name, kind, binding, actions in ROLES:
        role.objects.create(code=code, name=name, kind=kind, binding=binding, actions=actions)
    # The built-in account that writes without --as are recorded under; it cannot log in.
    user = apps.get_model("auth", "User")
    user.objects.get_or_create(
        username="system",
        defaults={"is_superuser": True, "first_name": "系统", "password": make_password(None)},
    )


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
