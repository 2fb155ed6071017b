from django.db import models


class RoleKind(models.TextChoices):
    """Business roles see business data; the three 等保 administrators (三员) are kept apart."""

    BUSINESS = "business", "业务角色"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


class Binding(models.TextChoices):
    """What a role's users are bound to."""

    REGION = "region", "行政区划"
    ZONE = "zone", "开发区"
    ENTERPRISE = "enterprise", "企业"
