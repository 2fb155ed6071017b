"""The offline evaluation's file in and file out, on the spreadsheet package's reader and header
matching.

No Django: ``kaifaqu mujun evaluate`` runs on an analyst's laptop. Headers are matched by the
vocabulary's labels and aliases (the same ones the intake's templates and alias table use), so a
file exported from the platform is accepted as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from kaifaqu.mujun.evaluation import Evaluation, EvaluationError, evaluate
from kaifaqu.mujun.scheme import FIELDS, Scheme
from kaifaqu.mujun.statuses import LABELS, Status
from kaifaqu.spreadsheets.columns import Column, KindSpec, column, money_column, quantity_column
from kaifaqu.spreadsheets.headers import match_headers
from kaifaqu.spreadsheets.problems import Problem
from kaifaqu.spreadsheets.reading import ReadError, read_table
from kaifaqu.spreadsheets.validation import parse_rows
from kaifaqu.vocabulary import ENTERPRISE, ENTERPRISE_YEAR

SCALE = (("true", "规上"), ("false", "规下"))
FLAGS = (("免评", "免评"), ("保护期", "保护期"), ("不定等级", "不定等级"))


COLUMNS = (
    column("uscc", ENTERPRISE["uscc"], "uscc", required=True),
    column("name", ENTERPRISE["name"], "text", required=True),
    column("above_scale", ENTERPRISE_YEAR["above_scale"], "choice", required=True, choices=SCALE),
    quantity_column("land_area_mu", ENTERPRISE_YEAR["land_area_mu"]),
    money_column("tax_paid", ENTERPRISE_YEAR["tax_paid"]),
    money_column("value_added", ENTERPRISE_YEAR["value_added"], signed=True),
    money_column("operating_revenue", ENTERPRISE_YEAR["operating_revenue"]),
    money_column("main_business_revenue", ENTERPRISE_YEAR["main_business_revenue"]),
    quantity_column("energy_tce", ENTERPRISE_YEAR["energy_tce"]),
    quantity_column("electricity_10k_kwh", ENTERPRISE_YEAR["electricity_10k_kwh"]),
    quantity_column("emission_t", ENTERPRISE_YEAR["emission_t"]),
    quantity_column("cod_t", ENTERPRISE_YEAR["cod_t"]),
    quantity_column("ammonia_nitrogen_t", ENTERPRISE_YEAR["ammonia_nitrogen_t"]),
    quantity_column("so2_t", ENTERPRISE_YEAR["so2_t"]),
    quantity_column("nox_t", ENTERPRISE_YEAR["nox_t"]),
    money_column("rd_expenditure", ENTERPRISE_YEAR["rd_expenditure"]),
    quantity_column("avg_employees", ENTERPRISE_YEAR["avg_employees"]),
    column("year", ENTERPRISE_YEAR["year"], "year"),
    column("industry_code", ENTERPRISE["industry_code"], "code"),
    quantity_column("leased_floor_area_m2", ENTERPRISE_YEAR["leased_floor_area_m2"]),
    column("registration_date", ENTERPRISE["registration_date"], "date"),
    column("first_above_scale_year", ENTERPRISE["first_above_scale_year"], "year"),
    column("land_completion_date", ENTERPRISE["land_completion_date"], "date"),
    column("merger_date", ENTERPRISE["merger_date"], "date"),
    Column("status_flag", "状态标记", "choice", choices=FLAGS),  # the bureau's mark, no field
    column("tags", ENTERPRISE["tags"], "text"),  # e.g. 重点排污单位, for a scheme's pool by tag
)
SPEC = KindSpec("mujun", "亩均评价数据", COLUMNS, key=("uscc", "year"))
# Headers are matched by the vocabulary's names, so a file exported from the platform (or written
# for an older version of this command) is read as it is.
ALIASES = {alias: c.key for c in COLUMNS for alias in c.aliases}
EMISSION_KEYS = ("emission_t", "cod_t", "ammonia_nitrogen_t", "so2_t", "nox_t")


@dataclass
class Refused(Exception):
    """The input cannot be evaluated: every problem, each naming its row and column."""

    problems: list[str]


def read_input(path: Path, scheme: Scheme) -> pl.DataFrame:
    """The file's rows as canonical columns; ``Refused`` lists every problem at once."""
    try:
        table = read_table(
            path.read_bytes(), path.name, header_candidates=[c.header for c in COLUMNS]
        )
    except ReadError as error:
        raise Refused([f"{path.name}:{error.message}({error.fix})"]) from None
    mapping, problems = match_headers(
        table.sheet or path.name, table.header, COLUMNS, ALIASES, "万元"
    )
    problems = [p for p in problems if p.code != "unknown_header"]  # extra columns are ignored
    present = {c.key for c in mapping.columns if c is not None}
    missing = _missing_for_scheme(present, scheme)
    records, cell_problems = parse_rows(table, SPEC, mapping)
    problems += cell_problems
    messages = [_describe(p) for p in problems if p.severity == "error"] + missing
    if messages:
        raise Refused(messages)
    rows = [{k: _plain(v) for k, v in r.values.items()} for r in records]
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame({"uscc": []})


