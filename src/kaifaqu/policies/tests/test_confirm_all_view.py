"""全部确认 on the review screen: every open proposal of the document confirmed in one POST,
numbered as one at a time would be; one without a lead unit confirms none and is named; a role
that may not review is refused and nothing changes."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kaifaqu.audit.models import ObjectChange
from kaifaqu.policies import actions
from kaifaqu.policies.choices import ProposalState
from kaifaqu.policies.models import PolicyTask, ProposedTask
from kaifaqu.supervision.models import SupervisedItem

pytestmark = pytest.mark.django_db


def open_paths(document) -> list[str]:
    return list(
        document.proposals.filter(state=ProposalState.PROPOSED).values_list("path", flat=True)
    )


def told(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_button_confirms_every_open_proposal(client, world):
    east, document = world["users"]["east"], world["document"]
    actions.correct_units(
        world["proposals"]["一/(二)"],
        lead=["东城经济技术开发区管委会"],
        support=[],
        acting_user=east,
    )
    client.force_login(east)
    assert 'data-testid="confirm-all"' in client.get(document.get_absolute_url()).content.decode()

    response = client.post(reverse("policies:confirm_all", args=[document.pk]))

    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert told(response) == ["已确认 3 项任务,转入督办"]
    tasks = list(PolicyTask.objects.order_by("pk").select_related("item", "proposal"))
    year = timezone.localdate().year
    assert [(t.proposal.path, t.item.number) for t in tasks] == [
        ("一/(一)", f"RW-{year}-0001"),
        ("一/(一)", f"RW-{year}-0002"),
        ("一/(二)", f"RW-{year}-0003"),
        ("一/(三)", f"RW-{year}-0004"),
    ]
    assert SupervisedItem.objects.count() == 4
    assert open_paths(document) == []
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'data-testid="confirm-all"' not in page
    assert f"RW-{year}-0004" in page


def test_a_proposal_without_a_lead_unit_confirms_none_and_is_named(client, world):
    east, document = world["users"]["east"], world["document"]
    # as the extractor leaves a measure whose text names no lead unit (a correction needs one)
    ProposedTask.objects.filter(pk=world["proposals"]["一/(三)"].pk).update(lead=[])
    logged = ObjectChange.objects.count()
    client.force_login(east)

    response = client.post(reverse("policies:confirm_all", args=[document.pk]))

    assert response.status_code == 302
    assert told(response) == ["一/(三):请先填写牵头单位"]
    assert SupervisedItem.objects.count() == PolicyTask.objects.count() == 0
    assert ObjectChange.objects.count() == logged
    assert open_paths(document) == ["一/(一)", "一/(二)", "一/(三)"]


def test_a_role_that_may_not_review_is_refused_and_nothing_changes(client, world):
    leader, document = world["users"]["leader"], world["document"]
    client.force_login(leader)
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="confirm-all"' not in page.content.decode()
    logged = ObjectChange.objects.count()

    response = client.post(reverse("policies:confirm_all", args=[document.pk]))

    assert response.status_code == 403
    assert SupervisedItem.objects.count() == PolicyTask.objects.count() == 0
    assert ObjectChange.objects.count() == logged
    assert open_paths(document) == ["一/(一)", "一/(二)", "一/(三)"]


def test_a_supervisor_outside_the_documents_region_finds_no_document(client, world):
    client.force_login(world["users"]["west"])

    response = client.post(reverse("policies:confirm_all", args=[world["document"].pk]))

    assert response.status_code == 404
    assert SupervisedItem.objects.count() == 0
    assert open_paths(world["document"]) == ["一/(一)", "一/(二)", "一/(三)"]


def test_a_document_with_nothing_open_is_told_so(client, world):
    east, document = world["users"]["east"], world["document"]
    actions.confirm_all(document.proposals.all(), acting_user=east)
    client.force_login(east)

    response = client.post(reverse("policies:confirm_all", args=[document.pk]))

    assert told(response) == ["没有待确认的任务"]
    assert PolicyTask.objects.count() == 5
