"""The OpenAPI schema's shared parts: the error format on every operation, and the docs page."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBase
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": "统一错误格式",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "机器可读的错误代码"},
                "message": {"type": "string", "description": "错误说明"},
                "fields": {
                    "type": "object",
                    "description": "各字段的错误(仅数据校验错误)",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string", "example": "invalid_uscc"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            },
        }
    },
}

# Status → description, and which operations can answer it.
ERRORS = {
    "400": "请求参数或数据未通过校验(invalid、invalid_cursor、parse_error)",
    "401": "未认证或令牌无效(not_authenticated、authentication_failed)",
    "403": "角色无权修改,或写入后对象将超出数据范围(permission_denied)",
    "404": "对象不存在或不在您的数据范围内(not_found)",
    "406": "无法提供所请求的响应格式(not_acceptable)",
    "409": "对象仍被其他数据引用,或与并发写入冲突(protected、conflict)",
    "415": "请求体格式不受支持,请使用 application/json(unsupported_media_type)",
    "429": "超过访问频率限制,请按 Retry-After 等待(throttled)",
}
WRITES = {"post", "put", "patch", "delete"}
ONLY_FOR = {"409": WRITES, "415": WRITES - {"delete"}}
DETAIL_ONLY = {"404"}


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in WRITES | {"get"}:
                continue
            for status_code, description in ERRORS.items():
                if method not in ONLY_FOR.get(status_code, {method}):
                    continue
                if status_code in DETAIL_ONLY and "{" not in path:
                    continue
                operation["responses"].setdefault(
                    status_code,
                    {"description": description, "content": content},
                )
    return result


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI (from drf-spectacular-sidecar, no CDN); a visitor not logged in goes to log in.

    The split form serves the start-up script from this URL (``?script``) instead of inline, and
    the page's template keeps its few styles in a file: the Content-Security-Policy allows neither.
    """

    permission_classes = (AllowAny,)
    template_name = "api/swagger_ui.html"
    schema = None  # not an endpoint of the API itself

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response: HttpResponseBase = super().get(  # type: ignore[no-untyped-call]  # untyped library
            request, *args, **kwargs
        )
        return response
