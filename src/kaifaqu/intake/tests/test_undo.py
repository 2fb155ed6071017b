"""Undo of a batch, set-based and as a job: the prior state exactly (values and tags), one log row
per object, a refusal that changes nothing, and a query count that does not grow with the batch."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from kaifaqu.assessment.choices import RunState
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, ZoneResult
from kaifaqu.assessment.tests.test_levers import TWO_INDICATORS
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake import undo, writing
from kaifaqu.intake.actions import UndoRefused, undo_batch
from kaifaqu.intake.tests.test_import import run, workbook
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job
from kaifaqu.zones.models import Zone, ZoneYearSummary

pytestmark = pytest.mark.django_db

YEARS_HEADER = ["统一社会信用代码", "年度", "营业收入(万元)", "年平均职工人数(人)"]
ENTERPRISES_HEADER = ["统一社会信用代码", "企业名称", "开发区代码", "标签"]


@pytest.fixture
def usccs(province):
    names = ("东城纺织有限公司", "东城化工股份有限公司")  # in the zone user's zone
    return [province["enterprises"][name].uscc for name in names]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(writing, "CHUNK", 2)
    monkeypatch.setattr(undo, "CHUNK", 2)


def stored_state():
    """Every enterprise, yearly row and tag link as the database holds them."""
    return (
        list(Enterprise.objects.order_by("pk").values()),
        list(EnterpriseYear.objects.order_by("pk").values()),
        sorted(Enterprise.tags.through.objects.values_list("enterprise_id", "tag_id")),
    )


def assert_refused_changing_nothing(batch, user, message):
    """Undoing ``batch`` is refused with ``message``, and no row or log entry changed."""
    state, logged = stored_state(), ObjectChange.objects.count()
    with pytest.raises(UndoRefused) as refused:
        undo_batch(batch, acting_user=user)
    assert str(refused.value) == message
    assert stored_state() == state
    assert ObjectChange.objects.count() == logged


def new_uscc(number):
    first17 = f"91990102MA{number:07d}"
    return first17 + uscc_check_character(first17)


def years_rows(usccs, years, revenue):
    return [[uscc, year, revenue + year, 3] for uscc in usccs for year in years]


def test_undo_of_several_chunks_restores_values_and_tags_and_logs_each_object(
    usccs, zone_user, small_chunks
):
    # Given a file that renames and retags the zone's two enterprises and adds three, written
    # and undone two log rows at a time
    before = stored_state()
    rows = [
        [usccs[0], "东城纺织集团有限公司", "Z001", "重点排污单位、专精特新"],
        [usccs[1], "东城化工有限公司", "Z001", "高新技术企业"],
        *([new_uscc(n), f"新企业{n}", "Z001", "高新技术企业"] for n in (11, 12, 13)),
    ]
    batch = run(workbook(ENTERPRISES_HEADER, rows, sheet="企业名录"), zone_user, kind="enterprises")
    assert (batch.state, batch.counts["insert"], batch.counts["update"]) == ("committed", 3, 2)
    renamed = Enterprise.objects.get(uscc=usccs[0])

    # When it is undone
    undo_batch(batch, acting_user=zone_user)

    # Then the enterprises, their tags and their yearly rows are exactly as before
    assert stored_state() == before
    assert batch.state == "undone"
    # and the undo logged each object once, as the zone user, under a request id of its own
    log = ObjectChange.objects.exclude(request_id=batch.request_id).filter(
        action__in=["update", "delete"]
    )
    assert sorted(log.values_list("action", "object_repr")) == [
        ("delete", "新企业11"),
        ("delete", "新企业12"),
        ("delete", "新企业13"),
        ("update", "东城化工有限公司"),
        ("update", "东城纺织集团有限公司"),
    ]
    assert {(c.username, c.channel) for c in log} == {("east_staff", "import")}
    assert len({c.request_id for c in log}) == 1
    restored = log.get(object_id=str(renamed.pk))
    tags = sorted(renamed.tags.values_list("pk", flat=True))
    assert (restored.before["name"], restored.after["name"]) == (
        "东城纺织集团有限公司",
        "东城纺织有限公司",
    )
    assert restored.after["tags"] == tags != restored.before["tags"]
    assert (restored.province_code, restored.region_code) == ("990000", "990102")
    deleted = log.filter(action="delete").first()
    assert (deleted.before["name"][:3], deleted.after) == ("新企业", None)


def test_undo_of_yearly_rows_in_chunks_restores_the_stored_values(usccs, zone_user, small_chunks):
    # Given a file that updates the four stored yearly rows and inserts four
    before = stored_state()
    batch = run(workbook(YEARS_HEADER, years_rows(usccs, (2022, 2023, 2024, 2025), 5)), zone_user)
    assert (batch.counts["insert"], batch.counts["update"]) == (4, 4)

    undo_batch(batch, acting_user=zone_user)

    assert stored_state() == before
    log = ObjectChange.objects.exclude(request_id=batch.request_id)
    assert sorted(log.values_list("action", flat=True)) == ["delete"] * 4 + ["update"] * 4
    update = log.filter(action="update").get(object_repr="东城纺织有限公司 2024")
    assert (update.before["operating_revenue"], update.after["operating_revenue"]) == (
        "2029",
        "2001",
    )
    assert (update.before["avg_employees"], update.after["avg_employees"]) == (3, None)


def test_refused_undo_changes_nothing(usccs, zone_user, small_chunks):
    # Given a batch of which a later import changed one row
    first = run(workbook(YEARS_HEADER, years_rows(usccs, (2022, 2023), 5)), zone_user)
    run(workbook(YEARS_HEADER, years_rows(usccs[:1], (2023,), 9)), zone_user)
    assert_refused_changing_nothing(
        first, zone_user, "有1个对象在本次导入之后又被修改过,不能撤销;请先撤销之后的修改"
    )
    first.refresh_from_db()
    assert first.state == "committed"


def test_undo_refused_half_way_leaves_everything_as_it_was(
    province, usccs, zone_user, small_chunks
):
    # Given a batch of four rows, one of which was since moved out of the user's zone
    batch = run(workbook(YEARS_HEADER, years_rows(usccs, (2022, 2023), 5)), zone_user)
    # (the file's first row: its log row is the oldest, reverted in the last chunk)
    EnterpriseYear.objects.filter(year=2022, enterprise__uscc=usccs[0]).update(
        zone=province["zones"]["west"]
    )
    # When undone (the newer chunk is reverted before the older one is checked), then it is
    # refused and nothing changed
    assert_refused_changing_nothing(
        batch, zone_user, "有1个对象已不存在或不在您的数据范围内,不能撤销"
    )


def test_undo_asks_first_saying_what_it_will_remove_and_restore(usccs, zone_user, zone_client):
    # Given a committed batch that added four years of two enterprises
    batch = run(workbook(YEARS_HEADER, years_rows(usccs, (2022, 2023), 5)), zone_user)
    changes = ObjectChange.objects.count()

    # When the batch page's undo is followed, then a page says what will change, and nothing did
    batch_page = zone_client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    url = reverse("intake:undo", args=[batch.pk])
    assert f'href="{url}" data-testid="undo-link"' in batch_page
    page = zone_client.get(url).content.decode()
    assert '删除本次新增的 <strong data-testid="undo-insert">4</strong> 条记录' in page
    assert "恢复为导入前的值" in page
    assert 'data-testid="undo-confirm"' in page
    assert (ObjectChange.objects.count(), Job.objects.filter(kind="import_undo").count()) == (
        changes,
        0,
    )
    # and a batch that is not committed has nothing to confirm
    batch.state = "undone"
    batch.save()
    assert zone_client.get(url).status_code == 404


def test_undo_from_the_page_runs_as_a_job_and_the_page_shows_it(usccs, zone_user, zone_client):
    # Given a committed batch
    batch = run(workbook(YEARS_HEADER, years_rows(usccs, (2022, 2023), 5)), zone_user)

    # When the user asks to undo it, then a job is queued and the user sent to the batch page
    response = zone_client.post(reverse("intake:undo", args=[batch.pk]))
    assert response["Location"] == reverse("intake:batch", args=[batch.pk])
    job = Job.objects.get(kind="import_undo")
    assert (job.state, job.params, job.user) == ("queued", {"batch": batch.pk}, zone_user)
    page = zone_client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "撤销导入" in page
    assert "hx-get" in page  # the page polls the queued job

    # and when the job runs, the rows are gone and the batch is undone
    run_job(job)
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.message, job.error) == (
        "succeeded",
        4,
        4,
        "撤销完成",
        "",
    )
    assert job.result == {"batch": batch.pk, "reverted": 4}
    batch.refresh_from_db()
    assert batch.state == "undone"
    assert not EnterpriseYear.objects.filter(year__in=[2022, 2023]).exists()
    page = zone_client.get(reverse("intake:batch", args=[batch.pk])).content.decode()
    assert "hx-get" not in page
    assert '<div class="value" data-testid="batch-state">已撤销</div>' in page


def test_refused_undo_job_says_why_on_the_batch_page(usccs, zone_user, zone_client):
    # Given a batch of which a later import changed a row
    first = run(workbook(YEARS_HEADER, years_rows(usccs, (2022, 2023), 5)), zone_user)
    run(workbook(YEARS_HEADER, years_rows(usccs[:1], (2023,), 9)), zone_user)
    state = stored_state()

    zone_client.post(reverse("intake:undo", args=[first.pk]))
    run_job(Job.objects.get(kind="import_undo"))

    message = "有1个对象在本次导入之后又被修改过,不能撤销;请先撤销之后的修改"
    assert Job.objects.get(kind="import_undo").error == message
    page = zone_client.get(reverse("intake:batch", args=[first.pk])).content.decode()
    assert f'<div class="card error" data-testid="job-error">{message}</div>' in page
    assert stored_state() == state
    first.refresh_from_db()
    assert first.state == "committed"


def test_undo_costs_the_same_queries_for_few_rows_and_many(usccs, zone_user):
    # Given two batches that each update stored rows and insert new ones, one of 4, one of 40
    def queries_of_undo(years):
        run(workbook(YEARS_HEADER, years_rows(usccs, years, 1)), zone_user)  # stored before
        batch = run(
            workbook(YEARS_HEADER, years_rows(usccs, years + years_of(years), 2)), zone_user
        )
        assert batch.counts["insert"] == batch.counts["update"] == 2 * len(years)
        with CaptureQueriesContext(connection) as queries:
            undo_batch(batch, acting_user=zone_user)
        return len(queries)

    def years_of(years):
        return tuple(year + 100 for year in years)

    # Then undoing either costs the same number of queries
    few = queries_of_undo((1951,))
    many = queries_of_undo(tuple(range(1960, 1970)))
    assert few == many
    assert few <= 20


def test_undo_is_refused_when_other_data_references_a_created_object(usccs, zone_user):
    # Given an enterprise the batch created, since granted points (which protect it)
    from kaifaqu.mujun.models import PointsEntry

    rows = [[new_uscc(21), "新企业21", "Z001", None]]
    batch = run(workbook(ENTERPRISES_HEADER, rows, sheet="企业名录"), zone_user, kind="enterprises")
    PointsEntry.objects.create(
        enterprise=Enterprise.objects.get(uscc=new_uscc(21)),
        year=2025,
        kind="bonus",
        points=1,
        item="安全生产标准化一级",
        evidence="东安〔2025〕1号",
        entered_by=zone_user,
    )
    assert_refused_changing_nothing(
        batch,
        zone_user,
        "本次导入新增的企业已被其他数据引用(亩均评价加扣分 1 条),不能撤销;请先撤销或删除这些数据",
    )


def test_undo_is_refused_when_later_figures_would_go_with_a_created_enterprise(zone_user):
    # Given an enterprise the batch created, and a later import of its yearly figures
    rows = [[new_uscc(22), "新企业22", "Z001", None], [new_uscc(23), "新企业23", "Z001", None]]
    batch = run(workbook(ENTERPRISES_HEADER, rows, sheet="企业名录"), zone_user, kind="enterprises")
    run(workbook(YEARS_HEADER, years_rows([new_uscc(23)], (2024, 2025), 100)), zone_user)
    # Then undoing the enterprises would delete those figures unlogged: it is refused
    assert_refused_changing_nothing(
        batch,
        zone_user,
        "本次导入新增的企业已被其他数据引用(企业年度数据 2 条),不能撤销;请先撤销或删除这些数据",
    )


def created_zone(province, code):
    """A zone created by a province manager's batch: (the manager, the batch, the zone)."""
    manager = make_user("manager", "province_manager", region=province["province"])
    header = ["开发区代码", "开发区名称", "开发区类型", "所在区划代码"]
    rows = [[code, f"新区{code}", "省级经济开发区", "990102"]]
    batch = run(workbook(header, rows, sheet="开发区名录"), manager, kind="zones")
    return manager, batch, Zone.objects.get(code=code)


