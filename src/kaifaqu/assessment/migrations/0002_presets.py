"""The two preset frameworks as read-only rows (version 1 from the files shipped in the package)."""

from django.db import migrations

from kaifaqu.assessment.framework import PRESETS, preset_text


def create(apps, schema_editor):
    framework_model = apps.get_model("assessment", "AssessmentFramework")
    version_model = apps.get_model("assessment", "FrameworkVersion")
    system = apps.get_model("auth", "User").objects.get(username="system")
    for code, name in PRESETS.items():
        framework, _ = framework_model.objects.get_or_create(
            owner=None, code=code, defaults={"name": name}
        )
        version_model.objects.get_or_create(
            framework=framework,
            number=1,
            defaults={"document": preset_text(code), "note": "系统预置", "created_by": system},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("access", "0002_roles_and_system_account"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
