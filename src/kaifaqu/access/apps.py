from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who sees what: roles, the region, zones or enterprise a user is bound to, ``restrict()``,
    and login hardening."""

    name = "kaifaqu.access"
    verbose_name = "权限与安全"

    def ready(self) -> None:
        from kaifaqu.access.permissions import can
        from kaifaqu.access.roles import role_label
        from kaifaqu.access.scope import ensure_all_in_scope, ensure_in_scope, has_business_role
        from kaifaqu.core.policy import AccessPolicy, install

        # The framework below (generic views, API, audited writes, change log) asks through this.
        install(
            AccessPolicy(
                has_business_role=has_business_role,
                ensure_in_scope=ensure_in_scope,
                ensure_all_in_scope=ensure_all_in_scope,
                role_label=role_label,
                can=can,
            )
        )

        # Authentication events only exist as signals; we turn them into security events.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from kaifaqu.access import security

        user_logged_in.connect(security.on_login, dispatch_uid="kaifaqu_login")
        user_logged_out.connect(security.on_logout, dispatch_uid="kaifaqu_logout")
        user_login_failed.connect(security.on_login_failed, dispatch_uid="kaifaqu_login_failed")
        user_locked_out.connect(security.on_locked_out, dispatch_uid="kaifaqu_locked_out")
