"""The user's imports as a list: only their own, paged, and as cheap for 200 rows as for 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.intake.models import ImportBatch

pytestmark = pytest.mark.django_db

# session, user, profile (+ zones), the page's rows, its count, and the idle-timeout stamp saved
# to the session
LIST_QUERIES = 10  # with the header's unread notifications


def add_batches(rows: range, user) -> None:
    for i in rows:
        ImportBatch.objects.create(
            kind="enterprise-years", file_name=f"年报{i}.xlsx", sha256=f"{i:064d}",
            file=f"imports/{i}.xlsx", user=user, counts={"insert": i, "errors": 0},
        )  # fmt: skip


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_rows(zone_client, zone_user):
    url = reverse("intake:batch_list")
    zone_client.get(url)  # the session's first request also settles the second-factor check
    add_batches(range(10), zone_user)
    ten = queries(zone_client, url)
    add_batches(range(10, 200), zone_user)
    assert (ten, queries(zone_client, url)) == (LIST_QUERIES, LIST_QUERIES)


def test_list_holds_only_the_users_own_imports_and_pages(zone_client, zone_user, province_analyst):
    add_batches(range(60), zone_user)
    add_batches(range(60, 63), province_analyst)
    page = zone_client.get(reverse("intake:batch_list"))
    assert (page.context["count"], len(page.context["page"].rows)) == (60, 50)
    assert {b.user_id for b in page.context["page"].rows} == {zone_user.pk}
    assert 'href="/intake/batches/' in page.content.decode()


def test_batch_page_pages_through_every_stored_problem(zone_client, zone_user):
    problem = {"row": 0, "column": "年度", "value": "x", "severity": "error", "message": "无效"}
    add_batches(range(1), zone_user)
    batch = ImportBatch.objects.get()
    batch.problems = [{**problem, "row": row} for row in range(2, 252)]
    batch.save()
    url = reverse("intake:batch", args=[batch.pk])
    first, last = zone_client.get(url), zone_client.get(url, {"page": 3})
    assert [p["row"] for p in first.context["problems"]] == list(range(2, 102))
    assert [p["row"] for p in last.context["problems"]] == list(range(202, 252))
    assert "第 3 / 3 页,共 250 条" in last.content.decode()
    assert zone_client.get(url, {"page": "x"}).context["problems"][0]["row"] == 2
