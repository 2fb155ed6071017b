"""The 亩均 lists on the generic list view: numbered pages, sorting, filters, exports, the same
number of queries on every page, and the points entry deleted after a confirmation."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.mujun import actions, views
from kaifaqu.mujun.models import EvaluationResult, PointsEntry

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


def names(response):
    return [result.enterprise.name for result in response.context["page"].rows]


def follow(client, url, link):
    return client.get(f"{url}?{link.query}")


def test_run_results_page_by_number_and_sort_by_total(client, run, manager, monkeypatch):
    monkeypatch.setattr(views.RunDetailView, "page_size", 2)
    client.force_login(manager)
    url = reverse("mujun:run", args=[run.pk])
    by_total = EvaluationResult.objects.filter(run=run).order_by("-total", "-pk")
    expected = [r.enterprise.name for r in by_total]
    first = client.get(url, {"sort": "-total"})
    page = first.context["page"]
    assert (page.count, page.pages, [link and link.number for link in page.links]) == (
        5,
        3,
        [1, 2, 3],
    )
    second = follow(client, url, page.links[1])
    third = follow(client, url, page.links[2])
    assert names(first) + names(second) + names(third) == expected
    assert "第 3 页 / 共 3 页" in third.content.decode()


def test_run_results_filter_by_grade_and_zone(client, run, manager, rich_province):
    client.force_login(manager)
    url = reverse("mujun:run", args=[run.pk])
    east = rich_province["zones"]["east"]
    graded = client.get(url, {"grade": "A"}).context["page"].rows
    grade_a = EvaluationResult.objects.filter(run=run, grade="A").order_by("pk")
    assert [r.pk for r in graded] == [r.pk for r in grade_a]
    assert len(graded) >= 1
    in_east = client.get(url, {"zone": east.pk}).context["page"]
    assert in_east.count == EvaluationResult.objects.filter(run=run, zone=east).count()
    fragment = client.get(url, {"zone": east.pk}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert 'data-testid="results"' in fragment.content.decode()


def test_run_results_export_every_row_as_filtered(client, run, manager, rich_province, monkeypatch):
    monkeypatch.setattr(views.RunDetailView, "page_size", 2)
    client.force_login(manager)
    url = reverse("mujun:run", args=[run.pk])
    response = client.get(url, {"export": "csv", "sort": "enterprise"})
    text = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["企业", "统一社会信用代码", "开发区", "评价池"]
    assert [row[0] for row in rows[1:]] == sorted(
        r.enterprise.name for r in EvaluationResult.objects.filter(run=run)
    )


def test_zone_grades_of_a_zone_outside_scope_is_404(client, run, zone_user, rich_province):
    client.force_login(zone_user)
    west = rich_province["zones"]["west"]
    assert client.get(reverse("mujun:zone_grades", args=[run.pk, west.pk])).status_code == 404


@pytest.fixture
def two_of_everything(run, manager, zone_user, rich_province):
    """Two points entries, two schemes, two runs and two objections: every list has a page 2."""
    east = EvaluationResult.objects.filter(run=run, zone=rich_province["zones"]["east"])
    for result in east[:2]:
        actions.add_points(
            result.enterprise,
            year=2025,
            kind="bonus",
            points="1",
            item=f"事项{result.pk}",
            evidence="文",
            acting_user=manager,
        )
    actions.copy_preset("huangyan_2022", region=run.region, acting_user=manager)
    actions.start_run(run.scheme, year=2024, region=run.region, zone=None, acting_user=manager)
    actions.start_publicity(run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager)
    for result in east[:2]:
        actions.file_objection(result, reason="x", evidence="y", acting_user=zone_user, today=TODAY)
    return run


LISTS = {
    "mujun:run_list": views.RunListView,
    "mujun:scheme_list": views.SchemeListView,
    "mujun:points": views.PointsListView,
    "mujun:run": views.RunDetailView,
    "mujun:objections": views.ObjectionListView,
    "mujun:zone_grades": views.ZoneGradesView,
}


@pytest.mark.parametrize("name", LISTS)
def test_every_mujun_list_takes_as_many_queries_on_page_2_as_on_page_1(
    client, two_of_everything, manager, rich_province, name, monkeypatch
):
    monkeypatch.setattr(LISTS[name], "page_size", 1)
    run = two_of_everything
    args = {"mujun:run": [run.pk], "mujun:objections": [run.pk]}.get(name, [])
    if name == "mujun:zone_grades":
        args = [run.pk, rich_province["zones"]["east"].pk]
    url = reverse(name, args=args)
    client.force_login(manager)
    client.get(url)  # the session's first request also settles the second-factor check
    with CaptureQueriesContext(connection) as on_first:
        first = client.get(url)
    with CaptureQueriesContext(connection) as on_second:
        second = client.get(f"{url}?{first.context['page'].next.query}")
    assert second.context["page"].number == 2
    assert len(on_second) == len(on_first)


def test_deleting_a_points_entry_asks_first(client, rich_province, manager, zone_user):
    east = rich_province["enterprises"]["东城纺织有限公司"]
    west = rich_province["enterprises"]["西城化工有限公司"]
    entry = actions.add_points(
        east, year=2025, kind="bonus", points="1", item="东", evidence="文", acting_user=manager
    )
    other = actions.add_points(
        west, year=2025, kind="bonus", points="1", item="西", evidence="文", acting_user=manager
    )
    client.force_login(zone_user)
    url = reverse("mujun:points_delete", args=[entry.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "确定删除「2025年 加分1.00分:东」吗" in confirm.content.decode()
    assert PointsEntry.objects.filter(pk=entry.pk).exists()
    assert client.get(reverse("mujun:points_delete", args=[other.pk])).status_code == 404
    response = client.post(url)
    assert (response.status_code, response.url) == (302, reverse("mujun:points"))
    assert not PointsEntry.objects.filter(pk=entry.pk).exists()
    assert ObjectChange.objects.filter(action="delete", object_id=str(entry.pk)).count() == 1
