"""Imported rows get keys the database reserved for them, never one that it gave out before."""

import pytest
from django.db import transaction

from kaifaqu.audit.models import ObjectChange
from kaifaqu.core.bulk import new_ids
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake.actions import undo_batch
from kaifaqu.intake.tests.test_import import run, workbook, years_file

pytestmark = pytest.mark.django_db


def test_a_key_freed_by_an_undo_is_not_given_again(usccs, zone_user):
    # Given an import whose two rows are the newest of the table, undone
    first = run(years_file(usccs), zone_user)
    old = set(EnterpriseYear.objects.filter(year=2023).values_list("pk", flat=True))
    undo_batch(first, acting_user=zone_user)
    # When the same file is imported again
    run(years_file(usccs), zone_user)
    # Then its rows have new keys, so the change log of the old ones names no new row
    new = set(EnterpriseYear.objects.filter(year=2023).values_list("pk", flat=True))
    assert len(new) == 2
    assert not new & old
    assert min(new) > max(old)
    logged = ObjectChange.objects.filter(action="create", object_id__in=[str(k) for k in new])
    assert logged.count() == 2


def test_reserved_keys_are_above_every_key_the_table_gave(province):
    # Given the table's newest row, deleted
    newest = EnterpriseYear.objects.order_by("-pk").first().pk
    EnterpriseYear.objects.filter(pk=newest).delete()
    # When keys are reserved
    with transaction.atomic():
        keys = new_ids(EnterpriseYear, 3)
    # Then none is the deleted row's or below it, and they are distinct
    assert min(keys) > newest
    assert len(set(keys)) == 3
    assert new_ids(EnterpriseYear, 0) == []


def test_rows_inserted_with_reserved_keys_are_found_by_them(usccs, zone_user):
    # Given a file of new yearly rows
    data = workbook(
        ["统一社会信用代码", "年度", "用地面积(亩)"],
        [[usccs["东城纺织有限公司"], 2021, 12], [usccs["东城纺织有限公司"], 2022, 13]],
    )
    # When it is imported
    run(data, zone_user)
    # Then each change-log row names the object it created
    for change in ObjectChange.objects.filter(action="create"):
        row = EnterpriseYear.objects.get(pk=int(change.object_id))
        assert change.object_repr == f"东城纺织有限公司 {row.year}"
        assert change.after["land_area_mu"] == str(row.land_area_mu.normalize())
