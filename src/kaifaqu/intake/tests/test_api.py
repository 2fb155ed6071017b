"""``/api/v1/import-batches/``: the caller's imports with their counts and problems summed up."""

import pytest
from rest_framework.test import APIClient

from kaifaqu.api.tests.helpers import refused_batch

pytestmark = pytest.mark.django_db


def test_a_batch_shows_its_counts_and_its_problems_summed_up(province_analyst):
    client = APIClient()
    client.force_login(province_analyst)
    batch = refused_batch(province_analyst)

    body = client.get(f"/api/v1/import-batches/{batch.pk}/").json()

    assert (body["state"], body["counts"]["invalid_rows"]) == ("refused", 2)
    assert body["problems"] == {
        "errors": 2,
        "warnings": 1,
        "by_code": {"uscc_invalid": 2, "name_changed": 1},
        "report": f"http://testserver/intake/batches/{batch.pk}/report.xlsx",
    }
