"""Django permissions that follow the 等保 administrator roles.

The system administrator manages users, roles and profiles in the admin; the security
administrator sees lockouts there. Business data stays with business roles and data stewards."""

from typing import Any

from django.contrib.auth.backends import BaseBackend

from kaifaqu.access.roles import ROLE_PERMISSIONS, admin_kind
from kaifaqu.access.users import ActingUser


class AdminRolePermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj: ActingUser, obj: Any = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(admin_kind(user_obj) or "", frozenset()))

    def has_perm(self, user_obj: ActingUser, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: ActingUser, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
