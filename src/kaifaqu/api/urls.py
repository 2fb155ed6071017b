"""``/api/``: the resources under ``v1/``, the OpenAPI schema and its docs.

Each app registers its viewsets on its own router (``<app>/api/urls.py``); they are gathered here
under one root. Every API view is exempt from ``LoginRequiredMiddleware``: the API answers an
anonymous caller with its own 401, not a redirect to the login page.
"""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from kaifaqu.api.schema import DocsView
from kaifaqu.catalog.api.urls import router as catalog_router
from kaifaqu.enterprises.api.urls import router as enterprises_router
from kaifaqu.zones.api.urls import router as zones_router

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


def exempt_from_login(patterns: list[Any]) -> list[Any]:
    """Mark every view under ``patterns`` as not needing the login middleware's redirect."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            exempt_from_login(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns


router = Router()
for app_router in (catalog_router, zones_router, enterprises_router):
    router.registry.extend(app_router.registry)

urlpatterns: list[URLPattern | URLResolver] = exempt_from_login(
    [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    ]
)
