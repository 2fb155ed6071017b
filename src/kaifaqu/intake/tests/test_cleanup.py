"""The nightly clean-up of uploads never imported: only abandoned files go, imported ones stay."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone

from kaifaqu.audit.models import DomainEvent
from kaifaqu.intake.actions import create_batch
from kaifaqu.intake.models import ImportBatch
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.choices import JobState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def uploaded(days_ago: int, state: str, user, name: str) -> ImportBatch:
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        batch = create_batch(b"USCC,year\n", name, "enterprise-years", acting_user=user)
    ImportBatch.objects.filter(pk=batch.pk).update(state=state)
    return batch


def clean_up() -> dict:
    system = get_user_model().objects.get(username="system")
    job, _ = create_job("import_cleanup", {}, acting_user=system)
    run_job(job)
    assert job.state == JobState.SUCCEEDED
    return job.result


def test_clean_up_removes_only_abandoned_uploads(zone_user, settings):
    # Given uploads eight days old in every state, one six days old, one a job still works on
    settings.KAIFAQU_ABANDONED_UPLOAD_DAYS = 7
    abandoned = [
        uploaded(8, "uploaded", zone_user, "未校验.csv"),
        uploaded(8, "validated", zone_user, "已校验未导入.csv"),
        uploaded(8, "refused", zone_user, "未通过.csv"),
    ]
    kept = [
        uploaded(8, "committed", zone_user, "已导入.csv"),
        uploaded(8, "undone", zone_user, "已撤销.csv"),
        uploaded(6, "validated", zone_user, "六天前.csv"),
        uploaded(8, "validated", zone_user, "正在导入.csv"),
    ]
    create_job("import_commit", {"batch": kept[-1].pk}, acting_user=zone_user)

    # When the nightly clean-up runs
    result = clean_up()

    # Then the abandoned batches are gone with their files, the others kept with theirs
    assert result == {"discarded": 3}
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {b.pk for b in kept}
    assert [default_storage.exists(b.file.name) for b in abandoned] == [False] * 3
    assert [default_storage.exists(b.file.name) for b in kept] == [True] * 4
    event = DomainEvent.objects.get(kind="import_uploads_discarded")
    assert (event.username, event.summary) == ("system", "清理上传超过 7 天未导入的文件 3 个")
    assert event.payload == {
        "days": 7,
        "batches": [{"batch": b.pk, "file_name": b.file_name} for b in abandoned],
    }


def test_clean_up_with_nothing_abandoned_records_nothing(zone_user):
    kept = uploaded(6, "refused", zone_user, "新上传.csv")
    assert clean_up() == {"discarded": 0}
    assert list(ImportBatch.objects.all()) == [kept]
    assert not DomainEvent.objects.filter(kind="import_uploads_discarded").exists()
