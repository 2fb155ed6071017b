"""A covering index on the stage history by province and project, built concurrently: the
history is the biggest 招商 table (1.5 M rows at national scale), and writers go on while it is
built."""

from django.db import migrations, models

from kaifaqu.core.operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("investment", "0007_light_rule_sets")]

    operations = [
        AddIndexConcurrently(
            model_name="stagechange",
            index=models.Index(
                fields=["province_code", "project"],
                include=("to_stage", "from_stage", "occurred_on", "kind", "id"),
                name="stagechange_province_cover",
            ),
        ),
    ]
