from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from kaifaqu.access.forms import LoginForm
from kaifaqu.access.views import (
    PasswordChangeView,
    TokensView,
    TOTPSetupView,
    TOTPVerifyView,
)

urlpatterns = [
    path("", include("kaifaqu.cockpit.urls")),
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/password_change/", PasswordChangeView.as_view(), name="password_change"),
    path("accounts/totp/", TOTPSetupView.as_view(), name="totp_setup"),
    path("accounts/tokens/", TokensView.as_view(), name="api_tokens"),
    path("accounts/totp/verify/", TOTPVerifyView.as_view(), name="totp_verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("zones/", include("kaifaqu.zones.urls")),
    path("enterprises/", include("kaifaqu.enterprises.urls")),
    path("units/", include("kaifaqu.units.urls")),
    path("supervision/", include("kaifaqu.supervision.urls")),
    path("requests/", include("kaifaqu.servicerequests.urls")),
    path("jobs/", include("kaifaqu.jobs.urls")),
    path("publications/", include("kaifaqu.publications.urls")),
    path("intake/", include("kaifaqu.intake.urls")),
    path("mujun/", include("kaifaqu.mujun.urls")),
    path("assessment/", include("kaifaqu.assessment.urls")),
    path("maps/", include("kaifaqu.maps.urls")),
    path("notifications/", include("kaifaqu.notifications.urls")),
    path("attachments/", include("kaifaqu.attachments.urls")),
    path("policies/", include("kaifaqu.policies.urls")),
    path("investment/", include("kaifaqu.investment.urls")),
    path("api/", include("kaifaqu.api.urls")),
    path("security/", include("kaifaqu.access.urls")),
    path("audit/", include("kaifaqu.access.audit_urls")),
    path("admin/", admin.site.urls),
    path("", include("kaifaqu.ops.urls")),
]

handler403 = "kaifaqu.access.views.permission_denied"
