from django.conf import settings
from django.db import models

from kaifaqu.access.choices import Binding
from kaifaqu.catalog.models import Region


class Role(models.Model):
    """A role is data: administrators add roles and choose what they may do."""

    code = models.SlugField("角色代码", max_length=32, unique=True)
    name = models.CharField("角色名称", max_length=32)
    binding = models.CharField("绑定对象", max_length=8, choices=Binding.choices)
    actions = models.JSONField("允许的操作", default=list, help_text='如 ["view", "change"]')

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def allows(self, action: str) -> bool:
        return action in self.actions


class UserScope(models.Model):
    """A user's role and the region (province, city or county) or zones it is bound to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="scope",
    )
    role = models.ForeignKey(Role, verbose_name="角色", on_delete=models.PROTECT)
    region = models.ForeignKey(
        Region, verbose_name="所属区划", null=True, blank=True, on_delete=models.PROTECT
    )
    zones = models.ManyToManyField("zones.Zone", verbose_name="所属开发区", blank=True)

    class Meta:
        verbose_name = "用户范围"
        verbose_name_plural = "用户范围"

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"
