"""Writes of service requests: 登记 (the enterprise in its portal, the hotline for a caller, an
external 12345 system through the API), 派单, 答复, 回访 and the automatic 办结.

签收, 退回, 延期 and 督办 are supervision's own actions on the request's item; the flow here adds
what is the request's: its complexity and SLA at 派单, the reply the enterprise reads, its rating
and 重办. An enterprise user's role only views, so its own writes (filing, rating) are decided by
the rules ``servicerequests.file_own`` and ``servicerequests.rate`` and saved by
``save_decided``; every other write goes through ``audited_save``. Anything refused raises
(``PermissionDenied`` or ``Refused``) inside the transaction and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.attachments.actions import AttachmentRefused, upload_attachment
from kaifaqu.audit.log import log_bulk
from kaifaqu.audit.writes import audited_save, save_decided
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.servicerequests.choices import Category, Channel, Complexity, Rating, Stage
from kaifaqu.servicerequests.models import (
    CategoryDefault,
    ComplexitySla,
    RequestRules,
    ServiceRequest,
)
from kaifaqu.supervision import actions as supervision
from kaifaqu.supervision.actions import Refused
from kaifaqu.supervision.choices import ItemState, Level
from kaifaqu.supervision.models import ItemKind
from kaifaqu.units.models import Unit
from kaifaqu.workdays.days import add_working_days, deadline_after, overdue_cutoff
from kaifaqu.zones.models import Zone

KIND_CODE = "SQ"
TITLE_LENGTH = 40


def sla_days(complexity: str) -> int:
    """The working days of a complexity (``ComplexitySla``, data)."""
    days = ComplexitySla.objects.filter(complexity=complexity).values_list(
        "working_days", flat=True
    )
    found = days.first()
    if found is None:
        raise Refused(f"未设置「{Complexity(complexity).label}」诉求的办理时限,请联系系统管理员")
    return found


def default_complexity(category: str) -> str:
    """The complexity a category starts with (``CategoryDefault``, data; 一般 when unset)."""
    found = CategoryDefault.objects.filter(category=category).values_list("complexity", flat=True)
    return found.first() or Complexity.NORMAL


def _title(category: str, description: str) -> str:
    text = " ".join(description.split())
    short = text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"
    return f"{Category(category).label}:{short}"


def _locked(request: ServiceRequest) -> ServiceRequest:
    return (
        ServiceRequest._base_manager.select_for_update(of=("self",))
        .select_related("item", "enterprise")
        .get(pk=request.pk)
    )


def _register(
    *,
    category: str,
    description: str,
    channel: Channel,
    acting_user: ActingUser,
    enterprise: Enterprise | None,
    zone: Zone | None,
    filed_by_subject: bool,
    caller_name: str = "",
    caller_phone: str = "",
    source: str = "",
    external_ref: str = "",
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> ServiceRequest:
    description = description.strip()
    if not description:
        raise Refused("请填写诉求内容")
    if category not in Category.values:
        raise Refused("请选择诉求类别")
    region = enterprise.region if enterprise is not None else zone.region if zone else None
    if region is None:
        raise Refused("请选择诉求企业或所在开发区")
    complexity = default_complexity(category)
    opened = timezone.localdate()
    deadline = deadline_after(opened, sla_days(complexity))
    with transaction.atomic():
        item = supervision.create_item(
            kind=ItemKind.objects.get(code=KIND_CODE),
            title=_title(category, description),
            description=description,
            region=region,
            zone=zone,
            level=Level.DISTRICT,
            opened=opened,
            deadline=deadline.date,
            acting_user=acting_user,
            filed_by_subject=filed_by_subject,
        )
        request = ServiceRequest(
            item=item,
            enterprise=enterprise,
            zone=zone,
            category=category,
            complexity=complexity,
            description=description,
            channel=channel,
            caller_name=caller_name.strip(),
            caller_phone=caller_phone.strip(),
            source=source.strip(),
            external_ref=external_ref.strip(),
            filed=timezone.now(),
            filed_by=acting_user if acting_user.is_authenticated else None,
        )
        if filed_by_subject:
            save_decided(request, acting_user=acting_user)
        else:
            audited_save(request, acting_user=acting_user)
        for upload in attachments:
            _attach(request, upload, acting_user=acting_user)
    return request


def _attach(
    request: ServiceRequest, upload: UploadedFile[bytes], *, acting_user: ActingUser
) -> None:
    """A file filed with the request (the attachments' own rule ``servicerequests.attach``
    decides); a refused file refuses the filing, so nothing is stored."""
    try:
        upload_attachment(request, upload, acting_user=acting_user, description="登记时上传")
    except AttachmentRefused as refusal:
        raise Refused(str(refusal)) from refusal


def file_request(
    *,
    category: str,
    description: str,
    acting_user: ActingUser,
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> ServiceRequest:
    """登记 in the portal: an enterprise user files a request of its own enterprise, with the
    files it attaches."""
    ensure_can(acting_user, "servicerequests.file_own")
    profile = user_profile(acting_user)
    enterprise = Enterprise.objects.select_related("zone", "region").get(
        pk=profile.enterprise_id  # type: ignore[union-attr]
    )
    return _register(
        category=category,
        description=description,
        channel=Channel.PORTAL,
        acting_user=acting_user,
        enterprise=enterprise,
        zone=enterprise.zone,
        filed_by_subject=True,
        attachments=attachments,
    )


def register_call(
    *,
    category: str,
    description: str,
    caller_name: str,
    caller_phone: str,
    acting_user: ActingUser,
    enterprise: Enterprise | None = None,
    zone: Zone | None = None,
    source: str = "",
    external_ref: str = "",
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> tuple[ServiceRequest, bool]:
    """登记 by the hotline (a clerk for a caller, or an external 12345 system through the API).

    Idempotent on (``source``, ``external_ref``): a reference already registered returns that
    request and False instead of a second one (True: created). The enterprise and zone must lie
    in the registrar's scope (the item's scope check undoes the write otherwise)."""
    ensure_can(acting_user, "servicerequests.register_call")
    if not caller_name.strip() or not caller_phone.strip():
        raise Refused("请填写来电人及联系电话")
    if external_ref.strip():
        existing = _registered(acting_user, source, external_ref)
        if existing is not None:
            return existing, False
    if enterprise is not None:
        if not Enterprise.objects.restrict(acting_user).filter(pk=enterprise.pk).exists():
            raise PermissionDenied("该企业不在您的数据范围内")
        zone = enterprise.zone
    try:
        with transaction.atomic():
            request = _register(
                category=category,
                description=description,
                channel=Channel.HOTLINE,
                acting_user=acting_user,
                enterprise=enterprise,
                zone=zone,
                filed_by_subject=False,
                caller_name=caller_name,
                caller_phone=caller_phone,
                source=source,
                external_ref=external_ref,
                attachments=attachments,
            )
    except IntegrityError:  # the same reference registered at the same moment
        existing = _registered(acting_user, source, external_ref)
        if existing is None:
            raise
        return existing, False
    return request, True


def _registered(acting_user: ActingUser, source: str, external_ref: str) -> ServiceRequest | None:
    found = ServiceRequest._base_manager.filter(
        source=source.strip(), external_ref=external_ref.strip()
    ).first()
    if found is None:
        return None
    if not ServiceRequest.objects.restrict(acting_user).filter(pk=found.pk).exists():
        raise Refused("该外部编号已被其他诉求使用")
    return found


def dispatch(
    request: ServiceRequest,
    *,
    lead_unit: Unit,
    acting_user: ActingUser,
    supporting_units: Iterable[Unit] = (),
    complexity: str = "",
    note: str = "",
) -> ServiceRequest:
    """派单: a supervisor gives the request to a lead unit (and supporting units), may change
    its complexity; the deadline is that complexity's SLA in working days from today, and it is
    to be signed for within the rules' 签收 working days (``RequestRules.accept_working_days``)."""
    today = timezone.localdate()
    with transaction.atomic():
        request = _locked(request)
        item = supervision.assign(
            request.item,
            lead_unit=lead_unit,
            supporting_units=supporting_units,
            note=note,
            acting_user=acting_user,
            accept_deadline=add_working_days(today, RequestRules.current().accept_working_days),
        )
        complexity = complexity or request.complexity
        if complexity not in Complexity.values:
            raise Refused("请选择复杂程度")
        deadline = deadline_after(today, sla_days(complexity))
        item.deadline, item.deadline_official = deadline.date, deadline.official
        audited_save(item, acting_user=acting_user)
        if complexity != request.complexity:
            request.complexity = complexity
            audited_save(request, acting_user=acting_user)
        request.item = item
    return request


