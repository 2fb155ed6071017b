"""Uploading a document through the page: the extractor reads .txt and .docx, the proposals are
stored with their spans, a .docx is kept as the document's attachment, an unreadable file is
refused and stores nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from kaifaqu.attachments.models import Attachment
from kaifaqu.policies.models import PolicyDocument
from kaifaqu.policies.tests.conftest import TEXT

pytestmark = pytest.mark.django_db


def upload(client, world, file):
    region = world["zones"]["east_htz"].region
    return client.post(reverse("policies:upload"), {"file": file, "region": region.pk})


def test_a_text_file_becomes_a_document_with_its_proposals(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world["users"]["east"])
    file = SimpleUploadedFile("行动方案.txt", TEXT.encode("gb18030"))
    response = upload(client, world, file)
    document = PolicyDocument.objects.exclude(pk=world["document"].pk).get()
    assert response.url == document.get_absolute_url()
    assert (document.title, document.file_name) == (
        "东城市开发区高质量发展行动方案",
        "行动方案.txt",
    )
    assert document.text == TEXT
    proposals = list(document.proposals.values_list("path", "heading"))
    assert proposals == [
        ("一/(一)", "培育规上企业"), ("一/(二)", "推进园区提质"), ("一/(三)", "优化营商环境"),
    ]  # fmt: skip
    first = document.proposals.get(path="一/(一)")
    assert [TEXT[u["start"] : u["end"]] for u in first.lead] == ["市商务局", "市发改委"]
    assert not Attachment.objects.exists()  # the text is the document


def test_a_docx_is_kept_as_the_documents_attachment(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world["users"]["east"])
    word = Document()
    for line in TEXT.splitlines():
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    upload(client, world, SimpleUploadedFile("行动方案.docx", buffer.getvalue()))
    document = PolicyDocument.objects.get(file_name="行动方案.docx")
    assert document.proposals.count() == 3
    assert list(Attachment.objects.of(document).values_list("file_name", "description")) == [
        ("行动方案.docx", "原件")
    ]


def test_an_unreadable_file_is_refused_and_stores_nothing(client, world):
    client.force_login(world["users"]["east"])
    response = upload(client, world, SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert PolicyDocument.objects.count() == 1  # the world's own


def test_a_read_only_role_may_not_upload(client, world):
    client.force_login(world["users"]["leader"])
    assert client.get(reverse("policies:upload")).status_code == 403
