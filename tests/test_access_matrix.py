"""Every URL the resolver knows × every role × objects inside and outside scope.

Two provinces of two zones each and one published ranking. Expected allowed sets are written out
per role; everything else must be refused (403 for a role that may not open the page at all, 404
for an object outside scope), a refusal changes nothing, and no response ever carries an identifier
of a zone or enterprise the user may not see. Every business view must go through ``restrict()``.
"""

import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from docx import Document

from conftest import make_user, url_routes
from kaifaqu.access import scope
from kaifaqu.attachments.models import Attachment, AttachmentQuerySet
from kaifaqu.attachments.registry import ATTACHABLE
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Region
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.intake.models import ImportBatch, ImportBatchQuerySet
from kaifaqu.investment.actions import create_client, create_project
from kaifaqu.jobs import models as job_models
from kaifaqu.jobs.actions import create_job
from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.models import NotificationQuerySet
from kaifaqu.policies.models import (
    PolicyDocument,
    PolicyDocumentQuerySet,
    PolicyTask,
    PolicyTaskQuerySet,
    ProgressReportQuerySet,
    ProposedTask,
    ProposedTaskQuerySet,
)
from kaifaqu.publications import models as publication_models
from kaifaqu.publications.models import Publication
from kaifaqu.servicerequests.actions import file_request, register_call
from kaifaqu.servicerequests.models import ServiceRequestQuerySet
from kaifaqu.supervision.actions import create_item
from kaifaqu.supervision.models import ItemKind, LogEntryQuerySet, SupervisedItemQuerySet
from kaifaqu.units.models import Unit, UnitQuerySet
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

# Not walked here: Django's admin and auth views; the REST API, 亩均 and zone assessment, whose own
# matrices are in src/kaifaqu/{api,mujun,assessment}/tests/.
# healthz and readyz (ops/) show no data of anyone: status and check names, without a login
SKIPPED_PREFIXES = ("admin/", "accounts/", "api/", "mujun/", "assessment/", "healthz", "readyz")

