from rest_framework.routers import SimpleRouter

from kaifaqu.assessment.api import views

router = SimpleRouter()
router.register("assessment-frameworks", views.AssessmentFrameworkViewSet)
router.register("assessment-runs", views.AssessmentRunViewSet)

urlpatterns = router.urls
