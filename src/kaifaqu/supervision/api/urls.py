from rest_framework.routers import SimpleRouter

from kaifaqu.supervision.api import views

router = SimpleRouter()
router.register("supervised-items", views.SupervisedItemViewSet)
router.register("supervision-logs", views.LogEntryViewSet)

urlpatterns = router.urls
