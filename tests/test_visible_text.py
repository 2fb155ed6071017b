"""No internal code on any screen or official file: every page (for each demo role) and every
export of a demo-like province is read, and visible text or cells must hold no snake_case
identifier, no stored choice value, no Python repr and no storage path.

Exempt, as the users type or read them as codes: ``<code>``, ``<textarea>`` and
``<pre class="document">`` (a scheme's id for the command line, digests, the advanced TOML view),
``/api/``, ``/admin/`` and the files for the command line.
"""

import csv
import io
import re
from datetime import timedelta
from io import StringIO
from typing import Any

import lxml.html
import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import get_resolver
from django.utils import timezone

from conftest import make_user, url_routes
from kaifaqu.assessment.actions import request_report
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    FrameworkVersion,
    Report,
    ZoneResult,
)
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Region
from kaifaqu.demo.generator import PROVINCE
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.intake.actions import create_batch, validate_batch
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.actions import (
    correct_published,
    decide_objection,
    file_objection,
    publish_run,
    start_publicity,
)
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, Scheme
from kaifaqu.policies.models import PolicyDocument, PolicyTask
from kaifaqu.publications.models import Publication
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.zones.models import Zone

pytestmark = [pytest.mark.django_db, pytest.mark.site_walk]

EXEMPT_PREFIXES = ("/api/", "/admin/", "/accounts/")
# Files for the command line: the framework as TOML, and the zone table it reads (its columns are
# the framework's indicator codes).
EXEMPT_NAMES = {"assessment:pipeline", "assessment:units"}
# Pages that only answer a POST, or a download of what another page names.
NOT_WALKED = {
    "assessment:copy",
    "assessment:save_version",
    "assessment:start_run",
    "assessment:publish",
    "mujun:run_step",
    "mujun:object",
    "mujun:decide",
    "mujun:points_add",
    "mujun:points_import",
    "mujun:points_delete",
    "intake:commit",
    "intake:undo",
    "zones:refresh_summaries",
    "mujun:simulate",
}

SNAKE = re.compile(r"(?<![A-Za-z0-9_./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")
REPR = re.compile(r"\{'|<QuerySet|(?<![A-Za-z])(?:None|True|False)(?![A-Za-z])")
URL_PATH = re.compile(r"(?<![\w.])/[\w/.-]*")
PROVINCE_CODE = re.compile(r"(?<!\d)\d{2}0000(?!\d)")  # a province by its code, not its name
PATH = re.compile(r"(?<![\w:/])(?:[\w.-]+/)+[\w.-]+\.(?:xlsx|csv|pdf|docx|json|toml)\b")
WORD = r"(?<![A-Za-z0-9_]){}(?![A-Za-z0-9_])"


def stored_codes() -> set[str]:
    """Values stored for a choice (draft, national_etdz, above): a person reads the label."""
    codes = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _ in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{2,}", value):
                    codes.add(value)
    codes |= {"above", "below"}  # a 亩均 scheme's pool scales
    return codes - typed_names()


def typed_names() -> set[str]:
    """What users type as it is: usernames, and the ids of presets and frameworks that the
    command line takes (``kaifaqu mujun evaluate --scheme huangyan_2022``)."""
    names = set(get_user_model().objects.values_list("username", flat=True))
    names |= set(Scheme.objects.values_list("preset", flat=True))
    return names | set(AssessmentFramework.objects.values_list("code", flat=True))


def findings(text: str, codes: re.Pattern[str], page: bool) -> list[str]:
    """What gives the inside away in ``text``; a page (not a file for re-import, whose code
    columns are typed in files) must also name provinces rather than give their codes.
    A URL path (the security log's refused page) is what the user typed, not a code."""
    text = URL_PATH.sub(" ", text)
    found = SNAKE.findall(text) + REPR.findall(text) + PATH.findall(text) + codes.findall(text)
    found += PROVINCE_CODE.findall(text) if page else []
    return sorted(set(found) - typed_names())


def visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    hidden = "//script|//style|//template|//code|//textarea|//pre[contains(@class, 'document')]"
    for element in tree.xpath(hidden):
        element.drop_tree()
    return " ".join(tree.itertext())


