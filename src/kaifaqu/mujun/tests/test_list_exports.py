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


def policy_rows(response):
    return [
        (row.record.enterprise.name, row.record.managed_grade, [cell for _, cell in row.items()])
        for row in response.context["table"].rows
    ]


def test_the_policy_page_lists_each_enterprise_with_what_its_grade_brings(client, run, manager):
    from django.urls import reverse

    from kaifaqu.mujun.policies import applied
    from kaifaqu.mujun.scheme import Scheme

    client.force_login(manager)
    url = reverse("mujun:policies", args=[run.pk])
    response = client.get(url)
    assert response.status_code == 200
    scheme: Scheme = run.document()
    graded = EvaluationResult.objects.filter(run=run).exclude(managed_grade="")
    # every graded enterprise, with a column per policy of the run's scheme
    headers = [str(column.header) for column in response.context["table"].columns]
    assert headers == [
        "企业", "统一社会信用代码", "开发区", "管理等级", "连续同等级年数",
        "差别化电价(元/千瓦时)", "差别化污水处理费(元/立方米)", "用地保障", "信贷支持",
    ]  # fmt: skip
    assert response.context["page"].count == graded.count()
    power = scheme.policies[0]
    for result in graded:
        amount = applied(scheme, power, result.managed_grade, result.years_in_grade)
        row = next(r for r in policy_rows(response) if r[0] == result.enterprise.name)
        assert row[2][5] == (f"{amount:g}" if amount else "不加价")
    # the grades above the list, each with its count
    grades = {g["grade"]: g["count"] for g in response.context["grades"]}
    assert grades == {
        grade: graded.filter(managed_grade=grade).count()
        for grade in graded.values_list("managed_grade", flat=True)
    }
    # filtered by one grade, and exported as filtered with the amounts as numbers
    grade = next(iter(grades))
    narrowed = client.get(url, {"managed_grade": grade})
    assert {r[1] for r in policy_rows(narrowed)} == {grade}
    export = client.get(url, {"managed_grade": grade, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + grades[grade]
    assert all(isinstance(row[5], int | float) for row in rows[1:])


def test_another_zones_enterprises_are_not_on_the_zone_users_policy_page(
    client, run, zone_user, rich_province
):
    from django.urls import reverse

    client.force_login(zone_user)
    response = client.get(reverse("mujun:policies", args=[run.pk]))
    east = rich_province["zones"]["east"]
    assert response.status_code == 200
    assert {row[0] for row in policy_rows(response)} == set(
        EvaluationResult.objects.filter(run=run, zone=east)
        .exclude(managed_grade="")
        .values_list("enterprise__name", flat=True)
    )
