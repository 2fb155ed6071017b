from rest_framework.routers import SimpleRouter

from kaifaqu.assessment.api import views

router = SimpleRouter()
router.register("assessment-frameworks", views.AssessmentFrameworkViewSet)
router.register("assessment-runs", views.AssessmentRunViewSet)
router.register("assessment-rankings", views.RankingViewSet)

urlpatterns = router.urls
