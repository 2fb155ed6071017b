"""Every API route × operation × role × object inside / outside the role's scope.

Roles: a province analyst of 示范省 and a zone user of its east zone (both by session), the
exchange system of 南方省 (a province analyst by token), 示范省's leadership (read-only), an
enterprise user of 东城纺织, the audit administrator of 示范省 (no business role) and an anonymous
caller. The expected
status of every cell is written out below; on a denial nothing changed, and no response of a role
ever names a zone or enterprise outside its scope. Each allowed write leaves one change-log row.
"""

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from conftest import make_user
from kaifaqu.api.tests.helpers import (
    SYSTEM_KEY,
    assessed_run,
    evaluated_run,
    finished_job,
    framework_of,
    published_list,
    refused_batch,
)
from kaifaqu.api.urls import router
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, Report, ZoneResult
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Tag
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.core.downloads import XLSX
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear
from kaifaqu.intake.models import ImportBatch
from kaifaqu.investment.models import FundArrival, Project, StageChange, Visit
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Scheme
from kaifaqu.mujun.scheme import preset_text
from kaifaqu.notifications.models import Notification
from kaifaqu.policies.models import (
    PolicyDocument,
    PolicyTask,
    ProgressReport,
    ProposedTask,
)
from kaifaqu.publications.models import Publication
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.supervision.models import ItemKind, LogEntry, SupervisedItem
from kaifaqu.units.models import Membership, Unit
from kaifaqu.zones.models import Zone, ZoneYear

pytestmark = pytest.mark.django_db

REFERENCE = {"region", "industry", "tag", "indicator"}
SCOPED = {
    "zone": Zone,
    "zoneyear": ZoneYear,
    "enterprise": Enterprise,
    "enterpriseyear": EnterpriseYear,
    "enterpriseevent": EnterpriseEvent,
}
# Read-mostly resources whose writes are their app's actions: the operations each one has.
# Their rows are made for the zones "east", "west" and "south" (``mujun_world``).
EVALUATIONS = {
    "scheme": ("list", "create", "retrieve", "versions"),
    "evaluationrun": ("list", "create", "retrieve"),
    "evaluationresult": ("list", "retrieve", "card"),
    "assessmentframework": ("list", "retrieve"),
    "assessmentrun": ("list", "create", "retrieve", "ranking_xlsx", "units_csv"),
    "zoneresult": ("list", "retrieve", "profile", "report", "report_pdf", "report_docx"),
    "job": ("list", "retrieve"),
    "publication": ("list", "retrieve"),
    "importbatch": ("list", "create", "retrieve", "preview", "problems", "commit", "undo"),
    "superviseditem": ("list", "retrieve"),
    "logentry": ("list", "retrieve"),
    "notification": ("list", "retrieve"),
    "servicerequest": ("list", "create", "retrieve", "statistics"),
    "policydocument": ("list", "retrieve"),
    "policytask": ("list", "retrieve"),
    "progressreport": ("list", "create", "retrieve"),
    "project": ("list", "retrieve"),
    "stagechange": ("list", "retrieve"),
    "visit": ("list", "retrieve"),
    "fundarrival": ("list", "retrieve"),
    "zonekpi": ("list", "retrieve"),
}
EVALUATION_MODELS = {
    "scheme": Scheme,
    "evaluationrun": EvaluationRun,
    "evaluationresult": EvaluationResult,
    "assessmentframework": AssessmentFramework,
    "assessmentrun": AssessmentRun,
    "zoneresult": ZoneResult,
    "job": Job,
    "publication": Publication,
    "importbatch": ImportBatch,
    "superviseditem": SupervisedItem,
    "logentry": LogEntry,
    "notification": Notification,
    "servicerequest": ServiceRequest,
    "policydocument": PolicyDocument,
    "policytask": PolicyTask,
    "progressreport": ProgressReport,
    "project": Project,
    "stagechange": StageChange,
    "visit": Visit,
    "fundarrival": FundArrival,
    "zonekpi": Zone,
}
POLICIES = {"policydocument", "policytask", "progressreport"}  # per zone, on its item
# 招商: a project per zone with one history entry, one visit and one fund arrival.
INVESTMENT = {"project", "stagechange", "visit", "fundarrival"}
SUPERVISION = {"superviseditem", "logentry"}  # an item per zone, and its first log entry
OWNED = {"job", "importbatch", "notification"}  # a row of the user who made it (or is told)
BASENAMES = {basename for _, _, basename in router.registry}
READS = {"list", "retrieve", "card", "profile", "report_pdf", "report_docx", "ranking_xlsx"}
READS |= {"units_csv", "preview", "problems", "statistics"}
# Rows one write logs, where more than one: a service request and its supervised item.
WRITES = {"servicerequest": 2}
# Writes that queue a job (and change no audited row): the job's kind.
QUEUED = {
    ("zoneresult", "report"): "assessment_report",
    ("importbatch", "create"): "import_validate",
    ("importbatch", "commit"): "import_commit",
    ("importbatch", "undo"): "import_undo",
}
# The batch state each batch operation starts from (the owned batches are refused ones).
BATCH_STATES = {"commit": "validated", "undo": "committed"}
# Where an operation beyond the basic ones is, under the object's URL.
ACTION_PATHS = {
    "card": "card/",
    "profile": "profile/",
    "report_pdf": "report/pdf/",
    "report_docx": "report/docx/",
    "ranking_xlsx": "ranking-xlsx/",
    "units_csv": "units-csv/",
    "preview": "preview/",
    "problems": "problems/",
}
POSTED = {"report": ("report/", {}), "commit": ("commit/", {"policy": "reject"})}
POSTED["undo"] = ("undo/", {})

