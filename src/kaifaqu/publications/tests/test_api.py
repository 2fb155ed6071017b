"""``/api/v1/publications/``: published lists, showing only the columns each grants."""

import pytest
from rest_framework.test import APIClient

from kaifaqu.api.tests.helpers import published_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(zone_user):
    client = APIClient()
    client.force_login(zone_user)
    return client


def test_a_publication_shows_its_granted_columns_and_nothing_else(
    api_client, province, province_analyst
):
    publication = published_list(province["province"], acting_user=province_analyst)

    response = api_client.get(f"/api/v1/publications/{publication.pk}/")

    assert response.json() == {
        "id": publication.pk,
        "title": "示范省开发区排名通报",
        "kind": "ranking",
        "published": response.json()["published"],
        "columns": [{"key": "rank", "label": "名次"}, {"key": "total", "label": "得分"}],
        "rows": [[1, 80.5], [2, 70]],
    }
    assert "不公开" not in response.content.decode()


def test_the_list_leaves_the_rows_out_and_a_draft_is_not_shown(
    api_client, province, province_analyst
):
    published = published_list(province["province"], acting_user=province_analyst)
    draft = published_list(province["province"], acting_user=province_analyst, state="draft")

    rows = api_client.get("/api/v1/publications/").json()["results"]

    assert [(row["id"], "rows" in row) for row in rows] == [(published.pk, False)]
    assert api_client.get(f"/api/v1/publications/{draft.pk}/").status_code == 404
