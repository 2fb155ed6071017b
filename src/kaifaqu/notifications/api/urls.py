from rest_framework.routers import SimpleRouter

from kaifaqu.notifications.api import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet)

urlpatterns = router.urls
