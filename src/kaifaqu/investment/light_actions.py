"""The nightly 红黄绿 refresh: every open project's light judged at once by the rule set in force
(``current_rules``), stored with its reasons; a project newly red prompts its person in charge
and gets one blocking problem opened (``actions.open_blocking_problem_if_none``) unless one is
open already. And the rule set's versions: ``save_light_rules`` adds one."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.users import ActingUser, account
from kaifaqu.audit.log import log_bulk
from kaifaqu.audit.writes import audited_save
from kaifaqu.investment import actions, kpis, lights
from kaifaqu.investment.actions import Refused
from kaifaqu.investment.choices import FINAL_STAGES
from kaifaqu.investment.kpi_models import Light, LightRuleSet, ProjectLight
from kaifaqu.investment.models import Project
from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.choices import NotificationKind

BATCH = 5000
UPDATED = ["light", "reasons", "evaluated_on", "since", "rules_version", "province_code"]


def current_text() -> str:
    """The rule document in force: the newest saved version, else the shipped preset."""
    newest = LightRuleSet.objects.order_by("-number").first()
    return newest.document if newest is not None else lights.preset_text()


def current_rules() -> lights.RuleSet:
    return lights.parse_rules(current_text())


def save_light_rules(
    edits: dict[str, dict[str, Any]], *, note: str, acting_user: ActingUser
) -> LightRuleSet:
    """A new version of the rule document in force with ``edits`` (per rule code: name, yellow
    and red thresholds; ``lights.edited_document``), checked as the nightly job will read it;
    ``Refused`` lists every problem and saves nothing. The next night judges by it."""
    ensure_can(acting_user, "investment.edit_light_rules")
    if not note.strip():
        raise Refused("请填写修改说明")
    with transaction.atomic():
        # the newest version locked: a second save waits for this one's number (two first
        # saves at once: the unique number refuses the later)
        last = LightRuleSet.objects.select_for_update().order_by("-number").first()
        number = (last.number if last is not None else 0) + 1
        # numbered on from the preset's ".1": the first save is "<year>.2", the next ".3" …
        version = f"{timezone.localdate():%Y}.{number + 1}"
        text = lights.edited_document(current_text(), version, edits)
        try:
            lights.parse_rules(text)
        except lights.RuleSetError as error:
            raise Refused(";".join(error.problems)) from None
        saved = LightRuleSet(
            number=number,
            version=version,
            document=text,
            note=note.strip(),
            created_by=account(acting_user),
        )
        return audited_save(saved, acting_user=acting_user)


def judge(rules: lights.RuleSet, as_of: date) -> pl.DataFrame:
    """The light and reasons of every open project at ``as_of``."""
    open_projects = Project.objects.exclude(stage__in=FINAL_STAGES)
    data = kpis.frame(open_projects, kpis.Period.year(as_of.year, as_of))
    return lights.evaluate(data, rules, as_of)


def _prompt(project: Project, reasons: list[dict[str, Any]], acting_user: ActingUser) -> bool:
    """Tell the person in charge and open a blocking problem if none is open; True if opened."""
    text = ";".join(lights.reason_text(r) for r in reasons if r["light"] == Light.RED)
    if project.person_in_charge_id is not None:
        notify(
            [project.person_in_charge_id],
            NotificationKind.ESCALATION,
            project,
            f"项目亮红灯:{project.name}",
            f"{text}。请登记受阻问题并推动解决。",
            acting_user=acting_user,
        )
    opened = actions.open_blocking_problem_if_none(
        project, title=f"红灯预警:{text}"[:150], acting_user=acting_user, description=text
    )
    return opened is not None


def refresh_lights(
    *, as_of: date, acting_user: ActingUser, rules: lights.RuleSet | None = None
) -> dict[str, int]:
    """Store every open project's light; closed projects lose theirs. A light whose colour and
    reasons are as stored is not written again (``evaluated_on``: the evaluation that last
    changed it). Returns the counts."""
    rules = rules or current_rules()
    judged = judge(rules, as_of)
    before = {
        pk: (light, reasons, version, since)
        for pk, light, reasons, version, since in ProjectLight.objects.values_list(
            "project_id", "light", "reasons", "rules_version", "since"
        ).iterator(chunk_size=BATCH)
    }
    rows, newly_red, counts = [], [], {"judged": 0, "red": 0, "yellow": 0}
    for row in judged.iter_rows(named=True):
        pk, province, light = row["id"], row["province_code"], row["light"]
        reasons = lights.reasons_of(row, rules)
        counts["judged"] += 1
        counts[light] = counts.get(light, 0) + 1
        old = before.get(pk)
        if old is not None and old[:3] == (light, reasons, rules.version):
            continue  # unchanged: not written again
        since = old[3] if old is not None and old[0] == light else as_of
        rows.append(
            ProjectLight(
                project_id=pk,
                province_code=province,
                light=light,
                reasons=reasons,
                evaluated_on=as_of,
                since=since,
                rules_version=rules.version,
            )
        )
        if light == Light.RED and (old is None or old[0] != Light.RED):
            newly_red.append((pk, reasons))
    with transaction.atomic():
        ProjectLight.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=UPDATED,
        )
        closed, _ = ProjectLight.objects.filter(project__stage__in=FINAL_STAGES).delete()
        counts = {
            "judged": counts["judged"],
            "red": counts["red"],
            "yellow": counts["yellow"],
            "written": len(rows),
            "newly_red": len(newly_red),
            "closed": closed,
        }
        log_bulk(ProjectLight, label="招商项目红黄绿灯", counts=counts, acting_user=acting_user)
    projects = Project.objects.in_bulk([pk for pk, _ in newly_red])
    counts["problems_opened"] = sum(
        _prompt(projects[pk], reasons, acting_user) for pk, reasons in newly_red
    )
    return counts
