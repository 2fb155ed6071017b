"""The demo province's 招商 pipeline: three years whose figures land near the seeds' targets,
with stalled, paused, lost and blocked projects, and every zone's targets for each year."""

import pytest
from django.utils import timezone

from kaifaqu.demo.generator import PROVINCE, generate
from kaifaqu.investment import kpi_report, kpis
from kaifaqu.investment.kpi_models import Kpi, KpiTarget
from kaifaqu.investment.models import Project, StageChange
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.zones.models import Zone

pytestmark = [pytest.mark.django_db, pytest.mark.demo_build]


def year_figures(year: int) -> tuple[float, float, float]:
    """签约转化率 (the year's 储备 pool signed in the year), 主导产业签约占比 and
    当年签约当年开工率, straight from the stage history."""
    changes = StageChange.objects.filter(occurred_on__year=year)
    pool = set(changes.filter(to_stage="reserve").values_list("project", flat=True))
    signed = changes.filter(to_stage="signed")
    signed_ids = set(signed.values_list("project", flat=True))
    started = changes.filter(to_stage="started", project__in=signed_ids).count()
    return (
        len(pool & signed_ids) / len(pool),
        signed.filter(project__leading_industry=True).count() / len(signed_ids),
        started / len(signed_ids),
    )


def test_three_years_of_projects_meet_the_seeds_targets():
    generate(seed=2026, enterprises=300)
    this_year = timezone.localdate().year
    for year in (this_year - 2, this_year - 1):
        conversion, leading, same_year_start = year_figures(year)
        assert 0.5 <= conversion <= 0.8
        assert 0.3 <= leading <= 0.7
        assert 0.3 <= same_year_start <= 0.8
    projects = Project.objects.filter(province_code=PROVINCE)
    stages = set(projects.values_list("stage", flat=True))
    assert {"reserve", "signed", "started", "operating", "paused", "terminated"} <= stages
    blocked = SupervisedItem.objects.filter(kind__code="ZS", province_code=PROVINCE)
    assert blocked.count() > 0
    assert all(item.subject_id for item in blocked)
    zones = Zone.objects.filter(province_code=PROVINCE)
    targets = KpiTarget.objects.filter(province_code=PROVINCE)
    years = {this_year - 2, this_year - 1, this_year}
    assert set(targets.values_list("year", flat=True)) == years
    assert targets.count() == zones.count() * len(years) * 6
    conversion = targets.filter(kpi=Kpi.SIGN_CONVERSION_PERIOD).values_list("value", flat=True)
    assert {int(value) for value in conversion} <= {50, 55, 60}
    zone = zones.order_by("code").first()
    period = kpis.Period.year(this_year - 1, timezone.localdate())
    data = kpis.compute(Project.objects.filter(zone=zone), period)
    shown = {f.code: f.target for f in kpi_report.groups(data, period, None, zone)[0].figures}
    own = targets.get(zone=zone, year=this_year - 1, kpi=Kpi.SIGN_CONVERSION_PERIOD).value
    assert shown[Kpi.SIGN_CONVERSION_PERIOD] == own
    generate(seed=2026, enterprises=300, reset=True)  # its own rows go with the reset
    assert projects.count() > 0
