"""The supervised items of the policy tasks confirmed before an item named its subject: each RW
item gets its task as subject, so its page links back to the task. Batched (``atomic = False``)
and filtered on what is still to do, so a run stopped halfway carries on."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from kaifaqu.core.bulk import backfill_in_batches


def backfill(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    item = apps.get_model("supervision", "SupervisedItem")
    task = apps.get_model("policies", "PolicyTask")
    todo = item.objects.filter(policy_task__isnull=False, subject_id__isnull=True)
    if not todo.exists():
        return
    task_type, _ = content_type.objects.get_or_create(app_label="policies", model="policytask")
    backfill_in_batches(
        todo,
        subject_type_id=task_type.pk,
        subject_id=Subquery(task.objects.filter(item_id=OuterRef("pk")).values("pk")[:1]),
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("policies", "0002_report_schedule"),
        ("supervision", "0004_logkind_reopened"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
