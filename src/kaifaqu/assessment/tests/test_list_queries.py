"""Every list of the app costs the same number of queries for 10 rows as for 200 (pages of 50):
nothing is read per row."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.assessment.actions import start_run
from kaifaqu.assessment.choices import DeductionItem
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    Finding,
    RankTarget,
    Target,
    ZoneResult,
)
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.catalog.models import Indicator
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

ITEMS = list(DeductionItem.values)


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def counts_for(client: Any, url: str, add: Callable[[range], None]) -> tuple[int, int]:
    """Queries of ``url`` with rows 0–9 added, then with rows 10–199 added too."""
    client.get(url)  # the session's first request also settles the second-factor check
    add(range(10))
    ten = queries(client, url)
    add(range(10, 200))
    return ten, queries(client, url)


@pytest.fixture
def run(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    return finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))


@pytest.fixture
def many_zones(zones):
    """Zones of the east's region, made on demand, one per row number."""
    template = zones["east"]

    def zone(index: int) -> Zone:
        return Zone.objects.create(
            code=f"M{index:03d}", name=f"扩展开发区{index}", kind=template.kind,
            region=template.region, comparison_group="东部",
        )  # fmt: skip

    return zone


# session, user, profile (+ zones), the page's rows, its count, the filters' choice lists, and the
# idle-timeout stamp saved to the session
# Each page also reads the header's unread notifications; the runs list reads the provinces'
# names once; the ranking's map reads the zones it may show and the outlines.
PINS = {
    "index": 10,
    "runs": 12,
    "targets": 11,
    "rank_targets": 10,
    "deductions": 10,
    "run": 16,
    "status": 11,
    "compare": 14,
}


def test_targets(analyst_client, zones):
    gdp, east = Indicator.objects.get(code="gdp"), zones["east"]

    def add(rows: range) -> None:
        for i in rows:
            Target.objects.create(zone=east, indicator=gdp, year=2000 + i, value=Decimal(i))

    url = reverse("assessment:targets")
    assert counts_for(analyst_client, url, add) == (PINS["targets"],) * 2


def test_rank_targets(analyst_client, zones):
    def add(rows: range) -> None:
        for i in rows:
            RankTarget.objects.create(zone=zones["east"], level="national", year=1900 + i, rank=3)

    url = reverse("assessment:rank_targets")
    assert counts_for(analyst_client, url, add) == (PINS["rank_targets"],) * 2


def test_deductions(analyst_client, zones):
    def add(rows: range) -> None:
        for i in rows:
            item, year = ITEMS[i % len(ITEMS)], 1900 + i // len(ITEMS)
            Deduction.objects.create(zone=zones["east"], year=year, item=item, count=1)

    url = reverse("assessment:deductions")
    assert counts_for(analyst_client, url, add) == (PINS["deductions"],) * 2


def test_runs_and_index(analyst_client, run, province, province_analyst):
    def add(rows: range) -> None:
        for i in rows:
            AssessmentRun.objects.create(
                version=run.version, year=1800 + i, state="done", created_by=province_analyst
            )
            AssessmentFramework.objects.create(
                code=f"own-{i}", name=f"本省方案{i}", owner=province["province"]
            )

    runs, index = reverse("assessment:runs"), reverse("assessment:index")
    analyst_client.get(runs)
    add(range(10))
    ten = queries(analyst_client, runs), queries(analyst_client, index)
    add(range(10, 200))
    assert ten == (queries(analyst_client, runs), queries(analyst_client, index))
    assert ten == (PINS["runs"], PINS["index"])


def test_a_runs_ranking_status_and_comparison(analyst_client, run, many_zones):
    def add(rows: range) -> None:
        for i in rows:
            zone = many_zones(i)
            ZoneResult.objects.create(run=run, zone=zone, total=Decimal(i % 100), rank=i + 4)
            Finding.objects.create(
                run=run, zone=zone, rule_code="bottom", rule_name="后5位", action="talk"
            )

    pages = [reverse(f"assessment:{name}", args=[run.pk]) for name in ("run", "status", "compare")]
    analyst_client.get(pages[0])
    add(range(10))
    ten = [queries(analyst_client, url) for url in pages]
    add(range(10, 200))
    assert ten == [queries(analyst_client, url) for url in pages]
    assert ten == [PINS["run"], PINS["status"], PINS["compare"]]


def test_every_list_exports_its_filtered_rows(analyst_client, run, zones):
    gdp = Indicator.objects.get(code="gdp")
    for year in (2024, 2025):
        Target.objects.create(zone=zones["east"], indicator=gdp, year=year, value=Decimal(year))
    lists = {
        reverse("assessment:index"): "代码",
        reverse("assessment:runs"): "年度",
        reverse("assessment:targets"): "目标年度",
        reverse("assessment:rank_targets"): "目标名次",
        reverse("assessment:deductions"): "事项",
        reverse("assessment:status", args=[run.pk]): "规则",
        reverse("assessment:compare", args=[run.pk]): "本年度名次",
    }
    for url, header in lists.items():
        response = analyst_client.get(url, {"export": "csv"})
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert header in text.splitlines()[0], url
    filtered = analyst_client.get(reverse("assessment:targets"), {"year": 2025, "export": "csv"})
    lines = b"".join(filtered.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert "2025" in lines[1]
