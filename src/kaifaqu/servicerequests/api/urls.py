from rest_framework.routers import SimpleRouter

from kaifaqu.servicerequests.api import views

router = SimpleRouter()
router.register("service-requests", views.ServiceRequestViewSet)

urlpatterns = router.urls
