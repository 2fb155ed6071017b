"""The generic transition view: the action's refusal told as a message and nothing written, an
invalid form told as a message without calling the action, a PermissionDenied the view does not
list as a refusal a 403, and an object outside scope a 404."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.enterprises.choices import EnterpriseStatus
from kaifaqu.enterprises.models import Enterprise

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kaifaqu.core.tests.transition_urls")]


def told(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_the_action_runs_and_the_view_goes_back_to_the_object(zone_client, province):
    east = province["enterprises"]["东城纺织有限公司"]
    response = zone_client.post(reverse("stop", args=[east.pk]), {"reason": "订单不足"})
    assert response.status_code == 302
    assert response.url == east.get_absolute_url()
    assert told(response) == [("success", "已停产")]
    east.refresh_from_db()
    assert east.status == EnterpriseStatus.STOPPED
    assert ObjectChange.objects.filter(object_id=east.pk).count() == 1


def test_a_refusal_is_told_as_a_message_and_changes_nothing(zone_client, province):
    east = province["enterprises"]["东城纺织有限公司"]
    Enterprise.objects.filter(pk=east.pk).update(status=EnterpriseStatus.STOPPED)
    response = zone_client.post(reverse("stop", args=[east.pk]), {"reason": "订单不足"})
    assert response.status_code == 302
    assert response.url == east.get_absolute_url()
    assert told(response) == [("error", "该企业已停产")]
    assert not ObjectChange.objects.exists()


def test_an_invalid_form_is_told_field_by_field_and_the_action_is_not_called(zone_client, province):
    east = province["enterprises"]["东城纺织有限公司"]
    data = {"reason": "", "until": "明年"}
    response = zone_client.post(reverse("stop", args=[east.pk]), data)
    assert response.status_code == 302
    assert response.url == east.get_absolute_url()
    assert told(response) == [("error", "停产原因:请填写停产原因;预计复产日期:日期须为年-月-日")]
    east.refresh_from_db()
    assert east.status == EnterpriseStatus.OPERATING
    assert not ObjectChange.objects.exists()


def test_a_permission_refusal_is_a_403_unless_the_view_lists_it(zone_client, province):
    east = province["enterprises"]["东城纺织有限公司"]
    Enterprise.objects.filter(pk=east.pk).update(status=EnterpriseStatus.DEREGISTERED)
    strict = zone_client.post(reverse("stop", args=[east.pk]), {"reason": "订单不足"})
    assert strict.status_code == 403
    lenient = zone_client.post(reverse("stop_lenient", args=[east.pk]), {"reason": "订单不足"})
    assert lenient.status_code == 302
    assert told(lenient) == [("error", "已注销的企业不能修改")]
    east.refresh_from_db()
    assert east.status == EnterpriseStatus.DEREGISTERED
    assert not ObjectChange.objects.exists()


def test_an_object_outside_the_users_scope_is_404(zone_client, province):
    west = province["enterprises"]["西城化工有限公司"]
    response = zone_client.post(reverse("stop", args=[west.pk]), {"reason": "订单不足"})
    assert response.status_code == 404
    west.refresh_from_db()
    assert west.status == EnterpriseStatus.OPERATING
