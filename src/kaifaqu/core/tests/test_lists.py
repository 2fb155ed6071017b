"""The generic list: numbered keyset pages, sorting on the allowed columns (NULLs last), exports
of the filtered list, and a fixed number of queries whatever the page or the length."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.core.pagination import total
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.enterprises.views import EnterpriseListView

pytestmark = pytest.mark.django_db
URL = "enterprises:enterprise_list"


def add_enterprises(province, count):
    """``count`` more enterprises in one zone; every third has no registration date."""
    template = province["enterprises"]["东城纺织有限公司"]
    for index in range(count):
        first17 = f"91990102MC{index:07d}"
        Enterprise.objects.create(
            uscc=first17 + uscc_check_character(first17),
            name=f"扩展企业{index:03d}",
            zone=template.zone,
            region=template.region,
            registration_date=None if index % 3 == 0 else date(2020, 1, 1) + timedelta(index % 7),
        )


def names(response):
    return [enterprise.name for enterprise in response.context["page"].rows]


def walk(client, url, response, step):
    """Every row from ``response`` on, following the ``step`` link (next or previous)."""
    seen = names(response)
    while (link := getattr(response.context["page"], step)) is not None:
        response = client.get(f"{url}?{link.query}")
        seen = names(response) + seen if step == "previous" else seen + names(response)
    return seen


def expected_order(sort):
    """The list's order computed in Python: NULLs after every date, then by pk."""
    rows = list(Enterprise.objects.all())
    if not sort:
        return [e.name for e in sorted(rows, key=lambda e: e.pk)]
    descending = sort.startswith("-")
    field = sort.removeprefix("-")

    def key(e):
        value = getattr(e, field)
        return (value is None, value or date.min, e.pk)

    return [e.name for e in sorted(rows, key=key, reverse=descending)]


@pytest.mark.parametrize("sort", ["", "registration_date", "-registration_date", "-name"])
def test_paging_forward_and_back_visits_every_row_once_in_order(
    analyst_client, province, monkeypatch, sort
):
    monkeypatch.setattr(EnterpriseListView, "page_size", 4)
    add_enterprises(province, 20)
    url = reverse(URL)
    first = analyst_client.get(url, {"sort": sort} if sort else {})
    expected = expected_order(sort)
    assert walk(analyst_client, url, first, "next") == expected
    last_link = first.context["page"].links[-1]
    assert last_link.number == 7  # 25 rows in pages of 4
    last = analyst_client.get(f"{url}?{last_link.query}")
    assert names(last) == expected[24:]
    assert walk(analyst_client, url, last, "previous") == expected


def test_numbered_links_jump_a_window_either_way(analyst_client, province, monkeypatch):
    monkeypatch.setattr(EnterpriseListView, "page_size", 2)
    add_enterprises(province, 20)  # 25 rows, 13 pages
    url = reverse(URL)
    expected = expected_order("registration_date")
    page = analyst_client.get(url, {"sort": "registration_date"}).context["page"]
    assert [link and link.number for link in page.links] == [1, 2, 3, None, 13]
    third = analyst_client.get(f"{url}?{page.links[2].query}")
    assert names(third) == expected[4:6]
    page = third.context["page"]
    assert [link and link.number for link in page.links] == [1, 2, 3, 4, 5, None, 13]
    fifth = analyst_client.get(f"{url}?{page.links[4].query}")
    assert names(fifth) == expected[8:10]
    back = analyst_client.get(f"{url}?{fifth.context['page'].links[2].query}")
    assert back.context["page"].number == 3
    assert names(back) == expected[4:6]
    html = fifth.content.decode()
    assert "第 5 页 / 共 13 页" in html
    assert 'data-testid="result-count">25<' in html


def test_sort_only_by_a_sortable_column(analyst_client, province):
    url = reverse(URL)
    by_pk = names(analyst_client.get(url))
    assert names(analyst_client.get(url, {"sort": "status"})) == by_pk  # not sortable: ignored
    assert names(analyst_client.get(url, {"sort": "-pk"})) == by_pk
    by_zone = analyst_client.get(url, {"sort": "-zone"})
    zones = [e.zone.code for e in by_zone.context["page"].rows]
    assert zones == sorted(zones, reverse=True)
    assert 'data-testid="sort-zone"' in by_zone.content.decode()
    assert 'data-testid="sort-status"' not in by_zone.content.decode()


