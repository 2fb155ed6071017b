from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from kaifaqu.access.actions import password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also lifts the forced change and records the event."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(self.request.user, request=self.request)
        return response
