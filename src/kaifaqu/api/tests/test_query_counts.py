"""API lists run a fixed number of queries, whatever the page holds (no N+1)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaifaqu.api.tests.helpers import (
    assessed_run,
    evaluated_run,
    finished_job,
    framework_of,
    published_list,
    refused_batch,
)
from kaifaqu.assessment.models import AssessmentRun, ZoneResult
from kaifaqu.catalog.models import Industry, Tag
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear
from kaifaqu.investment.models import FundArrival, Project, StageChange, Visit
from kaifaqu.mujun.models import EvaluationResult
from kaifaqu.notifications.actions import notify
from kaifaqu.policies.models import (
    PolicyDocument,
    PolicyTask,
    ProgressReport,
    ProposedTask,
)
from kaifaqu.servicerequests.actions import register_call
from kaifaqu.supervision.models import ItemKind, SupervisedItem
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone, ZoneYear

pytestmark = pytest.mark.django_db

# Token and user (1), the caller's profile and its zones (2), the count (1), the page (1), plus
# one query per many-to-many field on the page (and for a framework's versions). A 亩均 run's
# job, a result's enterprise and an assessment run's job and version are joined to the page's
# query.
# The reference lists need no scope; their two more queries load the caller's profile for the
# role in the request's log line (ops/logs.py), which scoped lists load anyway.
LIST_QUERIES = {
    "jobs": 5,
    "regions": 5,
    "industries": 5,
    "tags": 5,
    "indicators": 5,
    "zones": 6,
    "zone-years": 5,
    "enterprises": 6,
    "enterprise-years": 5,
    "enterprise-events": 5,
    "publications": 5,
    "import-batches": 5,
    "notifications": 5,
    "mujun-schemes": 5,
    "mujun-runs": 5,
    "mujun-results": 5,
    "assessment-frameworks": 6,
    "assessment-runs": 5,
    "assessment-rankings": 5,
    "service-requests": 5,
    "policy-documents": 5,
    "policy-tasks": 5,
    "progress-reports": 5,
    "investment-projects": 5,
    "investment-stage-changes": 5,
    "investment-visits": 5,
    "investment-fund-arrivals": 5,
}


@pytest.fixture
def south_run(two_provinces, system_user):
    """A 亩均 run and an assessment run of the south zone, a framework of its province."""
    south = two_provinces["zones"]["south"]
    framework = framework_of(two_provinces["provinces"]["south"], acting_user=system_user)
    assessed_run(south, framework, acting_user=system_user)
    return evaluated_run(south, acting_user=system_user)


def add_rows(two_provinces, south_run, count):
    """``count`` more zones, each with an enterprise (tagged, with a year and an event), a 亩均
    run of its own (the enterprise also in the south zone's run) and an assessment run of its
    own framework (the zone also ranked in the south zone's run); and a job of the caller's and
    a list published to its province, and an import of the caller's."""
    south = two_provinces["zones"]["south"]
    tags = list(Tag.objects.order_by("pk")[:2])
    industries = list(Industry.objects.order_by("pk")[:2])
    for n in range(count):
        zone = Zone.objects.create(
            code=f"Z2{n:02d}", name=f"南湖第{n}园区", kind="other", region=south.region
        )
        zone.leading_industries.set(industries)
        ZoneYear.objects.create(
            zone=zone, year=2025, indicator=two_provinces["indicator"], value=Decimal(n)
        )
        first17 = f"91980100MA00010{n:02d}"
        enterprise = Enterprise.objects.create(
            uscc=first17 + uscc_check_character(first17),
            name=f"南湖第{n}有限公司",
            zone=zone,
            region=south.region,
        )
        enterprise.tags.set(tags)
        EnterpriseYear.objects.create(enterprise=enterprise, zone=zone, year=2025)
        EnterpriseEvent.objects.create(
            enterprise=enterprise, kind="dishonest_listed", date=date(2025, 1, 1)
        )
        evaluated_run(zone, acting_user=south_run.created_by)
        finished_job(south_run.created_by, year=2000 + n)
        refused_batch(south_run.created_by)
        notify([south_run.created_by], "overdue", zone, f"南湖第{n}园区事项逾期")
        register_call(
            category="land", description=f"南湖第{n}园区用地", caller_name="来电人",
            caller_phone="1", zone=zone, acting_user=south_run.created_by,
        )  # fmt: skip
        province = two_provinces["provinces"]["south"]
        published_list(province, acting_user=south_run.created_by)
        framework = framework_of(province, acting_user=south_run.created_by, code=f"six-{n}")
        assessed_run(zone, framework, acting_user=south_run.created_by)
        scored = south_assessment().results.get(zone=south)
        ZoneResult.objects.create(
            run=south_assessment(),
            zone=zone,
            total=Decimal(n),
            dimensions=scored.dimensions,
            indicators=scored.indicators,
        )
        EvaluationResult.objects.create(
            run=south_run, enterprise=enterprise, zone=zone, status="graded"
        )
        policy_rows(zone, n)
        add_project(zone, n)


def policy_rows(zone, n):
    """A zone's policy document with a task on a supervised item of its own, and a report."""
    item = SupervisedItem.objects.create(
        number=f"RW-2026-{n + 1:04d}", kind=ItemKind.objects.get(code="RW"), year=2026,
        sequence=n + 1, title=f"{zone.name}任务", region=zone.region, zone=zone, level=1,
        opened=date(2026, 3, 2),
    )  # fmt: skip
    unit = Unit.objects.create(
        name=f"{zone.name}管委会", kind="zone_committee", region=zone.region, zone=zone
    )
    document = PolicyDocument.objects.create(
        title=f"{zone.name}政策", text="措施", region=zone.region, zone=zone
    )
    proposal = ProposedTask.objects.create(
        document=document, position=1, heading="措施", start=0, end=2, state="confirmed"
    )
    task = PolicyTask.objects.create(
        proposal=proposal, document=document, item=item, lead_unit=unit
    )
    ProgressReport.objects.create(task=task, period="2026年", due=date(2026, 12, 31))


def add_project(zone, n):
    """A 招商 project of the zone with a history entry, a visit and a fund arrival."""
    project = Project.objects.create(
        code=f"P{n:03d}", name=f"南湖第{n}项目", zone=zone, stage="reserve",
        stage_entered=date(2025, 3, 1),
    )  # fmt: skip
    StageChange.objects.create(
        project=project, from_stage="lead", to_stage="reserve", occurred_on=date(2025, 3, 1),
        recorded_at=timezone.now(),
    )  # fmt: skip
    Visit.objects.create(
        zone=zone, project=project, visited_on=date(2025, 2, 1), visitors="招商局", summary="洽谈"
    )
    FundArrival.objects.create(project=project, arrived_on=date(2025, 4, 1), amount=n + 1)


def south_assessment():
    return AssessmentRun.objects.get(results__zone__code="Z101")


def list_queries(client, prefix, south_run):
    query = {  # one run's rows
        "mujun-results": f"?run={south_run.pk}",
        "assessment-rankings": f"?run={south_assessment().pk}",
    }.get(prefix, "")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{prefix}/{query}")
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("prefix", LIST_QUERIES)
def test_list_query_count_does_not_grow_with_the_page(
    prefix, token_client, two_provinces, south_run
):
    few, few_rows = list_queries(token_client, prefix, south_run)
    add_rows(two_provinces, south_run, 12)
    many, many_rows = list_queries(token_client, prefix, south_run)

    assert (few, many) == (LIST_QUERIES[prefix], LIST_QUERIES[prefix])
    if prefix not in {"regions", "industries", "tags", "indicators"}:
        assert many_rows > few_rows


# Operations on one object that read many rows (a zone's peers in its run, a run's ranking, a
# batch's problems): a fixed number of queries too. Beyond token, profile and the object, a
# profile reads the zone's peers, history, targets, rank targets, enterprise summary and 亩均
# grade mix; the files read their rows in one query (units.csv also the zones' years).
DETAIL_QUERIES = {
    "assessment-rankings/{result}/profile/": 13,
    "assessment-runs/{run}/ranking-xlsx/": 5,
    "assessment-runs/{run}/units-csv/": 7,
    "import-batches/{batch}/preview/": 4,
}


def detail_queries(client, path, ids):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{path.format(**ids)}")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", DETAIL_QUERIES)
def test_detail_query_count_does_not_grow_with_the_rows_it_reads(
    path, token_client, two_provinces, south_run
):
    run = south_assessment()
    ids = {
        "result": run.results.get().pk,
        "run": run.pk,
        "batch": refused_batch(south_run.created_by).pk,
    }
    few = detail_queries(token_client, path, ids)
    add_rows(two_provinces, south_run, 12)
    many = detail_queries(token_client, path, ids)

    assert (few, many) == (DETAIL_QUERIES[path], DETAIL_QUERIES[path])


# The 招商 KPIs of a page of zones are computed for the whole page at once: token, profile and
# its zones, the count and the page (5); the projects' provinces; the frame's four queries
# (projects, stage dates, plans, funds), which on PostgreSQL go by COPY, outside what the capture
# sees; the stage settings (stall limits, then the probabilities), the size floors (counted,
# then shown), the standards; and the page's zones' names, targets and kinds.
KPI_QUERIES = {"postgresql": 14, "sqlite": 18}


def test_zone_kpis_query_count_does_not_grow_with_the_page(token_client, two_provinces, south_run):
    add_project(two_provinces["zones"]["south"], 99)  # a zone with a project on either page
    few, few_rows = list_queries(token_client, "investment-zone-kpis", south_run)
    add_rows(two_provinces, south_run, 12)
    many, many_rows = list_queries(token_client, "investment-zone-kpis", south_run)

    pinned = KPI_QUERIES[connection.vendor]
    assert (few, many) == (pinned, pinned)
    assert many_rows > few_rows
