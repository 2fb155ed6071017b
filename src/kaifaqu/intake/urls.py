from django.urls import path

from kaifaqu.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.ImportView.as_view(), name="import"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("batches/<int:pk>/commit/", views.CommitView.as_view(), name="commit"),
    path("batches/<int:pk>/undo/", views.UndoView.as_view(), name="undo"),
    path("batches/<int:pk>/changes/", views.ChangesView.as_view(), name="changes"),
    path("batches/<int:pk>/changes.xlsx", views.ChangesExportView.as_view(), name="changes_export"),
    path("batches/<int:pk>/report.xlsx", views.ReportView.as_view(), name="report"),
    path("templates/<str:kind>.xlsx", views.TemplateView.as_view(), name="template"),
    path("export/<str:kind>/", views.ExportView.as_view(), name="export"),
]
