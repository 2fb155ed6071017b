"""Migration 0004: weight-noise ``levels`` written in the engine's old meaning (the aggregates
whose children are perturbed) take COINr's (the level of the perturbed weights), without
rewriting what a run used."""

import importlib

import pytest
from django.apps import apps

from kaifaqu.assessment.framework import parse_document, preset_text
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, FrameworkVersion

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kaifaqu.assessment.migrations.0005_weight_noise_levels")

NEW_LINE = "levels = [2]                  # the dimensions' weights (COINr Level = 2)"
OLD_LINE = "levels = [3]"


def _old_document() -> str:
    """The provincial preset as stored before: the dimensions' weights written as level 3."""
    text = preset_text("provincial_six")
    assert text.count(NEW_LINE) == 1
    return text.replace(NEW_LINE, OLD_LINE)


def test_levels_one_lower_in_weight_choices_only():
    text = (
        '[[step]]\nkind = "weight"\nmethod = "equal"\nlevels = [3]\n'
        "[[uncertainty.choice]]\n"
        'kind = "weights"\nlevels=[2,3]   # pillars and sub-indices\r\nspread = 0.25\n'
    )
    assert migration.shifted(text) == (
        '[[step]]\nkind = "weight"\nmethod = "equal"\nlevels = [3]\n'
        "[[uncertainty.choice]]\n"
        'kind = "weights"\nlevels=[1, 2]   # pillars and sub-indices\r\nspread = 0.25\n'
    )


def test_the_old_preset_becomes_the_shipped_one():
    shifted = parse_document(migration.shifted(_old_document())).raw
    assert shifted == parse_document(preset_text("provincial_six")).raw


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[uncertainty.choice]]\nkind = "weights"\nlevels = [\n  3,\n]\n', "not on one line"),
        ('[[uncertainty.choice]]\nkind = "weights"\nlevels = [1, 2]\n', "level 1 had no"),
    ],
)
def test_a_document_that_cannot_be_rewritten_safely_stops_the_migration(text, message):
    with pytest.raises(ValueError, match=message):
        migration.shifted(text)


def test_unused_versions_are_rewritten_used_ones_kept_and_followed(province_analyst):
    # given a bureau framework whose version 1 a run used, another never run, and the preset
    bureau = province_analyst.profile.region
    used = AssessmentFramework.objects.create(code="used", name="甲", owner=bureau)
    unused = AssessmentFramework.objects.create(code="unused", name="乙", owner=bureau)
    for framework in (used, unused):
        FrameworkVersion.objects.create(
            framework=framework, number=1, document=_old_document(), created_by=province_analyst
        )
    run = AssessmentRun.objects.create(
        version=used.latest(), year=2025, created_by=province_analyst
    )
    preset_before = list(FrameworkVersion.objects.filter(framework__owner=None).values())
    # when the migration runs
    migration.forwards(apps, None)
    # then the run's version is as it ran, and a version 2 carries the new meaning
    assert [v.number for v in used.versions.order_by("number")] == [1, 2]
    assert FrameworkVersion.objects.get(pk=run.version_id).document == _old_document()
    assert used.latest().document == migration.shifted(_old_document())
    assert used.latest().note == migration.NOTE
    assert used.latest().created_by.username == "system"
    # the unused version is rewritten in place; the presets as shipped are left alone
    assert [v.number for v in unused.versions.all()] == [1]
    assert unused.latest().document == migration.shifted(_old_document())
    assert list(FrameworkVersion.objects.filter(framework__owner=None).values()) == preset_before
