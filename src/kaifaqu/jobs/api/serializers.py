from rest_framework import serializers

from kaifaqu.jobs.models import Job


class JobProgressSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A job as the object it computes shows it: how far it is and how it ended."""

    percent = serializers.IntegerField(allow_null=True, help_text="完成百分比;总量未知时为 null")

    class Meta:
        model = Job
        fields = ["id", "state", "done", "total", "percent", "message", "error", "finished"]
        read_only_fields = fields