def accept(request: ServiceRequest, *, acting_user: ActingUser) -> ServiceRequest:
    """签收: the lead unit takes the request on (supervision's transition)."""
    supervision.accept(request.item, acting_user=acting_user)
    request.item.refresh_from_db()
    return request


def reply(request: ServiceRequest, *, text: str, acting_user: ActingUser) -> ServiceRequest:
    """答复: the lead unit answers; the item is done and the enterprise is asked to rate it."""
    with transaction.atomic():
        request = _locked(request)
        request.item = supervision.complete(request.item, note=text, acting_user=acting_user)
        request.reply, request.replied = text.strip(), timezone.now()
        audited_save(request, acting_user=acting_user)
        if request.enterprise_id is not None:
            notify(
                get_user_model().objects.filter(profile__enterprise=request.enterprise_id),
                NotificationKind.REPLY,
                request,
                f"您的诉求 {request.item.number} 已答复" + ("" if request.rating else ",请评价"),
                request.reply,
                acting_user=acting_user,
            )
    return request


def rate(
    request: ServiceRequest, *, rating: str, acting_user: ActingUser, note: str = ""
) -> ServiceRequest:
    """回访: the enterprise rates the reply. 满意 or 基本满意 close it (办结). The first 不满意
    reopens it with its lead unit as 重办, with a new deadline, and the enterprise rates the new
    reply; the second 不满意 is its rating (it counts in 满意率) and sends the item to the
    supervisors one level up, on the 督办 board, to dispatch again; the request is 办结 when
    that round is done, without another rating."""
    ensure_can(acting_user, "servicerequests.rate", request)
    with transaction.atomic():
        request = _locked(request)
        if request.stage != Stage.REPLIED:
            raise Refused(
                f"诉求{request.item.number}当前为「{request.get_stage_display()}」,不能评价"
            )
        if rating not in Rating.values:
            raise Refused("请选择评价")
        note = note.strip()
        if rating == Rating.UNSATISFIED:
            if not note:
                raise Refused("请说明不满意的原因")
            first = request.reopened == 0
            deadline = deadline_after(timezone.localdate(), sla_days(request.complexity))
            request.item = supervision.reopen(
                request.item,
                note=f"企业评价不满意:{note}",
                acting_user=acting_user,
                deadline=deadline.date if first else None,
                to_dispatcher=not first,
            )
            request.reopened += 1
            request.rating_note = note
            if not first:
                request.rating, request.rated = rating, timezone.now()
        else:
            request.rating, request.rated, request.rating_note = rating, timezone.now(), note
        save_decided(request, acting_user=acting_user)
    return request


def auto_close(*, acting_user: ActingUser, today: date | None = None) -> int:
    """办结 the requests replied to but not rated within the rules' working days: one UPDATE,
    logged as one batch; they carry ``auto_closed`` and stay out of 满意率."""
    today = today or timezone.localdate()
    days = RequestRules.current().rating_working_days
    with transaction.atomic():
        due = ServiceRequest._base_manager.filter(
            item__state=ItemState.DONE,
            rating="",
            auto_closed=False,
            item__closed__lt=overdue_cutoff(today, days),
        )
        count = due.update(auto_closed=True)
        if count:
            log_bulk(
                ServiceRequest,
                label="逾期未评价诉求自动办结",
                counts={"auto_closed": count},
                acting_user=acting_user,
            )
    return count
