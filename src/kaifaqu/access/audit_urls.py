"""``/audit/``: the audit administrator's console. It lives in access, which knows the auditor's
role and region; the change log it reads (``audit``) knows neither. The namespace keeps its name."""

from django.urls import path

from kaifaqu.access import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditConsoleView.as_view(), name="console"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change"),
    path("security-events/", views.SecurityEventListView.as_view(), name="security_events"),
    path("domain-events/", views.DomainEventListView.as_view(), name="domain_events"),
]