def _missing_for_scheme(present: set[str], scheme: Scheme) -> list[str]:
    needed = {f for ind in scheme.used_indicators() for f in (ind.numerator, ind.denominator)}
    out = []
    for key in sorted(needed):
        if key == "emission_t" and present & set(EMISSION_KEYS):
            continue
        if key not in present:
            column = next(c for c in COLUMNS if c.key == key)
            out.append(f"缺少列「{column.header}」:方案的指标要用到{FIELDS[key]}")
    return out


def _describe(problem: Problem) -> str:
    where = f"第{problem.row}行" if problem.row else "表头"
    column = f"「{problem.column}」列" if problem.column else ""
    return f"{where}{column}:{problem.message}({problem.fix})"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if value == "true":
        return True
    if value == "false":
        return False
    return value


def split_years(
    frame: pl.DataFrame, year: int | None
) -> tuple[pl.DataFrame, pl.DataFrame | None, int]:
    """The evaluated year's rows and the prior year's; a file of several years needs --year."""
    if "year" not in frame.columns or frame["year"].null_count() == frame.height:
        if year is None:
            raise Refused(["文件没有「年份」列,请用 --year 指定评价年度"])
        return frame, None, year
    years = sorted({int(y) for y in frame["year"].drop_nulls()})
    if year is None:
        if len(years) > 1:
            raise Refused([f"文件含多个年份({'、'.join(map(str, years))}),请用 --year 指定"])
        year = years[0]
    current = frame.filter(pl.col("year") == year)
    if current.height == 0:
        raise Refused([f"文件中没有{year}年的数据"])
    prior = frame.filter(pl.col("year") == year - 1)
    return current, prior if prior.height else None, year


def run_offline(frame: pl.DataFrame, scheme: Scheme, year: int | None) -> Evaluation:
    current, prior, year = split_years(frame, year)
    try:
        return evaluate(current, scheme, year, prior)
    except EvaluationError as error:
        raise Refused([str(error)]) from None


def output_rows(evaluation: Evaluation, scheme: Scheme) -> tuple[list[str], list[list[Any]]]:
    """The result sheet: one row per input enterprise of the year, in input order."""
    indicators = scheme.used_indicators()
    header = [ENTERPRISE["uscc"].label, ENTERPRISE["name"].label, "评价池"]
    header += [ind.header for ind in indicators]
    header += [f"{ind.name}得分" for ind in indicators]
    header += ["总分", "池内排名", "等级", "状态", "数据提示"]
    pools = {p.code: p.name for p in scheme.pools}
    frame = evaluation.frame
    rows = []
    for r in frame.iter_rows(named=True):
        status = Status(r["status"])
        state = LABELS[status] + (f":{r['reason']}" if r.get("reason") else "")
        if status == Status.UNGRADED:
            state += f"(按{r.get('managed_grade') or scheme.ungraded_as}类管理)"
        cells = [r["uscc"], r["name"], pools.get(r["pool"] or "", "")]
        cells += [r.get(f"v:{ind.code}") for ind in indicators]
        cells += [r.get(f"s:{ind.code}") for ind in indicators]
        cells += [
            r.get("total"),
            r.get("rank"),
            r.get("grade") or None,
            state,
            ";".join(r["warnings"] or []),
        ]
        rows.append([_finite(c) for c in cells])
    return header, rows


def _finite(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    return value


def write_output(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    if path.suffix.lower() == ".csv":
        pl.DataFrame(rows, schema=header, orient="row", infer_schema_length=None).write_csv(path)
        return
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("评价结果")
    bold = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#DCE6F1"})
    sheet.write_row(0, 0, header, bold)
    for i, row in enumerate(rows, 1):
        sheet.write_row(i, 0, row)
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 1, 24)
    book.close()