PROPOSAL_STEPS = (
    "correct_units", "correct_deadline", "correct_targets", "merge", "split", "drop", "confirm",
)  # fmt: skip
POLICY_POSTS = {
    *(f"policies:{name}" for name in PROPOSAL_STEPS),
    "policies:report",
    "policies:confirm_all",
}
# The pages of one 招商 project, and those of them that change it.
INVESTMENT_CHANGES = (
    "project_edit", "advance", "pause", "terminate", "resume", "undo", "visit", "fund", "plan",
    "problem",
)  # fmt: skip
INVESTMENT_PROJECT_PAGES = ("project", *INVESTMENT_CHANGES)
# What a URL's <pk> names: an object key of the `world` fixture.
PK_KINDS = {
    "zones:zone": "zone",
    "enterprises:enterprise": "enterprise",
    "enterprises:enterprise_edit": "enterprise",
    "jobs:job": "job",
    "jobs:file": "job",
    "publications:publication": "publication",
    "intake:batch": "batch",
    "intake:commit": "batch",
    "intake:undo": "batch",
    "intake:report": "batch",
    "intake:changes": "batch",
    "intake:changes_export": "batch",
    "units:unit": "unit",
    **{
        f"supervision:{name}": "item"
        for name in (
            "item", "assign", "accept", "return", "complete", "urge", "extension",
            "decide_extension",
        )
    },
    "notifications:open": "notification",
    "notifications:read": "notification",
    "attachments:download": "attachment",
    "attachments:delete": "attachment",
    "audit:change": "change",
    **{
        f"servicerequests:{name}": "request"
        for name in ("request", "dispatch", "accept", "reply", "rate")
    },
    "policies:document": "document",
    "policies:confirm_all": "document",
    **{f"policies:{name}": "proposal" for name in PROPOSAL_STEPS},
    "policies:task": "policy_task",
    "policies:report": "policy_task",
    **{f"investment:{name}": "project" for name in INVESTMENT_PROJECT_PAGES},
    "investment:client": "client",
}  # fmt: skip
ITEM_TRANSITIONS = {
    f"supervision:{name}"
    for name in ("assign", "accept", "return", "complete", "urge", "extension", "decide_extension")
}
REQUEST_TRANSITIONS = {
    f"servicerequests:{name}" for name in ("dispatch", "accept", "reply", "rate")
}
# Pages only an enterprise user opens (its portal's filing form).
ENTERPRISE_PAGES = {"servicerequests:file"}
# What a URL's <str:kind> is set to.
KIND_ARGUMENT = "enterprises"
POST_ONLY = {
    "zones:refresh_summaries",
    "intake:commit",
    "intake:undo",
    "notifications:open",
    "notifications:read",
    "notifications:read_all",
    "attachments:upload",
    "attachments:delete",
    *ITEM_TRANSITIONS,
    *REQUEST_TRANSITIONS,
    *POLICY_POSTS,
}
# Not attachments:upload: any business role may post a file, the object's scope or its model's
# upload rule decides (an enterprise attaches evidence to its own service request).
CHANGE_PAGES = {
    *ITEM_TRANSITIONS,
    *(REQUEST_TRANSITIONS - {"servicerequests:rate"}),
    "servicerequests:register_call",
    "enterprises:enterprise_edit",
    "zones:refresh_summaries",
    "intake:import",
    "intake:commit",
    "intake:undo",
    "attachments:delete",
    *POLICY_POSTS,
    "policies:upload",
    "investment:project_create",
    "investment:client_create",
    *(f"investment:{name}" for name in INVESTMENT_CHANGES),
}
# Statuses other than 200 (or 302 for POST) for an object the role may reach: undoing a batch that
# was never committed is refused on the page itself; these jobs wrote no file to download (the
# download is tested in intake/tests/test_export_job.py); an upload without a file is a bad request.
REACHABLE_STATUS = {"intake:undo": 200, "jobs:file": 404, "attachments:upload": 400}
# The world's batches name files that were never stored: the preview says the file is gone, and
# there are no changes to download.
REACHABLE_STATUS |= {"intake:changes": 200, "intake:changes_export": 404}
# Pages that show no stored data, so have nothing to restrict: the upload form (the user's imports
# are listed at intake:batch_list).
NO_STORED_DATA = {"intake:import"}
# The 红黄绿 rules are one document for every zone (reference data): nothing regional to restrict.
NO_STORED_DATA |= {"investment:light_rules"}
CONSOLES = {
    "access:security": ("security_admin",),
    "audit:console": ("audit_admin",),
    "audit:change": ("audit_admin",),
    "audit:security_events": ("audit_admin", "security_admin"),
    "audit:domain_events": ("audit_admin",),
}
# The change-log rows the audit administrator (of 甲省) reads: its region's.
AUDIT_SCOPE = {"A1"}

BUSINESS_ROLES = {
    # role: (visible zones, visible enterprises, visible publications, may change)
    "province_analyst": ({"A1", "A2"}, {"a1", "a2"}, {"ranking", "draft"}, True),
    "city_analyst": ({"A1"}, {"a1"}, set(), True),
    "zone_analyst": ({"A1"}, {"a1"}, {"ranking"}, True),
    "leadership": ({"A1", "A2"}, {"a1", "a2"}, {"ranking", "draft"}, False),
    "enterprise_user": (set(), {"a1"}, set(), False),
}
ADMIN_ROLES = ("system_admin", "security_admin", "audit_admin")
# Units and supervised items each role sees (the world has one of each in A1 and one in 乙省).
WORK_SCOPE = {
    "province_analyst": {"A1"},
    "city_analyst": {"A1"},
    "zone_analyst": {"A1"},
    "leadership": {"A1"},
    "enterprise_user": set(),
}
# Service requests each role sees: the items' scope, and an enterprise its own.
REQUEST_SCOPE = {**WORK_SCOPE, "enterprise_user": {"A1"}}


