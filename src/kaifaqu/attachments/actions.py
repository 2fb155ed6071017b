"""Writes of attachments: an upload and a delete, each checked against the object's scope and
written to the change log. A refused upload stores nothing."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.http import Http404

from kaifaqu.access.permissions import can, ensure_can
from kaifaqu.access.users import ActingUser, account
from kaifaqu.attachments.models import Attachment
from kaifaqu.attachments.registry import ATTACHABLE, UPLOAD_RULES
from kaifaqu.attachments.sniffing import FileRefused, FileType, check_file
from kaifaqu.audit.writes import audited_delete, audited_save, save_decided


class AttachmentRefused(ValueError):
    """An upload refused for what the file is; the message is written for the user."""


def attachable_object(label: str, object_id: str, *, user: ActingUser, action: str) -> models.Model:
    """The object ``label`` ("app.model") ``object_id`` if ``user`` may ``action`` it: 404 for
    a model that carries no attachments or an object outside the user's scope."""
    model = ATTACHABLE.get(label)
    if model is None:
        raise Http404("该类对象不支持附件")
    try:
        return model._default_manager.restrict(user, action).get(pk=object_id)  # type: ignore[attr-defined,no-any-return]
    except (ObjectDoesNotExist, ValueError) as missing:
        raise Http404("对象不存在或不在您的数据范围内") from missing


def upload_target(label: str, object_id: str, *, user: ActingUser) -> models.Model:
    """The object ``label`` ``object_id`` that ``user`` may add a file to: by the model's upload
    rule where it names one (``PermissionDenied`` if the rule refuses), else among the objects
    the user may change (404 otherwise)."""
    rule = UPLOAD_RULES.get(label)
    if rule is None:
        return attachable_object(label, object_id, user=user, action="change")
    try:
        owner: models.Model = ATTACHABLE[label]._base_manager.get(pk=object_id)
    except (ObjectDoesNotExist, ValueError) as missing:
        raise Http404("对象不存在或不在您的数据范围内") from missing
    ensure_can(user, rule, owner)
    return owner


def may_upload(owner: models.Model, user: ActingUser) -> bool:
    """Whether ``user`` may add a file to ``owner`` (the panel's upload form)."""
    rule = UPLOAD_RULES.get(owner._meta.label_lower)
    if rule is not None:
        return can(user, rule, owner)
    manager: Any = type(owner)._default_manager
    return bool(manager.restrict(user, "change").filter(pk=owner.pk).exists())


def _digest(upload: UploadedFile[bytes]) -> str:
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    return sha.hexdigest()


def check_upload(upload: UploadedFile[bytes]) -> FileType:
    """The upload's type if its size and content are accepted."""
    limit = settings.KAIFAQU_ATTACHMENT_MAX_MB
    if upload.size is None or upload.size > limit * 1024 * 1024:
        raise AttachmentRefused(
            f"文件「{upload.name}」超过附件大小上限 {limit} MB,未上传。请压缩或拆分后再上传。"
        )
    try:
        return check_file(upload.name or "", upload, settings.KAIFAQU_ATTACHMENT_TYPES)
    except FileRefused as refusal:
        raise AttachmentRefused(str(refusal)) from refusal


def upload_attachment(
    owner: models.Model,
    upload: UploadedFile[bytes],
    *,
    acting_user: ActingUser,
    description: str = "",
) -> Attachment:
    """Attach ``upload`` to ``owner``, which the user must be allowed to change, or which the
    model's upload rule lets the user add files to."""
    label = owner._meta.label_lower
    upload_target(label, str(owner.pk), user=acting_user)
    file_type = check_upload(upload)
    attachment = Attachment(
        owner=owner,
        province_code=getattr(owner, "province_code", ""),
        file=upload,
        file_name=(upload.name or "")[:255],
        file_type=file_type.extension,
        mime_type=file_type.mime,
        size=upload.size or 0,
        sha256=_digest(upload),
        description=description,
        uploaded_by=account(acting_user),
    )
    try:
        if label in UPLOAD_RULES:
            return save_decided(attachment, acting_user=acting_user)
        return audited_save(attachment, acting_user=acting_user)
    except BaseException:
        # the file was stored when the row was saved: a rolled-back write leaves no file behind
        if attachment.pk is not None:
            attachment.file.storage.delete(str(attachment.file.name))
        raise


def delete_attachment(attachment_id: int, *, acting_user: ActingUser) -> models.Model | None:
    """Delete an attachment of an object the user may change, logged; its file goes once the
    deletion is committed. Returns the object it belonged to."""
    with transaction.atomic():
        attachment = (
            Attachment.objects.restrict(acting_user, "change")
            .select_for_update()
            .filter(pk=attachment_id)
            .first()
        )
        if attachment is None:
            raise Http404("附件不存在或不在您的数据范围内")
        owner = attachment.owner
        name, storage = str(attachment.file.name), attachment.file.storage
        audited_delete(attachment, acting_user=acting_user)
        transaction.on_commit(lambda: storage.delete(name))
    return owner
