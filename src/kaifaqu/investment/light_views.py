"""The 红黄绿 lights rule page: the rules in force and every saved version, and, for a province's
office, the form that saves the next version (``light_actions.save_light_rules``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kaifaqu.access.permissions import can
from kaifaqu.core.views import BusinessView
from kaifaqu.investment import light_actions
from kaifaqu.investment.actions import Refused
from kaifaqu.investment.forms import LightRulesForm
from kaifaqu.investment.kpi_models import LightRuleSet


class LightRulesView(BusinessView):
    """The rules are one document for every zone, reference data like the stage settings:
    every business role reads them; the action decides who saves."""

    def render_page(self, request: HttpRequest, form: LightRulesForm) -> HttpResponse:
        context: dict[str, Any] = {
            "form": form,
            "rules": form.rules,
            "versions": LightRuleSet.objects.select_related("created_by"),
            "may_edit": can(request.user, "investment.edit_light_rules"),
        }
        return render(request, "investment/light_rules.html", context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, LightRulesForm(None, light_actions.current_rules()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LightRulesForm(request.POST, light_actions.current_rules())
        if form.is_valid():
            try:
                saved = light_actions.save_light_rules(
                    form.edits(), note=form.cleaned_data["note"], acting_user=request.user
                )
            except (Refused, PermissionDenied) as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"已保存红黄绿灯规则 {saved.version},下次评价起生效")
                return redirect("investment:light_rules")
        return self.render_page(request, form)
