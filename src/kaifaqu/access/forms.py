from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation


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
