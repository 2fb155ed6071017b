"""Similar requests for the dispatcher: the same enterprise's, or bigram overlap within 90 days."""

from datetime import timedelta
from typing import Any

import pytest

from kaifaqu.servicerequests import actions
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.servicerequests.similar import bigrams, jaccard, similar_requests

pytestmark = pytest.mark.django_db


def test_bigrams_and_jaccard():
    assert bigrams("用电 增容。") == {"用电", "电增", "增容"}
    assert jaccard(bigrams("厂区用电增容"), bigrams("用电增容审批")) == pytest.approx(3 / 7)
    assert jaccard(set(), bigrams("用电")) == 0.0


def call(world: dict[str, Any], text: str, *, enterprise: Any = None) -> ServiceRequest:
    request, _ = actions.register_call(
        category="utilities", description=text, caller_name="来电人", caller_phone="1",
        enterprise=enterprise, zone=world["zones"]["east"], acting_user=world["users"]["province"],
    )  # fmt: skip
    return request


def test_the_dispatcher_sees_the_same_enterprise_and_similar_texts(world):
    textile = world["textile"]
    older = call(world, "工业园区厂房用电增容审批迟迟未办")
    stale = call(world, "厂房用电增容审批迟迟未办理")
    ServiceRequest._base_manager.filter(pk=stale.pk).update(filed=stale.filed - timedelta(days=91))
    same_firm = call(world, "招工难,请求对接职业院校", enterprise=textile)
    call(world, "融资贷款贴息政策咨询")
    request = call(world, "厂房用电增容审批未办,影响投产", enterprise=textile)
    found = similar_requests(request, world["users"]["dispatcher"])
    assert [(s.request.pk, s.same_enterprise) for s in found] == [
        (same_firm.pk, True),
        (older.pk, False),
    ]
    assert found[1].score >= 0.25
    # outside the user's scope nothing is shown
    assert similar_requests(request, world["users"]["west"]) == []
