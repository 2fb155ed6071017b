from django.urls import path

from kaifaqu.publications import views

app_name = "publications"
urlpatterns = [
    path("", views.PublicationListView.as_view(), name="publication_list"),
    path("<int:pk>/", views.PublicationDetailView.as_view(), name="publication"),
]
