"""Settings of the REST API, imported by the project settings.

Rates and page sizes come from the environment with defaults that work out of the box; a malformed
value stops start-up with ``ImproperlyConfigured`` naming the variable.
"""

import re

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def _rate(variable: str, default: str) -> str:
    value: str = env.str(variable, default=default)
    if not _RATE.match(value):
        raise ImproperlyConfigured(f"{variable} must look like 600/min (got {value!r})")
    return value


def _positive(variable: str, default: int) -> int:
    value: int = env.int(variable, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{variable} must be a positive integer (got {value})")
    return value


API_PAGE_SIZE = _positive("KAIFAQU_API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = _positive("KAIFAQU_API_MAX_PAGE_SIZE", 1000)

REST_FRAMEWORK: dict[str, object] = {
    # Token first: its WWW-Authenticate header makes an anonymous request a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kaifaqu.access.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "kaifaqu.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "kaifaqu.api.pagination.KeysetPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": [
        "kaifaqu.api.throttling.AnonRateThrottle",
        "kaifaqu.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _rate("KAIFAQU_API_RATE_ANON", "30/min"),
        "user": _rate("KAIFAQU_API_RATE_USER", "600/min"),
    },
    "EXCEPTION_HANDLER": "kaifaqu.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

SPECTACULAR_SETTINGS: dict[str, object] = {
    "TITLE": "开发区平台数据接口",
    "DESCRIPTION": (
        "开发区、企业及其年度数据,以及亩均效益评价的方案、批次与结果的系统间交换接口(互联互通)。"
        "亩均评价在后台计算:发起评价后轮询返回的批次,其 job 字段给出计算进度。"
        "系统使用令牌认证(请求头 `Authorization: Token <令牌>`),浏览器使用登录会话。"
        "每个用户只能看到并修改其数据范围内的对象;范围外的对象一律返回 404。"
        "列表使用游标分页(`cursor`、`limit`),可用 `ordering` 排序;错误统一为 "
        '`{"error": {"code", "message", "fields"}}` 格式。'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from drf-spectacular-sidecar: served locally, the platform is air-gapped.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets whose fields share a name ("kind", "state") with another set's: named here, else
    # drf-spectacular names them by hash and warns.
    "ENUM_NAME_OVERRIDES": {
        "JobStateEnum": "kaifaqu.jobs.choices.JobState",
        "PublicationKindEnum": "kaifaqu.publications.choices.PublicationKind",
        "ImportKindEnum": "kaifaqu.intake.choices.ImportKind",
        "ImportBatchStateEnum": "kaifaqu.intake.choices.BatchState",
        # A zone's kind, and the kinds a new assessment run may be limited to (all of them too)
        "ZoneKindEnum": "kaifaqu.zones.choices.ZoneKind",
        "RunZoneKindEnum": "kaifaqu.assessment.api.serializers.RUN_ZONE_KINDS",
        "SupervisedItemStateEnum": "kaifaqu.supervision.choices.ItemState",
        "SupervisionLogKindEnum": "kaifaqu.supervision.choices.LogKind",
        "NotificationKindEnum": "kaifaqu.notifications.choices.NotificationKind",
        "InvestmentStageEnum": "kaifaqu.investment.choices.Stage",
        "InvestmentChangeKindEnum": "kaifaqu.investment.choices.ChangeKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kaifaqu.api.schema.document_errors",
    ],
}
