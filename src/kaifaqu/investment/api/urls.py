from rest_framework.routers import SimpleRouter

from kaifaqu.investment.api import kpis, views

router = SimpleRouter()
router.register("investment-projects", views.ProjectViewSet)
router.register("investment-stage-changes", views.StageChangeViewSet)
router.register("investment-visits", views.VisitViewSet)
router.register("investment-fund-arrivals", views.FundArrivalViewSet)
router.register("investment-zone-kpis", kpis.ZoneKpiViewSet, basename="zonekpi")

urlpatterns = router.urls
