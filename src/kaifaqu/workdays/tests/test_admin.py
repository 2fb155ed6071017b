"""The system administrator adds a year when the State Council publishes it; deadlines follow."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import make_user
from kaifaqu.audit.models import DomainEvent
from kaifaqu.workdays.days import Deadline, deadline_after
from kaifaqu.workdays.models import CalendarYear, Day, SpecialDay

pytestmark = pytest.mark.django_db


def test_a_year_added_in_the_admin_counts_from_then_on(client, province):
    client.force_login(make_user("sys", "system_admin", region=province["province"]))
    assert deadline_after(date(2030, 9, 30), 2) == Deadline(date(2030, 10, 2), official=False)
    added = client.post(
        reverse("admin:workdays_calendaryear_add"), {"year": 2030, "source": "国办发明电〔2029〕"}
    )
    assert added.status_code == 302
    holiday = client.post(
        reverse("admin:workdays_specialday_add"),
        {"date": "2030-10-01", "kind": "holiday", "name": "国庆节"},
    )
    assert holiday.status_code == 302
    deadline = deadline_after(date(2030, 9, 30), 2)
    assert (deadline.date, deadline.official) == (date(2030, 10, 3), True)
    assert Day.objects.get(date=date(2030, 10, 1)).working is False
    assert DomainEvent.objects.filter(kind="workdays_rebuilt").count() == 2


def test_only_the_system_administrator_edits_the_calendar(client, province):
    client.force_login(make_user("sec", "security_admin", region=province["province"]))
    response = client.post(
        reverse("admin:workdays_specialday_add"),
        {"date": "2030-10-01", "kind": "holiday", "name": "国庆节"},
    )
    assert response.status_code == 403
    assert not SpecialDay.objects.filter(date=date(2030, 10, 1)).exists()
    assert not CalendarYear.objects.filter(year=2030).exists()
