"""The form editor of a scheme: its figures in fields, saved through the new-version action as
version-1 TOML that keeps the bureau's comments; bad figures are refused and nothing is saved."""

import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from kaifaqu.mujun import actions
from kaifaqu.mujun.models import Scheme
from kaifaqu.mujun.scheme import parse_scheme
from kaifaqu.mujun.scheme_format import document_version

pytestmark = pytest.mark.django_db

LEGACY = Path(__file__).parent / "legacy"


def _form(client: Any, scheme: Scheme) -> dict[str, Any]:
    """The editor's fields as the page fills them in."""
    page = client.get(reverse("mujun:scheme_edit", args=[scheme.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    return {name: form[name].value() for name in form.fields}


def test_a_changed_weight_lands_in_the_saved_version(client, scheme, manager):
    # given the 黄岩 scheme's editor, 规上 亩均税收 30 → 35 and 亩均增加值 20 → 15
    client.force_login(manager)
    data = _form(client, scheme) | {"weight:above:tax_per_mu": 35, "weight:above:va_per_mu": 15}
    data |= {"publicity_max_days": 20, "share:0": 25, "land_threshold_mu": 3}
    # when it is saved
    response = client.post(reverse("mujun:scheme_edit", args=[scheme.pk]), data)
    # then version 2 holds the new figures, and only them
    new = Scheme.objects.get(name=scheme.name, version=2)
    assert response.status_code == 302
    assert response["Location"] == new.get_absolute_url()
    assert new.previous_id == scheme.pk
    parsed, before = parse_scheme(new.document), scheme.parsed()
    assert parsed.pool("above").weights == before.pool("above").weights | {
        "tax_per_mu": 35.0,
        "va_per_mu": 15.0,
    }
    assert parsed.pool("below") == before.pool("below")
    assert (parsed.publicity.min_days, parsed.publicity.max_days) == (3, 20)
    assert parsed.grading.shares == (25, 60, 95)
    assert parsed.land_threshold_mu == 3.0
    # written as the engine's entries of the version-1 layout, comments kept
    assert 'parent = "total"\nweight = 35\n' in new.document
    assert new.document.splitlines()[0] == scheme.document.splitlines()[0]
    assert new.document.count("\n#") == scheme.document.count("\n#")


def test_a_benchmark_method_is_written_as_the_presets_write_it(client, scheme, manager):
    client.force_login(manager)
    data = _form(client, scheme) | {
        "method:below:tax_per_mu": "prior_mean",
        "factor:below:tax_per_mu": 2,
        "value:below:tax_per_mu": "",
    }
    client.post(reverse("mujun:scheme_edit", args=[scheme.pk]), data)
    new = Scheme.objects.get(name=scheme.name, version=2)
    assert 'tax_per_mu = {method = "prior_mean", factor = 2}\n' in new.document
    benchmark = parse_scheme(new.document).pool("below").benchmarks["tax_per_mu"]
    assert (benchmark.method, benchmark.factor) == ("prior_mean", 2.0)


def test_a_legacy_version_is_saved_in_the_current_layout(client, scheme, manager):
    # given a version saved in the legacy layout
    legacy = (LEGACY / "huangyan_2022.toml").read_text(encoding="utf-8")
    old = actions.save_scheme_version(scheme, legacy, acting_user=manager)
    client.force_login(manager)
    # when its editor saves it unchanged
    client.post(reverse("mujun:scheme_edit", args=[old.pk]), _form(client, old))
    # then the new version is the same scheme in version 1; the legacy one is left as it was
    new = Scheme.objects.get(name=scheme.name, version=3)
    assert document_version(tomllib.loads(new.document)) == 1
    assert parse_scheme(new.document) == parse_scheme(legacy)
    assert Scheme.objects.get(pk=old.pk).document == legacy


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"weight:above:tax_per_mu": 40}, "规上各项权重之和须为 100(现为 110)"),
        (
            {"weight:below:tax_per_mu": -10, "weight:below:tax_per_kwh": 110},
            "规下「亩均税收」的权重:权重须为正数",
        ),
        ({"value:above:va_per_mu": ""}, "规上「亩均增加值」的固定基准值:固定基准值须为正数"),
        ({"share:1": 10}, "各等级的累计比例须逐级递增"),
        (
            {"publicity_min_days": 9, "publicity_max_days": 5},
            "公示最长天数(自然日):公示最长天数不得少于最短天数",
        ),
        ({"weight:above:labor_prod": "十"}, "规上「全员劳动生产率」的权重:须为数字"),
    ],
)
def test_bad_figures_give_a_form_error_and_save_nothing(client, scheme, manager, change, shown):
    # given the editor with one bad figure (or a pool's weights no longer adding up)
    client.force_login(manager)
    data = _form(client, scheme) | change
    # when it is posted
    response = client.post(reverse("mujun:scheme_edit", args=[scheme.pk]), data)
    # then the page lists the problem where it is, and no version is saved
    assert response.status_code == 200
    assert not response.context["form"].is_valid()
    assert f"<li>{shown}</li>" in response.content.decode()
    assert list(Scheme.objects.values_list("version", flat=True)) == [1]


def test_only_who_may_change_the_scheme_opens_its_editor(client, scheme, zone_user):
    client.force_login(zone_user)
    url = reverse("mujun:scheme_edit", args=[scheme.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"land_threshold_mu": 1}).status_code == 404
    assert Scheme.objects.count() == 1


def test_the_scheme_page_links_the_editor_and_keeps_the_toml_as_advanced(client, scheme, manager):
    client.force_login(manager)
    page = client.get(reverse("mujun:scheme", args=[scheme.pk])).content.decode()
    assert reverse("mujun:scheme_edit", args=[scheme.pk]) in page
    assert "高级:TOML" in page
