from django.urls import path

from kaifaqu.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.AuditConsoleView.as_view(), name="console"),
    path("export.csv", views.AuditExportView.as_view(), name="export"),
]
