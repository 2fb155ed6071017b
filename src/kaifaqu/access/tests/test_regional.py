"""Every regional model stands on one base: its province code from one source, restrict()."""

from decimal import Decimal

import pytest
from django.apps import apps

from kaifaqu.access.regional import RegionalModel
from kaifaqu.assessment.models import Deduction
from kaifaqu.enterprises.models import EnterpriseEvent

# Models with a province code that are not regional rows, and why.
NOT_REGIONAL = {
    "catalog.region": "reference data; the code is read from its own division code",
    "assessment.assessmentrun": "the province a run ranks, chosen by its author (blank: all)",
    "audit.objectchange": "copied from the object logged",
    "audit.domainevent": "copied from the object the event is about",
    "attachments.attachment": "copied from the object it is attached to (scoped by that object)",
}


def test_every_model_with_a_province_code_is_regional_or_says_why_not():
    with_code = {
        m._meta.label_lower
        for m in apps.get_models()
        if any(f.name == "province_code" for f in m._meta.fields)
    }
    regional = {m._meta.label_lower for m in apps.get_models() if issubclass(m, RegionalModel)}
    assert with_code - regional == set(NOT_REGIONAL)
    assert len(regional) == 34  # zones 3, enterprises 3, mujun 5, assessment 6, units 1, 督办 2,
    # 招商 7 (clients, packages, projects, plans, visits, funds, stage history), its KPIs 2,
    # 企业诉求 1, 政策任务 4 (documents, proposals, tasks, progress reports)


@pytest.mark.parametrize(
    "model", [m for m in apps.get_models() if issubclass(m, RegionalModel)], ids=str
)
def test_a_regional_model_copies_its_province_from_a_related_regional_row(model):
    source = model._meta.get_field(model.province_source).related_model
    assert any(f.name == "province_code" for f in source._meta.fields)
    assert hasattr(model._default_manager, "restrict")


def test_the_province_code_is_copied_from_the_source_on_every_save(province):
    east = province["zones"]["east"]
    deduction = Deduction(zone=east, year=2025, item="巡视巡察问题", count=Decimal(1))
    deduction.province_code = "110000"
    deduction.save()
    assert Deduction.objects.get().province_code == "990000"
    event = EnterpriseEvent.objects.create(
        enterprise=province["enterprises"]["西城化工有限公司"],
        kind="dishonest_listed",
        date="2025-01-02",
    )
    assert event.province_code == "990000"
