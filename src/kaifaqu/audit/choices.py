from django.db import models


class ChangeAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    BULK = "bulk", "批量生成"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGOUT = "logout", "退出登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED_OUT = "locked_out", "账户锁定"
    UNLOCKED = "unlocked", "解除锁定"
    PERMISSION_DENIED = "permission_denied", "越权访问被拒绝"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    PASSWORD_RESET = "password_reset", "管理员重置密码"
    SESSION_EXPIRED = "session_expired", "会话超时"
    OTP_ENABLED = "otp_enabled", "启用动态口令"
    OTP_FAILED = "otp_failed", "动态口令错误"
    OTP_DISABLED = "otp_disabled", "停用动态口令"
