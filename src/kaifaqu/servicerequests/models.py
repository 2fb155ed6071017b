"""Enterprise service requests (企业诉求): what an enterprise asks the government for, filed in its
portal or taken down by the hotline, and chased to closure as a supervised item (kind ``SQ``).

The request holds what is its own — who asks, the category, the complexity that sets its SLA, the
channel, the caller, the external system's reference, the enterprise's rating — and its item holds
the rest (number, units, deadline, state, 督办 log, escalation). Its stage (``Stage``) is read from
the item's state and the rating, never stored twice.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.access.scope import RestrictedQuerySet, scope_filter
from kaifaqu.access.users import ActingUser
from kaifaqu.servicerequests.choices import Category, Channel, Complexity, Rating, Stage
from kaifaqu.supervision.choices import OPEN_STATES, ItemState
from kaifaqu.supervision.models import SupervisedItem


class ComplexitySla(models.Model):
    """The working days a request of one complexity has (data: 简单 3, 一般 10, 复杂 30)."""

    complexity = models.CharField(
        "复杂程度", max_length=10, choices=Complexity.choices, unique=True
    )
    working_days = models.PositiveSmallIntegerField(
        "办理时限(工作日)", validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = "诉求办理时限"
        verbose_name_plural = "诉求办理时限"
        ordering = ["working_days"]

    def __str__(self) -> str:
        return f"{self.get_complexity_display()}:{self.working_days} 个工作日"


class CategoryDefault(models.Model):
    """The complexity a category's requests start with; the dispatcher may change it."""

    category = models.CharField("诉求类别", max_length=12, choices=Category.choices, unique=True)
    complexity = models.CharField("默认复杂程度", max_length=10, choices=Complexity.choices)

    class Meta:
        verbose_name = "诉求类别默认复杂程度"
        verbose_name_plural = "诉求类别默认复杂程度"
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}:{self.get_complexity_display()}"


class RequestRules(models.Model):
    """The rules of the flow that are numbers (data; one row, edited in the admin)."""

    accept_working_days = models.PositiveSmallIntegerField(
        "签收时限(工作日)", default=1, validators=[MinValueValidator(1)]
    )
    rating_working_days = models.PositiveSmallIntegerField(
        "回访评价期限(工作日)",
        default=5,
        validators=[MinValueValidator(1)],
        help_text="答复后超过该期限未评价的诉求自动办结,不计入满意率",
    )
    similar_days = models.PositiveSmallIntegerField(
        "相似诉求比对范围(日)", default=90, validators=[MinValueValidator(1)]
    )
    similar_threshold = models.FloatField(
        "相似度阈值",
        default=0.25,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="诉求内容两字片段的重合度(Jaccard 系数)不低于该值视为相似",
    )

    class Meta:
        verbose_name = "诉求办理规则"
        verbose_name_plural = "诉求办理规则"

    def __str__(self) -> str:
        return "诉求办理规则"

    @classmethod
    def current(cls) -> RequestRules:
        """The one row of rules (the defaults when the administrator has deleted it)."""
        return cls.objects.order_by("pk").first() or cls()


STAGE = Case(
    When(item__state__in=(ItemState.REGISTERED, ItemState.RETURNED), then=Value(Stage.REGISTERED)),
    When(item__state=ItemState.ASSIGNED, then=Value(Stage.ASSIGNED)),
    When(item__state=ItemState.IN_PROGRESS, then=Value(Stage.IN_PROGRESS)),
    When(Q(rating="") & Q(auto_closed=False), then=Value(Stage.REPLIED)),
    default=Value(Stage.CLOSED),
    output_field=models.CharField(),
)


class ServiceRequestQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        """An enterprise user its own enterprise's requests; everyone else the requests whose
        supervised item it sees (its region's or zones', or its unit's work)."""
        items = SupervisedItem.objects.restrict(user, action).values("pk")
        return self.filter(scope_filter(user, action, self.model) | Q(item__in=items))

    def with_stage(self) -> Self:
        return self.annotate(current_stage=STAGE)


class ServiceRequest(RegionalModel):
    item = models.OneToOneField(
        "supervision.SupervisedItem",
        verbose_name="督办事项",
        on_delete=models.PROTECT,
        related_name="service_request",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="开发区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    category = models.CharField("诉求类别", max_length=12, choices=Category.choices)
    complexity = models.CharField("复杂程度", max_length=10, choices=Complexity.choices)
    description = models.TextField("诉求内容")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    caller_name = models.CharField("来电人", max_length=40, blank=True)
    caller_phone = models.CharField("联系电话", max_length=20, blank=True)
    source = models.CharField(
        "来源系统", max_length=40, blank=True, help_text="外部系统推送时的系统名称,如 12345"
    )
    external_ref = models.CharField("外部编号", max_length=64, blank=True)
    filed = models.DateTimeField("登记时间")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField("答复内容", blank=True)
    replied = models.DateTimeField("答复时间", null=True, blank=True)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    rated = models.DateTimeField("评价时间", null=True, blank=True)
    rating_note = models.TextField("评价意见", blank=True)
    reopened = models.PositiveSmallIntegerField("重办次数", default=0)
    auto_closed = models.BooleanField("逾期未评价自动办结", default=False)

    objects = ServiceRequestQuerySet.as_manager()  # type: ignore[misc]

    province_source = "item"
    scope_zone_path: ClassVar[str] = "zone"
    scope_enterprise_path: ClassVar[str] = "enterprise"

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-filed", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~Q(external_ref=""),
                name="servicerequest_unique_source_external_ref",
            )
        ]
        indexes = [models.Index(fields=["filed"], name="servicerequest_filed")]

    def __str__(self) -> str:
        return f"{self.item.number} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("servicerequests:request", args=[self.pk])

    @property
    def stage(self) -> Stage:
        state = self.item.state
        if state in (ItemState.REGISTERED, ItemState.RETURNED):
            return Stage.REGISTERED
        if state == ItemState.ASSIGNED:
            return Stage.ASSIGNED
        if state == ItemState.IN_PROGRESS:
            return Stage.IN_PROGRESS
        return Stage.REPLIED if not self.rating and not self.auto_closed else Stage.CLOSED

    @property
    def is_open(self) -> bool:
        """Not yet answered: registered, dispatched or in progress (again, after 重办)."""
        return self.item.state in OPEN_STATES

    def get_stage_display(self) -> str:
        return str(self.stage.label)
