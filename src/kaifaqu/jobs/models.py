import uuid
from datetime import datetime
from pathlib import PurePosixPath
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.access.scope import owner_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.jobs.choices import ACTIVE_STATES, Cadence, JobState
from kaifaqu.jobs.clock import next_occurrence
from kaifaqu.jobs.registry import JOB_KINDS, Fact, schedulable_kinds


class JobQuerySet(models.QuerySet["Job"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
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
        return f"{self.label} {self.created:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return JOB_KINDS[self.kind].label

    @property
    def facts(self) -> list[Fact]:
        """What the finished job did, in Chinese, with links to what it made."""
        return JOB_KINDS[self.kind].describe(self) if self.result else []

    @property
    def file_link(self) -> Fact | None:
        """The file the job wrote (a long list's export), to download."""
        if not self.result_file:
            return None
        name = PurePosixPath(self.result_file.name or "").name
        return Fact("下载文件", name, reverse("jobs:file", args=[self.pk]))

    @property
    def result_links(self) -> list[Fact]:
        """Where a finished job's result is: what its facts link to (the ranking, the report's
        downloads, the import batch) and the file it wrote, as its page links them."""
        links = [fact for fact in self.facts if fact.url]
        return links + ([self.file_link] if self.file_link else [])

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class Schedule(models.Model):
    """When a schedulable job kind runs by itself: daily at HH:MM or hourly at :MM, Asia/Shanghai.

    The worker starts the job once per period as the system account (``jobs.periodic``);
    ``next_run`` is when it is due next, ``last_run`` when it last started.
    """

    kind = models.CharField("任务类型", max_length=48, choices=schedulable_kinds)
    cadence = models.CharField("周期", max_length=8, choices=Cadence.choices)
    hour = models.PositiveSmallIntegerField(
        "时", default=0, validators=[MaxValueValidator(23)], help_text="每天运行时的钟点(北京时间)"
    )
    minute = models.PositiveSmallIntegerField("分", default=0, validators=[MaxValueValidator(59)])
    enabled = models.BooleanField("启用", default=True)
    last_run = models.DateTimeField("上次运行", null=True, editable=False)
    next_run = models.DateTimeField("下次运行", null=True, editable=False)
    last_job = models.ForeignKey(
        Job,
        verbose_name="上次任务",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["kind", "cadence", "hour", "minute"]

    def __str__(self) -> str:
        return f"{self.label} {self.describe}"

    @property
    def label(self) -> str:
        kind = JOB_KINDS.get(self.kind)
        return kind.label if kind is not None else self.kind

    @property
    def describe(self) -> str:
        if self.cadence == Cadence.HOURLY:
            return f"每小时第 {self.minute:02d} 分"
        return f"每天 {self.hour:02d}:{self.minute:02d}"

    def next_after(self, after: datetime) -> datetime:
        """When the schedule fires next after ``after`` (Asia/Shanghai)."""
        return next_occurrence(self.cadence, self.hour, self.minute, after)


class WorkerBeat(models.Model):
    """A running ``kaifaqu worker``'s last sign of life, idle or busy (``/readyz`` reads it).

    A job's own heartbeat tells only while it runs; this one tells that some worker is polling the
    queue at all, so a server whose workers all stopped is seen before jobs pile up.
    """

    worker_id = models.CharField("进程编号", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    seen = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = "任务进程心跳"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"
