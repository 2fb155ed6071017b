from django.urls import path

from kaifaqu.attachments import views

app_name = "attachments"
urlpatterns = [
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.DownloadView.as_view(), name="download"),
    path("<int:pk>/delete/", views.DeleteView.as_view(), name="delete"),
]
