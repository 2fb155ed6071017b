"""The list of publications: filtered, paged, and as cheap for 200 rows as for 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.publications.models import Publication

pytestmark = pytest.mark.django_db

# session, user, profile (+ zones), the page's rows, its count,
# and the idle-timeout stamp saved to the session
LIST_QUERIES = 10  # with the header's unread notifications


def add_drafts(rows: range, author, province) -> None:
    for i in rows:
        Publication.objects.create(
            title=f"排名通报{i}", kind="ranking", author=author, author_region=province
        )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_rows(analyst_client, province, province_analyst):
    url = reverse("publications:publication_list")
    analyst_client.get(url)  # the session's first request also settles the second-factor check
    add_drafts(range(10), province_analyst, province["province"])
    ten = queries(analyst_client, url)
    add_drafts(range(10, 200), province_analyst, province["province"])
    assert (ten, queries(analyst_client, url)) == (LIST_QUERIES, LIST_QUERIES)


def test_list_pages_past_fifty_and_filters_by_title(analyst_client, province, province_analyst):
    add_drafts(range(120), province_analyst, province["province"])
    url = reverse("publications:publication_list")
    first = analyst_client.get(url)
    assert (first.context["count"], len(first.context["page"].rows)) == (120, 50)
    found = analyst_client.get(url, {"q": "通报7"})
    titles = sorted(p.title for p in found.context["page"].rows)
    assert titles == ["排名通报7", *(f"排名通报{i}" for i in range(70, 80))]
