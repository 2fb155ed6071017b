from drf_spectacular.generators import SchemaGenerator

from kaifaqu.api.urls import app_routers

RESOURCES = [
    "jobs",
    "regions",
    "industries",
    "tags",
    "indicators",
    "zones",
    "zone-years",
    "enterprises",
    "enterprise-years",
    "enterprise-events",
    "supervised-items",
    "supervision-logs",
    "publications",
    "import-batches",
    "mujun-schemes",
    "mujun-runs",
    "mujun-results",
    "assessment-frameworks",
    "assessment-runs",
    "assessment-rankings",
    "notifications",
    "investment-projects",
    "investment-stage-changes",
    "investment-visits",
    "investment-fund-arrivals",
    "investment-zone-kpis",
    "service-requests",
    "policy-documents",
    "policy-tasks",
    "progress-reports",
]
# Operations on one object beyond reading it.
DETAIL_ACTIONS = ["/api/v1/mujun-schemes/{id}/versions/", "/api/v1/mujun-results/{id}/card/"]
DETAIL_ACTIONS += [
    "/api/v1/assessment-runs/{id}/ranking-xlsx/",
    "/api/v1/assessment-runs/{id}/units-csv/",
    "/api/v1/assessment-rankings/{id}/profile/",
    "/api/v1/assessment-rankings/{id}/report/",
    "/api/v1/assessment-rankings/{id}/report/pdf/",
    "/api/v1/assessment-rankings/{id}/report/docx/",
    "/api/v1/import-batches/{id}/preview/",
    "/api/v1/import-batches/{id}/problems/",
    "/api/v1/import-batches/{id}/commit/",
    "/api/v1/import-batches/{id}/undo/",
]
# Operations on a whole resource beyond its list.
LIST_ACTIONS = ["/api/v1/service-requests/statistics/"]


def test_each_app_s_router_is_found_through_its_api_module():
    prefixes = [prefix for router in app_routers() for prefix, _, _ in router.registry]

    assert prefixes == RESOURCES


def test_the_schema_lists_every_resource_and_its_detail():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]

    assert sorted(paths) == sorted(
        [
            *(
                path
                for name in RESOURCES
                for path in (f"/api/v1/{name}/", f"/api/v1/{name}/{{id}}/")
            ),
            *DETAIL_ACTIONS,
            *LIST_ACTIONS,
        ]
    )
