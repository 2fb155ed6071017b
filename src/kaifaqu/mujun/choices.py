"""Vocabulary of the 亩均 app: run stages, result statuses, objection states, points entries."""

from django.db import models

from kaifaqu.mujun.statuses import LABELS, Status


class RunState(models.TextChoices):
    QUEUED = "queued", "计算中"
    FAILED = "failed", "计算失败"
    DRAFT = "draft", "草稿"
    PUBLICITY = "publicity", "公示中"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被更正版取代"


# A run's results are out to the enterprises they name from 公示 on.
PUBLIC_STATES = (RunState.PUBLICITY, RunState.PUBLISHED, RunState.SUPERSEDED)


ResultStatus = models.TextChoices(  # type: ignore[call-overload]  # labels from LABELS
    "ResultStatus", [(status.name, (status.value, LABELS[status])) for status in Status]
)


class ObjectionState(models.TextChoices):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class PointsKind(models.TextChoices):
    """A bureau-entered points entry: added to the total or deducted from it (METHODS §1.3)."""

    BONUS = "bonus", "加分"
    PENALTY = "penalty", "扣分"


# The scheme's rule column each kind of entry feeds, summed per enterprise and year.
POINTS_COLUMNS: dict[str, str] = {
    PointsKind.BONUS: "bonus_points",
    PointsKind.PENALTY: "penalty_points",
}


# Record fields an objection may ask to correct (EnterpriseYear fields the schemes read).
CORRECTABLE_FIELDS = (
    "tax_paid",
    "value_added",
    "operating_revenue",
    "main_business_revenue",
    "land_area_mu",
    "energy_tce",
    "electricity_10k_kwh",
    "rd_expenditure",
    "avg_employees",
)
