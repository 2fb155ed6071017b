from django.urls import path

from kaifaqu.maps.views import ScopeMapView

app_name = "maps"
urlpatterns = [path("scope.json", ScopeMapView.as_view(), name="scope")]