# The zones each role sees ("enterprise": bound to that zone's chosen enterprise instead); "home"
# is the zone whose objects are tried as inside (for roles that see none, as if inside), "away" the
# zone whose objects are tried as outside.
ROLES = {
    "analyst": {"zones": ("east", "east_htz", "west"), "home": "east", "away": "south"},
    "zone": {"zones": ("east",), "home": "east", "away": "west"},
    "system": {"zones": ("south",), "home": "south", "away": "east"},
    "leadership": {"zones": ("east", "east_htz", "west"), "home": "east", "away": "south"},
    "enterprise": {"zones": (), "enterprise": "east", "home": "east", "away": "west"},
    "auditor": {"zones": (), "home": "east", "away": "west"},
    "anonymous": {"zones": (), "home": "east", "away": "west"},
}
READ_ONLY_ROLES = {"leadership", "enterprise"}  # their roles allow "view" only

OPERATIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")

# The rule for a scoped model: inside allowed, outside invisible (404) or not referable (400).
SCOPED_RULE = {
    ("list", "inside"): 200,
    ("create", "inside"): 201,
    ("create", "outside"): 400,  # the zone or enterprise it names "does not exist"
    ("retrieve", "inside"): 200,
    ("retrieve", "outside"): 404,
    ("update", "inside"): 200,
    ("update", "outside"): 404,
    ("partial_update", "inside"): 200,
    ("partial_update", "outside"): 404,
    ("destroy", "inside"): 204,
    ("destroy", "outside"): 404,
}
EVALUATION_RULE = {
    ("list", "inside"): 200,
    ("create", "inside"): 201,
    ("create", "outside"): 400,  # the scheme and zone it names "do not exist"
    ("retrieve", "inside"): 200,
    ("retrieve", "outside"): 404,
    ("versions", "inside"): 201,
    ("versions", "outside"): 404,
    ("card", "inside"): 200,
    ("card", "outside"): 404,
    **{
        (operation, where): 200 if where == "inside" else 404
        for operation in READS - {"list", "retrieve", "card", "statistics"}
        for where in ("inside", "outside")
    },
    **{
        (operation, where): 202 if where == "inside" else 404
        for operation in ("report", "commit", "undo")
        for where in ("inside", "outside")
    },
    ("statistics", "inside"): 200,
}
REFERENCE_RULE = {
    ("list", "inside"): 200,
    ("retrieve", "inside"): 200,
    ("retrieve", "outside"): 200,  # reference data is not regional
    **{
        (op, where): 405
        for op in OPERATIONS
        if op not in {"list", "retrieve"}
        for where in ("inside", "outside")
    },
}
# Where a cell differs from its rule, and why.
EXCEPTIONS = {
    # A zone's staff cannot set up zones: the new zone would lie outside their scope.
    ("zone", "zone", "create", "inside"): 403,
    ("zone", "zone", "create", "outside"): 403,
    # A province analyst may set up a zone in its province only; elsewhere the write is undone.
    ("analyst", "zone", "create", "outside"): 403,
    ("system", "zone", "create", "outside"): 403,
    # Zones are referred to by their enterprises, enterprises have years and events: no cascade.
    **{(role, "zone", "destroy", "inside"): 409 for role in ("analyst", "zone", "system")},
    **{(role, "enterprise", "destroy", "inside"): 409 for role in ("analyst", "zone", "system")},
    # A scheme is copied into the caller's division: a zone office has none.
    ("zone", "scheme", "create", "inside"): 403,
    # An enterprise sees no schemes, only the published runs that name it.
    ("enterprise", "scheme", "retrieve", "inside"): 404,
    # Frameworks belong to a province's office (``assessment_world``): every zone office and
    # enterprise of the province reads them, and a zone office assesses its zones under them.
    ("zone", "assessmentframework", "retrieve", "outside"): 200,
    ("enterprise", "assessmentframework", "retrieve", "outside"): 200,
    ("zone", "assessmentrun", "create", "outside"): 201,
    # An assessment run is seen through its zones' results, which an enterprise does not see.
    ("enterprise", "assessmentrun", "retrieve", "inside"): 404,
    ("enterprise", "zoneresult", "retrieve", "inside"): 404,
    **{
        ("enterprise", basename, operation, "inside"): 404
        for basename, operation in (
            ("assessmentrun", "ranking_xlsx"),
            ("assessmentrun", "units_csv"),
            ("zoneresult", "profile"),
            ("zoneresult", "report_pdf"),
            ("zoneresult", "report_docx"),
        )
    },
    # Lists are published to a province: the zone "away" of these roles is in their province.
    ("zone", "publication", "retrieve", "outside"): 200,
    ("enterprise", "publication", "retrieve", "outside"): 200,
    # Supervised work is a unit's or an office's, never an enterprise's (here).
    ("enterprise", "superviseditem", "retrieve", "inside"): 404,
    ("enterprise", "logentry", "retrieve", "inside"): 404,
    ("enterprise", "policydocument", "retrieve", "inside"): 404,
    ("enterprise", "policytask", "retrieve", "inside"): 404,
    ("enterprise", "progressreport", "retrieve", "inside"): 404,
    # 招商 projects are the zones' and bureaus' work, not an enterprise's.
    **{("enterprise", name, "retrieve", "inside"): 404 for name in INVESTMENT},
    ("enterprise", "zonekpi", "retrieve", "inside"): 404,
}


