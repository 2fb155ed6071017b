"""The pages: the review screen with its marks, review steps through the views, a unit's report,
the 督查 page and its downloads, and what a user outside the scope gets."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from kaifaqu.policies import actions
from kaifaqu.policies.models import PolicyTask, TaskCorrection
from kaifaqu.supervision.models import SupervisedItem

pytestmark = pytest.mark.django_db


def test_the_review_screen_marks_each_field_in_the_text(client, world):
    client.force_login(world["users"]["east"])
    document = world["document"]
    page = client.get(document.get_absolute_url())
    html = page.content.decode()
    first = world["proposals"]["一/(一)"]
    assert page.status_code == 200
    assert f'<span class="hl-lead hl-measure" data-task="{first.pk}">市商务局</span>' in html
    assert f'<span class="hl-deadline hl-measure" data-task="{first.pk}">到2025年</span>' in html
    assert "市商务局 → 东城市商务局(别名)" in html
    assert html.count('data-testid="confirm"') == 3


def test_review_steps_through_the_pages(client, world):
    east = world["users"]["east"]
    client.force_login(east)
    first = world["proposals"]["一/(一)"]
    response = client.post(
        reverse("policies:correct_units", args=[first.pk]),
        {f"p{first.pk}-lead": "市商务局", f"p{first.pk}-support": "市发改委"},
    )
    assert response.status_code == 302
    assert TaskCorrection.objects.get().after["support"][0]["name"] == "市发改委"
    assert SupervisedItem.objects.count() == 0
    client.post(reverse("policies:confirm", args=[first.pk]))
    task = PolicyTask.objects.get()
    assert task.item.lead_unit == world["units"]["commerce"]
    page = client.get(world["document"].get_absolute_url())
    assert task.item.number in page.content.decode()


def test_a_refused_step_is_a_message_and_changes_nothing(client, world):
    client.force_login(world["users"]["west"])
    first = world["proposals"]["一/(一)"]
    assert client.post(reverse("policies:confirm", args=[first.pk])).status_code == 404
    assert client.get(world["document"].get_absolute_url()).status_code == 404
    assert SupervisedItem.objects.count() == 0


def test_a_unit_reports_and_the_inspection_changes(client, world):
    tasks = actions.confirm(
        world["proposals"]["一/(二)"], acting_user=world["users"]["east"], today=date(2025, 4, 1)
    )
    task = next(t for t in tasks if t.lead_unit == world["units"]["east_committee"])
    client.force_login(world["users"]["zone"])
    page = client.get(task.get_absolute_url())
    assert 'data-testid="report-form"' in page.content.decode()
    report = task.reports.get()
    client.post(
        reverse("policies:report", args=[task.pk]), {"report": report.pk, "text": "道路完工"}
    )
    report.refresh_from_db()
    assert report.text == "道路完工"
    inspection = client.get(reverse("policies:inspection")).content.decode()
    assert "道路完工" in inspection
    export = client.get(reverse("policies:inspection"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert [r[1] for r in workbook.active.iter_rows(min_row=2, values_only=True)] == [
        "推进园区提质"
    ]
    docx = client.get(reverse("policies:bulletin_docx"))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    # a supervisor sees the task but is offered no report form
    client.force_login(world["users"]["east"])
    assert 'data-testid="report-form"' not in client.get(task.get_absolute_url()).content.decode()
