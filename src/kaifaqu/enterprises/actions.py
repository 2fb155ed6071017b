"""Writes of the enterprises app."""

from typing import Any

from kaifaqu.audit.writes import audited_save
from kaifaqu.enterprises.forms import EnterpriseForm
from kaifaqu.enterprises.models import Enterprise


def update_enterprise(form: EnterpriseForm, *, acting_user: Any) -> Enterprise:
    """Save a validated profile form: one transaction, scope re-checked, one change-log row."""
    instance: Enterprise = form.instance
    return audited_save(instance, acting_user=acting_user, m2m={"tags": form.cleaned_data["tags"]})
