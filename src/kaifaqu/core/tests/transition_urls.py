"""The project's pages and two transitions of an enterprise that only the tests of the generic
transition view post to (no domain app has one that the core tests may lean on)."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path

from kaifaqu.audit.writes import audited_save
from kaifaqu.core.views import ObjectTransitionView
from kaifaqu.enterprises.choices import EnterpriseStatus
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.project.urls import handler403
from kaifaqu.project.urls import urlpatterns as project_urlpatterns


def stop_enterprise(enterprise: Enterprise, *, acting_user: Any) -> Enterprise:
    """停产: refused (a ValidationError) for one already stopped, and refused outright (a
    PermissionDenied) for a deregistered one; else the status is saved with its change log."""
    if enterprise.status == EnterpriseStatus.DEREGISTERED:
        raise PermissionDenied("已注销的企业不能修改")
    if enterprise.status == EnterpriseStatus.STOPPED:
        raise ValidationError("该企业已停产")
    enterprise.status = EnterpriseStatus.STOPPED
    return audited_save(enterprise, acting_user=acting_user)


class StopForm(forms.Form):
    reason = forms.CharField(
        label="停产原因", max_length=20, error_messages={"required": "请填写停产原因"}
    )
    until = forms.DateField(
        label="预计复产日期", required=False, error_messages={"invalid": "日期须为年-月-日"}
    )


class StopView(ObjectTransitionView):
    queryset = Enterprise.objects.all()
    form_class, done = StopForm, "已停产"

    def perform(self, enterprise: Enterprise, data: dict[str, Any], user: Any) -> Enterprise:
        return stop_enterprise(enterprise, acting_user=user)


class LenientStopView(StopView):
    """The same transition telling a PermissionDenied as a message too."""

    refusals = (ValidationError, PermissionDenied)


urlpatterns = [
    *project_urlpatterns,
    path("tests/enterprises/<int:pk>/stop/", StopView.as_view(), name="stop"),
    path("tests/enterprises/<int:pk>/lenient/", LenientStopView.as_view(), name="stop_lenient"),
]

__all__ = ["handler403", "urlpatterns"]
