"""Pages: ranking, status list, comparison, profile, exports, publication, targets, reports."""

import io
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user, require_system_tool
from kaifaqu.assessment.actions import publish_ranking, set_rank_target, set_target, start_run
from kaifaqu.assessment.models import Deduction, Report, Target
from kaifaqu.assessment.tests.conftest import finish, preset, put, seed_provincial
from kaifaqu.catalog.models import Indicator
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    return finish(start_run(version, year=2025, replications=50, acting_user=province_analyst))


def test_ranking_page_shows_ranks_intervals_and_dimensions(analyst_client, run):
    page = analyst_client.get(reverse("assessment:run", args=[run.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "东城高新技术产业开发区" in text
    assert "65.00" in text
    assert "生态集约" in text
    assert 'data-testid="score-grid"' in text


def test_ranking_page_shows_the_uncertainty_statistics(analyst_client, run):
    # given the 50-replication run of the hand-computed provincial case
    page = analyst_client.get(reverse("assessment:run", args=[run.pk]))
    text = page.content.decode()
    # then the columns are labelled and 西城 (Z001) reads mean 2.52, median 3, rank 2–3 and
    # score 41.91 within 0.36–51.98
    for label in ("平均名次", "名次中位数", "名次区间(5%–95%)", "得分区间", "得分中位数"):
        assert f">{label}</th>" in text
    row = re.search(r"<tr><td class=\"num\">3</td>.*?</tr>", text, re.S).group()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert [cells[i].strip() for i in (1, 5, 6, 8, 9)] == [
        "2–3",
        "41.91",
        "0.36–51.98",
        "2.52",
        "3",
    ]


def test_ranking_filters_by_group(analyst_client, run):
    page = analyst_client.get(reverse("assessment:run", args=[run.pk]), {"group": "西部"})
    assert [r["r"].zone.code for r in page.context["rows"]] == ["Z003"]


# session, user, profile (+ zones), run, groups, the page of results and their count, every filtered
# result for the grid, findings count, the map's zones and outlines, the header's unread
# notifications: none per row
RUN_PAGE_QUERIES = 17
STATUS_PAGE_QUERIES = 11


def test_ranking_page_has_a_fixed_number_of_queries(analyst_client, run, django_assert_num_queries):
    with django_assert_num_queries(RUN_PAGE_QUERIES):
        analyst_client.get(reverse("assessment:run", args=[run.pk]))
    with django_assert_num_queries(STATUS_PAGE_QUERIES):
        analyst_client.get(reverse("assessment:status", args=[run.pk]))


def test_xlsx_export_has_every_visible_zone(analyst_client, run):
    response = analyst_client.get(reverse("assessment:run_export", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("公布名次", "P5", "P95")
    assert sorted(r[3] for r in rows[1:]) == ["Z001", "Z002", "Z003"]
    # and the uncertainty statistics close each row: mean and median rank, the score's median
    # and 5–95% interval
    assert rows[0][-5:] == ("平均名次", "名次中位数", "得分中位数", "得分区间P5", "得分区间P95")
    last = {r[3]: tuple(round(v, 6) for v in r[-5:]) for r in rows[1:]}
    assert last["Z003"] == (2.48, 2.0, 43.048051, 0.356323, 53.050926)


def test_zone_user_sees_own_profile_not_another(client, zone_user, run, zones):
    client.force_login(zone_user)
    own = client.get(reverse("assessment:profile", args=[run.pk, zones["east"].pk]))
    other = client.get(reverse("assessment:profile", args=[run.pk, zones["west"].pk]))
    assert own.status_code == 200
    assert other.status_code == 404
    ranking = client.get(reverse("assessment:run", args=[run.pk]))
    assert [r["r"].zone.code for r in ranking.context["rows"]] == ["Z001"]


def test_published_ranking_shows_all_zones_to_a_zone_user(client, zone_user, run, province):
    manager = make_user("manager", "province_manager", region=province["province"])
    publication = publish_ranking(run, acting_user=manager)
    client.force_login(zone_user)
    page = client.get(reverse("publications:publication", args=[publication.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("东城经济技术开发区", "东城高新技术产业开发区", "西城经济开发区"):
        assert name in text
    # only the published columns leave: no indicator values
    assert "indicators" not in str(publication.columns)


def test_analyst_may_not_publish(analyst_client, run):
    response = analyst_client.post(reverse("assessment:publish", args=[run.pk]))
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.publication is None


def test_status_list_names_rule_and_years(analyst_client, run):
    page = analyst_client.get(reverse("assessment:status", args=[run.pk]))
    assert "全省排名后5位:约谈" in page.content.decode()
    assert "2025" in page.content.decode()


def test_compare_pairs_two_years(analyst_client, zones, province_analyst, run):
    seed_provincial(zones, 2024)
    version = preset("provincial_six").latest()
    earlier = finish(start_run(version, year=2024, replications=0, acting_user=province_analyst))
    page = analyst_client.get(reverse("assessment:compare", args=[run.pk]))
    assert page.context["other"] == earlier
    rows = list(page.context["table"].data)
    assert len(rows) == 3
    assert all(row.then_rank is not None for row in rows)


def test_target_projection_on_the_profile(analyst_client, zones, province_analyst, run):
    gdp = Indicator.objects.get(code="gdp")
    for year, value in ((2021, 100), (2022, 110), (2023, 120)):
        put(zones["east"], year, {"gdp": value})
    set_target(zones["east"], gdp, year=2025, value=Decimal(160), acting_user=province_analyst)
    page = analyst_client.get(reverse("assessment:profile", args=[run.pk, zones["east"].pk]))
    # straight line 100, 110, 120 → 140 in 2025 = 87.5% of 160 → 88%
    assert "按当前速度,2025年可达目标的 88%" in page.content.decode()
    assert Target.objects.count() == 1


def test_targets_page_saves_through_the_action(analyst_client, zones):
    gdp = Indicator.objects.get(code="gdp")
    data = {"zone": zones["west"].pk, "indicator": gdp.pk, "year": 2025, "value": "50"}
    analyst_client.post(reverse("assessment:target_new"), data)
    assert Target.objects.get().value == Decimal(50)


def test_framework_copy_and_new_version(analyst_client, province_analyst):
    source = preset("mofcom_2021")
    analyst_client.post(
        reverse("assessment:copy", args=[source.pk]), {"code": "my-scheme", "name": "本省方案"}
    )
    copy = type(source).objects.get(code="my-scheme")
    assert copy.owner.code == "990000"
    assert copy.latest().number == 1
    text = copy.latest().document.replace(
        'weight = 30\nname = "对外开放"', 'weight = 40\nname = "对外开放"'
    )
    analyst_client.post(reverse("assessment:save_version", args=[copy.pk]), {"document": text})
    assert copy.latest().number == 2
    # a broken document is refused, the preset is read-only
    analyst_client.post(reverse("assessment:save_version", args=[copy.pk]), {"document": "x = ["})
    analyst_client.post(reverse("assessment:save_version", args=[source.pk]), {"document": text})
    assert copy.latest().number == 2
    assert source.latest().number == 1


def test_framework_runs_offline_with_the_zone_year_table(analyst_client, tmp_path, run):
    # given the preset's pipeline file and the run's zone-year table, downloaded
    source = preset("provincial_six")
    pipeline = analyst_client.get(reverse("assessment:pipeline", args=[source.pk])).content
    units = analyst_client.get(reverse("assessment:units", args=[run.pk])).content
    (tmp_path / "provincial_six.toml").write_bytes(pipeline)
    (tmp_path / "units.csv").write_bytes(units)
    # when `kaifaqu index run` reads them without a database
    done = subprocess.run(
        [sys.executable, "-m", "kaifaqu", "index", "run", str(tmp_path / "provincial_six.toml")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # then it gives the run's totals and ranks
    assert done.returncode == 0, done.stderr
    table = {line.split(",")[0]: line.split(",") for line in done.stdout.splitlines()}
    header = table["uCode"]
    assert table["Z002"][header.index("total")] == "65.0"
    assert table["Z001"][header.index("total.rank")] == "3"


def test_pdf_report_contains_scores_and_ranks(analyst_client, zones, run, province_analyst):
    require_system_tool("/usr/bin/pdftotext", "poppler-utils")
    set_rank_target(zones["east_htz"], level="provincial", year=2027, rank=1,
                    acting_user=province_analyst)  # fmt: skip
    response = analyst_client.post(
        reverse("assessment:profile", args=[run.pk, zones["east_htz"].pk])
    )
    job = Job.objects.get(kind="assessment_report")
    assert response.url == reverse("jobs:job", args=[job.pk])
    run_job(job)
    report = Report.objects.get()
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", report.pdf.path, "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert "东城高新技术产业开发区" in text
    assert "综合得分 65.00 分" in text
    assert "公布名次第 1 名(名次区间 1–1)" in text
    # a dimension's row: weight, score, group mean, dimension rank
    assert re.search(r"发展质量\s+30\s+50\.00\s+25\.00\s+2\n", text)
    # the rank target beside the indicator targets: one year of ranks, no projection yet
    assert re.search(r"全省排名\s+2027\s+前\s*1\s*位\s+第 1 名\(2025\)\s+数据不足", text)
    download = analyst_client.get(reverse("assessment:report_file", args=[report.pk, "docx"]))
    assert download.status_code == 200
    from docx import Document

    docx_text = "\n".join(p.text for p in Document(report.docx.path).paragraphs)
    assert "综合得分 65.00 分" in docx_text


def test_deduction_page_records_through_the_action(client, zone_user, zones):
    client.force_login(zone_user)
    data = {"zone": zones["east"].pk, "year": 2025, "item": "major_accident", "count": "1"}
    client.post(reverse("assessment:deduction_new"), data)
    # a zone user cannot enter an item against another zone: the form refuses the choice
    client.post(reverse("assessment:deduction_new"), {**data, "zone": zones["west"].pk})
    assert [(d.zone.code, d.item) for d in Deduction.objects.all()] == [("Z001", "major_accident")]


def test_a_zone_is_found_in_a_long_ranking_on_its_page(analyst_client, run, monkeypatch):
    from kaifaqu.assessment.views import RunView

    # given a ranking shown one zone a page
    monkeypatch.setattr(RunView, "page_size", 1)
    url = reverse("assessment:run", args=[run.pk])
    ranked = list(run.results.order_by("published_rank", "pk"))
    last = ranked[-1]
    # when the last-ranked zone is looked for by part of its name
    response = analyst_client.get(url, {"find": last.zone.name[2:6], "sort": "published_rank"})
    # then the page opens at its row: the page that shows it, the filters and sort kept
    assert response.status_code == 302
    target = response["Location"]
    assert target.startswith(f"{url}?sort=published_rank&page={len(ranked)}&after=")
    assert target.endswith(f"#row-{last.pk}")
    page = analyst_client.get(target.split("#")[0])
    assert [row.pk for row in page.context["table"].data] == [last.pk]
    assert f'<span id="row-{last.pk}" class="row-anchor">' in page.content.decode()
    # and a name the ranking does not hold says so on the first page
    missing = analyst_client.get(url, {"find": "不存在的开发区"}, follow=True)
    assert "当前列表中没有找到「不存在的开发区」" in missing.content.decode()
    assert 'data-testid="find-form"' in missing.content.decode()
