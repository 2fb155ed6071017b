from django.urls import path

from kaifaqu.cockpit.views import HomeView, SearchView

# No namespace: "home" is the site's landing page (LOGIN_REDIRECT_URL, the brand link).
urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
]
