from django.urls import path

from kaifaqu.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("frameworks/<int:pk>/", views.FrameworkView.as_view(), name="framework"),
    path("frameworks/<int:pk>/copy/", views.CopyFrameworkView.as_view(), name="copy"),
    path("frameworks/<int:pk>/edit/", views.FrameworkEditView.as_view(), name="edit"),
    path("frameworks/<int:pk>/versions/", views.SaveVersionView.as_view(), name="save_version"),
    path("frameworks/<int:pk>/pipeline.toml", views.PipelineExportView.as_view(), name="pipeline"),
    path("frameworks/<int:pk>/runs/", views.StartRunView.as_view(), name="start_run"),
    path("runs/", views.RunListView.as_view(), name="runs"),
    path("runs/<int:pk>/", views.RunView.as_view(), name="run"),
    path("runs/<int:pk>/ranking.xlsx", views.RunExportView.as_view(), name="run_export"),
    path("runs/<int:pk>/units.csv", views.UnitsExportView.as_view(), name="units"),
    path("runs/<int:pk>/publish/", views.PublishRunView.as_view(), name="publish"),
    path("runs/<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("runs/<int:pk>/compare/", views.CompareView.as_view(), name="compare"),
    path("runs/<int:pk>/zones/<int:zone>/", views.ProfileView.as_view(), name="profile"),
    path("reports/<int:pk>/<str:fmt>/", views.ReportFileView.as_view(), name="report_file"),
    path("targets/", views.TargetListView.as_view(), name="targets"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_new"),
    path("targets/ranks/", views.RankTargetListView.as_view(), name="rank_targets"),
    path("targets/ranks/new/", views.RankTargetCreateView.as_view(), name="rank_target_new"),
    path("deductions/", views.DeductionListView.as_view(), name="deductions"),
    path("deductions/new/", views.DeductionCreateView.as_view(), name="deduction_new"),
]
