"""The field vocabulary is the one declaration: models, the intake's columns and aliases, and the
offline 亩均 evaluation all read it, and an older spelling still imports."""

import doctest
import subprocess
import sys
from decimal import Decimal

import pytest
from django.db import models

from kaifaqu import vocabulary
from kaifaqu.enterprises.jobs import SUMMED
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake.aliases import COLUMNS, default_aliases
from kaifaqu.mujun import offline
from kaifaqu.spreadsheets.headers import match_headers
from kaifaqu.vocabulary import ENTERPRISE, ENTERPRISE_YEAR, FILE_ONLY, PROJECT, YEAR, ZONE, Term
from kaifaqu.zones.models import Zone, ZoneYear, ZoneYearSummary

# Each model and the vocabulary its fields are named from, with the entries that name a file's
# column but no field of the model (a reference written as a code; a figure computed from others).
MODELS = [
    (Zone, ZONE, {"region_code"}),
    (Enterprise, ENTERPRISE, {"zone_code", "industry_code"}),
    (EnterpriseYear, ENTERPRISE_YEAR, {"emission_t"}),
    (ZoneYear, {"year": YEAR}, set()),
    (
        ZoneYearSummary,
        ENTERPRISE_YEAR,
        set(ENTERPRISE_YEAR) - {"year", *SUMMED},
    ),
]
TERMS = [ZONE, ENTERPRISE, ENTERPRISE_YEAR, PROJECT, FILE_ONLY]


def model_fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {field.name: field for field in model._meta.get_fields() if not field.auto_created}


@pytest.mark.parametrize(("model", "terms", "not_fields"), MODELS)
def test_every_model_field_in_the_vocabulary_has_its_label(model, terms, not_fields):
    fields = model_fields(model)
    # the vocabulary names exactly these fields of the model
    assert set(terms) - set(fields) == not_fields
    for name in set(terms) & set(fields):
        assert fields[name].verbose_name == terms[name].header, (model.__name__, name)


def test_every_intake_column_takes_header_unit_and_aliases_from_the_vocabulary():
    declared = {(t.label, t.unit, t.aliases) for terms in TERMS for t in terms.values()}
    for column in (column for kind_columns in COLUMNS.values() for column in kind_columns):
        assert (column.name, column.unit, column.aliases) in declared, column.key


def test_the_default_alias_table_is_the_vocabularys():
    table = default_aliases()
    assert ("enterprise-years", "rd_expenditure", "R&D经费支出") in table
    assert ("enterprise-years", "cod_t", "COD排放量") in table
    assert ("zone-years", "year", "年份") in table
    # every alias the vocabulary declares serves some import kind, each row once
    assert {alias for _, _, alias in table} == {
        alias for terms in TERMS for term in terms.values() for alias in term.aliases
    }
    assert len(table) == len(set(table))


def test_the_offline_columns_are_the_vocabularys_but_the_bureaus_mark():
    declared = {(t.label, t.unit, t.aliases) for terms in TERMS for t in terms.values()}
    own = [c.key for c in offline.COLUMNS if (c.name, c.unit, c.aliases) not in declared]
    assert own == ["status_flag"]


@pytest.mark.parametrize(
    ("header", "key", "factor"),
    [
        ("研发经费支出(万元)", "rd_expenditure", Decimal(1)),
        ("R&D经费支出(元)", "rd_expenditure", Decimal("0.0001")),
        ("化学需氧量排放量(t)", "cod_t", Decimal(1)),
        ("COD排放量(吨)", "cod_t", Decimal(1)),
    ],
)
def test_either_spelling_of_a_drifted_label_imports(header, key, factor):
    # Given the intake's yearly columns and the default alias table of that kind
    spec_columns = COLUMNS["enterprise-years"]
    aliases = {
        alias: column for kind, column, alias in default_aliases() if kind == "enterprise-years"
    }
    # When a file's header spells the field either way, then it maps to the field
    mapping, problems = match_headers("表1", [header], spec_columns, aliases, "万元")
    assert ([c.key for c in mapping.columns], mapping.factors) == ([key], [factor])
    assert [p.code for p in problems] == ["missing_column", "missing_column"]  # USCC, year
    # and the offline evaluation reads it the same
    mapping, problems = match_headers("表1", [header], offline.COLUMNS, offline.ALIASES, "万元")
    assert ([c.key for c in mapping.columns], mapping.factors) == ([key], [factor])


def test_a_header_is_the_label_and_its_unit():
    assert Term("用地面积", "亩").header == "用地面积(亩)"
    assert Term("企业名称").header == "企业名称"
    assert doctest.testmod(vocabulary).failed == 0


def test_the_vocabulary_loads_without_django():
    code = "import sys, kaifaqu.vocabulary; print(any(m.startswith('django') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, "False")
