from django.urls import path

from kaifaqu.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("<int:pk>/confirm-all/", views.ConfirmAllView.as_view(), name="confirm_all"),
    path("proposals/<int:pk>/units/", views.UnitsView.as_view(), name="correct_units"),
    path("proposals/<int:pk>/deadline/", views.DeadlineView.as_view(), name="correct_deadline"),
    path("proposals/<int:pk>/targets/", views.TargetsView.as_view(), name="correct_targets"),
    path("proposals/<int:pk>/merge/", views.MergeView.as_view(), name="merge"),
    path("proposals/<int:pk>/split/", views.SplitView.as_view(), name="split"),
    path("proposals/<int:pk>/drop/", views.DropView.as_view(), name="drop"),
    path("proposals/<int:pk>/confirm/", views.ConfirmView.as_view(), name="confirm"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskView.as_view(), name="task"),
    path("tasks/<int:pk>/report/", views.ReportView.as_view(), name="report"),
    path("inspection/", views.InspectionView.as_view(), name="inspection"),
    path("inspection/bulletin.docx", views.BulletinDocxView.as_view(), name="bulletin_docx"),
]