def expected_status(role: str, basename: str, operation: str, where: str) -> int:
    if role == "anonymous":
        return 401
    regional = basename in SCOPED or basename in EVALUATIONS
    if role == "auditor" and regional:
        return 403  # an administrator without a business role sees no business data
    if role in READ_ONLY_ROLES and regional and operation not in READS:
        return 403  # refused before any object is looked up: no 404 tells what exists
    if role == "enterprise" and basename in {"zone", "zoneyear"} and operation == "retrieve":
        return 404  # an enterprise sees its own records, not its zone's
    if (role, basename, operation, where) in EXCEPTIONS:
        return EXCEPTIONS[(role, basename, operation, where)]
    if basename in EVALUATIONS:
        return EVALUATION_RULE[(operation, where)]
    rule = REFERENCE_RULE if basename in REFERENCE else SCOPED_RULE
    return rule[(operation, where)]


def places(basename: str, operation: str) -> tuple[str, ...]:
    """Lists have no outside; a scheme is always copied into the caller's own division, an
    upload is always the caller's own batch."""
    if operation in ("list", "statistics") or (basename, operation) in {
        ("scheme", "create"),
        ("importbatch", "create"),
    }:
        return ("inside",)
    return ("inside", "outside")


def cells() -> list[tuple[str, str, str, str]]:
    return [
        (role, basename, operation, where)
        for role in ROLES
        for basename in sorted(BASENAMES)
        for operation in EVALUATIONS.get(basename, OPERATIONS)
        for where in places(basename, operation)
    ]


def test_the_matrix_covers_every_registered_route():
    assert REFERENCE | set(SCOPED) | set(EVALUATIONS) == BASENAMES
    for _, viewset, basename in router.registry:
        extra = {extra.__name__ for extra in viewset.get_extra_actions()}
        has = {op for op in OPERATIONS if hasattr(viewset, op)} | extra
        if basename in REFERENCE:
            assert has == {"list", "retrieve"}
        else:
            assert has == set(EVALUATIONS.get(basename, OPERATIONS))


def assessment_world(two_provinces: dict[str, Any], author: Any) -> dict[str, Any]:
    """A framework of each province's office (east and west share 示范省's), and a run of it per
    zone east, west and south that ranked that zone, started by someone outside the roles."""
    provinces = two_provinces["provinces"]
    frameworks = {
        key: framework_of(provinces[key], acting_user=author) for key in ("demo", "south")
    }
    by_zone = {"east": frameworks["demo"], "west": frameworks["demo"], "south": frameworks["south"]}
    runs = {
        key: assessed_run(two_provinces["zones"][key], framework, acting_user=author)
        for key, framework in by_zone.items()
    }
    return {"frameworks": by_zone, "runs": runs}


