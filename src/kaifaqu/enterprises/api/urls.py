from rest_framework.routers import SimpleRouter

from kaifaqu.enterprises.api import views

router = SimpleRouter()
router.register("enterprises", views.EnterpriseViewSet)
router.register("enterprise-years", views.EnterpriseYearViewSet)
router.register("enterprise-events", views.EnterpriseEventViewSet)

urlpatterns = router.urls
