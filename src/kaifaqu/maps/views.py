"""The map's JSON for other clients (the pages embed the same payload)."""

from django.http import HttpRequest, JsonResponse

from kaifaqu.core.views import BusinessView
from kaifaqu.maps.payload import revenue_map


class ScopeMapView(BusinessView):
    """The user's zones and the outlines around them, as ``static/maps/maps.js`` draws them."""

    def get(self, request: HttpRequest) -> JsonResponse:
        return JsonResponse(revenue_map(request.user), json_dumps_params={"ensure_ascii": False})
