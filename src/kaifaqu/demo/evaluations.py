"""The demo's first evaluations: so that a newcomer's 亩均 and 考核 pages show results.

The demo province's analyst copies the 黄岩 2022 亩均 preset and the provincial six-dimension
assessment framework, and queues a 亩均 run for the latest year and assessment runs for the last
two years (the second has 进位). The worker that ``make demo`` starts computes them.

The national office's part is done at once instead: the MOFCOM preset ranks every national ETDZ
(the synthetic national set and the demo province's own) for the latest year, and its ranking is
published, which needs the run finished."""

from django.contrib.auth.models import User
from django.db.models import Max

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.actions import copy_framework, publish_ranking
from kaifaqu.assessment.actions import start_run as start_assessment
from kaifaqu.assessment.models import AssessmentFramework
from kaifaqu.catalog.models import Region
from kaifaqu.demo.geography import PROVINCE_CODE
from kaifaqu.demo.national import YEARS as NATIONAL_YEARS
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.mujun.actions import copy_preset
from kaifaqu.mujun.actions import start_run as start_mujun


def queue_demo_evaluations(analyst: User) -> list[str]:
    province = Region.objects.get(code=PROVINCE_CODE)
    years = EnterpriseYear.objects.filter(province_code=PROVINCE_CODE)
    latest = years.aggregate(year=Max("year"))["year"]
    scheme = copy_preset("huangyan_2022", region=province, acting_user=analyst)
    start_mujun(scheme, year=latest, region=province, zone=None, acting_user=analyst)
    preset = AssessmentFramework.objects.get(owner=None, code="provincial_six")
    framework = copy_framework(
        preset, acting_user=analyst, code="provincial_six", name=f"{province.name}开发区综合考核"
    )
    version = framework.latest()
    assert version is not None
    for year in (latest - 1, latest):
        start_assessment(version, year=year, acting_user=analyst, province_code=PROVINCE_CODE)
    return [f"亩均评价 {latest}({scheme.name})", f"开发区考核 {latest - 1}、{latest}"]


def publish_national_ranking(acting_user: ActingUser) -> str:
    """Run the MOFCOM preset over all national ETDZs here and publish its ranking.

    ``acting_user`` stands for the national office: its scope must hold every national ETDZ
    (the demo builder's superuser does), or the ranking would leave zones out."""
    preset = AssessmentFramework.objects.get(owner=None, code="mofcom_2021")
    version = preset.latest()
    assert version is not None
    year = int(NATIONAL_YEARS[-1])
    run = start_assessment(version, year=year, acting_user=acting_user, background=False)
    publish_ranking(run, acting_user=acting_user)
    return f"全国国家级经开区考核 {year}:{run.results.count()} 个开发区,排名已发布"
