from django.urls import path

from kaifaqu.zones import views

app_name = "zones"
urlpatterns = [
    path("", views.ZoneListView.as_view(), name="zone_list"),
    path("<int:pk>/", views.ZoneDetailView.as_view(), name="zone"),
    path("summaries/refresh/", views.RefreshSummariesView.as_view(), name="refresh_summaries"),
]
