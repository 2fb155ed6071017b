"""`demo-data --evaluations`: the province's runs queued, the national ranking done and out."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from kaifaqu.assessment.models import AssessmentRun
from kaifaqu.demo.generator import PROVINCE
from kaifaqu.demo.national import NATIONAL_CODE

pytestmark = [pytest.mark.django_db, pytest.mark.demo_build]

# 226 synthetic national ETDZs (110 东部, 66 中部, 50 西部) and the demo province's 4
NATIONAL_ZONES = 230


def test_the_national_ranking_is_published_and_the_analyst_sees_it_whole(client):
    # when the demo is built with its evaluations
    out = StringIO()
    call_command(
        "demo_data", "--enterprises", "300", "--evaluations", stdout=out, stderr=StringIO()
    )
    # then the MOFCOM preset has ranked every national ETDZ of the latest year, and it is out
    run = AssessmentRun.objects.get(version__framework__code="mofcom_2021")
    assert (run.year, run.state, run.level, run.ranked_by) == (2025, "done", "national", "group")
    assert run.results.count() == NATIONAL_ZONES
    assert run.publication is not None
    assert run.publication.state == "published"
    assert len(run.publication.rows) == NATIONAL_ZONES
    assert sorted(run.publication.audience_regions.values_list("code", flat=True)) == [
        NATIONAL_CODE,
        PROVINCE,
    ]
    assert f"已完成:全国国家级经开区考核 2025:{NATIONAL_ZONES} 个开发区,排名已发布\n" in (
        out.getvalue()
    )
    # and the province's own runs are queued for the worker beside it
    provincial = AssessmentRun.objects.filter(version__framework__code="provincial_six")
    assert sorted(provincial.values_list("year", "state")) == [(2024, "queued"), (2025, "queued")]
    # and the province's analyst reads the whole ranking: every region, its own zones in it
    client.force_login(get_user_model().objects.get(username="analyst"))
    page = client.get(reverse("assessment:run", args=[run.pk]))
    rows = [row["r"] for row in page.context["rows"]]
    assert len(rows) == NATIONAL_ZONES
    assert Counter(r.province_code for r in rows) == {NATIONAL_CODE: 226, PROVINCE: 4}
    assert Counter(r.group for r in rows if r.province_code == NATIONAL_CODE) == {
        "东部": 110,
        "中部": 66,
        "西部": 50,
    }
    offered = page.context["filterset"].form.fields["group"].choices
    assert sorted(value for value, _ in offered if value) == ["东部", "中部", "西部"]
    # and only its own zones open a profile
    assert [r.province_code for r in rows if r.own] == [PROVINCE] * 4


def test_a_reset_after_the_evaluations_rebuilds_without_leftovers():
    # given the demo built with its evaluations, and their jobs done (results, summaries)
    from kaifaqu.jobs.actions import run_job
    from kaifaqu.jobs.models import Job
    from kaifaqu.mujun.models import EvaluationResult, EvaluationRun

    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("demo_data", "--enterprises", "300", "--evaluations", **quiet)
    for job in Job.objects.filter(state="queued"):
        run_job(job)
    assert EvaluationResult.objects.filter(province_code=PROVINCE).exists()
    # when it is built again with --reset
    call_command("demo_data", "--enterprises", "200", "--reset", "--evaluations", **quiet)
    # then there is one set of evaluations again, on the new province, nothing left of the old
    assert EvaluationRun.objects.filter(province_code=PROVINCE).count() == 1
    assert not EvaluationResult.objects.exists()
    assert AssessmentRun.objects.filter(version__framework__code="mofcom_2021").count() == 1
    analyst = get_user_model().objects.get(username="analyst")
    assert analyst.profile.region.code == PROVINCE
