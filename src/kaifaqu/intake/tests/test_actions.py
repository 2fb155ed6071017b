"""The actions the import pages (and later the API) call: upload, commit with a policy, undo.
Each re-checks who may act on the batch and in which state; a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.intake.actions import (
    NOT_COMMITTED,
    NOT_VALIDATED,
    UndoRefused,
    create_batch,
    request_commit,
    request_undo,
    upload_batch,
    validate_batch,
)
from kaifaqu.intake.models import ImportBatch
from kaifaqu.intake.tests.test_import import years_file
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(usccs, zone_user):
    batch = create_batch(years_file(usccs), "年报.xlsx", "enterprise-years", acting_user=zone_user)
    validate_batch(batch)
    assert batch.state == "validated"
    return batch


def stored(batch):
    """The batch as the database holds it, the jobs and the change log: what a refusal keeps."""
    values = ImportBatch.objects.filter(pk=batch.pk).values("state", "policy").get()
    return values, list(Job.objects.values_list("kind", flat=True)), ObjectChange.objects.count()


def test_upload_keeps_the_file_and_queues_its_validation(usccs, zone_user):
    batch = upload_batch(years_file(usccs), "年报.xlsx", "enterprise-years", acting_user=zone_user)
    job = Job.objects.get()
    assert (batch.state, batch.user, job.kind, job.params) == (
        "uploaded",
        zone_user,
        "import_validate",
        {"batch": batch.pk},
    )


def test_commit_logs_the_change_of_policy_and_queues_the_import(validated, zone_user):
    job = request_commit(validated, policy="keep-valid", acting_user=zone_user)
    assert (job.kind, job.params, job.user) == ("import_commit", {"batch": validated.pk}, zone_user)
    validated.refresh_from_db()
    assert validated.policy == "keep-valid"
    change = ObjectChange.objects.get()
    assert (change.action, change.before["policy"], change.after["policy"]) == (
        "update",
        "reject",
        "keep-valid",
    )


def test_commit_under_the_same_policy_logs_nothing(validated, zone_user):
    request_commit(validated, policy="reject", acting_user=zone_user)
    assert ObjectChange.objects.count() == 0
    assert list(Job.objects.values_list("kind", flat=True)) == ["import_commit"]


def test_commit_by_another_user_is_refused_and_changes_nothing(validated, province):
    before = stored(validated)
    other = make_user("other", "zone_analyst", zones=[province["zones"]["east"]])
    with pytest.raises(PermissionDenied):
        request_commit(validated, policy="keep-valid", acting_user=other)
    assert stored(validated) == before


def test_commit_of_a_batch_not_validated_is_refused_and_changes_nothing(usccs, zone_user):
    batch = create_batch(years_file(usccs), "年报.xlsx", "enterprise-years", acting_user=zone_user)
    before = stored(batch)
    with pytest.raises(ValidationError) as refused:
        request_commit(batch, policy="keep-valid", acting_user=zone_user)
    assert refused.value.messages == [NOT_VALIDATED]
    assert stored(batch) == before


def test_undo_of_a_batch_not_committed_is_refused_and_queues_nothing(validated, zone_user):
    before = stored(validated)
    with pytest.raises(UndoRefused) as refused:
        request_undo(validated, acting_user=zone_user)
    assert str(refused.value) == NOT_COMMITTED
    assert stored(validated) == before
