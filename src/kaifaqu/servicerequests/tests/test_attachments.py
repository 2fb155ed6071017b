"""Evidence files of a request: the filing enterprise (and the hotline staff who filed for a
caller) attach them at filing and while the request is open, through the attachments' upload
and the rule ``servicerequests.attach``; anyone else is refused and nothing is stored."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.attachments.models import Attachment
from kaifaqu.audit.models import ObjectChange
from kaifaqu.servicerequests import actions
from kaifaqu.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media: Any) -> list[bytes]:
    return sorted(p.read_bytes() for p in media.rglob("*") if p.is_file())


def filed(world: dict[str, Any]) -> ServiceRequest:
    return actions.file_request(
        category="land", description="厂房扩建用地指标", acting_user=world["users"]["firm"]
    )


def post_file(client: Any, request: ServiceRequest, content: bytes = PDF) -> Any:
    return client.post(
        "/attachments/upload/",
        {
            "owner": "servicerequests.servicerequest",
            "object_id": request.pk,
            "file": SimpleUploadedFile("用地红线图.pdf", content),
            "description": "红线图",
        },
    )


def test_the_enterprise_uploads_to_its_own_open_request(client, world, media):
    request = filed(world)
    client.force_login(world["users"]["firm"])
    page = client.get(request.get_absolute_url())
    assert 'data-testid="attachment-upload"' in page.content.decode()

    response = post_file(client, request)

    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    attachment = Attachment.objects.get()
    assert (attachment.owner, attachment.file_name, attachment.description) == (
        request, "用地红线图.pdf", "红线图",
    )  # fmt: skip
    assert (attachment.uploaded_by, attachment.province_code) == (
        world["users"]["firm"], request.province_code,
    )  # fmt: skip
    assert stored(media) == [PDF]
    change = ObjectChange.objects.filter(content_type__model="attachment").get()
    assert (change.action, change.username) == ("create", "firm")
    # the enterprise reads and downloads it like the request itself
    download = client.get(f"/attachments/{attachment.pk}/")
    assert (download.status_code, b"".join(download.streaming_content)) == (200, PDF)


def test_another_enterprise_is_refused_and_nothing_is_stored(client, world, media):
    request = filed(world)
    changes = ObjectChange.objects.count()
    client.force_login(world["users"]["other_firm"])

    response = post_file(client, request)

    assert response.status_code == 403
    assert not Attachment.objects.exists()
    assert stored(media) == []
    assert ObjectChange.objects.count() == changes


def test_the_enterprise_may_not_attach_once_its_request_is_answered(client, world, media):
    users, units = world["users"], world["units"]
    request = filed(world)
    actions.dispatch(request, lead_unit=units["tax"], acting_user=users["dispatcher"])
    actions.accept(ServiceRequest.objects.get(pk=request.pk), acting_user=users["clerk"])
    actions.reply(
        ServiceRequest.objects.get(pk=request.pk), text="已办", acting_user=users["clerk"]
    )
    client.force_login(users["firm"])
    page = client.get(request.get_absolute_url())
    assert 'data-testid="attachment-upload"' not in page.content.decode()

    assert post_file(client, request).status_code == 403
    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_the_enterprise_attaches_a_file_when_it_files(client, world, media):
    client.force_login(world["users"]["firm"])
    form = client.get("/requests/mine/new/").content.decode()
    assert 'enctype="multipart/form-data"' in form

    response = client.post(
        "/requests/mine/new/",
        {
            "category": "land",
            "description": "厂房扩建用地指标",
            "attachment": SimpleUploadedFile("申请书.pdf", PDF),
        },
    )

    request = ServiceRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    attachment = Attachment.objects.get()
    assert (attachment.owner, attachment.file_name, attachment.uploaded_by) == (
        request, "申请书.pdf", world["users"]["firm"],
    )  # fmt: skip
    assert stored(media) == [PDF]


def test_a_refused_file_refuses_the_filing_and_stores_nothing(client, world, media):
    client.force_login(world["users"]["firm"])
    changes = ObjectChange.objects.count()

    response = client.post(
        "/requests/mine/new/",
        {
            "category": "land",
            "description": "厂房扩建用地指标",
            "attachment": SimpleUploadedFile("申请书.exe", EXE),
        },
    )

    assert response.status_code == 200
    assert "申请书.exe" in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()
    assert stored(media) == []
    assert ObjectChange.objects.count() == changes


def test_the_hotline_attaches_for_a_caller_when_it_registers(client, world, media):
    client.force_login(world["users"]["dispatcher"])

    response = client.post(
        "/requests/hotline/new/",
        {
            "category": "utilities",
            "description": "来电反映停电",
            "caller_name": "王先生",
            "caller_phone": "13800000000",
            "enterprise": world["textile"].uscc,
            "attachment": SimpleUploadedFile("现场照片.pdf", PDF),
        },
    )

    request = ServiceRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert Attachment.objects.get().owner == request
    assert stored(media) == [PDF]