def our_urls() -> list[tuple[str, str]]:
    routes = url_routes(get_resolver().url_patterns)
    return [(route, name) for route, name in routes if not route.startswith(SKIPPED_PREFIXES)]


def url_for(route: str, obj: Any = None) -> str:
    pk = str(getattr(obj, "pk", ""))
    route = route.replace("<int:pk>", pk).replace("<uuid:pk>", pk)
    return "/" + route.replace("<str:kind>", KIND_ARGUMENT)


def body_text(response: Any) -> str:
    """The text a user could read in the response, including inside an xlsx download."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "wordprocessingml" in response.get("Content-Type", ""):
        document = Document(io.BytesIO(content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return " ".join([*(p.text for p in document.paragraphs), *cells])
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode()


def _enterprise(name: str, code17: str, zone: Zone) -> Enterprise:
    return Enterprise.objects.create(
        uscc=code17 + uscc_check_character(code17),
        name=name,
        zone=zone,
        region=zone.region,
        registration_date=date(2015, 1, 1),
    )


@pytest.fixture
def world(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # enterprises carry attachments here, so their downloads are walked too
    monkeypatch.setitem(ATTACHABLE, "enterprises.enterprise", Enterprise)
    a = Region.objects.create(code="990000", name="甲省", level="province")
    a_city = Region.objects.create(code="990100", name="甲一市", level="city", parent=a)
    a_county = Region.objects.create(code="990102", name="甲一区", level="county", parent=a_city)
    a_city2 = Region.objects.create(code="990200", name="甲二市", level="city", parent=a)
    b = Region.objects.create(code="980000", name="乙省", level="province")
    b_city = Region.objects.create(code="980100", name="乙一市", level="city", parent=b)
    zones = {
        "A1": Zone.objects.create(
            code="A1", name="甲一经开区", kind="national_etdz", region=a_county
        ),
        "A2": Zone.objects.create(
            code="A2", name="甲二高新区", kind="national_htz", region=a_city2
        ),
        "B1": Zone.objects.create(
            code="B1", name="乙一经开区", kind="provincial_edz", region=b_city
        ),
        "B2": Zone.objects.create(
            code="B2", name="乙二综保区", kind="customs_special", region=b_city
        ),
    }
    enterprises = {
        "a1": _enterprise("甲一精工有限公司", "91990102MA0000001", zones["A1"]),
        "a2": _enterprise("甲二电子有限公司", "91990200MA0000002", zones["A2"]),
        "b1": _enterprise("乙一化工有限公司", "91980100MA0000003", zones["B1"]),
        "b2": _enterprise("乙二物流有限公司", "91980100MA0000004", zones["B2"]),
    }
    users = {
        "province_analyst": make_user("pa", "province_analyst", region=a),
        "city_analyst": make_user("ca", "city_analyst", region=a_city),
        "zone_analyst": make_user("za", "zone_analyst", zones=(zones["A1"],)),
        "leadership": make_user("ld", "leadership", region=a),
        "enterprise_user": make_user("eu", "enterprise_user", enterprise=enterprises["a1"]),
        **{role: make_user(role, role, region=a) for role in ADMIN_ROLES},
    }
    author = users["province_analyst"]
    ranking = Publication.objects.create(
        title="甲省开发区综合排名",
        kind="ranking",
        state="published",
        author=author,
        author_region=a,
        columns=[["rank", "名次"], ["zone", "开发区"]],
        rows=[
            {"rank": 1, "zone": "甲二高新区", "tax": "机密税收 987654"},
            {"rank": 2, "zone": "甲一经开区", "tax": "机密税收 123456"},
        ],
    )
    ranking.audience_roles.set(
        [
            p.role
            for p in (
                users["zone_analyst"].profile,
                users["province_analyst"].profile,
                users["leadership"].profile,
            )
        ]
    )
    ranking.audience_regions.set([a])
    draft = Publication.objects.create(
        title="甲省开发区考核结果(草稿)",
        kind="grade_list",
        author=author,
        author_region=a,
        columns=[["zone", "开发区"]],
        rows=[{"zone": "甲一经开区"}],
    )
    batches = {
        role: ImportBatch.objects.create(
            kind="enterprises",
            file_name=f"{role}.csv",
            sha256="0" * 64,
            user=user,
            state="validated",
            file=f"imports/{role}.csv",
        )
        for role, user in users.items()
        if role in BUSINESS_ROLES
    }
    # committed batches, whose undo asks for confirmation first (a GET of intake:undo)
    committed = {
        role: ImportBatch.objects.create(
            kind="enterprises",
            file_name=f"{role}-committed.csv",
            sha256="1" * 64,
            user=user,
            state="committed",
            counts={"insert": 2, "update": 1, "unchanged": 3},
            file=f"imports/{role}-committed.csv",
        )
        for role, user in users.items()
        if role in BUSINESS_ROLES
    }
    jobs = {
        role: create_job("zone_summaries", {}, acting_user=user)[0]
        for role, user in users.items()
        if role in BUSINESS_ROLES
    }
    sq = ItemKind.objects.get(code="SQ")
    units = {
        "A1": Unit.objects.create(
            name="甲一经开区管委会", kind="zone_committee", region=a_county, zone=zones["A1"]
        ),
        "B1": Unit.objects.create(name="乙一市商务局", kind="bureau", region=b_city),
    }
    other = make_user("pb", "province_analyst", region=b)
    items = {
        "A1": create_item(
            kind=sq, title="甲一用地事项", region=a_county, zone=zones["A1"], level=1,
            acting_user=users["province_analyst"],
        ),
        "B1": create_item(
            kind=sq, title="乙一融资事项", region=b_city, zone=zones["B1"], level=2,
            acting_user=other,
        ),
    }  # fmt: skip
    requests = {
        "A1": file_request(
            category="land", description="甲一精工扩建用地指标申请",
            acting_user=users["enterprise_user"],
        ),
        "B1": register_call(
            category="finance", description="乙一物流贷款贴息咨询", caller_name="乙一来电人",
            caller_phone="13800000000", zone=zones["B1"], acting_user=other,
        )[0],
    }  # fmt: skip
    policies = policies_world(zones, units, items)
    notifications = {
        role: notify([user], "assignment", enterprises["a1"], f"给{role}的派单")[0]
        for role, user in users.items()
        if role in BUSINESS_ROLES
    }
    attachments = {
        key: Attachment.objects.create(
            owner=enterprise,
            file=ContentFile(b"%PDF-1.7\n", name="evidence.pdf"),
            file_name=f"{key}.pdf",
            file_type="pdf",
            mime_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=author,
        )
        for key, enterprise in enterprises.items()
    }
    projects = {
        key: create_project(zone=zones[key], name=f"新材料项目{key}", acting_user=user)
        for key, user in (("A1", users["province_analyst"]), ("B1", other))
    }
    clients = {
        key: create_client(
            zone=zones[key], company=f"目标客户{key}", source="expo", acting_user=user
        )
        for key, user in (("A1", users["province_analyst"]), ("B1", other))
    }
    changes = {
        key: ObjectChange.objects.get(
            content_type=ContentType.objects.get_for_model(item),
            object_id=str(item.pk),
            action="create",
        )
        for key, item in items.items()
    }
    return {
        **policies,
        "projects": projects,
        "clients": clients,
        "units": units,
        "items": items,
        "changes": changes,
        "requests": requests,
        "zones": zones,
        "enterprises": enterprises,
        "users": users,
        "notifications": notifications,
        "attachments": attachments,
        "publications": {"ranking": ranking, "draft": draft},
        "jobs": jobs,
        "batches": batches,
        "committed_batches": committed,
    }


def policies_world(zones, units, items) -> dict[str, dict[str, Any]]:
    """A policy document of the zones A1 and B1, an open proposal with no units (its review
    steps are refused or change only it) and a confirmed task on the zone's item."""
    world: dict[str, dict[str, Any]] = {"documents": {}, "proposals": {}, "policy_tasks": {}}
    for key in ("A1", "B1"):
        zone = zones[key]
        document = PolicyDocument.objects.create(
            title=f"{zone.name}政策文件", text="措施一。措施二。", region=zone.region, zone=zone
        )
        proposal = ProposedTask.objects.create(
            document=document, position=1, heading="措施一", start=0, end=4
        )
        confirmed = ProposedTask.objects.create(
            document=document, position=2, heading="措施二", start=4, end=8, state="confirmed"
        )
        world["documents"][key] = document
        world["proposals"][key] = proposal
        world["policy_tasks"][key] = PolicyTask.objects.create(
            proposal=confirmed, document=document, item=items[key], lead_unit=units[key]
        )
    return world


