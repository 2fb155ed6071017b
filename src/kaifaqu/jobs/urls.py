from django.urls import path

from kaifaqu.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("<uuid:pk>/", views.JobDetailView.as_view(), name="job"),
    path("<uuid:pk>/file/", views.JobFileView.as_view(), name="file"),
]
