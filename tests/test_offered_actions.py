"""Every page of a demo-like province, for every role, offers only actions the role may take.

The demo province (small) with its 亩均 runs in each state — a draft, one in 公示 with an
objection pending, one published — and its assessment runs, one ranking published. Each role
walks the site from its home page and from those objects, following every link; every form a page
shows that posts is submitted as that role (inside a transaction rolled back at once), and must
not be refused with 403: a button the server would refuse must not be shown. Links are followed
the same way, so a page never links to one the role may not open.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from conftest import make_user
from kaifaqu.assessment.actions import publish_ranking
from kaifaqu.assessment.models import AssessmentRun
from kaifaqu.catalog.models import Region
from kaifaqu.demo.evaluations import queue_demo_evaluations
from kaifaqu.demo.generator import PROVINCE, generate
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun import actions as mujun
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun

pytestmark = [pytest.mark.django_db, pytest.mark.site_walk]

# Not walked: Django's admin (its own permission system), the API (its own matrix), the user's own
# account pages (logout, password, tokens) and files.
SKIPPED = ("/admin/", "/api/", "/accounts/", "/static/", "/media/")
FILE_SUFFIXES = (".xlsx", ".csv", ".toml", ".pdf", ".docx", "/pdf/", "/docx/")
# Pages of one kind opened per role beyond the seeds (a list links to many of the same kind).
PER_KIND = 3


@dataclass
class Form:
    action: str
    data: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    """The links and the posting forms of a page, each form with the values it would send."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._submitted = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            posting = a.get("method", "get").lower() == "post"
            self._form = Form(a.get("action", "")) if posting else None
            self._submitted = False
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("file", "submit"):
            self._form.data[a["name"]] = a.get("value", "")
        elif tag in ("button", "input") and a.get("type", "submit") == "submit":
            if a.get("name") and not self._submitted:
                self._form.data[a["name"]] = a.get("value", "")
            self._submitted = True
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and self._select not in self._form.data:
            self._form.data[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.data[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _evaluate_queued() -> None:
    for job in Job.objects.filter(state="queued"):
        run_job(job)


@pytest.fixture
def demo(db: None) -> dict[str, Any]:
    """The demo province and its logins, with 亩均 runs in every state and assessment runs."""
    generate(seed=7, enterprises=200)
    user_model = get_user_model()
    analyst, zone_user = (
        user_model.objects.get(username="analyst"),
        user_model.objects.get(username="zone"),
    )
    province = Region.objects.get(code=PROVINCE)
    zone = zone_user.profile.zones.get()
    manager = user_model.objects.get(username="leader")  # the demo's 分管领导 publishes
    # published: opened twelve days ago for three days, then published by the manager
    with time_machine.travel(timezone.now() - timedelta(days=12), tick=False):
        queue_demo_evaluations(analyst)
        _evaluate_queued()
        published = EvaluationRun.objects.get()
        today = timezone.localdate()
        mujun.start_publicity(
            published, start=today, end=today + timedelta(days=2), acting_user=analyst
        )
    mujun.publish_run(published, acting_user=manager)
    # in 公示, with the zone's objection pending; and a draft
    scheme = published.scheme
    public, draft = (
        mujun.start_run(
            scheme, year=published.year, region=province, zone=None, acting_user=analyst
        )
        for _ in range(2)
    )
    _evaluate_queued()
    public.refresh_from_db()
    today = timezone.localdate()
    mujun.start_publicity(public, start=today, end=today + timedelta(days=6), acting_user=analyst)
    result = EvaluationResult.objects.filter(run=public, zone=zone).first()
    assert result is not None, "the zone login's zone has no evaluated enterprise"
    mujun.file_objection(
        result, reason="用地面积有误", evidence="不动产权证", acting_user=zone_user
    )
    # assessment: the older provincial ranking published, the newer not
    older = AssessmentRun.objects.order_by("year").first()
    publish_ranking(older, acting_user=manager)
    users = {
        "province_analyst": analyst,
        "province_manager": manager,
        "city_analyst": make_user("city", "city_analyst", region=zone.region.parent or province),
        "leadership": make_user("leadership", "leadership", region=province),
        "zone_analyst": zone_user,
        "zone_manager": make_user("zone_manager", "zone_manager", zones=(zone,)),
        "enterprise_user": make_user("firm", "enterprise_user", enterprise=result.enterprise),
        **{
            role: user_model.objects.get(username=name)
            for role, name in (
                ("system_admin", "sysadmin"),
                ("security_admin", "secadmin"),
                ("audit_admin", "auditor"),
            )
        },
    }
    seeds = [
        "/",
        *(run.get_absolute_url() for run in (draft, public, published)),
        result.get_absolute_url(),
        *(f"/assessment/runs/{run.pk}/" for run in AssessmentRun.objects.all()),
    ]
    return {"users": users, "seeds": seeds}


def _walkable(url: str) -> bool:
    path = urlsplit(url).path
    return (
        path.startswith("/") and not path.startswith(SKIPPED) and not path.endswith(FILE_SUFFIXES)
    )


def _kind(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def walk(client: Any, seeds: list[str]) -> Iterator[tuple[str, str, Any]]:
    """(path, the page that linked to it or "" for a seed, response) of every page reached from
    ``seeds``: links followed, at most ``PER_KIND`` pages of one kind beyond the seeds."""
    queue, seen, per_kind = [(seed, "") for seed in seeds], set(), dict[str, int]()
    while queue:
        url, referer = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or not _walkable(path):
            continue
        kind = _kind(path)
        if path not in seeds and per_kind.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = client.get(path)
        response.kaifaqu_forms = []
        if response.status_code == 302:
            queue.append((response["Location"], referer))
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            parser = PageParser()
            parser.feed(response.content.decode())
            queue += [(urljoin(path, link), path) for link in parser.links]
            response.kaifaqu_forms = parser.forms
        yield path, referer, response


def test_no_page_offers_what_the_role_would_be_refused(client, demo):
    refused: list[tuple[str, str, str, str]] = []
    offered: dict[str, set[str]] = {}
    for role, user in demo["users"].items():
        client.force_login(user)
        offered[role] = set()
        for path, referer, response in walk(client, demo["seeds"]):
            if response.status_code == 403 and referer:
                refused.append((role, "GET", path, referer))
            for form in response.kaifaqu_forms:
                action = urljoin(path, form.action) if form.action else path
                if not _walkable(action):
                    continue
                offered[role].add(_kind(urlsplit(action).path))
                with transaction.atomic():
                    posted = client.post(action, form.data)
                    transaction.set_rollback(True)
                client.force_login(user)  # a rolled-back post may have taken the session along
                if posted.status_code == 403:
                    refused.append((role, "POST", action, path))
    assert refused == [], "\n".join(map(str, refused))
    # and the duties are offered to those who hold them
    assert {"mujun:run_step", "mujun:decide"} <= offered["province_analyst"]
    assert {"mujun:run_step", "assessment:publish"} <= offered["province_manager"]
    assert "mujun:object" in offered["zone_analyst"]
    assert "mujun:object" in offered["enterprise_user"]
    assert not {"mujun:decide", "assessment:publish"} & offered["zone_analyst"]
