import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse

from kaifaqu.audit.log import snapshot
from kaifaqu.audit.models import ChangeLogIsAppendOnly, ObjectChange
from kaifaqu.audit.writes import (
    audited_bulk_create,
    audited_bulk_update,
    audited_save,
    save_decided,
)
from kaifaqu.catalog.models import Tag
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def edit_form(enterprise, **changes):
    data = {
        "name": enterprise.name,
        "industry": enterprise.industry_id,
        "status": enterprise.status,
        "ownership": enterprise.ownership,
        "tags": [tag.pk for tag in enterprise.tags.all()],
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_page_write_leaves_one_row_with_before_and_after(zone_client, province, zone_user):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    specialised = Tag.objects.get(name="专精特新")
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    form = edit_form(
        enterprise,
        status="half_stopped",
        tags=[*enterprise.tags.values_list("pk", flat=True), specialised.pk],
    )

    response = zone_client.post(url, form, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302
    change = ObjectChange.objects.get()
    assert (change.username, change.role, change.ip, change.channel, change.action) == (
        "east_staff",
        "zone_analyst",
        "10.1.2.3",
        "web",
        "update",
    )
    assert change.user == zone_user
    assert str(change.request_id) == response["X-Request-ID"]
    assert change.object_id == str(enterprise.pk)
    assert change.province_code == "990000"
    assert change.before["status"] == "operating"
    assert change.after["status"] == "half_stopped"
    assert change.after["tags"] == sorted([Tag.objects.get(name="高新技术企业").pk, specialised.pk])
    assert {k for k in change.before if change.before[k] != change.after[k]} == {"status", "tags"}


def test_invalid_page_write_changes_nothing(zone_client, province):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])

    response = zone_client.post(url, edit_form(enterprise, status="bogus"))

    assert response.status_code == 200
    assert "bogus" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.status == "operating"
    assert not ObjectChange.objects.exists()


def test_zone_user_cannot_edit_another_zones_enterprise(zone_client, province):
    west = province["enterprises"]["西城化工有限公司"]
    url = reverse("enterprises:enterprise_edit", args=[west.pk])

    response = zone_client.post(url, edit_form(west, status="stopped"))

    assert response.status_code == 404
    west.refresh_from_db()
    assert west.status == "operating"
    assert not ObjectChange.objects.exists()


def test_write_that_leaves_the_writers_scope_is_rolled_back(province, zone_user):
    enterprise = Enterprise.objects.get(pk=province["enterprises"]["东城纺织有限公司"].pk)
    enterprise.zone = province["zones"]["west"]

    with pytest.raises(PermissionDenied):
        audited_save(enterprise, acting_user=zone_user)

    enterprise.refresh_from_db()
    assert enterprise.zone == province["zones"]["east"]
    assert not ObjectChange.objects.exists()


def test_a_decided_write_outside_the_writers_scope_is_saved_and_logged(province, zone_user):
    # the same write that audited_save refuses, when the caller's own rule has decided it
    enterprise = Enterprise.objects.get(pk=province["enterprises"]["东城纺织有限公司"].pk)
    before = snapshot(enterprise)
    enterprise.zone = province["zones"]["west"]

    save_decided(enterprise, acting_user=zone_user)

    enterprise.refresh_from_db()
    assert enterprise.zone == province["zones"]["west"]
    change = ObjectChange.objects.get()
    assert (change.action, change.username, change.object_id) == (
        "update",
        "east_staff",
        str(enterprise.pk),
    )
    assert (change.before, change.after) == (before, snapshot(enterprise))


def test_a_decided_write_that_fails_validation_writes_nothing(province, zone_user):
    enterprise = Enterprise.objects.get(pk=province["enterprises"]["东城纺织有限公司"].pk)
    enterprise.name = ""

    with pytest.raises(ValidationError):
        save_decided(enterprise, acting_user=zone_user)

    assert Enterprise.objects.get(pk=enterprise.pk).name == "东城纺织有限公司"
    assert not ObjectChange.objects.exists()


def test_admin_write_lands_in_the_log(client, province, django_user_model):
    admin = django_user_model.objects.create_superuser("steward", password="pass-for-tests-2026")
    client.force_login(admin)
    tag = Tag.objects.get(name="龙头企业")
    url = reverse("admin:catalog_tag_change", args=[tag.pk])

    response = client.post(url, {"name": "链主企业", "description": tag.description})

    assert response.status_code == 302
    change = ObjectChange.objects.get()
    assert (change.username, change.role, change.channel) == ("steward", "superuser", "admin")
    assert (change.before["name"], change.after["name"]) == ("龙头企业", "链主企业")


def test_cli_job_writes_one_bulk_entry_as_the_named_user(province, province_analyst):
    call_command("run_job", "zone_summaries", as_user="analyst")

    change = ObjectChange.objects.get()
    assert (change.username, change.channel, change.action) == ("analyst", "cli", "bulk")
    assert change.after == {"zones": 3, "rows": 6, "replaced": 0}