def cells(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "openxmlformats-officedocument.spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if "csv" in kind:
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return "\n".join(cell for row in rows for cell in row)
    if "html" in kind:
        return visible_text(content.decode())
    return ""  # PDF, DOCX: their text comes from the same templates as the pages


@pytest.fixture
def demo(django_db_blocker: Any) -> dict[str, Any]:
    """The demo province with its evaluations computed, a 亩均 run published after a 公示 with
    objections (one asking to correct 用地面积), a report, an export and an import."""
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("demo_data", "--enterprises", "200", "--evaluations", **quiet)
    for job in Job.objects.filter(state="queued"):
        run_job(job)
    call_command("run_job", "zone_summaries", **quiet)
    users = get_user_model().objects
    analyst, zone_user = users.get(username="analyst"), users.get(username="zone")
    province = Region.objects.get(code=PROVINCE)
    auditor = users.get(username="auditor")
    manager = make_user("manager", "province_manager", region=province)
    run = EvaluationRun.objects.get(province_code=PROVINCE)
    today = timezone.localdate()
    bureau = analyst  # the province's analyst runs the 公示 and decides objections
    start_publicity(run, start=today, end=today + timedelta(days=6), acting_user=bureau)
    zone = zone_user.profile.zones.get()
    results = EvaluationResult.objects.filter(run=run, zone=zone).order_by("id")
    for result, values in zip(results, ({"land_area_mu": 45.0}, {}), strict=False):
        objection = file_objection(
            result, reason="用地面积有误", evidence="不动产权证", corrected_values=values,
            acting_user=zone_user,
        )  # fmt: skip
        decide_objection(objection, accept=False, note="证据不足", acting_user=bureau)
    publish_run(run, acting_user=manager, today=today + timedelta(days=7))
    # and its correction in 公示, an objection pending: the forms of both sides are on the pages
    revision = correct_published(run, acting_user=bureau)
    run_job(revision.job)
    revision.refresh_from_db()
    start_publicity(revision, start=today, end=today + timedelta(days=6), acting_user=bureau)
    file_objection(
        EvaluationResult.objects.filter(run=revision, zone=zone).order_by("id").first(),
        reason="实缴税收有误", evidence="完税证明", corrected_values={"tax_paid": 1500.0},
        acting_user=zone_user,
    )  # fmt: skip
    assessment = AssessmentRun.objects.filter(province_code=PROVINCE).order_by("-year").first()
    run_job(request_report(assessment, zone, acting_user=zone_user))
    export, _ = create_job("list_export", {"kind": "enterprises", "query": ""}, acting_user=analyst)
    run_job(export)
    batch = create_batch(
        "统一社会信用代码,年度,营业收入(万元)\nX,2024,1\n".encode("gbk"),
        "年报.csv",
        "enterprise-years",
        acting_user=zone_user,
    )
    validate_batch(batch)
    security = make_user("security", "security_admin", region=province)
    users = {"analyst": analyst, "zone": zone_user, "auditor": auditor, "security": security}
    users |= {name: get_user_model().objects.get(username=name) for name in ("enterprise", "unit")}
    return {"users": users | {"admin": bureau}}


def first(queryset: Any) -> list[dict[str, Any]]:
    return [{"pk": obj.pk} for obj in queryset.order_by("id")[:1]]


def objects_for(name: str, user: Any) -> list[dict[str, Any]]:
    """The keyword arguments of each page of ``name`` worth reading for ``user``."""
    latest = AssessmentRun.objects.order_by("-id")
    one = {
        "zones:zone": lambda: first(Zone.objects.restrict(user)),
        "enterprises:enterprise": lambda: first(Enterprise.objects.restrict(user)),
        "enterprises:enterprise_edit": lambda: first(Enterprise.objects.restrict(user)),
        "jobs:job": lambda: [{"pk": job.pk} for job in Job.objects.filter(user=user)],
        "jobs:file": lambda: [
            {"pk": job.pk} for job in Job.objects.filter(user=user).exclude(result_file="")
        ],
        "publications:publication": lambda: [{"pk": p.pk} for p in Publication.objects.all()],
        "intake:batch": lambda: [{"pk": b.pk} for b in user.importbatch_set.all()],
        "intake:report": lambda: [{"pk": b.pk} for b in user.importbatch_set.all()],
        "intake:changes": lambda: [{"pk": b.pk} for b in user.importbatch_set.all()],
        "intake:changes_export": lambda: [{"pk": b.pk} for b in user.importbatch_set.all()],
        "intake:template": lambda: [{"kind": "enterprise-years"}],
        "intake:export": lambda: [{"kind": kind} for kind in ("zones", "enterprises")],
        "mujun:run": lambda: [{"pk": r.pk} for r in EvaluationRun.objects.all()],
        "mujun:changes": lambda: [
            {"pk": r.pk} for r in EvaluationRun.objects.exclude(supersedes=None)
        ],
        "mujun:changes_export": lambda: [
            {"pk": r.pk} for r in EvaluationRun.objects.exclude(supersedes=None)
        ],
        "mujun:zone_grades": lambda: [
            {"pk": r.run_id, "zone_pk": r.zone_id}
            for r in EvaluationResult.objects.restrict(user).order_by("id")[:1]
        ],
        "mujun:export": lambda: [
            {"pk": r.pk, "kind": kind}
            for r in EvaluationRun.objects.all()
            for kind in ("publicity", "final", "policies")
        ],
        "mujun:result": lambda: [{"pk": o.result_id} for o in Objection.objects.order_by("id")],
        "mujun:result_sheet": lambda: [
            {"pk": o.result_id} for o in Objection.objects.order_by("id")[:1]
        ],
        "mujun:scheme": lambda: [{"pk": s.pk} for s in Scheme.objects.all()],
        "mujun:scheme_edit": lambda: [{"pk": s.pk} for s in Scheme.objects.all()],
        "mujun:policies": lambda: [{"pk": r.pk} for r in EvaluationRun.objects.all()],
        "audit:change": lambda: [
            {"pk": change.pk}
            for action in ("create", "update", "delete")
            for change in ObjectChange.objects.filter(action=action).order_by("-id")[:2]
        ],
        "assessment:framework": lambda: [
            {"pk": v.framework_id} for v in FrameworkVersion.objects.order_by("id")
        ],
        "assessment:edit": lambda: [
            {"pk": f.pk} for f in AssessmentFramework.objects.restrict(user, "change")
        ],
        "assessment:run": lambda: [{"pk": r.pk} for r in latest],
        "assessment:run_export": lambda: [{"pk": r.pk} for r in latest],
        "assessment:units": lambda: [{"pk": r.pk} for r in latest],
        "assessment:status": lambda: [{"pk": r.pk} for r in latest],
        "assessment:compare": lambda: [{"pk": r.pk} for r in latest],
        "assessment:profile": lambda: [
            {"pk": r.run_id, "zone": r.zone_id}
            for r in ZoneResult.objects.filter(province_code=PROVINCE).order_by("-run_id")[:1]
        ],
        "assessment:report_file": lambda: [
            {"pk": report.pk, "fmt": "docx"} for report in Report.objects.restrict(user)
        ],
        "servicerequests:request": lambda: [
            {"pk": r.pk}
            for r in ServiceRequest.objects.restrict(user).order_by("-reopened", "id")[:2]
        ],
        # every demo document's review screen, and a task with reports
        "policies:document": lambda: [
            {"pk": d.pk} for d in PolicyDocument.objects.restrict(user).order_by("id")
        ],
        "policies:task": lambda: first(
            PolicyTask.objects.restrict(user).filter(reports__submitted__isnull=False)
        ),
    }
    return one[name]() if name in one else [{}]


def test_no_internal_code_on_any_page_or_export(client, demo):
    codes = re.compile("|".join(WORD.format(re.escape(c)) for c in sorted(stored_codes())))
    problems = []
    read = 0
    for username, user in demo["users"].items():
        client.force_login(user)
        for path, name in url_routes(get_resolver().url_patterns):
            route = "/" + path
            if route.startswith(EXEMPT_PREFIXES) or name in EXEMPT_NAMES | NOT_WALKED:
                continue
            for kwargs in objects_for(name, user):
                url = _url(route, kwargs)
                response = client.get(url)
                if response.status_code != 200:
                    continue
                read += 1
                text = cells(response)
                page = "html" in response.get("Content-Type", "")
                for found in findings(text, codes, page):
                    at = text.find(found)
                    problems.append(
                        f"{username} {url}: {found} in {text[max(0, at - 40) : at + 40]!r}"
                    )
    assert read > 60
    assert problems == [], "\n".join(problems)


def _url(route: str, kwargs: dict[str, Any]) -> str:
    for key, value in kwargs.items():
        route = re.sub(rf"<(?:\w+:)?{key}>", str(value), route)
    return route
