"""Writes of the enterprises app."""

from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.users import ActingUser
from kaifaqu.audit.writes import audited_save
from kaifaqu.enterprises.forms import EnterpriseForm
from kaifaqu.enterprises.models import Enterprise


def update_enterprise(form: EnterpriseForm, *, acting_user: ActingUser) -> Enterprise:
    """Save a validated profile form: one transaction, scope re-checked, one change-log row."""
    instance: Enterprise = form.instance
    ensure_can(acting_user, "enterprises.update_enterprise", instance)
    return audited_save(instance, acting_user=acting_user, m2m={"tags": form.cleaned_data["tags"]})
