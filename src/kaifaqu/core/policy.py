"""The questions the shared framework asks about a user, answered by the ``access`` app.

The generic views and the API let in only a business role; an audited write checks that the object
is inside the writer's scope; the change log records the writer's roles; a page offers an action
only when the action's own rule allows it (``{% can %}``). Roles and scope live in
``access``, which builds on this framework and on the change log, so they cannot be imported from
here: ``access`` installs its answers when Django starts (``AccessConfig.ready``). Until it has,
every question raises, so a project without ``access`` refuses rather than lets anyone in.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

if TYPE_CHECKING:
    # Only the type: importing ``access`` would make the framework depend on what builds on it.
    from kaifaqu.access.users import ActingUser


@dataclass(frozen=True)
class AccessPolicy:
    # Whether ``user`` holds a business role that allows ``action`` ("view", "change", ...).
    has_business_role: Callable[["ActingUser", str], bool]
    # Raise PermissionDenied unless the saved ``instance`` is inside ``user``'s scope for a change.
    ensure_in_scope: Callable[[models.Model, "ActingUser"], None]
    # The same for saved objects of one model, by key, in one query (the audited bulk writes).
    ensure_all_in_scope: Callable[[type[models.Model], Sequence[Any], "ActingUser"], None]
    # The user's role codes as the change log stores them ("province_analyst,superuser").
    role_label: Callable[["ActingUser | None"], str]
    # Whether ``user`` may take a named action ("mujun.start_publicity") on an object (or None):
    # the rule the action itself enforces, asked by pages before they offer it.
    can: Callable[["ActingUser", str, Any], bool]


_installed: dict[str, AccessPolicy] = {}


def install(policy: AccessPolicy) -> None:
    _installed["policy"] = policy


def access_policy() -> AccessPolicy:
    try:
        return _installed["policy"]
    except KeyError:
        raise ImproperlyConfigured(
            "No access policy is installed: add kaifaqu.access to INSTALLED_APPS."
        ) from None