def reports_world() -> list[Report]:
    """A diagnostic report (its two files) of every assessment result."""
    reports = []
    for result in ZoneResult.objects.select_related("zone"):
        report = Report(run_id=result.run_id, zone=result.zone)
        report.pdf.save(f"{result.zone.code}.pdf", ContentFile(b"%PDF-1.4 report"), save=False)
        report.docx.save(f"{result.zone.code}.docx", ContentFile(b"docx report"), save=False)
        report.save()
        reports.append(report)
    return reports


def mujun_world(two_provinces: dict[str, Any], author: Any) -> dict[str, EvaluationRun]:
    """A published run (with its scheme and results) of each of the zones east, west and south."""
    return {
        key: evaluated_run(two_provinces["zones"][key], acting_user=author)
        for key in ("east", "west", "south")
    }


@pytest.fixture
def world(two_provinces, province_analyst, zone_user, system_user):
    clients = {"anonymous": APIClient(), "system": APIClient()}
    clients["system"].credentials(HTTP_AUTHORIZATION=f"Token {SYSTEM_KEY}")
    demo = two_provinces["provinces"]["demo"]
    users = {
        "analyst": province_analyst,
        "zone": zone_user,
        "leadership": make_user("leader", "leadership", region=demo),
        "enterprise": make_user(
            "east_textiles", "enterprise_user", enterprise=two_provinces["enterprises"]["east"]
        ),
        "auditor": make_user("auditor", "audit_admin", region=demo),
    }
    for role, user in users.items():
        clients[role] = APIClient()
        clients[role].force_login(user)
    return {
        **two_provinces,
        "clients": clients,
        "users": {**users, "system": system_user},
        "runs": mujun_world(two_provinces, province_analyst),
        "assessment": assessment_world(two_provinces, make_user("assessor", "province_manager")),
        "reports": reports_world(),
        "owned": owned_world({**users, "system": system_user}),
        "publications": publications_world(two_provinces, province_analyst, system_user),
        "supervision": (supervision := supervision_world(two_provinces)),
        "requests": requests_world(two_provinces),
        "policies": policies_world(two_provinces, supervision, {**users, "system": system_user}),
        "investment": investment_world(two_provinces),
    }


def supervision_world(two_provinces: dict[str, Any]) -> dict[str, SupervisedItem]:
    """A supervised item in each zone with one log entry, written straight to the tables so
    the change log stays empty for the cells that check it."""
    kind = ItemKind.objects.get(code="SQ")
    items = {}
    for sequence, (key, zone) in enumerate(two_provinces["zones"].items(), start=1):
        items[key] = SupervisedItem.objects.create(
            number=f"SQ-2026-{sequence:04d}", kind=kind, year=2026, sequence=sequence,
            title=f"{key} 事项", region=zone.region, zone=zone, level=1,
            opened=date(2026, 3, 2),
        )  # fmt: skip
        LogEntry.objects.create(
            item=items[key], time=timezone.now(), kind="created", state="registered"
        )
    return items


def requests_world(two_provinces: dict[str, Any]) -> dict[str, ServiceRequest]:
    """A service request of each zone's enterprise, on an item of its own, written straight to
    the tables like the items."""
    kind = ItemKind.objects.get(code="SQ")
    requests = {}
    for sequence, (key, zone) in enumerate(two_provinces["zones"].items(), start=101):
        item = SupervisedItem.objects.create(
            number=f"SQ-2026-{sequence:04d}", kind=kind, year=2026, sequence=sequence,
            title=f"{key} 诉求", region=zone.region, zone=zone, level=1, opened=date(2026, 3, 2),
        )  # fmt: skip
        requests[key] = ServiceRequest.objects.create(
            item=item, enterprise=two_provinces["enterprises"][key], zone=zone, category="land",
            complexity="complex", description=f"{key} 用地诉求", channel="portal",
            filed=timezone.now(),
        )  # fmt: skip
    return requests


