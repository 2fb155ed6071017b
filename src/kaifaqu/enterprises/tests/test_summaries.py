"""The zone-year summary refresh: two refreshes at once on PostgreSQL both succeed, and a year
whose enterprise data is gone leaves the table."""

import threading
import time

import pytest
from django.db import connection, transaction

from conftest import make_user
from kaifaqu.enterprises.jobs import refresh_zone_summaries
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.jobs.actions import create_job
from kaifaqu.jobs.progress import Progress
from kaifaqu.zones.models import ZoneYearSummary

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def refresh(username: str, province: dict) -> dict:
    user = make_user(username, "province_analyst", region=province["province"])
    job, _ = create_job("zone_summaries", {}, acting_user=user)
    return refresh_zone_summaries(job, Progress(job))


def test_two_refreshes_at_once_both_succeed(province):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the collision needs PostgreSQL's row versions")
    refresh("first", province)
    before = sorted(ZoneYearSummary.objects.values_list("zone_id", "year", "enterprise_count"))
    inside, failures = threading.Event(), []

    def holding_its_transaction_open() -> None:
        try:
            with transaction.atomic():
                refresh("second", province)
                inside.set()
                time.sleep(1)  # the other refresh reaches the same rows meanwhile
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            failures.append(error)
        finally:
            connection.close()

    def meanwhile() -> None:
        inside.wait(30)
        try:
            refresh("third", province)
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=holding_its_transaction_open),
        threading.Thread(target=meanwhile),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    after = sorted(ZoneYearSummary.objects.values_list("zone_id", "year", "enterprise_count"))
    assert after == before


def test_a_year_without_data_leaves_the_summaries(province):
    refresh("first", province)
    years = sorted(set(ZoneYearSummary.objects.values_list("year", flat=True)))
    EnterpriseYear.objects.filter(year=years[0]).delete()
    counts = refresh("second", province)
    assert sorted(set(ZoneYearSummary.objects.values_list("year", flat=True))) == years[1:]
    assert counts["rows"] == ZoneYearSummary.objects.count()
