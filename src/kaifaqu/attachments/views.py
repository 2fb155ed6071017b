from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect

from kaifaqu.attachments.actions import (
    AttachmentRefused,
    delete_attachment,
    upload_attachment,
    upload_target,
)
from kaifaqu.attachments.forms import AttachmentForm, OwnerForm
from kaifaqu.attachments.models import Attachment
from kaifaqu.core.downloads import file_download
from kaifaqu.core.uploads import upload_refusal
from kaifaqu.core.views import BusinessView


def page_of(owner: Any) -> str:
    """The page of an attachable object (the registry asks for its ``get_absolute_url``)."""
    return str(owner.get_absolute_url())


class UploadView(BusinessView):
    """Adds a file to an object the user may change (or that the model's upload rule lets the
    user add files to), then goes back to the object's page. Any business role may post: the
    object's scope or rule decides."""

    def post(self, request: HttpRequest) -> HttpResponse:
        stopped = upload_refusal(request)
        form = AttachmentForm(request.POST, request.FILES)
        target = OwnerForm(request.POST)
        if not target.is_valid() or (stopped is None and not form.is_valid()):
            return HttpResponseBadRequest("上传表单不完整:请选择要上传的文件。")
        owner = upload_target(
            target.cleaned_data["owner"], target.cleaned_data["object_id"], user=request.user
        )
        if stopped is not None:
            messages.error(request, stopped)
            return redirect(page_of(owner))
        try:
            attachment = upload_attachment(
                owner,
                form.cleaned_data["file"],
                acting_user=request.user,
                description=form.cleaned_data["description"],
            )
        except AttachmentRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"已上传附件「{attachment.file_name}」。")
        return redirect(page_of(owner))


class DownloadView(BusinessView):
    """The file, for whoever may view the object it belongs to (anyone else: 404)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = get_object_or_404(Attachment.objects.restrict(request.user, "view"), pk=pk)
        return file_download(attachment.file.open("rb"), attachment.file_name)


class DeleteView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        owner = delete_attachment(pk, acting_user=request.user)
        messages.success(request, "附件已删除。")
        return redirect(page_of(owner) if owner is not None else "home")
