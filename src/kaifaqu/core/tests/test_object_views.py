"""The generic edit view: 404 outside scope also on GET, the action's refusal shown on the form,
nothing written then. (Saving and the change log: audit/tests/test_change_log.py.)"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.enterprises.views import EnterpriseEditView

pytestmark = pytest.mark.django_db


def test_edit_form_of_an_object_outside_scope_is_404(zone_client, province):
    west = province["enterprises"]["西城化工有限公司"]
    response = zone_client.get(reverse("enterprises:enterprise_edit", args=[west.pk]))
    assert response.status_code == 404


def test_edit_form_shows_the_object(zone_client, province):
    east = province["enterprises"]["东城纺织有限公司"]
    response = zone_client.get(reverse("enterprises:enterprise_edit", args=[east.pk]))
    assert response.status_code == 200
    assert response.context["form"].instance == east


def refuse(form, *, acting_user):
    raise ValidationError("该企业已注销,不能修改")


def test_a_refusal_of_the_action_shows_on_the_form(zone_client, province, monkeypatch):
    east = province["enterprises"]["东城纺织有限公司"]
    monkeypatch.setattr(EnterpriseEditView, "action", refuse)
    url = reverse("enterprises:enterprise_edit", args=[east.pk])
    form = zone_client.get(url).context["form"]
    data = {name: field.value() for name, field in ((f.name, f) for f in form) if field.value()}
    data["status"] = "stopped"
    response = zone_client.post(url, data)
    assert response.status_code == 200
    assert "该企业已注销,不能修改" in response.content.decode()
    east.refresh_from_db()
    assert east.status == "operating"
    assert not ObjectChange.objects.exists()
