"""The form editor of a framework: edited values land in a new version's document, written back
with the document's comments and layout kept; a refused value names its field and saves
nothing; only who may save a version sees the editor and may post it."""

import difflib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kaifaqu.assessment.actions import copy_framework, save_version
from kaifaqu.assessment.forms import FrameworkEditForm
from kaifaqu.assessment.framework import parse_document
from kaifaqu.assessment.models import AssessmentFramework, FrameworkVersion
from kaifaqu.assessment.tests.conftest import preset

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(province_analyst: Any) -> AssessmentFramework:
    source = preset("provincial_six")
    return copy_framework(source, acting_user=province_analyst, code="own", name="本省方案")


def as_posted(framework: AssessmentFramework, **changes: Any) -> dict[str, Any]:
    """What the editor posts for the latest version: every field as shown, with ``changes``."""
    form = FrameworkEditForm(document=parse_document(framework.latest().document))
    data = {name: field.initial for name, field in form.fields.items() if name != "note"}
    return {**data, "note": "", **changes}


def edit(client: Any, framework: AssessmentFramework, **changes: Any) -> Any:
    url = reverse("assessment:edit", args=[framework.pk])
    return client.post(url, as_posted(framework, **changes))


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_a_changed_weight_lands_in_the_new_version_and_nothing_else_changes(analyst_client, own):
    before = own.latest().document

    response = edit(analyst_client, own, **{"weight-quality": "40", "note": "提高发展质量权重"})

    assert response.status_code == 302
    version = own.latest()
    assert (version.number, version.note) == (2, "提高发展质量权重")
    assert parse_document(version.document).weights["quality"] == 40
    # one line changed; the comments (the file's head, the one after levels = [2]) are kept
    assert changed_lines(before, version.document) == ["-weight = 30", "+weight = 40"]
    assert "levels = [2]                  # the dimensions' weights (COINr Level = 2)" in (
        version.document
    )


def test_indicator_direction_rule_threshold_and_penalty_are_written_back(analyst_client, own):
    edit(
        analyst_client,
        own,
        **{
            "weight-gdp_growth": "2.5",
            "direction-major_accidents": "1",
            "rule-0-n": "6",
            "rule-1-k": "3",
            "points-3": "0.4",
            "disqualify-0": "2",
            "published_rank": "group",
        },
    )

    doc = parse_document(own.latest().document)
    assert doc.framework.node("gdp_growth").weight == 2.5
    assert doc.framework.node("major_accidents").direction == 1
    assert (doc.rules[0].n, doc.rules[1].k, doc.rules[1].m) == (6, 3, 3)
    assert doc.raw["step"][3]["points"] == 0.4
    assert doc.disqualifications[0].at_least == 2
    assert doc.published_rank == "group"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight-quality": "-1"}, "weight-quality", "「发展质量」权重:确保该值大于或等于0。"),
        (
            {"weight-major_accidents": "0", "weight-safety_risk_assessment_rate": "0"},
            "weight-safety_risk_assessment_rate",
            "「安全风险评估完成率」权重:「安全生产」的指标权重不能全为 0",
        ),
        ({"weight-gdp_growth": "abc"}, "weight-gdp_growth",
         "「地区生产总值增速」权重:输入一个数字。"),
        ({"rule-1-k": "4"}, "rule-1-k",
         "「3年内2次位列全省后3位:摘牌」次数 k:次数 k 不得大于年数 m"),
        ({"rule-0-n": "0"}, "rule-0-n", "「全省排名后5位:约谈」后N位:确保该值大于或等于1。"),
    ],
)  # fmt: skip
def test_an_invalid_value_names_its_field_and_saves_nothing(
    analyst_client, own, changes, field, message
):
    response = edit(analyst_client, own, **changes)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert form.problems() == [message]
    assert own.versions.count() == 1


def test_a_target_must_be_a_value_the_indicator_can_take(analyst_client, own, province_analyst):
    # given a version whose 循环化改造完成 (0/1) carries a target, and whose normalisation has
    # goalposts on a rate and a target of R&D intensity
    text = (
        own.latest()
        .document.replace('name = "循环化改造完成"', 'name = "循环化改造完成"\ntarget = 1')
        .replace(
            'range = [0, 100]\nconstant = "upper"\n',
            'range = [0, 100]\nconstant = "upper"\n'
            "goalposts = { online_monitoring_rate = [60, 100] }  # 监控率的目标区间\n"
            "targets = { rd_intensity = 3 }\n",
            1,
        )
    )
    save_version(own, text, note="", acting_user=province_analyst)

    refused = edit(analyst_client, own, **{"target-circular_retrofit_done": "600"})
    assert "「循环化改造完成」目标值:「循环化改造完成」的取值范围为 0 至 1,600 超出范围" in (
        refused.context["form"].problems()
    )
    over = edit(analyst_client, own, **{"high-1-online_monitoring_rate": "120"})
    assert "high-1-online_monitoring_rate" in over.context["form"].errors
    negative = edit(analyst_client, own, **{"target-1-rd_intensity": "-2"})
    assert "target-1-rd_intensity" in negative.context["form"].errors
    assert own.versions.count() == 2

    edit(
        analyst_client,
        own,
        **{"low-1-online_monitoring_rate": "80", "target-1-rd_intensity": "3.5"},
    )
    document = own.latest().document
    assert own.latest().number == 3
    normalise = parse_document(document).raw["step"][1]
    assert normalise["goalposts"] == {"online_monitoring_rate": [80, 100]}
    assert normalise["targets"] == {"rd_intensity": 3.5}
    assert "goalposts = { online_monitoring_rate = [80, 100] }  # 监控率的目标区间" in document


def test_an_unchanged_form_saves_no_version(analyst_client, own):
    response = edit(analyst_client, own)

    assert response.status_code == 200
    assert response.context["form"].problems() == ["没有修改任何数值"]
    assert own.versions.count() == 1


def test_the_editor_shows_chinese_names_grouped_by_dimension_and_links_the_toml(
    analyst_client, own
):
    page = analyst_client.get(reverse("assessment:edit", args=[own.pk])).content.decode()

    assert page.index("发展质量") < page.index("亩均税收") < page.index("对外开放")
    assert "「中央巡视巡察发现问题」每个扣分" in page
    assert "「全省排名后5位:约谈」后N位" in page
    assert f'href="{own.get_absolute_url()}#toml"' in page


def test_only_who_may_save_a_version_is_offered_the_editor_and_may_post_it(
    analyst_client, zone_user, own
):
    edit_url = reverse("assessment:edit", args=[own.pk])
    # the analyst is offered the editor of its own framework, not of a preset (read-only)
    assert edit_url in analyst_client.get(own.get_absolute_url()).content.decode()
    source = preset("provincial_six")
    assert reverse("assessment:edit", args=[source.pk]) not in (
        analyst_client.get(source.get_absolute_url()).content.decode()
    )
    assert analyst_client.get(reverse("assessment:edit", args=[source.pk])).status_code == 403
    # a zone's office may not edit a bureau's framework
    zone_client = Client()
    zone_client.force_login(zone_user)
    assert edit_url not in zone_client.get(own.get_absolute_url()).content.decode()
    versions = FrameworkVersion.objects.count()
    assert zone_client.get(edit_url).status_code == 403
    posted = zone_client.post(edit_url, as_posted(own, **{"weight-quality": "40"}))
    assert posted.status_code == 403
    assert FrameworkVersion.objects.count() == versions
