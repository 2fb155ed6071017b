"""``/api/``: the resources under ``v1/``, the OpenAPI schema and its docs.

Each app registers its viewsets on its own router (``<app>/api/urls.py``, named ``router``); the
routers of the installed apps are found here and gathered under one root, so this app imports none
of them. Every API view is exempt from ``LoginRequiredMiddleware``: the API answers an
anonymous caller with its own 401, not a redirect to the login page.
"""

from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import BaseRouter, DefaultRouter

from kaifaqu.api.schema import DocsView

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


def app_routers() -> Iterator[BaseRouter]:
    """The router of every installed kaifaqu app that has an ``api.urls`` module, in app order."""
    for app in apps.get_app_configs():
        # find_spec of a.api.urls imports a.api, so that one is asked first.
        if (
            app.name.startswith("kaifaqu.")
            and find_spec(f"{app.name}.api") is not None
            and find_spec(f"{app.name}.api.urls") is not None
        ):
            yield import_module(f"{app.name}.api.urls").router


router = Router()
for app_router in app_routers():
    router.registry.extend(app_router.registry)

urlpatterns: list[URLPattern | URLResolver] = exempt_from_login(
    [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    ]
)
