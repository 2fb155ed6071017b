from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User

SUPERUSER_REFUSED = (
    "超级用户只用于在服务器上运行 kaifaqu 命令,不能登录网页;请使用您的业务账号或管理员账号"
)


class SignInRules:
    """What every sign-in form checks after the password: no interactive superuser in production.

    A superuser sees and changes everything, outside every role and region, so in production it
    exists only for ``kaifaqu`` commands on the server (``KAIFAQU_SUPERUSER_WEB_LOGIN``).
    """

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)  # type: ignore[misc]
        if user.is_superuser and not settings.KAIFAQU_SUPERUSER_WEB_LOGIN:
            raise forms.ValidationError(SUPERUSER_REFUSED, code="superuser")


class LoginForm(SignInRules, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": f"用户名或密码错误,请重新输入。连续失败 {settings.AXES_FAILURE_LIMIT} "
            f"次将锁定账户 {minutes} 分钟。",
        }


class AdminLoginForm(SignInRules, AdminAuthenticationForm):
    pass


class UnlockForm(forms.Form):
    """The locked account to unlock."""

    unlock = forms.CharField(max_length=150)


class RevokeForm(forms.Form):
    """The API token to revoke."""

    revoke = forms.IntegerField()


class ResetPasswordForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    temporary_password = forms.CharField(label="临时密码", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = get_user_model().objects.filter(username=data.get("username")).first()
        if user is None:
            raise forms.ValidationError("用户不存在")
        if user.is_superuser:
            raise forms.ValidationError("超级用户的密码不能在此重置")
        password_validation.validate_password(data.get("temporary_password", ""), user)
        data["user"] = user
        return data
