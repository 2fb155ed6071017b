"""Hostile files and oversized uploads through every door: the ``import`` command, the intake
upload form and the 亩均 points import. Each is refused with its exact words, the database and the
upload folder are left as they were, and the web client still answers afterwards."""

import io

import pytest
from django.core.files.uploadhandler import StopUpload
from django.core.management import call_command
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.core.uploads import BoundedUploadHandler
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake.models import ImportBatch
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.models import PointsEntry
from kaifaqu.spreadsheets.tests.corpus import make_corpus
from kaifaqu.spreadsheets.tests.corpus.make_corpus import (
    declared_xls,
    declared_xlsx,
    far_cell_xlsx,
    nested_zip,
    repeated_ods,
)

pytestmark = pytest.mark.django_db

TOO_LARGE = (
    "文件超过上限 1 MB,未上传。"
    "请把数据拆分为几个较小的文件分别上传,或删除文件中无关的工作表和图片。"
)
# (file name, content, the message a clerk reads)
HOSTILE = [
    (
        "far.xlsx",
        far_cell_xlsx(1048575, 16383),
        "工作表「企业数据」的数据超过上限 1,000,000 行(第 1,048,576 行仍有内容)。",
    ),
    (
        "declared.xlsx",
        declared_xlsx("A1:XFD1048576"),
        "工作表「企业数据」声明的数据范围 A1:XFD1048576 超过上限"
        "(最多 1,000,000 行、200 列、20,000,000 个单元格)。",
    ),
    (
        "declared.xls",
        declared_xls(4_000_000_000, 256),
        "工作表「企业数据」声明的数据范围 A1:IV4000000000 超过上限"
        "(最多 1,000,000 行、200 列、20,000,000 个单元格)。",
    ),
    (
        "rows.ods",
        repeated_ods(2_000_000, 1),
        "工作表「企业数据」的数据超过上限 1,000,000 行(第 2,000,001 行仍有内容)。",
    ),
    (
        "area.ods",
        repeated_ods(999_998, 150),
        "工作表「企业数据」的数据区域为 999,999 行 × 150 列,共 149,999,850 个单元格,"
        "超过上限 20,000,000 个单元格。",
    ),
    (
        "nested.xlsx",
        nested_zip(),
        "无法读取「nested.xlsx」:内容是压缩包(zip),不是 Excel 工作簿。",
    ),
    (
        "webpage.xls",
        make_corpus.WEB_PAGE.encode(),
        "无法读取「webpage.xls」:文件名的扩展名是 .xls,但内容是网页(HTML)。",
    ),
    (
        "nul.csv",
        "企业名称\n甲\0公司\n".encode(),
        "文件第 2 行含有空字节,像是没有字节顺序标记(BOM)的 UTF-16 文本,无法可靠地识别编码。",
    ),
]
IDS = [name for name, _, _ in HOSTILE]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def database():
    return (
        ImportBatch.objects.count(),
        EnterpriseYear.objects.count(),
        ObjectChange.objects.count(),
        PointsEntry.objects.count(),
    )


def named(content, name):
    file = io.BytesIO(content)
    file.name = name
    return file


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE, ids=IDS)
def test_the_command_refuses_and_a_dry_run_stores_nothing(
    name, content, message, tmp_path, media, zone_user, capsys
):
    path = tmp_path / name
    path.write_bytes(content)
    before = database()
    with pytest.raises(SystemExit) as refused:
        call_command(
            "import", str(path), kind="enterprise-years", dry_run=True, as_user="east_staff"
        )
    assert refused.value.code == 1
    assert message in capsys.readouterr().err
    assert database() == before
    assert stored(media) == []


def test_a_good_dry_run_stores_nothing_either(tmp_path, media, usccs, zone_user, capsys):
    from kaifaqu.intake.tests.test_import import years_file

    path = tmp_path / "年报.xlsx"
    path.write_bytes(years_file(usccs))
    before = database()
    call_command("import", str(path), kind="enterprise-years", dry_run=True, as_user="east_staff")
    assert capsys.readouterr().out.startswith("已校验")
    assert (database(), stored(media), Job.objects.count()) == (before, [], 0)


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE, ids=IDS)
def test_the_upload_form_refuses_and_the_site_still_answers(
    name, content, message, client, media, zone_user
):
    client.force_login(zone_user)
    before = database()[1:]
    form = {"kind": "enterprise-years", "policy": "reject", "money_unit": "万元"}
    response = client.post(reverse("intake:import"), {**form, "file": named(content, name)})
    assert response.status_code == 302
    job = run_job(Job.objects.get(kind="import_validate"))  # as the worker would
    batch = ImportBatch.objects.get()
    assert job.state == "succeeded"
    # The preview needs the file until it is imported or cleaned up; nothing else is written.
    assert (batch.state, [p["message"] for p in batch.problems]) == ("refused", [message])
    assert database()[1:] == before
    assert client.get(reverse("intake:batch", args=[batch.pk])).status_code == 200


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE, ids=IDS)
def test_the_points_import_refuses_and_the_site_still_answers(
    name, content, message, client, media, zone_user
):
    client.force_login(zone_user)
    before = database()
    response = client.post(reverse("mujun:points_import"), {"file": named(content, name)})
    assert response.status_code == 400
    [problem] = response.context["problems"]
    assert problem.startswith(f":{name}:{message}(")  # then the fix, in brackets
    assert (database(), stored(media)) == (before, [])
    assert client.get(reverse("mujun:points")).status_code == 200


@pytest.mark.parametrize("url", ["intake:import", "mujun:points_import"])
def test_an_upload_past_the_limit_is_stopped_before_it_is_stored(
    url, client, media, settings, zone_user
):
    settings.KAIFAQU_UPLOAD_MAX_MB = 1
    client.force_login(zone_user)
    before = database()
    big = named(b"x" * (2 * 1024 * 1024), "big.csv")
    response = client.post(reverse(url), {"kind": "enterprise-years", "file": big})
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert (database(), stored(media)) == (before, [])
    assert client.get(reverse(url.replace("points_import", "points"))).status_code == 200


def test_the_handler_counts_bytes_when_no_length_is_declared(rf, settings):
    settings.KAIFAQU_UPLOAD_MAX_MB = 1
    request = rf.post("/")
    handler = BoundedUploadHandler(request)
    handler.handle_raw_input(None, {}, 0, b"")
    handler.new_file("file", "big.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"x" * 1024 * 1024, 0) == b"x" * 1024 * 1024
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x", 1024 * 1024)
    assert stopped.value.connection_reset
