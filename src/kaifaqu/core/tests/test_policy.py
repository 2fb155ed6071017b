import pytest
from django.core.exceptions import ImproperlyConfigured

from kaifaqu.access.permissions import can
from kaifaqu.access.roles import role_label
from kaifaqu.access.scope import ensure_all_in_scope, ensure_in_scope, has_business_role
from kaifaqu.core import policy


def test_access_installs_its_answers_at_start_up():
    installed = policy.access_policy()

    assert installed == policy.AccessPolicy(
        has_business_role=has_business_role,
        ensure_in_scope=ensure_in_scope,
        ensure_all_in_scope=ensure_all_in_scope,
        role_label=role_label,
        can=can,
    )


def test_without_an_installed_policy_every_question_is_refused(monkeypatch):
    monkeypatch.setattr(policy, "_installed", {})

    with pytest.raises(ImproperlyConfigured, match=r"kaifaqu\.access"):
        policy.access_policy()
