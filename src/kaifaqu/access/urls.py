from django.urls import path

from kaifaqu.access import views

app_name = "access"
urlpatterns = [path("", views.SecurityConsoleView.as_view(), name="security")]
