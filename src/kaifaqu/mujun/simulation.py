"""The result card's what-if simulator: one enterprise's inputs changed and scored again at its
run's scheme, benchmarks and grade floors. It reads, and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.http import QueryDict

from kaifaqu.access.users import ActingUser
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.mujun import bridge
from kaifaqu.mujun.evaluation import Scored, score_one
from kaifaqu.mujun.models import EvaluationResult
from kaifaqu.mujun.preparation import EMISSION_PARTS
from kaifaqu.mujun.scheme import FIELDS
from kaifaqu.mujun.statuses import LABELS, Status
from kaifaqu.vocabulary import ENTERPRISE_YEAR

# What the form offers, in this order; a scheme's pool shows those its indicators read.
INPUTS = (
    "tax_paid",
    "value_added",
    "operating_revenue",
    "main_business_revenue",
    "energy_tce",
    "electricity_10k_kwh",
    "emission_t",
    "rd_expenditure",
    "avg_employees",
    "land_area_mu",
)
# A status the run gave for reasons the form cannot change (dates, a bureau's mark) is carried
# over as the bureau's mark, which the evaluation honours before deriving anything.
CARRIED = {Status.EXEMPT: "免评", Status.PROTECTED: "保护期", Status.UNGRADED: "不定等级"}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    unit: str
    value: float | None
    text: str  # as typed (or as recorded), shown back in the form
    error: str = ""


def input_fields(result: EvaluationResult) -> list[str]:
    """The inputs the result's pool reads (land always), in form order."""
    pool = next((p for p in result.run.document().pools if p.code == result.pool), None)
    if pool is None:
        return list(INPUTS)
    scheme = result.run.document()
    used = {"land_area_mu"}
    for code in pool.weights:
        used |= {scheme.indicators[code].numerator, scheme.indicators[code].denominator}
    return [name for name in INPUTS if name in used]


def recorded_inputs(result: EvaluationResult, user: ActingUser) -> dict[str, Any] | None:
    """What the run read for the enterprise: its record of the year with the run's accepted
    corrections; None when the user may not read the record."""
    recorded = [name for name in INPUTS if name != "emission_t"]
    record = (
        EnterpriseYear.objects.restrict(user, "view")
        .filter(enterprise_id=result.enterprise_id, year=result.run.year)
        .values(*recorded, *EMISSION_PARTS, "above_scale", "leased_floor_area_m2")
        .first()
    )
    if record is None:
        return None
    values = {k: v if v is None or isinstance(v, bool) else float(v) for k, v in record.items()}
    # The record keeps the four pollutants; the form offers their total (主要污染物排放量).
    parts = [values.pop(p) for p in EMISSION_PARTS]
    present = [p for p in parts if p is not None]
    values["emission_t"] = sum(present) if present else None
    values |= result.run.corrections.get(str(result.enterprise_id), {})
    return values


def form_fields(names: list[str], start: dict[str, Any], given: QueryDict | None) -> list[Field]:
    """The form's fields: as given in the request (validated), else as recorded."""
    fields = []
    for name in names:
        label, unit = FIELDS[name], ENTERPRISE_YEAR[name].unit
        if given is None or name not in given:
            value = start.get(name)
            fields.append(Field(name, label, unit, value, "" if value is None else f"{value:g}"))
            continue
        text = given.get(name, "").strip().replace(",", "")
        try:
            value = float(text) if text else None
        except ValueError:
            fields.append(Field(name, label, unit, None, text, "须为数字"))
            continue
        error = "不能为负数" if value is not None and value < 0 and name != "value_added" else ""
        fields.append(Field(name, label, unit, value, text, error))
    return fields


def simulate(result: EvaluationResult, start: dict[str, Any], fields: list[Field]) -> Scored:
    """Score the enterprise with ``fields`` over its recorded inputs (a blank field is missing,
    and gets the scheme's missing-data rule)."""
    run = result.run
    row = {
        **{k: start.get(k) for k in (*INPUTS, "leased_floor_area_m2", "above_scale")},
        **{f.name: f.value for f in fields},
        "enterprise_id": result.enterprise_id,
        "uscc": result.enterprise.uscc,
        "name": result.enterprise.name,
        "industry_code": result.industry_code or None,
        "status_flag": CARRIED.get(Status(result.status)),
    }
    scheme = run.document()
    frame = bridge.pool_tags(bridge.rule_facts(pl.DataFrame([row]), run.year), scheme.pool_tags())
    return score_one(frame, scheme, run.year, run.benchmarks, run.counts.get("cutoffs", {}))


@dataclass(frozen=True)
class Simulator:
    """The simulator as a page shows it: the form's fields, and the outcome once asked."""

    fields: list[Field]
    outcome: Scored | None = None
    rows: list[dict[str, Any]] | None = None
    grade_label: str = ""
    status_label: str = ""
    unavailable: str = ""


def simulator(result: EvaluationResult, user: ActingUser, given: QueryDict | None) -> Simulator:
    """The simulator of ``result``'s card; ``given`` is the submitted form (None: not yet)."""
    start = recorded_inputs(result, user)
    if start is None:
        return Simulator(fields=[], unavailable="没有可读取的该企业本年度数据,无法模拟")
    fields = form_fields(input_fields(result), start, given)
    if given is None or any(f.error for f in fields):
        return Simulator(fields=fields)
    outcome = simulate(result, start, fields)
    scheme = result.run.document()
    benchmarks = result.run.benchmarks.get(outcome.pool or "", {})
    rows = [
        {
            "name": scheme.indicators[code].name,
            "unit": scheme.indicators[code].unit,
            "value": value,
            "benchmark": benchmarks.get(code),
            "item": outcome.items.get(code),
            "now": result.items.get(code),
        }
        for code, value in outcome.values.items()
    ]
    return Simulator(
        fields=fields,
        outcome=outcome,
        rows=rows,
        grade_label=scheme.grade_label(outcome.grade),
        status_label=LABELS[Status(outcome.status)],
    )
