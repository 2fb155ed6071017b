"""A database run applies the scheme's bonus, penalty and veto rules from enterprise events."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.http import QueryDict

from kaifaqu.enterprises.models import EnterpriseEvent
from kaifaqu.mujun import actions, bridge
from kaifaqu.mujun.models import EvaluationResult
from kaifaqu.mujun.simulation import simulator

from .conftest import evaluate_now

# 黄岩's rules with the accident veto narrowed to safety accidents, and 5 points off per
# environmental accident of the year.
RULES = """
[[rule]]
name = "重大安全生产事故"
action = "force_grade"
column = "safety_accident"
grade = "D"
[[rule]]
name = "列入严重失信名单"
action = "force_grade"
column = "dishonest"
grade = "D"
[[rule]]
name = "环境事故扣分"
action = "penalty"
column = "environmental_accident"
points = 5
"""


@pytest.fixture
def events(rich_province):
    names = rich_province["enterprises"]

    def record(name: str, kind: str, day: date) -> None:
        EnterpriseEvent.objects.create(enterprise=names[name], kind=kind, date=day)

    record("西城纺织有限公司", "environmental_accident", date(2025, 3, 1))
    record("西城纺织有限公司", "environmental_accident", date(2025, 9, 1))
    record("高新电子有限公司", "safety_accident", date(2025, 6, 30))
    record("东城化工股份有限公司", "dishonest_listed", date(2023, 5, 1))
    record("东城纺织有限公司", "dishonest_listed", date(2023, 5, 1))
    record("东城纺织有限公司", "dishonest_removed", date(2024, 11, 1))
    record("西城化工有限公司", "environmental_accident", date(2024, 12, 31))
    return names


def test_the_facts_are_counted_for_the_year(events):
    # given the five enterprises' ids in a frame
    ids = {name: enterprise.pk for name, enterprise in events.items()}
    frame = pl.DataFrame({"enterprise_id": list(ids.values())})
    # when the rule facts of 2025 are read
    facts = bridge.rule_facts(frame, 2025)
    by_name = dict(zip(ids, facts.drop("enterprise_id").rows(named=True), strict=True))
    # then accidents count per kind within 2025; 失信 holds for a listing not removed by then
    nothing = {
        "safety_accident": None,
        "environmental_accident": None,
        "major_accident": None,
        "dishonest": None,
        "bonus_points": None,
        "penalty_points": None,
    }
    assert by_name == {
        "东城纺织有限公司": nothing,  # listed 2023, removed 2024
        "东城化工股份有限公司": nothing | {"dishonest": 1.0},  # listed 2023, still listed
        "高新电子有限公司": nothing | {"safety_accident": 1.0, "major_accident": 1.0},
        "西城化工有限公司": nothing,  # its accident was in 2024
        "西城纺织有限公司": nothing | {"environmental_accident": 2.0, "major_accident": 2.0},
    }


def test_a_database_run_applies_penalties_and_vetoes_from_events(
    rich_province, scheme, manager, events
):
    # given the scheme with the rules above, run for 2024 and for 2025 on the same figures
    ruled = actions.save_scheme_version(
        scheme,
        scheme.document.split("[[rule]]")[0] + RULES + _policies(scheme),
        acting_user=manager,
    )
    baseline = _totals_and_grades(_run(ruled, rich_province, manager, year=2024))
    after = _run(ruled, rich_province, manager, year=2025)
    results = _totals_and_grades(after)
    # then 西城纺织 loses 5 points per environmental accident and keeps A
    assert results["西城纺织有限公司"] == (
        baseline["西城纺织有限公司"][0] - Decimal("10.00"),
        "A",
    )
    # 西城化工's accident of 2024-12-31 cost it 5 points in 2024 only
    assert results["西城化工有限公司"][0] == baseline["西城化工有限公司"][0] + Decimal("5.00")
    # 高新电子 (safety accident) and 东城化工 (still 失信) are forced to D; the others are as before
    assert {name: grade for name, (_, grade) in results.items()} == {
        "东城纺织有限公司": "C",
        "东城化工股份有限公司": "D",
        "高新电子有限公司": "D",
        "西城化工有限公司": "B",
        "西城纺织有限公司": "A",
    }
    vetoes = {
        r.enterprise.name: r.explanation.get("vetoes")
        for r in EvaluationResult.objects.filter(run=after).select_related("enterprise")
        if r.explanation.get("vetoes")
    }
    assert vetoes == {
        "东城化工股份有限公司": ["列入严重失信名单:C→D"],
        "高新电子有限公司": ["重大安全生产事故:B→D"],
    }


def _policies(scheme) -> str:
    return "[[policy]]" + scheme.document.split("[[policy]]", 1)[1]


def _run(scheme, rich_province, manager, *, year):
    run = actions.start_run(
        scheme, year=year, region=rich_province["province"], zone=None, acting_user=manager
    )
    return evaluate_now(run)


def _totals_and_grades(run) -> dict[str, tuple[Decimal, str]]:
    return {
        r.enterprise.name: (r.total, r.grade)
        for r in EvaluationResult.objects.filter(run=run).select_related("enterprise")
    }


def test_the_simulator_applies_the_same_vetoes(
    rich_province, scheme, manager, province_analyst, events
):
    # given 黄岩's own rules: any major accident forces D (西城纺织, A by its figures)
    run = _run(scheme, rich_province, manager, year=2025)
    best = EvaluationResult.objects.get(run=run, enterprise=events["西城纺织有限公司"])
    assert (best.pool_rank, best.grade) == (1, "D")
    # when it simulates ten times the tax
    outcome = simulator(best, province_analyst, QueryDict("tax_paid=5000")).outcome
    # then the veto still holds
    assert (outcome.grade, outcome.vetoes) == ("D", ["重大安全生产或环境污染事故:A→D"])
