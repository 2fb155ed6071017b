"""The inbox: notify, the header's count, the list and its filters, marking read, the scope."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.core.pagination import Ordering, Page, keyset_page
from kaifaqu.notifications.actions import mark_all_read, mark_read, notify
from kaifaqu.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def east_textiles(province):
    return province["enterprises"]["东城纺织有限公司"]


def test_notify_inserts_one_row_per_active_recipient_and_logs_the_batch(
    province_analyst, zone_user, east_textiles
):
    retired = make_user("retired", "zone_analyst")
    retired.is_active = False
    retired.save()

    created = notify(
        [province_analyst, zone_user.pk, zone_user, retired],
        "assignment",
        east_textiles,
        "新的企业诉求已派单",
        "请于 3 个工作日内办理。",
        acting_user=province_analyst,
    )

    assert len(created) == 2
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.kind, n.url, n.object_id, n.read_at) for n in rows] == [
        (user, "assignment", east_textiles.get_absolute_url(), str(east_textiles.pk), None)
        for user in sorted([province_analyst, zone_user], key=lambda u: u.pk)
    ]
    assert rows[0].target == east_textiles
    log = ObjectChange.objects.get()
    assert (log.action, log.after, log.username) == (
        "bulk",
        {"notifications": 2},
        "analyst",
    )


def test_notify_accepts_a_queryset_and_an_explicit_url(province_analyst, zone_user):
    users = get_user_model().objects.filter(username__in=["analyst", "east_staff"])

    notify(users, "escalation", None, "督办事项已升级", url="/jobs/")

    assert sorted(Notification.objects.values_list("url", "object_id", "content_type")) == [
        ("/jobs/", "", None),
        ("/jobs/", "", None),
    ]


def test_notify_accepts_a_related_manager(province_analyst, zone_user, province):
    group = Group.objects.create(name="东城区招商服务专班")
    group.user_set.add(zone_user)

    notify(group.user_set, "assignment", province["zones"]["east"], "新的派单")

    assert [n.recipient for n in Notification.objects.all()] == [zone_user]


def test_notify_refuses_an_unknown_kind(province_analyst):
    with pytest.raises(ValueError, match="gossip"):
        notify([province_analyst], "gossip", None, "?")
    assert not Notification.objects.exists()


def test_a_user_sees_only_their_own_notifications(province_analyst, zone_user, east_textiles):
    notify([province_analyst], "reply", east_textiles, "给分析员的答复")
    notify([zone_user], "reply", east_textiles, "给开发区的答复")
    superuser = get_user_model().objects.create_superuser("root", password="x-Long-pass-1")

    assert [n.title for n in Notification.objects.restrict(zone_user)] == ["给开发区的答复"]
    assert not Notification.objects.restrict(superuser).exists()


def test_inbox_lists_own_notifications_newest_first_and_filters(
    client, province_analyst, zone_user, east_textiles
):
    notify([province_analyst], "assignment", east_textiles, "第一条")
    notify([province_analyst], "overdue", east_textiles, "第二条")
    notify([zone_user], "overdue", east_textiles, "别人的")
    mark_read(Notification.objects.get(title="第一条").pk, acting_user=province_analyst)
    client.force_login(province_analyst)

    everything = client.get(reverse("notifications:inbox"))
    unread = client.get(reverse("notifications:inbox") + "?state=unread")
    by_kind = client.get(reverse("notifications:inbox") + "?kind=assignment")

    assert [n.title for n in everything.context["table"].data] == ["第二条", "第一条"]
    assert [n.title for n in unread.context["table"].data] == ["第二条"]
    assert [n.title for n in by_kind.context["table"].data] == ["第一条"]
    assert "别人的" not in everything.content.decode()


def test_header_shows_the_unread_count_in_one_query(client, province_analyst, east_textiles):
    notify([province_analyst], "deadline", east_textiles, "明天到期")
    notify([province_analyst], "state_change", east_textiles, "已办结")
    mark_all_read(acting_user=province_analyst, kind="state_change")
    notify([province_analyst], "overdue", east_textiles, "已逾期")
    client.force_login(province_analyst)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("zones:zone_list"))

    assert '<span class="badge" data-testid="unread-count">2</span>' in response.content.decode()
    inbox_queries = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(inbox_queries) == 1


def test_no_badge_without_unread_notifications(client, province_analyst):
    client.force_login(province_analyst)

    body = client.get(reverse("zones:zone_list")).content.decode()

    assert 'data-testid="inbox-link"' in body
    assert 'data-testid="unread-count"' not in body


def test_an_administrator_without_business_role_has_no_inbox_link(client, province):
    auditor = make_user("auditor", "audit_admin", region=province["province"])
    client.force_login(auditor)

    response = client.get(reverse("audit:console"))

    assert 'data-testid="inbox-link"' not in response.content.decode()


def test_open_marks_read_and_goes_to_the_object(client, province_analyst, east_textiles):
    (notification,) = notify([province_analyst], "assignment", east_textiles, "派单")
    client.force_login(province_analyst)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == east_textiles.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    change = ObjectChange.objects.get(action="update")
    assert change.before["read_at"] is None
    assert change.after["read_at"] is not None


def test_marking_someone_elses_notification_is_404_and_changes_nothing(
    client, province_analyst, zone_user, east_textiles
):
    (theirs,) = notify([zone_user], "assignment", east_textiles, "派单")
    client.force_login(province_analyst)
    changes = ObjectChange.objects.count()

    for name in ("notifications:open", "notifications:read"):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404

    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert ObjectChange.objects.count() == changes


def test_marking_read_is_a_post(client, province_analyst, east_textiles):
    (notification,) = notify([province_analyst], "assignment", east_textiles, "派单")
    client.force_login(province_analyst)

    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_the_users_unread_of_the_kind(
    province_analyst, zone_user, east_textiles
):
    notify([province_analyst, zone_user], "overdue", east_textiles, "逾期")
    notify([province_analyst], "reply", east_textiles, "答复")

    count = mark_all_read(acting_user=province_analyst, kind="overdue")

    unread = Notification.objects.unread().values_list("recipient__username", "kind")
    assert count == 1
    assert sorted(unread) == [("analyst", "reply"), ("east_staff", "overdue")]
    assert ObjectChange.objects.get(object_repr="全部标为已读").after == {"read": 1}


def test_mark_all_read_page(client, province_analyst, east_textiles):
    notify([province_analyst], "overdue", east_textiles, "逾期")
    notify([province_analyst], "reply", east_textiles, "答复")
    client.force_login(province_analyst)

    response = client.post(reverse("notifications:read_all"), {"kind": ""})

    assert response.status_code == 302
    assert not Notification.objects.unread().exists()


def test_read_at_is_kept_when_read_again(province_analyst, east_textiles):
    (notification,) = notify([province_analyst], "reply", east_textiles, "答复")
    first = mark_read(notification.pk, acting_user=province_analyst).read_at

    again = mark_read(notification.pk, acting_user=province_analyst)

    assert again.read_at == first
    assert ObjectChange.objects.filter(action="update").count() == 1


def test_inbox_page_needs_a_business_role(client, province):
    auditor = make_user("auditor", "audit_admin", region=province["province"])
    client.force_login(auditor)

    assert client.get(reverse("notifications:inbox")).status_code == 403


def test_inbox_pages_run_newest_first_forward_and_back(province_analyst):
    for number in range(5):
        notify([province_analyst], "reply", None, f"第{number}条", url="/jobs/")
    inbox = Notification.objects.restrict(province_analyst)
    newest_first = Ordering.by(Notification, "created", descending=True)

    def page(query: str) -> Page[Notification]:
        return keyset_page(inbox, QueryDict(query), newest_first, size=2)

    first = page("")
    second = page(first.next.query)
    last = page(second.next.query)
    back = page(second.previous.query)

    assert ([n.title for n in first.rows], first.previous) == (["第4条", "第3条"], None)
    assert [n.title for n in second.rows] == ["第2条", "第1条"]
    assert ([n.title for n in last.rows], last.next) == (["第0条"], None)
    assert back.rows == first.rows


def test_inbox_query_count_does_not_grow_with_rows(client, province_analyst, east_textiles):
    notify([province_analyst], "reply", east_textiles, "答复")
    client.force_login(province_analyst)
    url = reverse("notifications:inbox")
    client.get(url)  # the session's first request also settles the second-factor check

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(30):
        notify([province_analyst], "overdue", east_textiles, f"逾期 {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.context["count"] == 31
    assert len(many) == len(few)
