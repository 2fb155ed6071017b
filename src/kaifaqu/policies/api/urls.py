from rest_framework.routers import SimpleRouter

from kaifaqu.policies.api import views

router = SimpleRouter()
router.register("policy-documents", views.PolicyDocumentViewSet)
router.register("policy-tasks", views.PolicyTaskViewSet)
router.register("progress-reports", views.ProgressReportViewSet)

urlpatterns = router.urls