def policies_world(
    two_provinces: dict[str, Any], items: dict[str, SupervisedItem], users: dict[str, Any]
) -> dict[str, dict[str, Model]]:
    """A zone's own document with a confirmed task on the zone's item and its open report,
    written straight to the tables; the analyst and the zone's staff are members of the east
    zone's committee, the exchange system of the south one's, so they may report there."""
    world = {}
    for key, zone in two_provinces["zones"].items():
        document = PolicyDocument.objects.create(
            title=f"{key} 政策文件", text="(责任单位:管委会)", region=zone.region, zone=zone
        )
        proposal = ProposedTask.objects.create(
            document=document, position=1, heading="措施", start=0, end=10, state="confirmed"
        )
        unit = Unit.objects.create(
            name=f"{zone.name}管委会", kind="zone_committee", region=zone.region, zone=zone
        )
        task = PolicyTask.objects.create(
            proposal=proposal, document=document, item=items[key], lead_unit=unit
        )
        report = ProgressReport.objects.create(task=task, period="2026年", due=date(2026, 12, 31))
        world[key] = {"policydocument": document, "policytask": task, "progressreport": report}
    members = {"east": ("analyst", "zone"), "south": ("system",)}
    for key, roles in members.items():
        for role in roles:
            Membership.objects.create(unit=world[key]["policytask"].lead_unit, user=users[role])
    return world


def investment_world(two_provinces: dict[str, Any]) -> dict[str, dict[str, Model]]:
    """A 招商 project in each zone with one stage change, one visit and one fund arrival,
    written straight to the tables so the change log stays empty."""
    rows: dict[str, dict[str, Model]] = {}
    for key, zone in two_provinces["zones"].items():
        project = Project.objects.create(
            code=f"{zone.code}-2026-0001", name=f"{key} 项目", zone=zone, stage="reserve",
            stage_entered=date(2026, 3, 2),
        )  # fmt: skip
        rows[key] = {
            "project": project,
            "stagechange": StageChange.objects.create(
                project=project,
                from_stage="lead",
                to_stage="reserve",
                occurred_on=date(2026, 3, 2),
                recorded_at=timezone.now(),
            ),
            "visit": Visit.objects.create(
                zone=zone,
                project=project,
                visited_on=date(2026, 3, 1),
                visitors="招商局",
                summary="初次洽谈",
            ),
            "fundarrival": FundArrival.objects.create(
                project=project, arrived_on=date(2026, 3, 5), amount=100
            ),
        }
    return rows


def publications_world(two_provinces: dict[str, Any], *authors: Any) -> dict[str, Publication]:
    """A list published to each province by its office, and a draft of 示范省's that the API
    shows no one (a draft is its office's, on the pages)."""
    provinces = two_provinces["provinces"]
    published_list(provinces["demo"], acting_user=authors[0], state="draft")
    return {
        key: published_list(provinces[key], acting_user=author)
        for key, author in zip(("demo", "south"), authors, strict=True)
    }


def province_of(zone_key: str) -> str:
    return "south" if zone_key == "south" else "demo"


def owned_world(users: dict[str, Any]) -> dict[str, dict[str, Model]]:
    """A finished job, an import and a notification of each role's user, and of someone
    else's ("other")."""
    owners = {**users, "other": make_user("someone_else", "province_analyst")}
    return {
        role: {
            "job": finished_job(user),
            "importbatch": refused_batch(user),
            "notification": Notification.objects.create(
                recipient=user, kind="assignment", title="新的派单", url="/jobs/"
            ),
        }
        for role, user in owners.items()
    }


def target(world: dict[str, Any], basename: str, zone_key: str) -> Model:
    """The object of ``basename`` that belongs to the zone ``zone_key``."""
    zone, enterprise = world["zones"][zone_key], world["enterprises"][zone_key]
    if basename == "publication":
        return world["publications"][province_of(zone_key)]
    if basename == "servicerequest":
        return world["requests"][zone_key]
    if basename in POLICIES:
        return world["policies"][zone_key][basename]
    if basename in INVESTMENT:
        return world["investment"][zone_key][basename]
    if basename == "zonekpi":  # a zone's 招商 KPIs
        return zone
    if basename in SUPERVISION:
        item = world["supervision"][zone_key]
        return item if basename == "superviseditem" else item.log.get()
    if basename == "assessmentframework":
        return world["assessment"]["frameworks"][zone_key]
    if basename == "assessmentrun":
        return world["assessment"]["runs"][zone_key]
    if basename == "zoneresult":
        return ZoneResult.objects.get(run=world["assessment"]["runs"][zone_key])
    if basename in EVALUATIONS:
        run = world["runs"][zone_key]
        return {
            "scheme": run.scheme,
            "evaluationrun": run,
            "evaluationresult": EvaluationResult.objects.filter(
                run=run, enterprise=enterprise
            ).get(),
        }[basename]
    return {
        "region": zone.region,
        "industry": enterprise.industry,
        "tag": Tag.objects.order_by("pk").first(),
        "indicator": world["indicator"],
        "zone": zone,
        "zoneyear": ZoneYear.objects.get(zone=zone),
        "enterprise": enterprise,
        "enterpriseyear": EnterpriseYear.objects.get(enterprise=enterprise, year=2025),
        "enterpriseevent": EnterpriseEvent.objects.get(enterprise=enterprise),
    }[basename]


