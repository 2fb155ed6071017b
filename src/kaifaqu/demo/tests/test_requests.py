"""The demo province's service requests: a year of them, mostly on time, some overdue and
escalated, some reopened after 不满意, some closed unrated; and the two logins that show them."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kaifaqu.demo.generator import PROVINCE, generate
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.supervision.models import SupervisedItem

pytestmark = [pytest.mark.django_db, pytest.mark.demo_build]


def test_a_year_of_requests_with_realistic_outcomes():
    generate(seed=7, enterprises=3000)
    requests = ServiceRequest.objects.filter(province_code=PROVINCE).select_related("item")
    assert requests.count() == 150
    today = timezone.localdate()
    assert min(r.item.opened for r in requests) >= today.replace(year=today.year - 1)
    closed = [r for r in requests if r.item.closed is not None]
    on_time = [r for r in closed if r.item.closed <= r.item.deadline]
    assert len(closed) > 100
    assert 0.7 < len(on_time) / len(closed) < 1
    stages = Counter(r.stage.label for r in requests)
    assert stages["已办结"] > 80
    assert requests.filter(reopened=1).exists()
    assert requests.filter(auto_closed=True).exists()
    ratings = Counter(requests.exclude(rating="").values_list("rating", flat=True))
    assert set(ratings) == {"satisfied", "fairly"}
    items = SupervisedItem.objects.filter(province_code=PROVINCE)
    overdue = items.filter(state__in=("assigned", "in_progress"), deadline__lt=today)
    assert overdue.exists()
    assert set(overdue.values_list("light", flat=True)) <= {"yellow", "red"}
    assert items.filter(on_board=True, light="red", level=2).exists()
    assert requests.filter(item__lead_unit=None).count() < 10
    numbers = list(items.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))


def test_the_enterprise_and_unit_logins_see_their_own():
    generate(seed=7, enterprises=3000)
    users = get_user_model().objects
    firm, unit = users.get(username="enterprise"), users.get(username="unit")
    own = ServiceRequest.objects.restrict(firm)
    assert set(own.values_list("enterprise", flat=True)) <= {firm.profile.enterprise_id}
    assigned = ServiceRequest.objects.restrict(unit)
    tax = unit.unit_memberships.get().unit_id
    assert assigned.exists()
    assert set(assigned.values_list("item__lead_unit", flat=True)) == {tax}
