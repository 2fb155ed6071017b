"""The 即将到期 notice of the daily digest, and the inbox hearing supervision's events."""

from datetime import date

import pytest

from conftest import make_user
from kaifaqu.notifications.deadlines import notify_approaching_deadlines
from kaifaqu.notifications.models import Notification
from kaifaqu.supervision import actions
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import ItemKind
from kaifaqu.units.models import Membership, Unit

pytestmark = pytest.mark.django_db


def test_members_of_the_lead_unit_hear_of_a_deadline_one_working_day_ahead(
    province, django_capture_on_commit_callbacks
):
    east = province["zones"]["east"]
    supervisor = make_user("sup", "city_analyst", region=east.region.parent)
    clerk, other = make_user("clerk", "zone_analyst"), make_user("other", "zone_analyst")
    unit = Unit.objects.create(name="东城市税务局", kind="bureau", region=east.region.parent)
    Membership.objects.create(unit=unit, user=clerk)
    item = actions.create_item(
        kind=ItemKind.objects.get(code="RW"), title="出台实施细则", region=east.region,
        zone=east, level=Level.DISTRICT, opened=date(2025, 9, 1), deadline=date(2025, 10, 9),
        acting_user=supervisor,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign(item, lead_unit=unit, acting_user=supervisor)
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("clerk", "assignment")
    ]
    # on the deadline itself nothing is due the next working day; on Tuesday 30 September,
    # before the 国庆 holidays (1–8 October), Thursday 9 October is the next working day
    assert notify_approaching_deadlines(today=date(2025, 10, 9)) == 0
    assert notify_approaching_deadlines(today=date(2025, 9, 30)) == 1
    notice = Notification.objects.get(kind="deadline")
    assert (notice.recipient, notice.url) == (clerk, item.get_absolute_url())
    assert notice.title.startswith(f"{item.number} 将于 2025-10-09 到期")
    assert not Notification.objects.filter(recipient=other).exists()


def test_the_dispatcher_hears_of_a_return_and_of_the_reply(
    province, django_capture_on_commit_callbacks
):
    east = province["zones"]["east"]
    supervisor = make_user("sup", "city_analyst", region=east.region.parent)
    clerk = make_user("clerk", "zone_analyst")
    unit = Unit.objects.create(name="东城市税务局", kind="bureau", region=east.region.parent)
    Membership.objects.create(unit=unit, user=clerk)
    item = actions.create_item(
        kind=ItemKind.objects.get(code="SQ"), title="用电增容", region=east.region, zone=east,
        level=Level.DISTRICT, acting_user=supervisor,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign(item, lead_unit=unit, acting_user=supervisor)
        actions.accept(item, acting_user=clerk)
        actions.return_item(item, reason="不属本单位职责", acting_user=clerk)
        actions.assign(item, lead_unit=unit, acting_user=supervisor)
        actions.accept(item, acting_user=clerk)
        actions.complete(item, note="已办结", acting_user=clerk)
    told = Notification.objects.order_by("pk").values_list("recipient__username", "kind")
    assert list(told) == [
        ("clerk", "assignment"),
        ("sup", "state_change"),
        ("clerk", "assignment"),
        ("sup", "reply"),
    ]
