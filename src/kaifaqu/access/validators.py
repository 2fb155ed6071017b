"""Password rules of 等保 level 3 practice; the numbers are settings."""

import string

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", set(string.ascii_uppercase)),
    ("小写字母", set(string.ascii_lowercase)),
    ("数字", set(string.digits)),
    ("特殊字符", set(string.punctuation)),
)


class CharacterClassesValidator:
    """At least ``min_classes`` of upper case, lower case, digits and punctuation."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: User | None = None) -> None:
        present = sum(1 for _, characters in CLASSES if characters & set(password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、特殊字符中的至少{self.min_classes}类。"


class MinimumLengthValidator:
    """Django's rule with a Chinese message (its zh-hans catalog lacks this one)."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码长度太短,至少需要{self.min_length}个字符", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"密码至少{self.min_length}个字符。"
