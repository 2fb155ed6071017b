"""Who sees what: a unit's members its tasks and reports, a zone its own, a city its region's."""

from datetime import date

import pytest

from kaifaqu.policies import actions
from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProgressReport, ProposedTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervised(world):
    east = world["users"]["east"]
    for path in ("一/(一)", "一/(二)", "一/(三)"):
        actions.confirm(world["proposals"][path], acting_user=east, today=date(2025, 4, 1))
    return world


def seen(user) -> dict[str, list[str]]:
    tasks = PolicyTask.objects.restrict(user).order_by("pk")
    return {
        "tasks": [f"{t.proposal.path} {t.lead_unit.name}" for t in tasks],
        "reports": sorted(
            r.task.lead_unit.name for r in ProgressReport.objects.restrict(user).select_related(
                "task__lead_unit"
            )
        ),
        "documents": list(PolicyDocument.objects.restrict(user).values_list("title", flat=True)),
    }  # fmt: skip


def test_a_units_members_see_its_tasks_wherever_they_work(supervised):
    clerk = supervised["users"]["clerk"]  # in 西城, a member of 东城市商务局
    assert seen(clerk) == {
        "tasks": ["一/(一) 东城市商务局", "一/(三) 东城市发展和改革委员会"],  # lead, support
        "reports": [],
        "documents": ["东城市开发区高质量发展行动方案"],
    }
    # it may not review the document it sees through its tasks
    assert not ProposedTask.objects.restrict(clerk, "change").exists()


def test_a_zone_sees_its_own_tasks_and_reports(supervised):
    assert seen(supervised["users"]["zone"]) == {
        "tasks": ["一/(二) 东城经济技术开发区管委会"],
        "reports": ["东城经济技术开发区管委会"],
        "documents": ["东城市开发区高质量发展行动方案"],
    }


def test_a_city_sees_its_regions_and_no_other(supervised):
    east = seen(supervised["users"]["east"])
    assert len(east["tasks"]) == 5
    assert east["reports"] == ["东城经济技术开发区管委会", "东城高新技术产业开发区管委会"]
    assert seen(supervised["users"]["west"]) == {"tasks": [], "reports": [], "documents": []}
    assert len(seen(supervised["users"]["leader"])["tasks"]) == 5
