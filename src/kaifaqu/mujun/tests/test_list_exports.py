"""The official lists as files: one unit per column, named in its header; numbers as numbers;
pools by their names."""

import io

import openpyxl
import pytest

from kaifaqu.mujun.exports import LIST_HEADERS, build_workbook
from kaifaqu.mujun.models import EvaluationResult

pytestmark = pytest.mark.django_db


def test_the_policy_list_names_each_surcharges_unit_and_holds_numbers(run):
    results = EvaluationResult.objects.filter(run=run).order_by("zone__code", "pool_rank", "id")

    data = build_workbook(run, "policies", results)

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert list(rows[0]) == [
        *LIST_HEADERS,
        "差别化电价(元/千瓦时)",
        "差别化污水处理费(元/立方米)",
        "用地保障",
        "信贷支持",
    ]
    body = rows[1:]
    assert len(body) == 5
    assert {row[4] for row in body} == {"规上"}
    assert all(isinstance(row[5], float) for row in body)  # 总分
    assert all(isinstance(row[6], int) for row in body)  # 池内排名
    assert all(row[9] is None or isinstance(row[9], float) for row in body)
