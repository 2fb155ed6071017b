"""Evidence files: types told by content, the size limit, scoped downloads, logged writes."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from kaifaqu.attachments.actions import AttachmentRefused, delete_attachment, upload_attachment
from kaifaqu.attachments.models import Attachment
from kaifaqu.audit.models import ObjectChange

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachable_enterprises")]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


def package(content_types: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = package(
    b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument'
    b'.wordprocessingml.document.main+xml"/></Types>'
)


@pytest.fixture
def east(province):
    return province["enterprises"]["东城纺织有限公司"]


@pytest.fixture
def west(province):
    return province["enterprises"]["西城化工有限公司"]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files(media) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def test_upload_stores_the_file_under_a_random_name_and_logs_it(zone_user, east, media):
    attachment = upload_attachment(
        east, upload("土地出让合同.pdf", PDF), acting_user=zone_user, description="合同扫描件"
    )

    assert (attachment.file_name, attachment.file_type, attachment.mime_type) == (
        "土地出让合同.pdf",
        "pdf",
        "application/pdf",
    )
    assert (attachment.size, attachment.owner, attachment.province_code) == (
        len(PDF),
        east,
        "990000",
    )
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert (media / attachment.file.name).read_bytes() == PDF
    change = ObjectChange.objects.get()
    assert (change.action, change.username, change.object_repr) == (
        "create",
        "east_staff",
        "土地出让合同.pdf",
    )
    assert change.after["object_id"] == str(east.pk)


def test_a_word_document_is_told_by_its_package(zone_user, east, media):
    attachment = upload_attachment(east, upload("承诺书.docx", DOCX), acting_user=zone_user)

    assert attachment.file_type == "docx"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "合同.pdf",
            EXE,
            "文件「合同.pdf」的扩展名是 .pdf,但内容是Windows 可执行程序,不是PDF 文档。"
            "请上传原始文件,不要修改扩展名。",
        ),
        (
            "照片.png",
            PDF,
            "文件「照片.png」的扩展名是 .png,但内容是PDF 文档,不是PNG 图片。"
            "请上传原始文件,不要修改扩展名。",
        ),
        (
            "工具.exe",
            EXE,
            "文件「工具.exe」的扩展名是 .exe,不接受这类文件。可上传:Excel 97-2003 工作簿、"
            "Excel 工作簿、JPEG 图片、OFD 版式文档、PDF 文档、PNG 图片、"
            "Word 97-2003 文档、Word 文档。",
        ),
        (
            "说明.docx",
            package(b"<Types/>"),
            "文件「说明.docx」的扩展名是 .docx,但内容是压缩包,不是Word 文档。"
            "请上传原始文件,不要修改扩展名。",
        ),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_stored(
    zone_user, east, media, name, content, message
):
    with pytest.raises(AttachmentRefused) as refused:
        upload_attachment(east, upload(name, content), acting_user=zone_user)

    assert str(refused.value) == message
    assert not Attachment.objects.exists()
    assert not ObjectChange.objects.exists()
    assert stored_files(media) == []


def test_an_oversize_file_is_refused(zone_user, east, media, settings):
    settings.KAIFAQU_ATTACHMENT_MAX_MB = 1
    content = PDF + bytes(1024 * 1024)

    with pytest.raises(AttachmentRefused) as refused:
        upload_attachment(east, upload("扫描件.pdf", content), acting_user=zone_user)

    assert str(refused.value) == (
        "文件「扫描件.pdf」超过附件大小上限 1 MB,未上传。请压缩或拆分后再上传。"
    )
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_type_left_out_of_the_setting_is_refused(zone_user, east, media, settings):
    settings.KAIFAQU_ATTACHMENT_TYPES = ["pdf"]

    with pytest.raises(AttachmentRefused):
        upload_attachment(east, upload("承诺书.docx", DOCX), acting_user=zone_user)


def test_uploading_to_an_object_outside_scope_is_404(zone_user, west, media):
    from django.http import Http404

    with pytest.raises(Http404):
        upload_attachment(west, upload("合同.pdf", PDF), acting_user=zone_user)
    assert not Attachment.objects.exists()


def test_a_read_only_role_may_not_upload(province, east, media):
    leader = make_user("leader", "leadership", region=province["province"])
    from django.http import Http404

    with pytest.raises(Http404):
        upload_attachment(east, upload("合同.pdf", PDF), acting_user=leader)


def test_download_is_served_to_whoever_may_view_the_object(
    client, zone_user, province_analyst, east, media
):
    attachment = upload_attachment(east, upload("土地出让合同.pdf", PDF), acting_user=zone_user)
    client.force_login(province_analyst)

    response = client.get(reverse("attachments:download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E5%9C%9F%E5%9C%B0" in response["Content-Disposition"]


def test_download_outside_scope_is_404(client, province_analyst, province, west, media):
    attachment = upload_attachment(west, upload("合同.pdf", PDF), acting_user=province_analyst)
    east_staff = make_user("east_only", "zone_analyst", zones=(province["zones"]["east"],))
    client.force_login(east_staff)

    response = client.get(reverse("attachments:download", args=[attachment.pk]))

    assert response.status_code == 404


def test_attachments_of_a_model_not_registered_are_seen_by_no_one(
    zone_user, east, media, monkeypatch
):
    from kaifaqu.attachments.registry import ATTACHABLE

    upload_attachment(east, upload("合同.pdf", PDF), acting_user=zone_user)
    monkeypatch.delitem(ATTACHABLE, "enterprises.enterprise")

    assert not Attachment.objects.restrict(zone_user).exists()


def test_delete_is_logged_and_removes_the_file(
    zone_user, east, media, django_capture_on_commit_callbacks
):
    attachment = upload_attachment(east, upload("合同.pdf", PDF), acting_user=zone_user)
    with django_capture_on_commit_callbacks(execute=True):
        owner = delete_attachment(attachment.pk, acting_user=zone_user)

    assert owner == east
    assert not Attachment.objects.exists()
    deleted = ObjectChange.objects.get(action="delete")
    assert (deleted.username, deleted.before["file_name"], deleted.after) == (
        "east_staff",
        "合同.pdf",
        None,
    )
    assert stored_files(media) == []


def test_delete_outside_scope_is_404_and_changes_nothing(
    client, province_analyst, province, west, media
):
    attachment = upload_attachment(west, upload("合同.pdf", PDF), acting_user=province_analyst)
    east_staff = make_user("east_only", "zone_analyst", zones=(province["zones"]["east"],))
    client.force_login(east_staff)
    changes = ObjectChange.objects.count()

    response = client.post(reverse("attachments:delete", args=[attachment.pk]))

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert ObjectChange.objects.count() == changes


def test_upload_page_goes_back_to_the_object_with_a_message(client, zone_user, east, media):
    client.force_login(zone_user)
    form = {"owner": "enterprises.enterprise", "object_id": east.pk, "description": "照片"}

    accepted = client.post(
        reverse("attachments:upload"), {**form, "file": upload("合同.pdf", PDF)}, follow=True
    )
    refused = client.post(
        reverse("attachments:upload"), {**form, "file": upload("合同.pdf", EXE)}, follow=True
    )

    assert accepted.redirect_chain[0] == (east.get_absolute_url(), 302)
    messages = [str(m) for m in accepted.context["messages"]]
    assert messages == ["已上传附件「合同.pdf」。"]
    assert "但内容是Windows 可执行程序" in refused.content.decode()
    assert Attachment.objects.count() == 1


def test_upload_page_refuses_an_incomplete_form(client, zone_user, media):
    client.force_login(zone_user)

    response = client.post(reverse("attachments:upload"), {"owner": "enterprises.enterprise"})

    assert response.status_code == 400


def test_panel_lists_attachments_and_offers_upload_to_who_may_change(
    rf, zone_user, province, east, media
):
    from django.template import Context, Template

    upload_attachment(east, upload("合同.pdf", PDF), acting_user=zone_user)
    leader = make_user("leader", "leadership", region=province["province"])
    template = Template("{% load attachments %}{% attachments_panel object %}")

    def render(user):
        request = rf.get("/")
        request.user = user
        return template.render(Context({"request": request, "object": east}))

    staff_view, leader_view = render(zone_user), render(leader)
    assert "合同.pdf" in staff_view
    assert "合同.pdf" in leader_view
    assert 'data-testid="attachment-upload"' in staff_view
    assert 'data-testid="attachment-upload"' not in leader_view
