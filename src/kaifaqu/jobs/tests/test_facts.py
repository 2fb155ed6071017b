"""A finished job's page says what it did in Chinese: its kind's facts, never its result's keys."""

import pytest
from django.urls import reverse

from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.registry import Fact

pytestmark = pytest.mark.django_db


def test_a_finished_job_is_told_by_its_facts(analyst_client, province_analyst):
    job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    job = run_job(job)
    assert job.result == {"zones": 3, "rows": 6, "replaced": 0}

    assert job.facts == [
        Fact("汇总开发区", "3 个"),
        Fact("汇总表行数", "6 行"),
        Fact("替换旧行", "0 行"),
    ]
    page = analyst_client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    assert "<dt>汇总开发区</dt><dd>3 个</dd>" in page
    assert "replaced" not in page


def test_a_kind_without_its_own_facts_shows_only_the_entries_a_person_can_read(
    province_analyst,
):
    job, _ = create_job("list_export", {"kind": "zones", "query": ""}, acting_user=province_analyst)
    job = run_job(job)

    assert job.facts == [Fact("行数", "3"), Fact("文件", "开发区名录.xlsx")]