@pytest.fixture
def restrict_calls(monkeypatch):
    calls = []
    classes = (
        scope.RestrictedQuerySet,
        job_models.JobQuerySet,
        publication_models.PublicationQuerySet,
        ImportBatchQuerySet,
        UnitQuerySet,
        SupervisedItemQuerySet,
        LogEntryQuerySet,
        NotificationQuerySet,
        AttachmentQuerySet,
        ServiceRequestQuerySet,
        PolicyDocumentQuerySet,
        ProposedTaskQuerySet,
        PolicyTaskQuerySet,
        ProgressReportQuerySet,
    )
    for queryset_class in classes:
        original = queryset_class.restrict

        def counting(self, user, action="view", _original=original):
            calls.append(self.model.__name__)
            return _original(self, user, action)

        monkeypatch.setattr(queryset_class, "restrict", counting)
    return calls


def foreign_identifiers(world, role) -> list[str]:
    zones, enterprises, pubs, _ = BUSINESS_ROLES.get(role, (set(), set(), set(), False))
    hidden_e = [e for key, e in world["enterprises"].items() if key not in enterprises]
    # an enterprise's own zone is named on its pages
    own_zones = {e.zone.code for key, e in world["enterprises"].items() if key in enterprises}
    hidden = [z for key, z in world["zones"].items() if key not in zones | own_zones]
    names = [z.name for z in hidden if not (pubs and z.code in {"A1", "A2"})]
    names += [e.name for e in hidden_e] + [e.uscc for e in hidden_e]
    if role in WORK_SCOPE:  # (the audit administrator reads the items' change log)
        work = WORK_SCOPE[role]
        names += [unit.name for key, unit in world["units"].items() if key not in work]
        names += [item.title for key, item in world["items"].items() if key not in work]
        seen = REQUEST_SCOPE[role]
        names += [r.description for key, r in world["requests"].items() if key not in seen]
        names += [d.title for key, d in world["documents"].items() if key not in work]
    if role in BUSINESS_ROLES:  # (the audit administrator reads the projects' change log)
        names += [p.name for key, p in world["projects"].items() if key not in zones]
        names += [c.company for key, c in world["clients"].items() if key not in zones]
    return [*names, "机密税收"]


