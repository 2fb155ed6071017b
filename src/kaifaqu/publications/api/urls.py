from rest_framework.routers import SimpleRouter

from kaifaqu.publications.api import views

router = SimpleRouter()
router.register("publications", views.PublicationViewSet)

urlpatterns = router.urls
