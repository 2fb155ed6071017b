from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kaifaqu.audit.context import write_context


class WriteContextMiddleware:
    """Gives every request its own request id and remembers the client address for the log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "admin" if request.path.startswith("/admin/") else "web"
        with write_context(ip=request.META.get("REMOTE_ADDR"), channel=channel) as context:
            response = self.get_response(request)
        response["X-Request-ID"] = str(context.request_id)
        return response
