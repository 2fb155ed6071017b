from django.db import models


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已确认"
    DROPPED = "dropped", "已删除"
    MERGED = "merged", "已合并"


class DeadlineKind(models.TextChoices):
    DATE = "date", "限期完成"
    RECURRING = "recurring", "定期报送"
    STANDING = "standing", "长期坚持"


class Recurrence(models.TextChoices):
    YEARLY = "yearly", "每年"
    QUARTERLY = "quarterly", "每季度"
    MONTHLY = "monthly", "每月"
    PERIODIC = "periodic", "定期"


class CorrectionKind(models.TextChoices):
    UNITS = "units", "修改责任单位"
    DEADLINE = "deadline", "修改时限"
    TARGETS = "targets", "修改目标"
    MERGE = "merge", "合并"
    SPLIT = "split", "拆分"
    CONFIRM = "confirm", "确认"
    DROP = "drop", "删除"


class TaskStatus(models.TextChoices):
    """督查 status of a supervised task, computed from its item and its reports."""

    COMPLETE = "complete", "已完成"
    ON_TRACK = "on_track", "推进中"
    LATE = "late", "逾期完成"
    OVERDUE = "overdue", "逾期未完成"


class MatchMethod(models.TextChoices):
    EXACT = "exact", "名称一致"
    ALIAS = "alias", "别名"
    CLOSEST = "closest", "相近名称"
    COLLECTIVE = "collective", "统称展开"
    NONE = "none", "未匹配"
