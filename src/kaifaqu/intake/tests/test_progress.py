"""An import job reports each stage as it ends, in the UI's job row and on the terminal."""

import pytest

from kaifaqu.intake.actions import create_batch
from kaifaqu.intake.tests.test_import import workbook, years_file
from kaifaqu.jobs.actions import create_job, run_job

pytestmark = pytest.mark.django_db


def run_recorded(kind, data, user):
    batch = create_batch(data, "年报.xlsx", "enterprise-years", acting_user=user)
    job, _ = create_job(kind, {"batch": batch.pk}, acting_user=user)
    seen = []
    run_job(job, echo=lambda done, total, message: seen.append((done, total, message)))
    job.refresh_from_db()
    return job, seen


def test_a_commit_job_reports_reading_checking_comparing_and_writing(usccs, zone_user):
    # When a two-row file is committed as a job
    job, seen = run_recorded("import_commit", years_file(usccs), zone_user)
    # Then every stage was reported in order, and the job row holds the last report
    assert seen == [
        (0, 5, "正在读取「年报.xlsx」"),
        (1, 5, "已读取 2 行"),
        (2, 5, "已校验 2 行"),
        (3, 5, "已与数据库比对:新增 2,更新 0"),
        (4, 5, "已写入数据库"),
        (5, 5, "导入完成"),
    ]
    assert (job.state, job.done, job.total, job.message) == ("succeeded", 5, 5, "导入完成")


def test_a_refused_file_fills_the_bar_with_the_verdict(zone_user):
    # Given a file whose only header is unknown
    data = workbook(["无关列"], [["x"]])
    # When it is validated as a job
    job, seen = run_recorded("import_validate", data, zone_user)
    # Then the stages after the refused read are skipped and the bar ends full with the verdict
    assert seen == [(0, 4, "正在读取「年报.xlsx」"), (4, 4, "文件未通过校验")]
    assert (job.done, job.total, job.message) == (4, 4, "文件未通过校验")