def objects_of(world, kind, role):
    if kind == "zone":
        return world["zones"].items()
    if kind == "enterprise":
        return world["enterprises"].items()
    if kind == "publication":
        return world["publications"].items()
    if kind == "request":
        return world["requests"].items()
    if kind in ("unit", "item", "change", "document", "proposal", "policy_task"):
        return world[f"{kind}s"].items()
    if kind in ("project", "client"):
        return world[f"{kind}s"].items()
    if kind in ("notification", "attachment"):
        return list(world[f"{kind}s"].items())
    return list(world["jobs" if kind == "job" else "batches"].items())


def expected(role, name, kind, key):
    """The status a role must get for a URL (and, for <pk> URLs, the object `key`)."""
    if name in CONSOLES:
        if role not in CONSOLES[name]:
            return 403
        return 200 if kind is None or key in AUDIT_SCOPE else 404
    if role not in BUSINESS_ROLES:
        return 302 if name == "home" else 403  # home sends them to their own console
    zones, enterprises, pubs, may_change = BUSINESS_ROLES[role]
    if name in ENTERPRISE_PAGES and role != "enterprise_user":
        return 403
    if name in CHANGE_PAGES and not may_change:
        return 403
    ok = 302 if name in POST_ONLY else 200
    if kind is None:
        return REACHABLE_STATUS.get(name, ok)
    visible = {
        "zone": zones,
        "enterprise": enterprises,
        "publication": pubs,
        "job": {role},
        "batch": {role},
        "unit": WORK_SCOPE[role],
        "item": WORK_SCOPE[role],
        "request": REQUEST_SCOPE[role],
        "document": WORK_SCOPE[role],
        "proposal": WORK_SCOPE[role],
        "policy_task": WORK_SCOPE[role],
        "notification": {role},
        "attachment": enterprises,  # an enterprise's evidence goes with the enterprise
        "project": zones,
        "client": zones,
    }[kind]
    return REACHABLE_STATUS.get(name, ok) if key in visible else 404


