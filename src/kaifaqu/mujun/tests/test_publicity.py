"""The 公示 cannot be skipped: it starts no earlier than today, lasts the scheme's minimum to
maximum 自然日, and the list is published only after it ended with every objection decided."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun
from kaifaqu.mujun.scheme import SchemeError, parse_scheme
from kaifaqu.publications.models import Publication

from .conftest import PUBLICITY_DAY, evaluate_now

TODAY = PUBLICITY_DAY.date()
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _refused(run, start: date, end: date, user, match: str) -> None:
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError, match=re.escape(match)):
        actions.start_publicity(run, start=start, end=end, acting_user=user)
    # nothing changed: still a draft, no 公示 list, nothing logged
    run = EvaluationRun.objects.get(pk=run.pk)
    assert (run.state, run.publicity_id, run.publicity_start) == ("draft", None, None)
    assert not Publication.objects.exists()
    assert ObjectChange.objects.count() == changes


@pytest.mark.parametrize(
    ("start", "end", "match"),
    [
        # the window of the issue: entered on 12-03 for 11-20 → 11-27
        (TODAY - timedelta(days=13), TODAY - timedelta(days=6), "早于今天"),
        (TODAY - timedelta(days=1), TODAY + timedelta(days=5), "早于今天"),
        (TODAY, TODAY + timedelta(days=1), "3至30个自然日(含首尾两天),现为2天"),
        (TODAY, TODAY + timedelta(days=30), "3至30个自然日(含首尾两天),现为31天"),
        (TODAY, TODAY - timedelta(days=2), "现为-1天"),
    ],
)
def test_a_backdated_too_short_or_too_long_window_is_refused(
    run, province_analyst, start, end, match
):
    _refused(run, start, end, province_analyst, match)


def test_the_bounds_are_inclusive_and_counted_in_beijing_days(run, province_analyst):
    # at 00:30 in Beijing (16:30 UTC the day before), "today" is the Beijing date
    late = datetime(2026, 3, 11, 0, 30, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False):
        start = date(2026, 3, 11)
        run = actions.start_publicity(
            run, start=start, end=start + timedelta(days=2), acting_user=province_analyst
        )
    assert (run.state, run.publicity_start, run.publicity_end) == (
        "publicity",
        date(2026, 3, 11),
        date(2026, 3, 13),
    )


def test_a_thirty_day_window_starting_later_is_accepted(run, province_analyst):
    start = TODAY + timedelta(days=3)
    run = actions.start_publicity(
        run, start=start, end=start + timedelta(days=29), acting_user=province_analyst
    )
    assert run.state == "publicity"


def test_the_bounds_are_the_schemes_data(rich_province, scheme, manager, province_analyst):
    # given a version of the scheme whose 公示 lasts 5 to 10 days
    document = scheme.document + "\n[publicity]\nmin_days = 5\nmax_days = 10\n"
    longer = actions.save_scheme_version(scheme, document, acting_user=manager)
    run = evaluate_now(
        actions.start_run(
            longer,
            year=2025,
            region=rich_province["province"],
            zone=None,
            acting_user=province_analyst,
        )
    )
    _refused(run, TODAY, TODAY + timedelta(days=3), province_analyst, "5至10个自然日")
    _refused(run, TODAY, TODAY + timedelta(days=10), province_analyst, "5至10个自然日")
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=4), acting_user=province_analyst
    )
    assert run.state == "publicity"


@pytest.mark.parametrize(
    "table",
    ["min_days = 0", "min_days = 10\nmax_days = 5", 'max_days = "30"', "min_days = true"],
)
def test_a_scheme_with_impossible_bounds_is_refused(scheme, table):
    with pytest.raises(SchemeError, match=r"\[publicity\]"):
        parse_scheme(scheme.document + f"\n[publicity]\n{table}\n")


def test_publication_waits_for_the_end_of_the_window_and_every_decision(
    run, manager, province_analyst, rich_province
):
    # given a 公示 of three days from today, and an objection filed on its second day
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=2), acting_user=province_analyst
    )
    weakest = EvaluationResult.objects.filter(run=run).order_by("total").first()
    enterprise = make_user("ent", "enterprise_user", enterprise=weakest.enterprise)
    with time_machine.travel(PUBLICITY_DAY + timedelta(days=1), tick=False):
        objection = actions.file_objection(
            weakest, reason="用地面积有误", evidence="不动产权证", acting_user=enterprise
        )
    # then publication is refused on the window's last day, and after it while undecided
    last_day, after = (PUBLICITY_DAY + timedelta(days=n) for n in (2, 3))
    with time_machine.travel(last_day, tick=False), pytest.raises(ValidationError) as refused:
        actions.publish_run(run, acting_user=manager)
    assert refused.value.messages == [
        "公示期至2026-03-12结束,届满后方可发布",
        "仍有1件未处理的异议,处理完毕后方可发布",
    ]
    with time_machine.travel(after, tick=False):
        with pytest.raises(ValidationError) as refused:
            actions.publish_run(run, acting_user=manager)
        assert refused.value.messages == ["仍有1件未处理的异议,处理完毕后方可发布"]
        assert EvaluationRun.objects.get(pk=run.pk).state == "publicity"
        # when the analyst decides it, the manager publishes
        actions.decide_objection(
            objection, accept=False, note="面积以不动产登记为准", acting_user=province_analyst
        )
        run = actions.publish_run(EvaluationRun.objects.get(pk=run.pk), acting_user=manager)
    assert run.state == "published"
    assert run.final_list is not None


def test_the_run_page_and_list_say_who_opened_the_publicity_and_when(client, run, province_analyst):
    province_analyst.last_name, province_analyst.first_name = "王", "分析"
    province_analyst.save()
    with time_machine.travel(datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI), tick=False):
        actions.start_publicity(
            run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=province_analyst
        )
    client.force_login(province_analyst)
    page = client.get(reverse("mujun:run", args=[run.pk])).content.decode()
    assert '<dd data-testid="publicity-opened">2026-03-10 09:30 · 分析 王</dd>' in page
    listing = client.get(reverse("mujun:run_list")).content.decode()
    assert "2026-03-10 至 2026-03-16" in listing
    assert "2026-03-10 09:30 · 分析 王" in listing


def test_the_publicity_form_proposes_a_window_that_would_be_accepted(client, run, province_analyst):
    client.force_login(province_analyst)
    page = client.get(reverse("mujun:run", args=[run.pk])).content.decode()
    assert 'name="start" value="2026-03-10" min="2026-03-10"' in page
    assert 'name="end" value="2026-03-12"' in page
    response = client.post(
        reverse("mujun:run_step", args=[run.pk, "publicity"]),
        {"start": "2026-03-10", "end": "2026-03-12"},
    )
    assert response.status_code == 302
    assert EvaluationRun.objects.get(pk=run.pk).state == "publicity"