def new_uscc() -> str:
    first17 = "91990102MA0000077"
    return first17 + uscc_check_character(first17)


def create_payload(world: dict[str, Any], basename: str, zone_key: str) -> dict[str, Any]:
    zone, enterprise = world["zones"][zone_key], world["enterprises"][zone_key]
    return {
        "scheme": {"preset": "huangyan_2022"},
        "evaluationrun": {
            "scheme": world["runs"][zone_key].scheme_id,
            "year": 2024,
            "zone": zone.pk,
        },
        "assessmentrun": {
            "framework": world["assessment"]["frameworks"][zone_key].pk,
            "year": 2024,
            "zone_kind": "all",
        },
        "importbatch": {
            "kind": "enterprises",
            "file": SimpleUploadedFile("企业名录.csv", "统一社会信用代码,企业名称\n".encode()),
        },
        "progressreport": {"task": world["policies"][zone_key]["policytask"].pk, "text": "已完成"},
        "region": {},
        "industry": {},
        "tag": {},
        "indicator": {},
        "zone": {
            "code": "Z900",
            "name": "新设开发区",
            "kind": "provincial_edz",
            "region": zone.region_id,
        },
        "zoneyear": {
            "zone": zone.pk,
            "year": 2023,
            "indicator": world["indicator"].pk,
            "value": "1.5",
        },
        "enterprise": {
            "uscc": new_uscc(),
            "name": "新设企业有限公司",
            "zone": zone.pk,
            "region": zone.region_id,
        },
        "enterpriseyear": {
            "enterprise": enterprise.pk,
            "zone": zone.pk,
            "year": 2023,
            "tax_paid": "5",
        },
        "enterpriseevent": {
            "enterprise": enterprise.pk,
            "kind": "dishonest_listed",
            "date": "2025-03-01",
        },
        "servicerequest": {
            "category": "land",
            "description": "用地指标咨询",
            "caller_name": "来电人",
            "caller_phone": "12345678",
            "zone": zone.pk,
            "source": "12345",
            "external_ref": f"GD-{zone_key}",
        },
    }[basename]


CHANGES = {
    "zone": {"name": "改名开发区"},
    "zoneyear": {"value": "2.500000"},
    "enterprise": {"status": "stopped"},
    "enterpriseyear": {"tax_paid": "99.0000"},
    "enterpriseevent": {"note": "已核实"},
}


def full_payload(basename: str, instance: Model) -> dict[str, Any]:
    """Everything a PUT sends: the object as the API shows it, with this resource's change."""
    serializer_class = next(v for _, v, b in router.registry if b == basename).serializer_class
    data = dict(serializer_class(instance).data)
    for read_only in ("id", "province_code"):
        data.pop(read_only, None)
    return {**data, **CHANGES.get(basename, {})}


def database_state() -> dict[str, list[dict[str, Any]]]:
    models = {**SCOPED, **EVALUATION_MODELS}
    state = {name: list(model.objects.order_by("pk").values()) for name, model in models.items()}
    state["enterprise_tags"] = list(Enterprise.tags.through.objects.order_by("pk").values())
    state["change_log"] = list(ObjectChange.objects.values("pk"))
    return state


def foreign_identifiers(world: dict[str, Any], role: str) -> list[str]:
    """Names and codes of every zone and enterprise outside ``role``'s scope."""
    inside = {world["zones"][key].pk for key in ROLES[role]["zones"]}
    zones = Zone.objects.exclude(pk__in=inside)
    enterprises = Enterprise.objects.exclude(zone__in=inside)
    if "enterprise" in ROLES[role]:
        enterprises = enterprises.exclude(pk=world["enterprises"][ROLES[role]["enterprise"]].pk)
    return [
        *[value for zone in zones for value in (zone.name, zone.code)],
        *[value for enterprise in enterprises for value in (enterprise.name, enterprise.uscc)],
    ]


def visible_ids(world: dict[str, Any], role: str, basename: str) -> set[int]:
    """The rows in the role's zones (or of its enterprise), found by the model's own paths."""
    if basename in EVALUATIONS:
        return visible_evaluation_ids(world, role, basename)
    model = SCOPED[basename]
    if "enterprise" in ROLES[role]:
        path = getattr(model, "scope_enterprise_path", None)
        if path is None:
            return set()
        own = world["enterprises"][ROLES[role]["enterprise"]].pk
        return set(model.objects.filter(**{path or "pk": own}).values_list("pk", flat=True))
    zones = [world["zones"][key] for key in ROLES[role]["zones"]]
    path = model.scope_zone_path
    lookup = f"{path}__in" if path else "pk__in"
    return set(model.objects.filter(**{lookup: [z.pk for z in zones]}).values_list("pk", flat=True))