def test_a_forged_cursor_shows_the_first_page(analyst_client, province):
    url = reverse(URL)
    assert names(analyst_client.get(url, {"after": "x", "page": 3})) == names(
        analyst_client.get(url)
    )
    forged = {"sort": "name", "after": "!!", "page": 2}
    assert names(analyst_client.get(url, forged)) == names(
        analyst_client.get(url, {"sort": "name"})
    )


def test_a_filtered_list_counts_exactly(analyst_client, province, monkeypatch):
    monkeypatch.setattr(EnterpriseListView, "page_size", 2)
    response = analyst_client.get(reverse(URL), {"q": "化工"})
    page = response.context["page"]
    assert (page.count, page.estimated, page.pages) == (2, False, 1)
    assert "第 1 页 / 共 1 页" in response.content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_list_queries_do_not_depend_on_page_or_length(
    analyst_client, province, monkeypatch, django_assert_num_queries, rows
):
    monkeypatch.setattr(EnterpriseListView, "page_size", 4)
    add_enterprises(province, rows)
    url = reverse(URL)
    analyst_client.get(url)  # the session's first request also settles the second-factor check
    with django_assert_num_queries(14):
        first = analyst_client.get(url, {"sort": "registration_date"})
    with django_assert_num_queries(14):
        third = analyst_client.get(f"{url}?{first.context['page'].links[2].query}")
    with django_assert_num_queries(14):
        analyst_client.get(f"{url}?{third.context['page'].links[-1].query}")
    with django_assert_num_queries(14):
        analyst_client.get(f"{url}?{third.context['page'].previous.query}")


@pytest.fixture
def table_export_client(analyst_client, monkeypatch):
    """The enterprise list exported by its table, not in the intake layout."""
    monkeypatch.setattr(EnterpriseListView, "export_kind", None)
    return analyst_client


def test_csv_export_streams_the_filtered_sorted_list(table_export_client, province):
    add_enterprises(province, 10)
    query = {"q": "扩展", "sort": "-name", "export": "csv"}
    response = table_export_client.get(reverse(URL), query)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [
        "统一社会信用代码",
        "企业名称",
        "开发区",
        "行业",
        "经营状态",
        "成立日期",
        "标签",
    ]
    assert [row[1] for row in rows[1:]] == [f"扩展企业{i:03d}" for i in range(9, -1, -1)]
    assert rows[1][4] == "在营"  # the label, without the page's HTML


def test_xlsx_export_holds_every_row_not_one_page(table_export_client, province, monkeypatch):
    monkeypatch.setattr(EnterpriseListView, "page_size", 4)
    add_enterprises(province, 10)
    response = table_export_client.get(reverse(URL), {"sort": "name", "export": "xlsx"})
    assert response["Content-Disposition"].endswith("%E4%BC%81%E4%B8%9A.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 15
    assert [row[1] for row in values[1:]] == sorted(e.name for e in Enterprise.objects.all())


def test_export_keeps_the_users_scope(zone_client, province, zone_user, monkeypatch):
    monkeypatch.setattr(EnterpriseListView, "export_kind", None)
    response = zone_client.get(reverse(URL), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    visible = set(Enterprise.objects.restrict(zone_user).values_list("name", flat=True))
    assert {row[1] for row in list(csv.reader(io.StringIO(text)))[1:]} == visible
    assert len(visible) < Enterprise.objects.count()


def test_only_a_whole_table_is_estimated_and_only_on_postgresql(province, settings):
    settings.KAIFAQU_LIST_ESTIMATE_ABOVE = 1
    add_enterprises(province, 10)
    filtered = Enterprise.objects.filter(name__startswith="扩展")
    assert total(filtered) == (10, False)
    if connection.vendor != "postgresql":
        assert total(Enterprise.objects.all()) == (15, False)
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
    assert total(Enterprise.objects.all()) == (15, True)  # pg_class.reltuples after ANALYZE
    settings.KAIFAQU_LIST_ESTIMATE_ABOVE = 16  # a small table is counted
    assert total(Enterprise.objects.all()) == (15, False)
