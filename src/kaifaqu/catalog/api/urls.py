from rest_framework.routers import SimpleRouter

from kaifaqu.catalog.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet)
router.register("industries", views.IndustryViewSet)
router.register("tags", views.TagViewSet)
router.register("indicators", views.IndicatorViewSet)

urlpatterns = router.urls
