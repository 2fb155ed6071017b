"""Analytics a bureau can trust: a target the indicator can take, and strengths and 短板 judged by
the indicator's direction and best value."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kaifaqu.assessment.actions import set_target, start_run
from kaifaqu.assessment.forms import RunForm
from kaifaqu.assessment.framework import parse_document
from kaifaqu.assessment.models import Target, ZoneResult
from kaifaqu.assessment.profile import _indicator_gaps as indicator_gaps
from kaifaqu.assessment.profile import build_profile
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "value", "problem"),
    [
        ("circular_retrofit_done", "600", "「循环化改造完成」的取值范围为 0 至 1,600 超出范围"),
        ("circular_retrofit_done", "0.5", "「循环化改造完成」只取整数,0.5 不是整数"),
        ("circular_retrofit_done", "-1", "「循环化改造完成」的取值范围为 0 至 1,-1 超出范围"),
        (
            "online_monitoring_rate",
            "120",
            "「重点排污单位在线监控率」的取值范围为 0 至 100%,120 超出范围",
        ),
        ("major_accidents", "-2", "「较大及以上事故数」的取值范围为不小于 0起,-2 超出范围"),
        ("high_tech_enterprises", "12.5", "「高新技术企业数」只取整数,12.5 不是整数"),
    ],
)
def test_a_target_the_indicator_cannot_take_is_refused(
    zones, province_analyst, code, value, problem
):
    indicator = Indicator.objects.get(code=code)
    with pytest.raises(ValidationError) as refused:
        set_target(
            zones["east"], indicator, year=2025, value=Decimal(value), acting_user=province_analyst
        )
    assert refused.value.message_dict == {"value": [problem]}
    assert not Target.objects.exists()
    assert not ObjectChange.objects.filter(content_type__model="target").exists()


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("circular_retrofit_done", "1"),
        ("circular_retrofit_done", "0"),
        ("online_monitoring_rate", "100"),
        ("gdp_growth", "-3.5"),
        ("major_accidents", "0"),
        ("gdp", "1200.5"),
    ],
)
def test_a_target_within_range_is_kept(zones, province_analyst, code, value):
    indicator = Indicator.objects.get(code=code)
    set_target(
        zones["east"], indicator, year=2025, value=Decimal(value), acting_user=province_analyst
    )
    assert Target.objects.get().value == Decimal(value)


def test_the_targets_page_refuses_600_for_a_0_1_indicator_and_says_why(analyst_client, zones):
    done = Indicator.objects.get(code="circular_retrofit_done")
    data = {"zone": zones["east"].pk, "indicator": done.pk, "year": 2025, "value": "600"}

    page = analyst_client.post(reverse("assessment:target_new"), data)

    assert page.status_code == 200  # the form again, with why
    assert "「循环化改造完成」的取值范围为 0 至 1,600 超出范围" in page.content.decode()
    assert not Target.objects.exists()


def test_an_indicator_at_its_best_value_is_no_weakness(zones, province_analyst):
    # given the provincial run, where every zone has 0 较大及以上事故 (the best there is) and
    # 100% 在线监控率, and the east zone is behind its group on other indicators
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    result = ZoneResult.objects.get(run=run, zone=zones["east"])

    profile = build_profile(result, province_analyst)

    weak = {row["label"]: row["gap"] for row in profile.weaknesses}
    strong = {row["label"]: row["gap"] for row in profile.strengths}
    assert weak == {
        "规上企业R&D经费投入强度": -50.0,
        "高新技术企业数": -50.0,
        "省级及以上研发机构数": -50.0,
    }
    assert strong
    assert all(gap > 0 for gap in strong.values())
    assert "较大及以上事故数" not in weak | strong  # every zone at 0: level, neither side
    assert "重点排污单位在线监控率" not in weak | strong


def test_an_at_best_value_is_flagged_whatever_the_scores(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    result = ZoneResult.objects.get(run=run, zone=zones["west"])
    doc = parse_document(run.version.document)

    rows = {row["code"]: row["at_best"] for row in indicator_gaps(doc, result, [result])}

    assert rows["major_accidents"] is True  # a cost indicator at its lower bound, 0
    assert rows["online_monitoring_rate"] is True  # a benefit indicator at its upper bound, 100
    assert rows["circular_retrofit_done"] is False  # 0 of a benefit indicator bounded by 1


def test_a_run_is_limited_to_a_province_picked_by_name(province):
    form = RunForm()
    assert list(form.fields["province_code"].choices) == [
        ("", "数据范围内全部"),
        ("990000", "示范省"),
    ]
    assert RunForm({"year": 2025, "province_code": "990000"}).is_valid()
    assert not RunForm({"year": 2025, "province_code": "123456"}).is_valid()
