"""Schemathesis against the served OpenAPI schema on a live server: no 5xx, no schema violation.

Every operation gets a bounded number of generated requests (valid and invalid data), sent with a
province analyst's token; detail operations are tried on random ids and on an object that exists,
so that updates and deletes reach validation, ``full_clean`` and the audited write.
"""

from datetime import date

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import make_user
from kaifaqu.api.tests.helpers import (
    SYSTEM_KEY,
    assessed_run,
    evaluated_run,
    finished_job,
    framework_of,
    make_token,
    published_list,
    refused_batch,
)
from kaifaqu.investment.actions import Evidence, advance, create_project, record_visit
from kaifaqu.investment.models import FundArrival
from kaifaqu.servicerequests.actions import register_call
from kaifaqu.supervision.actions import create_item
from kaifaqu.supervision.models import ItemKind

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 10


def existing_ids(province, user):
    from kaifaqu.catalog.models import Industry, Tag
    from kaifaqu.notifications.models import Notification

    east = province["zones"]["east"]
    enterprise = province["enterprises"]["东城纺织有限公司"]
    run = evaluated_run(east, acting_user=user)
    framework = framework_of(province["province"], acting_user=user)
    assessment = assessed_run(east, framework, acting_user=user)
    item = create_item(
        kind=ItemKind.objects.get(code="SQ"),
        title="用地审批",
        region=east.region,
        zone=east,
        level=1,
        acting_user=user,
    )
    project = create_project(zone=east, name="新材料项目", acting_user=user)
    change = advance(project, "reserve", Evidence(timezone.localdate()), acting_user=user)
    visit = record_visit(
        project=project, visited_on=date(2025, 3, 1), visitors="招商局", summary="初次洽谈",
        acting_user=user,
    )  # fmt: skip
    arrival = FundArrival.objects.create(project=project, arrived_on=date(2025, 4, 1), amount=10)
    return {
        "jobs": finished_job(user).pk,
        "regions": east.region_id,
        "industries": Industry.objects.order_by("pk").first().pk,
        "tags": Tag.objects.order_by("pk").first().pk,
        "indicators": None,
        "zones": east.pk,
        "zone-years": None,
        "enterprises": enterprise.pk,
        "enterprise-years": enterprise.years.order_by("pk").first().pk,
        "enterprise-events": None,
        "publications": published_list(province["province"], acting_user=user).pk,
        "import-batches": refused_batch(user).pk,
        "mujun-schemes": run.scheme_id,
        "mujun-runs": run.pk,
        "mujun-results": run.results.get(enterprise=enterprise).pk,
        "assessment-frameworks": framework.pk,
        "assessment-runs": assessment.pk,
        "assessment-rankings": assessment.results.get().pk,
        "notifications": Notification.objects.create(
            recipient=user, kind="reply", title="诉求已答复", url=enterprise.get_absolute_url()
        ).pk,
        "supervised-items": item.pk,
        "supervision-logs": item.log.get().pk,
        "service-requests": register_call(
            category="land", description="用地指标", caller_name="来电人", caller_phone="1",
            zone=east, acting_user=user,
        )[0].pk,
        "policy-documents": None,
        "policy-tasks": None,
        "progress-reports": None,
        "investment-projects": project.pk,
        "investment-stage-changes": change.pk,
        "investment-visits": visit.pk,
        "investment-fund-arrivals": arrival.pk,
        "investment-zone-kpis": east.pk,
    }  # fmt: skip


def exercise(operation, headers, mode, path_parameters=None):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.site_walk
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_generated_requests_find_no_server_error_and_no_schema_violation(
    live_server, province, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    user = make_user("exchange", "province_analyst", region=province["province"])
    headers = {"Authorization": f"Token {SYSTEM_KEY}"}
    make_token(user, SYSTEM_KEY)
    ids = existing_ids(province, user)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/", headers=headers)
    schema.config.update(base_url=live_server.url)
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        exercise(operation, headers, schemathesis.GenerationMode.POSITIVE)
        if len(operation.query) or len(operation.body):  # something besides the id to spoil
            exercise(operation, headers, schemathesis.GenerationMode.NEGATIVE)
        existing = ids[operation.path.split("/")[3]]
        if "{id}" in operation.path and existing is not None:
            exercise(operation, headers, schemathesis.GenerationMode.POSITIVE, {"id": existing})

    assert len(operations) == 99