@pytest.mark.parametrize("role", [*BUSINESS_ROLES, *ADMIN_ROLES])
def test_role_gets_exactly_its_allowed_set(client, world, role, restrict_calls):
    client.force_login(world["users"][role])
    forbidden = foreign_identifiers(world, role)
    for route, name in our_urls():
        kind = PK_KINDS.get(name)
        assert ("<int:" in route or "<uuid:" in route) == (kind is not None), (
            f"add {name} to PK_KINDS"
        )
        targets = objects_of(world, kind, role) if kind else [(None, None)]
        for key, obj in targets:
            method = client.post if name in POST_ONLY else client.get
            restrict_calls.clear()
            changes_before = ObjectChange.objects.count()
            response = method(url_for(route, obj))
            want = expected(role, name, kind, key)
            if want not in (200, 302) or method == client.get:
                # a refusal, and any page read, changes nothing
                assert ObjectChange.objects.count() == changes_before, (role, name, key)
            assert response.status_code == want, (role, name, key, response.status_code)
            if want in (200, 302) and role in BUSINESS_ROLES and name not in NO_STORED_DATA:
                assert restrict_calls, f"{name} does not go through restrict()"
            body = body_text(response)
            for identifier in forbidden:
                assert identifier not in body, (role, name, key, identifier)


@pytest.mark.parametrize("role", [*BUSINESS_ROLES, *ADMIN_ROLES])
def test_undo_confirmation_page_gets_each_roles_expected_status(
    client, world, role, restrict_calls
):
    """The matrix posts to intake:undo; its GET, the confirmation, is walked here over committed
    batches: a role that may change data reads its own batch's, nothing else."""
    client.force_login(world["users"][role])
    forbidden = foreign_identifiers(world, role)
    for key, batch in world["committed_batches"].items():
        restrict_calls.clear()
        changes_before = ObjectChange.objects.count()
        response = client.get(reverse("intake:undo", args=[batch.pk]))
        want = expected(role, "intake:undo", "batch", key)
        assert response.status_code == want, (role, key, response.status_code)
        assert ObjectChange.objects.count() == changes_before, (role, key)
        body = body_text(response)
        if want == 200:
            assert restrict_calls, "intake:undo does not go through restrict()"
            assert "删除本次新增的" in body
        for identifier in forbidden:
            assert identifier not in body, (role, key, identifier)


def test_publication_shows_only_its_columns(client, world):
    client.force_login(world["users"]["zone_analyst"])
    response = client.get(world["publications"]["ranking"].get_absolute_url())
    body = response.content.decode()
    assert "甲二高新区" in body  # the published ranking names every zone of the province
    assert "机密税收" not in body


def test_anonymous_user_is_sent_to_login_everywhere(client, world):
    for route, name in our_urls():
        kind = PK_KINDS.get(name)
        obj = next(iter(objects_of(world, kind, "province_analyst")))[1] if kind else None
        response = client.get(url_for(route, obj))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name