def visible_evaluation_ids(world: dict[str, Any], role: str, basename: str) -> set[int]:
    """Schemes and runs of the role's zones, and their results in those zones; an enterprise sees
    no scheme, the published runs naming it and its own results in them."""
    if basename == "publication":  # the lists published to the provinces of the role's zones
        zones = ROLES[role]["zones"] or (ROLES[role]["home"],)
        return {world["publications"][province_of(key)].pk for key in zones}
    if basename == "servicerequest":  # the requests of the role's zones, or of its enterprise
        if "enterprise" in ROLES[role]:
            own = world["enterprises"][ROLES[role]["enterprise"]]
            return set(ServiceRequest.objects.filter(enterprise=own).values_list("pk", flat=True))
        zones = [world["zones"][key] for key in ROLES[role]["zones"]]
        return set(ServiceRequest.objects.filter(zone__in=zones).values_list("pk", flat=True))
    if basename in POLICIES:  # the rows of the role's zones
        return {world["policies"][key][basename].pk for key in ROLES[role]["zones"]}
    if basename in INVESTMENT:  # the rows of the role's zones
        return {world["investment"][key][basename].pk for key in ROLES[role]["zones"]}
    if basename == "zonekpi":  # the role's zones
        return {world["zones"][key].pk for key in ROLES[role]["zones"]}
    if basename in SUPERVISION:  # the items of the role's zones, and their log
        items = [world["supervision"][key].pk for key in ROLES[role]["zones"]]
        items += [world["requests"][key].item_id for key in ROLES[role]["zones"]]
        model = EVALUATION_MODELS[basename]
        return set(
            model.objects.filter(
                **{"pk__in" if basename == "superviseditem" else "item__in": items}
            ).values_list("pk", flat=True)
        )
    if basename in OWNED:  # its owner's alone
        owned = world["owned"].get(role)
        return (
            {str(owned[basename].pk) if basename == "job" else owned[basename].pk}
            if owned
            else set()
        )
    if basename.startswith("assessment") or basename == "zoneresult":
        return visible_assessment_ids(world, role, basename)
    runs = [run for key, run in world["runs"].items() if key in ROLES[role]["zones"]]
    if "enterprise" in ROLES[role]:
        own = world["enterprises"][ROLES[role]["enterprise"]]
        own_results = EvaluationResult.objects.filter(enterprise=own)
        return {
            "scheme": set(),
            "evaluationrun": set(own_results.values_list("run_id", flat=True)),
            "evaluationresult": set(own_results.values_list("pk", flat=True)),
        }[basename]
    if basename == "evaluationresult":
        home = world["runs"][ROLES[role]["home"]]  # the list is read one run at a time
        return set(EvaluationResult.objects.filter(run=home).values_list("pk", flat=True))
    return {run.scheme_id if basename == "scheme" else run.pk for run in runs}


def visible_assessment_ids(world: dict[str, Any], role: str, basename: str) -> set[int]:
    """Presets and the frameworks of the role's province (an enterprise's too); the runs that
    ranked one of the role's zones (an enterprise: none)."""
    runs = world["assessment"]["runs"]
    if basename == "assessmentrun":
        return {runs[key].pk for key in ROLES[role]["zones"] if key in runs}
    if basename == "zoneresult":  # the list is read one run at a time, the home zone's
        home = ROLES[role]["home"]
        inside = home in ROLES[role]["zones"]
        return (
            set(ZoneResult.objects.filter(run=runs[home]).values_list("pk", flat=True))
            if inside
            else set()
        )
    zones = ROLES[role]["zones"] or (ROLES[role]["home"],)
    frameworks = world["assessment"]["frameworks"]
    presets = AssessmentFramework.objects.filter(owner=None).values_list("pk", flat=True)
    return {*presets, *(frameworks[key].pk for key in zones if key in frameworks)}


