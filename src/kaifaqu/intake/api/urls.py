from rest_framework.routers import SimpleRouter

from kaifaqu.intake.api import views

router = SimpleRouter()
router.register("import-batches", views.ImportBatchViewSet)

urlpatterns = router.urls
