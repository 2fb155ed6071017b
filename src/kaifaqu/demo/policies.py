"""The demo province's policies: the five seed documents (copied into ``demo/policies/``, see
its SOURCE.md), read by the extractor, reviewed as a clerk would and confirmed into supervised
tasks, with progress reports of the zone login's committee.

The review is the demo's clerk (the province's analyst) at work: a unit name the registry does
not hold confidently (no match, or a closest match below ``CONFIDENT``) is struck from the
proposal, and a proposal left without a lead unit, or whose collective lead stands for more than
``MAX_EXPANDED`` units, stays open on the review screen for a person to decide. Each document's
tasks are opened on its date of issue, so deadlines the text sets in the past are overdue today
and escalate by the supervision rules (the generator runs the night's escalation once, after
every module has written its items).
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from kaifaqu import policytext
from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.catalog.models import Region
from kaifaqu.policies import actions
from kaifaqu.policies.choices import MatchMethod
from kaifaqu.policies.matching import Match, candidates
from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProgressReport, ProposedTask
from kaifaqu.units.models import Membership, Unit

CONFIDENT = 0.75
MAX_EXPANDED = 8


def seed_texts() -> list[tuple[str, str]]:
    folder = files("kaifaqu.demo") / "policies"
    return sorted(
        (entry.name, entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".txt")
    )


def _kept(matches: list[Match]) -> list[str]:
    return [
        m.name
        for m in matches
        if m.method in (MatchMethod.EXACT, MatchMethod.ALIAS, MatchMethod.COLLECTIVE)
        or (m.method == MatchMethod.CLOSEST and m.confidence >= CONFIDENT)
    ]


def _review(proposal: ProposedTask, clerk: User, units: list[Unit]) -> bool:
    """Correct the proposal's units as the clerk would; whether it is then to be confirmed."""
    matches = actions.unit_matches(proposal, units)
    lead, support = _kept(matches["lead"]), _kept(matches["support"])
    expanded = sum(len(m.units) for m in matches["lead"] if m.name in lead)
    if not lead or expanded > MAX_EXPANDED:
        return False
    if len(lead) < len(matches["lead"]) or len(support) < len(matches["support"]):
        actions.correct_units(proposal, lead=lead, support=support, acting_user=clerk)
    return True


def _city_of(region: Region) -> Region:
    """The city a division lies in (the division itself for a city or a province)."""
    while region.parent is not None and region.level != RegionLevel.CITY:
        region = region.parent
    return region


def write_policies(province_code: str, *, today: date) -> dict[str, int]:
    """Load, review and confirm the seed documents; report on the zone login's tasks."""
    users: Any = get_user_model()._default_manager
    clerk, zone_user = users.get(username="analyst"), users.get(username="zone")
    province = Region.objects.get(code=province_code)
    committee = Membership.objects.filter(user=zone_user).select_related("unit__region").first()
    home = _city_of(committee.unit.region).code if committee else ""
    cities = sorted(
        Region.objects.filter(parent=province), key=lambda city: (city.code != home, city.code)
    )
    # the first document (a city's, naming every zone) goes to the zone login's city
    places = [cities[0], province, *cities[1:]]
    for (name, text), region in zip(seed_texts(), places, strict=False):
        extracted = policytext.extract(text)
        document = actions.store_extraction(
            extracted, actions.DocumentFacts(region=region), acting_user=clerk, file_name=name
        )
        registry = candidates(region)
        reviewed = [
            proposal
            for proposal in document.proposals.select_related("document").order_by("position")
            if _review(proposal, clerk, registry)
        ]
        # the document's tasks confirmed at once (set-wise, as one at a time would)
        actions.confirm_all(reviewed, acting_user=clerk, today=document.issued or today)
    actions.open_reports(acting_user=clerk, today=today)
    units = Membership.objects.filter(user=zone_user).values("unit_id")
    reported = 0
    for task in PolicyTask.objects.filter(lead_unit__in=units).select_related("item"):
        due = list(task.reports.filter(submitted__isnull=True).order_by("due"))
        for report in due[:-1]:  # the latest period is still open
            actions.report_progress(
                task,
                text=f"{report.period}按计划推进,已完成阶段性工作",
                report=report,
                acting_user=zone_user,
            )
            reported += 1
        if not task.recurrence and not due:
            actions.report_progress(task, text="已制定工作方案,正在推进", acting_user=zone_user)
            reported += 1
    return {
        "policy_documents": PolicyDocument.objects.filter(province_code=province_code).count(),
        "policy_tasks": PolicyTask.objects.filter(province_code=province_code).count(),
        "progress_reports": reported,
        "reports_total": ProgressReport.objects.filter(province_code=province_code).count(),
    }


def delete_policies(province_code: str) -> None:
    """The demo's policy rows, before the supervised items they hold go."""
    for model in (ProgressReport, PolicyTask, ProposedTask, PolicyDocument):
        model._default_manager.filter(province_code=province_code).delete()