def call(world: dict[str, Any], role: str, basename: str, operation: str, where: str) -> Any:
    client = world["clients"][role]
    zone_key = ROLES[role]["home" if where == "inside" else "away"]
    if operation == "statistics":
        return client.get(f"/api/v1/{prefix(basename)}/statistics/?start=2026-01-01&end=2026-12-31")
    if operation == "list":
        query = {
            "evaluationresult": f"?run={world['runs'][zone_key].pk}",
            "zoneresult": f"?run={world['assessment']['runs'][zone_key].pk}",
        }.get(basename, "")
        return client.get(f"/api/v1/{prefix(basename)}/{query}")
    if operation == "create":
        return client.post(
            f"/api/v1/{prefix(basename)}/",
            create_payload(world, basename, zone_key),
            format="multipart" if basename == "importbatch" else "json",
        )
    instance = (
        world["owned"][role if where == "inside" and role in world["owned"] else "other"][basename]
        if basename in OWNED
        else target(world, basename, zone_key)
    )
    url = f"/api/v1/{prefix(basename)}/{instance.pk}/"
    if operation == "retrieve":
        return client.get(url)
    if operation in ACTION_PATHS:
        return client.get(f"{url}{ACTION_PATHS[operation]}")
    if operation in POSTED:
        path, data = POSTED[operation]
        return client.post(f"{url}{path}", data, format="json")
    if operation == "versions":
        return client.post(
            f"{url}versions/", {"document": preset_text("huangyan_2022")}, format="json"
        )
    if operation == "destroy":
        return client.delete(url)
    if operation == "update":
        payload = full_payload(basename, instance) if basename in SCOPED else {}
        return client.put(url, payload, format="json")
    return client.patch(url, CHANGES.get(basename, {}), format="json")


def prefix(basename: str) -> str:
    return next(p for p, _, b in router.registry if b == basename)


def check_cell(world: dict[str, Any], role: str, cell: tuple[str, str, str]) -> tuple[int, list]:
    """Call one cell; return its status and whatever went wrong beyond the status."""
    basename, operation, where = cell
    if basename == "importbatch" and operation in BATCH_STATES:
        ImportBatch.objects.update(state=BATCH_STATES[operation])
    before = database_state()
    foreign = foreign_identifiers(world, role)

    response = call(world, role, basename, operation, where)

    problems: list[Any] = []
    body = body_text(response)
    problems += [("foreign identifier", identifier) for identifier in foreign if identifier in body]
    if response.status_code >= 400:
        if not response.json()["error"]["code"]:
            problems.append(("no error code", body))
        if database_state() != before:
            problems.append(("denied but changed", response.status_code))
    elif operation == "list" and basename not in REFERENCE:
        listed = {row["id"] for row in response.json()["results"]}
        if listed != visible_ids(world, role, basename) or response.json()["count"] != len(listed):
            problems.append(("list", sorted(listed)))
    elif operation in READS:
        if database_state() != before:
            problems.append(("read but changed", operation))
    elif (basename, operation) in QUEUED:
        problems += queued_problems(world, role, QUEUED[(basename, operation)], before)
    else:
        problems += change_log_problems(world, role, operation, response, basename)
    return response.status_code, problems


def body_text(response: Any) -> str:
    """What a response says, a file's included: a workbook's cells, another file's bytes."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") != XLSX:
        return content.decode()
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = (cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row)
    return "\n".join(str(cell) for cell in cells if cell is not None)


def queued_problems(
    world: dict[str, Any], role: str, kind: str, before: dict[str, list[dict[str, Any]]]
) -> list:
    """A write that queues a job: one new job of ``kind`` for the caller, and no change logged."""
    known = {row["id"] for row in before["job"]}
    new = [(job.kind, job.user) for job in Job.objects.exclude(pk__in=known)]
    problems: list[Any] = [] if new == [(kind, world["users"][role])] else [("jobs", new)]
    if ObjectChange.objects.count() != len(before["change_log"]):
        problems.append(("change log", list(ObjectChange.objects.values("action", "object_repr"))))
    return problems


def change_log_problems(
    world: dict[str, Any], role: str, operation: str, response: Any, basename: str = ""
) -> list:
    user = world["users"][role]
    action = {"create": "create", "versions": "create", "destroy": "delete"}.get(
        operation, "update"
    )
    rows = [
        (row.username, row.user, row.channel, row.action, str(row.request_id))
        for row in ObjectChange.objects.all()
    ]
    expected = [(user.username, user, "api", action, response["X-Request-ID"])]
    expected *= WRITES.get(basename, 1)
    return [] if rows == expected else [("change log", rows)]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_allowed_set(world, role, no_throttling):
    cells_of_role = [cell[1:] for cell in cells() if cell[0] == role]
    statuses, problems = {}, {}

    for cell in cells_of_role:
        with transaction.atomic():  # each cell starts from the same data
            statuses[cell], found = check_cell(world, role, cell)
            transaction.set_rollback(True)
        if found:
            problems[cell] = found

    assert statuses == {cell: expected_status(role, *cell) for cell in cells_of_role}
    assert problems == {}
