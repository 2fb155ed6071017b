from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from kaifaqu.access.choices import Binding, RoleKind
from kaifaqu.catalog.models import Region


class Role(models.Model):
    """A role is data: administrators add roles and choose what they may do."""

    code = models.SlugField("角色代码", max_length=32, unique=True)
    name = models.CharField("角色名称", max_length=32)
    kind = models.CharField("角色类别", max_length=16, choices=RoleKind.choices)
    binding = models.CharField("绑定对象", max_length=10, choices=Binding.choices)
    actions = models.JSONField("允许的操作", default=list, help_text='如 ["view", "change"]')

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    def allows(self, action: str) -> bool:
        return action in self.actions


class Profile(models.Model):
    """A user's roles and the region, zones or enterprise they are bound to.

    One business role and at most one of the three administrator roles: because ``admin_role`` is a
    single field, no account can hold two of 系统管理员, 安全管理员 and 审计管理员 (三员分立).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="profile",
    )
    role = models.ForeignKey(
        Role,
        verbose_name="业务角色",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": RoleKind.BUSINESS},
    )
    admin_role = models.ForeignKey(
        Role,
        verbose_name="管理员角色(三员)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=~models.Q(kind=RoleKind.BUSINESS),
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区划", null=True, blank=True, on_delete=models.PROTECT
    )
    zones = models.ManyToManyField("zones.Zone", verbose_name="所属开发区", blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=True)

    class Meta:
        verbose_name = "用户档案"
        verbose_name_plural = "用户档案"

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        if self.role is not None and self.role.kind != RoleKind.BUSINESS:
            raise ValidationError({"role": "业务角色只能选择业务类角色"})
        if self.admin_role is not None and self.admin_role.kind == RoleKind.BUSINESS:
            raise ValidationError({"admin_role": "管理员角色只能选择三员之一"})
        binding = self.role.binding if self.role else None
        if binding == Binding.REGION and self.region is None:
            raise ValidationError({"region": "该角色须绑定行政区划"})
        if binding == Binding.ENTERPRISE and self.enterprise_id is None:
            raise ValidationError({"enterprise": "企业用户须绑定所属企业"})


class TOTPDevice(models.Model):
    """A user's optional second factor: an authenticator app's time-based one-time password."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="totp"
    )
    secret = models.CharField("密钥(Base32)", max_length=64)
    confirmed = models.BooleanField("已启用", default=False)
    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "动态口令设备"
        verbose_name_plural = "动态口令设备"

    def __str__(self) -> str:
        return f"{self.user} 动态口令"


class ApiToken(models.Model):
    """A key a system uses for ``/api/v1/`` on a user's behalf (``Authorization: Token <key>``).

    Only the key's SHA-256 is stored: the key itself is shown once, when it is made. A user may hold
    several (one per system that calls in), each with a name, an expiry and its last use.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("名称", max_length=64, help_text="调用方系统,如「12345 热线平台」")
    key_hash = models.CharField("令牌摘要(SHA-256)", max_length=64, unique=True, editable=False)
    created = models.DateTimeField("创建时间", auto_now_add=True)
    expires = models.DateTimeField("到期时间")
    last_used = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"
