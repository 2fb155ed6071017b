from rest_framework.routers import SimpleRouter

from kaifaqu.zones.api import views

router = SimpleRouter()
router.register("zones", views.ZoneViewSet)
router.register("zone-years", views.ZoneYearViewSet)

urlpatterns = router.urls
