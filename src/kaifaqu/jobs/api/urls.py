from rest_framework.routers import SimpleRouter

from kaifaqu.jobs.api import views

router = SimpleRouter()
router.register("jobs", views.JobViewSet)

urlpatterns = router.urls
