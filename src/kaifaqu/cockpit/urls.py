from django.urls import path

from kaifaqu.cockpit.views import HomeView

# No namespace: "home" is the site's landing page (LOGIN_REDIRECT_URL, the brand link).
urlpatterns = [path("", HomeView.as_view(), name="home")]
