from django.urls import path

from kaifaqu.mujun import views

app_name = "mujun"
urlpatterns = [
    path("", views.RunListView.as_view(), name="run_list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("runs/<int:pk>/changes/", views.RunChangesView.as_view(), name="changes"),
    path("runs/<int:pk>/changes.xlsx", views.RunChangesExportView.as_view(), name="changes_export"),
    path("runs/<int:pk>/objections/", views.ObjectionListView.as_view(), name="objections"),
    path("runs/<int:pk>/policies/", views.PolicyListView.as_view(), name="policies"),
    path("runs/<int:pk>/<str:step>/", views.RunTransitionView.as_view(), name="run_step"),
    path("runs/<int:pk>/zones/<int:zone_pk>/", views.ZoneGradesView.as_view(), name="zone_grades"),
    path("runs/<int:pk>/export/<str:kind>.xlsx", views.ExportView.as_view(), name="export"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="result"),
    path("results/<int:pk>/sheet.xlsx", views.ResultSheetView.as_view(), name="result_sheet"),
    path("results/<int:pk>/simulate/", views.SimulateView.as_view(), name="simulate"),
    path("results/<int:pk>/object/", views.ObjectionCreateView.as_view(), name="object"),
    path("objections/<int:pk>/decide/", views.ObjectionDecideView.as_view(), name="decide"),
    path("points/", views.PointsListView.as_view(), name="points"),
    path("points/add/", views.PointsCreateView.as_view(), name="points_add"),
    path("points/import/", views.PointsImportView.as_view(), name="points_import"),
    path("points.xlsx", views.PointsExportView.as_view(), name="points_export"),
    path("points/<int:pk>/delete/", views.PointsDeleteView.as_view(), name="points_delete"),
    path("schemes/", views.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme"),
    path("schemes/<int:pk>/edit/", views.SchemeEditView.as_view(), name="scheme_edit"),
]
