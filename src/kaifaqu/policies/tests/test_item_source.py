"""A policy task's supervised item names the task as its subject, and the item's page links back
to it; migration 0003 gives the items confirmed before that their subject."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from kaifaqu.policies import actions
from kaifaqu.policies.models import PolicyTask
from kaifaqu.supervision.models import ItemKind, SupervisedItem

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kaifaqu.policies.migrations.0003_item_subjects")
LABEL = "《东城市开发区高质量发展行动方案》一/(一) 培育规上企业"


def confirmed(world) -> list[PolicyTask]:
    east = world["users"]["east"]
    return actions.confirm(world["proposals"]["一/(一)"], acting_user=east, today=date(2025, 4, 1))


def test_each_item_of_a_confirmed_proposal_names_its_task(world):
    tasks = confirmed(world)
    task_type = ContentType.objects.get_for_model(PolicyTask)
    assert sorted(
        SupervisedItem.objects.values_list("number", "subject_type", "subject_id")
    ) == sorted((t.item.number, task_type.pk, t.pk) for t in tasks)


def test_the_item_page_links_back_to_the_task(client, world):
    task = next(t for t in confirmed(world) if t.lead_unit == world["units"]["commerce"])
    link = (
        f'<dd data-testid="source">政策任务 <a href="/policies/tasks/{task.pk}/">{LABEL}</a></dd>'
    )
    # the supervisor who confirmed it, and the clerk of the lead unit (a member working elsewhere)
    for user in (world["users"]["east"], world["users"]["clerk"]):
        client.force_login(user)
        page = client.get(task.item.get_absolute_url())
        assert page.status_code == 200
        assert link in page.content.decode()


def test_an_item_without_a_subject_says_nothing_of_one(client, world):
    task = confirmed(world)[0]
    SupervisedItem.objects.filter(pk=task.item.pk).update(subject_type=None, subject_id=None)
    client.force_login(world["users"]["east"])
    assert 'data-testid="source"' not in client.get(task.item.get_absolute_url()).content.decode()


def test_source_of_a_subject_outside_the_viewers_scope_is_its_kind_alone(world):
    task = confirmed(world)[0]
    # 西城's supervisor sees neither the item nor the task; asked anyway, the label is withheld
    source = task.item.source_for(world["users"]["west"])
    assert (source.kind, source.label, source.url) == ("政策任务", "", "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_earlier_items_their_task_and_leaves_others_alone(world):
    tasks = confirmed(world)
    earlier = SupervisedItem.objects.filter(pk__in=[t.item_id for t in tasks])
    earlier.update(subject_type=None, subject_id=None)
    other = SupervisedItem.objects.create(
        number="SQ-2025-0001", kind=ItemKind.objects.get(code="SQ"), year=2025, sequence=1,
        title="企业诉求", region=world["units"]["commerce"].region, level=1,
        opened=date(2025, 4, 1),
    )  # fmt: skip
    migration.backfill(apps, None)
    task_type = ContentType.objects.get_for_model(PolicyTask)
    assert sorted(earlier.values_list("subject_type", "subject_id")) == sorted(
        (task_type.pk, t.pk) for t in tasks
    )
    other.refresh_from_db()
    assert (other.subject_type_id, other.subject_id) == (None, None)
    # run again: nothing left to do
    migration.backfill(apps, None)
    assert earlier.filter(subject_id__isnull=True).count() == 0
