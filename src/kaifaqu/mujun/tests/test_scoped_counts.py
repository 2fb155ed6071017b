"""Every count on a 亩均 page is over what the user may see: a zone office reads its own zones'
enterprises on the run page and in the run list, never the jurisdiction's totals."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kaifaqu.mujun.actions import start_publicity
from kaifaqu.mujun.models import EvaluationResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_run(run: Any, manager: Any) -> Any:
    today = timezone.localdate()
    return start_publicity(run, start=today, end=today + timedelta(days=6), acting_user=manager)


def kpi(page: Any, label: str) -> str:
    """The value of the page's KPI tile ``label``."""
    text = page.content.decode()
    start = text.index(f'<div class="label">{label}</div>')
    value = text.index('<div class="value">', start) + len('<div class="value">')
    return text[value : text.index("<", value)]


def test_the_run_page_counts_the_zone_users_enterprises_only(client, public_run, zone_user):
    zones = zone_user.profile.zones.all()
    own = EvaluationResult.objects.filter(run=public_run, zone__in=zones)
    assert (public_run.counts["graded"], own.count()) == (5, 2)  # the province's, the zone's
    client.force_login(zone_user)

    page = client.get(reverse("mujun:run", args=[public_run.pk]))

    assert (kpi(page, "参评企业"), kpi(page, "读取企业")) == ("2", "2")
    assert page.context["charts"]["counts"] == {"graded": 2, "units": 2}


def test_the_province_analyst_sees_the_whole_run(client, run, province_analyst):
    client.force_login(province_analyst)

    page = client.get(reverse("mujun:run", args=[run.pk]))

    assert (kpi(page, "参评企业"), kpi(page, "读取企业")) == ("5", "5")


def test_the_run_list_counts_the_zone_users_enterprises_only(client, public_run, zone_user):
    client.force_login(zone_user)

    page = client.get(reverse("mujun:run_list")).content.decode()

    row = page[page.index(f"#{public_run.pk} 第") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">2</td>' in row
    assert '<td class="num">5</td>' not in row
