"""One error format for every API response that is not a success.

    {"error": {"code": "invalid", "message": "提交的数据未通过校验",
               "fields": {"uscc": [{"code": "invalid_uscc", "message": "…"}]}}}

``code`` is machine-readable (see ``error_codes``), ``message`` is for people (Chinese by default,
following the request's language), ``fields`` appears on validation errors only.
"""

import logging
from collections import Counter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from kaifaqu.api import error_codes
from kaifaqu.audit.choices import SecurityEventKind
from kaifaqu.audit.events import record_security_event

logger = logging.getLogger(__name__)

FieldErrors = dict[str, list[dict[str, str]]]


class Protected(exceptions.APIException):
    """409: the object still has records that depend on it; they must be removed first."""

    status_code = status.HTTP_409_CONFLICT
    default_code = error_codes.PROTECTED
    default_detail = error_codes.MESSAGES[error_codes.PROTECTED]


def error_body(code: str, message: str, fields: FieldErrors | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's exception handler: every exception becomes the one error format."""
    if isinstance(exc, DjangoValidationError):
        return _response(status.HTTP_400_BAD_REQUEST, error_codes.INVALID, django_fields(exc))
    if isinstance(exc, exceptions.ValidationError):
        return _response(status.HTTP_400_BAD_REQUEST, error_codes.INVALID, drf_fields(exc.detail))
    if isinstance(exc, ProtectedError | RestrictedError):
        return _response(status.HTTP_409_CONFLICT, error_codes.PROTECTED, message=_referrers(exc))
    if isinstance(exc, IntegrityError):
        logger.warning("API write refused by the database: %s", exc)
        return _response(status.HTTP_409_CONFLICT, error_codes.CONFLICT)
    if isinstance(exc, Http404):
        # Django's message names the model; an object outside scope and a missing one look alike.
        return _response(status.HTTP_404_NOT_FOUND, error_codes.NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.PermissionDenied):
        _record_denial(context.get("request"), exc)
    if isinstance(exc, exceptions.APIException):
        return _api_exception_response(exc)
    logger.exception("Unhandled error in an API view", exc_info=exc)
    return _response(status.HTTP_500_INTERNAL_SERVER_ERROR, error_codes.SERVER_ERROR)


def _referrers(exc: ProtectedError | RestrictedError) -> str:
    """What still refers to the object, counted by kind: never named, it may be out of scope."""
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    counts = Counter(str(obj._meta.verbose_name) for obj in objects)
    listed = "、".join(f"{name} {count} 条" for name, count in sorted(counts.items()))
    return f"该对象仍被其他数据引用({listed}),不能删除"


def _record_denial(request: Any, exc: exceptions.PermissionDenied) -> None:
    """Every 403 is a security event for the auditors, as on the pages."""
    if request is None:
        return
    record_security_event(
        SecurityEventKind.PERMISSION_DENIED,
        request=request,
        user=request.user,
        detail=str(exc.detail),
    )


def _response(
    status_code: int,
    code: str,
    fields: FieldErrors | None = None,
    *,
    message: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    set_rollback()
    body = error_body(code, message or error_codes.MESSAGES[code], fields)
    return Response(body, status=status_code, headers=headers)


def _api_exception_response(exc: exceptions.APIException) -> Response:
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = f"{wait:.0f}"
    detail = exc.detail
    if isinstance(detail, list | dict):  # an APIException raised with structured detail
        return _response(
            exc.status_code,
            error_codes.INVALID,
            drf_fields(detail),
            message=error_codes.MESSAGES[error_codes.INVALID],
            headers=headers,
        )
    return _response(
        exc.status_code,
        getattr(detail, "code", None) or exc.default_code,
        message=str(detail),
        headers=headers,
    )


def drf_fields(detail: Any, prefix: str = "") -> FieldErrors:
    """DRF's error detail (lists and dicts of ErrorDetail, nested) as flat ``field → errors``."""
    non_field = prefix or api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, dict):
        fields: FieldErrors = {}
        for name, value in detail.items():
            fields.update(drf_fields(value, f"{prefix}.{name}" if prefix else str(name)))
        return fields
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {non_field: [_error(item) for item in detail]}
        fields = {}
        for index, item in enumerate(detail):
            if item:  # many=True fields give an empty entry for items that passed
                fields.update(drf_fields(item, f"{non_field}.{index}"))
        return fields
    return {non_field: [_error(detail)]}


def _error(item: Any) -> dict[str, str]:
    return {"code": getattr(item, "code", None) or error_codes.INVALID, "message": str(item)}


def django_fields(exc: DjangoValidationError) -> FieldErrors:
    """A model's ``full_clean`` errors as ``field → errors``, with their codes."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    fields: FieldErrors = {}
    for name, errors in by_field.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name
        fields[key] = [
            {
                "code": single.code or error_codes.INVALID,
                "message": str(single.message % single.params if single.params else single.message),
            }
            for error in errors
            for single in error.error_list
        ]
    return fields
