from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Cadence(models.TextChoices):
    DAILY = "daily", "每天"
    HOURLY = "hourly", "每小时"
