"""The levers of a profile (提升名次最有效的指标) over a hand-made run of six zones.

Two indicators of equal weight (0.5 each of the total) and these normalised scores, best 100:

    zone    甲   乙   total  rank
    Z001    60  100   80     1
    Z002   100   40   70     2
    Z003    40   80   60     3
    Z004    70   50   60     3
    Z005    60   40   50     5
    Z006    99    1   50     5
"""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from kaifaqu.assessment.choices import RunState
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, ZoneResult
from kaifaqu.assessment.profile import build_profile
from kaifaqu.assessment.reports import report_docx
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

TWO_INDICATORS = """
[[framework]]
code = "total"
type = "Aggregate"
name = "综合得分"

[[framework]]
code = "d"
type = "Aggregate"
parent = "total"
weight = 1
name = "维度"

[[framework]]
code = "a"
parent = "d"
weight = 1
name = "指标甲"

[[framework]]
code = "b"
parent = "d"
weight = 1
name = "指标乙"
"""
SCORES = {  # zone: (甲, 乙, total, rank)
    "Z001": (60, 100, "80", 1),
    "Z002": (100, 40, "70", 2),
    "Z003": (40, 80, "60", 3),
    "Z004": (70, 50, "60", 3),
    "Z005": (60, 40, "50", 5),
    "Z006": (99, 1, "50", 5),
}


@pytest.fixture
def results(province: dict[str, Any], province_analyst: Any) -> dict[str, ZoneResult]:
    framework = AssessmentFramework.objects.create(
        code="two", name="两指标", owner=province["province"]
    )
    version = framework.versions.create(
        number=1, document=TWO_INDICATORS, created_by=province_analyst
    )
    run = AssessmentRun.objects.create(
        version=version, year=2025, state=RunState.DONE, replications=0,
        created_by=province_analyst,
    )  # fmt: skip
    region = province["zones"]["west"].region
    zones = {z.code: z for z in province["zones"].values()}
    for code in ("Z004", "Z005", "Z006"):
        zones[code] = Zone.objects.create(code=code, name=f"{code}开发区", kind="provincial_edz",
                                          region=region, comparison_group="西部")  # fmt: skip
    results = {}
    for code, (a, b, total, rank) in SCORES.items():
        results[code] = ZoneResult.objects.create(
            run=run, zone=zones[code], province_code=zones[code].province_code,
            total=Decimal(total), rank=rank, group_rank=rank, published_rank=rank,
            dimensions={"d": float(total)}, dimension_ranks={"d": rank},
            indicators={
                "a": {"value": a, "score": float(a), "weight": 0.5},
                "b": {"value": b, "score": float(b), "weight": 0.5},
            },
        )  # fmt: skip
    return results


def levers(result: ZoneResult, user: Any) -> list[tuple[str, float, int, int, int]]:
    rows = build_profile(result, user).levers
    return [(v["label"], v["gain"], v["rank"], v["new_rank"], v["moves"]) for v in rows]


def test_only_rises_that_pass_a_zone_are_levers(results, province_analyst):
    assert {code: levers(r, province_analyst) for code, r in results.items()} == {
        # the leader has none, though 甲 is 40 below the best
        "Z001": [],
        # second can rise to first, no further
        "Z002": [("指标乙", 30.0, 2, 1, 1)],
        # reaching 70 ties Z002: the tie shares 2nd; 90 passes everyone
        "Z003": [("指标甲", 30.0, 3, 1, 2), ("指标乙", 10.0, 3, 2, 1)],
        "Z004": [("指标乙", 25.0, 3, 1, 2), ("指标甲", 15.0, 3, 2, 1)],
        # reaching 80 ties the leader: rank 1
        "Z005": [("指标乙", 30.0, 5, 1, 4), ("指标甲", 20.0, 5, 2, 3)],
        # 甲 to 100 gives 50.5: it only breaks the tie with Z005, still 5th, so no lever
        "Z006": [("指标乙", 49.5, 5, 1, 4)],
    }


def test_the_leaders_profile_and_report_say_it_leads_instead_of_rows(analyst_client, results):
    leader = results["Z001"]
    page = analyst_client.get(reverse("assessment:profile", args=[leader.run_id, leader.zone_id]))
    table = page.content.decode().split('data-testid="levers"')[1].split("</table>")[0]
    assert '<td class="empty" colspan="4">已居总排名第 1 名</td>' in table
    assert table.count("<tr>") == 2  # the header and the statement
    # and so does the DOCX report, under an empty lever table
    docx = Document(io.BytesIO(report_docx(build_profile(leader, page.wsgi_request.user))))
    section = [p.text for p in docx.paragraphs]
    assert section[section.index("五、提升名次最有效的指标") + 1] == "已居总排名第 1 名"
    assert [len(t.rows) for t in docx.tables][4] == 1  # the lever table's header only