def test_undo_of_created_zones_takes_their_rebuilt_summaries_along(province):
    # Given a zone a province manager's batch created, and the summary a job made for it since
    manager, batch, zone = created_zone(province, "Z201")
    ZoneYearSummary.objects.create(
        zone=zone,
        province_code=zone.province_code,
        year=2025,
        enterprise_count=0,
        above_scale_count=0,
        refreshed=timezone.now(),
    )
    # When the batch is undone, then the zone is gone, and the summary with it
    undo_batch(batch, acting_user=manager)
    assert not Zone.objects.filter(code="Z201").exists()
    assert not ZoneYearSummary.objects.filter(zone_id=zone.pk).exists()


def test_undo_restores_a_date_the_import_changed(usccs, zone_user):
    # Given an enterprise registered on a date, and a file that changes the date
    Enterprise.objects.filter(uscc=usccs[0]).update(registration_date=date(2008, 2, 29))
    before = stored_state()
    header = ["统一社会信用代码", "企业名称", "开发区代码", "成立日期"]
    rows = [[usccs[0], "东城纺织有限公司", "Z001", "2010-06-01"]]
    batch = run(workbook(header, rows, sheet="企业名录"), zone_user, kind="enterprises")
    assert Enterprise.objects.get(uscc=usccs[0]).registration_date == date(2010, 6, 1)
    # When it is undone, then the date is the stored one again
    undo_batch(batch, acting_user=zone_user)
    assert Enterprise.objects.get(uscc=usccs[0]).registration_date == date(2008, 2, 29)
    assert stored_state() == before


def test_undo_is_refused_when_an_assessment_result_points_at_a_created_zone(province):
    # Given a zone a province manager's batch created, since assessed (the result's relation to
    # its zone is hidden: related_name="+")
    manager, batch, zone = created_zone(province, "Z301")
    framework = AssessmentFramework.objects.create(
        code="two", name="两指标", owner=province["province"]
    )
    version = framework.versions.create(number=1, document=TWO_INDICATORS, created_by=manager)
    assessment = AssessmentRun.objects.create(
        version=version, year=2025, state=RunState.DONE, replications=0, created_by=manager
    )
    ZoneResult.objects.create(
        run=assessment,
        zone=zone,
        province_code=zone.province_code,
        total=50,
        rank=1,
        group_rank=1,
        published_rank=1,
        dimensions={},
        dimension_ranks={},
        indicators={},
    )
    # Then undoing the zone would delete the result with it, unlogged: it is refused
    assert_refused_changing_nothing(
        batch,
        manager,
        "本次导入新增的开发区已被其他数据引用(开发区考核结果 1 条),不能撤销;请先撤销或删除这些数据",
    )
    assert Zone.objects.filter(code="Z301").exists()
    assert ZoneResult.objects.filter(run=assessment, zone=zone).exists()
