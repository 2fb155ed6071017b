"""The audit console on the generic list: paged through every entry, each row saying what changed,
the whole snapshots one click away, and the same rows in the export."""

import csv
import io

import pytest
from django.urls import reverse

from conftest import make_user
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.log import log_change
from kaifaqu.audit.models import ObjectChange
from kaifaqu.core.pagination import PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(province):
    return make_user("auditor", "audit_admin", region=province["province"])


def rename(zone, name, user):
    before = {"name": zone.name, "kind": zone.kind}
    return log_change(
        zone,
        action=ChangeAction.UPDATE,
        before=before,
        after={**before, "name": name},
        acting_user=user,
    )


def test_a_row_shows_only_the_changed_field_in_words(client, province, auditor):
    analyst = make_user("pa", "province_analyst", region=province["province"])
    rename(province["zones"]["east"], "东城新区", analyst)
    client.force_login(auditor)

    page = client.get(reverse("audit:console")).content.decode()

    assert (
        "<li><span class='field'>开发区名称</span> <del>东城经济技术开发区</del> → "
        "<ins>东城新区</ins></li>"
    ) in page
    assert "开发区类型" not in page  # unchanged: only in the snapshot, one click away


def test_the_log_pages_through_every_entry_and_links_each_to_its_snapshot(
    client, province, auditor
):
    analyst = make_user("pa", "province_analyst", region=province["province"])
    for number in range(PAGE_SIZE + 5):
        rename(province["zones"]["east"], f"新名{number}", analyst)
    client.force_login(auditor)

    first = client.get(reverse("audit:console"))
    assert first.context["page"].count == PAGE_SIZE + 5
    assert len(first.context["page"].rows) == PAGE_SIZE
    second = client.get(reverse("audit:console") + "?" + first.context["page"].next.query)
    assert len(second.context["page"].rows) == 5

    newest = ObjectChange.objects.order_by("-time", "-id").first()
    link = reverse("audit:change", args=[newest.pk])
    assert link in first.content.decode()
    detail = client.get(link).content.decode()
    assert "开发区名称:新名" + str(PAGE_SIZE + 4) in detail
    assert "开发区类型:国家级经济技术开发区" in detail


def test_the_export_holds_every_filtered_row_with_both_snapshots(client, province, auditor):
    analyst = make_user("pa", "province_analyst", region=province["province"])
    rename(province["zones"]["east"], "东城新区", analyst)
    rename(province["zones"]["west"], "西城新区", analyst)
    client.force_login(auditor)

    response = client.get(reverse("audit:console"), {"object": "西城", "export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == [
        "时间", "用户", "角色", "IP地址", "来源", "请求编号", "操作", "对象类型", "对象编号",
        "对象", "修改前", "修改后",
    ]  # fmt: skip
    assert len(rows) == 2
    assert rows[1][1:3] == ["pa", "省商务厅分析员"]
    assert rows[1][-2:] == [
        "开发区名称:西城经济开发区;开发区类型:省级经济开发区",
        "开发区名称:西城新区;开发区类型:省级经济开发区",
    ]


def test_a_change_outside_the_auditors_region_is_not_found(client, province, auditor):
    from kaifaqu.catalog.models import Region
    from kaifaqu.zones.models import Zone

    other = Region.objects.create(code="980000", name="乙省", level="province")
    zone = Zone.objects.create(code="B01", name="乙省开发区", kind="provincial_edz", region=other)
    change = rename(zone, "乙省新区", make_user("pb", "province_analyst", region=other))
    client.force_login(auditor)

    assert client.get(reverse("audit:change", args=[change.pk])).status_code == 404
    assert "乙省新区" not in client.get(reverse("audit:console")).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("audit_admin", 200),
        ("security_admin", 200),
        ("system_admin", 403),
        ("province_analyst", 403),
    ],
)
def test_security_events_are_for_the_auditor_and_the_security_administrator(
    client, province, role, status
):
    client.force_login(make_user("x", role, region=province["province"]))
    assert client.get(reverse("audit:security_events")).status_code == status


def test_each_administrator_sees_the_tabs_it_may_open(client, province, auditor):
    client.force_login(auditor)
    tabs = client.get(reverse("audit:security_events")).context["tabs"]
    assert [(t["label"], t["active"]) for t in tabs] == [
        ("变更日志", False),
        ("安全事件", True),
        ("业务事件", False),
    ]
    client.force_login(make_user("sec", "security_admin", region=province["province"]))
    page = client.get(reverse("audit:security_events"))
    assert [t["label"] for t in page.context["tabs"]] == ["安全事件"]
    assert 'data-testid="audit-tabs"' not in page.content.decode()
