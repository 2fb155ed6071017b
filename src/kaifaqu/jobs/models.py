import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models

from kaifaqu.access.scope import owner_condition
from kaifaqu.jobs.choices import ACTIVE_STATES, JobState
from kaifaqu.jobs.registry import JOB_KINDS


class JobQuerySet(models.QuerySet["Job"]):
    def restrict(self, user: Any, action: str = "view") -> Self:
        """A job and its result belong to the user who started it."""
        return self.filter(owner_condition(user, owner="user"))


class Job(models.Model):
    """A unit of background work: what it computes, who asked, how far it is, how it ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("任务类型", max_length=48)
    key = models.CharField("幂等键", max_length=64, db_index=True)
    params = models.JSONField("参数", default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT
    )
    request_id = models.UUIDField("请求编号")
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总量", null=True)
    message = models.CharField("进度说明", max_length=200, blank=True)
    result = models.JSONField("结果摘要", null=True)
    result_file = models.FileField("结果文件", upload_to="jobs/%Y/%m/", blank=True)
    error = models.TextField("错误说明", blank=True)
    created = models.DateTimeField("提交时间", auto_now_add=True)
    started = models.DateTimeField("开始时间", null=True)
    finished = models.DateTimeField("结束时间", null=True)
    heartbeat = models.DateTimeField("最近心跳", null=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return JOB_KINDS[self.kind].label

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
