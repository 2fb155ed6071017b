from rest_framework.routers import SimpleRouter

from kaifaqu.mujun.api import views

router = SimpleRouter()
router.register("mujun-schemes", views.SchemeViewSet)
router.register("mujun-runs", views.EvaluationRunViewSet)
router.register("mujun-results", views.EvaluationResultViewSet)

urlpatterns = router.urls
