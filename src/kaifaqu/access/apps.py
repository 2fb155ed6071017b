from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who sees what: roles, the region, zones or enterprise a user is bound to, ``restrict()``,
    and login hardening."""

    name = "kaifaqu.access"
    verbose_name = "权限与安全"

    def ready(self) -> None:
        # Authentication events only exist as signals; we turn them into security events.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from kaifaqu.access import security

        user_logged_in.connect(security.on_login, dispatch_uid="kaifaqu_login")
        user_logged_out.connect(security.on_logout, dispatch_uid="kaifaqu_logout")
        user_login_failed.connect(security.on_login_failed, dispatch_uid="kaifaqu_login_failed")
        user_locked_out.connect(security.on_locked_out, dispatch_uid="kaifaqu_locked_out")
