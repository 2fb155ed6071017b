"""Progress reports: one per period of a recurring task, filled by the units' members with
figures and evidence; anyone else is refused and changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from kaifaqu.attachments.models import Attachment
from kaifaqu.policies import actions
from kaifaqu.policies.models import PolicyTask, ProgressReport

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def quarterly(world):
    """The collective quarterly task, confirmed on 1 August 2025: the east zone's task."""
    tasks = actions.confirm(
        world["proposals"]["一/(二)"], acting_user=world["users"]["east"], today=date(2025, 8, 1)
    )
    return next(t for t in tasks if t.lead_unit == world["units"]["east_committee"])


def periods(task: PolicyTask) -> list[tuple[str, date]]:
    return list(task.reports.order_by("due").values_list("period", "due"))


def test_each_period_opens_one_report(quarterly, world):
    assert periods(quarterly) == [("2025年第3季度", date(2025, 9, 30))]
    assert actions.open_reports(acting_user=None, today=date(2026, 1, 5)) == 4  # two tasks
    assert periods(quarterly) == [
        ("2025年第3季度", date(2025, 9, 30)),
        ("2025年第4季度", date(2025, 12, 31)),
        ("2026年第1季度", date(2026, 3, 31)),
    ]
    assert actions.open_reports(acting_user=None, today=date(2026, 1, 31)) == 0


def test_a_member_reports_the_period_with_a_figure_and_evidence(quarterly, world):
    member = world["users"]["zone"]
    report = quarterly.reports.get()
    evidence = SimpleUploadedFile("现场照片.pdf", PDF, content_type="application/pdf")
    filled = actions.report_progress(
        quarterly,
        text="完成园区道路提升工程",
        figure=Decimal("3"),
        report=report,
        files=[evidence],
        acting_user=member,
    )
    assert filled.pk == report.pk
    assert (filled.text, filled.figure, filled.unit, filled.submitted_by) == (
        "完成园区道路提升工程", Decimal("3"), world["units"]["east_committee"], member,
    )  # fmt: skip
    assert list(Attachment.objects.of(filled).values_list("file_name", flat=True)) == [
        "现场照片.pdf"
    ]
    with pytest.raises(actions.Refused, match="已填报"):
        actions.report_progress(quarterly, text="再报一次", report=report, acting_user=member)
    # a report between periods is a new one
    extra = actions.report_progress(quarterly, text="新增签约项目2个", acting_user=member)
    assert (extra.period, extra.due) == ("", None)
    assert quarterly.reports.count() == 2


def test_anyone_else_is_refused_and_nothing_changes(quarterly, world):
    report = quarterly.reports.get()
    for user in (world["users"]["east"], world["users"]["clerk"], world["users"]["leader"]):
        with pytest.raises(PermissionDenied):
            actions.report_progress(quarterly, text="进展", report=report, acting_user=user)
    report.refresh_from_db()
    assert (report.text, report.submitted) == ("", None)
    assert ProgressReport.objects.filter(submitted__isnull=False).count() == 0


def test_an_empty_report_is_refused(quarterly, world):
    with pytest.raises(actions.Refused):
        actions.report_progress(quarterly, text="  ", acting_user=world["users"]["zone"])
    assert ProgressReport.objects.filter(submitted__isnull=False).count() == 0