def test_cli_write_without_as_is_recorded_under_the_system_account(province):
    call_command("run_job", "zone_summaries")

    assert ObjectChange.objects.get().username == "system"


def test_change_log_rows_cannot_be_edited_or_deleted(province, zone_user):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    audited_save(enterprise, acting_user=zone_user)
    change = ObjectChange.objects.get()

    with pytest.raises(ChangeLogIsAppendOnly):
        ObjectChange.objects.update(username="someone")
    with pytest.raises(ChangeLogIsAppendOnly):
        ObjectChange.objects.all().delete()
    change.username = "someone"
    with pytest.raises(ChangeLogIsAppendOnly):
        change.save()
    with pytest.raises(ChangeLogIsAppendOnly):
        change.delete()

    assert ObjectChange.objects.get().username == "east_staff"


def test_admin_offers_no_way_to_change_the_log(client, province, zone_user, django_user_model):
    audited_save(province["enterprises"]["东城纺织有限公司"], acting_user=zone_user)
    client.force_login(django_user_model.objects.create_superuser("root2", password="x-2026-pass"))
    change = ObjectChange.objects.get()

    delete = client.post(
        reverse("admin:audit_objectchange_delete", args=[change.pk]), {"post": "yes"}
    )

    assert delete.status_code == 403
    assert ObjectChange.objects.count() == 1


def test_a_user_with_history_cannot_be_deleted(zone_client, province, zone_user):
    # Given a write by the user, in the change log (which has no database constraint on users)
    enterprise = province["enterprises"]["东城纺织有限公司"]
    url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    zone_client.post(url, edit_form(enterprise, status="half_stopped"))
    assert ObjectChange.objects.filter(user=zone_user).count() == 1
    # When the account is deleted, then Django refuses and the account and its history stay
    with pytest.raises(ProtectedError):
        zone_user.delete()
    zone_user.refresh_from_db()
    assert ObjectChange.objects.filter(user=zone_user).count() == 1


def new_enterprises(province, zone_names):
    east = province["enterprises"]["东城纺织有限公司"]
    return [
        Enterprise(
            uscc=f"91990000MA0BULK{n:02d}" + uscc_check_character(f"91990000MA0BULK{n:02d}"),
            name=f"批量企业{n}",
            zone=province["zones"][zone],
            region=province["zones"][zone].region,
            industry=east.industry,
        )
        for n, zone in enumerate(zone_names)
    ]


def test_bulk_create_logs_one_row_per_object_as_audited_save_would(province, zone_user):
    created = audited_bulk_create(
        new_enterprises(province, ["east", "east", "east"]), acting_user=zone_user
    )

    changes = list(ObjectChange.objects.order_by("pk"))
    assert [c.object_id for c in changes] == [str(e.pk) for e in created]
    assert {(c.action, c.username, c.role, c.province_code) for c in changes} == {
        ("create", "east_staff", "zone_analyst", "990000")
    }
    assert [c.before for c in changes] == [None, None, None]
    stored = [Enterprise.objects.get(pk=e.pk) for e in created]
    assert [c.after for c in changes] == [snapshot(e) for e in stored]
    assert {e.province_code for e in stored} == {"990000"}


def test_bulk_create_with_one_object_outside_scope_writes_nothing(province, zone_user):
    before = Enterprise.objects.count()

    with pytest.raises(PermissionDenied):
        audited_bulk_create(new_enterprises(province, ["east", "west"]), acting_user=zone_user)

    assert Enterprise.objects.count() == before
    assert not ObjectChange.objects.exists()


def test_bulk_update_logs_before_and_after_of_each_object(province, zone_user):
    east = province["enterprises"]["东城纺织有限公司"]
    specialised = Tag.objects.get(name="专精特新")
    created = audited_bulk_create(
        new_enterprises(province, ["east", "east"]), acting_user=zone_user
    )
    before = [snapshot(Enterprise.objects.get(pk=e.pk)) for e in [east, *created]]
    for enterprise in [east, *created]:
        enterprise.status = "half_stopped"

    audited_bulk_update(
        [east, *created],
        ["status"],
        acting_user=zone_user,
        m2m={"tags": {created[0].pk: [specialised]}},
    )

    changes = list(ObjectChange.objects.filter(action="update").order_by("pk"))
    assert [c.before for c in changes] == before
    assert [c.after for c in changes] == [
        snapshot(Enterprise.objects.get(pk=e.pk)) for e in [east, *created]
    ]
    assert changes[1].after["tags"] == [specialised.pk]
    assert changes[0].after["tags"] == changes[0].before["tags"] != []


def test_bulk_update_that_leaves_the_writers_scope_writes_nothing(province, zone_user):
    east = Enterprise.objects.get(pk=province["enterprises"]["东城纺织有限公司"].pk)
    east.zone = province["zones"]["west"]

    with pytest.raises(PermissionDenied):
        audited_bulk_update([east], ["zone"], acting_user=zone_user)

    east.refresh_from_db()
    assert east.zone == province["zones"]["east"]
    assert not ObjectChange.objects.exists()
